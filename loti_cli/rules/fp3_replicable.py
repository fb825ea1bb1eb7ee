"""FP3 replicable: the proposal names the common standards it builds on and a plan for adoption."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext


def _check(context: ProposalContext) -> Iterable[Hit]:
    replicability = context.proposal.replicability
    present = replicability is not None
    standards = replicability.standards if replicability is not None else None
    plan = replicability.plan if replicability is not None else None
    if standards is not None and not standards:
        yield Hit(
            "replicability.standards is empty: list at least one common standard or principle "
            "the work is built on",
            ("replicability", "standards"),
        )
    elif standards is None:
        yield Hit(
            "replicability.standards is missing: list at least one common standard or "
            "principle the work is built on",
            ("replicability",),
            at_key=present,
        )
    if plan is None:
        yield Hit(
            "replicability.plan is missing: say how another LOTI borough would adopt the work",
            ("replicability",),
            at_key=present,
        )


RULE: Rule[ProposalContext] = Rule(
    code="FP3",
    name="replicable",
    severity=Severity.ERROR,
    summary="replicability names at least one common standard and a plan for adoption",
    explanation=(
        "`replicability.standards` must list at least one standard or principle the work is "
        "built on, and `replicability.plan` must say how another borough would adopt it; "
        "each missing piece is its own finding. Slide 27, the funding principles: any project "
        'funded by LOTI must "be replicable by other LOTI boroughs (designed with wider '
        'adoption in mind, based on common standards/principles)". Fix it by adding both.'
    ),
    passing="replicability:\n  standards: [Open Referral UK]\n"
    "  plan: Any borough can publish its directory in the same shape.",
    failing="replicability:\n  standards: []   # FP3: replicability.standards is empty\n"
    "  plan: Any borough can publish its directory in the same shape.",
    check=_check,
)
