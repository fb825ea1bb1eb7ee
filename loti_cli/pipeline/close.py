"""Closing an approved project: the edit that records it, and the closure rules that refuse it.

`prepare_close` reads the proposal, records `delivery.phase: closed` and `delivery.closed:
DATE` in its text with the comment-keeping editor, and checks the edited proposal by the
closure rules (CL1-CL3), whose failures it places at the lines of the file as it is now.
Nothing is written or printed here: the command does that.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from loti_cli.core.findings import Finding, one_line, visible
from loti_cli.core.model import Proposal
from loti_cli.errors import LotiError
from loti_cli.io.load import load_proposal_text
from loti_cli.io.resolve import display_path
from loti_cli.io.yaml_edit import Edit, EditError, edit_mapping
from loti_cli.io.yaml_read import YamlError
from loti_cli.pipeline.decide import line_map, read_for_edit


@dataclass(frozen=True, slots=True)
class Closing:
    """A closure worked out against one proposal file, before anything is written."""

    day: date
    shown: str
    name: str
    """The proposal's id, else the file."""
    original: str
    read: bytes
    """The file's bytes as read; it is replaced only while it still holds them."""
    edited: str | None = None
    """The file's text with the closure recorded; None when it already records it."""
    refusal: str | None = None
    """Why this proposal cannot be closed at all (it is not approved)."""
    blocking: tuple[Finding, ...] = ()
    """The closure rules it fails, at the lines of the file as it is now."""
    proposal: Proposal | None = None

    @property
    def refused(self) -> bool:
        return self.refusal is not None or bool(self.blocking)


def close_edits(data: dict[str, Any], day: date) -> list[Edit]:
    """The edits that record a closure on `day` in a proposal whose file holds `data`: only
    what differs, `closed` after `end` when it is new."""
    delivery = data.get("delivery")
    delivery = delivery if isinstance(delivery, dict) else {}
    edits: list[Edit] = []
    if delivery.get("phase") != "closed":
        edits.append(Edit(("delivery", "phase"), "closed", after=None))
    if str(delivery.get("closed")) != day.isoformat():
        edits.append(Edit(("delivery", "closed"), day, after="end"))
    return edits


def date_problem(proposal: Proposal, day: date, today: date) -> str | None:
    """Why `day` cannot be the closing date of `proposal`, if it cannot."""
    delivery = proposal.delivery
    if day > today:
        return f"{day.isoformat()} is in the future; give the day the project closed"
    if delivery is not None and delivery.start is not None and day < delivery.start:
        return f"{day.isoformat()} is before the project's start, {delivery.start.isoformat()}"
    if proposal.panel is not None and day < proposal.panel:
        return (
            f"{day.isoformat()} is before the panel that approved it, {proposal.panel.isoformat()}"
        )
    return None


def prepare_close(
    path: Path,
    day: date,
    *,
    ledger: Path | None = None,
    proposals: Path | None = None,
    today: date | None = None,
) -> Closing:
    """Read the proposal, record its closure on `day` in its text, and check the closure rules."""
    shown = display_path(path)
    raw, text, proposal, data = read_for_edit(path, shown)
    shown = visible(shown)  # as it is printed: what a terminal would obey or hide escaped
    name = one_line(proposal.id or shown)
    unchanged = Closing(day, shown, name, text, raw, proposal=proposal)
    if proposal.status != "approved":
        status = proposal.status or "without a status"
        return replace(
            unchanged,
            refusal=f"{name} is {status}; only an approved proposal can be closed (loti "
            "proposal decide records the panel's approval)",
        )
    problem = date_problem(proposal, day, today or date.today())
    if problem is not None:
        raise LotiError(f"--date {problem}")
    edits = close_edits(data, day)
    if not edits:
        return unchanged
    try:
        edited = edit_mapping(text, edits)
    except YamlError as error:
        mark = error.problem.mark
        where = f"{shown}:{mark.line}:{mark.column}" if mark else shown
        raise LotiError(f"cannot edit {where}: {error.problem.message}") from None
    except EditError as error:
        found = tuple(str(f) for f in load_proposal_text(text, shown).problems)
        details = (*found, "fix the file, then close it again") if found else ()
        raise LotiError(f"cannot edit {shown}: {error}", details=details) from None
    if load_proposal_text(edited, shown).model is None:  # never write what cannot be read back
        raise LotiError(f"cannot edit {shown}: the edited file would not load")
    blocking = closure_findings(path, edited, text, day, ledger=ledger, proposals=proposals)
    return replace(unchanged, edited=edited, blocking=tuple(blocking))


def closure_findings(
    path: Path,
    edited: str,
    original: str,
    day: date,
    *,
    ledger: Path | None,
    proposals: Path | None,
) -> list[Finding]:
    """The closure rules' unwaived errors in the edited text, at the lines of `original`."""
    from loti_cli.pipeline.analyse import analyse_text
    from loti_cli.pipeline.check import active_rules, check
    from loti_cli.pipeline.workspace import Workspace
    from loti_cli.rules import CLOSING_CODES

    shown = display_path(path)
    workspace = Workspace.open(ledger=ledger, proposals=proposals)
    analysis = analyse_text(edited, shown, workspace.book)
    active = active_rules(sorted(CLOSING_CODES), (), closing=True)
    result = check(
        [(os.path.realpath(path), analysis)], [], workspace.book, active=active, today=day
    )
    lines = line_map(edited, original)
    return [
        replace(f, line=lines.get(f.line, f.line) if f.line is not None else None)
        for f in result.results[-1].findings
        if f.code in CLOSING_CODES and f.fails
    ]


def summarise_close(closing: Closing) -> str:
    """What was recorded, in one line."""
    text = f"closed {closing.shown} ({closing.name}) on {closing.day.isoformat()}"
    delivery = closing.proposal.delivery if closing.proposal is not None else None
    if delivery is not None:
        milestones, measures = len(delivery.milestones), len(delivery.measures)
        text += (
            f": {milestones} milestone{'s' if milestones != 1 else ''} done, "
            f"{measures} measure{'s' if measures != 1 else ''} recorded"
        )
    return text
