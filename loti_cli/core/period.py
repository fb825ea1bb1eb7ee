"""Months of a financial year: April is month 1, March month 12; a period is the year's months
up to one of them. Every command that speaks of a month (monitor, projects) counts them here."""

from __future__ import annotations

import re
from calendar import monthrange
from dataclasses import dataclass
from datetime import date

from loti_cli.core.values import MONTH_NAMES

MONTHS = 12
_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")


def first_day(year: str, month: int) -> date:
    """The first day of month `month` (1-12) of financial year `year` (2020-21)."""
    start = int(year[:4])
    calendar_month = (month + 2) % 12 + 1
    return date(start if month <= 9 else start + 1, calendar_month, 1)


def last_day(year: str, month: int) -> date:
    day = first_day(year, month)
    return day.replace(day=monthrange(day.year, day.month)[1])


def month_of(day: date, year: str) -> int | None:
    """The month number (1-12) of `day` in financial year `year`, or None outside it."""
    start = int(year[:4])
    if date(start, 4, 1) <= day <= date(start + 1, 3, 31):
        return (day.month - 4) % 12 + 1
    return None


@dataclass(frozen=True, slots=True)
class Period:
    """What the report covers: the year's months up to `month`, and actuals up to `end`."""

    financial_year: str
    month: int
    end: date
    """The last day whose actuals count: the month's last day, or the --as-of date."""

    @property
    def start(self) -> date:
        return first_day(self.financial_year, self.month)

    @property
    def label(self) -> str:
        return f"Month {self.month}"

    @property
    def name(self) -> str:
        """`September 2020`."""
        return f"{MONTH_NAMES[self.month - 1]} {self.start.year}"


def month_period(year: str, month: int) -> Period:
    return Period(year, month, last_day(year, month))


def parse_period(year: str, text: str) -> int:
    """`--period 2020-09` as the month of financial year `year` (6); ValueError saying what to
    write when it is not a month, or not one of the year."""
    match = _PERIOD.fullmatch(text.strip())
    if match is None or not 1 <= int(match[2]) <= MONTHS:
        raise ValueError(f"'{text}' is not a month; write it as YYYY-MM, e.g. 2020-09")
    try:  # year 0 is no date at all, and in no financial year
        month = month_of(date(int(match[1]), int(match[2]), 1), year)
    except ValueError:
        month = None
    if month is None:
        start, end = first_day(year, 1), first_day(year, MONTHS)
        raise ValueError(
            f"'{text}' is not a month of the financial year {year}, which runs from "
            f"{start:%Y-%m} to {end:%Y-%m}"
        )
    return month


def default_month(year: str, latest: date | None, as_of: date | None, today: date) -> int:
    """The period when none is given: the month of the latest actual; with no actuals, the
    ledger's `as_of` month; with neither, today's month, kept within the year."""
    for day in (latest, as_of):
        month = month_of(day, year) if day is not None else None
        if month is not None:
            return month
    if today < first_day(year, 1):
        return 1
    return month_of(today, year) or MONTHS
