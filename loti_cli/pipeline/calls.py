"""A call and its bids, read once: the ledger's call, criteria and members, the proposals that
bid in it, the pillar's headroom as budget status computes it, and the findings about them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from loti_cli.core.boroughs import roster
from loti_cli.core.findings import Finding, sort_key
from loti_cli.core.money import ZERO, Money, total
from loti_cli.core.suggest import did_you_mean, one_of
from loti_cli.errors import LotiError
from loti_cli.io.resolve import LedgerChoice

if TYPE_CHECKING:
    from loti_cli.core.model import Call, Criterion, Ledger, Proposal
    from loti_cli.io.load import Source
    from loti_cli.io.scores_file import Expected
    from loti_cli.pipeline.status import StatusResult

RANKED = ("submitted",)
"""The statuses of the bids a panel scores and `proposal rank` ranks: those still to decide."""


@dataclass(frozen=True, slots=True)
class Involved:
    """A London borough a bid names, and its role (lead, delivery or supporter)."""

    gss: str
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class Bid:
    """A proposal in a call, as the ranking reads it."""

    id: str
    title: str
    path: str
    status: str | None
    lot: str | None
    requested: Money | None
    boroughs: tuple[Involved, ...] = ()

    def conflict(self, gss: str) -> Involved | None:
        """How the borough with this GSS code is involved in the bid (None when it is not)."""
        return next((b for b in self.boroughs if b.gss == gss), None)


@dataclass(slots=True)
class CallSetup:
    """Everything a ranking or a score sheet of one call needs."""

    choice: LedgerChoice
    ledger: Ledger
    call: Call
    criteria: tuple[Criterion, ...]
    members: dict[str, str]
    """The year's member boroughs: GSS code -> name, in the ledger's order."""
    bids: list[Bid]
    """Every proposal of the ledger's year in the call, whatever its status, in file order."""
    headroom: Money
    """The pillar's headroom: its allocation less what approved proposals request."""
    findings: list[Finding] = field(default_factory=list)
    """SC4 about the call, SC5 and SC6 about its bids, LB9 when the headroom is incomplete."""

    @property
    def ranked(self) -> list[Bid]:
        """The bids a panel scores: the submitted ones."""
        return [bid for bid in self.bids if bid.status in RANKED]

    def expected(self) -> Expected:
        """What the cells of the call's scores file may name."""
        from loti_cli.io.scores_file import Expected

        return Expected(
            call=self.call.name,
            year=self.ledger.financial_year or "this year",
            bids=[bid.id for bid in self.bids],
            criteria=[criterion.id for criterion in self.criteria],
            members=self.members,
            partners=[m.name for m in self.ledger.members or () if m.kind == "partner"],
            criterion_names={criterion.id: criterion.name for criterion in self.criteria},
        )

    def lots(self) -> dict[str | None, Money]:
        """What each lot (or the call, keyed None, when it has none) has left before the
        ranking: its amount less the bids of the call already approved from it."""
        approved = [bid for bid in self.bids if bid.status == "approved"]
        if not self.call.lots:
            taken = total(bid.requested or ZERO for bid in approved)
            return {None: self.call.amount - taken}
        return {
            lot.name: lot.amount
            - total(bid.requested or ZERO for bid in approved if bid.lot == lot.name)
            for lot in self.call.lots
        }


