"""`loti proposal decide`: record a funding panel's decision in a proposal file, in place."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from loti_cli.commands import complete
from loti_cli.commands.options import LedgerOption, ProposalsOption
from loti_cli.errors import ExitCode

if TYPE_CHECKING:
    from loti_cli.pipeline.decide import Decision, Prepared

HELP = """\
Record a funding panel's decision in a proposal file: its status, the panel's
date, the amount approved and any waivers the panel grants.

The file is edited in place: only the status, panel, budget.requested (and
budget.total_cost, kept equal to requested + external) and waivers lines
change, and every comment and the rest of the formatting stay as they were.
The write is atomic: an interrupted run leaves the old file or the new one.
New lines end as the file's other lines do.

Two decisions are not recorded at once: a run holds a lock on the proposals
folder (proposals/.loti.lock) from reading the portfolio to writing the file,
and another waits for it (up to 30 seconds), then reads the portfolio anew. If
the file is saved by another program meanwhile, nothing is written (exit 2).

An approval is refused (exit 1) when the proposal, as it would be after the
decision, still fails a rule the panel has not waived (each finding is listed
with its file, line and column), or when it would take its pillar past the
allocation in the ledger, or while another file of the portfolio that may be
an approved proposal cannot be counted (LB9: its headroom is not known).
Rejecting needs no checks. --dry-run prints the
change as a unified diff and writes nothing. Exits 2 on bad options (a --panel
date outside the proposal's financial year among them) or a file that cannot be
read.

Examples:

  loti proposal decide proposals/cr-04.yaml --approve --panel 2020-10-01

\b
  loti proposal decide proposals/cr-04.yaml --approve --panel 2020-10-01 \\
      --amount £40k

\b
  loti proposal decide proposals/dc-03.yaml --approve --panel 2020-11-05 \\
      --waive PC5 --reason "Sustainability model due at the discovery show-and-tell"

  loti proposal decide proposals/sl-02.yaml --reject --panel 2020-11-05

\b
  loti proposal decide proposals/cr-04.yaml --approve --panel 2020-10-01 \\
      --dry-run
"""


def _existing(path: Path) -> Path:
    from loti_cli.io.resolve import missing

    if (problem := missing(path)) is not None:  # not "does not exist" for a link loop
        raise typer.BadParameter(f"{path}: {problem}")
    return path


def decide(
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
    approve: Annotated[bool, typer.Option("--approve", help="The panel approves it.")] = False,
    reject: Annotated[bool, typer.Option("--reject", help="The panel rejects it.")] = False,
    panel: Annotated[
        str | None,
        typer.Option(
            "--panel", metavar="DATE", help="The panel's date, e.g. 2020-10-01.", show_default=False
        ),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount", metavar="AMOUNT", help="The amount approved, when not what was requested."
        ),
    ] = None,
    waive: Annotated[
        list[str] | None,
        typer.Option(
            "--waive",
            metavar="CODE",
            help="A rule the panel waives (code or name); each needs a --reason. May be repeated.",
            autocompletion=complete.rules_to_waive,
            show_default=False,
        ),
    ] = None,
    reason: Annotated[
        list[str] | None,
        typer.Option(
            "--reason",
            metavar="TEXT",
            help="Why, one per --waive, in the same order.",
            show_default=False,
        ),
    ] = None,
    approved_by: Annotated[
        list[str] | None,
        typer.Option(
            "--approved-by",
            metavar="TEXT",
            help="Who granted the waivers: once for all, or once per --waive "
            "(default: Funding panel DATE).",
            show_default=False,
        ),
    ] = None,
    expires: Annotated[
        list[str] | None,
        typer.Option(
            "--expires",
            metavar="DATE",
            help="When the waivers lapse: once for all, or once per --waive.",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print the change as a diff; write nothing.")
    ] = False,
    ledger: LedgerOption = None,
    proposals: ProposalsOption = None,
) -> None:
    from loti_cli.pipeline.decide_options import build_decision

    decision = build_decision(
        approve=approve,
        reject=reject,
        panel=panel,
        amount=amount,
        waive=waive or [],
        reason=reason or [],
        approved_by=approved_by or [],
        expires=expires or [],
    )
    code = _decide(
        file, decision, dry_run=dry_run, ledger_option=ledger, proposals_option=proposals
    )
    raise typer.Exit(int(code))


def _decide(
    path: Path,
    decision: Decision,
    *,
    dry_run: bool,
    ledger_option: Path | None,
    proposals_option: Path | None,
) -> ExitCode:
    from contextlib import nullcontext

    from loti_cli.io.lock import folder_lock
    from loti_cli.io.resolve import default_proposals

    # From reading the portfolio to writing the file, no other decision is recorded in it.
    folder = default_proposals(proposals_option) or path.parent
    with nullcontext() if dry_run else folder_lock(folder, waiting=_note):
        return _record(
            path,
            decision,
            dry_run=dry_run,
            ledger_option=ledger_option,
            proposals_option=proposals_option,
        )


def _record(
    path: Path,
    decision: Decision,
    *,
    dry_run: bool,
    ledger_option: Path | None,
    proposals_option: Path | None,
) -> ExitCode:
    from loti_cli.pipeline.decide import prepare_decision, summarise, unified_diff

    prepared = prepare_decision(path, decision, ledger=ledger_option, proposals=proposals_option)
    what = f"{prepared.shown} ({prepared.name})"
    if prepared.undecidable is not None:
        print(f"loti: cannot decide {prepared.shown}: {prepared.undecidable}", file=sys.stderr)
        return ExitCode.FINDINGS
    if prepared.edited is None:
        print(f"{what} already records this decision; nothing to change")
        return ExitCode.OK
    if prepared.refused:
        _print_refusal(what, prepared)
        return ExitCode.FINDINGS
    if dry_run:
        sys.stdout.write(unified_diff(prepared.original, prepared.edited, prepared.shown))
    else:
        from loti_cli.io.files import replace_edited

        replace_edited(path, prepared.shown, prepared.read, prepared.edited, doing="the decision")
        print(summarise(prepared))
    if prepared.earlier is not None:
        print(
            f"loti: note: {prepared.name} was {prepared.earlier}; this records the new decision",
            file=sys.stderr,
        )
    after = " (lines of the edited file)" if dry_run else ""
    for finding in prepared.notes:
        print(f"loti: note{after}: {finding}", file=sys.stderr)
    if dry_run:
        print(f"dry run: {prepared.shown} not changed", file=sys.stderr)
    return ExitCode.OK


def _print_refusal(what: str, prepared: Prepared) -> None:
    print(f"loti: cannot approve {what}:", file=sys.stderr)
    if prepared.room is not None and prepared.room.exceeded:
        print(f"  {prepared.room.refusal(prepared.name)}", file=sys.stderr)
    for finding in prepared.blocking:
        print(f"  {finding}", file=sys.stderr)
    if any(finding.code == "LB9" for finding in prepared.blocking):
        print(
            "  no approval while a file that may be approved cannot be counted: fix it first",
            file=sys.stderr,
        )
    if any(finding.code != "LB9" for finding in prepared.blocking):
        print(
            "  fix the file, or have the panel waive a rule with --waive CODE --reason TEXT "
            "(loti rules CODE explains one)",
            file=sys.stderr,
        )


def _note(text: str) -> None:
    print(f"loti: note: {text}", file=sys.stderr)
