"""The ledger findings LB1 to LB9: figures that do not add up, money over-committed or not counted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from loti_cli.core.findings import Hit, Severity
from loti_cli.core.money import Money, format_money
from loti_cli.core.suggest import did_you_mean
from loti_cli.rules.base import Rule
from loti_cli.rules.sc_calls import SC4

if TYPE_CHECKING:  # annotations only: `loti rules` and completion import no models
    from loti_cli.core.budget import BudgetStatus


@dataclass(frozen=True, slots=True)
class PreviousYear:
    """The previous year's ledger, when it is in the same folder (for LB7)."""

    path: str
    financial_year: str
    remaining: Money


@dataclass(frozen=True, slots=True)
class LedgerContext:
    """What the ledger rules read: the recomputed status and, when there is one, last year."""

    status: BudgetStatus
    previous: PreviousYear | None = None


def _difference(stated: Money, computed: Money) -> str:
    gap = stated - computed
    direction = "more" if gap > Money(0) else "less"
    return f"{format_money(abs(gap))} {direction} than the lines add up to"


_STATED = (
    ("total_income", "total income", "the sum of income"),
    ("recurring_income", "recurring income", "income other than carry_forward"),
    ("total_committed", "total committed", "the sum of expenditure"),
    ("remaining", "remaining", "total income - total committed"),
    ("total_allocated", "total allocated", "the sum of allocations"),
)


def _stated_figures(context: LedgerContext) -> Iterable[Hit]:
    status = context.status
    stated = status.ledger.stated
    if stated is None:
        return
    computed = {
        "total_income": status.total_income,
        "recurring_income": status.recurring_income,
        "total_committed": status.total_committed,
        "remaining": status.remaining,
        "total_allocated": status.total_allocated,
    }
    for key, label, meaning in _STATED:
        value: Money | None = getattr(stated, key)
        if value is None or value == computed[key]:
            continue
        yield Hit(
            f"stated {label} {format_money(value)} differs from {format_money(computed[key])} "
            f"({meaning}): {_difference(value, computed[key])}; correct the figure or the lines",
            ("stated", key),
        )


def _membership(context: LedgerContext) -> Iterable[Hit]:
    status = context.status
    ledger = status.ledger
    stated_count = ledger.stated.member_boroughs if ledger.stated else None
    count_differs = stated_count is not None and stated_count != status.member_boroughs
    if status.expected_membership == status.recorded_membership and not count_differs:
        return
    income = ledger.income or ()
    lines = [line for line in income if line.kind == "membership"]
    where = next((i for i, line in enumerate(income) if line.kind == "membership"), None)
    parts = [
        f"membership income recorded is {format_money(status.recorded_membership)}"
        + (
            f" ({', '.join(f'{line.name} {format_money(line.amount)}' for line in lines)})"
            if lines
            else ""
        ),
        f"members and fees imply {format_money(status.expected_membership)} "
        f"({status.member_boroughs} boroughs listed)",
    ]
    if count_differs:
        parts.append(f"the source states {stated_count} member boroughs")
    loc = ("income", where, "amount") if where is not None else ("income",)
    yield Hit("; ".join(parts) + "; check which members pay which fee", loc, at_key=where is None)


def _over_allocated(context: LedgerContext) -> Iterable[Hit]:
    status = context.status
    # Nothing allocated is never over-allocated; a negative remaining alone is LB4's.
    if status.total_allocated > Money(0) and status.total_allocated > status.remaining:
        gap = status.total_allocated - status.remaining
        yield Hit(
            f"allocations total {format_money(status.total_allocated)} but only "
            f"{format_money(status.remaining)} remains: over-allocated by {format_money(gap)}; "
            "reduce the allocations",
            ("allocations",),
            at_key=True,
        )


def _negative_remaining(context: LedgerContext) -> Iterable[Hit]:
    status = context.status
    if status.remaining < Money(0):
        yield Hit(
            f"expenditure {format_money(status.total_committed)} exceeds income "
            f"{format_money(status.total_income)}: remaining is {format_money(status.remaining)}",
            ("expenditure",),
            at_key=True,
        )


def _pillar_overcommitted(context: LedgerContext) -> Iterable[Hit]:
    for index, pillar in enumerate(context.status.pillars):
        if pillar.approved > pillar.allocated:
            yield Hit(
                f"approved proposals of {pillar.pillar} request {format_money(pillar.approved)}, "
                f"more than its allocation of {format_money(pillar.allocated)} "
                f"(over by {format_money(pillar.approved - pillar.allocated)})",
                ("allocations", index, "amount"),
            )


def _unknown_pillar(context: LedgerContext) -> Iterable[Hit]:
    ledger = context.status.ledger
    pillars = [allocation.pillar for allocation in ledger.allocations or ()]
    for index, line in enumerate(ledger.expenditure or ()):
        if line.pillar is not None and line.pillar not in pillars:
            yield Hit(
                f"expenditure '{line.name}' names pillar '{line.pillar}', which has no allocation"
                f"{did_you_mean(line.pillar, pillars)}",
                ("expenditure", index, "pillar"),
            )


