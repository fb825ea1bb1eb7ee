"""FP1 aligned-with-objectives: the pillar is one of the year's allocations, and the area its."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.core.suggest import did_you_mean, one_of
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext


def _check(context: ProposalContext) -> Iterable[Hit]:
    proposal, ledger = context.proposal, context.ledger
    if ledger is None or proposal.pillar is None:
        return
    year = ledger.financial_year
    allocations = ledger.allocations or ()
    pillars = [allocation.pillar for allocation in allocations]
    allocation = ledger.allocation(proposal.pillar)
    if allocation is None:
        yield Hit(
            f"pillar '{proposal.pillar}' is not one of the {year} allocations "
            f"({one_of(pillars) or 'there are none'}){did_you_mean(proposal.pillar, pillars)}",
            ("pillar",),
        )
        return
    area = proposal.area
    if area is None or not allocation.areas or area in allocation.areas:
        return
    elsewhere = [a.pillar for a in allocations if area in a.areas]
    hint = (
        f"; it is an area of {elsewhere[0]}" if elsewhere else did_you_mean(area, allocation.areas)
    )
    yield Hit(
        f"area '{area}' is not one of the areas of {allocation.pillar} "
        f"({one_of(allocation.areas)}){hint}",
        ("area",),
    )


RULE: Rule[ProposalContext] = Rule(
    code="FP1",
    name="aligned-with-objectives",
    severity=Severity.ERROR,
    summary="the pillar is one of the year's allocations, and the area one of that pillar's areas",
    explanation=(
        "`pillar` must be one of the allocations in the ledger of the proposal's "
        "`financial_year`, spelt as the ledger spells it, and `area`, when given, one of "
        "that pillar's areas (a pillar whose ledger lists no areas accepts any area). "
        'Slide 27, the funding principles: any project funded by LOTI must "be aligned '
        'with our core objectives"; slide 13 sets out those objectives as the core pillars '
        "and their areas, and slide 26 allocates the money by pillar, so a proposal outside "
        "them has no money to draw on. Fix it by naming the pillar (and area) exactly as the "
        'ledger does; a close misspelling gets a "did you mean".'
    ),
    passing="financial_year: 2020-21\npillar: Covid Recovery\narea: Identifying Needs",
    failing="financial_year: 2020-21\npillar: Covid Recovry   # FP1: pillar 'Covid Recovry' is "
    "not one of the 2020-21 allocations (...); did you mean 'Covid Recovery'?",
    check=_check,
)
