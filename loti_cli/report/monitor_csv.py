"""`loti budget monitor --format csv`: one row per line, proposal and total, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io

from loti_cli.core.findings import one_line
from loti_cli.core.money import to_json
from loti_cli.pipeline.monitoring import MonitorResult
from loti_cli.report import RenderOptions
from loti_cli.report.budget_csv import inert
from loti_cli.report.monitor_rows import MONEY_KEYS, figures, pct, sections

HEADER = ("section", "name", "pillar", *MONEY_KEYS, "variance_pct", "rag")


def render(result: MonitorResult, options: RenderOptions) -> str:
    report = result.report
    assert report is not None
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    blank = [""] * (len(HEADER) - 3)
    for item in result.uncounted:
        writer.writerow(["finding", inert(one_line(str(item))), str(item.severity), *blank])
    for section, row in sections(report):
        text = (inert(cell) for cell in (section, row.name, row.pillar or ""))
        money = (to_json(value) for value in figures(row))
        writer.writerow([*text, *money, pct(row.variance_pct), row.rag or ""])
    for name, value in (
        ("total income", report.total_income),
        ("forecast unspent", report.forecast_unspent),
        ("planned unspent", report.planned_unspent),
    ):
        writer.writerow(["year end", name, "", "", "", "", "", to_json(value), "", "", ""])
    return out.getvalue()
