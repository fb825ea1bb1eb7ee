"""A funding panel's decision on a proposal: what to change in the file, and when to refuse; pure.

`plan_edits` turns a decision into the few edits of the proposal's YAML (its
status, the panel's date, the amount and the waivers), read from the file's own
data so that only what differs is touched. `headroom` and
`blocking_findings` say why an approval must be refused, and `unified_diff` and
`line_map` show the change. Nothing here reads files or prints: `loti proposal
decide` does that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from loti_cli.findings import Finding
from loti_cli.model import Ledger, Proposal
from loti_cli.money import Money, MoneyError, format_money, parse_money, total
from loti_cli.yamlio import Edit

UNDECIDABLE = ("withdrawn",)
"""Statuses a panel does not decide on: the proposal's boroughs took it back."""


@dataclass(frozen=True, slots=True)
class Grant:
    """A waiver the panel grants with its decision."""

    rule: str
    """The rule's code, e.g. PC5."""
    reason: str
    approved_by: str
    expires: date | None = None

    def as_yaml(self) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "rule": self.rule,
            "reason": self.reason,
            "approved_by": self.approved_by,
        }
        if self.expires is not None:
            entry["expires"] = self.expires
        return entry


@dataclass(frozen=True, slots=True)
class Decision:
    """What a funding panel decided about one proposal."""

    approve: bool
    panel: date
    amount: Money | None = None
    """The amount approved, when it differs from what was requested."""
    grants: tuple[Grant, ...] = ()

    @property
    def status(self) -> str:
        return "approved" if self.approve else "rejected"


def default_approver(panel: date) -> str:
    """Who approves a waiver unless told otherwise: `Funding panel 2020-10-01`."""
    return f"Funding panel {panel.isoformat()}"


def plan_edits(data: dict[str, Any], decision: Decision) -> list[Edit]:
    """The edits that record `decision` in a proposal whose file holds `data` (as yamlio reads it).

    Only values that differ are edited: `status`, then `panel` (added after
    `status`), `budget.requested` with `budget.total_cost` kept equal to requested +
    external when the file gives one, and the waivers (a waiver of a rule the file
    already waives is updated in place, others are appended).
    """
    edits: list[Edit] = []
    if data.get("status") != decision.status:
        edits.append(Edit(("status",), decision.status))
    if str(data.get("panel")) != decision.panel.isoformat():
        edits.append(Edit(("panel",), decision.panel, after="status"))
    budget = data.get("budget")
    budget = budget if isinstance(budget, dict) else {}
    if decision.amount is not None:
        if _money(budget.get("requested")) != decision.amount:
            edits.append(Edit(("budget", "requested"), yaml_amount(decision.amount)))
        if "total_cost" in budget:
            external = _external(budget.get("external"))
            if external is not None:
                new_total = decision.amount + external
                if _money(budget.get("total_cost")) != new_total:
                    edits.append(Edit(("budget", "total_cost"), yaml_amount(new_total)))
    waivers = data.get("waivers")
    existing = waivers if isinstance(waivers, list) else []
    for grant in decision.grants:
        index = _waiver_of(existing, grant.rule)
        if index is None:
            edits.append(Edit(("waivers",), grant.as_yaml(), append=True))
            continue
        previous = "rule"
        for key, value in grant.as_yaml().items():
            if key != "rule" and existing[index].get(key) != _as_read(value):
                edits.append(Edit(("waivers", index, key), value, after=previous))
            previous = key
    return edits


def yaml_amount(amount: Money) -> int | Decimal:
    """An amount as the file should show it: `60000`, or `60000.50` when there are pence."""
    value = amount.amount
    return int(value) if value == value.to_integral_value() else value


def _money(raw: object) -> Money | None:
    try:
        return parse_money(raw)
    except MoneyError:
        return None


def _external(raw: object) -> Money | None:
    """The sum of `budget.external`, or None when an amount in it cannot be read."""
    if raw is None:
        return Money(0)
    if not isinstance(raw, list):
        return None
    amounts = [_money(item.get("amount")) if isinstance(item, dict) else None for item in raw]
    if any(amount is None for amount in amounts):
        return None
    return total(amount for amount in amounts if amount is not None)


