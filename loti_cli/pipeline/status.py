"""The budget-status pipeline: load the ledger and proposals, compute, check; nothing printed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from loti_cli.core.budget import BudgetStatus, compute_status
from loti_cli.core.findings import Finding, sort_key
from loti_cli.core.model import Ledger
from loti_cli.io.load import Source, load_ledger
from loti_cli.io.resolve import (
    LedgerChoice,
    LedgerSearch,
    display_path,
    ledger_for_year,
    previous_year,
)
from loti_cli.pipeline.analyse import Analysis
from loti_cli.pipeline.ledgers import LedgerBook
from loti_cli.pipeline.uncounted import uncounted
from loti_cli.pipeline.workspace import Workspace
from loti_cli.rules.context import same_id
from loti_cli.rules.ledger import LB7, LEDGER_RULES, LedgerContext, PreviousYear


@dataclass(slots=True)
class StatusResult:
    """A year's budget status with its findings, or the problems that stopped it."""

    choice: LedgerChoice
    source: Source[Ledger]
    status: BudgetStatus | None = None
    findings: list[Finding] = field(default_factory=list)
    proposals: list[Analysis] = field(default_factory=list)
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


def load_portfolio(folder: Path | None) -> list[Analysis]:
    """Every proposal file in a folder, judged (with its problems, if any), and each folder
    below it that cannot be listed, as a file that cannot be read."""
    if folder is None:
        return []
    return Workspace(LedgerBook(LedgerSearch.here()), folder).counted()


def assume_approved(
    portfolio: list[Analysis], chosen: list[Analysis] | None = None
) -> tuple[list[Analysis], list[str]]:
    """What-if: the portfolio with the chosen proposals (default: every submitted one) approved.

    Chosen proposals are counted as `loti proposal check` counts files: each file once,
    however it is named (`./a.yaml`, `a.yaml`, a link to it), and a chosen proposal takes
    the place of the portfolio's file with its id (an edited copy kept elsewhere is a new
    version of that file, not a second proposal); of chosen files with one id, the last
    named counts. Returns the new portfolio and the ids (or paths) of the proposals assumed.
    """
    if chosen is None:
        chosen = [a for a in portfolio if a.entry is not None and a.entry.status == "submitted"]
        by_id = False  # the portfolio's own files: each one in its place
    else:
        by_id = True
    picked: dict[str, Analysis] = {}
    for analysis in chosen:
        if analysis.entry is None:
            continue
        for real, earlier in list(picked.items()):
            if by_id and same_id(earlier.entry, analysis.entry):
                del picked[real]
        picked.pop(os.path.realpath(analysis.path), None)
        picked[os.path.realpath(analysis.path)] = analysis
    kept = [
        a
        for a in portfolio
        if os.path.realpath(a.path) not in picked
        and not (by_id and any(same_id(a.entry, other.entry) for other in picked.values()))
    ]
    assumed: list[str] = []
    for analysis in picked.values():
        assert analysis.entry is not None
        kept.append(analysis._replace(entry=analysis.entry._replace(status="approved")))
        assumed.append(analysis.entry.id or analysis.path)
    return kept, assumed


def budget_status(
    choice: LedgerChoice,
    proposals: list[Analysis] | None = None,
    assumed: list[str] | None = None,
    *,
    book: LedgerBook | None = None,
) -> StatusResult:
    """Load the chosen ledger, recompute its figures and run the ledger rules; `book` holds
    the ledger files a workspace has already read."""
    raw = book.bytes_of(choice.path) if book is not None else None
    source = load_ledger(choice.path, choice.display, raw=raw)
    result = StatusResult(choice, source, proposals=proposals or [], assumed=assumed or [])
    ledger = source.model
    if source.problems or ledger is None:
        result.findings = sorted(source.problems, key=sort_key)
        return result
    entries = [p.entry for p in result.proposals if p.entry is not None]
    status = compute_status(ledger, entries)
    context = LedgerContext(status, _previous(choice.path, ledger, result, book))
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


def _previous(
    path: Path, ledger: Ledger, result: StatusResult, book: LedgerBook | None
) -> PreviousYear | None:
    if ledger.financial_year is None:
        return None
    year = previous_year(ledger.financial_year)
    previous_path = ledger_for_year(year, path)
    if previous_path is None:
        return None
    raw = book.bytes_of(previous_path) if book is not None else None
    previous = load_ledger(previous_path, display_path(previous_path), raw=raw)
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
