"""What a proposal rule reads: one proposal, its year's ledger and budget, and the portfolio."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from loti_cli.core.boroughs import normalise, roster

if TYPE_CHECKING:  # annotations only: `loti rules` and completion import no models
    from loti_cli.core.budget import BudgetStatus
    from loti_cli.core.model import Ledger, Proposal
    from loti_cli.io.load import Source


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
    """Every proposal known to a run (the --proposals folder and the checked files), in order."""

    sources: tuple[Source[Proposal], ...] = ()
    first_by_id: Mapping[str, Source[Proposal]] = field(default_factory=dict)
    """The first source with each id (case-insensitive), for ID1."""

    @classmethod
    def of(cls, sources: Iterable[Source[Proposal]]) -> Portfolio:
        ordered = tuple(sources)
        first: dict[str, Source[Proposal]] = {}
        for source in ordered:
            if source.model is not None and source.model.id is not None:
                first.setdefault(id_key(source.model.id), source)
        return cls(ordered, first)

    @property
    def proposals(self) -> list[Proposal]:
        return [source.model for source in self.sources if source.model is not None]


def id_key(proposal_id: str) -> str:
    """Ids are compared without regard to letter case or surrounding spaces."""
    return proposal_id.strip().casefold()


@dataclass(frozen=True, slots=True)
class ProposalContext:
    """One proposal with what the rules need to judge it; rules skip what is None."""

    proposal: Proposal
    source: Source[Proposal]
    ledger: Ledger | None = None
    """The ledger of the proposal's financial year (None when there is none)."""
    status: BudgetStatus | None = None
    """That ledger's budget, computed with the portfolio's proposals."""
    portfolio: Portfolio = field(default_factory=Portfolio)
    members: Membership | None = None

    @property
    def counted(self) -> bool:
        """Whether this proposal's year is the ledger's, so that the budget counts it."""
        return (
            self.ledger is not None and self.proposal.financial_year == self.ledger.financial_year
        )

    def entry(self, key: str, index: int) -> int:
        """The 1-based place in the file of item `index` of list `key` (bad items are dropped)."""
        original = self.source.original_loc((key, index))
        position = original[1] if len(original) > 1 else index
        return (position if isinstance(position, int) else index) + 1
