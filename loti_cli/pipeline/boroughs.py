"""What each member gets: its fee, its part in the year's projects and the pooled outputs; pure.

`gather` takes the year's ledger and its proposals, loaded whole, and keeps for
every member of the ledger (boroughs and partners, in the ledger's order) the
approved proposals it leads, delivers or supports, what LOTI funds in the
projects it leads or delivers, their total value, what is spent on them to date
(when the year has actuals), its submitted proposals, and the outputs every
member can reuse. Nothing here reads a file, prints or knows about a format.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from loti_cli.core.boroughs import normalise, roster
from loti_cli.core.entry import Entry
from loti_cli.core.findings import Finding
from loti_cli.core.model import Ledger, Member, Proposal
from loti_cli.core.money import ZERO, Money, total

ROLES: tuple[str, ...] = ("lead", "delivery", "supporter")
"""A proposal's roles, strongest first: a member named twice takes its strongest role."""


@dataclass(frozen=True, slots=True)
class Project:
    """An approved or submitted proposal of the year, as a member's statement lists it."""

    id: str
    title: str
    pillar: str | None
    role: str
    """The member's role in it: lead, delivery or supporter."""
    requested: Money
    total_cost: Money
    """`budget.total_cost`, else what it requests plus its external funding."""


@dataclass(frozen=True, slots=True)
class Reusable:
    """A gifted output of an approved proposal of the year, which every member may reuse."""

    name: str
    licence: str | None
    url: str | None
    proposal: str
    title: str


@dataclass(frozen=True, slots=True)
class Statement:
    """One member's year."""

    name: str
    kind: str
    """borough or partner, as the ledger says."""
    gss: str | None
    """The GSS code of a borough; None for a partner."""
    fee: Money
    leads: tuple[Project, ...] = ()
    delivers: tuple[Project, ...] = ()
    supports: tuple[Project, ...] = ()
    pipeline: tuple[Project, ...] = ()
    spent_to_date: Money | None = None
    """Actuals of the proposals it leads or delivers; None when the year has no actuals."""

    @property
    def funded(self) -> tuple[Project, ...]:
        """The approved proposals it leads or delivers: those its figures count."""
        return (*self.leads, *self.delivers)

    @property
    def loti_funding(self) -> Money:
        return total(project.requested for project in self.funded)

    @property
    def total_value(self) -> Money:
        return total(project.total_cost for project in self.funded)

    @property
    def idle(self) -> bool:
        """No approved and no submitted proposal names it (BR1)."""
        return not (self.leads or self.delivers or self.supports or self.pipeline)


@dataclass(frozen=True, slots=True)
class Statements:
    """Every member's statement for a year, with what the year offers them all."""

    ledger_path: str
    ledger_name: str | None
    financial_year: str
    as_of: date | None
    source: str | None
    members: tuple[Statement, ...]
    outputs: tuple[Reusable, ...]
    actuals: str | None = None
    """The actuals file the spend comes from, as a user sees it; None when there is none."""
    findings: tuple[Finding, ...] = ()
    """BR1, and LB9 for files that may count but cannot be read (`uncounted`)."""
    uncounted: tuple[Finding, ...] = ()

    @property
    def expected_membership(self) -> Money:
        return total(member.fee for member in self.members)

    def find(self, name: str) -> Statement | None:
        """The statement of the member `name` means (see `member_named`)."""
        index = member_named(name, [(m.name, m.kind) for m in self.members])
        return self.members[index] if index is not None else None


def member_named(name: str, members: Sequence[tuple[str, str]]) -> int | None:
    """The index of the member `name` means among (name, kind) pairs: a borough by any
    spelling or code the roster accepts, a partner by its name (case and spacing aside)."""
    known = roster()
    borough = known.lookup(name)
    for index, (member, kind) in enumerate(members):
        if kind == "borough" and borough is not None:
            found = known.lookup(member)
            if found is not None and found.gss_code == borough.gss_code:
                return index
        elif kind == "partner" and normalise(member) == normalise(name) and normalise(name):
            return index
    return None


