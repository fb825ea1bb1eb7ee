"""A new proposal from its author's answers, each checked against the ledger; where it is written.

`draft_proposal` turns the options of `loti proposal new` into a Draft (which
`proposal_template` renders). Each answer is taken from its option, else asked
through a Prompter when there is one (at a terminal: `commands/asking.py`), else
recorded missing; a missing essential (title, pillar, boroughs, amount) stops it.
The checks in `draft_answers` judge each answer against the ledger with "did you
mean", and raise InvalidAnswer (a prompter asks again; an option stops the
command). Nothing here prints or prompts itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from loti_cli.errors import LotiError
from loti_cli.pipeline.draft_answers import (
    InvalidAnswer,
    amount_of,
    borough_of,
    check_id,
    choose,
    clean_text,
    file_name,
    next_id,
    output_of,
    too_few,
)
from loti_cli.report.proposal_template import Draft

if TYPE_CHECKING:
    from loti_cli.core.findings import Finding
    from loti_cli.core.model import Ledger
    from loti_cli.pipeline.analyse import Analysis
    from loti_cli.pipeline.workspace import Workspace

T = TypeVar("T")


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
        area, areas, proposal_id = _area_and_id(interview, answers, ledger, ids, pillar)
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


def _area_and_id(
    interview: _Interview, answers: Answers, ledger: Ledger, ids: dict[str, str], pillar: str
) -> tuple[str | None, tuple[str, ...], str | None]:
    """The area (of the pillar's areas, if it has some), the pillar's areas and the id."""
    area: str | None = None
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
    return area, areas, proposal_id


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
