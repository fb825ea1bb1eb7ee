"""`loti proposal rank` for a person: the ranking as a table, the cut line, conflicts, findings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from loti_cli.core.findings import one_line
from loti_cli.core.money import format_money
from loti_cli.pipeline.ranking import Ranking, RankRow
from loti_cli.report import RenderOptions
from loti_cli.report.budget_table import finding_line
from loti_cli.report.console import recording_console
from loti_cli.report.fitted_table import Column, Row, fitted_table
from loti_cli.report.rank_rows import (
    RECOMMENDATION,
    call_line,
    conflicts,
    cut_line,
    headroom_line,
    outcome,
    rank_text,
    score_text,
)

if TYPE_CHECKING:
    from rich.console import Console

COLUMNS = (
    Column("#"),
    Column("Id"),
    Column("Score", money=True),
    Column("Scorers", money=True),
    Column("Requested", money=True),
    Column("Total", money=True),
    Column("Left", money=True),
    Column("Recommendation"),
    Column("Lot", optional=True),
    Column("Excluded", optional=True),
    Column("Title", optional=True),
)
"""`Total` is the running total of the bids funded so far; `Left` what remains in the bid's
lot (or the call) after its row."""


def _row(row: RankRow) -> Row:
    style = "green" if row.funded else "yellow"
    return (
        rank_text(row),
        one_line(row.bid.id),
        score_text(row),
        str(row.scorers),
        format_money(row.bid.requested) if row.bid.requested is not None else "-",
        format_money(row.running_total),
        format_money(row.left),
        Text(outcome(row), style=style),
        one_line(row.bid.lot or ""),
        one_line(", ".join(row.excluded)),
        one_line(row.bid.title),
    )


def render(result: Ranking, options: RenderOptions) -> str:
    ranking = result
    console, buffer = recording_console(options)
    setup = ranking.setup
    console.print(Text(f"Ranking of {one_line(setup.call.name)}", style="bold"))
    console.print(one_line(call_line(ranking)))
    console.print(f"Ledger: {one_line(setup.choice.description)}")
    console.print(f"Scores: {one_line(ranking.scores_path)}")
    console.print(one_line(headroom_line(ranking)))
    rows = [_row(row) for row in ranking.rows]
    cut = ranking.cut
    sections = [rows[:cut], rows[cut:]] if 0 < cut < len(rows) else [rows]
    console.print()
    table = fitted_table("Ranking", COLUMNS, sections, options.width)
    if table.show_header:
        console.print(table)
    else:  # too narrow for the figures side by side: one bid to a few lines, words wrapped
        _print_list(console, ranking)
    console.print(Text(one_line(cut_line(ranking)) + _after(ranking), style="bold"))
    found = conflicts(ranking)
    if found:
        console.print()
        console.print("Left out for a conflict of interest")
        for ident, who in found:
            console.print(f"  {one_line(ident)}: {one_line(who)}")
    console.print()
    if ranking.findings:
        console.print("Findings")
        for finding in ranking.findings:
            console.print(finding_line(finding), soft_wrap=True)
    errors = sum(1 for f in ranking.findings if f.fails)
    warnings = len(ranking.findings) - errors
    console.print(
        f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning"
        f"{'s' if warnings != 1 else ''}"
    )
    console.print(RECOMMENDATION)
    return buffer.getvalue()


def _print_list(console: Console, ranking: Ranking) -> None:
    console.print(Text("Ranking", style="italic"))
    for index, row in enumerate(ranking.rows):
        if index == ranking.cut and index > 0:
            console.print(Text("-- cut line --", style="bold"))
        bid = row.bid
        lot = f" ({one_line(bid.lot)})" if bid.lot else ""
        head = Text(f"{rank_text(row)}. {one_line(bid.id)}{lot}: ")
        head.append(outcome(row), style="green" if row.funded else "yellow")
        console.print(head)
        asked = format_money(bid.requested) if bid.requested is not None else "-"
        console.print(
            f"   score {score_text(row)}, {row.scorers} scorers; requested {asked}; "
            f"total {format_money(row.running_total)}; {format_money(row.left)} left in lot"
        )


def _after(ranking: Ranking) -> str:
    cut = ranking.cut
    if not cut:
        return ""
    return f", after rank {rank_text(ranking.rows[cut - 1])} ({ranking.rows[cut - 1].bid.id})"
