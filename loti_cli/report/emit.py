"""Output on standard output whatever the locale: data as UTF-8 bytes, text in what it can show.

JSON, SARIF, JUnit, HTML, CSV and the like are files that other programs read as
UTF-8, so they go to the byte stream underneath as UTF-8 even where the locale
says ASCII (`LC_ALL=C`, `PYTHONIOENCODING=ascii`). Text for a person goes through
the stream's own encoding; a character it cannot hold takes a plain form (`£`
as `GBP`, a dash as `-`, `…` as `...`, table lines as `-`, `|` and `+`) or, when
there is none, shows as an escape such as `\\u00e9`, and never stops the command.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

ERRORS = "loti-plain"
"""The codec error handler that gives a character its plain form (registered on import)."""

_PLAIN = {
    "£": "GBP ",
    "€": "EUR ",
    "–": "-",
    "—": "-",
    "‒": "-",
    "−": "-",
    "‐": "-",
    "‑": "-",
    "…": "...",
    "‘": "'",
    "’": "'",
    "‚": "'",
    "“": '"',
    "”": '"',
    "„": '"',
    "«": '"',
    "»": '"',
    "•": "*",
    "·": ".",
    "×": "x",
    "→": "->",
    "←": "<-",
    "≤": "<=",
    "≥": ">=",
    "\u00a0": " ",
    "\u202f": " ",
    "█": "#",
    "▓": "#",
    "▒": "=",
    "░": ".",
}
_ACROSS = set("─━═┄┅┈┉╌╍╴╶╸╺╼╾")
_DOWN = set("│┃║┆┇┊┋╎╏╵╷╹╻╽╿")


def plain(char: str) -> str:
    """The plain (ASCII) form of one character, or its escape when it has none."""
    if char in _PLAIN:
        return _PLAIN[char]
    code = ord(char)
    if code < 0x80:
        return char
    if 0x2500 <= code <= 0x257F:  # box drawing: one character for one, so tables keep their shape
        return "-" if char in _ACROSS else "|" if char in _DOWN else "+"
    if 0x2580 <= code <= 0x259F:
        return "#"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def _handler(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return "".join(plain(char) for char in chunk), error.end


codecs.register_error(ERRORS, _handler)


def encoding(stream: TextIO | None = None) -> str:
    return getattr(stream or sys.stdout, "encoding", None) or "utf-8"


def fits(text: str, stream: TextIO | None = None) -> str:
    """`text` as `stream` can show it: unchanged where it can, plain forms where it cannot."""
    name = encoding(stream)
    try:
        text.encode(name)
    except UnicodeEncodeError:
        return text.encode(name, ERRORS).decode(name)
    except LookupError:  # an encoding Python does not know: ASCII is safe
        return text.encode("ascii", ERRORS).decode("ascii")
    return text


def pound_sign(stream: TextIO | None = None) -> str:
    """`£`, or `GBP ` where the stream cannot show it."""
    return fits("£", stream)


@contextmanager
def for_people(stream: TextIO | None = None) -> Iterator[None]:
    """While text for `stream` is rendered, money takes the sign it can show (so that a
    table is laid out with `GBP ` rather than having it squeezed in afterwards)."""
    from loti_cli.core.money import SIGN

    token = SIGN.set(pound_sign(stream))
    try:
        yield
    finally:
        SIGN.reset(token)


def text(render: Callable[[], str], stream: TextIO | None = None) -> None:
    """Render text for a person and write it in what `stream` (stdout) can show."""
    out = stream or sys.stdout
    with for_people(out):
        rendered = render()
    out.write(fits(rendered, out))


def data(rendered: str, stream: TextIO | None = None) -> None:
    """Write a data format as UTF-8 bytes, whatever the stream's encoding."""
    out = stream or sys.stdout
    buffer = getattr(out, "buffer", None)
    if buffer is None:  # a text-only stream (a test's StringIO): it takes str
        out.write(rendered)
        return
    out.flush()
    buffer.write(rendered.encode("utf-8"))
    buffer.flush()


def output(render: Callable[[], str], *, for_a_person: bool) -> None:
    """`text` or `data`, by who reads the format."""
    if for_a_person:
        text(render)
    else:
        data(render())


def plain_streams() -> None:
    """Let standard output and error fall back to plain forms rather than fail, for any text
    written without `text` (a message that names an amount in pounds, say)."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None or encoding(stream).lower().replace("_", "-") in ("utf-8", "utf8"):
            continue
        try:
            reconfigure(errors=ERRORS)
        except (ValueError, OSError):  # pragma: no cover - a stream that cannot change
            continue
