"""CL3 milestones-done: before closure, every milestone is done."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext


def _check(context: ProposalContext) -> Iterable[Hit]:
    proposal = context.proposal
    if proposal.status != "approved" or proposal.delivery is None:
        return
    for index, milestone in enumerate(proposal.delivery.milestones):
        if milestone.done is None:
            yield Hit(
                f"milestone '{milestone.name}' (due {milestone.due.isoformat()}) is not done; "
                "record `done:` with its date, or remove a milestone the panel has dropped",
                ("delivery", "milestones", index),
            )


RULE: Rule[ProposalContext] = Rule(
    code="CL3",
    name="milestones-done",
    severity=Severity.ERROR,
    summary="to close a project, every milestone is done",
    explanation=(
        "A closure rule: `loti proposal close` and `loti proposal check --closing` report "
        "it. Every milestone under `delivery.milestones` of an approved proposal must have "
        "a `done` date. A project closes when it has delivered what the panel funded; a "
        "milestone not done is work the members were promised, and slide 27 asks that "
        'projects "gift their outputs to LOTI for dissemination and maintenance". '
        "Fix it by recording "
        "`done: DATE`, or, when the panel has agreed to drop a milestone, by removing it."
    ),
    passing="status: approved\ndelivery:\n  milestones:\n"
    "    - {name: Referral record v1 published, due: 2020-12-18, done: 2020-12-21}",
    failing="status: approved\ndelivery:\n  milestones:\n"
    "    - {name: Referral record v1 published, due: 2020-12-18}"
    "   # CL3: milestone 'Referral record v1 published' (due 2020-12-18) is not done",
    check=_check,
    closing=True,
)
