"""What `loti actuals import` says: its one summary line, and the rows a dry run would import."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from loti_cli.core.actuals import Actual
from loti_cli.core.findings import one_line
from loti_cli.pipeline.actuals_import import Imported, total


def pounds(amount: Decimal, sign: str = "£") -> str:
    """`£312,480.15`, `-£80.00`: pounds and pence, as the summary line writes them."""
    return f"{'-' if amount < 0 else ''}{sign}{abs(amount):,.2f}"


def _rows(count: int) -> str:
    return f"{count:,} row{'s' if count != 1 else ''}"


def summary(result: Imported, *, dry_run: bool, sign: str = "£") -> str:
    """`imported 142 rows (£312,480.15): 139 matched, 3 unmatched (£1,240.00); 0 already
    imported`, and what else happened: rows refused, a dry run, nothing new."""
    matched, unmatched = result.matched, result.unmatched
    line = (
        f"{'would import' if dry_run else 'imported'} {_rows(len(result.added))} "
        f"({pounds(total(result.added).amount, sign)}): {len(matched):,} matched, "
        f"{len(unmatched):,} unmatched ({pounds(total(unmatched).amount, sign)}); "
        f"{result.already:,} already imported"
    )
    if result.refused:
        line += f"; {_rows(result.refused)} not imported (errors above)"
    if dry_run:
        line += f"; dry run: {result.actuals} not changed"
    elif not result.written:
        line += f"; nothing new: {result.actuals} not changed"
    return line


HEADERS = ("row", "date", "amount", "line or proposal", "supplier", "description")


def table(rows: Sequence[Actual], sign: str = "£") -> str:
    """The rows as a plain table; text from the export shown on one line, escaped."""
    from tabulate import tabulate

    if not rows:
        return "nothing to import\n"
    cells = [
        (
            row.source_row,
            row.date.isoformat(),
            pounds(row.amount.amount, sign),
            one_line(row.line or (f"proposal {row.proposal}" if row.proposal else "(unmatched)")),
            one_line(row.supplier),
            one_line(row.description),
        )
        for row in rows
    ]
    return (
        tabulate(cells, headers=HEADERS, tablefmt="simple", colalign=("right", "left", "right"))
        + "\n"
    )
