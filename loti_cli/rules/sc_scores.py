"""SC1, SC2, SC3: the panel's scores file, its cells, and enough scorers for each bid."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from loti_cli.core.findings import Hit, Severity
from loti_cli.core.suggest import one_of
from loti_cli.rules.base import Rule

MIN_SCORERS = 3
"""At least this many scorers should score each bid once conflicts are excluded."""


@dataclass(frozen=True, slots=True)
class BidScores:
    """A bid's scores that count (conflicts excluded), by scorer, with their lines."""

    id: str
    excluded: tuple[str, ...]
    """Scorers left out for a conflict of interest, with their role: `Camden (lead)`."""
    by_scorer: Mapping[str, Mapping[str, int]]
    """Scorer's name -> criterion id -> the line of that score in the file."""
    first_line: int | None = None
    """The bid's first row in the file, whoever scored it (None when it has none)."""


@dataclass(frozen=True, slots=True)
class ScoresContext:
    """What the scores rules read: the criteria, and each submitted bid's scores that count.
    A hit's `loc` is (line, column) in the scores file."""

    criteria: tuple[str, ...]
    bids: tuple[BidScores, ...]


def _missing_score(context: ScoresContext) -> Iterable[Hit]:
    wanted = context.criteria
    for bid in context.bids:
        for scorer, scored in bid.by_scorer.items():
            if len(scored) >= len(wanted):
                continue
            missing = [criterion for criterion in wanted if criterion not in scored]
            yield Hit(
                f"{scorer} scored {bid.id} on {len(scored)} of {len(wanted)} criteria (not "
                f"{one_of(missing)}); add the missing scores, or remove {scorer}'s scores of "
                f"{bid.id}",
                (min(scored.values()), 1),
            )


def _too_few_scorers(context: ScoresContext) -> Iterable[Hit]:
    for bid in context.bids:
        count = len(bid.by_scorer)
        if count >= MIN_SCORERS:
            continue
        who = f"{count} scorer{'s' if count != 1 else ''}"
        why = f" once {_all_of(bid.excluded)} {_be(bid.excluded)} excluded" if bid.excluded else ""
        yield Hit(
            f"{bid.id} is scored by {who}{why}; at least {MIN_SCORERS} should score each bid, "
            "so ask another member borough to score it",
            (bid.first_line, 1) if bid.first_line is not None else (),
        )


def _all_of(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _be(names: tuple[str, ...]) -> str:
    return "is" if len(names) == 1 else "are"


_HEADER = "proposal,scorer,criterion,score,comment\n"


def _rows(scorer: str, bid: str = "CIF-05") -> str:
    return "".join(
        f"{bid},{scorer},{criterion},{score},\n"
        for criterion, score in zip(
            ("matters", "expertise", "power", "collaboration", "affordable"), "43454", strict=True
        )
    )


SC1: Rule[ScoresContext] = Rule(
    code="SC1",
    name="invalid-score",
    severity=Severity.ERROR,
    summary="a score is not a whole number from 0 to 5, or names an unknown proposal, "
    "criterion or scorer",
    explanation=(
        "Each row of the scores file (`proposal,scorer,criterion,score,comment`) gives one "
        "scorer's score of one bid on one criterion: `proposal` is the id of a bid in the "
        "call, `scorer` a member borough of the ledger's year (by name, a common short form "
        "or its GSS code), `criterion` the id of one of the ledger's `criteria` (slide 10's "
        'prioritisation criteria: "the work matters", "it plays to our expertise"...), and '
        "`score` a whole number from 0 to 5. A score given twice is an error too. Each bad "
        "cell is reported at its line and column, every one in one run, and its row does not "
        "count; the ranking is still shown, and the command exits 1. Correct the cell."
    ),
    passing=_HEADER
    + "CIF-05,Camden,matters,4,Reuses the booking pattern of the testing sites\n"
    + "CIF-05,E09000012,matters,3,\n"
    + "CIF-05,Royal Borough of Greenwich,matters,5,",
    failing=_HEADER
    + "CIF-05,Camden,matters,6,   # SC1: score '6' is not a whole number from 0 to 5",
    check=None,
    waivable=False,
    subject="scores",
)

SC2: Rule[ScoresContext] = Rule(
    code="SC2",
    name="missing-score",
    severity=Severity.WARNING,
    summary="a scorer scored some criteria of a proposal but not all",
    explanation=(
        "A scorer who scores a bid scores it on every criterion in the ledger's `criteria` "
        '(slide 10: "the work matters", "it plays to our expertise", "we have power to make '
        'progress", "clear added value from collaboration", "compatible with the financial '
        'reality our members face"). A partial sheet still counts, criterion by criterion, '
        "but the bid's score then leans on the other scorers for what this one left out. "
        "Add the missing scores, or remove the scorer's scores of that bid."
    ),
    passing=_HEADER + _rows("Camden").rstrip("\n"),
    failing=_HEADER
    + "CIF-05,Camden,matters,4,   # SC2: Camden scored CIF-05 on 2 of 5 criteria (not power, "
    "collaboration or affordable)\nCIF-05,Camden,expertise,3,",
    check=_missing_score,
    waivable=False,
    subject="scores",
)

SC3: Rule[ScoresContext] = Rule(
    code="SC3",
    name="too-few-scorers",
    severity=Severity.WARNING,
    summary="fewer than 3 scorers remain for a proposal after conflict-of-interest exclusions",
    explanation=(
        "The scorers are member boroughs, and a borough never scores a bid it leads, delivers "
        "or supports: its scores of that bid are dropped, and the ranking names it. A bid "
        "left with fewer than three scorers has a score that rests on one or two views, so "
        'the panel should know before it compares it with the others (slide 10: "how we '
        'decide what to work on"). Ask another member borough with no part in the bid to '
        "score it."
    ),
    passing=_HEADER + (_rows("Barnet") + _rows("Ealing") + _rows("Hackney")).rstrip("\n"),
    failing=_HEADER
    + "CIF-06,Camden,matters,5,   # SC3: CIF-06 is scored by 1 scorer once Camden (supporter) "
    "is excluded\n" + _rows("Hackney", "CIF-06").rstrip("\n"),
    check=_too_few_scorers,
    waivable=False,
    subject="scores",
)

SCORE_RULES: tuple[Rule[ScoresContext], ...] = (SC1, SC2, SC3)
"""The rules of a call's scores file, which `loti proposal rank` reports."""