def _waiver_of(waivers: list[Any], code: str) -> int | None:
    from loti_cli.rules import find_rule

    for index, waiver in enumerate(waivers):
        if not isinstance(waiver, dict) or not isinstance(waiver.get("rule"), str):
            continue
        rule = find_rule(waiver["rule"])
        if (rule.code if rule is not None else waiver["rule"].strip().upper()) == code:
            return index
    return None


def _as_read(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


# ---------------------------------------------------------------------------
# refusals


def status_refusal(proposal: Proposal) -> str | None:
    """Why the panel cannot decide this proposal at all, if it cannot."""
    if proposal.status in UNDECIDABLE:
        return (
            f"{proposal.id or 'the proposal'} is {proposal.status}; set its status to submitted "
            "first if its boroughs have put it forward again"
        )
    return None


@dataclass(frozen=True, slots=True)
class Headroom:
    """A pillar's allocation, what its other approved proposals take, and what this one asks."""

    pillar: str
    allocated: Money
    approved: Money
    """What the pillar's other approved proposals of the year already take."""
    requested: Money

    @property
    def before(self) -> Money:
        """The headroom before this approval: allocated - approved."""
        return self.allocated - self.approved

    @property
    def after(self) -> Money:
        """The headroom once this proposal is approved (negative: past the allocation)."""
        return self.before - self.requested

    @property
    def exceeded(self) -> bool:
        return self.after < Money(0)

    def refusal(self, name: str) -> str:
        """Why approving `name` is refused, and what would do instead."""
        return (
            f"approving {name} for {format_money(self.requested)} would take {self.pillar} past "
            f"its allocation: allocated {format_money(self.allocated)}, already approved "
            f"{format_money(self.approved)}, headroom {format_money(self.before)}; "
            f"{format_money(-self.after)} short. Approve at most "
            f"{format_money(max(self.before, Money(0)))} with --amount, or change the "
            "pillar's allocation in the ledger first"
        )


def headroom(proposal: Proposal, ledger: Ledger, others: Iterable[Proposal]) -> Headroom | None:
    """The pillar's headroom around approving `proposal` (as it will be after the decision).

    `others` are the rest of the portfolio; their approved proposals of the same pillar
    and of the ledger's year take headroom. None when the pillar, the amount or the
    ledger's year does not match (FP1, IN2 and the check report those).
    """
    budget = proposal.budget
    if proposal.pillar is None or budget is None or budget.requested is None:
        return None
    if proposal.financial_year != ledger.financial_year:
        return None
    allocation = ledger.allocation(proposal.pillar)
    if allocation is None:
        return None
    approved = total(
        other.budget.requested
        for other in others
        if other.status == "approved"
        and other.pillar == proposal.pillar
        and other.financial_year == ledger.financial_year
        and other.budget is not None
        and other.budget.requested is not None
    )
    return Headroom(proposal.pillar, allocation.amount, approved, budget.requested)


def blocking_findings(findings: Sequence[Finding], *, exceeded: bool = False) -> list[Finding]:
    """The findings that stop an approval: unwaived errors (BU2 left out when the headroom
    refusal already says the same in full)."""
    return [f for f in findings if f.fails and not (exceeded and f.code == "BU2")]


# ---------------------------------------------------------------------------
# showing the change


def line_map(edited: str, original: str) -> dict[int, int]:
    """Line numbers of the edited text -> those of the original (for lines both share)."""
    import difflib

    matcher = difflib.SequenceMatcher(
        None, edited.splitlines(), original.splitlines(), autojunk=False
    )
    mapping: dict[int, int] = {}
    for tag, i1, i2, j1, _j2 in matcher.get_opcodes():
        for offset, line in enumerate(range(i1, i2)):
            mapping[line + 1] = (j1 + offset if tag == "equal" else j1) + 1
    return mapping


def unified_diff(before: str, after: str, shown: str) -> str:
    """`before` and `after` as a unified diff of `a/shown` and `b/shown`, as git shows one."""
    import difflib

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{shown}",
        tofile=f"b/{shown}",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
