"""BU3 pipeline-exceeds-pillar: a pillar's submitted and approved proposals ask more than it has."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.core.money import format_money
from loti_cli.rules.base import Rule
from loti_cli.rules.context import AcrossContext

STATUSES = ("submitted", "approved")


def _check(context: AcrossContext) -> Iterable[Hit]:
    proposal, status = context.entry, context.status
    if status is None or proposal.status not in STATUSES or proposal.pillar is None:
        return
    pillar = status.pillar(proposal.pillar)
    if pillar is None or not context.counted:
        return
    asked = pillar.approved + pillar.pipeline
    if asked <= pillar.allocated:
        return
    yield Hit(
        f"the submitted and approved proposals of {pillar.pillar} request {format_money(asked)} "
        f"(approved {format_money(pillar.approved)}, submitted {format_money(pillar.pipeline)}), "
        f"{format_money(asked - pillar.allocated)} more than its allocation of "
        f"{format_money(pillar.allocated)}: the panel cannot fund them all",
        ("pillar",),
    )


RULE: Rule[AcrossContext] = Rule(
    code="BU3",
    name="pipeline-exceeds-pillar",
    severity=Severity.WARNING,
    summary="the pillar's submitted and approved proposals together ask for more than it has",
    explanation=(
        "Adds up what the submitted and approved proposals of a pillar and year request (the "
        "proposals folder and the checked files) and compares it with the pillar's "
        "allocation; when it is more, every submitted or approved proposal of that pillar "
        "gets this warning. It is a warning, not an error: the pipeline is a set of bids, and "
        'the panel decides which to fund. Slide 10 asks that work be "compatible with the '
        'financial reality our members face", and slide 26 allocates the funds by pillar: the '
        "panel cannot fund them all. Act on it by prioritising at the panel, reducing asks, "
        "or finding co-funding."
    ),
    passing="# Smarter London: allocated £50,000; SL-01 approved for £25,000, SL-02 submitted "
    "for £20,000\npillar: Smarter London\nstatus: submitted\nbudget: {requested: 5000}",
    failing="# Smarter London: allocated £50,000; SL-01 approved for £25,000, SL-02 submitted "
    "for £20,000\npillar: Smarter London   # BU3: ... request £65,000 ..., £15,000 more than "
    "its allocation of £50,000\nstatus: submitted\nbudget: {requested: 20000}",
    check=_check,
    across=True,
)
