"""`loti report borough` and `loti report boroughs`: what each member gets from LOTI."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from loti_cli.commands import complete
from loti_cli.commands.options import ForceOption, LedgerOption, ProposalsOption, YearOption
from loti_cli.errors import ExitCode, LotiError

if TYPE_CHECKING:
    from loti_cli.io.outputs import Inputs
    from loti_cli.io.resolve import LedgerChoice
    from loti_cli.pipeline.boroughs import Statement, Statements

BOROUGH_HELP = """\
Write one member's statement: what membership of LOTI brought it this year.

NAME is a member of the year's ledger: a borough by any spelling or code loti
accepts (Hammersmith & Fulham, LBHF, E09000013), or a partner (GLA, London
Councils). The statement shows its fee, the approved proposals it leads,
delivers and supports, LOTI's funding of the projects it leads or delivers and
their total value (LOTI and external funding), what is spent on them to date
(when the year has an actuals file), its submitted proposals, and the outputs
of every approved project that it can reuse. HTML (the default) is one
self-contained page that prints on A4 and reads on a phone. With --all and
--output-dir, every member's statement is written at once, with an index.html
that links them. Exits 0, 1 when a proposal file that may count cannot be read
(LB9: the statement is then incomplete, and says so), and 2 when a statement
cannot be made (NAME is no member of the year, a ledger or actuals file that
cannot be read).

Examples:

\b
  loti report borough Camden -o camden.html
  loti report borough LBHF --format markdown
  loti report borough --all --output-dir statements/
"""

BOROUGHS_HELP = """\
One row per member of the year (boroughs and partners, with their kind): its
fee, how many approved proposals it leads, delivers and supports, LOTI's
funding of the projects it leads or delivers, their total value, spend to date
(empty when the year has no actuals file) and how many submitted proposals
name it. The fee column adds up to the membership income that members and fees
imply (loti budget status). Members with no approved or submitted project are
listed with zeros and counted by BR1, a warning, on standard error. Exits 0, 1
when a proposal file that may count cannot be read (LB9), 2 when the ledger
cannot be read.

Examples:

\b
  loti report boroughs > members.csv
  loti report boroughs --format markdown
  loti report boroughs --year 2020-21 --format json
"""


class StatementFormat(StrEnum):
    """The names of `loti_cli.report.STATEMENT_REPORTERS` (a test keeps them the same)."""

    html = "html"
    markdown = "markdown"
    json = "json"


class BoroughsFormat(StrEnum):
    """The names of `loti_cli.report.BOROUGHS_REPORTERS` (a test keeps them the same)."""

    csv = "csv"
    json = "json"
    markdown = "markdown"


OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        help="File to write, replaced in one step (default: standard output); never a "
        "ledger or proposal the statement reads, unless --force.",
        show_default=False,
    ),
]


def register(app: typer.Typer) -> None:
    """Add `report borough` and `report boroughs` to the report group."""
    app.command("borough", help=BOROUGH_HELP)(borough)
    app.command("boroughs", help=BOROUGHS_HELP)(boroughs)


def borough(
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="NAME",
            help="A member of the year: a borough's name, short form or GSS code, or a partner.",
            autocompletion=complete.member_names,
            show_default=False,
        ),
    ] = None,
    *,
    ledger: LedgerOption = None,
    year: YearOption = None,
    proposals: ProposalsOption = None,
    output_format: Annotated[
        StatementFormat,
        typer.Option("--format", "-f", help="html (one printable page), markdown or json."),
    ] = StatementFormat.html,
    output: OutputOption = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every member's statement, into --output-dir.")
    ] = False,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir",
            help="With --all: the folder to write the statements and index.html in (made "
            "when missing).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    from loti_cli.io.resolve import choose_ledger, default_proposals
    from loti_cli.pipeline.statements import statements

    _check_choice(name, every=every, output=output, output_dir=output_dir)
    choice = choose_ledger(ledger, year)
    folder = default_proposals(proposals)
    target = _target(output)
    if target is not None:
        _refuse(target, choice, folder, ledger, force=force)
    if every:
        assert output_dir is not None
        from loti_cli.commands.report_all import plan, write_all

        files = plan(output_dir, _inputs(choice, folder, ledger), force=force)
        result = statements(choice, folder, year)
        index = write_all(result, files, output_format.value)
        _print(
            f"loti: wrote {len(result.members)} statements and {index}; ledger {choice.description}"
        )
    else:
        result = statements(choice, folder, year)
        assert name is not None
        _deliver_one(result, _member(result, name), target, output_format.value, choice)
    _finish(result)


def boroughs(
    *,
    ledger: LedgerOption = None,
    year: YearOption = None,
    proposals: ProposalsOption = None,
    output_format: Annotated[
        BoroughsFormat, typer.Option("--format", "-f", help="csv, json or markdown.")
    ] = BoroughsFormat.csv,
    output: OutputOption = None,
    force: ForceOption = False,
) -> None:
    from loti_cli.io.outputs import write
    from loti_cli.io.resolve import choose_ledger, default_proposals
    from loti_cli.pipeline.statements import statements
    from loti_cli.report import BOROUGHS_REPORTERS

    choice = choose_ledger(ledger, year)
    folder = default_proposals(proposals)
    target = _target(output)
    if target is not None:
        _refuse(target, choice, folder, ledger, force=force)
    result = statements(choice, folder, year)
    reporter = BOROUGHS_REPORTERS[output_format.value]
    if target is None:
        reporter.write(result)
    else:
        write(target, reporter.render(result))
        _print(f"loti: wrote {target}: {len(result.members)} members; ledger {choice.description}")
    for finding in result.findings:
        if finding not in result.uncounted:
            _print(str(finding))
    _finish(result)


def _check_choice(
    name: str | None, *, every: bool, output: Path | None, output_dir: Path | None
) -> None:
    """One member, or --all into a folder: never both, never neither."""
    if every and name is not None:
        raise LotiError(f"name a member or give --all, not both (NAME {name!r} with --all)")
    if every and output_dir is None:
        raise LotiError("--all needs --output-dir DIR, the folder to write the statements in")
    if every and output is not None:
        raise LotiError("--all writes one file per member: give --output-dir DIR, not --output")
    if not every and output_dir is not None:
        raise LotiError("--output-dir is for --all; for one member, give --output FILE")
    if not every and name is None:
        raise LotiError(
            "name a member (loti report borough Camden), or give --all --output-dir DIR"
        )


def _member(result: Statements, name: str) -> Statement:
    """The member `name` means, or an error (exit 2) that lists the year's members."""
    from loti_cli.core.boroughs import roster
    from loti_cli.core.findings import one_line
    from loti_cli.core.suggest import closest

    found = result.find(name)
    if found is not None:
        return found
    year = result.financial_year
    names = [one_line(member.name) for member in result.members]
    listed = f"{', '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)
    members = f"the members of {year} are {listed}" if names else f"{year} has no members"
    borough = roster().lookup(name)
    if borough is not None:
        raise LotiError(
            f"{borough.name} is a London borough but not a member of LOTI in {year} "
            f"(ledger {result.ledger_path}); {members}"
        )
    suggested = roster().suggest(name)
    member = result.find(suggested) if suggested is not None else None
    near = one_line(member.name) if member is not None else closest(name, names)
    hint = f" (did you mean '{near}'?)" if near else ""
    raise LotiError(
        f"'{one_line(name)}' is neither a London borough nor a member of LOTI in {year}"
        f"{hint}; {members}"
    )


