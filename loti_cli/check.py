"""The proposal-check pipeline: load proposals and their ledgers, run the rules, apply waivers."""

from __future__ import annotations

from dataclasses import dataclass, field

from loti_cli.findings import Finding, Severity
from loti_cli.model import Proposal


@dataclass(slots=True)
class ProposalResult:
    """One proposal file and its findings (an unreadable file has `proposal` None and an IN1)."""

    path: str
    proposal: Proposal | None
    findings: list[Finding] = field(default_factory=list)

    def passed(self, *, strict: bool = False) -> bool:
        return not any(f.fails or (strict and not f.waived) for f in self.findings)


@dataclass(slots=True)
class Summary:
    proposals: int
    passed: int
    failed: int
    errors: int
    warnings: int
    waived: int


@dataclass(slots=True)
class CheckResult:
    """Everything `loti proposal check` found, for the reporters to write."""

    ledger: str | None
    """The ledger used (display path); None when no proposal could be matched to one."""
    results: list[ProposalResult]
    strict: bool = False

    def summary(self) -> Summary:
        findings = [f for r in self.results for f in r.findings]
        passed = sum(1 for r in self.results if r.passed(strict=self.strict))
        return Summary(
            proposals=len(self.results),
            passed=passed,
            failed=len(self.results) - passed,
            errors=sum(1 for f in findings if f.severity is Severity.ERROR and not f.waived),
            warnings=sum(1 for f in findings if f.severity is Severity.WARNING and not f.waived),
            waived=sum(1 for f in findings if f.waived),
        )

    @property
    def failed(self) -> bool:
        return any(not r.passed(strict=self.strict) for r in self.results)
