"""`loti proposal rank --format json`: the panel scoring contract's document, version 1."""

from __future__ import annotations

from typing import Any

from loti_cli.pipeline.ranking import Ranking, RankRow
from loti_cli.report import RenderOptions
from loti_cli.report.jsonout import VERSION, dump, finding, money


def _row(row: RankRow) -> dict[str, Any]:
    bid = row.bid
    return {
        "rank": row.rank,
        "id": bid.id,
        "title": bid.title,
        "lot": bid.lot,
        "score": f"{row.score:.2f}" if row.score is not None else None,
        "scorers": row.scorers,
        "excluded": list(row.excluded),
        "requested": money(bid.requested) if bid.requested is not None else None,
        "running_total": money(row.running_total),
        "left": money(row.left),
        "funded": row.funded,
    }


def render(result: Ranking, options: RenderOptions) -> str:
    ranking = result
    document: dict[str, Any] = {
        "version": VERSION,
        "ledger": ranking.setup.choice.display,
        "call": ranking.setup.call.name,
        "ranking": [_row(row) for row in ranking.rows],
        "findings": [finding(item) for item in ranking.findings],
    }
    return dump(document)
