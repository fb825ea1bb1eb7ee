"""Proposal files the budget cannot count although they may be approved: LB9 findings; pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

from loti_cli.core.findings import Finding, Hit, Loc, sort_key
from loti_cli.core.model import Ledger
from loti_cli.core.suggest import did_you_mean, one_of
from loti_cli.pipeline.analyse import Analysis
from loti_cli.rules.ledger import LB9

COUNTED: tuple[str, ...] = ("approved", "submitted")
"""The statuses the budget counts: approved ones take headroom, submitted ones are the pipeline."""

_NOT_FREE = "that no figure counts, so money shown as free may not be"
_NOT_PIPELINE = "that the pipeline leaves out"


def uncounted(
    analyses: Iterable[Analysis], ledger: Ledger, statuses: Sequence[str] = COUNTED
) -> list[Finding]:
    """An LB9 finding for each file that may be a proposal of the ledger's year with one of
    `statuses` but cannot be counted, at the place of what cannot be read.

    A file whose YAML cannot be read, or whose status is not valid, may be an approved
    proposal and counts as one (unless its year is known to be another); a proposal of
    another year, or with a status not in `statuses`, is none of the year's money.
    """
    found = (_finding(analysis, ledger, statuses) for analysis in analyses)
    return sorted((finding for finding in found if finding is not None), key=sort_key)


def _finding(source: Analysis, ledger: Ledger, statuses: Sequence[str]) -> Finding | None:
    year = ledger.financial_year
    proposal = source.entry
    unreadable = next((p for p in source.problems if p.code == "IN1"), None)
    if proposal is None or unreadable is not None:
        # Its values cannot be trusted, or there are none: whatever it is, it may be approved.
        cause = unreadable or (source.problems[0] if source.problems else None)
        # A folder that cannot be listed is shown with a trailing / (load.unlisted_source).
        folder = source.path.endswith("/")
        lead = "may hold approved proposals" if folder else "may be an approved proposal"
        message = f"{lead} of {year} {_NOT_FREE}: "
        message += cause.message if cause is not None else "it cannot be read"
        return Finding(
            LB9.code,
            LB9.name,
            LB9.severity,
            message,
            source.path,
            cause.line if cause else None,
            cause.column if cause else None,
        )
    status, proposal_year = proposal.status, proposal.financial_year
    if (status is not None and status not in statuses) or proposal_year not in (None, year):
        return None
    if status is None:
        return _at(source, ("status",), f"may be an approved proposal of {year} {_NOT_FREE}")
    kind = f"{'an' if status[0] in 'aeiou' else 'a'} {status} proposal of {year} " + (
        _NOT_FREE if status == "approved" else _NOT_PIPELINE
    )
    if proposal_year is None:
        return _at(source, ("financial_year",), f"may be {kind}")
    pillar = proposal.pillar
    if pillar is None:
        return _at(source, ("pillar",), f"is {kind}")
    if ledger.allocation(pillar) is None:
        pillars = [allocation.pillar for allocation in ledger.allocations or ()]
        mismatch = (
            f"pillar '{pillar}' is not one of the {year} allocations "
            f"({one_of(pillars) or 'there are none'}){did_you_mean(pillar, pillars)}"
        )
        return _at(source, ("pillar",), f"is {kind}", mismatch)
    if proposal.requested is None:
        return _at(source, ("budget", "requested"), f"is {kind}")
    return None


def _at(source: Analysis, loc: Loc, lead: str, cause: str | None = None) -> Finding:
    """The finding at `loc` of the file; its cause is the loading problem found there."""
    assert source.entry is not None
    placed = source.entry.place(LB9.code, LB9.name, LB9.severity, Hit("", loc))
    if cause is None:
        there = [p for p in source.problems if (p.line, p.column) == (placed.line, placed.column)]
        named = [p for p in there if str(loc[-1]) in p.message]
        problems = named or there
        cause = problems[0].message if problems else f"{_name(loc)} cannot be read"
    return replace(placed, message=f"{lead}: {cause}")


def _name(loc: Loc) -> str:
    return ".".join(str(part) for part in loc)


def incomplete_note(findings: Sequence[Finding], *, lead: str = "Incomplete: the") -> str:
    """`Incomplete: the figures leave out ...`, for the top of a report whose figures leave out
    the files of `findings` (without the first word, for a message on standard error)."""
    paths = sorted({finding.path for finding in findings})
    folders = sum(1 for path in paths if path.endswith("/"))  # folders that cannot be listed
    one = len(paths) == 1
    if not folders:
        what = "proposal file" if one else "proposal files"
    elif folders == len(paths):
        what = "folder of proposals" if one else "folders of proposals"
    else:
        what = "proposal files and folders"
    return (
        f"{lead} figures leave out {len(paths)} {what} that may count ({', '.join(paths)}); "
        f"see the {LB9.code} findings, fix {'it' if one else 'them'} and run again."
    )
