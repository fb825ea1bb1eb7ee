"""A call's bids ranked by the panel's scores and funded in rank order within their lot and the
pillar's headroom: a recommendation to the panel; pure."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from loti_cli.core.findings import Finding, sort_key
from loti_cli.core.money import ZERO, Money, format_money
from loti_cli.io.scores_file import Score, ScoreSheet
from loti_cli.pipeline.calls import Bid, CallSetup
from loti_cli.rules.base import Rule
from loti_cli.rules.context import id_key
from loti_cli.rules.sc_scores import SC2, SC3, BidScores, ScoresContext

CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class RankRow:
    """One bid's line of the ranking. `rank` and `score` are None for a bid no scorer scored."""

    rank: int | None
    bid: Bid
    score: Decimal | None
    scorers: int
    """How many scorers' scores count (after exclusions)."""
    excluded: tuple[str, ...]
    """The scorers left out for a conflict of interest: boroughs that lead, deliver or
    support the bid, among those who score the call."""
    running_total: Money
    """What the funded bids so far, this one included, request."""
    left: Money
    """What remains in the bid's lot (or the call) after this row."""
    funded: bool
    reason: str = ""
    """Why a bid is not funded: `not scored`, `£25,000 left in lot`, `£0 of headroom left`."""


@dataclass(slots=True)
class Ranking:
    """A call's ranking, with the findings about the call, its bids and the scores."""

    setup: CallSetup
    scores_path: str
    rows: list[RankRow]
    findings: list[Finding]

    @property
    def funded(self) -> list[RankRow]:
        return [row for row in self.rows if row.funded]

    @property
    def funded_total(self) -> Money:
        return self.rows[-1].running_total if self.rows else ZERO

    @property
    def cut(self) -> int:
        """How many rows are above the cut line: up to and including the last funded one."""
        return max((index + 1 for index, row in enumerate(self.rows) if row.funded), default=0)


def half_up(value: Fraction) -> Decimal:
    """`value` to two decimals, halves rounded up (away from zero), computed exactly."""
    hundredths = value * 100
    sign = -1 if hundredths < 0 else 1
    whole = (abs(hundredths.numerator) * 2 + hundredths.denominator) // (2 * hundredths.denominator)
    return (Decimal(sign * whole) * CENT).quantize(CENT)


def weighted_score(
    scores: Iterable[Score], weights: Sequence[tuple[str, Decimal]]
) -> Decimal | None:
    """The weighted mean over criteria of the mean over scorers, to two decimals (half up);
    criteria no one scored are left out, and None when no criterion was scored."""
    by_criterion: dict[str, list[int]] = defaultdict(list)
    for score in scores:
        by_criterion[score.criterion].append(score.score)
    total = Fraction(0)
    weight_sum = Fraction(0)
    for criterion, weight in weights:
        given = by_criterion.get(criterion)
        if not given:
            continue
        share = Fraction(weight)
        total += share * Fraction(sum(given), len(given))
        weight_sum += share
    if not weight_sum:
        return None
    return half_up(total / weight_sum)


def rank_call(setup: CallSetup, sheet: ScoreSheet) -> Ranking:
    """Rank the call's submitted bids by their scores, fund them in rank order, and find what
    the panel should know (SC1 from the sheet, SC2 and SC3 from the scores that count)."""
    weights = [(criterion.id, criterion.weight) for criterion in setup.criteria]
    bids = setup.ranked
    counted: dict[str, list[Score]] = {id_key(bid.id): [] for bid in bids}
    for score in sheet.scores:
        bucket = counted.get(id_key(score.proposal))
        if bucket is not None:
            bucket.append(score)
    scored: list[tuple[Bid, Decimal | None, int, tuple[str, ...]]] = []
    summaries: list[BidScores] = []
    for bid in bids:
        # the panel's boroughs with a part in the bid, each once (a bid may name one twice)
        excluded = tuple(
            dict.fromkeys(sheet.scorers[b.gss] for b in bid.boroughs if b.gss in sheet.scorers)
        )
        kept = [s for s in counted[id_key(bid.id)] if bid.conflict(s.scorer) is None]
        scorers = {s.scorer for s in kept}
        scored.append((bid, weighted_score(kept, weights), len(scorers), excluded))
        roles = tuple(
            dict.fromkeys(f"{b.name} ({b.role})" for b in bid.boroughs if b.name in excluded)
        )
        summaries.append(_summary(bid, counted[id_key(bid.id)], kept, sheet, roles))
    rows = _fund(scored, setup)
    context = ScoresContext(tuple(c for c, _ in weights), tuple(summaries))
    findings = [*setup.findings, *sheet.findings]
    for rule in (SC2, SC3):
        findings.extend(_place(sheet.path, rule, context))
    return Ranking(setup, sheet.path, rows, sorted(findings, key=sort_key))


