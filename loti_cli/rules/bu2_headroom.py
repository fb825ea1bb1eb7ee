"""BU2 within-pillar-headroom: a proposal asks no more than its pillar has left to approve."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.core.money import ZERO, format_money
from loti_cli.rules.base import Rule
from loti_cli.rules.context import AcrossContext

STATUSES = ("submitted", "approved")
"""A draft is not yet asking; rejected and withdrawn proposals no longer ask."""


def _check(context: AcrossContext) -> Iterable[Hit]:
    proposal, status = context.entry, context.status
    if status is None or proposal.status not in STATUSES or not context.counted:
        return
    requested = proposal.requested
    if requested is None or proposal.pillar is None:
        return
    pillar = status.pillar(proposal.pillar)
    if pillar is None:
        return
    # The budget counts this proposal among the approved when it is one; headroom excludes it.
    others = pillar.approved - (requested if proposal.status == "approved" else ZERO)
    headroom = pillar.allocated - others
    if requested <= headroom:
        return
    yield Hit(
        f"requests {format_money(requested)} but {pillar.pillar} has "
        f"{format_money(headroom)} of headroom: allocated {format_money(pillar.allocated)}, "
        f"other approved proposals already take {format_money(others)}; "
        f"{format_money(requested - headroom)} short",
        ("budget", "requested"),
    )


RULE: Rule[AcrossContext] = Rule(
    code="BU2",
    name="within-pillar-headroom",
    severity=Severity.ERROR,
    summary="requested is at most what the pillar has left after other approved proposals",
    explanation=(
        "For a submitted or approved proposal, `budget.requested` must be at most its "
        "pillar's headroom: the pillar's allocation in the ledger of the proposal's year minus "
        "what the other approved proposals of that pillar and year request (the proposals "
        "folder and the checked files, each file once). Drafts are not yet asking and "
        "rejected or withdrawn proposals no longer ask, so they are not checked; submitted "
        "proposals in the pipeline do not take headroom from each other (BU3 warns when "
        "together they exceed the pillar). Slide 26 allocates the funds that remain by pillar, "
        'and slide 10 asks that work be "compatible with the financial reality our members '
        'face": the panel cannot approve money the pillar does not have. Fix it by asking for '
        "less, finding co-funding (`budget.external`), or asking the panel to move allocation."
    ),
    passing="pillar: Smarter London   # allocated £50,000; SL-01 approved for £25,000\n"
    "status: submitted\nbudget: {requested: 20000}",
    failing="pillar: Smarter London   # allocated £50,000; SL-01 approved for £25,000\n"
    "status: submitted\nbudget: {requested: 30000}   # BU2: requests £30,000 but Smarter "
    "London has £25,000 of headroom: ...; £5,000 short",
    check=_check,
    across=True,
)
