"""`loti budget monitor`: the year's actual spend against its budget, month by month."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from loti_cli.commands import complete
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
    date_value,
)
from loti_cli.errors import ExitCode, LotiError

if TYPE_CHECKING:
    from loti_cli.pipeline.monitoring import MonitorResult, PeriodChoice

MONITOR_HELP = """\
Monitor the year's actual spend against its budget: actual to date, forecast
outturn, variance and RAG for every expenditure line and approved proposal.

Reads the ledger, its actuals file beside it (ledgers/YYYY-YY.actuals.csv,
written by loti actuals import) and the proposals folder. The period is a month
of the financial year (April is month 1); by default the month of the latest
actual. Each row shows budget, profile to date, actual to date, variance to
date, forecast outturn, variance, variance % and RAG (thresholds from the
ledger's monitoring key, default amber 5%, red 10%); then totals per pillar and
over all, the actuals that matched nothing, and what is forecast and planned to
be left unspent. Findings MN1 to MN6 follow. Exits 0 when there is no error
finding, 1 when there is one (or a warning, with --strict), 2 when it cannot
run (a ledger or actuals file that is not valid, a period outside the year).

Examples:

\b
  loti budget monitor
  loti budget monitor --period 2020-09 --format json
  loti budget monitor --as-of 2020-12-15 --format markdown > month-9.md
  loti budget monitor --strict --format csv --output monitor.csv
"""


class MonitorFormat(StrEnum):
    """The names of `loti_cli.report.MONITOR_REPORTERS` (a test keeps them the same)."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


def monitor(
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            metavar="YYYY-MM",
            help="The month to report on (default: the month of the latest actual).",
            show_default=False,
            autocompletion=complete.period_months,
        ),
    ] = None,
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            parser=date_value,
            metavar="YYYY-MM-DD",
            help="Count actuals to this day; the period is its month.",
            show_default=False,
        ),
    ] = None,
    ledger: LedgerOption = None,
    year: YearOption = None,
    proposals: ProposalsOption = None,
    output_format: Annotated[
        MonitorFormat, typer.Option("--format", "-f", help="Output format.")
    ] = MonitorFormat.table,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write, replaced in one step (default: standard output).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    color: ColorOption = Color.auto,
    no_color: NoColorOption = False,
    strict: StrictOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    from loti_cli.pipeline.monitoring import PeriodChoice

    if period is not None and as_of is not None:
        raise LotiError("give --period or --as-of, not both")
    target = None if output is None or str(output) == "-" else output
    result = _result(ledger, year, proposals, PeriodChoice(period, as_of), no_cache, target)
    _deliver(result, output_format, color_choice(color, no_color), target)
    raise typer.Exit(int(_exit(result, strict)))


def _result(
    ledger: Path | None,
    year: str | None,
    proposals: Path | None,
    choice: PeriodChoice,
    no_cache: bool,
    target: Path | None,
) -> MonitorResult:
    """The month's report from one workspace, or a LotiError saying why it cannot be made."""
    from loti_cli.commands.budget import _cannot_load
    from loti_cli.io.resolve import choose_ledger
    from loti_cli.pipeline.monitoring import PeriodError, monitor
    from loti_cli.pipeline.status import budget_status
    from loti_cli.pipeline.workspace import Workspace

    picked = choose_ledger(ledger, year)
    if target is not None:
        _refuse(target, picked.path, proposals, ledger)
    workspace = Workspace.open(ledger=ledger, proposals=proposals, no_cache=no_cache)
    status = budget_status(picked, workspace.counted(), book=workspace.book)
    if not status.loaded:
        raise _cannot_load(status.findings, picked.description)
    assert status.status is not None
    found = status.status.ledger.financial_year
    if year is not None and found != year:
        raise LotiError(f"--year {year} but the ledger {picked.display} is for {found}")
    actuals = workspace.actuals(picked.path)
    try:
        result = monitor(status, actuals, choice)
    except PeriodError as error:
        raise LotiError(str(error)) from None
    if result.invalid:
        count = len(result.invalid)
        raise LotiError(
            f"the actuals file {result.actuals_path} is not valid:",
            details=(
                *(str(finding) for finding in result.invalid),
                f"{count} problem{'s' if count != 1 else ''}; fix them (or import the "
                "export again) and run again",
            ),
        )
    return result


def _refuse(target: Path, ledger: Path, proposals: Path | None, named: Path | None) -> None:
    """Stop before any work when --output names a file the run reads (the actuals among them)."""
    from loti_cli.io.outputs import refuse_inputs, workspace
    from loti_cli.io.resolve import default_proposals

    if target.is_dir():
        raise LotiError(f"--output {target}: is a folder; name a file such as monitor.csv")
    if not target.parent.is_dir():
        raise LotiError(f"--output {target}: no such folder {target.parent}")
    inputs = workspace(ledgers=[ledger], proposals=default_proposals(proposals), named=[named])
    refuse_inputs(target, inputs, option=f"--output {target}", force=False)


def _deliver(result: MonitorResult, chosen: MonitorFormat, color: str, output: Path | None) -> None:
    """The report on standard output, or in `output` with a line saying so; then the notes."""
    from loti_cli.commands.budget import _render_options
    from loti_cli.core.findings import one_line
    from loti_cli.pipeline.uncounted import incomplete_note
    from loti_cli.report import MONITOR_REPORTERS, RenderOptions

    reporter = MONITOR_REPORTERS[chosen.value]
    if result.note:
        print(f"loti: {one_line(result.note)}", file=sys.stderr)
    if output is None:
        reporter.write(result, _render_options(color))
    else:
        from loti_cli.io.outputs import write

        write(output, reporter.render(result, RenderOptions(color=False, width=100)))
        assert result.report is not None
        print(f"loti: wrote {output}: {result.report.period.label}", file=sys.stderr)
    if result.uncounted:
        note = incomplete_note(result.uncounted, lead="the")
        print(f"loti: error: {one_line(note)}", file=sys.stderr)


def _exit(result: MonitorResult, strict: bool) -> ExitCode:
    from loti_cli.core.findings import fails

    return ExitCode.FINDINGS if fails(result.findings, strict=strict) else ExitCode.OK