def _deliver_one(
    result: Statements, member: Statement, target: Path | None, name: str, choice: LedgerChoice
) -> None:
    from loti_cli.core.findings import one_line
    from loti_cli.io.outputs import write
    from loti_cli.pipeline.boroughs import MemberStatement
    from loti_cli.report import STATEMENT_REPORTERS

    reporter = STATEMENT_REPORTERS[name]
    statement = MemberStatement(result, member)
    if target is None:
        reporter.write(statement)
        return
    write(target, reporter.render(statement))
    _print(
        f"loti: wrote {target}: the statement of {one_line(member.name)} for "
        f"{result.financial_year}; ledger {choice.description}"
    )


def _inputs(choice: LedgerChoice, folder: Path | None, named: Path | None) -> Inputs:
    from loti_cli.io.outputs import workspace

    return workspace(ledgers=[choice.path], proposals=folder, named=[named])


def _refuse(
    target: Path, choice: LedgerChoice, folder: Path | None, named: Path | None, *, force: bool
) -> None:
    from loti_cli.io.outputs import refuse_inputs

    inputs = _inputs(choice, folder, named)
    refuse_inputs(target, inputs, option=f"--output {target}", force=force)


def _target(output: Path | None) -> Path | None:
    """The file to write, checked before any work; None for standard output."""
    if output is None or str(output) == "-":
        return None
    if output.is_dir():
        raise LotiError(f"--output {output}: is a folder; name a file such as statement.html")
    if not output.parent.is_dir():
        raise LotiError(f"--output {output}: no such folder {output.parent}")
    return output


def _finish(result: Statements) -> None:
    """Exit 1 when a file that may count could not be (LB9), with what it leaves out."""
    if result.uncounted:
        from loti_cli.core.findings import one_line
        from loti_cli.pipeline.uncounted import incomplete_note

        for finding in result.uncounted:
            _print(str(finding))
        _print(f"loti: error: {one_line(incomplete_note(result.uncounted, lead='the'))}")
        raise typer.Exit(int(ExitCode.FINDINGS))
    raise typer.Exit(int(ExitCode.OK))


def _print(message: str) -> None:
    """A note on stderr; a path in it shows what a terminal would obey or hide as escapes."""
    from loti_cli.core.findings import visible

    print(visible(message), file=sys.stderr)
