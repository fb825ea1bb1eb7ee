"""The panel pack's section on a call: its ranking by the panel's scores, in HTML or markdown."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from loti_cli.core.money import format_money
from loti_cli.pipeline.ranking import Ranking, RankRow
from loti_cli.report.mdtext import cell
from loti_cli.report.rank_markdown import after_the_table
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
from loti_cli.report.svg import escape

HEADER = ["Rank", "Bid", "Title", "Lot", "Score", "Scorers", "Requested", "Running total", "Left"]
Table = Callable[..., str]
"""panel_html's table maker: (header, rows, label, *, numeric=..., css=...) -> HTML."""


def _cells(row: RankRow, text: Callable[[object], str]) -> list[str]:
    bid = row.bid
    return [
        rank_text(row),
        text(bid.id),
        text(bid.title),
        text(bid.lot or ""),
        score_text(row),
        str(row.scorers),
        format_money(bid.requested) if bid.requested is not None else "-",
        format_money(row.running_total),
        format_money(row.left),
    ]


def html_section(ranking: Ranking, table: Table) -> str:
    """`<section id="ranking">`: the call, the ranking with each bid's outcome, the cut line."""
    call = ranking.setup.call
    rows: list[Sequence[str]] = []
    for index, row in enumerate(ranking.rows):
        if index == ranking.cut and index:
            rows.append(["", "", f"<strong>{escape(cut_line(ranking))}</strong>", *[""] * 7])
        verdict = "passed" if row.funded else "failed"
        result = f'<span class="result {verdict}">{escape(outcome(row))}</span>'
        rows.append([*_cells(row, lambda value: escape(str(value))), result])
    parts = [
        '<section id="ranking">',
        f"<h2>Ranking: {escape(call.name)}</h2>",
        f'<p class="lead">{escape(call_line(ranking))}. {escape(headroom_line(ranking))}.</p>',
        table(
            [*HEADER, "Recommendation"],
            rows,
            f"Ranking of {call.name}",
            numeric={0, 4, 5, 6, 7, 8},
            css="stack",
        ),
        f"<p>{escape(cut_line(ranking)).capitalize()}.</p>",
        *_html_list("Left out for a conflict of interest", conflicts(ranking)),
        *_html_list("Findings", ((f.location, f"{f.code} {f.message}") for f in ranking.findings)),
        f'<p class="lead">{escape(RECOMMENDATION)}</p>',
        "</section>",
    ]
    return "\n".join(parts)


def _html_list(title: str, items: Iterable[tuple[str, str]]) -> list[str]:
    shown = [f"<li><code>{escape(a)}</code>: {escape(b)}</li>" for a, b in items]
    return [f"<h3>{escape(title)}</h3>", "<ul>", *shown, "</ul>"] if shown else []


def markdown_section(ranking: Ranking) -> str:
    """`## Ranking: NAME`: the same section for a panel paper."""
    from loti_cli.report.mdtext import table

    call = ranking.setup.call
    body = [[*_cells(row, cell), cell(outcome(row))] for row in ranking.rows]
    if 0 < ranking.cut < len(body):
        body.insert(ranking.cut, ["", "", f"**{cell(cut_line(ranking))}**", *[""] * 7])
    lines = [
        f"## Ranking: {cell(call.name)}",
        "",
        f"{cell(call_line(ranking))}. {cell(headroom_line(ranking))}.",
        "",
        table([*HEADER, "Recommendation"], body, "rlllrrrrrl").rstrip("\n"),
        "",
        f"{cell(cut_line(ranking)).capitalize()}.",
    ]
    lines += after_the_table(ranking)
    return "\n".join(lines)