def _carry_forward(context: LedgerContext) -> Iterable[Hit]:
    previous = context.previous
    if previous is None:
        return
    status = context.status
    if status.carry_forward == previous.remaining:
        return
    income = status.ledger.income or ()
    where = next((i for i, line in enumerate(income) if line.kind == "carry_forward"), None)
    yield Hit(
        f"carry_forward income is {format_money(status.carry_forward)} but {previous.path} "
        f"({previous.financial_year}) leaves {format_money(previous.remaining)} remaining; "
        "make them agree",
        ("income", where, "amount") if where is not None else ("income",),
        at_key=where is None,
    )


LB1: Rule[LedgerContext] = Rule(
    code="LB1",
    name="stated-figure-mismatch",
    severity=Severity.ERROR,
    summary="a stated total differs from the one recomputed from the lines",
    explanation=(
        "Every figure under `stated` (total_income, recurring_income, total_committed, "
        "remaining, total_allocated) is recomputed from the ledger's lines. A published "
        "figure that does not add up misleads a funding panel. Fix the figure or the line "
        "that is wrong."
    ),
    passing="income: [{name: GLA, amount: 100000, kind: membership}]\n"
    "stated: {total_income: 100000}",
    failing="income: [{name: GLA, amount: 100000, kind: membership}]\n"
    "stated: {total_income: 90000}   # LB1: stated total income £90,000 differs from £100,000 "
    "(the sum of income)",
    check=_stated_figures,
    subject="ledger",
)

LB2: Rule[LedgerContext] = Rule(
    code="LB2",
    name="membership-income-mismatch",
    severity=Severity.WARNING,
    summary="membership income differs from what members and fees imply",
    explanation=(
        "The membership income in `income` is compared with the sum of every member's fee "
        "(and the number of member boroughs with `stated.member_boroughs`, when given). "
        'Slide 25: "Each borough pays an annual membership of £30,000+VAT". For 2020/21 '
        "the strategy lists 19 boroughs (slide 5) but says 17 (slide 25), and £450,000 is "
        "what 9 full-fee and 8 shared-service councils would pay: the tool makes such a "
        "discrepancy visible, it does not hide it. Record who pays which fee to clear it."
    ),
    passing="fees: {borough: 30000}\nmembers: [{name: Camden, kind: borough, fee: borough}]\n"
    "income: [{name: Borough contributions, amount: 30000, kind: membership}]\n"
    "stated: {member_boroughs: 1}",
    failing="fees: {borough: 30000}\nmembers: [{name: Camden, kind: borough, fee: borough}]\n"
    "income: [{name: Borough contributions, amount: 20000, kind: membership}]   # LB2: "
    "membership income recorded is £20,000 ...; members and fees imply £30,000\n"
    "stated: {member_boroughs: 1}",
    check=_membership,
    subject="ledger",
)

LB3: Rule[LedgerContext] = Rule(
    code="LB3",
    name="over-allocated",
    severity=Severity.ERROR,
    summary="the allocations add up to more than remains",
    explanation=(
        'The rough allocation shares out "funds remaining after committed expenditure" '
        "(slide 26); it cannot share out more than remains. Reduce an allocation."
    ),
    passing="allocations:   # £400,000 of the £444,000 that remains\n"
    "  - {pillar: Covid Recovery, amount: 200000}\n"
    "  - {pillar: Developing Capabilities, amount: 150000}\n"
    "  - {pillar: Smarter London, amount: 50000}",
    failing="allocations:   # LB3: allocations total £500,000 but only £444,000 remains: "
    "over-allocated by £56,000\n"
    "  - {pillar: Covid Recovery, amount: 300000}\n"
    "  - {pillar: Developing Capabilities, amount: 150000}\n"
    "  - {pillar: Smarter London, amount: 50000}",
    check=_over_allocated,
    subject="ledger",
)

LB4: Rule[LedgerContext] = Rule(
    code="LB4",
    name="negative-remaining",
    severity=Severity.ERROR,
    summary="committed expenditure exceeds income",
    explanation=(
        "Remaining is total income minus total committed expenditure; below zero, the year "
        "is spending money it does not have. Reduce expenditure or record the missing income."
    ),
    passing="income: [{name: Borough contributions, amount: 1000000, kind: membership}]\n"
    "expenditure:   # remaining is £444,000\n"
    "  - {name: Personnel, amount: 556000, status: committed}",
    failing="income: [{name: Borough contributions, amount: 500000, kind: membership}]\n"
    "expenditure:   # LB4: expenditure £556,000 exceeds income £500,000: remaining is -£56,000\n"
    "  - {name: Personnel, amount: 556000, status: committed}",
    check=_negative_remaining,
    subject="ledger",
)

