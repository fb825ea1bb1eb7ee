"""The budget-status pipeline: load the ledger and proposals, compute, check; nothing printed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from loti_cli.core.budget import BudgetStatus, compute_status
from loti_cli.core.findings import Finding, sort_key
from loti_cli.core.model import Ledger, Proposal
from loti_cli.io.load import Source, load_ledger, load_proposal, unlisted_sources
from loti_cli.io.resolve import (
    LedgerChoice,
    display_path,
    ledger_for_year,
    previous_year,
    scan_proposals,
)
from loti_cli.pipeline.uncounted import uncounted
from loti_cli.rules.context import id_key
from loti_cli.rules.ledger import LB7, LEDGER_RULES, LedgerContext, PreviousYear


@dataclass(slots=True)
class StatusResult:
    """A year's budget status with its findings, or the problems that stopped it."""

    choice: LedgerChoice
    source: Source[Ledger]
    status: BudgetStatus | None = None
    findings: list[Finding] = field(default_factory=list)
    proposals: list[Source[Proposal]] = field(default_factory=list)
    assumed: list[str] = field(default_factory=list)
    """What-if: the proposals counted as approved although they are not (ids or paths)."""
    uncounted: list[Finding] = field(default_factory=list)
    """LB9: the files that may be approved (or submitted) proposals of the year but that the
    figures cannot count; while there is one, no figure is complete."""

    @property
    def loaded(self) -> bool:
        """False when the ledger could not be loaded (its problems are in `findings`)."""
        return self.status is not None

    @property
    def complete(self) -> bool:
        """True when every proposal file that may count is counted."""
        return not self.uncounted


def load_portfolio(folder: Path | None) -> list[Source[Proposal]]:
    """Every proposal file in a folder, loaded (with its problems, if any), and each folder
    below it that cannot be listed, as a source that cannot be read."""
    if folder is None:
        return []
    listing = scan_proposals(folder)
    return [
        *(load_proposal(path, display_path(path)) for path in listing.files),
        *unlisted_sources(listing.unlisted),
    ]


def assume_approved(
    portfolio: list[Source[Proposal]], chosen: list[Source[Proposal]] | None = None
) -> tuple[list[Source[Proposal]], list[str]]:
    """What-if: the portfolio with the chosen proposals (default: every submitted one) approved.

    Chosen proposals are counted as `loti proposal check` counts files: each file once,
    however it is named (`./a.yaml`, `a.yaml`, a link to it), and a chosen proposal takes
    the place of the portfolio's file with its id (an edited copy kept elsewhere is a new
    version of that file, not a second proposal); of chosen files with one id, the last
    named counts. Returns the new portfolio and the ids (or paths) of the proposals assumed.
    """
    if chosen is None:
        chosen = [s for s in portfolio if s.model is not None and s.model.status == "submitted"]
        by_id = False  # the portfolio's own files: each one in its place
    else:
        by_id = True
    picked: dict[str, Source[Proposal]] = {}
    for source in chosen:
        if source.model is None:
            continue
        for real, earlier in list(picked.items()):
            if by_id and _same_id(earlier, source):
                del picked[real]
        picked.pop(os.path.realpath(source.path), None)
        picked[os.path.realpath(source.path)] = source
    kept = [
        s
        for s in portfolio
        if os.path.realpath(s.path) not in picked
        and not (by_id and any(_same_id(s, other) for other in picked.values()))
    ]
    assumed: list[str] = []
    for source in picked.values():
        assert source.model is not None
        approved = source.model.model_copy(update={"status": "approved"})
        kept.append(Source(source.path, approved, source.document, source.problems))
        assumed.append(source.model.id or source.path)
    return kept, assumed


def _same_id(one: Source[Proposal], other: Source[Proposal]) -> bool:
    a, b = one.model, other.model
    return bool(a and b and a.id and b.id and id_key(a.id) == id_key(b.id))


def budget_status(
    choice: LedgerChoice,
    proposals: list[Source[Proposal]] | None = None,
    assumed: list[str] | None = None,
) -> StatusResult:
    """Load the chosen ledger, recompute its figures and run the ledger rules."""
    source = load_ledger(choice.path, choice.display)
    result = StatusResult(choice, source, proposals=proposals or [], assumed=assumed or [])
    ledger = source.model
    if source.problems or ledger is None:
        result.findings = sorted(source.problems, key=sort_key)
        return result
    models = [p.model for p in result.proposals if p.model is not None]
    status = compute_status(ledger, models)
    context = LedgerContext(status, _previous(choice.path, ledger, result))
    for rule in LEDGER_RULES:
        if rule.check is None:
            continue
        result.findings.extend(
            source.place(rule.code, rule.name, rule.severity, hit) for hit in rule.check(context)
        )
    result.uncounted = uncounted(result.proposals, ledger)
    result.findings.extend(result.uncounted)
    result.status = status
    result.findings.sort(key=sort_key)
    return result


def _previous(path: Path, ledger: Ledger, result: StatusResult) -> PreviousYear | None:
    if ledger.financial_year is None:
        return None
    year = previous_year(ledger.financial_year)
    previous_path = ledger_for_year(year, path)
    if previous_path is None:
        return None
    previous = load_ledger(previous_path, display_path(previous_path))
    if previous.model is None or previous.problems:
        result.findings.append(
            Finding(
                LB7.code,
                LB7.name,
                LB7.severity,
                f"carry_forward cannot be compared with {previous.path}: it has "
                f"{len(previous.problems)} problem(s); run loti budget status --ledger "
                f"{previous.path}",
                result.source.path,
                1,
                1,
            )
        )
        return None
    remaining = compute_status(previous.model).remaining
    return PreviousYear(previous.path, year, remaining)
