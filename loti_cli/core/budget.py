"""The budget computation: a ledger (and its approved and submitted proposals) to every figure; pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from loti_cli.core.model import SPEND_STATUSES, Ledger, SpendStatus
from loti_cli.core.money import ZERO, Money, total


class Ask(Protocol):
    """What the budget reads of a proposal (a Proposal, or the Entry a run keeps of one)."""

    @property
    def financial_year(self) -> str | None: ...
    @property
    def pillar(self) -> str | None: ...
    @property
    def status(self) -> str | None: ...
    @property
    def requested(self) -> Money | None: ...


@dataclass(frozen=True, slots=True)
class PillarStatus:
    """One pillar's allocation and what proposals take of it."""

    pillar: str
    allocated: Money
    approved: Money
    """Requested by the year's approved proposals of this pillar."""
    pipeline: Money
    """Requested by the year's submitted proposals of this pillar."""
    areas: tuple[str, ...] = ()

    @property
    def headroom(self) -> Money:
        """What is left to approve: allocated - approved (negative when over-committed)."""
        return self.allocated - self.approved

    @property
    def headroom_if_all_approved(self) -> Money:
        """What would be left if the pipeline were approved too."""
        return self.allocated - self.approved - self.pipeline


@dataclass(frozen=True, slots=True)
class BudgetStatus:
    """Every figure of the ledger-format contract, recomputed from the lines."""

    ledger: Ledger
    total_income: Money
    recurring_income: Money
    by_status: dict[SpendStatus, Money]
    total_committed: Money
    total_allocated: Money
    pillars: tuple[PillarStatus, ...]
    expected_membership: Money
    recorded_membership: Money
    member_boroughs: int
    carry_forward: Money

    @property
    def remaining(self) -> Money:
        return self.total_income - self.total_committed

    @property
    def unallocated(self) -> Money:
        return self.remaining - self.total_allocated

    def pillar(self, name: str) -> PillarStatus | None:
        for pillar in self.pillars:
            if pillar.pillar == name:
                return pillar
        return None


def compute_status(ledger: Ledger, proposals: Iterable[Ask] = ()) -> BudgetStatus:
    """Recompute the year's figures; proposals of other years and other statuses are ignored."""
    income = ledger.income or ()
    expenditure = ledger.expenditure or ()
    by_status = {
        status: total(line.amount for line in expenditure if line.status == status)
        for status in SPEND_STATUSES
    }
    counted = [p for p in proposals if p.financial_year == ledger.financial_year]
    pillars = tuple(
        PillarStatus(
            pillar=allocation.pillar,
            allocated=allocation.amount,
            approved=requested(counted, allocation.pillar, ("approved",)),
            pipeline=requested(counted, allocation.pillar, ("submitted",)),
            areas=tuple(allocation.areas),
        )
        for allocation in ledger.allocations or ()
    )
    members = ledger.members or ()
    return BudgetStatus(
        ledger=ledger,
        total_income=total(line.amount for line in income),
        recurring_income=total(line.amount for line in income if line.kind != "carry_forward"),
        by_status=by_status,
        total_committed=total(line.amount for line in expenditure),
        total_allocated=total(allocation.amount for allocation in ledger.allocations or ()),
        pillars=pillars,
        expected_membership=total(ledger.fee_of(member) or ZERO for member in members),
        recorded_membership=total(line.amount for line in income if line.kind == "membership"),
        member_boroughs=sum(1 for member in members if member.kind == "borough"),
        carry_forward=total(line.amount for line in income if line.kind == "carry_forward"),
    )


def requested(proposals: Sequence[Ask], pillar: str, statuses: Sequence[str]) -> Money:
    """What the proposals of `pillar` with one of `statuses` ask of LOTI."""
    return total(
        amount
        for p in proposals
        if p.pillar == pillar and p.status in statuses and (amount := p.requested) is not None
    )
