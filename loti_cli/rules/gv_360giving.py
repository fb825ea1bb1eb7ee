"""GV1 to GV7: the 360Giving data-quality checks an approved proposal must pass to be exported."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from loti_cli.core.boroughs import Borough, roster
from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule

if TYPE_CHECKING:
    from loti_cli.core.model import Proposal

TITLE_LIMIT = 140
"""The 360Giving Data Quality Tool flags grant titles longer than this."""


@dataclass(frozen=True, slots=True)
class GrantContext:
    """What a 360Giving check reads: one approved proposal and the ids of the others."""

    proposal: Proposal
    grant_id: str | None
    """`<prefix>-<id>`, or None when the proposal has no id (IN2 says so)."""
    others: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Grant id -> the paths of the other approved proposals of the year that have it."""


def _title_length(context: GrantContext) -> Iterator[Hit]:
    title = (context.proposal.title or "").strip()
    if len(title) > TITLE_LIMIT:
        yield Hit(
            f"title is {len(title)} characters long; 360Giving titles are at most {TITLE_LIMIT} "
            f"(shorten it by {len(title) - TITLE_LIMIT} and keep the detail in the summary)",
            ("title",),
        )


def _identifier_whitespace(context: GrantContext) -> Iterator[Hit]:
    proposal_id = context.proposal.id
    if proposal_id is None or context.grant_id is None:
        return
    found = [char for char in proposal_id if char.isspace()]
    if found:
        kind = (
            "a line break"
            if any(char in "\r\n\v\f\x85\u2028\u2029" for char in found)
            else ("a space" if found == [" "] else "whitespace")
        )
        yield Hit(
            f"id {proposal_id!r} contains {kind}, so the grant identifier "
            f"{context.grant_id!r} would too; 360Giving identifiers have none (use - or _)",
            ("id",),
        )


def _award_date(context: GrantContext) -> Iterator[Hit]:
    if context.proposal.panel is None:
        yield Hit(
            "is approved but has no panel date, which is the grant's award date; add "
            "panel: YYYY-MM-DD (the date of the funding panel that approved it)",
            ("status",),
        )


def _amount(context: GrantContext) -> Iterator[Hit]:
    budget = context.proposal.budget
    requested = budget.requested if budget is not None else None
    if requested is not None and requested.amount <= 0:
        yield Hit(
            f"budget.requested is {requested}; a 360Giving grant's amount awarded is above zero "
            "(a project LOTI does not fund is not a LOTI grant)",
            ("budget", "requested"),
        )


def _recipient(context: GrantContext) -> Iterator[Hit]:
    entries = context.proposal.boroughs
    if entries is None:
        return
    leads = [(index, entry) for index, entry in enumerate(entries) if entry.role == "lead"]
    if not leads:
        yield Hit(
            "no borough has role: lead; the lead borough is the grant's recipient, so make one "
            "London borough the lead",
            ("boroughs",),
        )
        return
    known = roster()
    first: Borough | None = None
    for index, entry in leads:
        borough = known.lookup(entry.name)
        if borough is None:
            yield Hit(
                f"lead '{entry.name}' is not a London borough, so it has no GB-LAE organisation "
                "identifier to publish as the grant's recipient; make a London borough the lead",
                ("boroughs", index, "name"),
            )
        elif first is None:
            first = borough
        elif borough != first:
            yield Hit(
                f"'{entry.name}' is a second lead (after {first.name}); a 360Giving grant has one "
                "recipient: keep one lead and make the others role: delivery",
                ("boroughs", index, "role"),
            )


def _unique(context: GrantContext) -> Iterator[Hit]:
    others = context.others.get(context.grant_id or "", ())
    if others:
        yield Hit(
            f"grant identifier {context.grant_id!r} is also that of {', '.join(others)}; "
            "each grant's identifier is unique, so give each proposal its own id",
            ("id",),
        )


def _description(context: GrantContext) -> Iterator[Hit]:
    if context.proposal.summary is None:
        yield Hit(
            "has no summary, which is the grant's description that 360Giving requires; "
            "add summary: with a few sentences on what the project will do",
            ("summary",),
        )


