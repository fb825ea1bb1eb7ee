"""DL3 overspent-award: an approved project's actuals exceed its award."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.core.money import format_money
from loti_cli.rules.base import Rule
from loti_cli.rules.context import AcrossContext


def _check(context: AcrossContext) -> Iterable[Hit]:
    entry, spent = context.entry, context.spent
    award = entry.requested
    if entry.status != "approved" or spent is None or award is None or spent <= award:
        return
    yield Hit(
        f"the year's actuals record {format_money(spent)} spent on {entry.id or 'it'}, more "
        f"than its award of {format_money(award)} ({format_money(spent - award)} over); "
        "check the actuals' matching, or ask the panel to approve more",
        ("budget", "requested"),
    )


RULE: Rule[AcrossContext] = Rule(
    code="DL3",
    name="overspent-award",
    severity=Severity.ERROR,
    summary="an approved project's actuals exceed its award",
    explanation=(
        "For an approved proposal of a year whose ledger has an actuals file beside it "
        "(ledgers/YYYY-YY.actuals.csv, made by loti actuals import), the actuals whose "
        "`proposal` is the project's id must add up to no more than its award, "
        "`budget.requested`. The award is what the panel approved from its pillar's "
        "allocation (slide 26); spending past it takes money the budget has given to something "
        'else, and slide 10 asks that work be "compatible with the financial reality our '
        'members face". '
        "Fix it by correcting actuals matched to the wrong project (the import rules), or by "
        "asking the panel to approve a larger amount (loti proposal decide --amount)."
    ),
    passing="status: approved   # the year's actuals record £6,000 spent on SL-03\n"
    "budget: {requested: 8000}",
    failing="status: approved   # the year's actuals record £6,000 spent on SL-03\n"
    "budget: {requested: 5000}   # DL3: record £6,000 spent on SL-03 ... (£1,000 over)",
    check=_check,
    across=True,
)
