"""Where the actuals go (lines, approved proposals, unmatched) and the findings MN1 to MN6 about
them, each placed in the ledger, the proposal file or the actuals file."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from loti_cli.core.actuals import Actual
from loti_cli.core.entry import Entry
from loti_cli.core.findings import Finding, Hit
from loti_cli.core.model import Ledger
from loti_cli.core.money import Money, format_money
from loti_cli.core.monitoring import Monitor, Row
from loti_cli.core.period import MONTHS, Period
from loti_cli.core.suggest import did_you_mean
from loti_cli.pipeline.status import StatusResult
from loti_cli.rules.base import Rule
from loti_cli.rules.monitoring import MN1, MN2, MN3, MN4, MN5


@dataclass(slots=True)
class Unplaced:
    """Actuals to date that one reason keeps out of every line and proposal."""

    first: Actual
    count: int = 0
    amount: Decimal = Decimal(0)


@dataclass(slots=True)
class Spend:
    """The actuals to the period's end, summed where they belong (one pass over the rows)."""

    by_line: dict[str, Money] = field(default_factory=dict)
    by_proposal: dict[str, Money] = field(default_factory=dict)
    counted: dict[str, int] = field(default_factory=dict)
    """How many actuals each line has."""
    unmatched: Money = field(default_factory=Money)
    unmatched_count: int = 0
    monthly: list[Decimal] = field(default_factory=lambda: [Decimal(0)] * MONTHS)
    """Every actual to date, by month of the year."""
    no_target: Unplaced | None = None
    unknown_lines: dict[str, Unplaced] = field(default_factory=dict)
    not_approved: dict[str, Unplaced] = field(default_factory=dict)

    @classmethod
    def of(
        cls, rows: Iterable[Actual], period: Period, ledger: Ledger, approved: Sequence[Entry]
    ) -> Spend:
        """One pass over the rows, summed by (line, proposal); then each sum put in its place."""
        end = period.end
        monthly = [Decimal(0)] * MONTHS
        sums: dict[tuple[str, str], list[Any]] = {}
        for row in rows:
            day = row.date
            if day > end:
                continue
            amount = row.amount.amount
            monthly[(day.month - 4) % MONTHS] += amount  # April is month 1
            key = (row.line, row.proposal)
            found = sums.get(key)
            if found is None:
                sums[key] = [amount, 1, row]
            else:
                found[0] += amount
                found[1] += 1
        spend = cls(monthly=monthly)
        lines = {line.name for line in ledger.expenditure or ()}
        proposals = {entry.id for entry in approved if entry.id}
        for (line, proposal), (amount, count, first) in sorted(
            sums.items(), key=lambda item: item[1][2].at
        ):
            spend.place(line, proposal, Unplaced(first, count, amount), lines, proposals)
        return spend

    def place(
        self, line: str, proposal: str, sum_: Unplaced, lines: set[str], proposals: set[str]
    ) -> None:
        """Put the sum of the actuals naming (line, proposal) where it belongs."""
        total = Money(sum_.amount)
        if proposal and proposal in proposals:
            self.by_proposal[proposal] = self.by_proposal.get(proposal, Money(0)) + total
            return
        if not proposal and line in lines:
            self.by_line[line] = self.by_line.get(line, Money(0)) + total
            self.counted[line] = self.counted.get(line, 0) + sum_.count
            return
        if proposal:
            _merge(self.not_approved, proposal, sum_)
        elif line:
            _merge(self.unknown_lines, line, sum_)
        elif self.no_target is None:
            self.no_target = sum_
        else:
            self.no_target = _joined(self.no_target, sum_)
        self.unmatched = self.unmatched + total
        self.unmatched_count += sum_.count


def _joined(one: Unplaced, other: Unplaced) -> Unplaced:
    """Two sums as one, its first row the earlier in the file."""
    first = one.first if one.first.at <= other.first.at else other.first
    return Unplaced(first, one.count + other.count, one.amount + other.amount)


def _merge(into: dict[str, Unplaced], key: str, sum_: Unplaced) -> None:
    earlier = into.get(key)
    into[key] = sum_ if earlier is None else _joined(earlier, sum_)


def _actuals(rows: int, amount: Decimal, to_date: str) -> str:
    """`3 actuals (£1,240) to 2020-09-30 name`: the start of a sentence about them."""
    many = rows != 1
    return (
        f"{rows} actual{'s' if many else ''} ({format_money(Money(amount))}) {to_date} "
        f"name{'' if many else 's'}"
    )


def monitor_findings(
    status: StatusResult, report: Monitor, approved: Sequence[Entry], spend: Spend, actuals: str
) -> list[Finding]:
    """MN1 to MN5 of the month's report (MN6 stops the run before there is one)."""
    found = [*_in_the_ledger(status, report, spend), *_in_proposals(report, approved)]
    found.extend(_in_the_actuals(status, spend, actuals, report.period))
    return found


