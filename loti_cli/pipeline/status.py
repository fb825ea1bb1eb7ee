"""The budget-status pipeline: load the ledger and proposals, compute, check; nothing printed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from loti_cli.core.budget import BudgetStatus, compute_status
from loti_cli.core.findings import Finding, sort_key
from loti_cli.core.model import Ledger, Proposal
from loti_cli.io.load import Source, load_ledger, load_proposal
from loti_cli.io.resolve import (
    LedgerChoice,
    display_path,
    ledger_for_year,
    previous_year,
    proposal_files,
)
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

    @property
    def loaded(self) -> bool:
        """False when the ledger could not be loaded (its problems are in `findings`)."""
        return self.status is not None

    @property
    def unreadable_proposals(self) -> list[Source[Proposal]]:
        return [source for source in self.proposals if source.model is None]

    @property
    def unallocated_proposals(self) -> list[Source[Proposal]]:
        """Approved or submitted proposals of the year whose pillar has no allocation (FP1):
        the budget cannot count them."""
        if self.status is None:
            return []
        ledger = self.status.ledger
        return [
            source
            for source in self.proposals
            if source.model is not None
            and source.model.financial_year == ledger.financial_year
            and source.model.status in ("approved", "submitted")
            and source.model.pillar is not None
            and ledger.allocation(source.model.pillar) is None
        ]


def load_portfolio(folder: Path | None) -> list[Source[Proposal]]:
    """Every proposal file in a folder, loaded (with its problems, if any)."""
    if folder is None:
        return []
    return [load_proposal(path, display_path(path)) for path in proposal_files(folder)]


def assume_approved(
    portfolio: list[Source[Proposal]], chosen: list[Source[Proposal]] | None = None
) -> tuple[list[Source[Proposal]], list[str]]:
    """What-if: the portfolio with the chosen proposals (default: every submitted one) approved.

    Chosen proposals replace the portfolio's file of the same path, or join it.
    Returns the new portfolio and the ids (or paths) of the proposals assumed.
    """
    if chosen is None:
        chosen = [s for s in portfolio if s.model is not None and s.model.status == "submitted"]
    chosen_paths = {Path(s.path).resolve() for s in chosen}
    kept = [s for s in portfolio if Path(s.path).resolve() not in chosen_paths]
    assumed: list[str] = []
    for source in chosen:
        if source.model is None:
            continue
        approved = source.model.model_copy(update={"status": "approved"})
        kept.append(Source(source.path, approved, source.document, source.problems))
        assumed.append(source.model.id or source.path)
    return kept, assumed


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
