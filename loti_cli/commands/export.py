"""`loti export ...`: publish the year's approved proposals in open data standards."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from loti_cli.commands import complete
from loti_cli.commands.options import ForceOption, LedgerOption, ProposalsOption
from loti_cli.errors import ExitCode, LotiError

# The same as in loti_cli.pipeline.grants (a test checks), which is not imported here: it loads the rule
# registry, and with it pydantic, which building the CLI (`loti --version`) must not.
PREFIX_ENV = "LOTI_360G_PREFIX"
FUNDER_ID_ENV = "LOTI_360G_FUNDER_ID"
DEFAULT_PREFIX = "360G-loti"
DEFAULT_FUNDER_NAME = "London Office of Technology and Innovation"

if TYPE_CHECKING:
    from collections.abc import Mapping

    from loti_cli.core.money import Money
    from loti_cli.pipeline.grants import Export
    from loti_cli.pipeline.workspace import Workspace

app = typer.Typer(
    help="Publish the year's approved proposals in open data standards (360Giving)."
    "\n\nExamples:\n\n\b\n  loti export 360giving --output grants.json",
    no_args_is_help=True,
)

GIVING_HELP = """\
Write the year's approved proposals as a 360Giving data package: JSON, the
flat CSV with the standard's column titles, or both.

Each approved proposal becomes one grant: identifier PREFIX-ID, its title and
summary, the amount requested from LOTI, the panel date as award date, the
financial year as planned dates, the lead borough as recipient (with its
GB-LAE identifier), LOTI as funder, the pillar as grant programme, and every
London borough it names as a beneficiary location (GSS code, type LONB).

The funder identifier defaults to PREFIX-LOTI: LOTI has no registration of its
own, and 360Giving then asks for an identifier under the publisher's prefix.
Give --funder-id an org-id (such as GB-COH and a company number) to publish
under a registered organisation instead.

