"""A funding panel's decision on a proposal: what to change in its file, and when to refuse.

`decide_options.build_decision` checks what `loti proposal decide` was told and
makes a Decision. `plan_edits` turns it into the few edits of the proposal's YAML (its status, the
panel's date, the amount and the waivers), read from the file's own data so that
only what differs is touched. `headroom` and `blocking_findings` say why an
approval must be refused, and `unified_diff`, `line_map` and `summarise` show the
change. Those are pure; `prepare_decision` does the reading (the proposal, the rest
of the portfolio, the check of the edited text); the command writes the file.
Nothing here prints: the command does that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from loti_cli.core.findings import Finding
from loti_cli.core.model import Ledger, Proposal
from loti_cli.core.money import Money, MoneyError, format_money, parse_money, total
from loti_cli.core.values import outside_year
from loti_cli.errors import LotiError
from loti_cli.io.files import decode, read_bytes
from loti_cli.io.load import load_proposal_text
from loti_cli.io.memo import Stat, stat_of
from loti_cli.io.resolve import default_proposals, display_path
from loti_cli.io.yaml_edit import Edit, EditError, edit_mapping
from loti_cli.io.yaml_read import YamlError, parse

if TYPE_CHECKING:
    from loti_cli.core.budget import Ask
    from loti_cli.pipeline.workspace import Workspace

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
    """The edits that record `decision` in a proposal whose file holds `data` (as `yaml_read` reads it).

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


def headroom(proposal: Proposal, ledger: Ledger, others: Iterable[Ask]) -> Headroom | None:
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
        amount
        for other in others
        if other.status == "approved"
        and other.pillar == proposal.pillar
        and other.financial_year == ledger.financial_year
        and (amount := other.requested) is not None
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
    """`before` and `after` as a unified diff of `a/shown` and `b/shown`, as git shows one,
    with any character a terminal would obey or hide (a bidi override) shown as an escape."""
    import difflib

    from loti_cli.core.findings import visible

    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=f"a/{shown}",
        tofile=f"b/{shown}",
    )
    # A line ending in a lone CR, NEL, U+2028 or U+2029 is shown on a line of its own.
    return "".join(
        visible(line)
        if line.endswith("\n")
        else visible(line[:-1]) + "\n"
        if line.endswith(("\r", "\x85", "\u2028", "\u2029"))
        else visible(line) + "\n\\ No newline at end of file\n"
        for line in lines
    )


def summarise(prepared: Prepared) -> str:
    """What was recorded, in one line: the pillar's headroom left after an approval."""
    decision, room = prepared.decision, prepared.room
    where = (
        f"{prepared.shown} ({prepared.name}) at the funding panel of {decision.panel.isoformat()}"
    )
    if not decision.approve:
        return f"rejected {where}"
    text = f"approved {where}"
    if room is not None:
        text += (
            f": {format_money(room.requested)} from {room.pillar}, which has "
            f"{format_money(room.after)} of its {format_money(room.allocated)} left"
        )
    if decision.grants:
        text += f"; waived {', '.join(grant.rule for grant in decision.grants)}"
    return text


# ---------------------------------------------------------------------------
# the decision worked out against its file


@dataclass(frozen=True, slots=True)
class Prepared:
    """A decision worked out against one proposal file, before anything is written."""

    decision: Decision
    shown: str
    """The file, as the user should see its path."""
    name: str
    """The proposal's id, else the file."""
    original: str
    edited: str | None = None
    """The file's text with the decision recorded; None when it already records it."""
    undecidable: str | None = None
    """Why the panel cannot decide this proposal at all; nothing else is worked out."""
    blocking: tuple[Finding, ...] = ()
    """Unwaived errors of the edited proposal, placed at the lines of the original."""
    notes: tuple[Finding, ...] = ()
    """Its unwaived warnings, such as an unused waiver."""
    room: Headroom | None = None
    earlier: str | None = None
    """The decision the file already records (approved or rejected), when it differs."""
    read: bytes = b""
    """The file's bytes as read; it is replaced only while it still holds them."""

    @property
    def refused(self) -> bool:
        """The approval must be refused: a blocking finding, or past the pillar's allocation."""
        return bool(self.blocking) or (self.room is not None and self.room.exceeded)


