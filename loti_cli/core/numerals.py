"""Numbers read from YAML that remember the text they were written as, when it was not plain digits."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

_PLAIN = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
"""Digits, with a sign and a decimal point at most: how the value itself prints (`264000.50`)."""


class WrittenInt(int):
    """An integer written otherwise than in plain digits (`0x10`, `0o17`, `+5`, `007`)."""

    source: str

    def __new__(cls, value: int, source: str) -> WrittenInt:
        number = super().__new__(cls, value)
        number.source = source
        return number

    def __reduce__(self) -> tuple[Any, ...]:
        return (WrittenInt, (int(self), self.source))


class WrittenDecimal(Decimal):
    """A decimal written otherwise than in plain digits (`1e3`, `.5`, `5.`)."""

    source: str

    def __new__(cls, value: Decimal, source: str) -> WrittenDecimal:
        number = super().__new__(cls, value)
        number.source = source
        return number

    def __reduce__(self) -> tuple[Any, ...]:
        return (WrittenDecimal, (Decimal(self), self.source))

    def __copy__(self) -> WrittenDecimal:
        return self

    def __deepcopy__(self, memo: Any) -> WrittenDecimal:
        return self


def written(value: int | Decimal, source: str) -> int | Decimal:
    """`value`, read from `source`; it keeps `source` (as `.source`) unless that is plain digits.

    So a reader that cares how a number was written (an amount of money) can tell
    `0x10` from `16` and `.5` from `0.5`; every other reader sees an int or a Decimal.
    """
    if _PLAIN.fullmatch(source) and str(value) == source:
        return value
    if isinstance(value, int):
        return WrittenInt(value, source)
    return WrittenDecimal(value, source)


def source_of(value: int | Decimal) -> str | None:
    """The text a number read from YAML was written as, when that was not plain digits."""
    source = getattr(value, "source", None)
    return source if isinstance(source, str) else None
