"""BU1 valid-amounts: the budget asks for something, and its total adds up."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.core.money import ZERO, format_money, total
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext


def _check(context: ProposalContext) -> Iterable[Hit]:
    budget = context.proposal.budget
    if budget is None or budget.requested is None:
        return
    requested = budget.requested
    external = total(funding.amount for funding in budget.external)
    if requested < ZERO:
        yield Hit(
            f"requested {format_money(requested)} is negative; ask LOTI for zero or more "
            "(co-funding goes under external)",
            ("budget", "requested"),
        )
        return
    if context.source.dropped(("budget", "external")):
        return  # an external amount could not be read (IN2): the sums would mislead
    if requested + external <= ZERO:
        yield Hit(
            "requested plus external funding is £0: the proposal asks for nothing; "
            "state what LOTI and co-funders contribute",
            ("budget", "requested"),
        )
    if budget.total_cost is not None and budget.total_cost != requested + external:
        gap = budget.total_cost - (requested + external)
        yield Hit(
            f"total_cost {format_money(budget.total_cost)} differs from requested "
            f"{format_money(requested)} + external {format_money(external)} = "
            f"{format_money(requested + external)} ({format_money(abs(gap))} "
            f"{'more' if gap > ZERO else 'less'}); correct the total or the amounts",
            ("budget", "total_cost"),
        )


RULE: Rule[ProposalContext] = Rule(
    code="BU1",
    name="valid-amounts",
    severity=Severity.ERROR,
    summary="the budget asks for more than nothing, and total_cost is requested + external",
    explanation=(
        "`budget.requested` is what the proposal asks of LOTI and `budget.external` what "
        "co-funders bring; amounts are exact pounds. `requested` is not negative (a "
        "malformed amount, or a negative external one, is an IN2). Together they must be "
        "above zero, and "
        "`total_cost`, when given, must equal requested + external, so that a funding panel "
        'reads one consistent figure. Slide 10 asks that work be "compatible with the '
        'financial reality our members face", which starts with a budget that adds up. Fix '
        "the total or the amount that is wrong."
    ),
    passing="budget:\n  requested: 5000\n  external: [{source: MHCLG C-19 Digital Fund, "
    "amount: 60000}]\n  total_cost: 65000",
    failing="budget:\n  requested: 5000\n  external: [{source: MHCLG C-19 Digital Fund, "
    "amount: 60000}]\n  total_cost: 60000   # BU1: total_cost £60,000 differs from "
    "requested £5,000 + external £60,000 = £65,000",
    check=_check,
)
