"""The budget as rows (section, name, category, pillar, amount), shared by the CSV and markdown formats."""

from __future__ import annotations

from collections.abc import Iterator

from loti_cli.core.budget import BudgetStatus
from loti_cli.core.money import Money

Row = tuple[str, str, str, str, Money]


def rows(status: BudgetStatus) -> Iterator[Row]:
    """One row per line of the budget, then the recomputed totals."""
    ledger = status.ledger
    for line in ledger.income or ():
        yield ("income", line.name, line.kind, "", line.amount)
    for spend in ledger.expenditure or ():
        yield ("expenditure", spend.name, spend.status, spend.pillar or "", spend.amount)
    for pillar in status.pillars:
        yield ("allocation", pillar.pillar, "allocated", pillar.pillar, pillar.allocated)
        yield ("allocation", pillar.pillar, "approved", pillar.pillar, pillar.approved)
        yield ("allocation", pillar.pillar, "pipeline", pillar.pillar, pillar.pipeline)
        yield ("allocation", pillar.pillar, "headroom", pillar.pillar, pillar.headroom)
    totals = [
        ("total income", status.total_income),
        ("recurring income", status.recurring_income),
        *((f"{key} expenditure", value) for key, value in status.by_status.items()),
        ("total committed", status.total_committed),
        ("remaining", status.remaining),
        ("total allocated", status.total_allocated),
        ("unallocated", status.unallocated),
        ("expected membership", status.expected_membership),
        ("recorded membership", status.recorded_membership),
    ]
    for name, value in totals:
        yield ("total", name, "", "", value)