def _at(rule: Rule[object], path: str, row: Actual, message: str) -> Finding:
    return Finding(rule.code, rule.name, rule.severity, message, path, row.at, 1)


def _in_the_actuals(
    status: StatusResult, spend: Spend, path: str, period: Period
) -> Iterable[Finding]:
    to_date = f"to {period.end.isoformat()}"
    if spend.no_target is not None:
        lost = spend.no_target
        yield _at(
            MN2,
            path,
            lost.first,
            f"{_actuals(lost.count, lost.amount, to_date)} no line or proposal, the "
            "first on this line; they are counted as Unmatched: add an import rule that "
            "matches them, delete their rows from this file and import again, or fill in "
            "their line",
        )
    budget = status.status
    assert budget is not None
    names = [line.name for line in budget.ledger.expenditure or ()]
    for name, lost in spend.unknown_lines.items():
        yield _at(
            MN2,
            path,
            lost.first,
            f"{_actuals(lost.count, lost.amount, to_date)} the line '{name}', which the "
            f"ledger does not have{did_you_mean(name, names)}; they are counted as Unmatched",
        )
    statuses = {
        entry.id: entry for analysis in status.proposals if (entry := analysis.entry) is not None
    }
    year = budget.ledger.financial_year
    for ident, lost in spend.not_approved.items():
        entry = statuses.get(ident)
        tail = "; money is spent on a proposal once a panel approves it (counted as Unmatched)"
        if entry is None:
            why = "no proposal in the proposals folder has this id"
            tail += did_you_mean(ident, [key for key in statuses if key])
        elif entry.financial_year != year:
            why = f"it is a proposal of {entry.financial_year}, not {year}"
        elif entry.status == "approved":  # approved, but LB9: no figure can count it
            why = f"{ident} is approved, but no figure counts it (LB9 at {entry.path} says why)"
            tail = "; its spend is counted as Unmatched until the proposal is corrected"
        else:
            why = f"{ident} is {entry.status or 'of no status'}, not approved"
        yield _at(
            MN4,
            path,
            lost.first,
            f"{_actuals(lost.count, lost.amount, to_date)} proposal '{ident}': {why}{tail}",
        )


def _in_the_ledger(status: StatusResult, report: Monitor, spend: Spend) -> Iterable[Finding]:
    budget = status.status
    assert budget is not None
    source = status.source
    lines = budget.ledger.expenditure or ()
    named: set[str] = set()  # the actuals of a name are the first line's of that name
    for index, (line, row) in enumerate(zip(lines, report.ledger_lines, strict=True)):
        amount: tuple[str | int, ...] = ("expenditure", index, "amount")
        if row.actual_to_date > row.budget:
            yield source.place(MN1.code, MN1.name, MN1.severity, Hit(_over(row), amount))
        has_actuals = line.name not in named and bool(spend.counted.get(line.name))
        named.add(line.name)
        if line.status == "paid" and has_actuals and row.actual_to_date != row.budget:
            message = (
                f"'{row.name}' is paid at {format_money(row.budget)} but its actuals to date add "
                f"up to {format_money(row.actual_to_date)}; correct the amount, the status or "
                "the actuals"
            )
            yield source.place(MN3.code, MN3.name, MN3.severity, Hit(message, amount))
        if row.rag == "red":
            where = ("expenditure", index, "forecast" if line.forecast is not None else "amount")
            yield source.place(MN5.code, MN5.name, MN5.severity, Hit(_red(row, report), where))


def _in_proposals(report: Monitor, approved: Sequence[Entry]) -> Iterable[Finding]:
    requested = ("budget", "requested")
    for entry, row in zip(approved, report.proposals, strict=True):
        if row.actual_to_date > row.budget:
            yield entry.place(MN1.code, MN1.name, MN1.severity, Hit(_over(row), requested))
        if row.rag == "red":
            yield entry.place(MN5.code, MN5.name, MN5.severity, Hit(_red(row, report), requested))


def _over(row: Row) -> str:
    return (
        f"'{row.name}' has spent {format_money(row.actual_to_date)} to date, "
        f"{format_money(row.actual_to_date - row.budget)} more than its budget of "
        f"{format_money(row.budget)}; raise the budget or correct the actuals"
    )


def _red(row: Row, report: Monitor) -> str:
    from loti_cli.io.load import percent

    share = f" ({row.variance_pct}%)" if row.variance_pct is not None else ""
    return (
        f"'{row.name}' is red: its forecast outturn {format_money(row.forecast_outturn)} is "
        f"{format_money(row.variance)}{share} over its budget of {format_money(row.budget)} "
        f"(red from {percent(report.red)}); act on it or revise the budget"
    )
