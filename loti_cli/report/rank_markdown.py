"""`loti proposal rank --format markdown`: the ranking ready to paste into a panel paper."""

from __future__ import annotations

from loti_cli.core.money import format_money
from loti_cli.pipeline.ranking import Ranking, RankRow
from loti_cli.report import RenderOptions
from loti_cli.report.mdtext import cell, table
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

HEADER = [
    "Rank",
    "Id",
    "Title",
    "Lot",
    "Score",
    "Scorers",
    "Excluded",
    "Requested",
    "Running total",
    "Left in lot",
    "Recommendation",
]
ALIGN = "rlllrrlrrrl"


def _row(row: RankRow) -> list[str]:
    bid = row.bid
    result = outcome(row)
    return [
        rank_text(row),
        cell(bid.id),
        cell(bid.title),
        cell(bid.lot or ""),
        score_text(row),
        str(row.scorers),
        cell(", ".join(row.excluded)),
        format_money(bid.requested) if bid.requested is not None else "-",
        format_money(row.running_total),
        format_money(row.left),
        f"**{result}**" if row.funded else cell(result),
    ]


def render(result: Ranking, options: RenderOptions) -> str:
    ranking = result
    setup = ranking.setup
    criteria = ", ".join(
        f"{cell(c.name)} ({cell(c.id)}, weight {c.weight.normalize():f})" for c in setup.criteria
    )
    lines = [
        f"## Ranking: {cell(setup.call.name)}",
        "",
        f"{cell(setup.call.name)}: {cell(call_line(ranking))}.",
        "",
        f"Scored 0 to 5 against: {criteria}. A bid's score is the weighted mean over the "
        "criteria of the mean over its scorers; a borough that leads, delivers or supports a "
        "bid does not score it.",
        "",
        f"{cell(headroom_line(ranking))}.",
        "",
        f"Ledger {cell(setup.choice.display)}; scores {cell(ranking.scores_path)}.",
        "",
    ]
    body = [_row(row) for row in ranking.rows]
    cut = ranking.cut
    if 0 < cut < len(body):
        marker = ["", "", f"**{cell(cut_line(ranking))}**", *([""] * (len(HEADER) - 3))]
        body.insert(cut, marker)
    lines.append(table(HEADER, body, ALIGN).rstrip("\n"))
    lines.append("")
    lines.append(f"{cell(cut_line(ranking)).capitalize()}.")
    lines += after_the_table(ranking)
    return "\n".join(lines)


def after_the_table(ranking: Ranking) -> list[str]:
    """What follows a ranking's markdown table: who was left out for a conflict of
    interest, the findings, and that it is a recommendation (here and in the panel pack)."""
    lines: list[str] = []
    found = conflicts(ranking)
    if found:
        lines += ["", "Left out for a conflict of interest:", ""]
        lines += [f"- {cell(ident)}: {cell(who)}" for ident, who in found]
    if ranking.findings:
        lines += ["", "Findings:", ""]
        lines += [f"- {cell(f.location)}: {f.code} {cell(f.message)}" for f in ranking.findings]
    return [*lines, "", f"_{cell(RECOMMENDATION)}_", ""]
