"""`loti proposal decide`'s options checked and turned into a Decision, before any file is read."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from loti_cli.core.money import Money, MoneyError, parse_money
from loti_cli.core.values import parse_date
from loti_cli.errors import LotiError
from loti_cli.pipeline.decide import Decision, Grant, default_approver


def build_decision(
    *,
    approve: bool,
    reject: bool,
    panel: str | None,
    amount: str | None,
    waive: Sequence[str],
    reason: Sequence[str],
    approved_by: Sequence[str],
    expires: Sequence[str],
) -> Decision:
    """The decision `loti proposal decide`'s options describe; every option is checked
    (LotiError naming the option) before the file is read."""
    if approve == reject:
        raise LotiError("give exactly one of --approve or --reject")
    if panel is None:
        raise LotiError("--panel DATE is required: the date of the funding panel, e.g. 2020-10-01")
    day = _date(panel, "--panel")
    if reject and (amount is not None or waive):
        raise LotiError(
            "--amount and --waive go with --approve; a rejection records no amount or waiver"
        )
    money = _amount(amount)
    if len(reason) != len(waive):
        raise LotiError(
            f"{len(waive)} --waive but {len(reason)} --reason: give one --reason for each --waive"
        )
    if (approved_by or expires) and not waive:
        raise LotiError(
            "--approved-by and --expires describe waivers; give --waive CODE --reason TEXT"
        )
    approvers = _per_waiver(approved_by, len(waive), "--approved-by")
    lapses = _per_waiver(expires, len(waive), "--expires")
    grants = _grants(waive, reason, approvers, lapses, day)
    return Decision(approve=approve, panel=day, amount=money, grants=grants)


def _amount(amount: str | None) -> Money | None:
    if amount is None:
        return None
    try:
        return parse_money(amount)
    except MoneyError as error:
        raise LotiError(f"--amount {amount!r}: {error}") from None


def _grants(
    waive: Sequence[str],
    reason: Sequence[str],
    approvers: Sequence[str | None],
    lapses: Sequence[str | None],
    day: date,
) -> tuple[Grant, ...]:
    """The waivers granted, each checked: a waivable proposal rule, once, with a reason."""
    from loti_cli.core.suggest import did_you_mean
    from loti_cli.rules import PROPOSAL_RULES, find_rule

    names = [word for rule in PROPOSAL_RULES for word in (rule.code, rule.name)]
    grants: list[Grant] = []
    for name, why, who, until in zip(waive, reason, approvers, lapses, strict=True):
        rule = find_rule(name)
        if rule is None:
            raise LotiError(
                f"--waive {name}: no such proposal rule{did_you_mean(name, names)} "
                "(loti rules lists them)"
            )
        if rule.subject != "proposal":
            raise LotiError(f"--waive {name}: {rule.kind}; a proposal cannot waive it")
        if not rule.waivable:
            raise LotiError(
                f"--waive {name}: {rule.code} ({rule.name}) cannot be waived; fix what it reports"
            )
        if any(grant.rule == rule.code for grant in grants):
            raise LotiError(f"--waive {name}: {rule.code} is waived twice")
        if not why.strip():
            raise LotiError(f"--reason for {rule.code} is empty; say why the panel waives it")
        lapse = _date(until, "--expires") if until is not None else None
        if lapse is not None and lapse < day:
            raise LotiError(f"--expires {until} is before the panel of {day}")
        grants.append(
            Grant(
                rule.code,
                " ".join(why.split()),
                (who or "").strip() or default_approver(day),
                lapse,
            )
        )
    return tuple(grants)


def _date(value: str, option: str) -> date:
    try:
        return parse_date(value)
    except ValueError as error:
        raise LotiError(f"{option} {error}") from None


def _per_waiver(values: Sequence[str], count: int, option: str) -> list[str | None]:
    if not values:
        return [None] * count
    if len(values) == 1:
        return [values[0]] * count
    if len(values) == count:
        return list(values)
    raise LotiError(
        f"{option} is given {len(values)} times for {count} --waive; "
        "give it once, or once per --waive"
    )
