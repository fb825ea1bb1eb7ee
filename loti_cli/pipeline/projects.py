"""The `loti projects` pipeline: the year's approved projects at a period's end; nothing printed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from loti_cli.core.actuals import Actual, spent_by_proposal
from loti_cli.core.findings import Finding
from loti_cli.core.money import ZERO
from loti_cli.core.period import default_month, last_day, parse_period
from loti_cli.core.projects import Project, project
from loti_cli.errors import LotiError
from loti_cli.io.resolve import LedgerChoice, choose_ledger, display_path
from loti_cli.pipeline.status import StatusResult, budget_status
from loti_cli.pipeline.workspace import Workspace


@dataclass(slots=True)
class ProjectsResult:
    """The year's approved projects at the end of `month`, with the findings of the run."""

    choice: LedgerChoice
    financial_year: str
    month: int
    end: date
    projects: list[Project] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    """LB9: proposal files that may be approved projects of the year but cannot be read."""
    actuals: str | None = None
    """The actuals file the spend comes from (None: the year has none, so nothing is spent)."""

    @property
    def uncounted(self) -> list[Finding]:
        return [finding for finding in self.findings if finding.code == "LB9"]


def projects_report(
    *,
    ledger: Path | None = None,
    year: str | None = None,
    proposals: Path | None = None,
    period: str | None = None,
    today: date | None = None,
) -> ProjectsResult:
    """Every approved proposal of the ledger's year at the end of the period (default: the
    month of the latest actual; with no actuals, the ledger's `as_of` month)."""
    choice = choose_ledger(ledger, year)
    workspace = Workspace.open(ledger=ledger, proposals=proposals)
    status = budget_status(choice, workspace.counted(), book=workspace.book)
    financial_year = _year(status, choice, year)
    actuals = workspace.trusted_actuals(choice.path)
    month, end, found = projects_at(status, actuals.rows, period=period, today=today)
    result = ProjectsResult(choice, financial_year, month, end, found, list(status.uncounted))
    result.actuals = display_path(actuals.path) if actuals.exists else None
    return result


def projects_at(
    status: StatusResult,
    rows: Sequence[Actual],
    *,
    period: str | None = None,
    day: date | None = None,
    today: date | None = None,
) -> tuple[int, date, list[Project]]:
    """The approved projects of a loaded budget's year at the end of the period (default: the
    month of the latest actual, else the ledger's `as_of` month), or at `day` when given:
    the month, the day they are judged at, and the projects by id."""
    assert status.status is not None, "a loaded budget"
    ledger = status.status.ledger
    financial_year = ledger.financial_year or ""
    if day is not None:
        month = default_month(financial_year, day, None, day)
    elif period is not None:
        try:
            month = parse_period(financial_year, period)
        except ValueError as error:
            raise LotiError(f"--period {error}") from None
    else:
        latest = max((row.date for row in rows), default=None)
        month = default_month(financial_year, latest, ledger.as_of, _today(today))
    end = day if day is not None else last_day(financial_year, month)
    approved = [
        analysis.entry
        for analysis in status.proposals
        if analysis.entry is not None
        and analysis.entry.status == "approved"
        and analysis.entry.financial_year == financial_year
    ]
    spent = spent_by_proposal(rows, end)
    found = [
        project(entry, spent.get(entry.id or "", ZERO), end)
        for entry in sorted(approved, key=lambda entry: (entry.id or entry.path).casefold())
    ]
    return month, end, found


def _today(today: date | None) -> date:
    return today if today is not None else date.today()


def _year(status: StatusResult, choice: LedgerChoice, year: str | None) -> str:
    if not status.loaded or status.status is None:
        count = len(status.findings)
        raise LotiError(
            f"the ledger {choice.description} cannot be loaded:",
            details=(
                *(str(finding) for finding in status.findings),
                f"{count} problem{'s' if count != 1 else ''}; fix them and run again",
            ),
        )
    found = status.status.ledger.financial_year
    if found is None:  # pragma: no cover - a loaded ledger has its year
        raise LotiError(f"the ledger {choice.display} names no financial_year")
    if year is not None and found != year:
        raise LotiError(f"--year {year} but the ledger {choice.display} is for {found}")
    return found
