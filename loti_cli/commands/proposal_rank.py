"""`loti proposal rank` and `loti proposal scoresheet`: a call's bids, scored by the panel."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from loti_cli.commands import complete
from loti_cli.commands.options import (
    Color,
    ColorOption,
    ForceOption,
    LedgerOption,
    NoCacheOption,
    NoColorOption,
    ProposalsOption,
    color_choice,
)
from loti_cli.errors import ExitCode, LotiError

RANK_HELP = """\
Rank a call's bids by the panel's scores and recommend which to fund.

Reads the scores file (proposal,scorer,criterion,score,comment; loti proposal
scoresheet writes an empty one). A scorer's scores of a bid its borough leads,
delivers or supports are left out, and the output names who. A bid's score is
the weighted mean over the ledger's criteria of the mean over its scorers, to
two decimals; ties go to the bid asking for less, then to the lower id. Bids are
taken in rank order: each is funded when it fits what is left in its lot (or
the call) and in the pillar's headroom, otherwise it does not fit and the next
is tried. Only submitted bids are ranked. It is a recommendation: loti proposal
decide records each decision. Exits 0 with no error finding, 1 with one (SC1 a
bad cell, SC4, SC5, LB9; the ranking is still shown), 2 when the call, the
scores file or the ledger cannot be read.

Examples:

\b
  loti proposal rank --call "Covid Innovation Fund" --scores proposals/scores/covid-innovation-fund.csv
  loti proposal rank --call "Covid Innovation Fund" --scores scores.csv --format markdown
"""

SCORESHEET_HELP = """\
Write the empty scores file a panel fills in for a call.

One row per scorer, bid and criterion: every member borough of the ledger's
year, every submitted bid in the call, every criterion of the ledger, with no
row where the borough leads, delivers or supports the bid. The score and comment
cells are left empty. Writes to standard output, or to --output (never over a
file loti reads, unless --force).

Examples:

\b
  loti proposal scoresheet --call "Covid Innovation Fund" -o scores.csv
"""


class RankFormat(StrEnum):
    """The names of `loti_cli.report.RANK_REPORTERS` (a test keeps them the same)."""

    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


CallOption = Annotated[
    str,
    typer.Option(
        "--call",
        help="The call's name, as the ledger's calls name it.",
        show_default=False,
        autocompletion=complete.call_names,
    ),
]


def rank(
    call: CallOption,
    scores: Annotated[
        Path,
        typer.Option(
            "--scores",
            help="The scores file: proposal,scorer,criterion,score,comment.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    output_format: Annotated[
        RankFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RankFormat.table,
    ledger: LedgerOption = None,
    proposals: ProposalsOption = None,
    color: ColorOption = Color.auto,
    no_color: NoColorOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    from loti_cli.core.findings import fails
    from loti_cli.io.resolve import display_path
    from loti_cli.io.scores_file import read_scores
    from loti_cli.pipeline.calls import open_call
    from loti_cli.pipeline.ranking import rank_call
    from loti_cli.report import RANK_REPORTERS, RenderOptions
    from loti_cli.report.terminal import terminal_width, wants_color

    setup = open_call(call, ledger=ledger, proposals=proposals, no_cache=no_cache)
    sheet = read_scores(scores, display_path(scores), setup.expected())
    ranking = rank_call(setup, sheet)
    options = RenderOptions(color=False, width=100)
    if output_format in (RankFormat.table, RankFormat.markdown):
        options = RenderOptions(
            color=wants_color(color_choice(color, no_color)), width=terminal_width()
        )
    RANK_REPORTERS[output_format.value].write(ranking, options)
    if output_format is RankFormat.csv:  # CSV holds the rows only: its findings go to stderr
        for finding in ranking.findings:
            print(f"loti: {finding.severity}: {finding}", file=sys.stderr)
    raise typer.Exit(int(ExitCode.FINDINGS if fails(ranking.findings) else ExitCode.OK))


def scoresheet(
    call: CallOption,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="Write the sheet to FILE (default: standard output).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    ledger: LedgerOption = None,
    proposals: ProposalsOption = None,
    force: ForceOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    from loti_cli.core.findings import fails
    from loti_cli.io.outputs import refuse_inputs, workspace, write
    from loti_cli.io.resolve import default_proposals
    from loti_cli.pipeline.calls import open_call
    from loti_cli.pipeline.scoresheet import sheet_rows
    from loti_cli.report.scoresheet_csv import sheet_text

    if output is not None:
        inputs = workspace(ledgers=[ledger], proposals=default_proposals(proposals))
        refuse_inputs(output, inputs, option=f"--output {output}", force=force)
        if output.exists() and not force:
            raise LotiError(
                f"--output {output}: the file exists and may hold the panel's scores; name "
                "another file, or add --force to replace it with an empty sheet"
            )
    setup = open_call(call, ledger=ledger, proposals=proposals, no_cache=no_cache)
    rows = sheet_rows(setup)
    text = sheet_text(rows)
    if output is None:
        from loti_cli.report import emit

        emit.output(lambda: text, for_a_person=False)
    else:
        write(output, text)
        from loti_cli.core.findings import visible

        print(
            f"loti: wrote {visible(str(output))}: {len(rows)} rows for {len(setup.ranked)} submitted bids of "
            f"{setup.call.name}, {len(setup.members)} member boroughs and "
            f"{len(setup.criteria)} criteria",
            file=sys.stderr,
        )
    for finding in setup.findings:
        print(f"loti: {finding.severity}: {finding}", file=sys.stderr)
    raise typer.Exit(int(ExitCode.FINDINGS if fails(setup.findings) else ExitCode.OK))


def register(app: typer.Typer) -> None:
    """Add `proposal rank` and `proposal scoresheet` to the proposal group."""
    app.command("rank", help=RANK_HELP)(rank)
    app.command("scoresheet", help=SCORESHEET_HELP)(scoresheet)
