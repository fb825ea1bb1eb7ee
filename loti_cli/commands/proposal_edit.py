"""`loti proposal new` and `loti proposal decide`: write a proposal; record a panel's decision."""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, TypeVar

import typer

from loti_cli.commands import complete
from loti_cli.commands.options import LedgerOption, ProposalsOption
from loti_cli.errors import ExitCode, LotiError

if TYPE_CHECKING:
    from loti_cli.decide import Decision, Grant, Headroom
    from loti_cli.findings import Finding
    from loti_cli.model import Ledger, Proposal
    from loti_cli.proposal_template import Draft

T = TypeVar("T")

NEW_HELP = """\
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
complete and check it. FILE defaults to proposals/<id>.yaml; - prints the
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

  loti proposal new drafts/idea.yaml --year 2020-21

\b
  loti proposal new - --no-input --title Test --pillar "Smarter London" \\
      --borough Sutton --borough Brent --amount 5000 > draft.yaml
"""

DECIDE_HELP = """\
Record a funding panel's decision in a proposal file: its status, the panel's
date, the amount approved and any waivers the panel grants.

The file is edited in place: only the status, panel, budget.requested (and
budget.total_cost, kept equal to requested + external) and waivers lines
change, and every comment and the rest of the formatting stay as they were.
The write is atomic: an interrupted run leaves the old file or the new one.

An approval is refused (exit 1) when the proposal, as it would be after the
decision, still fails a rule the panel has not waived (each finding is listed
with its file, line and column), or when it would take its pillar past the
allocation in the ledger. Rejecting needs no checks. --dry-run prints the
change as a unified diff and writes nothing. Exits 2 on bad options or a file
that cannot be read.

Examples:

  loti proposal decide proposals/cr-04.yaml --approve --panel 2020-10-01

\b
  loti proposal decide proposals/cr-04.yaml --approve --panel 2020-10-01 \\
      --amount £40k

\b
  loti proposal decide proposals/sl-02.yaml --approve --panel 2020-10-01 \\
      --waive PC5 --reason "Sustainability model due at the discovery show-and-tell"

  loti proposal decide proposals/dc-05.yaml --reject --panel 2020-10-01

\b
  loti proposal decide proposals/cr-04.yaml --approve --panel 2020-10-01 \\
      --dry-run
"""


class NewStatus(StrEnum):
    draft = "draft"
    submitted = "submitted"


def register(app: typer.Typer) -> None:
    """Add `proposal new` and `proposal decide` to the proposal group."""
    app.command("new", help=NEW_HELP)(new)
    app.command("decide", help=DECIDE_HELP)(decide)


def _fail(error: LotiError) -> NoReturn:
    # The same words `loti` prints for it, so that tests through the runner see them too.
    print(f"loti: error: {error.message}", file=sys.stderr)
    for detail in error.details:
        print(detail, file=sys.stderr)
    raise typer.Exit(int(error.exit_code)) from None


# ---------------------------------------------------------------------------
# loti proposal new


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
    answers = _Answers(
        proposal_id=proposal_id,
        title=title,
        pillar=pillar,
        area=area,
        boroughs=boroughs or [],
        amount=amount,
        summary=summary,
        outcome=outcome,
        standards=standards or [],
        plan=plan,
        outputs=outputs or [],
        sustainability=sustainability,
        dpia=dpia,
    )
    try:
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
    except LotiError as error:
        _fail(error)
    raise typer.Exit(int(code))


@dataclass(frozen=True, slots=True)
class _Answers:
    """What the options gave; the rest is asked for (or missing, with --no-input)."""

    proposal_id: str | None
    title: str | None
    pillar: str | None
    area: str | None
    boroughs: list[str]
    amount: str | None
    summary: str | None
    outcome: str | None
    standards: list[str]
    plan: str | None
    outputs: list[str]
    sustainability: str | None
    dpia: str | None


def _interactive() -> bool:
    """Whether missing answers can be asked for: standard input is a terminal."""
    return sys.stdin.isatty()


