"""What a run keeps of one proposal file: who it is, what it asks, its waivers, and where they are.

A portfolio can hold a hundred thousand files. The rules that look across it (the
budget, BU2, BU3, ID1, the waivers) and every report read only these few fields, so
an `Entry` is all that is kept of a file once it has been judged alone: no model,
no document. Its `marks` are the file positions those rules point at, already
mapped back through anything validation dropped. It is plain data, so it travels
from a worker process and to and from the cache as it is.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple, TypeVar

from loti_cli.core.delivery import DeliveryNote, delivery_from_data, delivery_to_data
from loti_cli.core.findings import Finding, Hit, Loc, Severity
from loti_cli.core.money import Money


@dataclass(frozen=True, slots=True)
class WaiverNote:
    """A waiver as its file records it; `index` is its place in the file's list (0-based)."""

    rule: str
    reason: str | None = None
    approved_by: str | None = None
    expires: date | None = None
    index: int = 0


KEPT: tuple[Loc, ...] = (
    (),
    ("id",),
    ("financial_year",),
    ("pillar",),
    ("status",),
    ("budget",),
    ("budget", "requested"),
    ("waivers",),
)
"""The places the rules across the portfolio point at (with each waiver and its rule)."""


def kept_locs(waivers: int, milestones: int = 0) -> list[Loc]:
    """The locations an Entry's `marks` give the line and column of, in their order: the
    KEPT places, each waiver and its rule, then the delivery and each milestone's due date."""
    locs = list(KEPT)
    for index in range(waivers):
        locs.extend((("waivers", index), ("waivers", index, "rule")))
    if milestones:
        locs.append(("delivery",))
    for index in range(milestones):
        locs.append(("delivery", "milestones", index, "due"))
    return locs


class Entry(NamedTuple):
    """One proposal file, as the budget, the rules across the portfolio and the reports see it.

    A named tuple: made in a fraction of a frozen dataclass's time, as a large portfolio
    makes one per file, and as immutable.
    """

    path: str
    """The file as a user should see it."""
    id: str | None = None
    title: str | None = None
    financial_year: str | None = None
    pillar: str | None = None
    area: str | None = None
    status: str | None = None
    panel: date | None = None
    requested: Money | None = None
    waivers: tuple[WaiverNote, ...] = ()
    marks: tuple[int, ...] = ()
    """Line, column, line, column...: where each of `kept_locs` is in the file (empty when
    the file's positions are unknown). Flat ints, as a large portfolio keeps many."""
    boroughs: tuple[tuple[str, str], ...] = ()
    """(name, role) of each borough or partner the proposal names, as written: for the panel
    pack's table of who takes part in which approved proposal."""
    delivery: DeliveryNote | None = None
    """Its `delivery` section, when it has one."""

    @property
    def milestones(self) -> int:
        return len(self.delivery.milestones) if self.delivery is not None else 0

    def locate(self, loc: Loc) -> tuple[int, int]:
        """The line and column of `loc`, or of its nearest kept parent; 1:1 when none is."""
        best: tuple[int, int] = (1, 1)
        depth = -1
        for index, at in enumerate(kept_locs(len(self.waivers), self.milestones)):
            if 2 * index + 1 >= len(self.marks):
                break
            if len(at) > depth and at == loc[: len(at)]:
                best, depth = (self.marks[2 * index], self.marks[2 * index + 1]), len(at)
        return best

    def place(self, code: str, rule: str, severity: Severity, hit: Hit) -> Finding:
        """A rule's Hit about this file, placed at its line and column."""
        line, column = self.locate(hit.loc)
        return Finding(code, rule, hit.severity or severity, hit.message, self.path, line, column)


def entry_to_data(entry: Entry) -> list[Any]:
    """The entry as JSON-ready data (money and dates as text), without its path: a list in
    the order of `entry_from_data`, as a large cache is read faster so."""
    return [
        entry.id,
        entry.title,
        entry.financial_year,
        entry.pillar,
        entry.area,
        entry.status,
        entry.panel.isoformat() if entry.panel else None,
        str(entry.requested.amount) if entry.requested is not None else None,
        [
            [w.rule, w.reason, w.approved_by, w.expires.isoformat() if w.expires else None, w.index]
            for w in entry.waivers
        ],
        list(entry.marks),
        [[name, role] for name, role in entry.boroughs],
        delivery_to_data(entry.delivery),
    ]


_TEXT = (str, type(None))


def entry_from_data(data: Any, path: str) -> Entry:
    """The entry `entry_to_data` wrote; raises (TypeError, ValueError) when it is not one,
    which a cache reader takes as a miss."""
    (
        ident,
        title,
        year,
        pillar,
        area,
        status,
        panel,
        requested,
        waivers,
        marks,
        boroughs,
        delivery,
    ) = data
    if not all(type(value) in _TEXT for value in (ident, title, year, pillar, area, status)):
        raise TypeError("not text")
    intern = sys.intern
    return Entry(
        path,
        ident,
        title,
        intern(year) if year is not None else None,
        intern(pillar) if pillar is not None else None,
        intern(area) if area is not None else None,
        intern(status) if status is not None else None,
        date.fromisoformat(panel) if panel is not None else None,
        shared_money(Money(requested)) if requested is not None else None,
        tuple(_waiver(item) for item in waivers) if waivers else (),
        shared(_numbers(marks)),
        shared(tuple(_borough(item) for item in boroughs)) if boroughs else (),
        delivery_from_data(delivery),
    )


def _borough(item: Any) -> tuple[str, str]:
    name, role = item
    if type(name) is not str or type(role) is not str:
        raise TypeError("not a borough")
    return shared_pair(name, role)


_PAIRS: dict[tuple[str, str], tuple[str, str]] = {}
_TUPLES: dict[tuple[Any, ...], tuple[Any, ...]] = {}
_Tuple = TypeVar("_Tuple", bound=tuple[Any, ...])
_AMOUNTS: dict[Money, Money] = {}


def shared_pair(name: str, role: str) -> tuple[str, str]:
    """One copy of a (borough, role) pair, however many proposals name it: a portfolio
    repeats a few hundred pairs over its files."""
    pair = (sys.intern(name), sys.intern(role))
    return _PAIRS.setdefault(pair, pair)


def shared(values: _Tuple) -> _Tuple:
    """One copy of a tuple many proposals repeat: the boroughs a set of proposals names
    alike, the places of their fields in files written from one template."""
    return _TUPLES.setdefault(values, values)  # type: ignore[return-value]  # the same value


def shared_money(amount: Money) -> Money:
    """One copy of an amount many proposals ask (Money is immutable)."""
    return _AMOUNTS.setdefault(amount, amount)


def _waiver(item: Any) -> WaiverNote:
    rule, reason, approved_by, expires, index = item
    if not all(type(value) in _TEXT for value in (rule, reason, approved_by)) or rule is None:
        raise TypeError("not a waiver")
    lapse = date.fromisoformat(expires) if expires is not None else None
    return WaiverNote(rule, reason, approved_by, lapse, int(index))


def _numbers(values: object) -> tuple[int, ...]:
    if not isinstance(values, list) or not set(map(type, values)) <= {int}:
        raise TypeError("not lines and columns")
    return tuple(values)
