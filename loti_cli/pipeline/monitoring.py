"""The budget-monitor pipeline: a year's budget status and its actuals to the month's report,
with its findings (MN1 to MN6); nothing printed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from loti_cli.core.actuals import Actual
from loti_cli.core.budget import BudgetStatus
from loti_cli.core.entry import Entry
from loti_cli.core.findings import Finding, sort_key
from loti_cli.core.model import Ledger
from loti_cli.core.money import Money, total
from loti_cli.core.monitoring import (
    Monitor,
    Row,
    profile_to_date,
    row_of,
    totals,
    unmatched_row,
)
from loti_cli.core.period import MONTHS, Period, first_day, month_of, month_period
from loti_cli.io.actuals_file import ActualsFile, outside_year
from loti_cli.pipeline.monitor_findings import Spend, monitor_findings
from loti_cli.pipeline.status import StatusResult


@dataclass(frozen=True, slots=True)
class PeriodChoice:
    """What the command line asked for: --period YYYY-MM, --as-of YYYY-MM-DD, or neither."""

    period: str | None = None
    as_of: date | None = None


class PeriodError(ValueError):
    """A period the command line asked for that is not a month of the year (exit 2)."""


@dataclass(slots=True)
class MonitorResult:
    """The month's report with its findings, or the problems with the actuals that stop it."""

    status: StatusResult
    actuals_path: str
    report: Monitor | None = None
    findings: list[Finding] = field(default_factory=list)
    invalid: list[Finding] = field(default_factory=list)
    """MN6: the actuals file is not valid; no figure is made."""
    note: str | None = None
    """How the period was chosen when no actual could say (for standard error)."""

    @property
    def uncounted(self) -> list[Finding]:
        return self.status.uncounted


def monitor(status: StatusResult, actuals: ActualsFile, choice: PeriodChoice) -> MonitorResult:
    """The month's report of a loaded budget status and its (read) actuals file."""
    budget = status.status
    assert budget is not None, "only a loaded ledger is monitored"
    ledger = budget.ledger
    year = ledger.financial_year
    assert year is not None
    result = MonitorResult(status, _actuals_shown(actuals))
    invalid = [*actuals.findings, *outside_year(actuals.rows, year, result.actuals_path)]
    if invalid:
        result.invalid = sorted(invalid, key=sort_key)
        return result
    period, result.note = choose_period(year, choice, actuals.rows, ledger, result.actuals_path)
    approved = approved_entries(status)
    spend = Spend.of(actuals.rows, period, ledger, approved)
    result.report = build(budget, period, approved, spend)
    result.findings = monitor_findings(status, result.report, approved, spend, result.actuals_path)
    result.findings.extend(status.uncounted)
    result.findings.sort(key=sort_key)
    return result


def _actuals_shown(actuals: ActualsFile) -> str:
    from loti_cli.io.resolve import display_path

    return display_path(actuals.path)


def approved_entries(status: StatusResult) -> list[Entry]:
    """The approved proposals the budget counts: of the year, with an allocated pillar and an
    amount (the others are LB9's, and fail the run)."""
    budget = status.status
    assert budget is not None
    ledger = budget.ledger
    pillars = {allocation.pillar for allocation in ledger.allocations or ()}
    entries = [analysis.entry for analysis in status.proposals if analysis.entry is not None]
    return [
        entry
        for entry in entries
        if entry.status == "approved"
        and entry.financial_year == ledger.financial_year
        and entry.pillar in pillars
        and entry.requested is not None
    ]


def choose_period(
    year: str, choice: PeriodChoice, rows: Sequence[Actual], ledger: Ledger, actuals: str
) -> tuple[Period, str | None]:
    """The period asked for; else the month of the latest actual; else (with a note) the month
    of the ledger's as_of, or April when that is not in the year either."""
    if choice.as_of is not None:
        month = month_of(choice.as_of, year)
        if month is None:
            raise PeriodError(_outside(f"--as-of {choice.as_of.isoformat()}", year))
        return Period(year, month, choice.as_of), None
    if choice.period is not None:
        return _asked(year, choice.period), None
    if rows:
        latest = max(row.date for row in rows)
        month = month_of(latest, year)
        assert month is not None, "actuals outside the year stop the run first"
        return month_period(year, month), None
    as_of = ledger.as_of
    month = month_of(as_of, year) if as_of is not None else None
    why = f"no actuals in {actuals}"
    if month is not None and as_of is not None:
        period = month_period(year, month)
        return period, f"{why}; the period is {period.label} ({period.name}), the ledger's as_of"
    period = month_period(year, 1)
    return period, f"{why} and no as_of in the year; the period is {period.label} ({period.name})"


