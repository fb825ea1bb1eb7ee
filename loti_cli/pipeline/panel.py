"""The panel pack's content: a year's budget and its proposals' check results, gathered; pure.

`gather` takes what `budget_status` and `check_paths` computed and keeps what a
funding panel reads, in the order it reads it; the HTML and markdown reporters
only lay it out. Nothing here reads a file, prints or knows about a format.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from loti_cli.core.budget import BudgetStatus, PillarStatus
from loti_cli.core.findings import Finding, Severity
from loti_cli.core.money import Money
from loti_cli.core.monitoring import Monitor
from loti_cli.core.projects import Project
from loti_cli.pipeline.boroughs import Participation
from loti_cli.pipeline.check import CheckResult, ProposalResult
from loti_cli.pipeline.status import StatusResult

if TYPE_CHECKING:
    from loti_cli.pipeline.monitoring import MonitorResult
    from loti_cli.pipeline.ranking import Ranking


@dataclass(frozen=True, slots=True)
class Figure:
    """One summary figure of the budget."""

    key: str
    """A stable name for styling and tests, e.g. "remaining"."""
    label: str
    amount: Money
    note: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    """A line of the ledger's income or expenditure."""

    name: str
    kind: str
    """The income's kind, or the expenditure's status."""
    amount: Money
    pillar: str | None = None


@dataclass(frozen=True, slots=True)
class WaiverEntry:
    """An exception a funding panel granted to a proposal, as its file records it."""

    rule: str
    reason: str | None
    approved_by: str | None
    expires: date | None


@dataclass(frozen=True, slots=True)
class ProposalEntry:
    """One proposal file: what it asks for and what the check found."""

    path: str
    id: str | None
    title: str | None
    pillar: str | None
    area: str | None
    status: str | None
    requested: Money | None
    passed: bool
    findings: tuple[Finding, ...] = ()
    waivers: tuple[WaiverEntry, ...] = ()

    @property
    def name(self) -> str:
        """The id, or the file when the proposal has none (or cannot be read)."""
        return self.id or self.path

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.ERROR and not f.waived)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity is Severity.WARNING and not f.waived)

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.waived)

    @property
    def counts(self) -> str:
        """`1 error, 2 warnings, 1 waived`, or `no findings`."""
        parts = [
            _plural(count, word)
            for count, word in ((self.errors, "error"), (self.warnings, "warning"))
            if count
        ]
        if self.waived:
            parts.append(f"{self.waived} waived")
        return ", ".join(parts) or "no findings"


@dataclass(frozen=True, slots=True)
class PanelPack:
    """Everything on a panel pack, ready to lay out."""

    title: str
    ledger_path: str
    ledger_name: str | None
    financial_year: str | None
    as_of: date | None
    source: str | None
    prepared: date | None
    """The pack's date when one was given (it also decides which waivers have expired)."""
    figures: tuple[Figure, ...]
    income: tuple[Line, ...]
    expenditure: tuple[Line, ...]
    by_status: tuple[tuple[str, Money], ...]
    """Expenditure by status: estimated, committed, paid."""
    total_committed: Money
    pillars: tuple[PillarStatus, ...]
    proposals: tuple[ProposalEntry, ...]
    ledger_findings: tuple[Finding, ...]
    proposals_path: str | None = None
    """The proposals folder, as a user sees it; None when there is none."""
    other_years: tuple[str, ...] = ()
    """Files of proposals for other financial years, left out of the pack."""
    uncounted: tuple[Finding, ...] = ()
    """LB9: files that may be approved proposals of the year, which no figure counts."""
    participation: Participation | None = None
    """Who takes part in each approved proposal, with which role; None when not known."""
    delivery: tuple[Project, ...] = ()
    """The year's approved projects, as `loti projects` shows them at `delivery_day`."""
    delivery_day: date | None = None
    """The day the delivery section describes (the pack's date, else the end of the month
    of the latest actual, else of the ledger's as_of month)."""
    ranking: Ranking | None = None
    """A call's ranking by the panel's scores, when the pack is asked for one."""
    monitoring: Monitor | None = None
    """The month of the latest actual, when the year has actuals (loti budget monitor)."""
    actuals_path: str | None = None

    @property
    def passed(self) -> int:
        return sum(1 for entry in self.proposals if entry.passed)

    @property
    def failed(self) -> int:
        return len(self.proposals) - self.passed

    def figure(self, key: str) -> Figure:
        for figure in self.figures:
            if figure.key == key:
                return figure
        raise KeyError(key)


