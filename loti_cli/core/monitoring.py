"""Budget monitoring's arithmetic: profiles, variances, RAG and totals; pure and exact.

Sums are exact Decimal sums. A figure made by division (an even profile, a variance
percentage) is computed exactly as a fraction and rounded once, half up, to the penny
or to one decimal place.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from loti_cli.core.money import ZERO, Money, total
from loti_cli.core.period import MONTHS, Period

PENNY = Decimal("0.01")
TENTH = Decimal("0.1")
RAGS = ("green", "amber", "red")


def divide(numerator: Decimal | int, denominator: Decimal | int, places: Decimal) -> Decimal:
    """numerator / denominator rounded once, half up (away from zero), to `places`."""
    exact = Fraction(numerator) / Fraction(denominator) / Fraction(places)
    whole = int(abs(exact) + Fraction(1, 2))
    return Decimal(-whole if exact < 0 else whole) * places


# ---------------------------------------------------------------------------
# one row's figures


def profile_to_date(
    amount: Money, profile: str | tuple[Money, ...] | None, months: int, first: int = 1
) -> Money:
    """What the plan expects spent by the end of month `months`.

    Twelve monthly amounts: the sum of the first `months`. Even (None or "even"): the
    amount spread evenly over months `first` to 12 (a proposal approved in month 7 is
    spread over months 7 to 12), rounded once to the penny.
    """
    months = max(0, min(months, MONTHS))
    if isinstance(profile, tuple):
        return total(profile[:months])
    elapsed = max(0, months - first + 1)
    span = MONTHS - first + 1
    if elapsed >= span:
        return amount
    return Money(divide(amount.amount * elapsed, span, PENNY))


def rag(budget: Money, variance: Money, amber: Decimal, red: Decimal) -> str:
    """red: an overspend of at least `red` of the budget; amber: of at least `amber`, or an
    underspend of at least `red` (slippage); green otherwise. Compared exactly, unrounded."""
    over, base = variance.amount, budget.amount
    if base <= 0:
        return "red" if over > 0 else "green"
    if over >= red * base:
        return "red"
    if over >= amber * base or -over >= red * base:
        return "amber"
    return "green"


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the report: a line, an approved proposal, the unmatched actuals or a total."""

    name: str
    kind: str
    """"line", "proposal", "unmatched" or "total"."""
    pillar: str | None
    budget: Money
    profile_to_date: Money
    actual_to_date: Money
    forecast_outturn: Money
    rag: str | None = None
    """None for a total."""

    @property
    def variance_to_date(self) -> Money:
        return self.actual_to_date - self.profile_to_date

    @property
    def variance(self) -> Money:
        """Forecast outturn less budget: positive is an overspend."""
        return self.forecast_outturn - self.budget

    @property
    def variance_pct(self) -> Decimal | None:
        """Variance as a percentage of the budget, one decimal; None when the budget is zero
        and there is a variance (no percentage of nothing)."""
        if not self.budget:
            return None if self.variance else Decimal("0.0")
        return divide(self.variance.amount * 100, self.budget.amount, TENTH)


def forecast_of(budget: Money, actual: Money, forecast: Money | None) -> Money:
    """The line's `forecast:` where given; otherwise the larger of budget and actual."""
    if forecast is not None:
        return forecast
    return max(budget, actual)


def row_of(
    name: str,
    kind: str,
    pillar: str | None,
    budget: Money,
    profile: Money,
    actual: Money,
    forecast: Money | None,
    thresholds: tuple[Decimal, Decimal],
) -> Row:
    """A line's or proposal's row: its forecast outturn (`forecast`, or the larger of budget
    and actual) and its RAG against (amber, red)."""
    outturn = forecast_of(budget, actual, forecast)
    amber, red = thresholds
    return Row(
        name,
        kind,
        pillar,
        budget,
        profile,
        actual,
        outturn,
        rag(budget, outturn - budget, amber, red),
    )


def summed(name: str, rows: Iterable[Row], pillar: str | None = None) -> Row:
    """A total row: each figure the exact sum of the rows'."""
    budget = profile = actual = forecast = Decimal(0)
    for row in rows:
        budget += row.budget.amount
        profile += row.profile_to_date.amount
        actual += row.actual_to_date.amount
        forecast += row.forecast_outturn.amount
    return Row(name, "total", pillar, Money(budget), Money(profile), Money(actual), Money(forecast))


# ---------------------------------------------------------------------------
# the whole report


@dataclass(frozen=True, slots=True)
class Monitor:
    """The month's report: every row, the totals, and where the year will end."""

    period: Period
    lines: tuple[Row, ...]
    """The expenditure lines, then the approved proposals (by pillar, in file order)."""
    unmatched: Row
    unmatched_count: int
    """How many actuals (to the period's end) are in the unmatched row."""
    pillars: tuple[Row, ...]
    """The approved proposals summed per pillar (a total row each, named by the pillar)."""
    lines_total: Row
    proposals_total: Row
    total: Row
    """Lines, approved proposals and unmatched actuals."""
    total_income: Money
    planned_unspent: Money
    amber: Decimal
    red: Decimal
    cumulative: tuple[tuple[Money, Money | None], ...] = ()
    """For each month of the year: (cumulative profile, cumulative actual spend), the actual
    None after the period."""

    @property
    def forecast_unspent(self) -> Money:
        """Total income less the total forecast outturn."""
        return self.total_income - self.total.forecast_outturn

    @property
    def ledger_lines(self) -> tuple[Row, ...]:
        return tuple(row for row in self.lines if row.kind == "line")

    @property
    def proposals(self) -> tuple[Row, ...]:
        return tuple(row for row in self.lines if row.kind == "proposal")


def totals(
    lines: Sequence[Row], unmatched: Row, pillars: Sequence[str]
) -> tuple[tuple[Row, ...], Row, Row, Row]:
    """Per pillar (approved proposals), all lines, all proposals, and everything."""
    ledger_lines = [row for row in lines if row.kind == "line"]
    proposals = [row for row in lines if row.kind == "proposal"]
    by_pillar = tuple(
        summed(pillar, (row for row in proposals if row.pillar == pillar), pillar)
        for pillar in pillars
    )
    return (
        by_pillar,
        summed("Lines", ledger_lines),
        summed("Approved proposals", proposals),
        summed("Total", [*lines, unmatched]),
    )


def unmatched_row(actual: Money) -> Row:
    """Actuals that matched nothing: no budget, and their actual is their forecast."""
    return Row(
        "Unmatched", "unmatched", None, ZERO, ZERO, actual, actual, "red" if actual else "green"
    )
