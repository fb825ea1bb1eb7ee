"""`loti report borough --format json`: one member's statement, version 1 (docs/formats/
boroughs-report-format.md, "One statement as JSON")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from loti_cli.core.findings import Finding
from loti_cli.pipeline.boroughs import MemberStatement, Project, Statement, Statements
from loti_cli.report import RenderOptions
from loti_cli.report.jsonout import VERSION, dump, finding, money


def render(result: MemberStatement, options: RenderOptions | None = None) -> str:
    year, member = result.year, result.member
    document: dict[str, Any] = {
        "version": VERSION,
        "ledger": year.ledger_path,
        "financial_year": year.financial_year,
        **member_data(member),
        "leads": [_project(p) for p in member.leads],
        "delivers": [_project(p) for p in member.delivers],
        "supports": [_project(p) for p in member.supports],
        **figures(member),
        "pipeline": [{**_project(p), "role": p.role} for p in member.pipeline],
        "outputs": [
            {
                "name": o.name,
                "licence": o.licence,
                "url": o.url,
                "proposal": o.proposal,
                "title": o.title,
            }
            for o in year.outputs
        ],
        "actuals": year.actuals,
        # The year's BR1 is about this member only when it is one of those it counts.
        **uncounted(year, keep=lambda f: f.code != "BR1" or member.idle),
    }
    return dump(document)


def member_data(member: Statement) -> dict[str, Any]:
    """The keys every member has in both documents, in the contract's order."""
    return {
        "borough": member.name,
        "kind": member.kind,
        "gss": member.gss,
        "fee": money(member.fee),
    }


def figures(member: Statement) -> dict[str, Any]:
    return {
        "loti_funding": money(member.loti_funding),
        "total_value": money(member.total_value),
        "spent_to_date": money(member.spent_to_date) if member.spent_to_date is not None else None,
    }


def uncounted(year: Statements, keep: Callable[[Finding], bool] | None = None) -> dict[str, Any]:
    """`findings` (those `keep` keeps), and before them `uncounted` (the files LB9 names)
    when there are any."""
    data: dict[str, Any] = {}
    if year.uncounted:
        data["uncounted"] = sorted({f.path for f in year.uncounted})
    data["findings"] = [finding(f) for f in year.findings if keep is None or keep(f)]
    return data


def _project(project: Project) -> dict[str, Any]:
    return {
        "id": project.id,
        "title": project.title,
        "pillar": project.pillar,
        "requested": money(project.requested),
        "total_cost": money(project.total_cost),
    }