def gather(
    status: StatusResult,
    check: CheckResult | None = None,
    *,
    title: str | None = None,
    prepared: date | None = None,
    proposals_path: str | None = None,
    participation: Participation | None = None,
    delivery: tuple[date, list[Project]] | None = None,
    monitoring: MonitorResult | None = None,
) -> PanelPack:
    """The pack of a loaded budget status and (when there are proposals) their check result.

    Only proposals of the ledger's financial year are shown, and files that
    cannot be read (they belong to no year, and a panel should know of them);
    the files of other years are listed in `other_years`. `delivery` is the day and the
    approved projects of the delivery section (none when not given).
    """
    budget = status.status
    if budget is None:
        raise ValueError("the pack needs a loaded ledger; check StatusResult.loaded first")
    ledger = budget.ledger
    year = ledger.financial_year
    entries, other_years = _of_the_year(check, year)
    by_status = tuple((name, amount) for name, amount in budget.by_status.items())
    figures = _figures(budget, by_status)
    name = ledger.ledger or (f"budget {year}" if year else status.choice.display)
    return PanelPack(
        title=title if title is not None and title.strip() else f"Panel pack: {name}",
        ledger_path=status.choice.display,
        ledger_name=ledger.ledger,
        financial_year=year,
        as_of=ledger.as_of,
        source=ledger.source,
        prepared=prepared,
        figures=figures,
        income=tuple(Line(i.name, i.kind, i.amount) for i in ledger.income or ()),
        expenditure=tuple(
            Line(e.name, e.status, e.amount, e.pillar) for e in ledger.expenditure or ()
        ),
        by_status=by_status,
        total_committed=budget.total_committed,
        pillars=budget.pillars,
        proposals=tuple(entries),
        ledger_findings=tuple(_in_ledger_table(f, status.source.path) for f in status.findings),
        proposals_path=proposals_path,
        other_years=tuple(other_years),
        uncounted=tuple(status.uncounted),
        participation=participation,
        delivery=tuple(delivery[1]) if delivery is not None else (),
        delivery_day=delivery[0] if delivery is not None else None,
        monitoring=monitoring.report if monitoring is not None else None,
        actuals_path=monitoring.actuals_path if monitoring is not None else None,
    )


def _of_the_year(
    check: CheckResult | None, year: str | None
) -> tuple[list[ProposalEntry], list[str]]:
    """The checked proposals the pack shows (the year's, and files of no year), and the
    paths of those of other years."""
    entries: list[ProposalEntry] = []
    other_years: list[str] = []
    for result in check.results if check is not None else ():
        proposal = result.proposal
        if proposal is not None and proposal.financial_year not in (None, year):
            other_years.append(result.path)
            continue
        entries.append(_entry(result, strict=check.strict if check is not None else False))
    return entries, other_years


def _figures(budget: BudgetStatus, by_status: tuple[tuple[str, Money], ...]) -> tuple[Figure, ...]:
    """The budget's headline figures, in the order the pack shows them."""
    return (
        Figure("income", "Total income", budget.total_income),
        Figure(
            "recurring", "Recurring income", budget.recurring_income, "other than carry-forward"
        ),
        *(Figure(name, f"{name.capitalize()} expenditure", amount) for name, amount in by_status),
        Figure("total_committed", "Total committed", budget.total_committed, "whatever its status"),
        Figure("remaining", "Remaining", budget.remaining, "income less committed"),
        Figure("allocated", "Allocated to pillars", budget.total_allocated),
        Figure("unallocated", "Unallocated", budget.unallocated, "remaining less allocated"),
    )


def _in_ledger_table(finding: Finding, ledger: str) -> Finding:
    """A ledger finding placed in another file (LB9, in a proposal) names that file and its
    place in the message: the pack's table of ledger findings shows only a line."""
    if finding.path == ledger:
        return finding
    return replace(
        finding, message=f"{finding.location}: {finding.message}", line=None, column=None
    )


def _entry(result: ProposalResult, *, strict: bool) -> ProposalEntry:
    proposal = result.proposal
    findings = tuple(result.findings)
    passed = result.passed(strict=strict)
    if proposal is None:
        return ProposalEntry(result.path, None, None, None, None, None, None, passed, findings)
    return ProposalEntry(
        path=result.path,
        id=proposal.id,
        title=proposal.title,
        pillar=proposal.pillar,
        area=proposal.area,
        status=proposal.status,
        requested=proposal.requested,
        passed=passed,
        findings=findings,
        waivers=tuple(
            WaiverEntry(w.rule, w.reason, w.approved_by, w.expires) for w in proposal.waivers
        ),
    )


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def long_date(day: date) -> str:
    """`31 July 2020`, the same in every locale."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
