"""A project's delivery figures: percentages exact and rounded once, the RAG's lines, measures
on target, and the months of a financial year."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti_cli.core.delivery import DeliveryNote, MeasureNote, MilestoneNote
from loti_cli.core.entry import Entry
from loti_cli.core.money import Money
from loti_cli.core.period import default_month, first_day, last_day, month_of, parse_period
from loti_cli.core.projects import elapsed_share, percent, project, spent_share
from loti_cli.report.projects_cells import measure_line

YEAR = "2020-21"
START, END = date(2020, 10, 1), date(2021, 3, 31)


def entry(
    *,
    requested: str = "10000",
    milestones: tuple[MilestoneNote, ...] = (),
    measures: tuple[MeasureNote, ...] = (),
    start: date | None = START,
    end: date | None = END,
    phase: str | None = "beta",
) -> Entry:
    delivery = DeliveryNote(phase, start, end, None, milestones, measures)
    return Entry(
        "proposals/t-01.yaml",
        "T-01",
        "A project",
        YEAR,
        "Covid Recovery",
        status="approved",
        requested=Money(Decimal(requested)),
        delivery=delivery,
    )


def reference(numerator: Decimal, denominator: Decimal) -> Decimal:
    """numerator / denominator as a percentage, one decimal, half up, by Decimal at high
    precision: what `percent` must give without ever using a float."""
    from decimal import localcontext

    with localcontext() as context:
        context.prec = 100
        value = numerator * 100 / denominator
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---------------------------------------------------------------------------
# percentages


@pytest.mark.parametrize(
    ("part", "shown"),
    [
        (Fraction(1, 3), "33.3"),
        (Fraction(2, 3), "66.7"),
        (Fraction(1, 2000), "0.1"),  # 0.05% rounds half up
        (Fraction(1, 2001), "0.0"),
        (Fraction(-1, 2000), "-0.1"),  # half away from zero
        (Fraction(1), "100.0"),
        (Fraction(5, 4), "125.0"),
    ],
)
def test_percent_rounds_once_half_up(part: Fraction, shown: str) -> None:
    assert str(percent(part)) == shown


pennies = st.integers(min_value=-(10**12), max_value=10**12)
awards = st.integers(min_value=1, max_value=10**12)


@given(spent=pennies, award=awards)
def test_spent_pct_is_exact_and_rounded_once(spent: int, award: int) -> None:
    spent_money = Money(Decimal(spent).scaleb(-2))
    award_money = Money(Decimal(award).scaleb(-2))
    share = spent_share(spent_money, award_money)
    assert share is not None
    assert percent(share) == reference(spent_money.amount, award_money.amount)


@given(
    length=st.integers(min_value=1, max_value=4000),
    offset=st.integers(min_value=-500, max_value=4500),
)
def test_elapsed_pct_is_exact_rounded_once_and_within_0_and_100(length: int, offset: int) -> None:
    start = date(2020, 10, 1)
    end = start + timedelta(days=length)
    day = start + timedelta(days=offset)
    share = elapsed_share(start, end, day)
    assert share is not None
    days = min(max(offset, 0), length)
    assert percent(share) == reference(Decimal(days), Decimal(length))
    assert Decimal(0) <= percent(share) <= Decimal(100)


def test_no_award_or_no_dates_is_no_percentage() -> None:
    assert spent_share(Money(5), None) is None
    assert spent_share(Money(5), Money(0)) is None
    assert elapsed_share(None, END, START) is None
    assert elapsed_share(END, START, START) is None  # end before start: DL1 reports it
    assert elapsed_share(START, START, START) == 1


# ---------------------------------------------------------------------------
# the RAG's lines: exactly on a line is not past it


@pytest.mark.parametrize(("days", "rag"), [(0, "green"), (1, "amber"), (30, "amber"), (31, "red")])
def test_a_milestone_overdue_is_amber_and_past_30_days_red(days: int, rag: str) -> None:
    milestone = MilestoneNote("Beta service", date(2020, 12, 1))
    day = milestone.due + timedelta(days=days)
    result = project(entry(milestones=(milestone,)), Money(0), day)
    assert result.rag == rag
    assert [o.days for o in result.overdue] == ([days] if days else [])


def test_a_milestone_done_after_the_period_is_overdue_in_it() -> None:
    milestone = MilestoneNote("Beta service", date(2020, 12, 1), date(2021, 1, 20))
    at_december = project(entry(milestones=(milestone,)), Money(0), date(2020, 12, 31))
    assert (at_december.rag, at_december.milestones_done) == ("amber", 0)
    at_january = project(entry(milestones=(milestone,)), Money(0), date(2021, 1, 31))
    assert (at_january.rag, at_january.milestones_done, at_january.overdue) == ("green", 1, ())


@pytest.mark.parametrize(
    ("days", "phase", "rag"),
    [(30, "beta", "green"), (31, "beta", "red"), (31, "closed", "green")],
)
def test_not_closed_more_than_30_days_after_its_end_is_red(days: int, phase: str, rag: str) -> None:
    result = project(entry(phase=phase), Money(0), END + timedelta(days=days))
    assert result.rag == rag
    if rag == "red":
        assert result.why == ("not closed 31 days after its end",)


def test_spending_ahead_of_time_by_more_than_20_points_is_amber() -> None:
    # 1 October to 31 March is 181 days; 91 days in, 91/181 of the time has passed. Of an
    # award of £18,100, £12,720 is 91/181 + 20 points exactly (18,100 x 636/905).
    day = START + timedelta(days=91)
    at_20 = Money(12720)
    result = project(entry(requested="18100"), at_20, day)
    assert (result.rag, result.spent_pct, result.elapsed_pct) == (
        "green",
        Decimal("70.3"),
        Decimal("50.3"),
    )
    over = project(entry(requested="18100"), at_20 + Money(Decimal("0.01")), day)
    assert over.rag == "amber"
    assert over.why == ("spending ahead of time by more than 20 points",)


@pytest.mark.parametrize(("spent", "rag"), [("10000", "green"), ("10000.01", "red")])
def test_spent_more_than_the_award_is_red(spent: str, rag: str) -> None:
    result = project(entry(), Money(Decimal(spent)), END + timedelta(days=1))
    assert result.rag == rag


# ---------------------------------------------------------------------------
# measures on target


@pytest.mark.parametrize(
    ("baseline", "target", "actual", "on"),
    [
        ("14", "3", "3", True),  # falling: at the target
        ("14", "3", "2.5", True),  # falling: past it
        ("14", "3", "4", False),
        ("0", "150", "150", True),  # rising
        ("0", "150", "149.99", False),
        (None, "150", "151", True),  # no baseline: rising
        ("14", "3", None, False),  # not measured
        ("14", None, "3", False),  # no target: DL1
    ],
)
def test_on_target_is_at_or_past_the_target_from_the_baseline(
    baseline: str | None, target: str | None, actual: str | None, on: bool
) -> None:
    def number(text: str | None) -> Decimal | None:
        return Decimal(text) if text is not None else None

    measure = MeasureNote("m", None, number(baseline), number(target), number(actual))
    assert measure.on_target is on


@pytest.mark.parametrize(
    ("baseline", "actual", "target", "shown"),
    [
        ("14", "3.50", "3", "14 → 3.5 → 3 days"),
        ("0", "1e6", "2E+6", "0 → 1000000 → 2000000 days"),
        ("1e-400", "0.000001", "1e99999999", "1E-400 → 0.000001 → 1E+99999999 days"),
    ],
)
def test_a_measure_is_written_out_unless_too_long_to(
    baseline: str, actual: str, target: str, shown: str
) -> None:
    measure = MeasureNote("m", "days", Decimal(baseline), Decimal(target), Decimal(actual))
    assert measure_line(measure) == shown  # at once: 1e99999999 is not written digit by digit


# ---------------------------------------------------------------------------
# months of the financial year


def test_april_is_month_1_and_march_month_12() -> None:
    assert month_of(date(2020, 4, 1), YEAR) == 1
    assert month_of(date(2020, 9, 30), YEAR) == 6
    assert month_of(date(2021, 3, 31), YEAR) == 12
    assert (first_day(YEAR, 10), last_day(YEAR, 11)) == (date(2021, 1, 1), date(2021, 2, 28))
    assert last_day(YEAR, parse_period(YEAR, "2020-12")) == date(2020, 12, 31)
    assert month_of(date(2021, 4, 1), YEAR) is None
    assert month_of(date(2020, 3, 31), YEAR) is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2020-13", "'2020-13' is not a month; write it as YYYY-MM, e.g. 2020-09"),
        ("Sept", "'Sept' is not a month"),
        (
            "2021-04",
            "'2021-04' is not a month of the financial year 2020-21, which runs from "
            "2020-04 to 2021-03",
        ),
        (
            "0000-01",
            "'0000-01' is not a month of the financial year 2020-21, which runs from "
            "2020-04 to 2021-03",
        ),
    ],
)
def test_a_period_that_is_not_a_month_of_the_year_says_so(text: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_period(YEAR, text)
    assert str(raised.value).startswith(message)


def test_the_default_period_is_the_latest_actual_then_as_of_then_today() -> None:
    today = date(2026, 1, 1)
    assert default_month(YEAR, date(2020, 11, 30), date(2020, 7, 31), today) == 8
    assert default_month(YEAR, None, date(2020, 7, 31), today) == 4
    assert default_month(YEAR, None, None, today) == 12
    assert default_month(YEAR, None, None, date(2019, 1, 1)) == 1
    assert default_month(YEAR, None, None, date(2020, 6, 15)) == 3
