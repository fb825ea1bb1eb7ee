"""Every rule's code, name, severity, summary and explanation, from a file written from the
rules' registry.

`loti rules` (listing the rules or explaining one) and shell completion read
`loti_cli/data/rules.tsv`; importing the registry (every rule module and all they
use) takes longer than all else loti does for a TAB press. The file records a checksum of the
sources in `loti_cli/rules/`; when they have changed since it was written, the
registry is used, so that what is listed is always the rules as they are. The
tests keep the file current (`LOTI_UPDATE_GOLDEN=1` rewrites it).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Protocol

import loti_cli

PACKAGE = Path(loti_cli.__file__).parent
PATH = PACKAGE / "data" / "rules.tsv"
COLUMNS = (
    "code",
    "name",
    "severity",
    "subject",
    "waivable",
    "closing",
    "summary",
    "explanation",
    "passing",
    "failing",
)
HEADER = (
    "# Every rule as `loti rules` lists it, written from loti_cli/rules/ by the tests;\n"
    "# do not edit: run `LOTI_UPDATE_GOLDEN=1 uv run pytest tests/test_startup.py`.\n"
)


class Facts(Protocol):
    """What is listed of a rule: a registry's Rule, or an Entry of the file."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def subject(self) -> str: ...
    @property
    def waivable(self) -> bool: ...
    @property
    def closing(self) -> bool: ...
    @property
    def summary(self) -> str: ...


class Explained(Facts, Protocol):
    """What `loti rules CODE` says of a rule: its facts, explanation and examples."""

    @property
    def explanation(self) -> str: ...
    @property
    def passing(self) -> str: ...
    @property
    def failing(self) -> str: ...


class Entry:
    """One rule as the file records it."""

    __slots__ = COLUMNS

    def __init__(
        self,
        code: str,
        name: str,
        severity: str,
        subject: str,
        waivable: bool,
        closing: bool,
        summary: str,
        explanation: str,
        passing: str,
        failing: str,
    ) -> None:
        self.code = code
        self.name = name
        self.severity = severity
        self.subject = subject
        self.waivable = waivable
        self.closing = closing
        self.summary = summary
        self.explanation = explanation
        self.passing = passing
        self.failing = failing


def rules() -> Sequence[Facts]:
    """Every rule in the registry's order: from the file when it is current, else the registry."""
    entries = read()
    if entries is not None:
        return entries
    from loti_cli.rules import RULES

    return RULES


def find(code_or_name: str) -> Explained | None:
    """A rule by its code (`FP2`, any case) or its name, as the registry's find_rule finds
    it: from the file when it is current, else the registry."""
    entries = read()
    if entries is None:
        from loti_cli.rules import find_rule

        return find_rule(code_or_name)
    wanted = code_or_name.strip().casefold()
    return next((e for e in entries if wanted in (e.code.casefold(), e.name.casefold())), None)


def checksum() -> str:
    """A checksum of every source file in `loti_cli/rules/`, by name and content."""
    value = 0
    for path in sorted((PACKAGE / "rules").glob("*.py")):
        value = zlib.crc32(path.read_bytes(), zlib.crc32(path.name.encode(), value))
    return f"{value:08x}"


def read(path: Path | None = None) -> list[Entry] | None:
    """The rules the file (PATH) lists, or None when it is missing, malformed or not current."""
    try:
        lines = (path or PATH).read_text(encoding="utf-8").removesuffix("\n").split("\n")
        source, header, *rows = (line for line in lines if not line.startswith("# "))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if source != f"source\t{checksum()}" or header != "\t".join(COLUMNS):
        return None
    entries = []
    for row in rows:
        fields = row.split("\t")
        if len(fields) != len(COLUMNS) or not {fields[4], fields[5]} <= {"yes", "no"}:
            return None
        code, name, severity, subject, waivable, closing, summary, *told = fields
        explanation, passing, failing = (_unescape(text) for text in told)
        entries.append(
            Entry(
                *(code, name, severity, subject, waivable == "yes", closing == "yes", summary),
                *(explanation, passing, failing),
            )
        )
    return entries


_ESCAPES = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPES = {"\\": "\\", "n": "\n", "r": "\r", "t": "\t"}


def _escape(text: str) -> str:
    """One line of the file: a backslash, line break or tab written as \\, \\n, \\r, \\t."""
    return "".join(_ESCAPES.get(char, char) for char in text)


def _unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        out.append(_UNESCAPES.get(next(chars, ""), "") if char == "\\" else char)
    return "".join(out)


def write(registry: Iterable[Explained]) -> str:
    """The file's text for these rules (the registry's, as they are now)."""
    rows = [f"source\t{checksum()}", "\t".join(COLUMNS)]
    for rule in registry:
        fields = [rule.code, rule.name, str(rule.severity), rule.subject]
        fields += ["yes" if rule.waivable else "no", "yes" if rule.closing else "no"]
        fields.append(rule.summary)
        if any("\t" in field or "\n" in field or "\r" in field for field in fields):
            raise ValueError(f"{rule.code}: a tab or line break cannot be written to {PATH.name}")
        fields += [_escape(rule.explanation), _escape(rule.passing), _escape(rule.failing)]
        rows.append("\t".join(fields))
    return HEADER + "\n".join(rows) + "\n"
