"""`loti report borough --format markdown`: one member's statement for a paper or a pull request.

Text from files goes through `mdtext.cell`, so no name or title can break a table,
start a heading or inject HTML, and terminal escapes are shown, never obeyed.
"""

from __future__ import annotations

from loti_cli.core.money import format_money
from loti_cli.pipeline.boroughs import MemberStatement, Project
from loti_cli.pipeline.panel import long_date
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions
from loti_cli.report.borough_html import ROLE_NAMES, spent_text
from loti_cli.report.mdtext import cell, table


def render(result: MemberStatement, options: RenderOptions | None = None) -> str:
    year, member = result.year, result.member
    facts = [f"Financial year {cell(year.financial_year)}"]
    if year.ledger_name:
        facts.append(f"budget: {cell(year.ledger_name)}")
    if year.as_of:
        facts.append(f"figures as of {long_date(year.as_of)}")
    facts.append(f"ledger {cell(year.ledger_path)}")
    kind = "Member" if member.kind == "borough" else "Partner"
    parts = [f"# {kind} statement: {cell(member.name)}\n", "; ".join(facts) + ".\n"]
    if year.uncounted:
        parts.append(f"**{cell(incomplete_note(year.uncounted))}**\n")
    spent = spent_text(member)
    summary = [
        ["Membership fee", format_money(member.fee)],
        ["GSS code", cell(member.gss) if member.gss else "—"],
        ["LOTI funding in its projects (leads or delivers)", format_money(member.loti_funding)],
        ["Total value of its projects", format_money(member.total_value)],
        ["Spent to date", spent + (f" ({cell(year.actuals)})" if year.actuals else "")],
        ["Outputs it can reuse", str(len(year.outputs))],
    ]
    parts.append("## The year at a glance\n")
    parts.append(table(["", "Figure"], summary, "lr"))
    parts.append("## Approved projects\n")
    approved = [*member.leads, *member.delivers, *member.supports]
    if approved:
        parts.append(_projects(approved, "LOTI funding"))
    else:
        parts.append("It leads, delivers and supports no approved project this year.\n")
    parts.append("## Pipeline\n")
    if member.pipeline:
        parts.append(_projects(list(member.pipeline), "Requested"))
    else:
        parts.append("No submitted proposal names it.\n")
    parts.append("## Outputs it can reuse\n")
    if year.outputs:
        rows = [
            [
                cell(o.name),
                cell(o.licence or "—"),
                cell(o.url or "—"),
                f"{cell(o.proposal)} {cell(o.title)}",
            ]
            for o in year.outputs
        ]
        parts.append(table(["Output", "Licence", "Where", "From"], rows))
    else:
        parts.append("No approved project of the year has gifted an output yet.\n")
    return "\n".join(parts)


def _projects(projects: list[Project], money: str) -> str:
    rows = [
        [
            cell(p.id),
            cell(p.title),
            cell(p.pillar or "—"),
            cell(ROLE_NAMES.get(p.role, p.role)),
            format_money(p.requested),
            format_money(p.total_cost),
        ]
        for p in projects
    ]
    return table(["Proposal", "Title", "Pillar", "Role", money, "Total value"], rows, "llllrr")
