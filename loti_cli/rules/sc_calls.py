"""SC4, SC5, SC6: a call within its pillar, a proposal in a call the ledger has, a bid on time."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from loti_cli.core.findings import Hit, Severity
from loti_cli.core.money import format_money, total
from loti_cli.core.suggest import did_you_mean, one_of
from loti_cli.rules.base import Rule

if TYPE_CHECKING:  # annotations only: `loti rules` and completion import no models
    from loti_cli.rules.context import ProposalContext
    from loti_cli.rules.ledger import LedgerContext


def _call_over_pillar(context: LedgerContext) -> Iterable[Hit]:
    ledger = context.status.ledger
    pillars = [allocation.pillar for allocation in ledger.allocations or ()]
    for index, call in enumerate(ledger.calls or ()):
        allocation = ledger.allocation(call.pillar)
        if allocation is None:
            yield Hit(
                f"call '{call.name}' names pillar '{call.pillar}', which has no allocation "
                "(a call is ring-fenced inside a pillar's allocation)"
                f"{did_you_mean(call.pillar, pillars)}",
                ("calls", index, "pillar"),
            )
        elif call.amount > allocation.amount:
            yield Hit(
                f"call '{call.name}' is {format_money(call.amount)}, more than the "
                f"{format_money(allocation.amount)} allocated to {allocation.pillar} (over by "
                f"{format_money(call.amount - allocation.amount)}); reduce the call or raise "
                "the allocation",
                ("calls", index, "amount"),
            )
        if not call.lots:
            continue
        lots = total(lot.amount for lot in call.lots)
        if lots != call.amount:
            parts = ", ".join(f"{lot.name} {format_money(lot.amount)}" for lot in call.lots)
            yield Hit(
                f"the lots of call '{call.name}' add up to {format_money(lots)} ({parts}), "
                f"not the call's {format_money(call.amount)}; make them agree",
                ("calls", index, "lots"),
                at_key=True,
            )


def _not_in_call(context: ProposalContext) -> Iterable[Hit]:
    proposal, ledger = context.proposal, context.ledger
    if ledger is None or (proposal.call is None and proposal.lot is None):
        return
    year = ledger.financial_year
    if proposal.call is None:
        yield Hit(
            f"lot '{proposal.lot}' is named but no call; add call: with the name of the call",
            ("lot",),
        )
        return
    names = [call.name for call in ledger.calls or ()]
    call = ledger.call(proposal.call)
    if call is None:
        yield Hit(
            f"call '{proposal.call}' is not one of the {year} calls "
            f"({one_of(names) or 'there are none'}){did_you_mean(proposal.call, names)}",
            ("call",),
        )
        return
    if proposal.pillar is not None and proposal.pillar != call.pillar:
        yield Hit(
            f"call '{call.name}' is funded from {call.pillar}, but the proposal's pillar is "
            f"'{proposal.pillar}'; a bid in the call is a proposal of {call.pillar}",
            ("pillar",),
        )
    yield from _lot(context, call.name, [lot.name for lot in call.lots])


def _lot(context: ProposalContext, call: str, lots: list[str]) -> Iterable[Hit]:
    lot = context.proposal.lot
    if lot is None and lots:
        yield Hit(
            f"call '{call}' has lots ({one_of(lots)}); say which this bid is for with lot:",
            ("call",),
        )
    elif lot is not None and not lots:
        yield Hit(f"call '{call}' has no lots; remove lot: '{lot}'", ("lot",))
    elif lot is not None and lot not in lots:
        yield Hit(
            f"lot '{lot}' is not one of the lots of call '{call}' ({one_of(lots)})"
            f"{did_you_mean(lot, lots)}",
            ("lot",),
        )


def _past_closing(context: ProposalContext) -> Iterable[Hit]:
    proposal, ledger = context.proposal, context.ledger
    if ledger is None or proposal.call is None or proposal.submitted is None:
        return
    call = ledger.call(proposal.call)
    if call is None or call.closes is None or proposal.submitted <= call.closes:
        return
    late = (proposal.submitted - call.closes).days
    yield Hit(
        f"submitted {proposal.submitted.isoformat()}, {late} day{'s' if late != 1 else ''} "
        f"after {call.name} closed on {call.closes.isoformat()}; the panel decides whether "
        "to accept a late bid",
        ("submitted",),
    )


_CALL = "pillar: Covid Recovery\ncall: Covid Innovation Fund\n"

SC4: Rule[LedgerContext] = Rule(
    code="SC4",
    name="call-over-pillar",
    severity=Severity.ERROR,
    summary="a call's amount exceeds its pillar's allocation, or its lots do not add up",
    explanation=(
        "A call (`calls` in the ledger) ring-fences money for competitive bids inside one "
        "pillar's allocation (slide 26 allocates the funds by pillar), so it can be no larger "
        "than that allocation, and it must name a pillar that has one. When the call has "
        "lots, each ring-fences a part of it, and their amounts add up to the call's. The "
        "Covid Innovation Fund ring-fenced £150,000 of Covid Recovery: £75,000 for a data "
        "project and £75,000 for a digital one. Fix the call's amount, its lots, or the "
        "allocation."
    ),
    passing="calls:\n  - name: Covid Innovation Fund\n    pillar: Covid Recovery\n"
    "    amount: 150000\n    lots:\n      - {name: data, amount: 75000}\n"
    "      - {name: digital, amount: 75000}",
    failing="calls:\n  - name: Covid Innovation Fund\n    pillar: Covid Recovery\n"
    "    amount: 250000   # SC4: call 'Covid Innovation Fund' is £250,000, more than the "
    "£200,000 allocated to Covid Recovery (over by £50,000)",
    check=_call_over_pillar,
    subject="ledger",
)

SC5: Rule[ProposalContext] = Rule(
    code="SC5",
    name="not-in-call",
    severity=Severity.ERROR,
    summary="a proposal names a call or lot the ledger does not have",
    explanation=(
        "A bid in a competitive call says `call:` with the name of one of the `calls` in "
        "the ledger of its financial year, spelt as the ledger spells it, and, when the call "
        "has lots, `lot:` with one of them; its pillar is the call's, since slide 26 shares "
        'out the "funds remaining after committed expenditure" by pillar and a call is '
        "ring-fenced inside one. `loti proposal rank` "
        "ranks the bids of a call by the panel's scores and funds them from their lot, so a "
        "bid whose call or lot is not the ledger's would never be ranked. Fix the spelling "
        '(a close one gets a "did you mean"), or remove `call:` and `lot:` from a proposal '
        "that is not a bid in a call."
    ),
    passing=_CALL + "lot: data",
    failing="pillar: Covid Recovery\ncall: Covid Innovation Fnd   # SC5: call 'Covid Innovation "
    "Fnd' is not one of the 2020-21 calls (...); did you mean 'Covid Innovation Fund'?\n"
    "lot: data",
    check=_not_in_call,
)

SC6: Rule[ProposalContext] = Rule(
    code="SC6",
    name="past-closing",
    severity=Severity.WARNING,
    summary="a proposal in a call was submitted after the call closed",
    explanation=(
        "A bid in a call may record the day it came in (`submitted:`); when that is after "
        "the call's `closes` date in the ledger, the bid is late, and the panel scores every "
        'bid of a call against the same criteria (slide 10: "how we decide what to work '
        'on"), so it should see which came in after the others. It is a warning, not an '
        "error: the panel decides whether to accept a late bid, and records a waiver when it "
        "does. Correct the date if it is wrong."
    ),
    passing=_CALL + "lot: data\nsubmitted: 2021-01-20",
    failing=_CALL + "lot: data\nsubmitted: 2021-02-03   # SC6: submitted 2021-02-03, 5 days "
    "after Covid Innovation Fund closed on 2021-01-29",
    check=_past_closing,
)
