"""A new proposal from its author's answers, each checked against the ledger; where it is written.

`draft_proposal` turns the options of `loti proposal new` into a Draft (which
`proposal_template` renders). Each answer is taken from its option, else asked
through a Prompter when there is one (at a terminal: `commands/asking.py`), else
recorded missing; a missing essential (title, pillar, boroughs, amount) stops it.
The checks below judge each answer against the ledger with "did you mean", and
raise InvalidAnswer (a prompter asks again; an option stops the command). Nothing
here prints or prompts itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from loti_cli.core.money import Money
from loti_cli.errors import LotiError
from loti_cli.report.proposal_template import Draft

if TYPE_CHECKING:
    from loti_cli.core.findings import Finding
    from loti_cli.core.model import Ledger
    from loti_cli.pipeline.analyse import Analysis
    from loti_cli.pipeline.workspace import Workspace

T = TypeVar("T")

ROLES = ("lead", "delivery", "supporter")
"""A borough's role; lead and delivery count for FP2."""


@dataclass(frozen=True, slots=True)
class Answers:
    """What the options gave; the rest is asked for (or missing, when nobody can be asked)."""

    proposal_id: str | None = None
    title: str | None = None
    pillar: str | None = None
    area: str | None = None
    boroughs: tuple[str, ...] = ()
    amount: str | None = None
    summary: str | None = None
    outcome: str | None = None
    standards: tuple[str, ...] = ()
    plan: str | None = None
    outputs: tuple[str, ...] = ()
    sustainability: str | None = None
    dpia: str | None = None


class Prompter(Protocol):
    """Asks the author for what the options did not give; the drafting says what to ask."""

    def tell(self, message: str) -> None:
        """Show what helps to answer the next question (the pillars, the member boroughs)."""

    def ask(
        self,
        prompt: str,
        check: Callable[[str], T],
        *,
        default: str | None = None,
        optional: bool = False,
    ) -> T | None:
        """Ask until `check` takes the answer; None for an empty answer when `optional`."""

    def ask_many(
        self,
        prompt: Callable[[Sequence[T]], str],
        check: Callable[[str, Sequence[T]], T],
        enough: Callable[[Sequence[T]], str | None] | None = None,
    ) -> list[T]:
        """Ask for one item after another until an empty answer that `enough` finds no
        problem with; `prompt` and `check` see the items chosen so far."""

    def confirm(self, prompt: str) -> bool:
        """A yes-or-no question, no unless answered yes."""


def draft_proposal(
    answers: Answers, ledger: Ledger, ids: dict[str, str], status: str, prompter: Prompter | None
) -> Draft:
    """The proposal the answers describe; `ids` are those in use (case-folded id -> file).

    The essentials come first, then the sections the rules read; each section not
    given is left to write, and its rule reports it (see `loti proposal new --help`).
    """
    interview = _Interview(prompter)
    return _content(interview, answers, _essentials(interview, answers, ledger, ids, status))


class _Interview:
    """Takes each answer from its option, else asks the prompter, else records it missing."""

    def __init__(self, prompter: Prompter | None) -> None:
        self.prompter = prompter
        self.missing: list[str] = []

    def option(self, given: str, option: str, check: Callable[[str], T]) -> T:
        """An answer given as an option: checked, and a bad one stops the command."""
        try:
            return check(given)
        except InvalidAnswer as error:
            raise LotiError(f"{option} {given!r}: {error}") from None

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
        if given is not None:
            return self.option(given, option, check)
        if self.prompter is None:
            if default is not None:
                return check(default)
            if not optional:
                self.missing.append(option)
            return None
        return self.prompter.ask(prompt, check, default=default, optional=optional)

    def text(self, given: str | None, option: str, prompt: str) -> str | None:
        """Optional free text: the option, else asked (empty for later), else left to write."""
        return self.one(given, option, prompt, clean_text, optional=True)

    def tell(self, message: str) -> None:
        if self.prompter is not None:
            self.prompter.tell(message)


