"""The month's report as rows of figures, shared by the monitor's JSON, CSV and markdown formats."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from loti_cli.core.money import Money
from loti_cli.core.monitoring import Monitor, Row

MONEY_KEYS = (
    "budget",
    "profile_to_date",
    "actual_to_date",
    "variance_to_date",
    "forecast_outturn",
    "variance",
)
"""Each row's money, in the contract's order."""

HEADERS = (
    "Budget",
    "Profile to date",
    "Actual to date",
    "Variance to date",
    "Forecast outturn",
    "Variance",
)


def figures(row: Row) -> tuple[Money, ...]:
    """The row's money in MONEY_KEYS order."""
    return (
        row.budget,
        row.profile_to_date,
        row.actual_to_date,
        row.variance_to_date,
        row.forecast_outturn,
        row.variance,
    )


def pct(value: Decimal | None) -> str:
    """`12.5`, `-3.0`; empty when there is no percentage (a zero budget)."""
    return "" if value is None else f"{value:.1f}"


def sections(report: Monitor) -> Iterator[tuple[str, Row]]:
    """(section, row): the lines, the approved proposals, the unmatched actuals, then the
    totals per pillar, of lines, of proposals and over all."""
    for row in report.lines:
        yield (row.kind, row)
    yield ("unmatched", report.unmatched)
    for row in report.pillars:
        yield ("pillar total", row)
    yield ("total", report.lines_total)
    yield ("total", report.proposals_total)
    yield ("total", report.total)
