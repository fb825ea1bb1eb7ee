"""What a run keeps of a proposal's delivery: phase, dates, milestones and measures, as plain data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loti_cli.core.model import Delivery

PHASES: tuple[str, ...] = ("initiation", "discovery", "alpha", "beta", "live", "closed")
"""A project's delivery phases, in order (delivery-format.md); DL1 reports any other."""


@dataclass(frozen=True, slots=True)
class MilestoneNote:
    """A milestone: what is delivered, when it is due, and when it was done (None: not yet)."""

    name: str
    due: date
    done: date | None = None

    def done_by(self, day: date) -> bool:
        """Whether it was done on or before `day`."""
        return self.done is not None and self.done <= day

    def overdue_at(self, day: date) -> int:
        """How many days past its due date it is, not done, at `day` (0: not overdue)."""
        if self.done_by(day) or day <= self.due:
            return 0
        return (day - self.due).days


@dataclass(frozen=True, slots=True)
class MeasureNote:
    """How the outcome is measured: from `baseline` towards `target`; `actual` is the latest."""

    name: str
    unit: str | None = None
    baseline: Decimal | None = None
    target: Decimal | None = None
    actual: Decimal | None = None
    measured: date | None = None

    @property
    def on_target(self) -> bool:
        """Whether the actual is at or past the target, in the direction from the baseline to
        the target (a falling target is reached by falling to it or below). Without a
        baseline, a target is reached upwards. False when not measured or no target."""
        if self.actual is None or self.target is None:
            return False
        falling = self.baseline is not None and self.target < self.baseline
        return self.actual <= self.target if falling else self.actual >= self.target


@dataclass(frozen=True, slots=True)
class DeliveryNote:
    """A proposal's `delivery` section, as reports and the rules across the portfolio read it."""

    phase: str | None = None
    start: date | None = None
    end: date | None = None
    closed: date | None = None
    milestones: tuple[MilestoneNote, ...] = ()
    measures: tuple[MeasureNote, ...] = ()

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryNote:
        return cls(
            delivery.phase,
            delivery.start,
            delivery.end,
            delivery.closed,
            tuple(MilestoneNote(m.name, m.due, m.done) for m in delivery.milestones),
            tuple(
                MeasureNote(m.name, m.unit, m.baseline, m.target, m.actual, m.measured)
                for m in delivery.measures
            ),
        )


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_day(value: Any) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _number(value: Decimal | None) -> str | None:
    return str(value) if value is not None else None


def _from_number(value: Any) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("not a number")
    return Decimal(value)


def _text(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise TypeError("not text")
    return value


def delivery_to_data(note: DeliveryNote | None) -> list[Any] | None:
    """The note as JSON-ready data (for the cache and worker processes)."""
    if note is None:
        return None
    return [
        note.phase,
        _day(note.start),
        _day(note.end),
        _day(note.closed),
        [[m.name, m.due.isoformat(), _day(m.done)] for m in note.milestones],
        [
            [
                m.name,
                m.unit,
                _number(m.baseline),
                _number(m.target),
                _number(m.actual),
                _day(m.measured),
            ]
            for m in note.measures
        ],
    ]


def delivery_from_data(data: Any) -> DeliveryNote | None:
    """The note `delivery_to_data` wrote; raises TypeError or ValueError when it is not one."""
    if data is None:
        return None
    phase, start, end, closed, milestones, measures = data
    return DeliveryNote(
        _text(phase),
        _from_day(start),
        _from_day(end),
        _from_day(closed),
        tuple(
            MilestoneNote(str(_text(name)), date.fromisoformat(due), _from_day(done))
            for name, due, done in milestones
        ),
        tuple(
            MeasureNote(
                str(_text(name)),
                _text(unit),
                _from_number(baseline),
                _from_number(target),
                _from_number(actual),
                _from_day(measured),
            )
            for name, unit, baseline, target, actual, measured in measures
        ),
    )
