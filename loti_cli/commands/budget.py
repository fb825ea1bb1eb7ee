"""`loti budget ...`: the year's money at a glance."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from loti_cli.commands.options import (
    Color,
    ColorOption,
    LedgerOption,
    NoColorOption,
    ProposalsOption,
    color_choice,
)
from loti_cli.errors import ExitCode

app = typer.Typer(
    help="The year's budget: income, committed expenditure, allocations and their findings.",
    no_args_is_help=True,
)

STATUS_HELP = """\
Recompute the year's budget from its ledger and flag published figures that do
not add up.

Shows income, committed expenditure by status, what remains, the allocation to
each pillar with what approved proposals take and what is in the pipeline, and
the ledger's findings (LB1 to LB8). Exits 0 when there is no error finding, 1
when there is one, 2 when the ledger cannot be loaded.

Examples:

  loti budget status

  loti budget status --year 2020-21 --format json

  loti budget status --ledger ledgers/2021-22.yaml --format markdown > budget.md
"""


class BudgetFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


@app.command("status", help=STATUS_HELP)
def status(
    ledger: LedgerOption = None,
    year: Annotated[
        str | None,
        typer.Option("--year", "-y", help="Financial year whose ledger to use, e.g. 2020-21."),
    ] = None,
    proposals: ProposalsOption = None,
    output_format: Annotated[
        BudgetFormat, typer.Option("--format", "-f", help="Output format.")
    ] = BudgetFormat.table,
    color: ColorOption = Color.auto,
    no_color: NoColorOption = False,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")] = False,
) -> None:
    from loti_cli.findings import fails
    from loti_cli.report import BUDGET_REPORTERS, RenderOptions, reporter
    from loti_cli.resolve import choose_ledger, default_proposals
    from loti_cli.status import budget_status, load_portfolio

    choice = choose_ledger(ledger, year)
    portfolio = load_portfolio(default_proposals(proposals))
    result = budget_status(choice, portfolio)
    if not result.loaded:
        _print_problems(result.findings, choice.description)
        raise typer.Exit(int(ExitCode.FAILURE))
    options = _render_options(color_choice(color, no_color))
    sys.stdout.write(reporter(BUDGET_REPORTERS, output_format.value)(result, options))
    unreadable = result.unreadable_proposals
    if unreadable:
        print(
            f"loti: {len(unreadable)} proposal file(s) could not be read and do not count; "
            "run loti proposal check to see why",
            file=sys.stderr,
        )
    raise typer.Exit(int(ExitCode.FINDINGS if fails(result.findings, strict=strict) else ExitCode.OK))


def _render_options(color: str) -> RenderOptions:
    from loti_cli.report import RenderOptions
    from loti_cli.report.console import terminal_width, wants_color

    return RenderOptions(color=wants_color(color), width=terminal_width())


def _print_problems(findings: list[object], description: str) -> None:
    print(f"loti: error: the ledger {description} cannot be loaded:", file=sys.stderr)
    for finding in findings:
        print(finding, file=sys.stderr)
    count = len(findings)
    print(f"{count} problem{'s' if count != 1 else ''}; fix them and run again", file=sys.stderr)
