"""IG1 dpia-for-personal-data: a proposal that handles personal data cites its DPIA."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext


def _check(context: ProposalContext) -> Iterable[Hit]:
    proposal = context.proposal
    if proposal.personal_data and proposal.dpia is None:
        yield Hit(
            "personal_data is true but there is no dpia: add the reference of its data "
            "protection impact assessment",
            ("personal_data",),
        )


RULE: Rule[ProposalContext] = Rule(
    code="IG1",
    name="dpia-for-personal-data",
    severity=Severity.ERROR,
    summary="personal_data: true requires a dpia reference",
    explanation=(
        "A proposal with `personal_data: true` must give `dpia`, the reference of its data "
        "protection impact assessment. The outcomes-based methodology (slide 23) asks of every "
        'data product: "What data is required to create that view? Can we access and use it '
        "legally and ethically?\" Fix it by completing the DPIA (LOTI's digital DPIA tool, "
        "slide 17, helps) and recording its reference."
    ),
    passing="personal_data: true\ndpia: DPIA-2020-014",
    failing="personal_data: true   # IG1: personal_data is true but there is no dpia",
    check=_check,
)