def _asked(year: str, text: str) -> Period:
    match = re.fullmatch(r"([0-9]{4})-([0-9]{2})", text.strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        raise PeriodError(f"--period {text} is not a month; write it as YYYY-MM, e.g. 2020-09")
    try:
        month = month_of(date(int(match[1]), int(match[2]), 1), year)
    except ValueError:  # year 0: no date at all
        month = None
    if month is None:
        raise PeriodError(_outside(f"--period {text}", year))
    return month_period(year, month)


def _outside(what: str, year: str) -> str:
    start, end = first_day(year, 1), first_day(year, MONTHS)
    return (
        f"{what} is outside the financial year {year}, which runs from April {start.year} "
        f"(month 1, --period {start:%Y-%m}) to March {end.year} (month 12, --period {end:%Y-%m})"
    )


def build(budget: BudgetStatus, period: Period, approved: Sequence[Entry], spend: Spend) -> Monitor:
    """Every row and total of the month's report."""
    ledger = budget.ledger
    thresholds = ledger.monitoring.thresholds if ledger.monitoring else _defaults()
    rows: list[Row] = []
    # Actuals name a line or proposal: when two have one name (or id), the first has them.
    claimed: set[tuple[str, str]] = set()
    for line in ledger.expenditure or ():
        actual = _claim(spend.by_line, ("line", line.name), claimed)
        profile = profile_to_date(line.amount, line.profile, period.month)
        rows.append(
            row_of(
                line.name,
                "line",
                line.pillar,
                line.amount,
                profile,
                actual,
                line.forecast,
                thresholds,
            )
        )
    for entry in approved:
        assert entry.requested is not None
        actual = _claim(spend.by_proposal, ("proposal", entry.id or ""), claimed)
        first = month_of(entry.panel, period.financial_year) if entry.panel else None
        profile = profile_to_date(entry.requested, None, period.month, first or 1)
        name = entry.id or entry.path
        rows.append(
            row_of(
                name, "proposal", entry.pillar, entry.requested, profile, actual, None, thresholds
            )
        )
    unmatched = unmatched_row(spend.unmatched)
    pillars = [pillar.pillar for pillar in budget.pillars]
    by_pillar, lines_total, proposals_total, everything = totals(rows, unmatched, pillars)
    approved_total = total(pillar.approved for pillar in budget.pillars)
    return Monitor(
        period=period,
        lines=tuple(rows),
        unmatched=unmatched,
        unmatched_count=spend.unmatched_count,
        pillars=by_pillar,
        lines_total=lines_total,
        proposals_total=proposals_total,
        total=everything,
        total_income=budget.total_income,
        planned_unspent=budget.remaining - approved_total,
        amber=thresholds[0],
        red=thresholds[1],
        cumulative=_cumulative(ledger, approved, spend, period),
    )


def _claim(sums: dict[str, Money], key: tuple[str, str], claimed: set[tuple[str, str]]) -> Money:
    """The actuals of a name, for the first row with that name; nothing for another."""
    if key in claimed:
        return Money(0)
    claimed.add(key)
    return sums.get(key[1], Money(0))


def _defaults() -> tuple[Decimal, Decimal]:
    from loti_cli.core.model import Monitoring

    return Monitoring().thresholds


def _cumulative(
    ledger: Ledger, approved: Sequence[Entry], spend: Spend, period: Period
) -> tuple[tuple[Money, Money | None], ...]:
    """Month by month: the cumulative profile of every line and approved proposal over the
    year, and the cumulative actual spend (every actual, matched or not) up to the period."""
    year = period.financial_year
    found: list[tuple[Money, Money | None]] = []
    actual = Decimal(0)
    for month in range(1, MONTHS + 1):
        planned = [
            profile_to_date(line.amount, line.profile, month) for line in ledger.expenditure or ()
        ]
        for entry in approved:
            assert entry.requested is not None
            first = month_of(entry.panel, year) if entry.panel else None
            planned.append(profile_to_date(entry.requested, None, month, first or 1))
        actual += spend.monthly[month - 1]
        found.append((total(planned), Money(actual) if month <= period.month else None))
    return tuple(found)


def for_the_pack(status: StatusResult, actuals: ActualsFile) -> MonitorResult | None:
    """The month of the latest actual, for the panel pack; None when the year has no actuals."""
    if not actuals.rows:
        return None
    return monitor(status, actuals, PeriodChoice())
