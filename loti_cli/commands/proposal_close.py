"""`loti proposal close`: record that an approved project has closed, in its file, in place."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from loti_cli.commands.options import LedgerOption, ProposalsOption, date_value
from loti_cli.errors import ExitCode

if TYPE_CHECKING:
    pass

HELP = """\
Close an approved project: set delivery.phase to closed and delivery.closed to
the closing date in its proposal file.

Only an approved proposal can be closed, and only when it passes the closure
rules: every gifted output has a url (CL1), every measure an actual and a
measured date (CL2), every milestone a done date (CL3). Otherwise each failing
rule is listed at its file, line and column, nothing is written, and the exit
code is 1. The file is edited as loti proposal decide edits it: only the
delivery lines change, every comment stays, and the write is atomic, under the
lock of the proposals folder (proposals/.loti.lock); if the file is saved by
another program meanwhile, nothing is written (exit 2). --date defaults to
today and may not be in the future, before the project's start or before its
panel (exit 2). --dry-run prints the change as a unified diff and writes
nothing.

Examples:

  loti proposal close proposals/cr-01.yaml --date 2020-12-18

  loti proposal close proposals/cr-01.yaml --dry-run

  loti proposal check proposals/cr-06.yaml --closing
"""


def _existing(path: Path) -> Path:
    from loti_cli.io.resolve import missing

    if (problem := missing(path)) is not None:
        raise typer.BadParameter(f"{path}: {problem}")
    return path


def _day(text: str | None) -> str | None:
    """--date checked as a date when given (a usage error, exit 2, when it is not one)."""
    if text is not None:
        date_value(text)
    return text


def close(
    *,
    file: Annotated[
        Path,
        typer.Argument(
            help="The proposal file.",
            metavar="FILE",
            callback=_existing,
            dir_okay=False,
            show_default=False,
        ),
    ],
    closed: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="The day the project closed (default: today).",
            show_default=False,
            callback=_day,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the change as a diff; write nothing.")
    ] = False,
    ledger: LedgerOption = None,
    proposals: ProposalsOption = None,
) -> None:
    from contextlib import nullcontext

    from loti_cli.io.lock import folder_lock
    from loti_cli.io.resolve import default_proposals

    day = date_value(closed) if closed is not None else date.today()
    folder = default_proposals(proposals) or file.parent
    with nullcontext() if dry_run else folder_lock(folder, waiting=_note):
        code = _close(file, day, dry_run=dry_run, ledger=ledger, proposals=proposals)
    raise typer.Exit(int(code))


def _close(
    path: Path, day: date, *, dry_run: bool, ledger: Path | None, proposals: Path | None
) -> ExitCode:
    from loti_cli.pipeline.close import prepare_close, summarise_close
    from loti_cli.pipeline.decide import unified_diff

    closing = prepare_close(path, day, ledger=ledger, proposals=proposals)
    what = f"{closing.shown} ({closing.name})"
    if closing.refusal is not None:
        print(f"loti: cannot close {closing.shown}: {closing.refusal}", file=sys.stderr)
        return ExitCode.FINDINGS
    if closing.edited is None:
        print(f"{what} is already closed on {day.isoformat()}; nothing to change")
        return ExitCode.OK
    if closing.blocking:
        print(f"loti: cannot close {what}:", file=sys.stderr)
        for finding in closing.blocking:
            print(f"  {finding}", file=sys.stderr)
        print(
            "  fix the file (loti rules CODE explains a rule), then close it again; "
            "loti proposal check --closing lists the same",
            file=sys.stderr,
        )
        return ExitCode.FINDINGS
    if dry_run:
        sys.stdout.write(unified_diff(closing.original, closing.edited, closing.shown))
        print(f"dry run: {closing.shown} not changed", file=sys.stderr)
        return ExitCode.OK
    from loti_cli.io.files import replace_edited

    replace_edited(path, closing.shown, closing.read, closing.edited, doing="the closure")
    print(summarise_close(closing))
    return ExitCode.OK


def _note(text: str) -> None:
    print(f"loti: note: {text}", file=sys.stderr)
