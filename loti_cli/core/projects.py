"""Each approved project's delivery at the end of a period: spend against award, time elapsed,
milestones, measures and a RAG (red, amber, green); pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from loti_cli.core.delivery import DeliveryNote, MeasureNote
from loti_cli.core.entry import Entry
from loti_cli.core.money import ZERO, Money

Rag = Literal["red", "amber", "green"]

OVERDUE_DAYS = 30
"""A milestone overdue, or an end passed without closure, by more than this many days is red."""
AHEAD_POINTS = 20
"""Spent % ahead of time elapsed % by more than this many points is amber."""


def percent(part: Fraction) -> Decimal:
    """`part` (a share, 1 = 100%) as a percentage with one decimal, rounded once, half up
    (away from zero): exact, never through a float."""
    tenths = part * 1000
    sign = -1 if tenths < 0 else 1
    whole = (abs(tenths.numerator) * 2 + tenths.denominator) // (2 * tenths.denominator)
    return Decimal(sign * whole).scaleb(-1)


def spent_share(spent: Money, award: Money | None) -> Fraction | None:
    """Spent as a share of the award (None with no award, or an award of zero)."""
    if award is None or award.amount <= 0:
        return None
    return Fraction(spent.amount) / Fraction(award.amount)


def elapsed_share(start: date | None, end: date | None, day: date) -> Fraction | None:
    """How much of the time from `start` to `end` has passed at `day`, from 0 to 1 (None
    without both dates, or with an end before the start)."""
    if start is None or end is None or end < start:
        return None
    if day <= start:
        return Fraction(0) if end > start else Fraction(int(day >= start))
    if day >= end:
        return Fraction(1)
    return Fraction((day - start).days, (end - start).days)


@dataclass(frozen=True, slots=True)
class Overdue:
    """A milestone not done by the period's end, past its due date."""

    name: str
    due: date
    days: int


@dataclass(frozen=True, slots=True)
class Project:
    """One approved project at the period's end, as `loti projects` shows it."""

    id: str
    title: str
    pillar: str
    path: str
    phase: str | None
    award: Money
    spent: Money
    spent_pct: Decimal | None
    elapsed_pct: Decimal | None
    milestones_done: int
    milestones_total: int
    overdue: tuple[Overdue, ...]
    measures_on_target: int
    measures_total: int
    measures: tuple[MeasureNote, ...]
    rag: Rag
    why: tuple[str, ...]
    """What made it red or amber, in words (empty when green)."""
    end: date | None = None
    closed: date | None = None


def project(entry: Entry, spent: Money, day: date) -> Project:
    """The project of an approved `entry` at `day` (the period's end), with `spent` to date."""
    delivery = entry.delivery or DeliveryNote()
    award = entry.requested if entry.requested is not None else ZERO
    spent_part = spent_share(spent, entry.requested)
    elapsed_part = elapsed_share(delivery.start, delivery.end, day)
    overdue = tuple(
        Overdue(m.name, m.due, m.overdue_at(day)) for m in delivery.milestones if m.overdue_at(day)
    )
    rag, why = delivery_rag(delivery, award, spent, spent_part, elapsed_part, overdue, day)
    return Project(
        id=entry.id or entry.path,
        title=entry.title or "",
        pillar=entry.pillar or "",
        path=entry.path,
        phase=delivery.phase,
        award=award,
        spent=spent,
        spent_pct=percent(spent_part) if spent_part is not None else None,
        elapsed_pct=percent(elapsed_part) if elapsed_part is not None else None,
        milestones_done=sum(1 for m in delivery.milestones if m.done_by(day)),
        milestones_total=len(delivery.milestones),
        overdue=overdue,
        measures_on_target=sum(1 for m in delivery.measures if m.on_target),
        measures_total=len(delivery.measures),
        measures=delivery.measures,
        rag=rag,
        why=why,
        end=delivery.end,
        closed=delivery.closed,
    )


def delivery_rag(
    delivery: DeliveryNote,
    award: Money,
    spent: Money,
    spent_part: Fraction | None,
    elapsed_part: Fraction | None,
    overdue: tuple[Overdue, ...],
    day: date,
) -> tuple[Rag, tuple[str, ...]]:
    """Red: spent > award, a milestone overdue by more than 30 days, or not closed more than
    30 days after the end. Amber: spent % ahead of time elapsed % by more than 20 points, or
    a milestone overdue. Green otherwise. Compared exactly, before any rounding."""
    red: list[str] = []
    if spent > award:
        red.append("spent more than its award")
    late = [item for item in overdue if item.days > OVERDUE_DAYS]
    if late:
        red.append(f"{_count(len(late), 'milestone')} overdue by more than {OVERDUE_DAYS} days")
    end = delivery.end
    if end is not None and delivery.phase != "closed" and (day - end).days > OVERDUE_DAYS:
        red.append(f"not closed {(day - end).days} days after its end")
    if red:
        return "red", tuple(red)
    amber: list[str] = []
    known = spent_part is not None and elapsed_part is not None
    ahead = spent_part - elapsed_part if spent_part is not None and elapsed_part is not None else 0
    if known and ahead * 100 > AHEAD_POINTS:
        amber.append(f"spending ahead of time by more than {AHEAD_POINTS} points")
    if overdue:
        amber.append(f"{_count(len(overdue), 'milestone')} overdue")
    return ("amber", tuple(amber)) if amber else ("green", ())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'s' if number != 1 else ''}"
