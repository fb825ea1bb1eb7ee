"""PC5 financially-sustainable: the proposal says who pays once LOTI funding ends."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext


def _check(context: ProposalContext) -> Iterable[Hit]:
    if context.proposal.sustainability is None:
        yield Hit(
            "no sustainability: say who pays to run and maintain the work once LOTI funding ends",
            ("sustainability",),
        )


RULE: Rule[ProposalContext] = Rule(
    code="PC5",
    name="financially-sustainable",
    severity=Severity.WARNING,
    summary="sustainability says who pays once LOTI funding ends",
    explanation=(
        "`sustainability` must be present. Slide 10, the prioritisation criteria: the work "
        'must be "compatible with the financial reality our members face - we strive to '
        'develop financially sustainable models". It is a warning, and a funding panel may '
        "waive it while the model is agreed (see WV1). Fix it by saying who pays to run and "
        "maintain the work, and from which budget."
    ),
    passing="sustainability: Boroughs host the directory within existing budgets.",
    failing="sustainability:   # PC5: no sustainability: say who pays to run and maintain the "
    "work once LOTI funding ends",
    check=_check,
)
