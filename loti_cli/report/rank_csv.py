"""`loti proposal rank --format csv`: one row per bid in rank order, safe in a spreadsheet."""

from __future__ import annotations

import csv
import io

from loti_cli.core.findings import one_line
from loti_cli.core.money import to_json
from loti_cli.pipeline.ranking import Ranking
from loti_cli.report import RenderOptions
from loti_cli.report.budget_csv import inert

HEADER = (
    "rank",
    "id",
    "title",
    "lot",
    "score",
    "scorers",
    "excluded",
    "requested",
    "running_total",
    "left",
    "funded",
)


def render(result: Ranking, options: RenderOptions) -> str:
    ranking = result
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180, as budget status writes it
    writer.writerow(HEADER)
    for row in ranking.rows:
        bid = row.bid
        text = (inert(one_line(cell)) for cell in (bid.id, bid.title, bid.lot or ""))
        ident, title, lot = text
        writer.writerow(
            [
                row.rank if row.rank is not None else "",
                ident,
                title,
                lot,
                f"{row.score:.2f}" if row.score is not None else "",
                row.scorers,
                "; ".join(row.excluded),
                to_json(bid.requested) if bid.requested is not None else "",
                to_json(row.running_total),
                to_json(row.left),
                "true" if row.funded else "false",
            ]
        )
    return out.getvalue()
