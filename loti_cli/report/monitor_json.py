"""`loti budget monitor --format json`: the monitoring contract's document, version 1."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from loti_cli.core.monitoring import Row
from loti_cli.pipeline.monitoring import MonitorResult
from loti_cli.report import RenderOptions
from loti_cli.report.jsonout import VERSION, dump, finding, money
from loti_cli.report.monitor_rows import MONEY_KEYS, figures


def _money(row: Row) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: money(value) for key, value in zip(MONEY_KEYS, figures(row), strict=True)
    }
    data["variance_pct"] = None if row.variance_pct is None else f"{row.variance_pct:.1f}"
    return data


def _percent(fraction: Decimal) -> str:
    """A threshold as a percentage, exactly: one decimal at least (`5.0`), more when the
    ledger gives more (`5.45`); never rounded, so a consumer compares with what loti did."""
    value = (fraction * 100).normalize()
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # a threshold is a finite number
    return f"{value:.1f}" if exponent >= -1 else f"{value:f}"


def _row(row: Row) -> dict[str, Any]:
    return {"name": row.name, "kind": row.kind, "pillar": row.pillar, **_money(row), "rag": row.rag}


def render(result: MonitorResult, options: RenderOptions) -> str:
    report = result.report
    assert report is not None
    status = result.status.status
    assert status is not None
    period = report.period
    document: dict[str, Any] = {
        "version": VERSION,
        "ledger": result.status.choice.display,
        "financial_year": period.financial_year,
        "period": {
            "month": period.month,
            "label": period.label,
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
        },
        "actuals": result.actuals_path,
        "thresholds": {"amber": _percent(report.amber), "red": _percent(report.red)},
        "lines": [_row(row) for row in report.lines],
        "unmatched": {**_row(report.unmatched), "rows": report.unmatched_count},
        "totals": {
            **_money(report.total),
            "lines": _money(report.lines_total),
            "proposals": _money(report.proposals_total),
            "pillars": [{"pillar": row.name, **_money(row)} for row in report.pillars],
        },
        "total_income": money(report.total_income),
        "forecast_unspent": money(report.forecast_unspent),
        "planned_unspent": money(report.planned_unspent),
        "findings": [finding(item) for item in result.findings],
    }
    if result.uncounted:
        document["uncounted"] = sorted({item.path for item in result.uncounted})
    return dump(document)
