"""Money: the forms people write, the ones refused (and why), exact sums and the printed forms."""

from __future__ import annotations

import pickle
import re
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from loti_cli.core.money import (
    ACCEPTED_FORMS,
    ZERO,
    Money,
    MoneyError,
    format_money,
    parse_money,
    to_json,
    total,
)
from loti_cli.core.numerals import WrittenDecimal, WrittenInt

# ---------------------------------------------------------------------------
# accepted forms


@pytest.mark.parametrize(
    ("raw", "pounds"),
    [
        (264000, "264000"),
        (0, "0"),
        (Decimal("264000.50"), "264000.50"),  # a YAML decimal, as yaml_read gives it
        (Decimal("264000.5"), "264000.50"),
        (Decimal("1E+3"), "1000"),
        ("264000", "264000"),
        ("£264,000", "264000"),
        ("£264k", "264000"),
        ("£264K", "264000"),
        ("£1.2m", "1200000"),
        ("£1.2M", "1200000"),
        ("264,000.50", "264000.50"),
        ("£1,000,000.00", "1000000"),
        ("£0.05", "0.05"),
        ("£1.25k", "1250"),
        ("£1.23456k", "1234.56"),
        ("£0.001k", "1"),
        ("  £264k  ", "264000"),
        (" 1.2m ", "1200000"),
        ("£9,999,999,999,999.99", "9999999999999.99"),
    ],
)
def test_accepted_forms(raw: object, pounds: str) -> None:
    money = parse_money(raw)
    assert money == Money(Decimal(pounds))
    assert type(money.amount) is Decimal


def test_a_money_is_returned_as_it_is() -> None:
    money = Money(5)
    assert parse_money(money) is money


# ---------------------------------------------------------------------------
# refused forms: every message says why, or shows an accepted form

SHOWS_A_FORM = '"£264k"'
"""One of the accepted forms, which every 'not an amount' message must show."""


@pytest.mark.parametrize(
    ("raw", "because"),
    [
        pytest.param(-5, "'-5' is negative", id="negative int"),
        pytest.param(Decimal("-0.01"), "'-0.01' is negative", id="negative decimal"),
        pytest.param("-5", "'-5' is negative", id="negative text"),
        pytest.param("-£5k", "'-£5k' is negative", id="negative text with unit"),
        pytest.param(Decimal("10.005"), "'10.005' has more than two decimal places", id="3 places"),
        pytest.param("10.005", "'10.005' has more than two decimal places", id="3 places text"),
        pytest.param("£1.234567k", "more than two decimal places", id="3 places after k"),
        pytest.param(Decimal("1E-30"), "more than two decimal places", id="tiny"),
        pytest.param(10**13, "too large", id="ten trillion"),
        pytest.param(Decimal("1e30"), "too large", id="1e30"),
        pytest.param(10**40, "too large", id="40 digits"),
        pytest.param("9" * 40, "too large", id="40 digits text"),
        pytest.param("£10,000,000m", "too large", id="too large with unit"),
        pytest.param(0.1, "binary float", id="float"),
        pytest.param(264000.0, "binary float", id="whole float"),
        pytest.param(float("nan"), "binary float", id="float nan"),
        pytest.param(Decimal("NaN"), SHOWS_A_FORM, id="NaN"),
        pytest.param(Decimal("sNaN"), SHOWS_A_FORM, id="sNaN"),
        pytest.param(Decimal("Infinity"), SHOWS_A_FORM, id="+inf"),
        pytest.param(Decimal("-Infinity"), SHOWS_A_FORM, id="-inf"),
        pytest.param("nan", SHOWS_A_FORM, id="nan text"),
        pytest.param("inf", SHOWS_A_FORM, id="inf text"),
        pytest.param(True, "'true' is not an amount", id="true"),
        pytest.param(False, "'false' is not an amount", id="false"),
        pytest.param(None, "nothing is not an amount", id="None"),
        pytest.param("", "an empty string is not an amount", id="empty"),
        pytest.param("   ", "an empty string is not an amount", id="blank"),
        pytest.param("1,00", "'1,00' is not an amount", id="bad commas"),
        pytest.param("1,0000", "'1,0000' is not an amount", id="bad commas 4"),
        pytest.param("12,34,567", "'12,34,567' is not an amount", id="lakh commas"),
        pytest.param("£26x", "'£26x' is not an amount", id="garbage"),
        pytest.param("£1.2mm", "'£1.2mm' is not an amount", id="two units"),
        pytest.param("1e3", "'1e3' is not an amount", id="exponent text"),
        pytest.param("£", "'£' is not an amount", id="pound sign only"),
        pytest.param("k", "'k' is not an amount", id="unit only"),
        pytest.param("$5", "'$5' is not an amount", id="dollars"),
        pytest.param("1_000", "'1_000' is not an amount", id="underscores"),
        pytest.param(".5", "'.5' is not an amount (a number without a digit", id="leading dot"),
        pytest.param("5.", "'5.' is not an amount (a number without a digit", id="trailing dot"),
        pytest.param("0x10", "'0x10' is not an amount (a hexadecimal", id="hex text"),
        pytest.param("0,001", "(a misplaced thousands separator)", id="zero thousands"),
        pytest.param("007", "'007' is not an amount (a number with a leading zero)", id="0 first"),
        pytest.param("+5", "'+5' is not an amount (a number with a plus sign)", id="plus"),
        pytest.param("£ 264 k", "'£ 264 k' is not an amount", id="spaces inside"),
        pytest.param("١٢٣", "'١٢٣' is not an amount", id="Arabic-Indic digits"),
        pytest.param("£２６４", "'£２６４' is not an amount", id="full-width digits"),
        pytest.param(WrittenInt(16, "0x10"), "'0x10' is not an amount (a hex", id="YAML 0x10"),
        pytest.param(WrittenInt(15, "0o17"), "'0o17' is not an amount (an octal", id="YAML 0o17"),
        pytest.param(WrittenDecimal(Decimal(1000), "1e3"), "(a number with an exponent)", id="1e3"),
        pytest.param(WrittenDecimal(Decimal("0.5"), ".5"), "'.5' is not an amount", id="YAML .5"),
        pytest.param(Decimal("-10.005"), "'-10.005' is negative", id="negative 3 places"),
        pytest.param([1], "a list is not an amount", id="list"),
        pytest.param({"a": 1}, "a mapping is not an amount", id="mapping"),
    ],
)
def test_refused_forms_say_why(raw: object, because: str) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(raw)
    message = str(caught.value)
    assert because in message
    says_why = any(
        reason in message
        for reason in ("negative", "decimal places", "too large", "binary float", ACCEPTED_FORMS)
    )
    assert says_why, message