def _rule(
    *,
    code: str,
    name: str,
    summary: str,
    explanation: str,
    passing: str,
    failing: str,
    check: Callable[[GrantContext], Iterable[Hit]],
) -> Rule[GrantContext]:
    """A 360Giving check: an error, never waived (a waiver cannot make data valid)."""
    return Rule(
        code=code,
        name=name,
        severity=Severity.ERROR,
        summary=summary,
        explanation=explanation,
        passing=passing,
        failing=failing,
        check=check,
        waivable=False,
        subject="360giving",
    )


GV1 = _rule(
    code="GV1",
    name="grant-title-length",
    summary=f"an approved proposal's title is at most {TITLE_LIMIT} characters (360Giving)",
    explanation="The 360Giving standard asks for a grant title under 140 characters and its "
    "Data Quality Tool flags longer ones: a title is shown in lists and search results, and "
    "the summary carries the detail. Shorten the title.",
    passing="title: Sharing data between boroughs to support track and trace",
    failing="title: >-   # GV1: title is 152 characters long; 360Giving titles are at most 140\n"
    "  Sharing data between boroughs to support track and trace, so that residents who\n"
    "  are asked to self-isolate are offered help with food, money and medicine",
    check=_title_length,
)
GV2 = _rule(
    code="GV2",
    name="grant-identifier-whitespace",
    summary="an approved proposal's id has no spaces or line breaks (it is in the grant id)",
    explanation="The grant identifier is `<prefix>-<id>`; 360Giving identifiers join datasets "
    "together and have no spaces or line breaks. Write the id with - or _ instead.",
    passing="id: SL-03",
    failing="id: SL 03   # GV2: id 'SL 03' contains a space",
    check=_identifier_whitespace,
)
GV3 = _rule(
    code="GV3",
    name="grant-award-date",
    summary="an approved proposal has a panel date (the grant's award date)",
    explanation="360Giving requires the date the decision to award was made. For LOTI that is "
    "the funding panel that approved the proposal: add `panel: YYYY-MM-DD`.",
    passing="status: approved\npanel: 2020-10-01",
    failing="status: approved   # GV3: is approved but has no panel date\npanel:",
    check=_award_date,
)
GV4 = _rule(
    code="GV4",
    name="grant-amount-positive",
    summary="an approved proposal requests more than zero from LOTI (the amount awarded)",
    explanation="The 360Giving Data Quality Tool flags grants of zero: a grant moves money. A "
    "project that LOTI approves without funding is not published as a grant.",
    passing="budget: {requested: 45000}",
    failing="budget:\n  requested: 0   # GV4: budget.requested is £0; a 360Giving grant's amount "
    "awarded is above zero\n  external: [{source: MHCLG C-19 Digital Fund, amount: 60000}]",
    check=_amount,
)
GV5 = _rule(
    code="GV5",
    name="grant-recipient-borough",
    summary="an approved proposal has one lead, a London borough (the grant's recipient)",
    explanation="The recipient of a 360Giving grant needs an organisation identifier. The lead "
    "borough is the recipient, published with its GB-LAE- identifier from the register of "
    "English local authorities; a partner such as the GLA has none there. Make one London "
    "borough the lead.",
    passing="boroughs: [{name: Camden, role: lead}, {name: Hackney, role: delivery}]",
    failing="boroughs: [{name: GLA, role: lead}, {name: Camden, role: delivery}]"
    "   # GV5: lead 'GLA' is not a London borough",
    check=_recipient,
)
GV6 = _rule(
    code="GV6",
    name="grant-identifier-unique",
    summary="no two approved proposals of the year make the same grant identifier",
    explanation="Every 360Giving grant identifier is unique; two grants with one id overwrite "
    "each other when datasets are combined. Give each proposal its own id.",
    passing="id: SL-03   # no other approved proposal of the year has it",
    failing="id: CR-02   # GV6: grant identifier '360G-loti-CR-02' is also that of "
    "proposals/cr-02.yaml",
    check=_unique,
)
GV7 = _rule(
    code="GV7",
    name="grant-description",
    summary="an approved proposal has a summary (the grant's description, which 360Giving "
    "requires)",
    explanation="Description is one of the fields every 360Giving grant has. The proposal's "
    "summary is published as the description: add one.",
    passing="summary: >\n  What the project will do.",
    failing="summary:   # GV7: has no summary, which is the grant's description",
    check=_description,
)

GIVING_RULES: tuple[Rule[GrantContext], ...] = (GV1, GV2, GV3, GV4, GV5, GV6, GV7)
