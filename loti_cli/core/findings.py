"""Findings: what a check found, where, and how serious it is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

Loc = tuple[str | int, ...]
"""A path into a YAML document: keys and list indexes, as pydantic reports them."""


_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")
_HIDDEN = re.compile(
    # C0 controls but tab, LF and CR; DEL and C1; \v, \f, NEL and the Unicode line and
    # paragraph separators; then every format character (Unicode category Cf): the bidi
    # embeddings, overrides, isolates and marks (U+202A-202E, U+2066-2069, U+200E,
    # U+200F, U+061C), zero-width space, joiners and no-break (U+200B-200D, U+2060,
    # U+FEFF), the soft hyphen and the invisible tag characters.
    r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029"
    r"\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
    r"\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
    r"\U000e0020-\U000e007f]"
)


def _shown(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def visible(text: str) -> str:
    """Text with every character a terminal would obey or hide shown as an escape instead.

    An escape sequence that would recolour or clear the terminal shows as `\\x1b`; a
    bidi override that would reorder what a reader sees, or a zero-width character
    that would hide a difference, shows as `\\u202e` or `\\u200b`. Tab, LF and CR are
    left to the caller (a line of its own, or an encoding of its format).
    """
    return _HIDDEN.sub(_shown, text)


def one_line(text: object) -> str:
    """Text from a file as one printable line.

    Line breaks become spaces, so that a title or message cannot forge a finding
    line of its own; every other character a terminal would obey or hide is shown
    as an escape (see `visible`).
    """
    return visible(_BREAKS.sub(" ", "" if text is None else str(text)))


class Severity(StrEnum):
    """How serious a finding is; only unwaived errors fail a run (warnings with --strict)."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True)
class Hit:
    """What a rule reports before it is placed in a file: a message and where in the data."""

    message: str
    loc: Loc = ()
    severity: Severity | None = None
    """None means the rule's default severity."""
    at_key: bool = False
    """Point at the key of `loc` rather than its value (for unknown or misplaced keys)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """A rule's finding, placed at `path:line:column` (1-based)."""

    code: str
    rule: str
    severity: Severity
    message: str
    path: str
    line: int | None = None
    column: int | None = None
    waived: bool = False
    waiver_reason: str | None = field(default=None, compare=False)

    @property
    def location(self) -> str:
        """`path:line:column`, or as much of it as is known."""
        parts = [self.path]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)

    @property
    def fails(self) -> bool:
        """True when this finding alone makes the run fail (an unwaived error)."""
        return self.severity is Severity.ERROR and not self.waived

    def as_waived(self, reason: str) -> Finding:
        return replace(self, waived=True, waiver_reason=reason)

    def __str__(self) -> str:
        waived = " (waived)" if self.waived else ""
        return f"{one_line(self.location)}: {self.code} {one_line(self.message)}{waived}"


def sort_key(finding: Finding) -> tuple[str, int, int, str]:
    """Order findings as a reader of the file would meet them."""
    return (finding.path, finding.line or 0, finding.column or 0, finding.code)


def fails(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    """Whether these findings fail a run: any unwaived error, or with `strict` any unwaived one."""
    return any(f.fails or (strict and not f.waived) for f in findings)