class _Asker:
    """Takes each answer from its option, else asks at a terminal, else records it missing."""

    def __init__(self, can_ask: bool) -> None:
        self.can_ask = can_ask
        self.missing: list[str] = []

    def one(
        self,
        given: str | None,
        option: str,
        prompt: str,
        check: Callable[[str], T],
        *,
        default: str | None = None,
        optional: bool = False,
    ) -> T | None:
        from loti_cli.proposal_template import InvalidAnswer

        if given is not None:
            try:
                return check(given)
            except InvalidAnswer as error:
                raise LotiError(f"{option} {given!r}: {error}") from None
        if not self.can_ask:
            if default is not None:
                return check(default)
            if not optional:
                self.missing.append(option)
            return None
        while True:
            answer = typer.prompt(
                prompt,
                default=default if default is not None else ("" if optional else None),
                show_default=bool(default),
                err=True,
            ).strip()
            if not answer and optional:
                return None
            try:
                return check(answer)
            except InvalidAnswer as error:
                typer.echo(f"  {error}", err=True)

    def text(self, given: str | None, option: str, prompt: str) -> str | None:
        """Optional free text: the option, else asked (empty for later), else left to write."""
        from loti_cli.proposal_template import clean_text

        return self.one(given, option, prompt, clean_text, optional=True)


def _new(
    file: Path | None,
    answers: _Answers,
    *,
    year: str | None,
    status: str,
    ledger_option: Path | None,
    proposals_option: Path | None,
    force: bool,
    no_input: bool,
) -> ExitCode:
    from loti_cli.proposal_template import file_name, render_proposal
    from loti_cli.resolve import default_proposals
    from loti_cli.status import load_portfolio

    to_stdout = file is not None and str(file) == "-"
    if file is not None and not to_stdout:
        _refuse_to_replace(file, force)  # before any question is asked
    ledger, described = _usable_ledger(ledger_option, year)
    folder = default_proposals(proposals_option)
    ids = {
        item.model.id.strip().casefold(): item.path
        for item in load_portfolio(folder)
        if item.model is not None and item.model.id
    }
    asker = _Asker(_interactive() and not no_input)
    if asker.can_ask:
        typer.echo(f"Ledger: {described}", err=True)
    draft = _content(asker, answers, _essentials(asker, answers, ledger, ids, status))
    target = None if to_stdout else (file or (folder or Path("proposals")) / file_name(draft.id))
    if target is not None:
        _refuse_to_replace(target, force)
    text = render_proposal(draft, _schema_ref(target))
    return _write_new(
        text, target, draft, ledger_option=ledger_option, folder=folder, ledger=ledger
    )


def _refuse_to_replace(target: Path, force: bool) -> None:
    if target.is_dir():
        raise LotiError(f"{target} is a folder; name a file")
    if target.exists() and not force:
        raise LotiError(f"{target} already exists; choose another FILE, or replace it with --force")


def _usable_ledger(given: Path | None, year: str | None) -> tuple[Ledger, str]:
    """The ledger whose pillars and members a new proposal is written against."""
    from loti_cli.load import load_ledger
    from loti_cli.resolve import choose_ledger

    choice = choose_ledger(given, year)
    source = load_ledger(choice.path, choice.display)
    ledger = source.model
    if source.problems or ledger is None:
        raise LotiError(
            f"the ledger {choice.description} cannot be loaded: {len(source.problems)} "
            f"problem(s); run loti budget status --ledger {choice.display}",
            details=tuple(str(problem) for problem in source.problems),
        )
    if not ledger.allocations:
        raise LotiError(f"the ledger {choice.description} allocates nothing to any pillar")
    return ledger, choice.description


def _essentials(
    asker: _Asker, answers: _Answers, ledger: Ledger, ids: dict[str, str], status: str
) -> Draft:
    """Title, pillar, area, id, boroughs and amount: without them there is no proposal."""
    from loti_cli.proposal_template import Draft, amount_of, check_id, choose, clean_text, next_id

    pillars = [allocation.pillar for allocation in ledger.allocations or ()]
    if asker.can_ask:
        typer.echo(f"Pillars: {', '.join(pillars)}", err=True)
    title = asker.one(answers.title, "--title", "Title", clean_text)
    pillar = asker.one(answers.pillar, "--pillar", "Pillar", lambda v: choose(v, pillars, "pillar"))
    area: str | None = None
    areas: tuple[str, ...] = ()
    proposal_id: str | None = None
    if pillar is not None:  # the area and the default id depend on the pillar
        allocation = ledger.allocation(pillar)
        areas = tuple(allocation.areas) if allocation is not None else ()
        if answers.area is not None and not areas:
            raise LotiError(f"--area {answers.area!r}: {pillar} has no areas in the ledger")
        if areas and asker.can_ask and answers.area is None:
            typer.echo(f"Areas of {pillar}: {', '.join(areas)}", err=True)
        if areas:
            area = asker.one(
                answers.area,
                "--area",
                "Area (empty for none)",
                lambda v: choose(v, list(areas), f"area of {pillar}"),
                optional=True,
            )
        suggested = next_id(pillar, ids)
        proposal_id = asker.one(
            answers.proposal_id,
            "--id",
            "Id",
            lambda v: check_id(v, ids, suggested),
            default=suggested,
        )
    boroughs = _ask_boroughs(asker, answers.boroughs, ledger)
    requested = asker.one(answers.amount, "--amount", "Amount asked of LOTI (£)", amount_of)
    if (
        asker.missing
        or title is None
        or pillar is None
        or proposal_id is None
        or boroughs is None
        or requested is None
    ):
        raise LotiError(
            f"missing {', '.join(asker.missing)}: give them as options, or leave out --no-input "
            "and run it at a terminal to be asked"
        )
    return Draft(
        id=proposal_id,
        title=title,
        financial_year=ledger.financial_year or "",
        pillar=pillar,
        status=status,
        boroughs=tuple(boroughs),
        requested=requested,
        area=area,
        areas=areas,
    )


