"""`loti report boroughs --format json`: one entry per member, version 1 (docs/formats/
boroughs-report-format.md)."""

from __future__ import annotations

from typing import Any

from loti_cli.pipeline.boroughs import Statements
from loti_cli.report import RenderOptions
from loti_cli.report.borough_json import figures, member_data, uncounted
from loti_cli.report.jsonout import VERSION, dump


def render(result: Statements, options: RenderOptions | None = None) -> str:
    document: dict[str, Any] = {
        "version": VERSION,
        "ledger": result.ledger_path,
        "financial_year": result.financial_year,
        "boroughs": [
            {
                **member_data(member),
                "leads": [p.id for p in member.leads],
                "delivers": [p.id for p in member.delivers],
                "supports": [p.id for p in member.supports],
                **figures(member),
                "pipeline": [p.id for p in member.pipeline],
            }
            for member in result.members
        ],
        **uncounted(result),
    }
    return dump(document)
