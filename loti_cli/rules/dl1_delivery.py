"""DL1 invalid-delivery: a delivery section whose dates are in order, phase known, measures aimed."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.delivery import PHASES
from loti_cli.core.findings import Hit, Severity
from loti_cli.core.suggest import did_you_mean, one_of
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext


def _check(context: ProposalContext) -> Iterable[Hit]:
    delivery = context.proposal.delivery
    if delivery is None:
        return
    phase, start, end = delivery.phase, delivery.start, delivery.end
    if phase is not None and phase not in PHASES:
        yield Hit(
            f"phase '{phase}' is not one of {one_of(PHASES)}{did_you_mean(phase, PHASES)}",
            ("delivery", "phase"),
        )
    if start is not None and end is not None and start > end:
        yield Hit(
            f"end {end.isoformat()} is before start {start.isoformat()}; correct one of the dates",
            ("delivery", "end"),
        )
    if start is not None and delivery.closed is not None and delivery.closed < start:
        yield Hit(
            f"closed {delivery.closed.isoformat()} is before start {start.isoformat()}",
            ("delivery", "closed"),
        )
    for index, milestone in enumerate(delivery.milestones):
        if start is not None and milestone.done is not None and milestone.done < start:
            yield Hit(
                f"milestone '{milestone.name}' is done {milestone.done.isoformat()}, before "
                f"the start {start.isoformat()}; correct the date",
                ("delivery", "milestones", index, "done"),
            )
    for index, measure in enumerate(delivery.measures):
        if measure.target is None:
            yield Hit(
                f"measure '{measure.name}' has no target; add the value the project aims for",
                ("delivery", "measures", index),
            )


RULE: Rule[ProposalContext] = Rule(
    code="DL1",
    name="invalid-delivery",
    severity=Severity.ERROR,
    summary="delivery dates in order, a known phase, and a target for every measure",
    explanation=(
        "A proposal's `delivery` section, when it has one, must make sense: `start` on or "
        "before `end`; no milestone `done` and no `closed` date before `start`; `phase` one "
        f"of {one_of(PHASES)}; and every measure a `target`. LOTI's outcomes-based "
        'methodology (slides 21 to 23) starts from the question "Which specific people do we '
        'want to be better off in which specific ways because we acted?"; a measure without '
        "a target cannot say whether they are. "
        "It is checked whatever the proposal's status, as a plan with its dates out of order "
        "is wrong from the start. Fix the date, the phase or the measure named."
    ),
    passing="delivery:\n  phase: beta\n  start: 2020-10-15\n  end: 2021-03-31\n  measures:\n"
    "    - {name: Days from referral to first contact, baseline: 14, target: 3}",
    failing="delivery:\n  phase: beta\n  start: 2020-10-15\n"
    "  end: 2020-09-30   # DL1: end 2020-09-30 is before start 2020-10-15",
    check=_check,
)
