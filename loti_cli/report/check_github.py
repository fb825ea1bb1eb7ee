"""`loti proposal check --format github`: one GitHub Actions workflow command per finding.

GitHub reads a line that starts with `::` as a command, so every piece of text
that comes from a proposal is escaped the way its runner documents: in the
message `%`, CR and LF; in a property also `:` and `,`. A title or message can
then never end the line and start a command of its own (`::add-mask::`,
`::stop-commands::` and the like). Then every other control, bidi or zero-width
character is shown as an escape (`\\x1b`, `\\u202e`), as in the text format, so
that an annotation can neither drive the terminal of someone reading the log nor
reorder what they see.
"""

from __future__ import annotations

from loti_cli.core.findings import Finding, Severity, visible
from loti_cli.pipeline.check import CheckResult
from loti_cli.report import RenderOptions
from loti_cli.report.check_text import summary_line


def escape_data(text: str) -> str:
    """A message as GitHub's `escapeData`: `%`, CR and LF percent-encoded (`%` first);
    then the characters a terminal would obey or hide shown as escapes."""
    return visible(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    """A property value as GitHub's `escapeProperty`: as data, and `:` and `,` too."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(finding: Finding) -> str:
    """`::error file=PATH,line=L,col=C,title=CODE name::MESSAGE` (notice when waived)."""
    if finding.waived:
        kind = "notice"
    elif finding.severity is Severity.ERROR:
        kind = "error"
    else:
        kind = "warning"
    properties = [f"file={escape_property(finding.path)}"]
    if finding.line is not None:
        properties.append(f"line={finding.line}")
        if finding.column is not None:
            properties.append(f"col={finding.column}")
    properties.append(f"title={escape_property(f'{finding.code} {finding.rule}')}")
    message = finding.message
    if finding.waived:
        message += f" (waived: {finding.waiver_reason or 'no reason given'})"
    return f"::{kind} {','.join(properties)}::{escape_data(message)}"


def render(result: CheckResult, options: RenderOptions) -> str:
    lines = [command(finding) for item in result.results for finding in item.findings]
    # A plain line (not a command) so that the log ends with the totals.
    lines.append(summary_line(result.summary()))
    return "\n".join(lines) + "\n"
