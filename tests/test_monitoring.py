"""Budget monitoring's arithmetic: periods, profiles (even and monthly), rounding once, RAG at
its thresholds, and totals that are the exact sums of their rows."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti_cli.core.model import DEFAULT_AMBER, DEFAULT_RED, Monitoring
from loti_cli.core.money import ZERO, Money
from loti_cli.core.monitoring import (
    Row,
    divide,
    forecast_of,
    profile_to_date,
    rag,
    summed,
    totals,
    unmatched_row,
)
from loti_cli.core.period import first_day, last_day, month_of, month_period

AMBER, RED = Decimal("0.05"), Decimal("0.10")


def money(text: str | int) -> Money:
    return Money(Decimal(text))


# ---------------------------------------------------------------------------
# periods


def test_april_is_month_1_and_march_month_12() -> None:
    assert first_day("2020-21", 1) == date(2020, 4, 1)
    assert first_day("2020-21", 9) == date(2020, 12, 1)
    assert first_day("2020-21", 10) == date(2021, 1, 1)
    assert last_day("2020-21", 11) == date(2021, 2, 28)
    assert last_day("2020-21", 12) == date(2021, 3, 31)
    assert month_of(date(2020, 4, 1), "2020-21") == 1
    assert month_of(date(2021, 3, 31), "2020-21") == 12
    assert month_of(date(2020, 3, 31), "2020-21") is None
    assert month_of(date(2021, 4, 1), "2020-21") is None


def test_a_period_has_its_label_name_start_and_end() -> None:
    period = month_period("2020-21", 6)
    assert (period.label, period.name) == ("Month 6", "September 2020")
    assert (period.start, period.end) == (date(2020, 9, 1), date(2020, 9, 30))
    assert month_period("2023-24", 11).end == date(2024, 2, 29)  # a leap year's February


# ---------------------------------------------------------------------------
# profiles and rounding


def test_an_even_profile_is_the_amount_times_months_over_twelve_rounded_once() -> None:
    assert profile_to_date(money(264000), None, 6) == money(132000)
    assert profile_to_date(money(264000), "even", 12) == money(264000)
    assert profile_to_date(money(264000), "even", 0) == ZERO
    # £100 x 1 / 12 = £8.3333...: £8.33; x 5 / 12 = £41.666...: £41.67
    assert profile_to_date(money(100), None, 1) == money("8.33")
    assert profile_to_date(money(100), None, 5) == money("41.67")
    # £0.06 x 1 / 12 = £0.005 exactly: half up, to £0.01 (not to even, £0.00)
    assert profile_to_date(money("0.06"), None, 1) == money("0.01")
    # £0.30 x 3 / 12 = £0.075: half up to £0.08 (a float would make 0.07499...)
    assert profile_to_date(money("0.30"), None, 3) == money("0.08")


def test_rounding_happens_once_not_month_by_month() -> None:
    # Month by month, £1 x 1/12 rounded is £0.08, and six of them £0.48; once, £0.50.
    assert profile_to_date(money(1), None, 6) == money("0.50")


def test_a_monthly_profile_is_the_sum_of_its_first_months() -> None:
    months = tuple(money(n) for n in (10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120))
    assert profile_to_date(money(780), months, 1) == money(10)
    assert profile_to_date(money(780), months, 4) == money(100)
    assert profile_to_date(money(780), months, 12) == money(780)


def test_an_even_profile_from_a_later_month_spreads_over_the_months_left() -> None:
    # A proposal approved in month 7 (October): £60,000 over six months, £10,000 a month.
    assert profile_to_date(money(60000), None, 6, first=7) == ZERO
    assert profile_to_date(money(60000), None, 7, first=7) == money(10000)
    assert profile_to_date(money(60000), None, 9, first=7) == money(30000)
    assert profile_to_date(money(60000), None, 12, first=7) == money(60000)


def test_divide_rounds_half_away_from_zero() -> None:
    assert divide(Decimal("-0.005"), 1, Decimal("0.01")) == Decimal("-0.01")
    assert divide(Decimal("0.0049"), 1, Decimal("0.01")) == Decimal("0.00")
    assert divide(Decimal(1), 3, Decimal("0.1")) == Decimal("0.3")


# ---------------------------------------------------------------------------
# RAG exactly at the thresholds


@pytest.mark.parametrize(
    ("variance", "expected"),
    [
        (0, "green"),
        (4999, "green"),  # 4.999% over
        (5000, "amber"),  # exactly 5% over: amber
        (9999, "amber"),
        (10000, "red"),  # exactly 10% over: red
        (50000, "red"),
        (-9999, "green"),  # 9.999% under
        (-10000, "amber"),  # exactly 10% under: slippage
        (-100000, "amber"),
    ],
)
def test_rag_at_and_either_side_of_each_threshold(variance: int, expected: str) -> None:
    assert rag(money(100000), Money(variance), AMBER, RED) == expected


def test_rag_compares_the_exact_variance_not_the_rounded_percentage() -> None:
    # 9.996% rounds to 10.0% but is not 10%: amber, not red.
    row = Row("x", "line", None, money(100000), ZERO, ZERO, money(109996), "amber")
    assert row.variance_pct == Decimal("10.0")
    assert rag(row.budget, row.variance, AMBER, RED) == "amber"


def test_with_no_budget_any_spend_is_red_and_none_green() -> None:
    assert rag(ZERO, money(1), AMBER, RED) == "red"
    assert rag(ZERO, ZERO, AMBER, RED) == "green"
    assert unmatched_row(money(300)).rag == "red"
    assert unmatched_row(ZERO).rag == "green"


def test_thresholds_default_to_five_and_ten_percent() -> None:
    assert Monitoring().thresholds == (DEFAULT_AMBER, DEFAULT_RED) == (AMBER, RED)
    assert Monitoring.model_validate({"amber": "2.5%"}).thresholds == (Decimal("0.025"), RED)
    assert Monitoring.model_validate({"red": Decimal("0.2")}).thresholds == (AMBER, Decimal("0.2"))


# ---------------------------------------------------------------------------
# one row


def test_forecast_is_the_forecast_given_else_the_larger_of_budget_and_actual() -> None:
    assert forecast_of(money(100), money(40), None) == money(100)
    assert forecast_of(money(100), money(140), None) == money(140)
    assert forecast_of(money(100), money(140), money(90)) == money(90)


def test_a_row_derives_its_variances_and_percentage() -> None:
    row = Row("Design", "line", None, money(20000), money(10000), money(12500), money(23000), "red")
    assert row.variance_to_date == money(2500)
    assert row.variance == money(3000)
    assert row.variance_pct == Decimal("15.0")
    assert unmatched_row(money(5)).variance_pct is None
    assert Row("z", "line", None, ZERO, ZERO, ZERO, ZERO).variance_pct == Decimal("0.0")


# ---------------------------------------------------------------------------
# totals: exact sums of the rows (hypothesis)

amounts = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2).map(Money)


@st.composite
def rows(draw: st.DrawFn) -> list[Row]:
    found = []
    for index in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["line", "proposal"]))
        budget = draw(amounts)
        months = draw(st.integers(0, 12))
        found.append(
            Row(
                f"row {index}",
                kind,
                draw(st.sampled_from(["A", "B"])) if kind == "proposal" else None,
                budget,
                profile_to_date(budget, None, months),
                draw(amounts),
                draw(amounts),
                "green",
            )
        )
    return found


@given(rows(), amounts)
def test_totals_are_the_exact_sums_of_their_rows(found: list[Row], lost: Money) -> None:
    unmatched = unmatched_row(lost)
    pillars, lines, proposals, everything = totals(found, unmatched, ["A", "B"])
    for key in ("budget", "profile_to_date", "actual_to_date", "forecast_outturn", "variance"):

        def of(some: list[Row], key: str = key) -> Decimal:
            return sum((getattr(r, key).amount for r in some), Decimal(0))

        assert getattr(everything, key).amount == of([*found, unmatched])
        assert getattr(lines, key).amount == of([r for r in found if r.kind == "line"])
        assert getattr(proposals, key).amount == of([r for r in found if r.kind == "proposal"])
        assert (
            sum((getattr(p, key).amount for p in pillars), Decimal(0))
            == getattr(proposals, key).amount
        )
    assert summed("none", []).budget == ZERO


@given(amounts, st.integers(0, 12))
def test_an_even_profile_is_within_half_a_penny_of_the_exact_share(
    amount: Money, months: int
) -> None:
    exact = amount.amount * months / 12
    got = profile_to_date(amount, None, months).amount
    assert abs(got - exact) <= Decimal("0.005")
    assert profile_to_date(amount, None, 12) == amount
