"""`loti report --format markdown`: the panel pack as tables for a panel paper or a pull request.

The same content as the HTML page, with the charts as tables. Text from files
goes through `mdtext.cell` (one line, markdown specials and `&` escaped), so no
title or message can break a table, start a heading or inject HTML.
"""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Finding
from loti_cli.core.money import format_money
from loti_cli.pipeline.panel import PanelPack, ProposalEntry, WaiverEntry, long_date
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions, panel_ranking, participation
from loti_cli.report.mdtext import cell, table
from loti_cli.report.panel_delivery import markdown_section as delivery_markdown
from loti_cli.report.panel_monitoring import markdown_section as monitoring_markdown


def render(pack: PanelPack, options: RenderOptions | None = None) -> str:
    """The whole pack."""
    parts = [
        _header(pack),
        _summary(pack),
        _pillars(pack),
        _expenditure(pack),
        monitoring_markdown(pack),
        _lines(pack),
        _ledger_findings(pack),
        _proposals(pack),
        participation.markdown(pack.participation),
        panel_ranking.markdown_section(pack.ranking) if pack.ranking else "",
        delivery_markdown(pack),
        _details(pack),
        _footer(pack),
    ]
    return "\n".join(part for part in parts if part)


def _header(pack: PanelPack) -> str:
    # No line starts with text from a file, which could make it a heading or a list.
    facts = []
    if pack.ledger_name:
        facts.append(f"Budget: {cell(pack.ledger_name)}")
    if pack.financial_year:
        facts.append(f"financial year {cell(pack.financial_year)}")
    if pack.as_of:
        facts.append(f"figures as of {long_date(pack.as_of)}")
    facts.append(f"ledger {cell(pack.ledger_path)}")
    about = "; ".join(facts)
    lines = [f"# {cell(pack.title)}\n", about[:1].upper() + about[1:] + ".  "]
    if pack.source:
        lines.append(f"Source: {cell(pack.source)}.  ")
    if pack.prepared:
        lines.append(f"Pack date: {long_date(pack.prepared)}.  ")
    lines[-1] = lines[-1].rstrip()
    if pack.uncounted:
        lines.append(f"\n**{cell(incomplete_note(pack.uncounted))}**")
    return "\n".join(lines) + "\n"


def _summary(pack: PanelPack) -> str:
    body = [
        [cell(figure.label), format_money(figure.amount), cell(figure.note)]
        for figure in pack.figures
    ]
    return "## Budget summary\n\n" + table(["Figure", "Amount", "Note"], body, "lrl")


def _pillars(pack: PanelPack) -> str:
    head = "## Allocation by pillar\n\n"
    if not pack.pillars:
        return head + "No allocations.\n"
    body = []
    for pillar in pack.pillars:
        headroom = format_money(pillar.headroom)
        if pillar.headroom.amount < 0:
            headroom = f"**{headroom} (over-committed)**"
        body.append(
            [
                cell(pillar.pillar),
                format_money(pillar.allocated),
                format_money(pillar.approved),
                format_money(pillar.pipeline),
                headroom,
            ]
        )
    body.append(["**Total allocated**", f"**{format_money(pack.figure('allocated').amount)}**"])
    body[-1].extend(["", "", ""])
    body.append(["Unallocated", format_money(pack.figure("unallocated").amount), "", "", ""])
    note = (
        "Approved: what approved proposals request. Pipeline: what submitted proposals "
        "request. Headroom: the allocation less what is approved.\n\n"
    )
    header = ["Pillar", "Allocated", "Approved", "Pipeline", "Headroom"]
    return head + note + table(header, body, "lrrrr")


def _expenditure(pack: PanelPack) -> str:
    total = pack.total_committed.amount
    body = []
    for name, amount in pack.by_status:
        share = f"{round(100 * amount.amount / total)}%" if total else ""
        body.append([name.capitalize(), format_money(amount), share])
    body.append(["**Total committed**", f"**{format_money(pack.total_committed)}**", ""])
    return "## Expenditure by status\n\n" + table(["Status", "Amount", "Share"], body, "lrr")


def _lines(pack: PanelPack) -> str:
    income = [[cell(line.name), cell(line.kind), format_money(line.amount)] for line in pack.income]
    income.append(["**Total income**", "", f"**{format_money(pack.figure('income').amount)}**"])
    spend = [
        [
            cell(line.name),
            cell(line.kind),
            cell(line.pillar),
            format_money(line.amount),
        ]
        for line in pack.expenditure
    ]
    committed = format_money(pack.figure("total_committed").amount)
    spend.append(["**Total committed**", "", "", f"**{committed}**"])
    return (
        "## Income and expenditure\n\n"
        + table(["Income", "Kind", "Amount"], income, "llr")
        + "\n"
        + table(["Expenditure", "Status", "Pillar", "Amount"], spend, "lllr")
    )