def _content(asker: _Asker, answers: _Answers, draft: Draft) -> Draft:
    """The sections the rules read; each one not given is left to write (see NEW_HELP)."""
    from dataclasses import replace

    from loti_cli.proposal_template import clean_text

    summary = asker.text(answers.summary, "--summary", "Summary: what will the project do?")
    outcome = asker.text(
        answers.outcome,
        "--outcome",
        "Outcome: which specific people will be better off, in which specific ways?",
    )
    standards = [clean_text(standard) for standard in answers.standards]
    if not standards and asker.can_ask:
        typed = typer.prompt(
            "Standards it builds on, comma-separated (empty to write later)",
            default="",
            show_default=False,
            err=True,
        )
        standards = [part.strip() for part in typed.split(",") if part.strip()]
    plan = asker.text(answers.plan, "--plan", "Plan: how would another borough adopt it?")
    outputs = _ask_outputs(asker, answers.outputs)
    sustainability = asker.text(
        answers.sustainability,
        "--sustainability",
        "Sustainability: who pays once LOTI funding ends?",
    )
    dpia = answers.dpia
    if (
        dpia is None
        and asker.can_ask
        and typer.confirm("Does the project process personal data?", default=False, err=True)
    ):
        dpia = asker.one(None, "--dpia", "DPIA reference", clean_text)
    return replace(
        draft,
        summary=summary,
        outcome=outcome,
        standards=tuple(standards),
        plan=plan,
        outputs=tuple(outputs),
        sustainability=sustainability,
        dpia=clean_text(dpia) if dpia is not None else None,
    )


def _write_new(
    text: str,
    target: Path | None,
    draft: Draft,
    *,
    ledger_option: Path | None,
    folder: Path | None,
    ledger: Ledger,
) -> ExitCode:
    import io

    from loti_cli.check import check_paths
    from loti_cli.resolve import display_path
    from loti_cli.yamlio import write_atomic

    if target is None:
        sys.stdout.write(text)
        result = check_paths(["-"], ledger=ledger_option, proposals=folder, stdin=io.StringIO(text))
        out = sys.stderr
        shown = "the proposal"
    else:
        if target.parent != Path() and not target.parent.exists():
            if target.parent == (folder or Path("proposals")):
                target.parent.mkdir(parents=True)
            else:
                raise LotiError(f"folder {target.parent} does not exist")
        try:
            write_atomic(target, text)
        except OSError as error:
            raise LotiError(f"cannot write {target}: {error.strerror or error}") from None
        shown = display_path(target)
        out = sys.stdout
        print(f"wrote {shown} ({draft.id}, {draft.status}, {draft.pillar})", file=out)
        result = check_paths([str(target)], ledger=ledger_option, proposals=folder)
    findings = [f for f in result.results[0].findings if not f.waived] if result.results else []
    if findings:
        print(f"{len(findings)} thing(s) to do before a panel:", file=out)
        for finding in findings:
            print(f"  {finding}", file=out)
        if target is not None:
            print(f"then run: loti proposal check {shown}", file=out)
    else:
        print(f"{shown} passes every rule for {ledger.financial_year}", file=out)
    return ExitCode.FINDINGS if any(f.fails for f in findings) else ExitCode.OK


