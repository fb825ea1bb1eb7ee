"""`loti report boroughs --format csv`: one row per member, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from loti_cli.core.findings import one_line
from loti_cli.core.money import to_json
from loti_cli.pipeline.boroughs import Statements
from loti_cli.report import RenderOptions
from loti_cli.report.budget_csv import inert

HEADER = (
    "borough",
    "kind",
    "gss",
    "fee",
    "leads",
    "delivers",
    "supports",
    "loti_funding",
    "total_value",
    "spent_to_date",
    "pipeline",
)
"""The contract's columns, exactly."""


def render(result: Statements, options: RenderOptions | None = None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as budget_csv says why
    writer.writerow(HEADER)
    # First, as in the budget's CSV: the files the figures leave out (LB9), one row each.
    for finding in result.uncounted:
        writer.writerow(["finding", inert(one_line(str(finding))), *[""] * (len(HEADER) - 2)])
    for member in result.members:
        spent = member.spent_to_date
        writer.writerow(
            [
                inert(one_line(member.name)),
                member.kind,
                member.gss or "",
                to_json(member.fee),
                len(member.leads),
                len(member.delivers),
                len(member.supports),
                to_json(member.loti_funding),
                to_json(member.total_value),
                to_json(spent) if spent is not None else "",
                len(member.pipeline),
            ]
        )
    return out.getvalue()
