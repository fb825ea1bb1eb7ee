"""`loti proposal check` answered whole from a memo: the same files unchanged (and the
portfolio beside them), the same ledgers and actuals, rules, loti and day give the same
findings, so a second run judges nothing.

What is kept of each result is what the check's reports show: its path, the id, title,
pillar, status and amount of its proposal, and its findings as placed and waived.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from loti_cli.core.entry import Entry
from loti_cli.core.findings import Finding
from loti_cli.core.money import Money
from loti_cli.io.memo import Memo, stat_rows
from loti_cli.pipeline.analyse import finding_data, finding_of
from loti_cli.pipeline.workspace import Workspace

KIND = "check"


def open_memo(
    ws: Workspace,
    targets: Sequence[tuple[str, str]],
    active: frozenset[str],
    *,
    closing: bool,
    today: date,
) -> Memo | None:
    """The memo of a check of `targets` (real path, path as named) in this workspace, or
    None when the run cannot have one (no cache, a folder that cannot be listed)."""
    if ws.cache.file is None or ws.unlisted():
        return None
    files = dict(targets)
    for real, path in ws.folder_paths().items():
        files.setdefault(real, path)
    rows = stat_rows(list(files.items()))
    if rows is None:
        return None
    # Which files were named, so that checks of other files keep memos of their own.
    named = hashlib.sha256(
        "\0".join(real for real, _ in targets).encode("utf-8", "surrogateescape")
    )
    key = "\0".join((ws.cache.file.name, ",".join(sorted(active)), str(closing), today.isoformat()))
    key += "\0" + _actuals_digest(ws) + "\0" + named.hexdigest()
    return Memo.at(ws.cache.file.parent.parent, KIND, key, rows)


def _actuals_digest(ws: Workspace) -> str:
    """The content of every actuals file beside the ledgers the run could use (DL3 reads
    them), so a changed actuals file is a changed answer: as the run reads it (once, kept
    by the book), so that a file changed during the run is not keyed by what it was, and
    without parsing it."""
    digest = hashlib.sha256()
    for ledger in ws.book.search.every():
        read = ws.book.actuals_read(ledger)
        digest.update(f"{os.path.realpath(ledger)}:".encode("utf-8", "surrogateescape"))
        digest.update(read if isinstance(read, bytes) else f"{type(read).__name__}:{read}".encode())
        digest.update(b"\0")
    return digest.hexdigest()


def encode(ledger: str | None, results: Sequence[Any]) -> dict[str, Any]:
    """The check's results (ProposalResult) as JSON-ready data."""
    return {
        "ledger": ledger,
        "results": [
            [r.path, _entry(r.proposal), [_finding(f) for f in r.findings]] for r in results
        ],
    }


def decode(data: Any) -> tuple[str | None, list[tuple[str, Entry | None, list[Finding]]]] | None:
    """What `encode` wrote: the ledger and each result's path, entry and findings; None when
    the memo does not hold that (it is then ignored and the run judges afresh)."""
    try:
        ledger = data["ledger"]
        money: dict[str, Money] = {}
        results = []
        for result in data["results"]:
            if type(result) is not list or len(result) != 3 or type(result[2]) is not list:
                return None
            path, entry, findings = result
            results.append(
                (
                    _text(path),
                    _entry_of(entry, path, money) if entry is not None else None,
                    [_finding_of(item) for item in findings],
                )
            )
    except (KeyError, TypeError, ValueError, ArithmeticError):
        return None
    return (_text(ledger) if ledger is not None else None), results


def _entry(entry: Entry | None) -> list[Any] | None:
    if entry is None:
        return None
    requested = str(entry.requested.amount) if entry.requested is not None else None
    return [entry.id, entry.title, entry.pillar, entry.status, requested]


def _entry_of(item: list[Any], path: str, money: dict[str, Money]) -> Entry:
    if type(item) is not list:  # a text or a mapping would unpack too
        raise TypeError("not a proposal")
    ident, title, pillar, status, requested = item
    for value in (ident, title, pillar, status, requested):
        if value is not None and type(value) is not str:
            raise TypeError("not text")
    amount = None
    if requested is not None:
        amount = money.get(requested) or money.setdefault(requested, Money(requested))
    return Entry(path, ident, title, pillar=pillar, status=status, requested=amount)


def _finding(f: Finding) -> list[Any]:
    """A finding as the cache writes one (finding_data), then where it is and its waiver."""
    return [*finding_data(f), f.path, f.waived, f.waiver_reason]


def _finding_of(item: list[Any]) -> Finding:
    if type(item) is not list or len(item) != 9:
        raise TypeError("not a finding")
    *data, path, waived, reason = item
    if type(waived) is not bool or (reason is not None and type(reason) is not str):
        raise TypeError("not a waiver")
    found = finding_of(data, _text(path))
    return replace(found, waived=True, waiver_reason=reason) if waived else found


def _text(value: Any) -> str:
    if type(value) is not str:
        raise TypeError("not text")
    return value
