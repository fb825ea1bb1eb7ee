"""Actual spend: one imported row of the finance system's export, and the sums made of them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import NamedTuple

from loti_cli.core.money import Money

COLUMNS = (
    "id",
    "date",
    "amount",
    "line",
    "proposal",
    "supplier",
    "description",
    "source",
    "source_row",
)
"""The columns of `ledgers/YYYY-YY.actuals.csv`, in order (monitoring-format.md section 2)."""


class Actual(NamedTuple):
    """One row of spend: on a ledger line, on a proposal, or on neither (unmatched).

    A named tuple rather than a frozen dataclass: a year holds a hundred thousand of them,
    and a tuple is made in a third of the time, in less memory."""

    id: str
    date: date
    amount: Money
    line: str = ""
    """The expenditure line it is spent on, or empty."""
    proposal: str = ""
    """The proposal id it is spent on, or empty."""
    supplier: str = ""
    description: str = ""
    source: str = ""
    """The file name of the export it was imported from."""
    source_row: int = 0
    """Its 1-based data row in that export."""
    at: int = 0
    """The line of the file it was read from: the actuals file, or the export it is imported
    from (0: not read from a file); never written."""

    @property
    def matched(self) -> bool:
        """True when it names a line or a proposal."""
        return bool(self.line or self.proposal)

    def cells(self) -> tuple[str, ...]:
        """Its cells as the actuals file writes them, in COLUMNS order."""
        return (
            self.id,
            self.date.isoformat(),
            f"{self.amount.amount:.2f}",
            self.line,
            self.proposal,
            self.supplier,
            self.description,
            self.source,
            str(self.source_row),
        )


def sort_key(actual: Actual) -> tuple[date, str]:
    """The actuals file's order: by date, then id."""
    return (actual.date, actual.id)


def _sums(pairs: Iterable[tuple[str, Money]]) -> dict[str, Money]:
    sums: dict[str, Decimal] = {}
    for key, amount in pairs:
        sums[key] = sums.get(key, Decimal(0)) + amount.amount
    return {key: Money(value) for key, value in sums.items()}


def spent_by_proposal(rows: Iterable[Actual], until: date | None = None) -> dict[str, Money]:
    """Proposal id -> the exact sum of its actuals dated on or before `until` (all, if None)."""
    return _sums(
        (row.proposal, row.amount)
        for row in rows
        if row.proposal and (until is None or row.date <= until)
    )


def spent_by_line(rows: Iterable[Actual], until: date | None = None) -> dict[str, Money]:
    """Expenditure line name -> the exact sum of its actuals dated on or before `until`."""
    return _sums(
        (row.line, row.amount) for row in rows if row.line and (until is None or row.date <= until)
    )
