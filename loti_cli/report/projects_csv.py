"""`loti projects --format csv`: one row per approved project, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from loti_cli.core.findings import one_line
from loti_cli.pipeline.projects import ProjectsResult
from loti_cli.report import RenderOptions
from loti_cli.report.budget_csv import inert
from loti_cli.report.jsonout import money
from loti_cli.report.projects_cells import pct_json

HEADER = (
    "id",
    "title",
    "pillar",
    "phase",
    "award",
    "spent",
    "spent_pct",
    "elapsed_pct",
    "milestones_done",
    "milestones_total",
    "overdue",
    "measures_on_target",
    "measures_total",
    "rag",
)


def render(result: ProjectsResult, options: RenderOptions) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as budget_csv says why
    writer.writerow(HEADER)
    blank = [""] * (len(HEADER) - 2)
    # First, so that no one reads the rows below as complete: the files they leave out.
    for finding in result.findings:
        writer.writerow(["finding", inert(one_line(str(finding))), *blank])
    for item in result.projects:
        text = (one_line(cell) for cell in (item.id, item.title, item.pillar, item.phase or ""))
        writer.writerow(
            [
                *(inert(cell) for cell in text),
                money(item.award),
                money(item.spent),
                pct_json(item.spent_pct) or "",
                pct_json(item.elapsed_pct) or "",
                item.milestones_done,
                item.milestones_total,
                inert("; ".join(one_line(overdue.name) for overdue in item.overdue)),
                item.measures_on_target,
                item.measures_total,
                item.rag,
            ]
        )
    return out.getvalue()
