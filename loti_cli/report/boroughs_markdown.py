"""`loti report boroughs --format markdown`: one row per member, then the findings."""

from __future__ import annotations

from loti_cli.core.findings import one_line
from loti_cli.core.money import format_money
from loti_cli.pipeline.boroughs import Statements
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions
from loti_cli.report.borough_html import spent_text
from loti_cli.report.mdtext import cell, table


def render(result: Statements, options: RenderOptions | None = None) -> str:
    parts = [
        f"# What each member gets, {cell(result.financial_year)}\n",
        f"Ledger {cell(result.ledger_path)}"
        + (f"; actuals {cell(result.actuals)}" if result.actuals else "; no actuals")
        + ".\n",
    ]
    if result.uncounted:
        parts.append(f"**{cell(incomplete_note(result.uncounted))}**\n")
    rows = [
        [
            cell(m.name),
            cell(m.kind),
            cell(m.gss or "—"),
            format_money(m.fee),
            str(len(m.leads)),
            str(len(m.delivers)),
            str(len(m.supports)),
            format_money(m.loti_funding),
            format_money(m.total_value),
            spent_text(m),
            str(len(m.pipeline)),
        ]
        for m in result.members
    ]
    rows.append(["**Total**", "", "", f"**{format_money(result.expected_membership)}**", *[""] * 7])
    parts.append(
        table(
            [
                "Member",
                "Kind",
                "GSS",
                "Fee",
                "Leads",
                "Delivers",
                "Supports",
                "LOTI funding",
                "Total value",
                "Spent to date",
                "Pipeline",
            ],
            rows,
            "lllrrrrrrrr",
        )
    )
    if result.findings:
        parts.append("## Findings\n")
        parts.extend(f"- {cell(one_line(str(f)))}" for f in result.findings)
        parts.append("")
    return "\n".join(parts)
