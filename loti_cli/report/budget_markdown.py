"""`loti budget status --format markdown`: tables for a panel paper or a pull request."""

from __future__ import annotations

from collections.abc import Sequence

from loti_cli.core.findings import Finding
from loti_cli.core.money import format_money
from loti_cli.pipeline.status import StatusResult
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions
from loti_cli.report.mdtext import cell, table


def render(result: StatusResult, options: RenderOptions) -> str:
    status = result.status
    assert status is not None
    ledger = status.ledger
    title = ledger.ledger or f"Budget {ledger.financial_year}"
    parts = [f"# {cell(title)}\n", f"Ledger: {cell(result.choice.display)}"]
    if ledger.as_of:
        parts[-1] += f", figures as of {ledger.as_of.isoformat()}"
    parts[-1] += "\n"
    if result.assumed:
        parts.append(f"**What if approved:** {cell(', '.join(result.assumed))}\n")
    if result.uncounted:
        parts.append(f"**{cell(incomplete_note(result.uncounted))}**\n")

    parts.append("## Income\n")
    body = [
        [cell(line.name), cell(line.kind), format_money(line.amount)]
        for line in ledger.income or ()
    ]
    body.append(["**Total income**", "", f"**{format_money(status.total_income)}**"])
    body.append(["Recurring income", "", format_money(status.recurring_income)])
    parts.append(table(["Income", "Kind", "Amount"], body, "llr"))

    parts.append("## Committed expenditure\n")
    body = [
        [cell(line.name), cell(line.status), cell(line.pillar or ""), format_money(line.amount)]
        for line in ledger.expenditure or ()
    ]
    body.extend(
        [f"*{key.capitalize()}*", "", "", format_money(value)]
        for key, value in status.by_status.items()
    )
    body.append(["**Total committed**", "", "", f"**{format_money(status.total_committed)}**"])
    body.append(["**Remaining**", "", "", f"**{format_money(status.remaining)}**"])
    parts.append(table(["Expenditure", "Status", "Pillar", "Amount"], body, "lllr"))

    parts.append("## Allocation by pillar\n")
    body = [
        [
            cell(p.pillar),
            format_money(p.allocated),
            format_money(p.approved),
            format_money(p.pipeline),
            format_money(p.headroom),
        ]
        for p in status.pillars
    ]
    body.append(["**Total**", f"**{format_money(status.total_allocated)}**", "", "", ""])
    body.append(["Unallocated", format_money(status.unallocated), "", "", ""])
    parts.append(table(["Pillar", "Allocated", "Approved", "Pipeline", "Headroom"], body, "lrrrr"))

    parts.append(findings_section(result.findings, "every published figure adds up"))
    return "\n".join(parts)


def findings_section(findings: Sequence[Finding], none: str) -> str:
    """`## Findings` and their table, or `No findings: <none>.` (budget status and monitor)."""
    if not findings:
        return f"## Findings\n\nNo findings: {none}.\n"
    body = [[f.code, str(f.severity), cell(f.message), cell(f.location)] for f in findings]
    return "## Findings\n\n" + table(["Code", "Severity", "Message", "Where"], body)
