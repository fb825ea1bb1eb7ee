"""`loti budget status` for a person: income, expenditure by status, pillars with a bar, findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from loti_cli.core.budget import PillarStatus
from loti_cli.core.findings import Finding, Severity, one_line
from loti_cli.core.money import format_money
from loti_cli.pipeline.status import StatusResult
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions
from loti_cli.report.console import recording_console
from loti_cli.report.fitted_table import Column, Row, fitted_table

if TYPE_CHECKING:
    from collections.abc import Sequence

    from rich.console import Console
    from rich.table import Table

    from loti_cli.core.budget import BudgetStatus
    from loti_cli.core.model import Ledger

BAR_WIDTH = 12


def bar(pillar: PillarStatus, width: int = BAR_WIDTH) -> Text:
    """`███▒▒░░░░░░░ 25%`: approved (█), pipeline (▒) and free (░) shares of the allocation."""
    allocated = pillar.allocated.amount
    if allocated <= 0:
        return Text("-")
    approved = min(width, round(width * pillar.approved.amount / allocated))
    pipeline = min(width - approved, round(width * pillar.pipeline.amount / allocated))
    used = round(100 * pillar.approved.amount / allocated)
    text = Text()
    text.append("█" * approved, style="red" if pillar.approved > pillar.allocated else "green")
    text.append("▒" * pipeline, style="yellow")
    text.append("░" * (width - approved - pipeline), style="dim")
    text.append(f" {used}%")
    return text


def finding_line(finding: Finding) -> Text:
    """`path:line:column: CODE message`, the code coloured by severity."""
    style = "bold red" if finding.severity is Severity.ERROR else "yellow"
    if finding.waived:
        style = "cyan"
    text = Text(f"{one_line(finding.location)}: ")
    text.append(finding.code, style=style)
    text.append(f" {one_line(finding.message)}")
    if finding.waived:
        text.append(" (waived)", style="cyan")
    return text


def render(result: StatusResult, options: RenderOptions) -> str:
    status = result.status
    assert status is not None
    ledger = status.ledger
    console, buffer = recording_console(options)
    _print_heading(console, result, ledger)
    for table in (
        _income_table(status, ledger, options.width),
        _spend_table(status, ledger, options.width),
        _pillar_table(status, options.width),
    ):
        console.print()
        console.print(table)
    console.print()
    print_findings(console, result.findings)
    return buffer.getvalue()


def _print_heading(console: Console, result: StatusResult, ledger: Ledger) -> None:
    """The ledger's name, year and date, where it was found, and what is assumed or missing."""
    heading = Text(one_line(ledger.ledger or "Budget"), style="bold")
    heading.append(f"  {ledger.financial_year}", style="")
    if ledger.as_of:
        heading.append(f"  as of {ledger.as_of.day} {ledger.as_of:%B %Y}", style="dim")
    console.print(heading)
    console.print(Text(f"Ledger: {one_line(result.choice.description)}", style="dim"))
    if result.assumed:
        console.print(
            Text(f"What if approved: {one_line(', '.join(result.assumed))}", style="bold yellow"),
            overflow="fold",
        )
    if result.uncounted:
        note = one_line(incomplete_note(result.uncounted))
        console.print(Text(note, style="bold red"), overflow="fold")


def _income_table(status: BudgetStatus, ledger: Ledger, width: int) -> Table:
    income_rows: list[Row] = [
        (one_line(line.name), line.kind, format_money(line.amount)) for line in ledger.income or ()
    ]
    income_totals: list[Row] = [
        (
            Text("Total income", style="bold"),
            "",
            Text(format_money(status.total_income), style="bold"),
        ),
        ("Recurring income", "", format_money(status.recurring_income)),
    ]
    return fitted_table(
        "Income",
        [Column("Line"), Column("Kind", optional=True), Column("Amount", money=True)],
        [income_rows, income_totals],
        width,
    )


def _spend_table(status: BudgetStatus, ledger: Ledger, width: int) -> Table:
    # The pillar column only when some line names a pillar.
    pillared = any(line.pillar for line in ledger.expenditure or ())
    spend_columns = [Column("Line"), Column("Status", optional=True)]
    if pillared:
        spend_columns.append(Column("Pillar", optional=True))
    spend_columns.append(Column("Amount", money=True))
    gap = ("", "") if pillared else ("",)
    spend_rows: list[Row] = []
    for spent in ledger.expenditure or ():
        middle = (spent.status, one_line(spent.pillar or "")) if pillared else (spent.status,)
        spend_rows.append((one_line(spent.name), *middle, format_money(spent.amount)))
    spend_totals: list[Row] = [
        (Text(key.capitalize(), style="italic"), *gap, format_money(value))
        for key, value in status.by_status.items()
    ]
    total_committed = Text(format_money(status.total_committed), style="bold")
    spend_totals.append((Text("Total committed", style="bold"), *gap, total_committed))
    remaining_style = "bold red" if status.remaining.amount < 0 else "bold green"
    remaining = Text(format_money(status.remaining), style=remaining_style)
    spend_totals.append((Text("Remaining", style="bold"), *gap, remaining))
    return fitted_table("Committed expenditure", spend_columns, [spend_rows, spend_totals], width)


def _pillar_table(status: BudgetStatus, width: int) -> Table:
    pillar_rows: list[Row] = []
    for pillar in status.pillars:
        headroom_style = "red" if pillar.headroom.amount < 0 else ""
        pillar_rows.append(
            (
                one_line(pillar.pillar),
                format_money(pillar.allocated),
                format_money(pillar.approved),
                format_money(pillar.pipeline),
                Text(format_money(pillar.headroom), style=headroom_style),
                bar(pillar),
            )
        )
    pillar_totals: list[Row] = [
        (
            Text("Total allocated", style="bold"),
            Text(format_money(status.total_allocated), style="bold"),
            "",
            "",
            "",
            "",
        ),
        ("Unallocated", format_money(status.unallocated), "", "", "", ""),
    ]
    return fitted_table(
        "Allocation by pillar",
        [
            Column("Pillar"),
            *(
                Column(name, money=True)
                for name in ("Allocated", "Approved", "Pipeline", "Headroom")
            ),
            Column("Used", optional=True),
        ],
        [pillar_rows, pillar_totals],
        width,
    )


def print_findings(console: Console, findings: Sequence[Finding]) -> None:
    """The findings, then how many errors and warnings, coloured by the worst (budget status
    and budget monitor)."""
    if findings:
        console.print(Text("Findings", style="bold"))
        for finding in findings:
            console.print(finding_line(finding), soft_wrap=True)
    errors = sum(1 for f in findings if f.fails)
    warnings = sum(1 for f in findings if f.severity is Severity.WARNING and not f.waived)
    summary = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning{'s' if warnings != 1 else ''}"
    console.print(
        Text(summary, style="bold red" if errors else ("yellow" if warnings else "green"))
    )
