"""Months of a financial year: April is month 1, March month 12; a period is one such month."""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date

_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")


def _first_year(year: str) -> int:
    return int(year[:4])


def financial_month(year: str, day: date) -> int:
    """The month of financial year `year` (2020-21) that `day` falls in: April 1 ... March 12.
    ValueError when `day` is outside the year."""
    first = _first_year(year)
    month = (day.year - first) * 12 + day.month - 3
    if not 1 <= month <= 12:
        raise ValueError(f"{day.isoformat()} is outside the financial year {year}")
    return month


def month_start(year: str, month: int) -> date:
    """The first day of month `month` (1-12) of financial year `year`."""
    first = _first_year(year)
    calendar_month = (month + 2) % 12 + 1
    return date(first + (1 if calendar_month < 4 else 0), calendar_month, 1)


def month_end(year: str, month: int) -> date:
    """The last day of month `month` (1-12) of financial year `year`."""
    start = month_start(year, month)
    return date(start.year, start.month, monthrange(start.year, start.month)[1])


def parse_period(year: str, text: str) -> int:
    """`--period 2020-09` as the month of financial year `year` (6); ValueError saying what to
    write when it is not a month, or not one of the year."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None or not 1 <= int(match[2]) <= 12:
        raise ValueError(f"'{text}' is not a month; write it as YYYY-MM, e.g. 2020-09")
    try:  # year 0 is no date at all, and in no financial year
        return financial_month(year, date(int(match[1]), int(match[2]), 1))
    except ValueError:
        start, end = month_start(year, 1), month_start(year, 12)
        raise ValueError(
            f"'{text}' is not a month of the financial year {year}, which runs from "
            f"{start:%Y-%m} to {end:%Y-%m}"
        ) from None


def period_end(year: str, text: str) -> date:
    """The last day of the period `text` (YYYY-MM) of financial year `year`."""
    return month_end(year, parse_period(year, text))


def default_month(year: str, latest: date | None, as_of: date | None, today: date) -> int:
    """The period when none is given: the month of the latest actual; with no actuals, the
    ledger's `as_of` month; with neither, today's month, kept within the year."""
    for day in (latest, as_of):
        if day is not None:
            try:
                return financial_month(year, day)
            except ValueError:
                pass
    if today < month_start(year, 1):
        return 1
    if today > month_end(year, 12):
        return 12
    return financial_month(year, today)
