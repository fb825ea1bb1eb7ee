"""What every ranking format says, in words: the call, the headroom, each row's outcome, the cut."""

from __future__ import annotations

from loti_cli.core.money import format_money
from loti_cli.pipeline.ranking import Ranking, RankRow

RECOMMENDATION = (
    "This ranking is a recommendation to the panel: record each decision with "
    "loti proposal decide FILE --approve or --reject --panel DATE."
)


def outcome(row: RankRow) -> str:
    """`funded`, or `does not fit (lot left £25,000)`, or `not scored`."""
    if row.funded:
        return "funded"
    if row.reason in ("not scored", "no amount requested"):
        return row.reason
    return f"does not fit: {row.reason}" if row.reason else "does not fit"


def call_line(ranking: Ranking) -> str:
    """`£150,000 of Covid Recovery (data £75,000, digital £75,000); closes 2021-01-29`."""
    call = ranking.setup.call
    lots = ", ".join(f"{lot.name} {format_money(lot.amount)}" for lot in call.lots)
    closes = f"; closes {call.closes.isoformat()}" if call.closes else ""
    return f"{format_money(call.amount)} of {call.pillar}" + (f" ({lots})" if lots else "") + closes


def headroom_line(ranking: Ranking) -> str:
    """What the pillar and each lot have before the ranking, as the funding reads them."""
    setup = ranking.setup
    lots = setup.lots()
    parts = ", ".join(
        f"{'lot ' + lot if lot is not None else 'the call'} {format_money(left)}"
        for lot, left in lots.items()
    )
    return (
        f"Before the ranking: {setup.call.pillar} has {format_money(setup.headroom)} of "
        f"headroom; left to fund: {parts}"
    )


def cut_line(ranking: Ranking) -> str:
    """The cut line, in words: how many bids are funded, for how much, of how much."""
    count = len(ranking.funded)
    call = ranking.setup.call
    return (
        f"cut line: {count} bid{'s' if count != 1 else ''} funded for "
        f"{format_money(ranking.funded_total)} of the call's {format_money(call.amount)}"
    )


def conflicts(ranking: Ranking) -> list[tuple[str, str]]:
    """Each bid with scorers left out, and who, with their part in it: (id, `Camden (lead)`)."""
    found: list[tuple[str, str]] = []
    for row in ranking.rows:
        if not row.excluded:
            continue
        roles = {involved.name: involved.role for involved in row.bid.boroughs}
        found.append(
            (row.bid.id, ", ".join(f"{name} ({roles.get(name, 'named')})" for name in row.excluded))
        )
    return found


def score_text(row: RankRow) -> str:
    return f"{row.score:.2f}" if row.score is not None else "-"


def rank_text(row: RankRow) -> str:
    return str(row.rank) if row.rank is not None else "-"