def _ask_boroughs(asker: _Asker, given: list[str], ledger: Ledger) -> list[tuple[str, str]] | None:
    """The boroughs: from --borough, else asked one by one until two members lead or deliver."""
    from loti_cli.proposal_template import InvalidAnswer, borough_of, too_few

    if given:
        chosen: list[tuple[str, str]] = []
        for index, spec in enumerate(given):
            try:
                chosen.append(borough_of(spec, ledger, index, chosen))
            except InvalidAnswer as error:
                raise LotiError(f"--borough {spec!r}: {error}") from None
        problem = too_few(chosen, ledger)
        if problem:
            raise LotiError(f"--borough: {problem}")
        return chosen
    if not asker.can_ask:
        asker.missing.append("--borough (at least two)")
        return None
    members = [m.name for m in ledger.members or () if m.kind == "borough"]
    typer.echo(f"Member boroughs in {ledger.financial_year}: {', '.join(members)}", err=True)
    chosen = []
    while True:
        role = "lead" if not chosen else "delivery"
        answer = typer.prompt(
            f"Borough {len(chosen) + 1} (NAME or NAME:ROLE, role {role} if not given; "
            "empty when done)",
            default="",
            show_default=False,
            err=True,
        ).strip()
        if not answer:
            problem = too_few(chosen, ledger)
            if problem is None:
                return chosen
            typer.echo(f"  {problem}", err=True)
            continue
        try:
            chosen.append(borough_of(answer, ledger, len(chosen), chosen))
        except InvalidAnswer as error:
            typer.echo(f"  {error}", err=True)


def _ask_outputs(asker: _Asker, given: list[str]) -> list[tuple[str, str]]:
    """The outputs: from --output, else asked one by one (none is allowed: FP4 reports it)."""
    from loti_cli.proposal_template import InvalidAnswer, output_of

    chosen: list[tuple[str, str]] = []
    for spec in given:
        try:
            chosen.append(output_of(spec))
        except InvalidAnswer as error:
            raise LotiError(f"--output {spec!r}: {error}") from None
    if given or not asker.can_ask:
        return chosen
    while True:
        answer = typer.prompt(
            "Output gifted to LOTI, as NAME:LICENCE (e.g. Toolkit:OGL-UK-3.0; empty when done)",
            default="",
            show_default=False,
            err=True,
        ).strip()
        if not answer:
            return chosen
        try:
            chosen.append(output_of(answer))
        except InvalidAnswer as error:
            typer.echo(f"  {error}", err=True)


def _schema_ref(target: Path | None) -> str | None:
    """The proposal schema for the `$schema=` line: relative to the file inside the project
    that holds it, else its absolute location; None when there is none to point to."""
    import os

    base = (target.parent if target is not None else Path()).resolve()
    candidates = [folder / "schemas" / "proposal.schema.json" for folder in (base, *base.parents)]
    candidates.append(Path.cwd().resolve() / "schemas" / "proposal.schema.json")
    # The copy inside the package, where the bundled ledger's `$schema` line points too.
    candidates.append(Path(__file__).resolve().parents[1] / "schemas" / "proposal.schema.json")
    for schema in candidates:
        if schema.is_file():
            project = schema.parent.parent
            if base == project or project in base.parents:
                return Path(os.path.relpath(schema, base)).as_posix()
            return schema.as_uri()
    return None


# ---------------------------------------------------------------------------
# loti proposal decide


