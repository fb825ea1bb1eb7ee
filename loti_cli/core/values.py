"""The values a ledger or proposal field holds, read as they are written: financial years,
dates, text, fees, measures, weights, RAG thresholds and spend profiles (the models' types)."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated

from pydantic import PlainValidator

from loti_cli.core.money import Money, MoneyError, parse_money

_YEAR = re.compile(r"([0-9]{4})-([0-9]{2})")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTHS = "January February March April May June July August September October November December"


def _financial_year(value: object) -> str:
    if not isinstance(value, str) or not (match := _YEAR.fullmatch(value)):
        raise ValueError(f"'{value}' is not a financial year; write it as 2020-21")
    start, end = int(match[1]), int(match[2])
    if not 1 <= start <= 9998:  # April of year 0, or March of the year 10000: no date has them
        raise ValueError(
            f"'{value}' is not a financial year loti can date; write one from 0001-02 to 9998-99"
        )
    if (start + 1) % 100 != end:
        raise ValueError(
            f"'{value}' is not a financial year; the second part is the year after the first, "
            f"as in {start}-{(start + 1) % 100:02d}"
        )
    return value


def parse_date(value: object) -> date:
    """A `2020-10-01` date (a date object passes through); ValueError otherwise, saying
    whether the text is not written as a date or names a day that does not exist."""
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"'{value}' is not a date; write it as 2020-10-01")
    year, month, day = (int(part) for part in match.groups())
    impossible = None
    if year < 1:
        impossible = "there is no year 0000"
    elif not 1 <= month <= 12:
        impossible = f"there is no month {match[2]} (months are 01 to 12)"
    elif day == 0:
        impossible = "there is no day 00"
    elif day > (days := monthrange(year, month)[1]):
        impossible = f"{_MONTHS.split()[month - 1]} {year} has {days} days"
    if impossible is not None:
        raise ValueError(f"'{text}' is not a date: {impossible}")
    return date(year, month, day)


def financial_year_dates(year: str) -> tuple[date, date]:
    """1 April and 31 March of a financial year such as 2020-21."""
    start = int(year[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def outside_year(day: date, year: str, *, whose: str = "the") -> str | None:
    """Why `day` cannot be the panel's date for a proposal of `year` (None when it can):
    the panel that decides a proposal sits within its financial year, and its date is
    the grant's award date. `whose` begins the year's name: `CR-04's financial year`."""
    start, end = financial_year_dates(year)
    if start <= day <= end:
        return None
    return (
        f"{day.isoformat()} is outside {whose} financial year {year}, which runs from "
        f"1 April {start.year} to 31 March {end.year}"
    )


def _text(value: object) -> str:
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("is empty; write some text or remove the key")
        return value
    kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else None
    if kind is None:
        kind = "true/false" if isinstance(value, bool) else "a number"
    raise ValueError(f"should be text, not {kind}; put it in quotes if it is meant as text")


def _fee(value: object) -> str | Money:
    if isinstance(value, str) and not looks_like_amount(value):
        return _text(value)
    try:
        return parse_money(value)
    except MoneyError as error:
        raise ValueError(str(error)) from None


def looks_like_amount(text: str) -> bool:
    """Whether a fee names an amount (`"£30k"`) rather than a key of `fees`."""
    return bool(re.match(r"^\s*-?\s*£?\s*[0-9.,]", text))


def _signed_money(value: object) -> Money:
    try:
        return parse_money(value, signed=True)
    except MoneyError as error:
        raise ValueError(str(error)) from None


def _weight(value: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise ValueError(f"'{value}' is not a weight; write a number above 0, such as 1 or 2")
    try:
        weight = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(
            f"'{value}' is not a weight; write a number above 0, such as 1 or 2"
        ) from None
    if not weight.is_finite() or weight <= 0:
        raise ValueError(f"weight {value} is not above 0; write a number above 0, such as 1 or 2")
    return weight


def _number(value: object) -> Decimal:
    """A measure's value: a number as written (`14`, `3.5`), exact."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValueError("should be a number, such as 14 or 3.5")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"'{value}' is not a number; write it as 14 or 3.5") from None
    if not number.is_finite():
        raise ValueError(f"'{value}' is not a number; write it as 14 or 3.5")
    return number


_PERCENT = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?%")
_FRACTION = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
MONTH_NAMES = tuple(_MONTHS.split()[3:] + _MONTHS.split()[:3])
"""The months of a financial year, April (month 1) to March (month 12)."""


def _threshold(value: object) -> Decimal:
    """A RAG threshold: `5%` or the fraction `0.05`, more than 0 and at most 100%."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"{value!r} is not a threshold; write a percentage such as 5% or 0.05")
    text = str(value).strip()
    try:
        if _PERCENT.fullmatch(text):
            fraction = Decimal(text[:-1]) / 100
        elif _FRACTION.fullmatch(text):
            fraction = Decimal(text)
        else:
            raise InvalidOperation
    except InvalidOperation:
        raise ValueError(
            f"'{text}' is not a threshold; write a percentage such as 5% or a fraction such as 0.05"
        ) from None
    if not 0 < fraction <= 1:
        hint = (
            f" (without % it is a fraction, so {text} is {text}00%: write {text}% or "
            f"{fraction / 100:f})"
            if not text.endswith("%") and 1 < fraction <= 100 and "." not in text
            else ""
        )
        raise ValueError(f"'{text}' is not a threshold; it is more than 0% and at most 100%{hint}")
    return fraction


def _profile(value: object) -> str | tuple[Money, ...]:
    """`even`, or twelve monthly amounts from April to March."""
    if value == "even":
        return "even"
    if not isinstance(value, list):
        raise ValueError(
            f"should be even or a list of 12 monthly amounts, April to March; {value!r} is neither"
        )
    if len(value) != 12:
        raise ValueError(
            f"has {len(value)} monthly amounts; a profile has 12, one for each month "
            "from April to March"
        )
    amounts: list[Money] = []
    wrong: list[str] = []
    for month, item in zip(MONTH_NAMES, value, strict=True):
        try:
            amounts.append(parse_money(item))
        except MoneyError as error:
            wrong.append(f"the amount for {month}: {error}")
    if wrong:  # every month in one run, not only the first
        raise ValueError("; ".join(wrong))
    return tuple(amounts)


FinancialYear = Annotated[str, PlainValidator(_financial_year)]
SignedMoney = Annotated[Money, PlainValidator(_signed_money, json_schema_input_type=Money)]
"""An amount that may be negative, for a figure a rule judges rather than loading."""
Date = Annotated[date, PlainValidator(parse_date)]
Text = Annotated[str, PlainValidator(_text)]
Number = Annotated[Decimal, PlainValidator(_number)]
"""A measure's baseline, target or actual: any number, exact."""
FeeRef = Annotated[str | Money, PlainValidator(_fee)]
"""A key of the ledger's `fees`, or an amount."""
Weight = Annotated[Decimal, PlainValidator(_weight)]
"""A criterion's weight: a number above 0, kept exact."""
Threshold = Annotated[Decimal, PlainValidator(_threshold)]
"""A RAG threshold as a fraction: `5%` and `0.05` are both Decimal("0.05")."""
Profile = Annotated[str | tuple[Money, ...], PlainValidator(_profile)]
"""How a line's amount is spread over the year: "even", or twelve monthly amounts."""