A proposal that fails a 360Giving check (GV1 title at most 140 characters, GV2
no spaces or line breaks in its id, GV3 a panel date, GV4 an amount above
zero, GV5 one lead that is a London borough, GV6 a unique identifier, GV7 a
summary) or has problems of its own is left out and reported at
path:line:column. A file that may be an approved proposal but cannot be
counted as one (LB9: it cannot be read, its status is not valid, its pillar is
not one of the ledger's) leaves the export incomplete. Exits 0 when every
approved proposal was exported, 1 when one was left out or the export is
incomplete, 2 on a usage error or when there is nothing to export.
--output never replaces a file the export reads (the ledger, a proposal)
unless --force is given.

Examples:

  loti export 360giving > grants.json

  loti export 360giving --year 2020-21 --format csv --output grants.csv

  loti export 360giving --format both --output loti-2020-21

  LOTI_360G_PREFIX=360G-LOTI loti export 360giving -o grants.json
"""


class GivingFormat(StrEnum):
    """The names of `loti_cli.report.GIVING_REPORTERS`, and `both` for every one of them (a test
    keeps them the same)."""

    json = "json"
    csv = "csv"
    both = "both"


@app.command("360giving", help=GIVING_HELP)
def giving(
    context: typer.Context,
    *,
    ledger: LedgerOption = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            "-y",
            help="Financial year to export, e.g. 2020-21 (default: the ledger's).",
            autocompletion=complete.ledger_years,
        ),
    ] = None,
    proposals: ProposalsOption = None,
    prefix: Annotated[
        str,
        typer.Option(
            "--prefix",
            envvar=PREFIX_ENV,
            show_envvar=True,
            help="The publisher's registered 360Giving prefix; grant ids are PREFIX-ID.",
        ),
    ] = DEFAULT_PREFIX,
    funder_id: Annotated[
        str | None,
        typer.Option(
            "--funder-id",
            envvar=FUNDER_ID_ENV,
            show_envvar=True,
            help="Organisation identifier of the funder (default: PREFIX-LOTI).",
        ),
    ] = None,
    funder_name: Annotated[
        str, typer.Option("--funder-name", help="Name of the funding organisation.")
    ] = DEFAULT_FUNDER_NAME,
    data_source: Annotated[
        str | None,
        typer.Option("--data-source", help="Web address where the data is published (dataSource)."),
    ] = None,
    output_format: Annotated[
        GivingFormat, typer.Option("--format", "-f", help="json, csv, or both.")
    ] = GivingFormat.json,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="File to write (default: standard output); with --format both, a folder or a "
            "file stem to which .json and .csv are added (default: the current folder). Never "
            "a ledger or proposal the export reads, unless --force.",
        ),
    ] = None,
    force: ForceOption = False,
) -> None:
    from loti_cli.io.load import load_ledger
    from loti_cli.io.outputs import refuse_inputs, workspace
    from loti_cli.io.resolve import choose_ledger, default_proposals
    from loti_cli.pipeline.grants import (
        Publisher,
        export_grants,
    )
    from loti_cli.pipeline.workspace import Workspace
    from loti_cli.report import GIVING_REPORTERS

    _check_identifiers(context, prefix=prefix, funder_id=funder_id, data_source=data_source)
    choice = choose_ledger(ledger, year)
    folder = default_proposals(proposals)
    source = load_ledger(choice.path, choice.display)
    if source.model is None or source.problems or source.model.financial_year is None:
        raise LotiError(
            f"the ledger {choice.description} cannot be loaded:",
            details=tuple(str(finding) for finding in source.problems),
        )
    the_year = source.model.financial_year
    if year is not None and year != the_year:
        _usage_error(f"--year {year} but the ledger {choice.display} is for {the_year}")
    if folder is None:
        _usage_error("no proposals/ folder here; pass --proposals DIR")
    formats = (
        list(GIVING_REPORTERS) if output_format is GivingFormat.both else [output_format.value]
    )
    targets = _targets(formats, output, f"loti-360giving-{the_year}")
    inputs = workspace(ledgers=[choice.path], proposals=folder, named=[ledger])
    for _, target in targets:
        if target is not None:
            refuse_inputs(target, inputs, option=f"--output {target}", force=force)

    publisher = Publisher(prefix, funder_id, funder_name, data_source)
    # The export publishes whole proposals: each file of the workspace read once, in full.
    read = Workspace.open(ledger=choice.path, proposals=folder, no_cache=True)
    sources = read.sources()
    result = export_grants(source.model, sources, publisher, _spent(read, choice.path))
    _report(result)
    if not result.grants:
        if result.approved or result.uncounted:
            what = "every approved proposal" if result.approved else "no proposal"
            _print(f"loti: {what} of {the_year} was left out; nothing written")
            raise typer.Exit(int(ExitCode.FINDINGS))
        raise LotiError(f"no approved proposals of {the_year} in {folder}; nothing to export")

    _write_all(result, targets)
    _print(_exported(result, the_year, choice.description))
    raise typer.Exit(int(ExitCode.OK if result.complete else ExitCode.FINDINGS))


def _spent(read: Workspace, ledger: Path) -> Mapping[str, Money] | None:
    """The year's actuals by proposal id (each grant's amountDisbursed), None when the year
    has no actuals file; one that is not valid stops the export (exit 2)."""
    from loti_cli.core.actuals import spent_by_proposal

    actuals = read.trusted_actuals(ledger)
    return spent_by_proposal(actuals.rows) if actuals.exists else None


def _check_identifiers(
    context: typer.Context, *, prefix: str, funder_id: str | None, data_source: str | None
) -> None:
    """Stop on an identifier 360Giving would refuse, naming what the user set: the option,
    or the environment variable it came from."""
    from loti_cli.pipeline.grants import data_source_problem, funder_id_problem, prefix_problem

    for name, option, value, problem in (
        ("prefix", "--prefix", prefix, prefix_problem),
        ("funder_id", "--funder-id", funder_id, funder_id_problem),
        ("data_source", "--data-source", data_source, data_source_problem),
    ):
        message = problem(value) if value is not None else None
        if message:
            origin = context.get_parameter_source(name)
            from_env = origin is not None and origin.name == "ENVIRONMENT"
            named = {"prefix": PREFIX_ENV, "funder_id": FUNDER_ID_ENV}[name] if from_env else option
            _usage_error(f"{named} {message}")


def _write_all(result: Export, targets: list[tuple[str, Path | None]]) -> None:
    """Each format to its file, or to standard output."""
    from loti_cli.io.outputs import write
    from loti_cli.report import GIVING_REPORTERS

    for name, target in targets:
        reporter = GIVING_REPORTERS[name]
        if target is None:
            reporter.write(result)
        else:
            write(target, reporter.render(result))
            _print(f"loti: wrote {target}")


def _exported(result: Export, year: str, ledger: str) -> str:
    count = len(result.grants)
    unknown = len({finding.path for finding in result.uncounted})
    return (
        f"loti: exported {count} grant{'s' if count != 1 else ''} of {len(result.approved)} "
        f"approved proposal{'s' if len(result.approved) != 1 else ''} for {year}"
        + (
            f", and {unknown} more file(s) that may be approved but cannot be counted"
            if unknown
            else ""
        )
        + f"; ledger {ledger}"
    )


def _targets(formats: list[str], output: Path | None, stem: str) -> list[tuple[str, Path | None]]:
    """Where each format goes: None for standard output, else a file whose folder exists."""
    from loti_cli.report import GIVING_REPORTERS

    suffixes = {name: GIVING_REPORTERS[name].suffix for name in formats}
    if len(formats) == 1:
        if output is None or str(output) == "-":
            return [(formats[0], None)]
        path = output / f"{stem}{suffixes[formats[0]]}" if output.is_dir() else output
        _check_folder(path)
        return [(formats[0], path)]
    if output is not None and str(output) == "-":
        _usage_error("--format both writes two files; give --output a folder or a file stem")
    if output is None or output.is_dir():
        base = (output or Path()) / stem
    else:
        base = output.with_suffix("") if output.suffix in suffixes.values() else output
    paths: list[tuple[str, Path | None]] = []
    for name in formats:
        path = base.with_name(base.name + suffixes[name])
        _check_folder(path)
        paths.append((name, path))
    return paths


def _check_folder(path: Path) -> None:
    if path.is_dir():
        _usage_error(f"--output {path}: is a folder")
    if not path.parent.is_dir():
        _usage_error(f"--output {path}: no such folder {path.parent}")


def _report(result: Export) -> None:
    """Approved proposals left out, with every problem, and files that may be approved
    proposals but cannot be counted (LB9), on stderr."""
    for finding in [*result.problems, *result.uncounted]:
        _print(str(finding))
    if result.left_out:
        count = len(result.left_out)
        _print(
            f"loti: {count} approved proposal{'s' if count != 1 else ''} left out "
            f"({', '.join(result.left_out)}); fix the problems above and run again"
        )
    if result.uncounted:
        paths = sorted({finding.path for finding in result.uncounted})
        _print(
            f"loti: error: the export is incomplete: {len(paths)} file(s) that are or may be approved "
            f"proposals of {result.year} cannot be counted ({', '.join(paths)}); fix them "
            "(loti proposal check) and run again"
        )


def _usage_error(message: str) -> NoReturn:
    raise LotiError(message)


def _print(message: str) -> None:
    print(message, file=sys.stderr)