def decide(
    *,
    file: Annotated[
        Path,
        typer.Argument(
            help="The proposal file.",
            metavar="FILE",
            exists=True,
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
            autocompletion=complete.rule_codes,
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
    try:
        decision = _decision(
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
    except LotiError as error:
        _fail(error)
    raise typer.Exit(int(code))


def _date(value: str, option: str) -> date:
    text = value.strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise LotiError(f"{option} {value!r} is not a date; write it as 2020-10-01")


def _per_waiver(values: list[str], count: int, option: str) -> list[str | None]:
    if not values:
        return [None] * count
    if len(values) == 1:
        return [values[0]] * count
    if len(values) == count:
        return list(values)
    raise LotiError(
        f"{option} is given {len(values)} times for {count} --waive; "
        "give it once, or once per --waive"
    )


def _decision(
    *,
    approve: bool,
    reject: bool,
    panel: str | None,
    amount: str | None,
    waive: list[str],
    reason: list[str],
    approved_by: list[str],
    expires: list[str],
) -> Decision:
    """The decision the options describe; every option is checked before the file is read."""
    from loti_cli.decide import Decision, Grant, default_approver
    from loti_cli.money import MoneyError, parse_money
    from loti_cli.rules import PROPOSAL_RULES, find_rule
    from loti_cli.suggest import did_you_mean

    if approve == reject:
        raise LotiError("give exactly one of --approve or --reject")
    if panel is None:
        raise LotiError("--panel DATE is required: the date of the funding panel, e.g. 2020-10-01")
    day = _date(panel, "--panel")
    if reject and (amount is not None or waive):
        raise LotiError(
            "--amount and --waive go with --approve; a rejection records no amount or waiver"
        )
    money = None
    if amount is not None:
        try:
            money = parse_money(amount)
        except MoneyError as error:
            raise LotiError(f"--amount {amount!r}: {error}") from None
    if len(reason) != len(waive):
        raise LotiError(
            f"{len(waive)} --waive but {len(reason)} --reason: give one --reason for each --waive"
        )
    if (approved_by or expires) and not waive:
        raise LotiError(
            "--approved-by and --expires describe waivers; give --waive CODE --reason TEXT"
        )
    approvers = _per_waiver(approved_by, len(waive), "--approved-by")
    lapses = _per_waiver(expires, len(waive), "--expires")
    names = [word for rule in PROPOSAL_RULES for word in (rule.code, rule.name)]
    grants: list[Grant] = []
    for name, why, who, until in zip(waive, reason, approvers, lapses, strict=True):
        rule = find_rule(name)
        if rule is None or rule.subject != "proposal":
            raise LotiError(
                f"--waive {name}: no such proposal rule{did_you_mean(name, names)} "
                "(loti rules lists them)"
            )
        if not rule.waivable:
            raise LotiError(
                f"--waive {name}: {rule.code} ({rule.name}) cannot be waived; fix what it reports"
            )
        if any(grant.rule == rule.code for grant in grants):
            raise LotiError(f"--waive {name}: {rule.code} is waived twice")
        if not why.strip():
            raise LotiError(f"--reason for {rule.code} is empty; say why the panel waives it")
        lapse = _date(until, "--expires") if until is not None else None
        if lapse is not None and lapse < day:
            raise LotiError(f"--expires {until} is before the panel of {day}")
        grants.append(
            Grant(
                rule.code,
                " ".join(why.split()),
                (who or "").strip() or default_approver(day),
                lapse,
            )
        )
    return Decision(approve=approve, panel=day, amount=money, grants=tuple(grants))


def _decide(
    path: Path,
    decision: Decision,
    *,
    dry_run: bool,
    ledger_option: Path | None,
    proposals_option: Path | None,
) -> ExitCode:
    from loti_cli.decide import plan_edits, status_refusal, unified_diff
    from loti_cli.load import load_proposal_text
    from loti_cli.resolve import default_proposals, display_path
    from loti_cli.yamlio import EditError, YamlError, edit_mapping

    shown = display_path(path)
    text, proposal, data = _read_for_edit(path, shown)
    name = proposal.id or shown
    refusal = status_refusal(proposal)
    if refusal is not None:
        print(f"loti: cannot decide {shown}: {refusal}", file=sys.stderr)
        return ExitCode.FINDINGS
    edits = plan_edits(data, decision)
    if not edits:
        print(f"{shown} ({name}) already records this decision; nothing to change")
        return ExitCode.OK
    try:
        edited = edit_mapping(text, edits)
    except (EditError, YamlError) as error:
        message = error.problem.message if isinstance(error, YamlError) else str(error)
        raise LotiError(f"cannot edit {shown}: {message}") from None
    after = load_proposal_text(edited, shown).model
    room: Headroom | None = None
    notes: list[Finding] = []
    if decision.approve and after is not None:
        blocking, notes, room = _approval_problems(
            path,
            after,
            edited=edited,
            original=text,
            ledger_option=ledger_option,
            folder=default_proposals(proposals_option),
        )
        if blocking or (room is not None and room.exceeded):
            _print_refusal(f"{shown} ({name})", name, blocking, room)
            return ExitCode.FINDINGS
    if dry_run:
        sys.stdout.write(unified_diff(text, edited, shown))
    else:
        _write_edited(path, shown, edited)
        print(_summary(shown, name, decision, room))
    for finding in notes:
        print(f"loti: note: {finding}", file=sys.stderr)
    if dry_run:
        print(f"dry run: {shown} not changed", file=sys.stderr)
    return ExitCode.OK


def _read_for_edit(path: Path, shown: str) -> tuple[str, Proposal, dict[str, Any]]:
    """The file's text, its proposal and its data; a file whose YAML is broken cannot be edited."""
    from loti_cli.load import load_proposal_text
    from loti_cli.yamlio import YamlError, parse, read_text

    try:
        text = read_text(path)
    except YamlError as error:
        raise LotiError(f"{shown} {error.problem.message}") from None
    source = load_proposal_text(text, shown)
    unreadable = [f for f in source.problems if f.code == "IN1"]
    if source.model is None or unreadable:
        raise LotiError(
            f"{shown} cannot be edited until its YAML is fixed",
            details=tuple(str(f) for f in unreadable or source.problems),
        )
    # The data as written (loading keeps only the model), to edit only what differs.
    return text, source.model, parse(text).data


def _print_refusal(what: str, name: str, blocking: list[Finding], room: Headroom | None) -> None:
    print(f"loti: cannot approve {what}:", file=sys.stderr)
    if room is not None and room.exceeded:
        print(f"  {room.refusal(name)}", file=sys.stderr)
    for finding in blocking:
        print(f"  {finding}", file=sys.stderr)
    if blocking:
        print(
            "  fix the file, or have the panel waive a rule with --waive CODE --reason TEXT "
            "(loti rules CODE explains one)",
            file=sys.stderr,
        )


def _write_edited(path: Path, shown: str, edited: str) -> None:
    """Replace the file atomically, keeping a byte-order mark it had."""
    import codecs

    from loti_cli.yamlio import write_atomic

    with path.open("rb") as handle:
        bom = handle.read(3) == codecs.BOM_UTF8
    try:
        write_atomic(path, ("\ufeff" if bom else "") + edited)
    except OSError as error:
        raise LotiError(f"cannot write {shown}: {error.strerror or error}") from None


def _approval_problems(
    path: Path,
    after: Proposal,
    *,
    edited: str,
    original: str,
    ledger_option: Path | None,
    folder: Path | None,
) -> tuple[list[Finding], list[Finding], Headroom | None]:
    """What stops the approval (unwaived errors of the edited proposal), what is worth a note
    (its unwaived warnings, such as an unused waiver), and its pillar's headroom.

    The edited text is checked from memory, with the rest of the portfolio beside it
    in place of the file as it is now (which would otherwise count twice, and share
    its id). Findings are placed at the lines of the file as it is now.
    """
    import io
    import os
    import tempfile
    from dataclasses import replace

    from loti_cli.check import check_paths
    from loti_cli.decide import blocking_findings, headroom, line_map
    from loti_cli.resolve import display_path
    from loti_cli.status import load_portfolio

    me = os.path.realpath(path)
    others = [s for s in load_portfolio(folder) if os.path.realpath(s.path) != me]
    ledger = _year_ledger(ledger_option, after.financial_year)
    models = [s.model for s in others if s.model is not None]
    room = headroom(after, ledger, models) if ledger is not None else None
    with tempfile.TemporaryDirectory(prefix="loti-decide-") as empty:
        result = check_paths(
            [*(s.path for s in others), "-"],
            ledger=ledger_option,
            proposals=Path(empty),
            stdin=io.StringIO(edited),
        )
    lines = line_map(edited, original)
    shown = display_path(path)
    placed = [
        replace(f, path=shown, line=lines.get(f.line, f.line) if f.line is not None else None)
        for f in result.results[-1].findings
    ]
    blocking = blocking_findings(placed, exceeded=room is not None and room.exceeded)
    notes = [f for f in placed if not f.waived and not f.fails]
    return blocking, notes, room


def _year_ledger(given: Path | None, year: str | None) -> Ledger | None:
    """The ledger of `year` as the check finds it, or None (the check then reports why)."""
    from loti_cli.load import load_ledger
    from loti_cli.resolve import choose_ledger

    try:
        path = (
            choose_ledger(given).path
            if given is not None
            else (choose_ledger(None, year).path if year is not None else None)
        )
    except LotiError:
        return None
    if path is None:
        return None
    source = load_ledger(path)
    return source.model if not source.problems else None


def _summary(shown: str, name: str, decision: Decision, room: Headroom | None) -> str:
    from loti_cli.money import format_money

    where = f"{shown} ({name}) at the funding panel of {decision.panel.isoformat()}"
    if not decision.approve:
        return f"rejected {where}"
    text = f"approved {where}"
    if room is not None:
        text += (
            f": {format_money(room.requested)} from {room.pillar}, which has "
            f"{format_money(room.after)} of its {format_money(room.allocated)} left"
        )
    if decision.grants:
        text += f"; waived {', '.join(grant.rule for grant in decision.grants)}"
    return text
