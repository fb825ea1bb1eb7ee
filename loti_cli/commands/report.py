"""`loti report`: the panel pack, one page a funding panel reads without the tool."""

from __future__ import annotations

import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from loti_cli.commands.options import (
    ForceOption,
    LedgerOption,
    NoCacheOption,
    ProposalsOption,
    YearOption,
    date_value,
)
from loti_cli.errors import ExitCode, LotiError

if TYPE_CHECKING:
    from loti_cli.io.resolve import LedgerChoice
    from loti_cli.pipeline.panel import PanelPack
    from loti_cli.pipeline.status import StatusResult

HELP = """\
Write the panel pack: the year's budget and its proposals on one page that a
funding panel can read without loti.

The pack holds the budget summary (income, expenditure by status, what remains,
allocated and unallocated), a bar chart per pillar of its allocation, approved,
pipeline and headroom, a chart of expenditure by status, the proposals with
their pillar, amount, status and check result, the delivery of each approved
project (phase, a spend bar against its award, RAG and measures, as loti
projects shows them at the pack's --date, else at the end of the month of the
latest actual), and each proposal's findings and waivers. When the year has
actuals (ledgers/YYYY-YY.actuals.csv), it also shows the spend to date: the
month, actual against profile per pillar, the forecast outturn and a chart of
cumulative spend (see loti budget monitor). HTML (the default) is one self-contained file with inline charts
that prints on A4; markdown is for a panel paper or a pull request. Findings
are reported, not fatal: exits 0 when the pack is written, 2 when it cannot be
(a ledger that cannot be loaded, a path that does not exist). The one exception
is a proposal file that may be approved but cannot be counted (LB9): the pack
is written, says on its first lines that its figures are incomplete, and the
command exits 1; so does an actuals file that is not valid (MN6), whose
problems are printed. --output never replaces a file the pack is made from (the
ledger, a proposal) unless --force is given.

Examples:

\b
  loti report --output pack.html
  loti report --year 2020-21 --date 2020-10-01 \\
      --title "Funding panel, 1 October 2020" -o pack.html
  loti report --format markdown > pack.md

What each member gets: `loti report borough NAME` (one member's statement) and
`loti report boroughs` (one row per member).
"""


class PackFormat(StrEnum):
    """The names of `loti_cli.report.PANEL_REPORTERS` (a test keeps them the same)."""

    html = "html"
    markdown = "markdown"


app = typer.Typer(invoke_without_command=True, subcommand_metavar="")


