"""`loti projects --format markdown`: the projects as a table for a panel paper."""

from __future__ import annotations

from loti_cli.core.money import format_money
from loti_cli.pipeline.projects import ProjectsResult
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions
from loti_cli.report.mdtext import cell, table
from loti_cli.report.projects_cells import (
    ON_TARGET,
    RAG_WORDS,
    counts,
    measure_line,
    of,
    pct,
    period_label,
)


def render(result: ProjectsResult, options: RenderOptions) -> str:
    parts = [
        f"# Projects {cell(result.financial_year)}\n",
        f"{period_label(result)}. Ledger: {cell(result.choice.display)}; spend from "
        f"{cell(result.actuals) if result.actuals else 'no actuals (nothing recorded as spent)'}"
        ".\n",
    ]
    if result.uncounted:
        parts.append(f"**{cell(incomplete_note(result.uncounted))}**\n")
    header = [
        "Project",
        "Title",
        "Pillar",
        "Phase",
        "Award",
        "Spent",
        "Spent %",
        "Time elapsed %",
        "Milestones done",
        "Overdue",
        "Measures on target",
        "RAG",
    ]
    body = [
        [
            cell(item.id),
            cell(item.title),
            cell(item.pillar),
            cell(item.phase or "-"),
            format_money(item.award),
            format_money(item.spent),
            pct(item.spent_pct),
            pct(item.elapsed_pct),
            of(item.milestones_done, item.milestones_total),
            str(len(item.overdue)),
            of(item.measures_on_target, item.measures_total),
            f"**{RAG_WORDS[item.rag]}**",
        ]
        for item in result.projects
    ]
    parts.append(table(header, body, "llllrrrrrrrl"))
    parts.append(f"{counts(result.projects)}. {ON_TARGET}\n")
    parts.extend(_details(result))
    for finding in result.findings:
        parts.append(f"- {cell(str(finding))}")
    return "\n".join(parts) + "\n"


def _details(result: ProjectsResult) -> list[str]:
    """Why each red or amber project is so, its overdue milestones, and its measures."""
    lines: list[str] = []
    for item in result.projects:
        notes = [f"**{RAG_WORDS[item.rag]}**: {cell('; '.join(item.why))}"] if item.why else []
        notes.extend(
            f"overdue: {cell(o.name)} (due {o.due.isoformat()}, {o.days} days)"
            for o in item.overdue
        )
        notes.extend(f"measure: {cell(m.name)}: {cell(measure_line(m))}" for m in item.measures)
        if notes:
            lines.append(f"## {cell(item.id)}\n")
            lines.extend(f"- {note}" for note in notes)
            lines.append("")
    return lines