LB5: Rule[LedgerContext] = Rule(
    code="LB5",
    name="pillar-overcommitted",
    severity=Severity.ERROR,
    summary="a pillar's approved proposals request more than its allocation",
    explanation=(
        "Approved proposals are commitments against their pillar's allocation. When they "
        "request more than the pillar was allocated, the panel has promised money the pillar "
        "does not have. Raise the allocation or revisit an approval."
    ),
    passing="allocations:\n"
    "  - {pillar: Smarter London, amount: 50000}   # SL-01 is approved for £25,000",
    failing="allocations:\n"
    "  - {pillar: Smarter London, amount: 20000}   # LB5: approved proposals of Smarter London "
    "request £25,000, more than its allocation of £20,000 (over by £5,000)",
    check=_pillar_overcommitted,
    subject="ledger",
)

LB6: Rule[LedgerContext] = Rule(
    code="LB6",
    name="unknown-pillar",
    severity=Severity.ERROR,
    summary="an expenditure line names a pillar that has no allocation",
    explanation=(
        "An expenditure line may say which pillar it belongs to; that pillar must be one of "
        "`allocations`, spelt the same way. Correct the spelling or add the allocation."
    ),
    passing="expenditure: [{name: Guidance, amount: 5000, status: paid, pillar: Smarter London}]",
    failing="expenditure: [{name: Guidance, amount: 5000, status: paid, pillar: Smart London}]"
    "   # LB6: names pillar 'Smart London', which has no allocation; did you mean "
    "'Smarter London'?",
    check=_unknown_pillar,
    subject="ledger",
)

LB7: Rule[LedgerContext] = Rule(
    code="LB7",
    name="carry-forward-mismatch",
    severity=Severity.WARNING,
    summary="carry_forward income differs from the previous year's remaining",
    explanation=(
        "When the previous year's ledger is in the same folder, this year's carry_forward "
        "income should be what that year left remaining. Correct whichever year is wrong."
    ),
    passing="# 2019-20.yaml, beside it, leaves £350,000\n"
    "income:\n  - {name: Carried forward from 2019-20, amount: 350000, kind: carry_forward}",
    failing="# 2019-20.yaml, beside it, leaves £350,000\n"
    "income:\n  - {name: Carried forward from 2019-20, amount: 300000, kind: carry_forward}"
    "   # LB7: carry_forward income is £300,000 but ... (2019-20) leaves £350,000 remaining",
    check=_carry_forward,
    subject="ledger",
)

LB8: Rule[LedgerContext] = Rule(
    code="LB8",
    name="invalid-ledger",
    severity=Severity.ERROR,
    summary="the ledger is not valid YAML or a key is missing, unknown or invalid",
    explanation=(
        "The ledger must follow the ledger format: valid UTF-8 YAML with one mapping, every "
        "required key, no unknown keys, amounts in one of the accepted forms, statuses and "
        "kinds from their lists, borough members that are London boroughs, fee names that "
        "are keys of `fees`. Every problem is reported with its line and column, and the "
        "command exits 2 because no figure can be trusted until they are fixed."
    ),
    passing="expenditure: [{name: Design, amount: 20000, status: estimated}]",
    failing="expenditure: [{name: Design, amount: 20000, status: estimted}]"
    "   # LB8: 'estimted' is not one of estimated, committed or paid; did you mean "
    "'estimated'?",
    check=None,
    waivable=False,
    subject="ledger",
)

LB9: Rule[LedgerContext] = Rule(
    code="LB9",
    name="uncountable-proposal",
    severity=Severity.ERROR,
    summary="a proposal file that may be approved cannot be counted in the budget",
    explanation=(
        "The budget counts the year's approved proposals against their pillars (and its "
        "submitted ones as the pipeline). A proposal file that cannot be read (not YAML, not "
        "UTF-8, no permission), a proposals folder that cannot be listed, a status that is "
        "not one of the proposal format's (`Approved`), or an approved or submitted proposal "
        "whose year, amount or pillar cannot be read or whose pillar is not one of the "
        "ledger's allocations exactly (`covid recovery`, a trailing space) would otherwise "
        "leave every figure in silence, showing money as free that may already be promised. "
        "Whatever might be an approved proposal of the year counts as one: every command "
        "that reports money then fails (budget status and what-if, report, export "
        "360giving), and proposal decide refuses approvals, until the file is fixed. A "
        "proposal of another financial year, or a draft, rejected or withdrawn one, is not "
        "this year's money. Fix the file (loti proposal check lists every problem)."
    ),
    passing="proposals/cr-09.yaml:\n  status: approved\n  pillar: Covid Recovery",
    failing="proposals/cr-09.yaml:\n  status: Approved   # LB9: may be an approved proposal of "
    "2020-21 that no figure counts ... status 'Approved' is not one of",
    check=None,
    waivable=False,
    subject="ledger",
)

LEDGER_RULES: tuple[Rule[LedgerContext], ...] = (LB1, LB2, LB3, LB4, LB5, LB6, LB7, LB8, LB9, SC4)