@app.callback(help=HELP)
def report(
    context: typer.Context,
    *,
    ledger: LedgerOption = None,
    year: YearOption = None,
    proposals: ProposalsOption = None,
    output_format: Annotated[
        PackFormat, typer.Option("--format", "-f", help="html (one printable page) or markdown.")
    ] = PackFormat.html,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write, replaced in one step (default: standard output); never a "
            "ledger or proposal the pack reads, unless --force.",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    title: Annotated[
        str | None,
        typer.Option("--title", help="Title of the pack (default: Panel pack: LEDGER NAME)."),
    ] = None,
    pack_date: Annotated[
        date | None,
        typer.Option(
            "--date",
            parser=date_value,
            metavar="YYYY-MM-DD",
            help="Date of the pack, shown on it; waivers that expired before it count as "
            "expired (default: today, not shown).",
            show_default=False,
        ),
    ] = None,
    no_cache: NoCacheOption = False,
    call: Annotated[
        str | None,
        typer.Option(
            "--call",
            help="Add the ranking of this call (with --scores), as loti proposal rank shows it.",
            show_default=False,
        ),
    ] = None,
    scores: Annotated[
        Path | None,
        typer.Option(
            "--scores",
            help="The panel's scores file for --call.",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    if context.invoked_subcommand is not None:
        _pack_options_unused(context)
        return
    from loti_cli.io.outputs import refuse_inputs, workspace
    from loti_cli.io.resolve import choose_ledger, default_proposals

    if (call is None) != (scores is None):
        raise LotiError("--call and --scores go together: name the call and its scores file")
    target = _target(output)
    choice = choose_ledger(ledger, year)
    folder = default_proposals(proposals)
    if target is not None:
        inputs = workspace(ledgers=[choice.path], proposals=folder, named=[ledger])
        refuse_inputs(target, inputs, option=f"--output {target}", force=force)
    status, pack = _pack(choice, folder, year, title=title, day=pack_date, no_cache=no_cache)
    if call is not None and scores is not None:
        pack = _with_ranking(pack, choice, folder, call, scores, no_cache=no_cache)
    _deliver(pack, target, output_format.value, choice.description)
    if pack.ranking is not None and any(f.fails for f in pack.ranking.findings):
        for finding in pack.ranking.findings:
            _print(f"loti: {finding.severity}: {finding}")
        raise typer.Exit(int(ExitCode.FINDINGS))
    if status.uncounted:
        from loti_cli.core.findings import one_line
        from loti_cli.pipeline.uncounted import incomplete_note

        for finding in status.uncounted:
            _print(str(finding))
        _print(f"loti: error: {one_line(incomplete_note(status.uncounted, lead='the'))}")
        raise typer.Exit(int(ExitCode.FINDINGS))
    raise typer.Exit(int(ExitCode.OK))


def _pack(
    choice: LedgerChoice,
    folder: Path | None,
    year: str | None,
    *,
    title: str | None,
    day: date | None,
    no_cache: bool,
) -> tuple[StatusResult, PanelPack]:
    """The year's budget and its proposals' checks, from one workspace (each proposal file
    read once, for the budget and the check), gathered into the pack."""
    from loti_cli.io.resolve import display_path
    from loti_cli.pipeline.boroughs import participation
    from loti_cli.pipeline.check import check_paths
    from loti_cli.pipeline.monitoring import for_the_pack
    from loti_cli.pipeline.panel import gather
    from loti_cli.pipeline.projects import projects_at
    from loti_cli.pipeline.status import budget_status
    from loti_cli.pipeline.workspace import Workspace

    read = Workspace.open(ledger=choice.path, proposals=folder, no_cache=no_cache)
    status = budget_status(choice, read.counted(), book=read.book)
    if not status.loaded:
        raise LotiError(
            f"the ledger {choice.description} cannot be loaded:",
            details=tuple(str(finding) for finding in status.findings),
        )
    found = status.status.ledger.financial_year if status.status else None
    if year is not None and found != year:
        raise LotiError(f"--year {year} but the ledger {choice.display} is for {found}")
    # An empty folder is a pack without proposals, not an error (check_paths would say so).
    checked = (
        check_paths([str(folder)], today=day, workspace=read)
        if folder is not None and (read.folder_reals() or read.unlisted())
        else None
    )
    shown = f"{display_path(folder).rstrip('/')}/" if folder is not None else None
    matrix = (
        participation(status.status.ledger, [a.entry for a in read.portfolio() if a.entry])
        if status.status
        else None
    )
    actuals = read.trusted_actuals(choice.path)
    _, end, projects = projects_at(status, actuals.rows, day=day)
    spend = for_the_pack(status, actuals)
    pack = gather(
        status,
        checked,
        title=title,
        prepared=day,
        proposals_path=shown,
        participation=matrix,
        delivery=(end, projects),
        monitoring=spend,
    )
    return status, pack


def _with_ranking(
    pack: PanelPack,
    choice: LedgerChoice,
    folder: Path | None,
    call: str,
    scores: Path,
    *,
    no_cache: bool,
) -> PanelPack:
    """The pack with the call's ranking by the panel's scores (see loti proposal rank)."""
    from dataclasses import replace

    from loti_cli.io.resolve import display_path
    from loti_cli.io.scores_file import read_scores
    from loti_cli.pipeline.calls import open_call
    from loti_cli.pipeline.ranking import rank_call

    setup = open_call(call, ledger=None, proposals=folder, no_cache=no_cache, choice=choice)
    ranking = rank_call(setup, read_scores(scores, display_path(scores), setup.expected()))
    return replace(pack, ranking=ranking)


def _deliver(pack: PanelPack, target: Path | None, name: str, ledger: str) -> None:
    """The pack on standard output, or written to `target` with a line saying so."""
    from loti_cli.io.outputs import write
    from loti_cli.report import PANEL_REPORTERS

    reporter = PANEL_REPORTERS[name]
    if target is None:
        reporter.write(pack)
        return
    write(target, reporter.render(pack))
    count = len(pack.proposals)
    _print(
        f"loti: wrote {target}: {count} proposal{'s' if count != 1 else ''} "
        f"({pack.passed} passed, {pack.failed} failed); ledger {ledger}"
    )


def _target(output: Path | None) -> Path | None:
    """The file to write, checked before any work; None for standard output."""
    if output is None or str(output) == "-":
        return None
    if output.is_dir():
        raise LotiError(f"--output {output}: is a folder; name a file such as pack.html")
    if not output.parent.is_dir():
        raise LotiError(f"--output {output}: no such folder {output.parent}")
    return output


def _pack_options_unused(context: typer.Context) -> None:
    """`loti report --format markdown borough X` would drop the option in silence: the panel
    pack's options go after `loti report`, a statement's after `borough` or `boroughs`."""
    given = [
        parameter.opts[0]
        for parameter in context.command.params
        if parameter.name is not None
        and (source := context.get_parameter_source(parameter.name)) is not None
        and source.name not in ("DEFAULT", "DEFAULT_MAP")
    ]
    if given:
        options = ", ".join(given)
        command = context.invoked_subcommand
        raise LotiError(
            f"{options}: options of the panel pack, not of `loti report {command}`; "
            f"put them after {command}, e.g. loti report {command} --help"
        )


def _print(message: str) -> None:
    print(message, file=sys.stderr)
