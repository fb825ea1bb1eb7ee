"""The ranking itself, pure: scores exact to two decimals, conflicts left out, ties broken by
fewer pounds then id, and funding in rank order within the lot and the pillar's headroom."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from loti_cli.core.model import Call, Criterion, Ledger
from loti_cli.core.money import ZERO, Money, total
from loti_cli.io.resolve import LedgerChoice
from loti_cli.io.scores_file import Score, ScoreSheet
from loti_cli.pipeline.calls import Bid, CallSetup, Involved
from loti_cli.pipeline.ranking import half_up, rank_call, weighted_score

CAMDEN, HACKNEY, BARNET, EALING = "E09000007", "E09000012", "E09000003", "E09000009"
NAMES = {CAMDEN: "Camden", HACKNEY: "Hackney", BARNET: "Barnet", EALING: "Ealing"}
CRITERIA = (
    Criterion(id="matters", name="The work matters", weight=Decimal(2)),
    Criterion(id="expertise", name="It plays to our expertise"),
)


def call(lots: dict[str, int] | None = None, amount: int = 100000) -> Call:
    data: dict[str, Any] = {"name": "Fund", "pillar": "Covid Recovery", "amount": amount}
    if lots:
        data["lots"] = [{"name": name, "amount": value} for name, value in lots.items()]
    return Call.model_validate(data)


def bid(ident: str, requested: int, lot: str | None = None, *roles: tuple[str, str]) -> Bid:
    involved = tuple(Involved(gss, NAMES[gss], role) for gss, role in roles)
    return Bid(ident, f"Bid {ident}", f"{ident}.yaml", "submitted", lot, Money(requested), involved)


def setup(bids: list[Bid], the_call: Call, headroom: int) -> CallSetup:
    ledger = Ledger.model_validate({"financial_year": "2020-21"})
    return CallSetup(
        LedgerChoice(Path("l.yaml"), "--ledger"),
        ledger,
        the_call,
        CRITERIA,
        dict(NAMES),
        bids,
        Money(headroom),
    )


def sheet(*rows: tuple[str, str, str, int]) -> ScoreSheet:
    scores = [Score(p, s, c, v, line) for line, (p, s, c, v) in enumerate(rows, start=2)]
    return ScoreSheet("scores.csv", scores, [], {s: NAMES[s] for _, s, _, _ in rows})


def both(ident: str, scorer: str, matters: int, expertise: int) -> list[tuple[str, str, str, int]]:
    return [(ident, scorer, "matters", matters), (ident, scorer, "expertise", expertise)]


def test_half_up_rounds_halves_away_from_zero_exactly() -> None:
    assert half_up(Fraction(1, 8)) == Decimal("0.13")  # 0.125
    assert half_up(Fraction(25, 1000)) == Decimal("0.03")
    assert half_up(Fraction(10, 3)) == Decimal("3.33")
    assert half_up(Fraction(11, 3)) == Decimal("3.67")
    assert half_up(Fraction(4)) == Decimal("4.00")
    assert str(half_up(Fraction(4))) == "4.00"


def test_weighted_mean_over_criteria_of_the_mean_over_scorers() -> None:
    scores = [
        Score("A", CAMDEN, "matters", 5, 2),
        Score("A", HACKNEY, "matters", 4, 3),  # matters: 4.5, weight 2
        Score("A", CAMDEN, "expertise", 2, 4),
        Score("A", HACKNEY, "expertise", 3, 5),
        Score("A", BARNET, "expertise", 3, 6),  # expertise: 8/3, weight 1
    ]
    weights = [(c.id, c.weight) for c in CRITERIA]
    # (2 * 9/2 + 8/3) / 3 = 35/9 = 3.888...
    assert weighted_score(scores, weights) == Decimal("3.89")
    assert weighted_score([], weights) is None


def test_a_conflicted_scorer_is_left_out_and_named() -> None:
    bids = [bid("A", 10000, None, (CAMDEN, "lead"), (HACKNEY, "supporter"))]
    scores = sheet(*both("A", CAMDEN, 5, 5), *both("A", HACKNEY, 5, 5), *both("A", BARNET, 1, 1))
    ranking = rank_call(setup(bids, call(), 100000), scores)
    (row,) = ranking.rows
    assert row.excluded == ("Camden", "Hackney")
    assert row.scorers == 1
    assert row.score == Decimal("1.00")  # only Barnet's scores count
    sc3 = [f for f in ranking.findings if f.code == "SC3"]
    assert [f.message for f in sc3] == [
        "A is scored by 1 scorer once Camden (lead) and Hackney (supporter) are excluded; at "
        "least 3 should score each bid, so ask another member borough to score it"
    ]
    assert (sc3[0].line, sc3[0].column) == (2, 1)


def test_a_conflicted_borough_on_the_panel_is_named_even_without_scores() -> None:
    bids = [bid("A", 10000, None, (CAMDEN, "delivery")), bid("B", 10000)]
    scores = sheet(*both("A", HACKNEY, 3, 3), *both("B", CAMDEN, 3, 3))
    rows = {row.bid.id: row for row in rank_call(setup(bids, call(), 100000), scores).rows}
    assert rows["A"].excluded == ("Camden",)
    assert rows["B"].excluded == ()


def test_ties_go_to_fewer_pounds_then_to_the_lower_id() -> None:
    bids = [bid("C", 30000), bid("B", 20000), bid("A", 30000), bid("D", 10000)]
    rows = [row for ident in "ABCD" for row in both(ident, CAMDEN, 3, 3)]
    rows[-2:] = both("D", CAMDEN, 2, 2)  # D asks least but scores lower
    ranking = rank_call(setup(bids, call(), 100000), sheet(*rows))
    assert [(r.rank, r.bid.id, str(r.score)) for r in ranking.rows] == [
        (1, "B", "3.00"),
        (2, "A", "3.00"),
        (3, "C", "3.00"),
        (4, "D", "2.00"),
    ]


def test_a_bid_that_does_not_fit_its_lot_is_passed_over_for_the_next() -> None:
    bids = [bid("A", 50000, "data"), bid("B", 40000, "data"), bid("C", 20000, "data")]
    bids.append(bid("D", 30000, "digital"))
    rows = [*both("A", CAMDEN, 5, 5), *both("B", CAMDEN, 4, 4), *both("C", CAMDEN, 3, 3)]
    rows += both("D", CAMDEN, 2, 2)
    the_call = call({"data": 75000, "digital": 25000}, amount=100000)
    ranking = rank_call(setup(bids, the_call, 200000), sheet(*rows))
    shown = [
        (r.bid.id, r.funded, str(r.running_total), str(r.left), r.reason) for r in ranking.rows
    ]
    assert shown == [
        ("A", True, "£50,000", "£25,000", ""),
        ("B", False, "£50,000", "£25,000", "£25,000 left in lot"),
        ("C", True, "£70,000", "£5,000", ""),
        ("D", False, "£70,000", "£25,000", "£25,000 left in lot"),
    ]
    assert ranking.cut == 3
    assert ranking.funded_total == Money(70000)


def test_the_pillars_headroom_caps_the_funding_across_lots() -> None:
    bids = [bid("A", 30000, "data"), bid("B", 40000, "digital"), bid("C", 25000, "digital")]
    rows = [*both("A", CAMDEN, 5, 5), *both("B", CAMDEN, 4, 4), *both("C", CAMDEN, 3, 3)]
    the_call = call({"data": 75000, "digital": 75000}, amount=150000)
    ranking = rank_call(setup(bids, the_call, 55000), sheet(*rows))
    assert [(r.bid.id, r.funded, r.reason) for r in ranking.rows] == [
        ("A", True, ""),
        ("B", False, "£25,000 of headroom left"),
        ("C", True, ""),
    ]


def test_an_unscored_bid_is_listed_last_unranked_and_not_funded() -> None:
    bids = [bid("A", 10000), bid("B", 10000)]
    ranking = rank_call(setup(bids, call(), 100000), sheet(*both("B", CAMDEN, 1, 1)))
    assert [(r.rank, r.bid.id, r.score, r.funded, r.reason) for r in ranking.rows] == [
        (1, "B", Decimal("1.00"), True, ""),
        (None, "A", None, False, "not scored"),
    ]
    assert any(f.code == "SC3" and f.line is None for f in ranking.findings)


def test_a_partial_sheet_is_sc2_at_the_scorers_first_row() -> None:
    rows = [("A", CAMDEN, "expertise", 3), *both("A", HACKNEY, 4, 4), *both("A", BARNET, 4, 4)]
    ranking = rank_call(setup([bid("A", 1000)], call(), 100000), sheet(*rows))
    (sc2,) = [f for f in ranking.findings if f.code == "SC2"]
    assert (sc2.severity, sc2.line, sc2.column) == ("warning", 2, 1)
    assert sc2.message.startswith("Camden scored A on 1 of 2 criteria (not matters)")
    # the partial score still counts for its criterion: matters 4, expertise (3+4+4)/3
    assert rank_call(setup([bid("A", 1000)], call(), 1), sheet(*rows)).rows[0].score == Decimal(
        "3.89"
    )


# ---------------------------------------------------------------------------
# properties

LOTS = ("data", "digital")


@st.composite
def scenarios(draw: st.DrawFn) -> tuple[CallSetup, ScoreSheet]:
    lots = {lot: draw(st.integers(0, 100)) * 1000 for lot in LOTS}
    the_call = call(lots, amount=sum(lots.values()))
    count = draw(st.integers(1, 8))
    bids = [
        bid(f"B{n}", draw(st.integers(1, 60)) * 500, draw(st.sampled_from(LOTS)))
        for n in range(count)
    ]
    rows: list[tuple[str, str, str, int]] = []
    for item in bids:
        for scorer in draw(st.lists(st.sampled_from(list(NAMES)), unique=True, max_size=4)):
            for criterion in ("matters", "expertise"):
                if draw(st.booleans()) or criterion == "matters":
                    rows.append((item.id, scorer, criterion, draw(st.integers(0, 5))))
    headroom = draw(st.integers(0, 200)) * 1000
    return setup(bids, the_call, headroom), sheet(*rows)


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_funding_never_exceeds_a_lot_or_the_headroom(
    scenario: tuple[CallSetup, ScoreSheet],
) -> None:
    the_setup, scores = scenario
    ranking = rank_call(the_setup, scores)
    funded = ranking.funded
    assert total(r.bid.requested or ZERO for r in funded) <= the_setup.headroom
    assert ranking.funded_total == total(r.bid.requested or ZERO for r in funded)
    for lot in the_setup.call.lots:
        taken = total(r.bid.requested or ZERO for r in funded if r.bid.lot == lot.name)
        assert taken <= lot.amount
    for row in ranking.rows:
        assert row.left >= ZERO
        if not row.funded and row.score is not None:
            # it did not fit: what was left in its lot or the headroom was less than its ask
            assert row.reason


@settings(max_examples=150, deadline=None)
@given(scenarios())
def test_scores_are_exact_means_rounded_half_up(scenario: tuple[CallSetup, ScoreSheet]) -> None:
    the_setup, scores = scenario
    for row in rank_call(the_setup, scores).rows:
        kept = [s for s in scores.scores if s.proposal == row.bid.id]
        means: dict[str, Fraction] = {}
        for criterion in ("matters", "expertise"):
            given_ = [Fraction(s.score) for s in kept if s.criterion == criterion]
            if given_:
                means[criterion] = sum(given_, Fraction(0)) / len(given_)
        if not means:
            assert row.score is None
            continue
        weights = {"matters": Fraction(2), "expertise": Fraction(1)}
        exact = sum((weights[c] * m for c, m in means.items()), Fraction(0)) / sum(
            weights[c] for c in means
        )
        assert row.score is not None and row.score == row.score.quantize(Decimal("0.01"))
        # half up: the exact value is within half a hundredth, and a half goes up
        assert -Fraction(1, 200) < Fraction(row.score) - exact <= Fraction(1, 200)
