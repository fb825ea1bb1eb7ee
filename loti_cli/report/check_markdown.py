"""`loti proposal check --format markdown`: proposals and findings tables for a PR comment."""

from __future__ import annotations

from loti_cli.core.findings import Finding
from loti_cli.core.money import format_money
from loti_cli.pipeline.check import CheckResult, ProposalResult
from loti_cli.report import RenderOptions
from loti_cli.report.check_text import summary_line
from loti_cli.report.mdtext import cell, table


def _proposal_row(item: ProposalResult, *, strict: bool) -> list[str]:
    model = item.proposal
    requested = model.requested if model is not None else None
    result = "passed" if item.passed(strict=strict) else "**failed**"
    if model is None:
        return [cell(item.path), "", "", "", "", result]
    return [
        cell(model.id or item.path),
        cell(model.title),
        cell(model.pillar),
        cell(model.status),
        format_money(requested) if requested is not None else "",
        result,
    ]


def _finding_row(finding: Finding) -> list[str]:
    severity = str(finding.severity)
    if finding.waived:
        severity += f" (waived: {cell(finding.waiver_reason or 'no reason given')})"
    return [
        cell(finding.code),
        cell(finding.rule),
        severity,
        cell(finding.message),
        cell(finding.location),
    ]


def render(result: CheckResult, options: RenderOptions) -> str:
    summary = result.summary()
    parts = ["## loti proposal check\n"]
    details = summary_line(summary)
    details += f"; {summary.errors} errors, {summary.warnings} warnings"
    if result.ledger:
        details += f"; ledger {cell(result.ledger)}"
    parts.append(details + "\n")
    if result.results:
        body = [_proposal_row(item, strict=result.strict) for item in result.results]
        header = ["Proposal", "Title", "Pillar", "Status", "Requested", "Result"]
        parts.append(table(header, body, "llllrl"))
    findings = [finding for item in result.results for finding in item.findings]
    if findings:
        parts.append("### Findings\n")
        header = ["Code", "Rule", "Severity", "Message", "Where"]
        parts.append(table(header, [_finding_row(finding) for finding in findings]))
    else:
        parts.append("No findings.\n")
    return "\n".join(parts)