def gather(
    ledger: Ledger,
    ledger_path: str,
    proposals: Iterable[Proposal],
    *,
    spent: Mapping[str, Money] | None = None,
    actuals: str | None = None,
) -> Statements:
    """The statements of every member of `ledger`, from its year's proposals. `spent` is
    the actuals by proposal id (None: the year has no actuals file)."""
    year = ledger.financial_year or ""
    ours = [p for p in proposals if p.financial_year == year]
    approved = [p for p in ours if p.status == "approved"]
    submitted = [p for p in ours if p.status == "submitted"]
    members = ledger.members or ()
    pairs = [(member.name, member.kind) for member in members]
    roles_of = [_roles(((b.name, b.role) for b in p.boroughs or ()), pairs) for p in ours]
    statements = []
    for index, member in enumerate(members):
        named = [
            (proposal, roles[index])
            for proposal, roles in zip(ours, roles_of, strict=True)
            if index in roles
        ]
        statements.append(_statement(ledger, member, named, approved, submitted, spent))
    return Statements(
        ledger_path=ledger_path,
        ledger_name=ledger.ledger,
        financial_year=year,
        as_of=ledger.as_of,
        source=ledger.source,
        members=tuple(statements),
        outputs=tuple(_reusable(approved)),
        actuals=actuals,
    )


def _roles(named: Iterable[tuple[str, str]], members: Sequence[tuple[str, str]]) -> dict[int, str]:
    """Each member a proposal names (as (name, role) pairs), by index, with its strongest
    role there."""
    found: dict[int, str] = {}
    for name, role in named:
        index = member_named(name, members)
        if index is None or role not in ROLES:
            continue
        earlier = found.get(index)
        if earlier is None or ROLES.index(role) < ROLES.index(earlier):
            found[index] = role
    return found


def _statement(
    ledger: Ledger,
    member: Member,
    named: list[tuple[Proposal, str]],
    approved: list[Proposal],
    submitted: list[Proposal],
    spent: Mapping[str, Money] | None,
) -> Statement:
    def projects(pool: list[Proposal], roles: tuple[str, ...]) -> tuple[Project, ...]:
        ids = {id(p) for p in pool}
        return tuple(_project(p, role) for p, role in named if id(p) in ids and role in roles)

    leads = projects(approved, ("lead",))
    delivers = projects(approved, ("delivery",))
    borough = roster().lookup(member.name) if member.kind == "borough" else None
    spend = None
    if spent is not None:
        spend = total(spent.get(project.id, ZERO) for project in (*leads, *delivers))
    return Statement(
        name=member.name,
        kind=member.kind,
        gss=borough.gss_code if borough is not None else None,
        fee=ledger.fee_of(member) or ZERO,
        leads=leads,
        delivers=delivers,
        supports=projects(approved, ("supporter",)),
        pipeline=projects(submitted, ROLES),
        spent_to_date=spend,
    )


def _project(proposal: Proposal, role: str) -> Project:
    budget = proposal.budget
    requested = proposal.requested or ZERO
    if budget is not None and budget.total_cost is not None:
        value = budget.total_cost
    else:
        external = budget.external if budget is not None else []
        value = total([requested, *(line.amount for line in external)])
    return Project(_id(proposal), proposal.title or "", proposal.pillar, role, requested, value)


def _id(proposal: Proposal) -> str:
    """Its id; a proposal without one (an IN2 finding) is still counted, never left out."""
    return proposal.id or "(no id)"


def _reusable(approved: Iterable[Proposal]) -> Iterable[Reusable]:
    for proposal in approved:
        for output in proposal.outputs or ():
            if output.gifted is True:
                yield Reusable(
                    output.name, output.licence, output.url, _id(proposal), proposal.title or ""
                )


@dataclass(frozen=True, slots=True)
class Participation:
    """Who takes part in which approved proposal: the panel pack's matrix."""

    members: tuple[str, ...]
    projects: tuple[tuple[str, str], ...]
    """(id, title) of each approved proposal of the year, in the order of the folder."""
    roles: Mapping[tuple[int, int], str] = field(default_factory=dict)
    """(member index, project index) -> role."""


def participation(ledger: Ledger, entries: Iterable[Entry]) -> Participation:
    """The members of `ledger` by the approved proposals of its year (as the run keeps each
    file, without reading it again), with their roles."""
    year = ledger.financial_year
    approved = [e for e in entries if e.financial_year == year and e.status == "approved"]
    pairs = [(member.name, member.kind) for member in ledger.members or ()]
    roles: dict[tuple[int, int], str] = {}
    for column, entry in enumerate(approved):
        for row, role in _roles(entry.boroughs, pairs).items():
            roles[(row, column)] = role
    return Participation(
        tuple(name for name, _ in pairs),
        tuple((entry.id or "(no id)", entry.title or "") for entry in approved),
        roles,
    )


@dataclass(frozen=True, slots=True)
class MemberStatement:
    """One member's statement, with the year it belongs to: what a statement renders."""

    year: Statements
    member: Statement
