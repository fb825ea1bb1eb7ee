"""Findings: what a check found, where, and how serious it is."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

Loc = tuple[str | int, ...]
"""A path into a YAML document: keys and list indexes, as pydantic reports them."""


_BREAKS = re.compile(r"[\r\n\t\v\f\x85\u2028\u2029]+")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")


def one_line(text: object) -> str:
    """Text from a file as one printable line.

    Line breaks become spaces, so that a title or message cannot forge a finding
    line of its own; other control characters (an escape sequence that would
    recolour or clear the terminal) are shown as `\\x1b` rather than obeyed.
    """
    value = _BREAKS.sub(" ", "" if text is None else str(text))
    return _CONTROL.sub(lambda match: f"\\x{ord(match[0]):02x}", value)


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