def open_call(
    name: str,
    *,
    ledger: Path | None,
    proposals: Path | None,
    no_cache: bool = False,
    choice: LedgerChoice | None = None,
) -> CallSetup:
    """The call `name` of the chosen ledger (`choice`, else --ledger or the default) with its
    bids; LotiError (exit 2) when the ledger cannot be loaded, or has no such call or no
    criteria."""
    from loti_cli.io.resolve import choose_ledger
    from loti_cli.pipeline.status import budget_status
    from loti_cli.pipeline.workspace import Workspace

    choice = choice or choose_ledger(ledger)
    workspace = Workspace.open(ledger=choice.path, proposals=proposals, no_cache=no_cache)
    result = budget_status(choice, workspace.counted(), book=workspace.book)
    if result.status is None:
        count = len(result.findings)
        raise LotiError(
            f"the ledger {choice.description} cannot be loaded:",
            details=(
                *(str(finding) for finding in result.findings),
                f"{count} problem{'s' if count != 1 else ''}; fix them and run again",
            ),
        )
    model = result.status.ledger
    call = _the_call(model, name, choice)
    criteria = tuple(model.criteria or ())
    if not criteria:
        raise LotiError(
            f"the ledger {choice.display} lists no criteria to score bids against; add "
            "criteria: (docs/formats/ledger-format.md)"
        )
    pillar = result.status.pillar(call.pillar)
    sources = workspace.sources()
    setup = CallSetup(
        choice=choice,
        ledger=model,
        call=call,
        criteria=criteria,
        members=_members(model),
        bids=[bid for source in sources if (bid := _bid(source, model, call)) is not None],
        headroom=pillar.headroom if pillar is not None else ZERO,
    )
    setup.findings = _findings(result, setup, sources)
    return setup


def _the_call(model: Ledger, name: str, choice: LedgerChoice) -> Call:
    call = model.call(name)
    if call is not None:
        return call
    names = [item.name for item in model.calls or ()]
    known = f"its calls are {one_of(names)}" if names else "it lists no calls"
    raise LotiError(
        f"--call {name!r}: the ledger {choice.display} has no such call ({known})"
        f"{did_you_mean(name, names)}"
    )


def _members(model: Ledger) -> dict[str, str]:
    found: dict[str, str] = {}
    for member in model.members or ():
        borough = roster().lookup(member.name) if member.kind == "borough" else None
        if borough is not None:
            found.setdefault(borough.gss_code, borough.name)
    return found


def _bid(source: Source[Proposal], model: Ledger, call: Call) -> Bid | None:
    proposal = source.model
    if proposal is None or proposal.call != call.name or proposal.id is None:
        return None
    if proposal.financial_year != model.financial_year:
        return None
    involved: list[Involved] = []
    for entry in proposal.boroughs or ():
        borough = roster().lookup(entry.name)
        if borough is not None:
            involved.append(Involved(borough.gss_code, borough.name, entry.role))
    return Bid(
        id=proposal.id,
        title=proposal.title or "",
        path=source.path,
        status=proposal.status,
        lot=proposal.lot,
        requested=proposal.requested,
        boroughs=tuple(involved),
    )


def _findings(
    result: StatusResult, setup: CallSetup, sources: list[Source[Proposal]]
) -> list[Finding]:
    """SC4 about this call, SC5 and SC6 about its bids, and LB9 (the headroom is incomplete)."""
    from loti_cli.rules.context import ProposalContext
    from loti_cli.rules.ledger import LedgerContext
    from loti_cli.rules.sc_calls import SC4, SC5, SC6

    assert result.status is not None and SC4.check is not None
    index = (setup.ledger.calls or []).index(setup.call)
    found = [f for f in result.findings if f.code == "LB9"]
    found.extend(
        result.source.place(SC4.code, SC4.name, SC4.severity, hit)
        for hit in SC4.check(LedgerContext(result.status))
        if hit.loc[:2] == ("calls", index)
    )
    for source in sources:
        proposal = source.model
        if proposal is None or not _may_bid(proposal, setup):
            continue
        context = ProposalContext(proposal, source, setup.ledger)
        for rule in (SC5, SC6):
            assert rule.check is not None
            found.extend(
                source.place(rule.code, rule.name, rule.severity, hit)
                for hit in rule.check(context)
            )
    return sorted(found, key=sort_key)


def _may_bid(proposal: Proposal, setup: CallSetup) -> bool:
    """Whether a proposal of the year is, or may be meant as, a bid in this call: it names
    it, or names a call the ledger does not have, or a lot and no call (SC5 says which)."""
    if proposal.financial_year != setup.ledger.financial_year:
        return False
    if proposal.call is None:
        return proposal.lot is not None
    return proposal.call == setup.call.name or setup.ledger.call(proposal.call) is None