def prepare_decision(
    path: Path, decision: Decision, *, ledger: Path | None, proposals: Path | None
) -> Prepared:
    """Read the proposal, record the decision in its text, and check an approval.

    `ledger` and `proposals` are the command's --ledger and --proposals: an approval
    is checked as `loti proposal check` would check the edited file among the others.
    """
    shown = display_path(path)
    as_read = stat_of(path)  # taken before the read, for the folder's memo
    raw, text, proposal, data = read_for_edit(path, shown)
    year = proposal.financial_year
    outside = (
        outside_year(decision.panel, year, whose=f"{proposal.id or shown}'s") if year else None
    )
    if outside is not None:
        raise LotiError(f"--panel {outside}; give the date of the funding panel that decided it")
    new_status = "approved" if decision.approve else "rejected"
    earlier = None
    if proposal.status in ("approved", "rejected") and proposal.status != new_status:
        when = f" at the panel of {proposal.panel.isoformat()}" if proposal.panel else ""
        earlier = f"{proposal.status}{when}"
    unchanged = Prepared(decision, shown, proposal.id or shown, text, earlier=earlier, read=raw)
    refusal = status_refusal(proposal)
    if refusal is not None:
        return replace(unchanged, undecidable=refusal)
    edits = plan_edits(data, decision)
    if not edits:
        return unchanged
    try:
        edited = edit_mapping(text, edits)
    except YamlError as error:
        mark = error.problem.mark
        where = f"{shown}:{mark.line}:{mark.column}" if mark else shown
        raise LotiError(f"cannot edit {where}: {error.problem.message}") from None
    except EditError as error:
        raise LotiError(f"cannot edit {shown}: {error}") from None
    prepared = replace(unchanged, edited=edited)
    after = load_proposal_text(edited, shown).model
    if after is None:  # never write what could not be read back
        raise LotiError(
            f"cannot edit {shown}: the edited file would not load; run loti proposal check {shown}"
        )
    if not decision.approve:
        return prepared
    blocking, notes, room = _approval_problems(
        path,
        after,
        as_read=as_read,
        edited=edited,
        original=text,
        ledger=ledger,
        folder=default_proposals(proposals),
    )
    return replace(prepared, blocking=tuple(blocking), notes=tuple(notes), room=room)


def read_for_edit(path: Path, shown: str) -> tuple[bytes, str, Proposal, dict[str, Any]]:
    """The file's bytes, text, proposal and data; a file whose YAML is broken cannot be edited."""
    try:
        raw = read_bytes(path)
        text = decode(raw)
    except YamlError as error:
        raise LotiError(f"{shown} {error.problem.message}") from None
    source = load_proposal_text(text, shown)
    unreadable = [f for f in source.problems if f.code == "IN1"]
    if source.model is None or unreadable:
        raise LotiError(
            f"{shown} cannot be edited until its YAML is fixed",
            details=tuple(str(f) for f in unreadable or source.problems),
        )
    # The data as written (loading keeps only the model), to edit only what differs.
    return raw, text, source.model, parse(text).data


def _approval_problems(
    path: Path,
    after: Proposal,
    *,
    edited: str,
    original: str,
    ledger: Path | None,
    folder: Path | None,
    as_read: Stat | None = None,
) -> tuple[list[Finding], list[Finding], Headroom | None]:
    """What stops the approval (unwaived errors of the edited proposal), what is worth a note
    (its unwaived warnings, such as an unused waiver), and its pillar's headroom.

    The edited text is checked from memory, with the rest of the portfolio beside it
    in place of the file as it is now (which would otherwise count twice, and share
    its id). Blocking findings are placed at the lines of the file as it is now (it
    is not written); notes at the lines of the edited file.
    """
    import os

    from loti_cli.pipeline.analyse import analyse_text
    from loti_cli.pipeline.check import check
    from loti_cli.pipeline.uncounted import uncounted
    from loti_cli.pipeline.workspace import Workspace

    workspace = Workspace.open(ledger=ledger, proposals=folder)
    me = os.path.realpath(path)
    # The file being decided was read already: its text stands in for it (read once).
    workspace.read[me] = analyse_text(original, display_path(path), workspace.book)
    if as_read is not None:
        workspace.read_stats[me] = as_read
    beside = workspace.beside(me)
    others = [*(analysis for _, analysis in beside), *workspace.unlisted_analyses()]
    year_ledger = _year_ledger(workspace, after.financial_year)
    entries = [a.entry for _, a in beside if a.entry is not None]
    room = headroom(after, year_ledger, entries) if year_ledger is not None else None
    analysis = analyse_text(edited, display_path(path), workspace.book)
    result = check([(me, analysis)], beside, workspace.book)
    lines = line_map(edited, original)
    shown = display_path(path)
    placed = [
        replace(f, path=shown, line=lines.get(f.line, f.line) if f.line is not None else None)
        for f in result.results[-1].findings
    ]
    blocking = blocking_findings(placed, exceeded=room is not None and room.exceeded)
    if year_ledger is not None:
        # A file that may be an approved proposal of the year but cannot be counted may hold
        # the headroom this approval would take: no approval until it is fixed (LB9).
        blocking[:0] = uncounted(others, year_ledger, ("approved",))
    # Notes stand beside the edited file (the one written), so they keep its lines.
    notes = [
        replace(f, path=shown) for f in result.results[-1].findings if not f.waived and not f.fails
    ]
    return blocking, notes, room


def _year_ledger(workspace: Workspace, year: str | None) -> Ledger | None:
    """The ledger of `year` as the check finds it, or None (the check then reports why)."""
    try:
        found, problem = workspace.book.of(year)
    except LotiError:
        return None
    return found.ledger if found is not None and problem is None else None
