"""CL2 outcome-measured: before closure, every measure of the outcome has been measured."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext


def _check(context: ProposalContext) -> Iterable[Hit]:
    proposal = context.proposal
    if proposal.status != "approved" or proposal.delivery is None:
        return
    for index, measure in enumerate(proposal.delivery.measures):
        missing = [
            what
            for what, value in (("actual", measure.actual), ("measured date", measure.measured))
            if value is None
        ]
        if missing:
            yield Hit(
                f"measure '{measure.name}' has no {' and no '.join(missing)}; record the "
                "latest value and the date it was measured",
                ("delivery", "measures", index),
            )


RULE: Rule[ProposalContext] = Rule(
    code="CL2",
    name="outcome-measured",
    severity=Severity.ERROR,
    summary="to close a project, every measure has an actual and a measured date",
    explanation=(
        "A closure rule: `loti proposal close` and `loti proposal check --closing` report "
        "it. Every measure under `delivery.measures` of an approved proposal must have an "
        "`actual` (the latest value) and the date it was `measured`. LOTI's outcomes-based "
        'methodology (slides 21 to 23) starts each project from the question "Which specific '
        'people do we want to be better off in which specific ways because we acted?"; at its '
        "end members ask whether they are. Fix it by recording the latest value "
        "and its date."
    ),
    passing="status: approved\ndelivery:\n  measures:\n"
    "    - {name: Days to first contact, baseline: 14, target: 3, actual: 4, "
    "measured: 2021-02-28}",
    failing="status: approved\ndelivery:\n  measures:\n"
    "    - {name: Days to first contact, baseline: 14, target: 3}"
    "   # CL2: measure 'Days to first contact' has no actual and no measured date",
    check=_check,
    closing=True,
)
