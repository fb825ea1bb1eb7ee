"""The compiled matcher picks what the rules file says: the first rule whose every key matches."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from loti_cli.io.import_rules import Condition, MatchRule
from loti_cli.pipeline.matcher import Matcher

COLUMNS = {"cost_centre": 0, "supplier": 1, "description": 2}
VALUES = ["41710", "41830", "Acme", "acme ltd", "CR-01 x", "x CR-01", ""]


def condition(column: str, text: str) -> Condition:
    pattern = re.compile(text) if set(".^$*+?{}[]\\|()") & set(text) else None
    return Condition(column, text, pattern)


conditions = st.builds(
    condition,
    st.sampled_from(sorted(COLUMNS)),
    st.sampled_from(["41710", "41830", "Acme", "(?i)^acme", "^CR-01", "CR-01", "x$"]),
)
rules = st.lists(
    st.builds(
        lambda conds, number: MatchRule(tuple(conds), f"line {number}", "", (1, 1)),
        st.lists(conditions, min_size=1, max_size=3),
        st.integers(0, 99),
    ),
    max_size=8,
)
rows = st.tuples(*(st.sampled_from([v, f"  {v} "]) for v in ("41710", "Acme", "CR-01 x")))


def naive(found: list[MatchRule], row: tuple[str, ...]) -> tuple[str, str]:
    for rule in found:
        if all(c.matches(row[COLUMNS[c.column]]) for c in rule.conditions):
            return rule.line, rule.proposal
    return "", ""


@settings(deadline=None)
@given(rules, st.tuples(*(st.sampled_from(VALUES) for _ in COLUMNS)))
def test_the_matcher_agrees_with_the_rules_read_in_order(
    found: list[MatchRule], row: tuple[str, ...]
) -> None:
    assert Matcher(tuple(found), COLUMNS).match(row) == naive(found, row)


@settings(deadline=None)
@given(rules, rows)
def test_spaces_around_a_cell_do_not_matter(found: list[MatchRule], row: tuple[str, ...]) -> None:
    trimmed = tuple(cell.strip() for cell in row)
    matcher = Matcher(tuple(found), COLUMNS)
    assert matcher.match(row) == matcher.match(trimmed) == naive(found, trimmed)


def test_two_equalities_on_two_columns_must_both_hold() -> None:
    both = MatchRule(
        (condition("cost_centre", "41830"), condition("supplier", "Acme")), "both", "", (1, 1)
    )
    either = MatchRule((condition("supplier", "Acme"),), "", "CR-01", (1, 1))
    matcher = Matcher((both, either), COLUMNS)
    assert matcher.match(("41830", "Acme", "")) == ("both", "")
    assert matcher.match(("41710", "Acme", "")) == ("", "CR-01")
    assert matcher.match(("41830", "Other", "")) == ("", "")
