"""What a rule is: a stable code and name, a default severity, an explanation, and a check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from loti_cli.core.findings import Hit, Severity

C = TypeVar("C")


@dataclass(frozen=True, slots=True)
class Rule(Generic[C]):
    """One check, as `loti rules` lists it and as findings name it.

    `check` reads a context (a ledger's budget status, or one proposal with its
    ledger and portfolio) and yields Hits; it never reads files or prints.
    """

    code: str
    name: str
    severity: Severity
    summary: str
    """One line for `loti rules`."""
    explanation: str
    """What it checks, why (in the strategy's words) and how to fix it."""
    passing: str
    """An example that passes, shown by `loti rules CODE`: YAML whose keys take the place of
    the same keys of a valid file (tests/test_rule_examples.py checks it)."""
    failing: str
    """An example that fails: the line of its finding ends `# CODE: part of the message`."""
    check: Callable[[C], Iterable[Hit]] | None = None
    """None for rules that loading reports (invalid YAML, invalid fields)."""
    waivable: bool = True
    subject: str = "proposal"
    """What the rule reads: "proposal", "ledger", "monitoring" (the year's actuals against its
    budget), "scores" (a call's scores file), "360giving" (the export's grants), "boroughs"
    (the members' statements) or "import" (a finance system's export of actual spend, and its
    import rules)."""
    across: bool = False
    """It looks across the portfolio (the budget, other files), so it runs once every file
    is loaded; the others judge one file alone, as soon as it is read."""
    closing: bool = False
    """A closure rule (CL): reported only by `loti proposal close` and `proposal check
    --closing`, as it asks what a project needs only once it ends."""

    @property
    def kind(self) -> str:
        """`GV1 (grant-title-length) is a 360Giving export check, which loti export 360giving
        reports`: what kind of rule it is, for a message that refuses it somewhere else."""
        kind, command = _SUBJECTS.get(self.subject, (f"a {self.subject} rule", "loti rules"))
        return f"{self.code} ({self.name}) is {kind}, which {command} reports"


_SUBJECTS = {
    "proposal": ("a proposal rule", "loti proposal check"),
    "ledger": ("a ledger rule", "loti budget status"),
    "monitoring": ("a monitoring check", "loti budget monitor"),
    "360giving": ("a 360Giving export check", "loti export 360giving"),
    "scores": ("a scores rule", "loti proposal rank"),
    "boroughs": ("a borough statements check", "loti report boroughs"),
    "import": ("an import check", "loti actuals import"),
}
"""Each subject's kind of rule, and the command whose run reports it."""
