"""`loti budget status --format json`: the contract's document, version 1."""

from __future__ import annotations

from typing import Any

from loti_cli.pipeline.status import StatusResult
from loti_cli.report import RenderOptions
from loti_cli.report.jsonout import VERSION, dump, finding, money


def render(result: StatusResult, options: RenderOptions) -> str:
    status = result.status
    assert status is not None, "only a loaded ledger has a status"
    ledger = status.ledger
    document: dict[str, Any] = {
        "version": VERSION,
        "ledger": result.choice.display,
        "financial_year": ledger.financial_year,
        "currency": ledger.currency,
        "as_of": ledger.as_of.isoformat() if ledger.as_of else None,
        "income": {
            "total": money(status.total_income),
            "recurring": money(status.recurring_income),
            "lines": [
                {"name": line.name, "kind": line.kind, "amount": money(line.amount)}
                for line in ledger.income or ()
            ],
        },
        "expenditure": {
            "total": money(status.total_committed),
            "by_status": {key: money(value) for key, value in status.by_status.items()},
            "lines": [
                {
                    "name": line.name,
                    "status": line.status,
                    "pillar": line.pillar,
                    "amount": money(line.amount),
                }
                for line in ledger.expenditure or ()
            ],
        },
        "remaining": money(status.remaining),
        "allocations": {
            "total": money(status.total_allocated),
            "pillars": [
                {
                    "pillar": pillar.pillar,
                    "allocated": money(pillar.allocated),
                    "approved": money(pillar.approved),
                    "pipeline": money(pillar.pipeline),
                    "headroom": money(pillar.headroom),
                }
                for pillar in status.pillars
            ],
        },
        "unallocated": money(status.unallocated),
        "membership": {
            "expected": money(status.expected_membership),
            "recorded": money(status.recorded_membership),
        },
        "findings": [finding(item) for item in result.findings],
    }
    if result.assumed:
        document["what_if"] = {"assumed_approved": result.assumed}
    if result.uncounted:
        # The figures above leave these files out: they are not the year's whole budget.
        document["uncounted"] = sorted({finding.path for finding in result.uncounted})
    return dump(document)