def _essentials(
    interview: _Interview, answers: Answers, ledger: Ledger, ids: dict[str, str], status: str
) -> Draft:
    """Title, pillar, area, id, boroughs and amount: without them there is no proposal."""
    pillars = [allocation.pillar for allocation in ledger.allocations or ()]
    interview.tell(f"Pillars: {', '.join(pillars)}")
    title = interview.one(answers.title, "--title", "Title", clean_text)
    pillar = interview.one(
        answers.pillar, "--pillar", "Pillar", lambda v: choose(v, pillars, "pillar")
    )
    area: str | None = None
    areas: tuple[str, ...] = ()
    proposal_id: str | None = None
    if pillar is not None:  # the area and the default id depend on the pillar
        allocation = ledger.allocation(pillar)
        areas = tuple(allocation.areas) if allocation is not None else ()
        if answers.area is not None and not areas:
            raise LotiError(f"--area {answers.area!r}: {pillar} has no areas in the ledger")
        if areas and answers.area is None:
            interview.tell(f"Areas of {pillar}: {', '.join(areas)}")
        if areas:
            area = interview.one(
                answers.area,
                "--area",
                "Area (empty for none)",
                lambda v: choose(v, list(areas), f"area of {pillar}"),
                optional=True,
            )
        suggested = next_id(pillar, ids)
        proposal_id = interview.one(
            answers.proposal_id,
            "--id",
            "Id",
            lambda v: check_id(v, ids, suggested),
            default=suggested,
        )
    boroughs = _boroughs(interview, answers.boroughs, ledger)
    requested = interview.one(answers.amount, "--amount", "Amount asked of LOTI (£)", amount_of)
    if (
        interview.missing
        or title is None
        or pillar is None
        or proposal_id is None
        or boroughs is None
        or requested is None
    ):
        raise LotiError(
            f"missing {', '.join(interview.missing)}: give them as options, or run it at "
            "a terminal (without --no-input) to be asked"
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


def _content(interview: _Interview, answers: Answers, draft: Draft) -> Draft:
    """The sections the rules read; each one not given is left to write."""
    summary = interview.text(answers.summary, "--summary", "Summary: what will the project do?")
    outcome = interview.text(
        answers.outcome,
        "--outcome",
        "Outcome: which specific people will be better off, in which specific ways?",
    )
    standards = [interview.option(s, "--standard", clean_text) for s in answers.standards]
    if not standards and interview.prompter is not None:
        standards = (
            interview.prompter.ask(
                "Standards it builds on, comma-separated (empty to write later)",
                _comma_separated,
                optional=True,
            )
            or []
        )
    plan = interview.text(answers.plan, "--plan", "Plan: how would another borough adopt it?")
    outputs = _outputs(interview, answers.outputs)
    sustainability = interview.text(
        answers.sustainability,
        "--sustainability",
        "Sustainability: who pays once LOTI funding ends?",
    )
    dpia = answers.dpia
    if (
        dpia is None
        and interview.prompter is not None
        and interview.prompter.confirm("Does the project process personal data?")
    ):
        dpia = interview.one(None, "--dpia", "DPIA reference", clean_text)
    return replace(
        draft,
        summary=summary,
        outcome=outcome,
        standards=tuple(standards),
        plan=plan,
        outputs=tuple(outputs),
        sustainability=sustainability,
        dpia=interview.option(dpia, "--dpia", clean_text) if dpia is not None else None,
    )


def _boroughs(
    interview: _Interview, given: Sequence[str], ledger: Ledger
) -> list[tuple[str, str]] | None:
    """The boroughs: from --borough, else asked one by one until two members lead or deliver."""
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
    if interview.prompter is None:
        interview.missing.append("--borough (at least two)")
        return None
    members = [m.name for m in ledger.members or () if m.kind == "borough"]
    interview.tell(f"Member boroughs in {ledger.financial_year}: {', '.join(members)}")
    return interview.prompter.ask_many(
        lambda chosen: (
            f"Borough {len(chosen) + 1} (NAME or NAME:ROLE, role "
            f"{'lead' if not chosen else 'delivery'} if not given; empty when done)"
        ),
        lambda answer, chosen: borough_of(answer, ledger, len(chosen), chosen),
        lambda chosen: too_few(chosen, ledger),
    )


def _outputs(interview: _Interview, given: Sequence[str]) -> list[tuple[str, str]]:
    """The outputs: from --output, else asked one by one (none is allowed: FP4 reports it)."""
    chosen: list[tuple[str, str]] = []
    for spec in given:
        try:
            chosen.append(output_of(spec))
        except InvalidAnswer as error:
            raise LotiError(f"--output {spec!r}: {error}") from None
    if given or interview.prompter is None:
        return chosen
    return interview.prompter.ask_many(
        lambda _chosen: (
            "Output gifted to LOTI, as NAME:LICENCE (e.g. Toolkit:OGL-UK-3.0; empty when done)"
        ),
        lambda answer, _chosen: output_of(answer),
    )


def _comma_separated(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


# ---------------------------------------------------------------------------
# each answer checked against the ledger, with did-you-mean


class InvalidAnswer(Exception):
    """An answer that cannot be used; the message says why (a terminal asks again)."""


def clean_text(value: str) -> str:
    """Text as given, its spacing evened out (line breaks kept when there are some)."""
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if not text:
        raise InvalidAnswer("is empty")
    return text


def choose(value: str, options: list[str], what: str) -> str:
    """`value` as one of `options` (exactly, or by letter case or number), else did-you-mean."""
    from loti_cli.core.suggest import did_you_mean, one_of

    text = value.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(options):  # 0-9 only
        return options[int(text) - 1]
    for option in options:
        if option.casefold() == text.casefold():
            return option
    article = "an" if what[:1].lower() in "aeiou" else "a"
    raise InvalidAnswer(
        f"'{text}' is not {article} {what} ({one_of(options)}){did_you_mean(text, options)}"
    )


def next_id(pillar: str, ids: dict[str, str]) -> str:
    """The pillar's initials and the next free number: CR-07 after CR-06."""
    import re

    prefix = "".join(word[0] for word in re.findall(r"[A-Za-z]+", pillar)).upper() or "P"
    pattern = re.compile(rf"^{re.escape(prefix.casefold())}-([0-9]+)$")
    numbers = [int(match[1]) for key in ids if (match := pattern.match(key))]
    return f"{prefix}-{max(numbers, default=0) + 1:02d}"


def check_id(value: str, ids: dict[str, str], suggested: str | None) -> str:
    """A new id: not empty, and not one of `ids` (case-folded id -> the file that has it)."""
    text = value.strip()
    if not text:
        raise InvalidAnswer("is empty")
    if text.casefold() in ids:
        hint = f"; the next free one is {suggested}" if suggested else ""
        raise InvalidAnswer(f"is already the id of {ids[text.casefold()]}{hint}")
    return text


def file_name(proposal_id: str) -> str:
    """`cr-07.yaml` for CR-07: the id, lower case, safe as a file name."""
    import re

    stem = re.sub(r"[^a-z0-9._-]+", "-", proposal_id.casefold()).strip(".-") or "proposal"
    return f"{stem}.yaml"


def amount_of(value: str) -> Money:
    """What is asked of LOTI, in any of the money forms; more than nothing."""
    from loti_cli.core.money import MoneyError, parse_money

    try:
        money = parse_money(value.strip())
    except MoneyError as error:
        raise InvalidAnswer(str(error)) from None
    if not money:
        raise InvalidAnswer("is £0; ask LOTI for something")
    return money


def borough_of(
    spec: str, ledger: Ledger, index: int, chosen: Sequence[tuple[str, str]]
) -> tuple[str, str]:
    """`NAME[:ROLE]` as (the ledger's or roster's name, role)."""
    from loti_cli.core.boroughs import normalise, roster
    from loti_cli.core.suggest import did_you_mean, one_of

    name, colon, role = spec.rpartition(":")
    if not colon:
        name, role = spec, ""
    name, role = name.strip(), role.strip().casefold()
    if not role:
        role = "lead" if index == 0 else "delivery"
    if role not in ROLES:
        raise InvalidAnswer(
            f"role '{role}' is not one of {one_of(ROLES)}{did_you_mean(role, ROLES)}"
        )
    found = roster().lookup(name)
    members = ledger.members or ()
    if found is not None:
        # The ledger's spelling of a member, else the roster's canonical name.
        canonical = next(
            (m.name for m in members if m.kind == "borough" and roster().lookup(m.name) == found),
            found.name,
        )
    else:
        partners = {normalise(m.name): m.name for m in members if m.kind == "partner"}
        partner = partners.get(normalise(name))
        if partner is None:
            suggestion = roster().suggest(name)
            hint = (
                f"; did you mean '{suggestion}'?"
                if suggestion
                else did_you_mean(name, list(partners.values()))
            )
            raise InvalidAnswer(f"'{name}' is not a London borough nor a LOTI partner{hint}")
        canonical = partner
    if any(canonical == other for other, _ in chosen):
        raise InvalidAnswer(f"{canonical} is already listed")
    return canonical, role


def too_few(chosen: Sequence[tuple[str, str]], ledger: Ledger) -> str | None:
    """Why these boroughs fail FP2, if they do."""
    from loti_cli.core.boroughs import roster

    members = {
        found.gss_code
        for m in ledger.members or ()
        if m.kind == "borough" and (found := roster().lookup(m.name)) is not None
    }
    counted = []
    for name, role in chosen:
        found = roster().lookup(name)
        if role in ("lead", "delivery") and found is not None and found.gss_code in members:
            counted.append(name)
    if len(counted) >= 2:
        return None
    listed = f" ({', '.join(counted)})" if counted else ""
    return (
        f"only {len(counted)} member borough(s) lead or deliver{listed}; slide 27 asks for at "
        f"least two LOTI boroughs in {ledger.financial_year} (FP2)"
    )


def output_of(spec: str) -> tuple[str, str]:
    """`NAME:LICENCE` as (name, the open licence's SPDX spelling), else did-you-mean."""
    from loti_cli.core.licences import closest_licence, open_licence

    name, colon, licence = spec.rpartition(":")
    if not colon or not name.strip() or not licence.strip():
        raise InvalidAnswer("write it as NAME:LICENCE, e.g. 'Toolkit:OGL-UK-3.0'")
    canonical = open_licence(licence)
    if canonical is None:
        suggestion = closest_licence(licence)
        hint = f"did you mean '{suggestion}'?" if suggestion else "use e.g. OGL-UK-3.0 or MIT"
        raise InvalidAnswer(f"'{licence.strip()}' is not an open licence ({hint})")
    return clean_text(name), canonical


# ---------------------------------------------------------------------------
# the ledger and the portfolio it is drafted against


def usable_ledger(given: Path | None, year: str | None) -> tuple[Ledger, str]:
    """The ledger whose pillars and members a new proposal is written against, and which
    one it is (for the author)."""
    from loti_cli.io.load import load_ledger
    from loti_cli.io.resolve import choose_ledger

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


def taken_ids(portfolio: Sequence[Analysis]) -> dict[str, str]:
    """The ids the portfolio already uses: case-folded id -> the file that has it."""
    return {
        item.entry.id.strip().casefold(): item.path
        for item in portfolio
        if item.entry is not None and item.entry.id
    }


# ---------------------------------------------------------------------------
# where it is written, and what the rules say of it


def refuse_to_replace(target: Path, force: bool) -> None:
    """Stop before a folder, or a file that exists unless `force`."""
    if target.is_dir():
        raise LotiError(f"{target} is a folder; name a file")
    if target.exists() and not force:
        raise LotiError(f"{target} already exists; choose another FILE, or replace it with --force")


def default_target(folder: Path | None, proposal_id: str) -> Path:
    """proposals/<id>.yaml, in the proposals folder in use."""
    return (folder or Path("proposals")) / file_name(proposal_id)


def check_new(text: str, target: Path | None, workspace: Workspace) -> list[Finding]:
    """What `loti proposal check` reports of the new proposal (written to `target`, or only
    printed when None) among the workspace's portfolio, waived findings left out."""
    import os

    from loti_cli.io.resolve import display_path
    from loti_cli.pipeline.analyse import analyse_text
    from loti_cli.pipeline.check import check

    # Printed, not written: the lines are those of the text on stdout.
    shown = display_path(target) if target is not None else "<stdout>"
    analysis = analyse_text(text, shown, workspace.book)
    real = os.path.realpath(target) if target is not None else None
    folder = [(r, workspace.read[r]) for r in workspace.folder_reals() if r != real]
    result = check([(real, analysis)], folder, workspace.book)
    return [f for f in result.results[0].findings if not f.waived]
