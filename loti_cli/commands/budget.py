"""`loti budget ...`: the year's money at a glance."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from loti_cli.commands.budget_monitor import MONITOR_HELP
from loti_cli.commands.budget_monitor import monitor as _monitor
from loti_cli.commands.options import (
    Color,
    ColorOption,
    LedgerOption,
    NoCacheOption,
    NoColorOption,
    ProposalsOption,
    StrictOption,
    YearOption,
    color_choice,
)
from loti_cli.errors import ExitCode, LotiError

if TYPE_CHECKING:
    from loti_cli.report import RenderOptions

app = typer.Typer(
    help="The year's budget: income, committed expenditure, allocations and their findings; "
    "and its actual spend, month by month."
    "\n\nExamples:\n\n\b\n  loti budget status\n  loti budget what-if\n  loti budget monitor",
    no_args_is_help=True,
)

STATUS_HELP = """\
Recompute the year's budget from its ledger and flag published figures that do
not add up.

Shows income, committed expenditure by status, what remains, the allocation to
each pillar with what approved proposals take and what is in the pipeline, and
the ledger's findings (LB1 to LB9). Exits 0 when there is no error finding, 1
when there is one, 2 when the ledger cannot be loaded. A proposal file that may
be approved but cannot be counted (LB9: not readable, not valid, or a pillar
that is not one of the allocations) is an error: the figures leave it out.

Examples:

\b
  loti budget status
  loti budget status --year 2020-21 --format json
  loti budget status --ledger ledgers/2020-21.yaml --format markdown > budget.md
"""


WHAT_IF_HELP = """\
Show each pillar's headroom as if proposals were approved.

With no FILE, every submitted proposal in the proposals folder is assumed
approved (the whole pipeline); with FILEs, just those. Pillars that would be
over-allocated are flagged (LB5) with the amount, and the command then exits 1,
so a pipeline can ask "would approving this break the budget?". Each proposal
counts once: a FILE named twice (or through a link) once, and a FILE takes the
place of the folder's proposal with its id (an edited copy is tried instead of
the original). Same formats as budget status.

Examples:

\b
  loti budget what-if
  loti budget what-if proposals/cr-04.yaml --format json
"""


class BudgetFormat(StrEnum):
    """The names of `loti_cli.report.BUDGET_REPORTERS` (a test keeps them the same)."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


Format = Annotated[BudgetFormat, typer.Option("--format", "-f", help="Output format.")]


@app.command("status", help=STATUS_HELP)
def status(
    ledger: LedgerOption = None,
    year: YearOption = None,
    proposals: ProposalsOption = None,
    output_format: Format = BudgetFormat.table,
    color: ColorOption = Color.auto,
    no_color: NoColorOption = False,
    strict: StrictOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    _run(
        ledger,
        year,
        proposals,
        output_format,
        color_choice(color, no_color),
        strict,
        None,
        no_cache,
    )


@app.command("what-if", help=WHAT_IF_HELP)
def what_if(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Proposals to assume approved (default: every submitted one).",
            dir_okay=False,
            metavar="FILE",
            show_default=False,
        ),
    ] = None,
    ledger: LedgerOption = None,
    year: YearOption = None,
    proposals: ProposalsOption = None,
    output_format: Format = BudgetFormat.table,
    color: ColorOption = Color.auto,
    no_color: NoColorOption = False,
    strict: StrictOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    color_name = color_choice(color, no_color)
    _run(ledger, year, proposals, output_format, color_name, strict, files or [], no_cache)


app.command("monitor", help=MONITOR_HELP)(_monitor)


def _run(
    ledger: Path | None,
    year: str | None,
    proposals: Path | None,
    output_format: BudgetFormat,
    color: str,
    strict: bool,
    what_if: list[Path] | None,
    no_cache: bool,
) -> None:
    from loti_cli.core.findings import fails, one_line
    from loti_cli.io.resolve import choose_ledger, missing
    from loti_cli.pipeline.status import assume_approved, budget_status
    from loti_cli.pipeline.uncounted import incomplete_note
    from loti_cli.pipeline.workspace import Workspace
    from loti_cli.report import BUDGET_REPORTERS

    choice = choose_ledger(ledger, year)
    workspace = Workspace.open(ledger=ledger, proposals=proposals, no_cache=no_cache)
    portfolio = workspace.counted()
    assumed: list[str] = []
    if what_if is not None:
        unread = [
            f"{path}: {missing(path, 'proposal file') or 'not a proposal file'}"
            for path in what_if
            if not path.is_file()
        ]
        if unread:
            raise LotiError("; ".join(unread))
        chosen = workspace.load(what_if) or None
        for source in chosen or ():
            if source.entry is None:
                raise LotiError(
                    f"{source.path} cannot be read; run loti proposal check {source.path}",
                    details=tuple(str(f) for f in source.problems),
                )
        portfolio, assumed = assume_approved(portfolio, chosen)
    result = budget_status(choice, portfolio, assumed, book=workspace.book)
    if not result.loaded:
        raise _cannot_load(result.findings, choice.description)
    assert result.status is not None
    if year is not None and result.status.ledger.financial_year != year:
        found = result.status.ledger.financial_year
        raise LotiError(f"--year {year} but the ledger {choice.display} is for {found}")
    BUDGET_REPORTERS[output_format.value].write(result, _render_options(color))
    if result.uncounted:
        note = incomplete_note(result.uncounted, lead="the")
        print(f"loti: error: {one_line(note)}", file=sys.stderr)
    raise typer.Exit(
        int(ExitCode.FINDINGS if fails(result.findings, strict=strict) else ExitCode.OK)
    )


def _render_options(color: str) -> RenderOptions:
    from loti_cli.report import RenderOptions
    from loti_cli.report.terminal import terminal_width, wants_color

    return RenderOptions(color=wants_color(color), width=terminal_width())


def _cannot_load(findings: Sequence[object], description: str) -> LotiError:
    count = len(findings)
    return LotiError(
        f"the ledger {description} cannot be loaded:",
        details=(
            *(str(finding) for finding in findings),
            f"{count} problem{'s' if count != 1 else ''}; fix them and run again",
        ),
    )
