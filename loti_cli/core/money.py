"""Money: exact pounds and pence as Decimal, parsed from the forms people write and printed back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation
from functools import total_ordering
from typing import Any

from loti_cli.core.numerals import source_of

ACCEPTED_FORMS = '264000, 264000.50, "£264,000", "£264k" or "£1.2m"'
"""Shown in every message about an amount that could not be read."""

LIMIT = Decimal("1e13")
"""Amounts stay below ten trillion pounds, so sums of them stay exact in Decimal's 28 digits."""

_CENT = Decimal("0.01")
_NUMBER = r"(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|0|[1-9][0-9]*)(?:\.[0-9]+)?"
"""Digits 0-9 (no other script's), a comma every three of them or none, a decimal point
with digits on both sides; no leading zero, which YAML 1.1 would read as octal."""
_TEXT = re.compile(rf"(?P<sign>-)?£?(?P<number>{_NUMBER})(?P<unit>[kKmM])?")
"""Every accepted form, whether typed after --amount, quoted in a file or a YAML number."""
_UNITS = {"k": Decimal(1000), "m": Decimal(1_000_000)}
_HINTS = (
    (re.compile(r"[-+]?0[xX]"), "a hexadecimal number"),
    (re.compile(r"[-+]?0[oO]"), "an octal number"),
    (re.compile(r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)[eE]"), "a number with an exponent"),
    (re.compile(r"-?£?\.[0-9]"), "a number without a digit before the point"),
    (re.compile(r"-?£?[0-9][0-9,]*\.[kKmM]?\Z"), "a number without a digit after the point"),
    (re.compile(r"\+"), "a number with a plus sign"),
    (re.compile(r"-?£?0[0-9]"), "a number with a leading zero"),
    (re.compile(r"-?£?[0-9]+,"), "a misplaced thousands separator"),
)
"""Why a number-like text is not an amount, for the forms people are likely to try."""

SIGN: ContextVar[str] = ContextVar("SIGN", default="£")
"""The pound sign `format_money` prints: `GBP ` while text is made for an output that cannot
show `£` (see loti_cli.report.emit)."""


class MoneyError(ValueError):
    """An amount that is not one of the accepted forms; the message says what to write."""


@total_ordering
class Money:
    """An exact amount of pounds, never a binary float.

    Parsed amounts are zero or more, with at most two decimal places; arithmetic
    may make them negative (a shortfall, a negative remaining).
    """

    __slots__ = ("amount",)
    amount: Decimal

    def __init__(self, amount: Decimal | int | str = 0) -> None:
        if isinstance(amount, bool | float):
            raise TypeError(f"Money needs a Decimal, int or str, not {type(amount).__name__}")
        value = Decimal(amount)
        if not value.is_finite():
            raise MoneyError(f"'{amount}' is not an amount; write it as {ACCEPTED_FORMS}")
        if value != value.quantize(_CENT, rounding="ROUND_DOWN"):
            # Never rounded: -10.005 is not -10.00 or -10.01, and -0.001 is not zero.
            raise MoneyError(
                f"'{amount}' has more than two decimal places; round it to whole pence"
            )
        value = value.quantize(_CENT)
        # -0.00 (from `-0.0` in a file, or negating zero) would print as "-0.00" in JSON.
        object.__setattr__(self, "amount", value.copy_abs() if value.is_zero() else value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Money is immutable")

    def __repr__(self) -> str:
        return f"Money('{self.amount}')"

    def __str__(self) -> str:
        return format_money(self)

    def __hash__(self) -> int:
        return hash(self.amount)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Money):
            return self.amount == other.amount
        return NotImplemented

    def __lt__(self, other: Money) -> bool:
        if isinstance(other, Money):
            return self.amount < other.amount
        return NotImplemented

    def __add__(self, other: Money) -> Money:
        if isinstance(other, Money):
            return Money(self.amount + other.amount)
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if isinstance(other, Money):
            return Money(self.amount - other.amount)
        return NotImplemented

    def __neg__(self) -> Money:
        return Money(-self.amount)

    def __abs__(self) -> Money:
        return Money(abs(self.amount))

    def __bool__(self) -> bool:
        return bool(self.amount)

    def __reduce__(self) -> tuple[type[Money], tuple[str]]:
        return (Money, (str(self.amount),))

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        # Imported here so that money (and `loti --version`) never loads pydantic.
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(
            parse_money,
            serialization=core_schema.plain_serializer_function_ser_schema(
                to_json, when_used="json"
            ),
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> dict[str, Any]:
        # No float `multipleOf` (0.29 is not a multiple of 0.01 in binary), no sign, and a
        # pattern without Python's named groups, which editors' JavaScript cannot read.
        pattern = rf"^\s*£?{_NUMBER}[kKmM]?\s*$"
        return {
            "description": f"An amount in pounds: {ACCEPTED_FORMS}",
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": pattern},
            ],
        }


ZERO = Money(0)


def parse_money(raw: object, *, signed: bool = False) -> Money:
    """Read an amount written in YAML: an int, a Decimal read from the text, or a string.

    Raises MoneyError, with the accepted forms, for anything else: negative
    amounts (unless `signed`, for a figure a rule judges), more than two decimal
    places, NaN, infinity, booleans, floats and text that is not an amount.
    """
    if isinstance(raw, Money):
        return raw
    if isinstance(raw, bool) or raw is None:
        shown = "nothing" if raw is None else f"'{str(raw).lower()}'"
        raise MoneyError(f"{shown} is not an amount; write it as {ACCEPTED_FORMS}")
    if isinstance(raw, float):
        raise MoneyError(
            f"{raw!r} is a binary float, which cannot hold pounds exactly; write it as "
            f"{ACCEPTED_FORMS}"
        )
    source = source_of(raw) if isinstance(raw, int | Decimal) else None
    if source is not None:  # a YAML number is judged as it is written: 0x10 is not 16
        return _parse_text(source, signed)
    if isinstance(raw, int):
        return _checked(Decimal(raw), str(raw), signed)
    if isinstance(raw, Decimal):
        if not raw.is_finite():
            raise MoneyError(f"'{raw}' is not an amount; write it as {ACCEPTED_FORMS}")
        return _checked(raw, str(raw), signed)
    if isinstance(raw, str):
        return _parse_text(raw, signed)
    kinds: dict[type, str] = {dict: "a mapping", list: "a list"}
    kind = kinds.get(type(raw), f"a {type(raw).__name__}")
    raise MoneyError(f"{kind} is not an amount; write it as {ACCEPTED_FORMS}")


def _parse_text(text: str, signed: bool) -> Money:
    """The one reader of money text: --amount, a string in a file, a YAML number's source."""
    match = _TEXT.fullmatch(text.strip())
    if match is None:
        shown = f"'{text}'" if text.strip() else "an empty string"
        hint = next((f" ({why})" for form, why in _HINTS if form.match(text.strip())), "")
        raise MoneyError(f"{shown} is not an amount{hint}; write it as {ACCEPTED_FORMS}")
    try:
        value = Decimal(match["number"].replace(",", ""))
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        raise MoneyError(f"'{text}' is not an amount; write it as {ACCEPTED_FORMS}") from None
    unit = match["unit"]
    if unit:
        value *= _UNITS[unit.lower()]
    if match["sign"]:
        value = -value
    return _checked(value, text, signed)


def _checked(value: Decimal, shown: str, signed: bool = False) -> Money:
    if value < 0 and not signed:
        raise MoneyError(f"'{shown}' is negative; amounts are zero or more")
    # Before the pence check: quantizing a value of more than 28 digits raises InvalidOperation.
    if abs(value) >= LIMIT:
        raise MoneyError(f"'{shown}' is too large; amounts are below £10 trillion")
    if value != value.quantize(_CENT, rounding="ROUND_DOWN"):
        raise MoneyError(f"'{shown}' has more than two decimal places; round it to whole pence")
    return Money(value)


def total(amounts: Iterable[Money]) -> Money:
    """The exact sum of `amounts` (zero when there are none)."""
    result = Decimal(0)
    for amount in amounts:
        result += amount.amount
    return Money(result)


def format_money(money: Money) -> str:
    """`£1,000,000` for people; pence only when there are some (`£1,000.50`)."""
    value = money.amount
    sign = "-" if value < 0 else ""
    value = abs(value)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}"
    return f"{sign}{SIGN.get()}{text}"


def to_json(money: Money) -> str:
    """`"1000000.00"`: a string with exactly two decimals, as the JSON contract says."""
    return f"{money.amount:.2f}"
