"""`loti projects` for a person: one table per pillar, then what is late or off track and why."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.text import Text

from loti_cli.core.findings import one_line
from loti_cli.core.money import format_money
from loti_cli.core.projects import Project
from loti_cli.pipeline.projects import ProjectsResult
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions
from loti_cli.report.budget_table import finding_line
from loti_cli.report.console import recording_console
from loti_cli.report.fitted_table import Column, Row, fitted_table
from loti_cli.report.projects_cells import (
    ON_TARGET,
    RAG_WORDS,
    counts,
    measure_line,
    of,
    pct,
    period_label,
)

RAG_STYLES = {"red": "bold red", "amber": "bold yellow", "green": "green"}

COLUMNS = [
    Column("Project"),
    Column("Phase", optional=True),
    Column("Award", money=True),
    Column("Spent", money=True),
    Column("Spent %", optional=True),
    Column("Time %", optional=True),
    Column("Done", optional=True),
    Column("Late", optional=True),
    Column("Target", optional=True),
    Column("RAG"),
]


def render(result: ProjectsResult, options: RenderOptions) -> str:
    console, buffer = recording_console(options)
    heading = Text(f"Projects {one_line(result.financial_year)}", style="bold")
    heading.append(f"  {period_label(result)}", style="dim")
    console.print(heading)
    spend = one_line(result.actuals) if result.actuals else "no actuals (nothing recorded as spent)"
    console.print(
        Text(f"Ledger: {one_line(result.choice.display)}; spend from {spend}", style="dim"),
        overflow="fold",
    )
    if result.uncounted:
        console.print(Text(one_line(incomplete_note(result.uncounted)), style="bold red"))
    if not result.projects:
        console.print()
        console.print("No approved projects in this year.")
    for pillar, group in groupby(result.projects, key=lambda item: item.pillar):
        rows = [_row(item) for item in group]
        console.print()
        console.print(fitted_table(one_line(pillar) or "No pillar", COLUMNS, [rows], options.width))
    console.print()
    console.print(
        Text(
            "Spent % is of the award, Time % of the time from start to end; Done is "
            "milestones done, Late those overdue, Target measures on target.",
            style="dim",
        )
    )
    console.print(Text(ON_TARGET, style="dim"))
    _print_details(console, result.projects)
    console.print()
    for finding in result.findings:
        console.print(finding_line(finding), soft_wrap=True)
    console.print(Text(counts(result.projects), style="bold"))
    return buffer.getvalue()


def _row(item: Project) -> Row:
    return (
        Text(one_line(item.id), style="bold"),
        one_line(item.phase or "-"),
        format_money(item.award),
        format_money(item.spent),
        pct(item.spent_pct),
        pct(item.elapsed_pct),
        of(item.milestones_done, item.milestones_total),
        str(len(item.overdue)),
        of(item.measures_on_target, item.measures_total),
        Text(RAG_WORDS[item.rag], style=RAG_STYLES[item.rag]),
    )


def _print_details(console: Console, projects: list[Project]) -> None:
    """Each project's title, why it is red or amber, its overdue milestones and its measures."""
    for item in projects:
        lines: list[Text] = []
        if item.title:
            lines.append(Text(f"  {one_line(item.title)}", style="italic"))
        if item.why:
            why = Text(f"  {RAG_WORDS[item.rag]}: ", style=RAG_STYLES[item.rag])
            why.append(one_line("; ".join(item.why)), style="")
            lines.append(why)
        lines.extend(
            Text(f"  overdue: {one_line(o.name)} (due {o.due.isoformat()}, {o.days} days)")
            for o in item.overdue
        )
        lines.extend(
            Text(f"  measure: {one_line(m.name)}: {one_line(measure_line(m))}")
            for m in item.measures
        )
        if lines:
            console.print()
            heading = Text(one_line(item.id), style="bold")
            heading.append(f"  {RAG_WORDS[item.rag]}", style=RAG_STYLES[item.rag])
            console.print(heading)
            for line in lines:
                console.print(line, overflow="fold")
