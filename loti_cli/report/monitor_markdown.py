"""`loti budget monitor --format markdown`: the month's report for a finance paper or a pull request."""

from __future__ import annotations

from loti_cli.core.money import format_money
from loti_cli.core.monitoring import Row
from loti_cli.io.load import percent
from loti_cli.pipeline.monitoring import MonitorResult
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions
from loti_cli.report.budget_markdown import findings_section
from loti_cli.report.mdtext import cell, table
from loti_cli.report.monitor_rows import HEADERS, figures, pct

_HEADER = ["", "Pillar", *HEADERS, "Variance %", "RAG"]


def _cells(row: Row, *, bold: bool = False) -> list[str]:
    name = cell(f"{row.name} proposals" if row.kind == "total" and row.pillar else row.name)
    pillar = "" if row.kind == "total" else cell(row.pillar or "")
    money = [format_money(value) for value in figures(row)]
    if bold:
        name, money = f"**{name}**", [f"**{value}**" for value in money]
    return [name, pillar, *money, pct(row.variance_pct), (row.rag or "").upper()]


def render(result: MonitorResult, options: RenderOptions) -> str:
    report = result.report
    assert report is not None
    status = result.status.status
    assert status is not None
    ledger = status.ledger
    period = report.period
    title = ledger.ledger or f"Budget {ledger.financial_year}"
    parts = [
        f"# {cell(title)}: monitoring, {period.label} ({period.name})\n",
        f"Ledger: {cell(result.status.choice.display)}; actuals: {cell(result.actuals_path)} "
        f"to {period.end.isoformat()}. RAG: red from an overspend of {percent(report.red)}, "
        f"amber from {percent(report.amber)} (or an underspend of {percent(report.red)}).\n",
    ]
    if result.uncounted:
        parts.append(f"**{cell(incomplete_note(result.uncounted))}**\n")
    align = "ll" + "r" * 7 + "l"
    parts.append("## Lines and approved proposals\n")
    body = [_cells(row) for row in report.lines]
    body.append(_cells(report.unmatched))
    parts.append(table(["Line", *_HEADER[1:]], body, align))
    parts.append("## Totals\n")
    body = [_cells(row) for row in report.pillars]
    body.extend(_cells(row) for row in (report.lines_total, report.proposals_total))
    body.append(_cells(report.total, bold=True))
    parts.append(table(["Total", *_HEADER[1:]], body, align))
    parts.append("## Year end\n")
    body = [
        ["Total income", format_money(report.total_income)],
        ["Forecast unspent", format_money(report.forecast_unspent)],
        ["Planned unspent", format_money(report.planned_unspent)],
    ]
    parts.append(table(["Figure", "Amount"], body, "lr"))
    parts.append(findings_section(result.findings, "spend is within budget"))
    return "\n".join(parts)
