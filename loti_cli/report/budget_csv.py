"""`loti budget status --format csv`: one row per line of the budget, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from loti_cli.core.findings import one_line
from loti_cli.core.money import to_json
from loti_cli.pipeline.status import StatusResult
from loti_cli.report import RenderOptions
from loti_cli.report.budget_rows import rows

HEADER = ("section", "name", "category", "pillar", "amount")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def inert(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading `'` before =, +, -, @, tab or CR."""
    return f"'{cell}" if cell.startswith(_FORMULA_START) else cell


def render(result: StatusResult, options: RenderOptions) -> str:
    assert result.status is not None
    out = io.StringIO()
    # RFC 4180 line ends: with "\n" alone, the csv module leaves a cell holding a bare "\r"
    # unquoted, and a spreadsheet starts a new row there (and runs a formula after it).
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    # First, so that no one reads the figures below as complete: the files they leave out.
    for finding in result.uncounted:
        writer.writerow(["finding", inert(one_line(str(finding))), str(finding.severity), "", ""])
    for section, name, category, pillar, amount in rows(result.status):
        # The amount is ours (-?digits.dd), not text from a file: a negative one stays a number.
        text = (inert(cell) for cell in (section, name, category, pillar))
        writer.writerow([*text, to_json(amount)])
    return out.getvalue()
