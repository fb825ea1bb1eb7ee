"""`loti proposal scoresheet`: the empty scores file as CSV, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

from loti_cli.io.scores_file import COLUMNS
from loti_cli.pipeline.scoresheet import SheetRow
from loti_cli.report.budget_csv import inert


def sheet_text(rows: list[SheetRow]) -> str:
    """The header, then the rows, `\\n` line ends. An id a spreadsheet would run as a formula
    (`=...`) is written inert (`'=...`), as the scores file reader takes it back."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(tuple(inert(cell) for cell in row) for row in rows)
    return out.getvalue()
