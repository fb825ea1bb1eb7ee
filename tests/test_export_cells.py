"""Money and dates in a finance system's export: every accepted form exact, anything else refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from loti_cli.core.export_cells import DateReader, read_money


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("1234.56", "1234.56"),
        ("1,234.56", "1234.56"),
        ("£1,234.56", "1234.56"),
        ("-1234.56", "-1234.56"),
        ("(1,234.56)", "-1234.56"),
        ("(£1,234.56)", "-1234.56"),
        ("-£80", "-80"),
        ("  £1,000,000.5 ", "1000000.5"),
        ("0.10", "0.10"),
        ("0", "0"),
        ("1234567", "1234567"),
    ],
)
def test_every_accepted_form_is_read_exactly(cell: str, value: str) -> None:
    found = read_money(cell)
    assert isinstance(found, Decimal)
    assert found == Decimal(value)


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [
        ("1234.567", "'1234.567' has more than two decimal places"),
        ("(1,234.505)", "more than two decimal places"),
        ("1.2e3", "'1.2e3' is not an amount; write it as 1234.56, 1,234.56"),
        ("12,34.00", "is not an amount"),
        ("(1,234.56", "is not an amount"),
        ("-(1.00)", "is not an amount"),
        ("$12.00", "is not an amount"),
        ("1234.", "is not an amount"),
        ("", "is empty; every row has an amount"),
        ("   ", "is empty"),
        ("NaN", "is not an amount"),
        (
            "£10,000,000,000,000.00",
            "is not an amount of spend: amounts are below £10,000,000,000,000",
        ),
    ],
)
def test_anything_else_is_refused_with_the_forms(cell: str, fragment: str) -> None:
    found = read_money(cell)
    assert isinstance(found, str)
    assert fragment in found


@settings(deadline=None)
@given(
    st.decimals(min_value=Decimal("-1e11"), max_value=Decimal("1e11"), places=2),
    st.sampled_from(["plain", "commas", "pound", "brackets"]),
)
def test_money_written_in_any_form_reads_back_exactly(value: Decimal, form: str) -> None:
    size = abs(value)
    if form == "plain":
        cell = f"{value:.2f}"
    elif form == "commas":
        cell = ("-" if value < 0 else "") + f"{size:,.2f}"
    elif form == "pound":
        cell = ("-" if value < 0 else "") + f"£{size:,.2f}"
    else:
        cell = f"(£{size:,.2f})" if value < 0 else f"£{size:,.2f}"
    assert read_money(cell) == value


@settings(deadline=None)
@given(st.lists(st.decimals(min_value=-(10**6), max_value=10**6, places=2), max_size=50))
def test_sums_of_amounts_read_are_exact(values: list[Decimal]) -> None:
    read = [read_money(f"{value:.2f}") for value in values]
    assert sum(read, Decimal(0)) == sum(values, Decimal(0))  # type: ignore[arg-type]


def test_dates_are_read_in_the_rules_format_and_remembered() -> None:
    reader = DateReader("%d/%m/%Y")
    assert reader.read("28/04/2020") == date(2020, 4, 28)
    assert reader.read(" 28/04/2020 ") == date(2020, 4, 28)
    assert "28/04/2020" in reader.seen
    wrong = reader.read("2020-04-28")
    assert wrong == (
        "'2020-04-28' is not a date written %d/%m/%Y (as 01/04/2020 for 1 April 2020); "
        "correct it, or date_format in the rules file"
    )
    assert reader.read("31/02/2020") != date(2020, 2, 28)
    assert reader.read("") == "is empty; every row has a date"
