"""`loti projects --format json`: the delivery contract's document, version 1."""

from __future__ import annotations

from typing import Any

from loti_cli.pipeline.projects import ProjectsResult
from loti_cli.report import RenderOptions
from loti_cli.report.jsonout import VERSION, dump, finding, money
from loti_cli.report.projects_cells import pct_json


def render(result: ProjectsResult, options: RenderOptions) -> str:
    document: dict[str, Any] = {
        "version": VERSION,
        "ledger": result.choice.display,
        "financial_year": result.financial_year,
        "period": {"month": result.month, "end": result.end.isoformat()},
        "projects": [
            {
                "id": item.id,
                "title": item.title,
                "pillar": item.pillar,
                "phase": item.phase,
                "award": money(item.award),
                "spent": money(item.spent),
                "spent_pct": pct_json(item.spent_pct),
                "elapsed_pct": pct_json(item.elapsed_pct),
                "milestones_done": item.milestones_done,
                "milestones_total": item.milestones_total,
                "overdue": [overdue.name for overdue in item.overdue],
                "measures_on_target": item.measures_on_target,
                "measures_total": item.measures_total,
                "rag": item.rag,
            }
            for item in result.projects
        ],
        "findings": [finding(item) for item in result.findings],
    }
    return dump(document)
