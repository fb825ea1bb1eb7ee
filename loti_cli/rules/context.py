"""What a proposal rule reads: one proposal, its year's ledger and budget, and the portfolio."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from loti_cli.core.boroughs import normalise, roster
from loti_cli.core.findings import Loc

if TYPE_CHECKING:  # annotations only: `loti rules` and completion import no models
    from datetime import date

    from loti_cli.core.budget import BudgetStatus
    from loti_cli.core.entry import Entry
    from loti_cli.core.model import Ledger, Proposal
    from loti_cli.core.money import Money


@lru_cache(maxsize=4096)
def gss_code(name: str) -> str | None:
    """The GSS code of the London borough `name` means, else None (cached: names repeat)."""
    borough = roster().lookup(name)
    return borough.gss_code if borough is not None else None


@dataclass(frozen=True, slots=True)
class Membership:
    """Who belongs to LOTI in a ledger's year, prepared once for fast lookups."""

    year: str
    boroughs: frozenset[str]
    """GSS codes of the member boroughs."""
    partners: frozenset[str]
    """Normalised names of the members of kind partner (GLA, London Councils)."""

    @classmethod
    def of(cls, ledger: Ledger) -> Membership:
        members = ledger.members or ()
        codes = (gss_code(m.name) for m in members if m.kind == "borough")
        return cls(
            year=ledger.financial_year or "this year",
            boroughs=frozenset(code for code in codes if code is not None),
            partners=frozenset(normalise(m.name) for m in members if m.kind == "partner"),
        )


@dataclass(frozen=True, slots=True)
class Portfolio:
    """Every proposal known to a run (the proposals folder and the checked files), in order,
    as the Entry each keeps."""

    entries: tuple[Entry, ...] = ()
    first_by_id: Mapping[str, Entry] = field(default_factory=dict)
    """The first entry with each id (case-insensitive), for ID1."""

    @classmethod
    def of(cls, entries: Iterable[Entry]) -> Portfolio:
        ordered = tuple(entries)
        first: dict[str, Entry] = {}
        for entry in ordered:
            if entry.id is not None:
                first.setdefault(id_key(entry.id), entry)
        return cls(ordered, first)


def id_key(proposal_id: str) -> str:
    """Ids are compared without regard to letter case or surrounding spaces."""
    return proposal_id.strip().casefold()


def same_id(one: Entry | None, other: Entry | None) -> bool:
    """Whether two proposals have the same id (compared as ID1 compares them)."""
    return bool(one and other and one.id and other.id and id_key(one.id) == id_key(other.id))


class Positions(Protocol):
    """Where a rule's findings go: what the loader offers the rules, and all it offers."""

    def dropped(self, loc: Loc) -> bool:
        """Whether validation dropped items of the list at `loc` (each one an IN2 finding)."""
        ...

    def original_loc(self, loc: Loc) -> Loc:
        """`loc` in the validated model, as a path into the file as written."""
        ...


@dataclass(frozen=True, slots=True)
class ProposalContext:
    """One proposal with what the rules that read it alone need; rules skip what is None."""

    proposal: Proposal
    source: Positions
    ledger: Ledger | None = None
    """The ledger of the proposal's financial year (None when there is none)."""
    members: Membership | None = None

    def entry(self, key: str, index: int) -> int:
        """The 1-based place in the file of item `index` of list `key` (bad items are dropped)."""
        original = self.source.original_loc((key, index))
        position = original[1] if len(original) > 1 else index
        return (position if isinstance(position, int) else index) + 1


@dataclass(frozen=True, slots=True)
class AcrossContext:
    """One proposal, as its Entry, among the portfolio and its year's budget: what the rules
    that look across the portfolio (BU2, BU3, ID1) read."""

    entry: Entry
    ledger: Ledger | None = None
    status: BudgetStatus | None = None
    """The ledger's budget, computed with the portfolio's proposals."""
    portfolio: Portfolio = field(default_factory=Portfolio)
    today: date | None = None
    """The day the check judges dates against (DL2)."""
    spent: Money | None = None
    """What the year's actuals record as spent on this proposal (DL3); None when the year
    has no actuals file, or the proposal is not an approved one of the ledger's year."""

    @property
    def counted(self) -> bool:
        """Whether this proposal's year is the ledger's, so that the budget counts it."""
        return self.ledger is not None and self.entry.financial_year == self.ledger.financial_year