def test_not_an_amount_lists_every_accepted_form() -> None:
    with pytest.raises(MoneyError, match="not an amount") as caught:
        parse_money("£26x")
    for form in ("264000", "264000.50", '"£264,000"', '"£264k"', '"£1.2m"'):
        assert form in str(caught.value)


def test_money_error_is_a_value_error() -> None:
    # pydantic turns ValueError raised in a validator into a validation error, not a crash
    assert issubclass(MoneyError, ValueError)


SUB_PENNY = [
    pytest.param(Decimal("-10.005"), id="negative decimal"),
    pytest.param("-10.005", id="negative text"),
    pytest.param(Decimal("-0.001"), id="a tenth of a penny owed"),
    pytest.param("-0.001", id="a tenth of a penny owed, text"),
    pytest.param(Decimal("10.005"), id="decimal"),
    pytest.param("10.005", id="text"),
]
"""Three decimal places, either sign: an error, never rounded to pence."""


@pytest.mark.parametrize("raw", SUB_PENNY)
def test_a_signed_amount_with_three_decimals_is_refused_not_rounded(raw: object) -> None:
    with pytest.raises(MoneyError) as caught:
        parse_money(raw, signed=True)
    assert str(caught.value) == f"'{raw}' has more than two decimal places; round it to whole pence"


@pytest.mark.parametrize("raw", SUB_PENNY)
def test_the_constructor_refuses_three_decimals_rather_than_rounding(raw: Decimal | str) -> None:
    with pytest.raises(MoneyError, match=r"has more than two decimal places; round it to whole"):
        Money(raw)


@pytest.mark.parametrize("raw", [0.5, True, False])
def test_the_constructor_refuses_floats_and_booleans(raw: Any) -> None:
    with pytest.raises(TypeError):
        Money(raw)


@pytest.mark.parametrize("raw", [Decimal("NaN"), Decimal("Infinity"), "-Infinity"])
def test_the_constructor_refuses_non_finite(raw: Any) -> None:
    with pytest.raises(MoneyError):
        Money(raw)


# ---------------------------------------------------------------------------
# printing


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("1000000", "£1,000,000"),
        ("1000.50", "£1,000.50"),
        ("1000.5", "£1,000.50"),
        ("0", "£0"),
        ("0.05", "£0.05"),
        ("999", "£999"),
        ("-56000", "-£56,000"),
        ("-0.5", "-£0.50"),
        ("-0.00", "£0"),
    ],
)
def test_format_for_people(amount: str, shown: str) -> None:
    assert format_money(Money(amount)) == shown
    assert str(Money(amount)) == shown


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("1000000", "1000000.00"),
        ("1000.5", "1000.50"),
        ("0", "0.00"),
        ("0.1", "0.10"),
        ("-56000", "-56000.00"),
        ("-0.0", "0.00"),
    ],
)
def test_format_for_json(amount: str, shown: str) -> None:
    assert to_json(Money(amount)) == shown


def test_negative_zero_is_zero() -> None:
    # `amount: -0.0` in a file, or negating zero, must not print "-0.00"
    assert to_json(parse_money(Decimal("-0.0"))) == "0.00"
    assert to_json(-ZERO) == "0.00"
    assert format_money(-ZERO) == "£0"


