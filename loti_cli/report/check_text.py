"""`loti proposal check` for a person: findings as `path:line:column: CODE message`, by file."""

from __future__ import annotations

from rich.text import Text

from loti_cli.core.findings import Finding, Severity, one_line
from loti_cli.pipeline.check import CheckResult, ProposalResult, Summary
from loti_cli.report import RenderOptions
from loti_cli.report.console import recording_console


def summary_line(summary: Summary) -> str:
    """`3 checked, 1 passed, 2 failed, 1 waived` (waived counts findings, not files)."""
    return (
        f"{summary.proposals} checked, {summary.passed} passed, "
        f"{summary.failed} failed, {summary.waived} waived"
    )


def finding_text(finding: Finding) -> str:
    """`path:line:column: CODE message`, with `(waived: reason)` for a waived finding."""
    text = f"{one_line(finding.location)}: {finding.code} {one_line(finding.message)}"
    if finding.waived:
        text += f" (waived: {one_line(finding.waiver_reason or 'no reason given')})"
    return text


def heading(item: ProposalResult, *, strict: bool) -> str:
    """`CR-02 Title: failed`, or the path when the file could not be read."""
    proposal = item.proposal
    name = " ".join(part for part in (proposal.id, proposal.title) if part) if proposal else ""
    verdict = "passed" if item.passed(strict=strict) else "failed"
    return f"{one_line(name or item.path)}: {verdict}"


def _styled(finding: Finding) -> Text:
    style = "bold red" if finding.severity is Severity.ERROR else "yellow"
    if finding.waived:
        style = "cyan"
    text = Text(f"{one_line(finding.location)}: ")
    text.append(finding.code, style=style)
    text.append(f" {one_line(finding.message)}")
    if finding.waived:
        text.append(
            f" (waived: {one_line(finding.waiver_reason or 'no reason given')})", style="cyan"
        )
    return text


def render(result: CheckResult, options: RenderOptions) -> str:
    if not options.color:
        return _plain(result)
    console, buffer = recording_console(options)
    for item in result.results:
        if not item.findings:
            continue
        passed = item.passed(strict=result.strict)
        console.print(
            Text(heading(item, strict=result.strict), style="bold" if passed else "bold red"),
            soft_wrap=True,
        )
        for finding in item.findings:
            # soft_wrap: never fold a long line, so editors and grep see it whole.
            console.print(_styled(finding), soft_wrap=True)
        console.print()
    summary = result.summary()
    style = "bold red" if summary.failed else ("yellow" if summary.warnings else "bold green")
    console.print(Text(summary_line(summary), style=style), soft_wrap=True)
    return buffer.getvalue()


def _plain(result: CheckResult) -> str:
    """The same lines without colour, joined directly: a large portfolio prints fast."""
    lines: list[str] = []
    for item in result.results:
        if item.findings:
            lines.append(heading(item, strict=result.strict))
            lines.extend(finding_text(finding) for finding in item.findings)
            lines.append("")
    lines.append(summary_line(result.summary()))
    return "\n".join(lines) + "\n"