def _place(path: str, rule: Rule[ScoresContext], context: ScoresContext) -> list[Finding]:
    """A scores rule's hits as findings; a hit's `loc` is (line, column) in the file."""
    assert rule.check is not None
    found: list[Finding] = []
    for hit in rule.check(context):
        line, column = (*hit.loc, None, None)[:2]
        found.append(
            Finding(
                rule.code,
                rule.name,
                hit.severity or rule.severity,
                hit.message,
                path,
                line if isinstance(line, int) else None,
                column if isinstance(column, int) else None,
            )
        )
    return found


def _summary(
    bid: Bid, every: list[Score], kept: list[Score], sheet: ScoreSheet, excluded: tuple[str, ...]
) -> BidScores:
    """What the scores rules read of one bid: every row's first line, and the kept rows."""
    by_scorer: dict[str, dict[str, int]] = {}
    for score in sorted(kept, key=lambda s: s.line):
        by_scorer.setdefault(sheet.scorers.get(score.scorer, score.scorer), {})[score.criterion] = (
            score.line
        )
    first = min((score.line for score in every), default=None)
    return BidScores(bid.id, excluded, by_scorer, first)


def _order(item: tuple[Bid, Decimal | None, int, tuple[str, ...]]) -> tuple[object, ...]:
    bid, score, _, _ = item
    requested = bid.requested.amount if bid.requested is not None else Decimal("Infinity")
    return (score is None, -(score or Decimal(0)), requested, id_key(bid.id))


def _fund(
    scored: list[tuple[Bid, Decimal | None, int, tuple[str, ...]]], setup: CallSetup
) -> list[RankRow]:
    """Take the bids in rank order: fund each whose request fits what is left in its lot
    (or the call) and in the pillar's headroom; otherwise it does not fit, and the next is
    tried."""
    left = setup.lots()
    headroom = setup.headroom
    running = ZERO
    rows: list[RankRow] = []
    for place, (bid, score, scorers, excluded) in enumerate(sorted(scored, key=_order), start=1):
        key = bid.lot if setup.call.lots else None
        lot_left = left.get(key, ZERO)
        reason = _unfit(bid, score, key in left, lot_left, headroom)
        if not reason:
            asked = bid.requested
            assert asked is not None
            lot_left -= asked
            headroom -= asked
            running += asked
            left[key] = lot_left
        rank = place if score is not None else None
        row = RankRow(rank, bid, score, scorers, excluded, running, lot_left, not reason, reason)
        rows.append(row)
    return rows


def _unfit(
    bid: Bid, score: Decimal | None, known_lot: bool, lot_left: Money, headroom: Money
) -> str:
    """Why the bid cannot be funded here, or the empty string when it fits."""
    asked = bid.requested
    if score is None:
        return "not scored"
    if asked is None or asked <= ZERO:
        return "no amount requested"
    if not known_lot:
        return "not in a lot of the call"
    if asked > lot_left:
        return f"{format_money(lot_left)} left in lot"
    if asked > headroom:
        return f"{format_money(headroom)} of headroom left"
    return ""
