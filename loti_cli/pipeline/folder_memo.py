"""The proposals folder as the budget and the rules across the portfolio see it, kept in a
memo while no file in it changes: what a decision on one proposal needs of the others.

Of each file it keeps its loading problems (IN1, IN2: a file that cannot be counted
stops an approval, LB9) and, when a proposal could be read, its id, year, pillar,
status, amount and the lines of the places those rules point at (`KEPT`), and no
waiver, borough or delivery: those of other files never change a finding of the file
decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain, repeat
from pathlib import Path
from typing import Any

from loti_cli.core.entry import KEPT, Entry
from loti_cli.core.money import Money
from loti_cli.io.memo import Memo, stat_rows
from loti_cli.pipeline.analyse import Analysis, finding_data, finding_of

KIND = "folder"
_MARKS = 2 * len(KEPT)
_COLUMNS = ("proposal", "id", "year", "pillar", "status", "requested", "marks")
_TEXT = {str, type(None)}


def open_memo(key: str, root: Path, files: Sequence[tuple[str, str]]) -> Memo | None:
    """The memo of these folder files (real path, path as shown) under `key` (the cache's
    settings and the folder)."""
    rows = stat_rows(files)
    return Memo.at(root, KIND, key, rows) if rows is not None else None


def encode(analyses: Sequence[Analysis]) -> dict[str, Any]:
    """The folder's analyses, in order, as JSON-ready data: a column for each field kept (a
    large folder is read back faster so), and the problems of the files that have any."""
    entries = [a.entry for a in analyses]
    return {
        "proposal": [entry is not None for entry in entries],
        "id": [e.id if e else None for e in entries],
        "year": [e.financial_year if e else None for e in entries],
        "pillar": [e.pillar if e else None for e in entries],
        "status": [e.status if e else None for e in entries],
        "requested": [str(e.requested.amount) if e and e.requested else None for e in entries],
        "marks": [list(e.marks[:_MARKS]) if e else [] for e in entries],
        "problems": {
            str(index): [finding_data(f) for f in a.problems]
            for index, a in enumerate(analyses)
            if a.problems
        },
    }


def decode(data: Any, shown: Sequence[str]) -> list[Analysis] | None:
    """What `encode` wrote, each file shown at its path in `shown`; None when the memo does
    not hold that (it is then ignored and the folder read)."""
    try:
        columns = [data[name] for name in _COLUMNS]
        if any(type(c) is not list or len(c) != len(shown) for c in columns):
            return None
        proposal, ids, years, pillars, statuses, requested, marks = columns
        if not set(map(type, proposal)) <= {bool} or not set(map(type, marks)) <= {list}:
            return None
        if any(not set(map(type, column)) <= _TEXT for column in columns[1:6]):
            return None
        if not set(map(type, chain.from_iterable(marks))) <= {int}:
            return None
        if type(data["problems"]) is not dict:
            return None
        money = {text: Money(text) for text in set(requested) if text is not None}
        amounts = [money[text] if text is not None else None for text in requested]
        problems = {
            int(index): tuple(finding_of(item, shown[int(index)]) for item in items)
            for index, items in data["problems"].items()
        }
        entries = map(
            Entry, shown, ids, repeat(None), years, pillars, repeat(None), statuses,
            repeat(None), amounts, repeat(()), map(tuple, marks),
        )  # fmt: skip
        return [
            Analysis(path, entry if is_proposal else None, problems.get(index, ()))
            for index, (path, entry, is_proposal) in enumerate(
                zip(shown, entries, proposal, strict=True)
            )
        ]
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError):
        return None
