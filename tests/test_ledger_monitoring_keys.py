"""The ledger's monitoring keys: `monitoring` thresholds, and `profile` and `forecast` on a line;
each bad value an LB8 finding at its line and column, all of them in one run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from loti_cli.core.money import Money
from loti_cli.io.load import load_ledger
from tests.test_load_ledger import VALID, edit

LINE = "  - name: Personnel\n    amount: 20000\n    status: estimated\n"
TWELVE = "[" + ", ".join(["1666.66"] * 11 + ["1666.74"]) + "]"


def problems(tmp_path: Path, text: str) -> list[tuple[int | None, int | None, str]]:
    path = tmp_path / "2020-21.yaml"
    path.write_text(text, encoding="utf-8")
    source = load_ledger(path)
    assert all(f.code == "LB8" for f in source.problems)
    return [(f.line, f.column, f.message) for f in source.problems]


def test_the_keys_are_read_when_valid(tmp_path: Path) -> None:
    text = edit(LINE, LINE + f"    profile: {TWELVE}\n    forecast: £21k\n")
    text += "monitoring: {amber: 2.5%, red: 0.2}\n"
    path = tmp_path / "2020-21.yaml"
    path.write_text(text, encoding="utf-8")
    source = load_ledger(path)
    assert source.problems == []
    assert source.model is not None
    (line,) = source.model.expenditure or ()
    assert isinstance(line.profile, tuple) and len(line.profile) == 12
    assert line.profile[11] == Money(Decimal("1666.74"))
    assert line.forecast == Money(21000)
    assert source.model.monitoring is not None
    assert source.model.monitoring.thresholds == (Decimal("0.025"), Decimal("0.2"))


def test_even_is_a_profile_and_no_key_is_even(tmp_path: Path) -> None:
    assert problems(tmp_path, edit(LINE, LINE + "    profile: even\n")) == []
    assert problems(tmp_path, VALID) == []


@pytest.mark.parametrize(
    ("added", "expected"),
    [
        (
            "    profile: [1000, 1000]\n",
            (17, 14, "profile has 2 monthly amounts; a profile has 12, one for each month"),
        ),
        (
            "    profile: " + TWELVE.replace("1666.74", "1666.75") + "\n",
            (
                17,
                14,
                "the profile of 'Personnel' adds up to £20,000.01, £0.01 more than its amount",
            ),
        ),
        (
            "    profile: " + TWELVE.replace("1666.74", "x") + "\n",
            (17, 14, "the amount for March: 'x' is not an amount"),
        ),
        ("    profile: monthly\n", (17, 14, "should be even or a list of 12 monthly amounts")),
        ("    forecast: -5\n", (17, 15, "'-5' is negative")),
    ],
    ids=["too few months", "does not add up", "not an amount", "not even", "negative forecast"],
)
def test_a_bad_line_key_is_placed_at_its_value(
    tmp_path: Path, added: str, expected: tuple[int, int, str]
) -> None:
    ((line, column, message),) = problems(tmp_path, edit(LINE, LINE + added))
    assert (line, column) == expected[:2]
    assert expected[2] in message


@pytest.mark.parametrize(
    ("monitoring", "expected"),
    [
        ("{amber: 15%, red: 10%}", [(20, 21, "monitoring amber 15% is above red 10%")]),
        ("{amber: 15%}", [(20, 21, "amber 15% is above red 10% (the default)")]),
        ("{red: 3%}", [(20, 19, "amber 5% (the default) is above red 3%")]),
        ("{amber: 0%}", [(20, 21, "'0%' is not a threshold; it is more than 0% and at most 100%")]),
        ("{amber: 1.5}", [(20, 21, "'1.5' is not a threshold")]),
        (
            "{amber: five, red: 200%}",
            [
                (20, 21, "'five' is not a threshold; write a percentage such as 5%"),
                (20, 32, "'200%' is not a threshold"),
            ],
        ),
        ("{amber: 5%, blue: 1%}", [(20, 25, "blue")]),
    ],
)
def test_thresholds_are_checked_with_a_clear_message(
    tmp_path: Path, monitoring: str, expected: list[tuple[int, int, str]]
) -> None:
    found = problems(tmp_path, VALID + f"monitoring: {monitoring}\n")
    assert [(line, column) for line, column, _ in found] == [e[:2] for e in expected]
    for (_, _, message), (_, _, fragment) in zip(found, expected, strict=True):
        assert fragment in message


def test_every_problem_is_reported_in_one_run(tmp_path: Path) -> None:
    text = edit(LINE, LINE + "    profile: [1]\n    forecast: lots\n")
    found = problems(tmp_path, text + "monitoring: {amber: 50%, red: 20%}\n")
    assert [(line, column) for line, column, _ in found] == [(17, 14), (18, 15), (22, 21)]


def test_every_bad_month_of_a_profile_is_named_in_one_run(tmp_path: Path) -> None:
    months = TWELVE.replace("1666.66", "x", 1).replace("1666.66", "-5", 1)
    ((line, column, message),) = problems(tmp_path, edit(LINE, LINE + f"    profile: {months}\n"))
    assert (line, column) == (17, 14)
    assert "the amount for April: 'x' is not an amount" in message
    assert "the amount for May: '-5' is negative" in message


def test_a_threshold_written_as_a_bare_percentage_says_how_to_write_it(tmp_path: Path) -> None:
    ((line, column, message),) = problems(tmp_path, VALID + "monitoring: {amber: 5}\n")
    assert (line, column) == (20, 21)
    assert message == (
        "monitoring.amber: '5' is not a threshold; it is more than 0% and at most 100% "
        "(without % it is a fraction, so 5 is 500%: write 5% or 0.05)"
    )
