"""One proposal judged alone: its loading problems, the findings of the rules that read only
it, and the Entry the rest of the run keeps of it; pure, from text already in memory."""

from __future__ import annotations

import sys
from typing import Any, NamedTuple

from loti_cli.core.delivery import DeliveryNote
from loti_cli.core.entry import Entry, WaiverNote, kept_locs, shared, shared_money, shared_pair
from loti_cli.core.findings import Finding, Severity
from loti_cli.core.model import Proposal
from loti_cli.core.money import Money
from loti_cli.io.load import Source, load_proposal_bytes, load_proposal_text
from loti_cli.pipeline.ledgers import LedgerBook
from loti_cli.rules import FILE_RULES
from loti_cli.rules.context import ProposalContext
from loti_cli.rules.input import IN2


class Analysis(NamedTuple):
    """A proposal file judged alone. `entry` is None when no proposal could be read from it.

    A named tuple, as Entry is: a large portfolio makes one per file.
    """

    path: str
    entry: Entry | None
    problems: tuple[Finding, ...] = ()
    """What loading found (IN1, IN2): the file is not a valid proposal as it stands."""
    findings: tuple[Finding, ...] = ()
    """What every rule that reads the file alone found, whichever rules a run selects."""

    @property
    def own(self) -> list[Finding]:
        return [*self.problems, *self.findings]


def analyse_bytes(raw: bytes, path: str, book: LedgerBook) -> Analysis:
    """Judge a proposal from its file's bytes (bytes that are not UTF-8 are an IN1)."""
    return analyse(load_proposal_bytes(raw, path), book)


def analyse_text(text: str, path: str, book: LedgerBook) -> Analysis:
    """Judge a proposal from text (standard input, an edited file not yet written)."""
    return analyse(load_proposal_text(text, path), book)


def analyse(source: Source[Proposal], book: LedgerBook) -> Analysis:
    """Judge a loaded proposal by the rules that read it alone, and keep its Entry."""
    proposal = source.model
    if proposal is None:
        return Analysis(source.path, None, tuple(source.problems))
    findings: list[Finding] = []
    year, problem = book.of(proposal.financial_year)
    if problem is not None:
        findings.append(source.place(IN2.code, IN2.name, IN2.severity, problem))
    context = ProposalContext(
        proposal, source, year.ledger if year else None, year.members if year else None
    )
    for rule in FILE_RULES:
        if rule.check is not None:
            findings.extend(
                source.place(rule.code, rule.name, rule.severity, hit)
                for hit in rule.check(context)
            )
    return Analysis(
        source.path, entry_of(source, proposal), tuple(source.problems), tuple(findings)
    )


def analysis_of(source: Source[Proposal]) -> Analysis:
    """What a loaded proposal counts as in the budget, without judging it by the rules."""
    model = source.model
    entry = entry_of(source, model) if model is not None else None
    return Analysis(source.path, entry, tuple(source.problems))


def entry_of(source: Source[Proposal], proposal: Proposal) -> Entry:
    """What the run keeps of a proposal once it has been judged alone."""
    budget = proposal.budget
    waivers = tuple(
        WaiverNote(w.rule, w.reason, w.approved_by, w.expires, index)
        for index, w in enumerate(proposal.waivers)
    )
    delivery = DeliveryNote.of(proposal.delivery) if proposal.delivery is not None else None
    return Entry(
        path=source.path,
        id=proposal.id,
        title=proposal.title,
        financial_year=_shared(proposal.financial_year),
        pillar=_shared(proposal.pillar),
        area=_shared(proposal.area),
        status=_shared(proposal.status),
        panel=proposal.panel,
        requested=_amount(budget.requested) if budget is not None else None,
        waivers=waivers,
        marks=shared(_marks(source, len(waivers), delivery)),
        delivery=delivery,
        boroughs=shared(tuple(shared_pair(b.name, b.role) for b in proposal.boroughs or ())),
    )


def _amount(amount: Money | None) -> Money | None:
    return shared_money(amount) if amount is not None else None


def _shared(text: str | None) -> str | None:
    """One copy of a text many proposals repeat (a year, a pillar), however many files say it."""
    return sys.intern(text) if text is not None else None


def _marks(
    source: Source[Proposal], waivers: int, delivery: DeliveryNote | None
) -> tuple[int, ...]:
    document = source.document
    if document is None:
        return ()
    marks: list[int] = []
    for loc in kept_locs(waivers, len(delivery.milestones) if delivery is not None else 0):
        mark = document.locate(source.original_loc(loc))
        marks.extend((mark.line, mark.column))
    return tuple(marks)


# ---------------------------------------------------------------------------
# as plain data, for worker processes and the cache


def to_data(analysis: Analysis) -> dict[str, Any]:
    """The analysis as JSON-ready data, without its path (the cache keeps it by content)."""
    from loti_cli.core.entry import entry_to_data

    return {
        "entry": entry_to_data(analysis.entry) if analysis.entry is not None else None,
        "problems": [finding_data(f) for f in analysis.problems],
        "findings": [finding_data(f) for f in analysis.findings],
    }


def from_data(data: dict[str, Any], path: str) -> Analysis:
    """The analysis `to_data` wrote, shown at `path`; raises (KeyError, TypeError,
    ValueError) when the data is not one, which a cache reader takes as a miss."""
    from loti_cli.core.entry import entry_from_data

    entry, problems, findings = data["entry"], data["problems"], data["findings"]
    return Analysis(
        path,
        entry_from_data(entry, path) if entry is not None else None,
        tuple(finding_of(item, path) for item in problems) if problems else (),
        tuple(finding_of(item, path) for item in findings) if findings else (),
    )


def finding_data(finding: Finding) -> list[Any]:
    """A finding as JSON-ready data, without its path (kept by content, shown where read)."""
    return [
        finding.code,
        finding.rule,
        finding.severity.value,
        finding.message,
        finding.line,
        finding.column,
    ]


def finding_of(item: list[Any], path: str) -> Finding:
    """The finding `finding_data` wrote, at `path`; raises TypeError when it is not one."""
    code, rule, severity, message, line, column = item
    for value in (code, rule, message):
        if not isinstance(value, str):
            raise TypeError("not a finding")
    for number in (line, column):
        if number is not None and (isinstance(number, bool) or not isinstance(number, int)):
            raise TypeError("not a position")
    return Finding(code, rule, Severity(severity), message, path, line, column)