def _ledger_findings(pack: PanelPack) -> str:
    head = "## Ledger findings\n\n"
    if not pack.ledger_findings:
        return head + "No findings: every published figure adds up.\n"
    return head + _findings_table(pack.ledger_findings)


def _proposals(pack: PanelPack) -> str:
    head = "## Proposals\n\n"
    if not pack.proposals:
        where = f" in {cell(pack.proposals_path)}" if pack.proposals_path else ""
        return head + f"No proposals for this year{where}.\n" + _left_out(pack)
    count = len(pack.proposals)
    summary = (
        f"{count} proposal{'s' if count != 1 else ''} checked against the funding principles: "
        f"{pack.passed} passed, {pack.failed} failed.\n\n"
    )
    body = [_proposal_row(entry) for entry in pack.proposals]
    header = ["Proposal", "Title", "Pillar", "Area", "Requested", "Status", "Result"]
    return head + summary + table(header, body, "llllrll") + _left_out(pack)


def _left_out(pack: PanelPack) -> str:
    if not pack.other_years:
        return ""
    count = len(pack.other_years)
    files = ", ".join(cell(path) for path in pack.other_years)
    return (
        f"\nNot shown: {count} proposal{'s' if count != 1 else ''} of other financial years "
        f"({files}).\n"
    )


def _proposal_row(entry: ProposalEntry) -> list[str]:
    result = "passed" if entry.passed else "**failed**"
    return [
        cell(entry.name),
        cell(entry.title) if entry.title else "*cannot be read*",
        cell(entry.pillar),
        cell(entry.area),
        format_money(entry.requested) if entry.requested is not None else "",
        cell(entry.status),
        f"{result} ({cell(entry.counts)})" if entry.findings else result,
    ]


def _details(pack: PanelPack) -> str:
    if not pack.proposals:
        return ""
    parts = ["## Findings and waivers by proposal\n"]
    for entry in pack.proposals:
        if entry.findings or entry.waivers:
            parts.append(_section(entry))
    clean = [cell(e.name) for e in pack.proposals if not (e.findings or e.waivers)]
    if clean:
        parts.append(f"No findings and no waivers: {', '.join(clean)}.\n")
    return "\n".join(parts)


def _section(entry: ProposalEntry) -> str:
    heading = cell(entry.name)
    if entry.title:
        heading += f": {cell(entry.title)}"
    verdict = "passed" if entry.passed else "**failed**"
    facts = [f"File: {cell(entry.path)}"]
    if entry.status:
        facts.append(cell(entry.status))
    facts.append(f"{verdict} ({cell(entry.counts)})")
    parts = [f"### {heading}\n", "; ".join(facts) + "\n"]
    if entry.findings:
        parts.append("Findings:\n")
        parts.append(_findings_table(entry.findings))
    if entry.waivers:
        parts.append("Waivers:\n")
        parts.append(_waivers_table(entry.waivers))
    return "\n".join(parts)


def _findings_table(findings: Iterable[Finding]) -> str:
    body = []
    for finding in findings:
        severity = str(finding.severity)
        message = cell(finding.message)
        if finding.waived:
            severity += ", waived"
            message += f" *Waived: {cell(finding.waiver_reason or 'no reason given')}*"
        line = str(finding.line) if finding.line is not None else ""
        body.append([cell(finding.code), cell(finding.rule), severity, message, line])
    return table(["Code", "Rule", "Severity", "Message", "Line"], body, "llllr")


def _waivers_table(waivers: Iterable[WaiverEntry]) -> str:
    body = [
        [
            cell(waiver.rule),
            cell(waiver.reason),
            cell(waiver.approved_by),
            waiver.expires.isoformat() if waiver.expires else "",
        ]
        for waiver in waivers
    ]
    return table(["Rule", "Reason", "Approved by", "Expires"], body)


def _footer(pack: PanelPack) -> str:
    where = f"the ledger {cell(pack.ledger_path)}"
    if pack.proposals_path:
        where += f" and the proposals in {cell(pack.proposals_path)}"
    return (
        f"---\n\nPrepared with loti from {where}. Every figure is recomputed from the ledger's "
        "lines; every proposal is checked against the funding principles "
        "(`loti rules CODE` explains a finding).\n"
    )
