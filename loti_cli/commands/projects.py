"""`loti projects`: the year's approved projects, from approval to closure."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from loti_cli.commands.options import (
    Color,
    ColorOption,
    LedgerOption,
    NoColorOption,
    ProposalsOption,
    YearOption,
    color_choice,
)
from loti_cli.errors import ExitCode

HELP = """\
List the year's approved projects: phase, award, spend, time, milestones,
measures and a delivery RAG.

For every approved proposal of the ledger's year: its phase, its award
(budget.requested), what the year's actuals (ledgers/YYYY-YY.actuals.csv)
record as spent on it by the end of the period and as a % of the award, the %
of the time from delivery.start to delivery.end elapsed by then, milestones
done of all, milestones overdue, and measures on target (the actual at or past
the target, in the direction from baseline to target). RAG: red when spent is
more than the award, a milestone is overdue by more than 30 days, or the
project is not closed more than 30 days after its end; amber when spent % is
ahead of time elapsed % by more than 20 points, or a milestone is overdue;
green otherwise.

The period (--period YYYY-MM, a month of the financial year) defaults to the
month of the latest actual, or with no actuals to the ledger's as_of month.
Exits 0, 1 when a proposal file that may be an approved project cannot be
counted (LB9: the list is then incomplete), 2 when the ledger or the actuals
cannot be read or an option is wrong.

Examples:

\b
  loti projects
  loti projects --period 2020-12 --format json
  loti projects --format markdown > projects.md
"""


class ProjectsFormat(StrEnum):
    """The names of `loti_cli.report.PROJECTS_REPORTERS` (a test keeps them the same)."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def projects(
    ledger: LedgerOption = None,
    year: YearOption = None,
    proposals: ProposalsOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="YYYY-MM",
            help="The month to report to (default: the month of the latest actual, else the "
            "ledger's as_of month).",
            show_default=False,
        ),
    ] = None,
    output_format: Annotated[
        ProjectsFormat, typer.Option("--format", "-f", help="Output format.")
    ] = ProjectsFormat.table,
    color: ColorOption = Color.auto,
    no_color: NoColorOption = False,
) -> None:
    from loti_cli.core.findings import fails, one_line
    from loti_cli.pipeline.projects import projects_report
    from loti_cli.pipeline.uncounted import incomplete_note
    from loti_cli.report import PROJECTS_REPORTERS, RenderOptions
    from loti_cli.report.terminal import terminal_width, wants_color

    result = projects_report(ledger=ledger, year=year, proposals=proposals, period=period)
    options = RenderOptions(
        color=wants_color(color_choice(color, no_color)), width=terminal_width()
    )
    PROJECTS_REPORTERS[output_format.value].write(result, options)
    if result.uncounted:
        note = incomplete_note(result.uncounted, lead="the")
        print(f"loti: error: {one_line(note)}", file=sys.stderr)
    raise typer.Exit(int(ExitCode.FINDINGS if fails(result.findings) else ExitCode.OK))
