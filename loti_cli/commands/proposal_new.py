"""`loti proposal new`: write a new proposal; at a terminal, ask for what the options leave out."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from loti_cli.commands import complete
from loti_cli.commands.options import LedgerOption, ProposalsOption
from loti_cli.errors import ExitCode, LotiError

if TYPE_CHECKING:
    from loti_cli.core.findings import Finding
    from loti_cli.pipeline.draft import Answers
    from loti_cli.pipeline.schema_line import SchemaLine
    from loti_cli.report.proposal_template import Draft

HELP = """\
Write a new proposal, with comments that explain each section in the words of
the LOTI Year 2 Strategy.

At a terminal it asks for what it needs: the title, the pillar and area (from
the ledger's allocations), the boroughs (from its members), the amount, and
then the outcome, standards, adoption plan, outputs and sustainability. Scripts
give them as options; with --no-input a missing essential (title, pillar,
boroughs, amount) stops the command instead of asking. Pillars, areas and
boroughs are checked against the ledger, with "did you mean". A section left
out is written empty under a TODO and reported by its rule: outcome by PC1 and
sustainability by PC5 (warnings), replicability by FP3 and outputs by FP4
(errors).

The file starts with a `# yaml-language-server: $schema=` line so that editors
complete and check it: the path from the file to schemas/proposal.schema.json in
its repository (or project folder). With no schema there, the line is left out
and a note says how to save one. FILE defaults to proposals/<id>.yaml; - prints the
proposal instead. An existing file is never replaced without --force. Exits 0
when the new proposal passes `loti proposal check` (warnings allowed), 1 when it
was written but a rule reports an error (a section still to write), 2 when
nothing was written.

Examples:

  loti proposal new

\b
  loti proposal new --no-input --title "Shared social care data" \\
      --pillar "Covid Recovery" --area "Identifying Needs" \\
      --borough Camden:lead --borough Hackney:delivery --amount £45k \\
      --outcome "Carers in Camden and Hackney get support a week sooner." \\
      --standard "Open Referral UK" --plan "Any borough adopts the same schema." \\
      --output "Data standard:OGL-UK-3.0" --sustainability "Boroughs fund hosting."

  loti proposal new proposals/idea.yaml --year 2020-21

\b
  loti proposal new - --no-input --title Test --pillar "Smarter London" \\
      --borough Sutton --borough Brent --amount 5000 > draft.yaml
"""


class NewStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"


def new(
    *,
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Where to write it (default: proposals/<id>.yaml); - prints it.",
            metavar="FILE",
            show_default=False,
            dir_okay=False,
        ),
    ] = None,
    proposal_id: Annotated[
        str | None,
        typer.Option("--id", metavar="ID", help="Its id (default: the pillar's next, e.g. CR-07)."),
    ] = None,
    title: Annotated[
        str | None, typer.Option("--title", metavar="TEXT", help="What the project is.")
    ] = None,
    pillar: Annotated[
        str | None,
        typer.Option(
            "--pillar",
            metavar="NAME",
            help="One of the ledger's pillars.",
            autocompletion=complete.pillar_names,
        ),
    ] = None,
    area: Annotated[
        str | None, typer.Option("--area", metavar="NAME", help="One of the pillar's areas.")
    ] = None,
    boroughs: Annotated[
        list[str] | None,
        typer.Option(
            "--borough",
            metavar="NAME[:ROLE]",
            help="A borough and its role (lead, delivery or supporter; default: lead for "
            "the first, delivery after); may be repeated.",
            show_default=False,
        ),
    ] = None,
    amount: Annotated[
        str | None,
        typer.Option(
            "--amount", metavar="AMOUNT", help="What is asked of LOTI: 45000, £45,000 or £45k."
        ),
    ] = None,
    year: Annotated[
        str | None,
        typer.Option(
            "--year",
            metavar="YYYY-YY",
            help="Financial year, e.g. 2020-21 (default: the ledger's).",
            autocompletion=complete.ledger_years,
        ),
    ] = None,
    status: Annotated[
        NewStatus, typer.Option("--status", help="draft, or submitted when ready for a panel.")
    ] = NewStatus.draft,
    summary: Annotated[
        str | None, typer.Option("--summary", metavar="TEXT", help="What the project will do.")
    ] = None,
    outcome: Annotated[
        str | None,
        typer.Option(
            "--outcome", metavar="TEXT", help="Who will be better off, and how (slide 23)."
        ),
    ] = None,
    standards: Annotated[
        list[str] | None,
        typer.Option(
            "--standard",
            metavar="TEXT",
            help="A common standard or principle it builds on; may be repeated.",
            show_default=False,
        ),
    ] = None,
    plan: Annotated[
        str | None,
        typer.Option("--plan", metavar="TEXT", help="How another borough would adopt it."),
    ] = None,
    outputs: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            metavar="NAME:LICENCE",
            help="An output and its open licence, gifted to LOTI; may be repeated.",
            show_default=False,
        ),
    ] = None,
    sustainability: Annotated[
        str | None,
        typer.Option("--sustainability", metavar="TEXT", help="Who pays once LOTI funding ends."),
    ] = None,
    dpia: Annotated[
        str | None,
        typer.Option(
            "--dpia", metavar="REF", help="It processes personal data, under this DPIA reference."
        ),
    ] = None,
    ledger: LedgerOption = None,
    proposals: ProposalsOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace FILE if it exists.")] = False,
    no_input: Annotated[
        bool,
        typer.Option(
            "--no-input",
            "--yes",
            "-y",
            help="Never ask: a missing essential is an error (exit 2).",
        ),
    ] = False,
) -> None:
    from loti_cli.pipeline.draft import Answers

    answers = Answers(
        proposal_id=proposal_id,
        title=title,
        pillar=pillar,
        area=area,
        boroughs=tuple(boroughs or ()),
        amount=amount,
        summary=summary,
        outcome=outcome,
        standards=tuple(standards or ()),
        plan=plan,
        outputs=tuple(outputs or ()),
        sustainability=sustainability,
        dpia=dpia,
    )
    code = _new(
        file,
        answers,
        year=year,
        status=status.value,
        ledger_option=ledger,
        proposals_option=proposals,
        force=force,
        no_input=no_input,
    )
    raise typer.Exit(int(code))


def _interactive() -> bool:
    """Whether missing answers can be asked for: standard input is a terminal."""
    return sys.stdin.isatty()


def _schema_line(target: Path | None) -> SchemaLine:
    """The new file's `$schema=` line, looked up through this module so that a test
    can replace it."""
    from loti_cli.pipeline.schema_line import schema_line

    return schema_line(target)


def _new(
    file: Path | None,
    answers: Answers,
    *,
    year: str | None,
    status: str,
    ledger_option: Path | None,
    proposals_option: Path | None,
    force: bool,
    no_input: bool,
) -> ExitCode:
    from loti_cli.commands.asking import TerminalPrompter
    from loti_cli.pipeline.draft import (
        check_new,
        default_target,
        draft_proposal,
        refuse_to_replace,
        taken_ids,
        usable_ledger,
    )
    from loti_cli.pipeline.workspace import Workspace
    from loti_cli.report.proposal_template import render_proposal

    to_stdout = file is not None and str(file) == "-"
    ledger, described = usable_ledger(ledger_option, year)
    workspace = Workspace.open(ledger=ledger_option, proposals=proposals_option)
    folder = workspace.folder
    if file is not None and not to_stdout:  # before any question is asked
        refuse_to_replace(file, force)
        _writable_folder(file, folder)
    ids = taken_ids(workspace.portfolio())
    prompter = TerminalPrompter() if _interactive() and not no_input else None
    if prompter is not None:
        prompter.tell(f"Ledger: {described}")
    draft = draft_proposal(answers, ledger, ids, status, prompter)
    target = None if to_stdout else (file or default_target(folder, draft.id))
    if target is not None:
        refuse_to_replace(target, force)
    schema = _schema_line(target)
    text = render_proposal(draft, schema)
    out, shown = _write_or_print(text, target, draft, folder, replace=force)
    if schema.ref is None:
        print(
            f"loti: note: no proposal schema in this project, so {shown} has no $schema line; "
            "for completion and checking as you type, save one with\n"
            f"  loti schema proposal > {schema.save_to}\n"
            "and make this the file's first line:\n"
            f"  # yaml-language-server: $schema={schema.would_be}",
            file=sys.stderr,
        )
    findings = check_new(text, target, workspace)
    _print_to_do(findings, shown, out, written=target is not None, year=ledger.financial_year)
    return ExitCode.FINDINGS if any(f.fails for f in findings) else ExitCode.OK


def _write_or_print(
    text: str, target: Path | None, draft: Draft, folder: Path | None, *, replace: bool
) -> tuple[TextIO, str]:
    """Write the proposal to `target`, or print it; where the rest of the report goes, and
    what it calls the proposal."""
    from loti_cli.io.resolve import display_path

    if target is None:
        from loti_cli.report import emit

        emit.data(text)  # a proposal file: UTF-8, whatever the locale
        return sys.stderr, "the proposal"
    _write_proposal(target, text, folder, replace=replace)
    shown = display_path(target)
    print(f"wrote {shown} ({draft.id}, {draft.status}, {draft.pillar})")
    return sys.stdout, shown


def _print_to_do(
    findings: list[Finding], shown: str, out: TextIO, *, written: bool, year: str | None
) -> None:
    if findings:
        print(f"{len(findings)} thing(s) to do before a panel:", file=out)
        for finding in findings:
            print(f"  {finding}", file=out)
        if written:
            print(f"then run: loti proposal check {shown}", file=out)
    else:
        print(f"{shown} passes every rule for {year}", file=out)


def _writable_folder(target: Path, folder: Path | None) -> None:
    """The folder of `target` exists, or is the proposals folder (made when missing)."""
    parent = target.parent
    if parent != Path() and not parent.exists() and parent != (folder or Path("proposals")):
        raise LotiError(f"folder {parent} does not exist")


def _write_proposal(target: Path, text: str, folder: Path | None, *, replace: bool) -> None:
    """Write the new file atomically; the proposals folder in use is made when missing,
    any other folder must exist. Unless `replace`, a file created meanwhile is kept."""
    from loti_cli.io.files import FileChanged, write_atomic
    from loti_cli.io.outputs import cannot_write
    from loti_cli.io.resolve import display_path

    _writable_folder(target, folder)
    if not target.parent.exists():
        target.parent.mkdir(parents=True)
    try:
        write_atomic(target, text, exclusive=not replace)
    except FileChanged:
        raise LotiError(
            f"{display_path(target)} was created while the proposal was being written; it was "
            "left as it is. Choose another FILE, or replace it with --force"
        ) from None
    except OSError as error:
        raise LotiError(cannot_write(target, error)) from None