# ---------------------------------------------------------------------------
# the type itself


def test_money_is_immutable() -> None:
    money = Money(5)
    with pytest.raises(AttributeError):
        money.amount = Decimal(6)  # type: ignore[misc]


def test_equal_amounts_are_equal_and_hash_alike() -> None:
    assert Money("1.0") == Money("1.00") == Money(1)
    assert hash(Money("1.0")) == hash(Money(1))
    assert len({Money("1.0"), Money(1), Money("1.00")}) == 1


def test_money_does_not_mix_with_plain_numbers() -> None:
    assert Money(5) != 5
    with pytest.raises(TypeError):
        Money(5) + 5  # type: ignore[operator]
    with pytest.raises(TypeError):
        Money(5) < 5  # type: ignore[operator]  # noqa: B015


def test_arithmetic_and_order() -> None:
    assert Money(5) - Money(7) == Money(-2)
    assert -Money(3) == Money(-3)
    assert abs(Money(-3)) == Money(3)
    assert Money(1) < Money(2) <= Money(2)
    assert not ZERO
    assert Money("0.01")


def test_money_survives_pickling() -> None:
    money = Money("1234.56")
    assert pickle.loads(pickle.dumps(money)) == money


class _Priced(BaseModel):
    price: Money


def test_pydantic_reads_every_form_and_writes_json_strings() -> None:
    assert _Priced.model_validate({"price": "£1.2m"}).price == Money(1_200_000)
    assert _Priced(price=Money(5)).model_dump(mode="json") == {"price": "5.00"}
    assert _Priced.model_validate_json('{"price": "1000000.00"}').price == Money(1_000_000)


@pytest.mark.parametrize("raw", [0.1, -1, "£26x", True, None])
def test_pydantic_refuses_what_parse_money_refuses(raw: object) -> None:
    with pytest.raises(ValidationError):
        _Priced.model_validate({"price": raw})


# ---------------------------------------------------------------------------
# properties

LIMIT_PENCE = 10**15 - 1  # £9,999,999,999,999.99


@st.composite
def amounts(draw: st.DrawFn) -> Decimal:
    """A non-negative amount with 0, 1 or 2 decimal places, below the limit."""
    places = draw(st.sampled_from([0, 1, 2]))
    units = draw(st.integers(min_value=0, max_value=LIMIT_PENCE // 10 ** (2 - places)))
    return Decimal(units).scaleb(-places)


@given(st.lists(amounts(), max_size=30), st.data())
def test_sums_are_exact_and_do_not_depend_on_order(
    values: list[Decimal], data: st.DataObject
) -> None:
    moneys = [parse_money(value) for value in values]
    shuffled = data.draw(st.permutations(moneys))
    summed = total(moneys)
    assert total(shuffled) == summed
    assert total(reversed(moneys)) == summed
    # exact: the same as adding whole pence as integers
    pence = sum(int(value * 100) for value in values)
    assert summed.amount * 100 == pence
    running = ZERO
    for money in shuffled:
        running = running + money
    assert running == summed


def test_tenths_add_up_exactly() -> None:
    assert parse_money(Decimal("0.10")) + parse_money("0.20") == parse_money("0.30")
    assert total([parse_money("0.10")] * 10) == Money(1)
    assert total([parse_money(Decimal("0.01"))] * 100) == Money(1)


@given(amounts())
def test_printed_amounts_read_back_the_same(value: Decimal) -> None:
    money = parse_money(value)
    assert parse_money(format_money(money)) == money
    assert parse_money(to_json(money)) == money
    assert re.fullmatch(r"£\d{1,3}(,\d{3})*(\.\d\d)?", format_money(money))
    assert re.fullmatch(r"\d+\.\d\d", to_json(money))


@given(st.integers(min_value=0, max_value=9_999_999_999))
def test_written_forms_of_whole_pounds_agree(pounds: int) -> None:
    expected = parse_money(pounds)
    assert parse_money(str(pounds)) == expected
    assert parse_money(f"£{pounds:,}") == expected
    assert parse_money(f"{pounds:,}.00") == expected
    assert parse_money(f"£{Decimal(pounds) / 1000}k") == expected
    assert parse_money(f"£{Decimal(pounds) / 1_000_000}M") == expected


@given(st.lists(amounts(), min_size=1, max_size=10))
def test_no_float_is_ever_produced(values: list[Decimal]) -> None:
    moneys = [parse_money(value) for value in values] + [parse_money(to_json(Money(values[0])))]
    results = [
        *moneys,
        total(moneys),
        moneys[0] - total(moneys),
        -moneys[0],
        abs(moneys[0] - total(moneys)),
    ]
    for result in results:
        assert type(result) is Money
        assert type(result.amount) is Decimal
        assert result.amount == result.amount.quantize(Decimal("0.01"))
