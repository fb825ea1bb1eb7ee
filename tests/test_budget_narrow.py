"""`loti budget status` in narrow terminals: every money figure is shown whole, at any width."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from loti_cli.core.money import Money, format_money
from loti_cli.io.resolve import bundled_ledgers
from tests.conftest import Run

Cli = Callable[..., Run]

ROOT = Path(__file__).parent.parent
ANSI = re.compile(r"\x1b\[[0-9;]*m")
MONEY = re.compile(r"-?£[0-9][0-9,]*(?:\.[0-9]+)?")

WIDE = """\
ledger: A ledger whose figures are wide
financial_year: 2020-21
currency: GBP
members: []
income:
  - {name: A grant from a funder with a very long name indeed, amount: 12345678.91, kind: grant}
  - {name: Supercalifragilisticexpialidociousfundingstream, amount: 0.5, kind: carry_forward}
expenditure:
  - name: Personnel across every participating borough and partner
    amount: 19876543.21
    status: estimated
    pillar: Developing Capabilities
  - {name: Premises, amount: 1000.05, status: committed, pillar: Covid Recovery}
allocations:
  - {pillar: Covid Recovery, amount: 1000}
  - {pillar: Developing Capabilities, amount: 2468024.68}
"""
"""Figures of eleven digits with pence, long names, a long word, and less than nothing remaining."""


def figures(document: Any, key: str = "") -> Iterator[str]:
    """Each money figure of the JSON document as the table shows it (`£1,000,000`)."""
    if isinstance(document, dict):
        for name, value in document.items():
            if name not in {"membership", "findings", "version", "financial_year", "as_of"}:
                yield from figures(value, name)
    elif isinstance(document, list):
        for item in document:
            yield from figures(item, key)
    elif isinstance(document, str) and re.fullmatch(r"-?[0-9]+\.[0-9]{2}", document):
        yield format_money(Money(Decimal(document)))


def tables(stdout: str) -> str:
    """The three tables: everything before the findings, colour taken out."""
    plain = ANSI.sub("", stdout)
    return plain.split("\nFindings\n")[0].rsplit("\n0 errors", 1)[0]


def run(cli: Cli, args: tuple[str, ...], *, width: int, color: bool) -> tuple[Run, Run]:
    """The table at `width` columns (with colour or without) and the JSON of the same run."""
    colour = {"FORCE_COLOR": "1"} if color else {"NO_COLOR": "1"}
    table = cli(*args, env={"COLUMNS": str(width), **colour})
    document = cli(*args, "--format", "json", env={"COLUMNS": str(width)})
    return table, document


def assert_money_whole(table: Run, document: Run, width: int) -> None:
    assert table.stderr == ""
    text = tables(table.stdout)
    shown = Counter(MONEY.findall(text))
    expected = Counter(figures(json.loads(document.stdout)))
    assert shown == expected, f"at {width} columns:\n{text}"
    assert "…" not in text, text
    assert not re.search(r"£[0-9,.]*\n", text), text  # no figure broken at a line end
    for line in ANSI.sub("", table.stdout).splitlines():
        if not re.match(r"\S+:\d+:\d+: ", line):  # findings are never folded
            assert len(line) <= width, line


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository, with its ledger and its proposals."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("width", [40, 60, 80])
@pytest.mark.parametrize("command", ["status", "what-if"])
def test_every_figure_of_the_bundled_budget_is_whole(
    cli: Cli, in_root: Path, command: str, width: int, color: bool
) -> None:
    args = ("budget", command, "--ledger", "ledgers/2020-21.yaml", "--proposals", "proposals")
    table, document = run(cli, args, width=width, color=color)
    # Approving the whole pipeline, the Covid Innovation Fund's eight bids among it, would
    # take Covid Recovery past its allocation (LB5).
    assert table.exit_code == document.exit_code == (0 if command == "status" else 1)
    assert_money_whole(table, document, width)
    assert ("\x1b[" in table.stdout) is color


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("width", [40, 60, 80, 100])
def test_wide_figures_and_long_names_stay_whole(
    cli: Cli, in_tmp_path: Path, width: int, color: bool
) -> None:
    Path("wide.yaml").write_text(WIDE, encoding="utf-8")
    Path("proposals").mkdir()
    args = ("budget", "status", "--ledger", "wide.yaml", "--proposals", "proposals")
    table, document = run(cli, args, width=width, color=color)
    assert_money_whole(table, document, width)
    assert "£12,345,678.91" in table.stdout
    assert "-£7,531,863.85" in table.stdout  # remaining


def test_a_narrow_terminal_leaves_out_the_kind_and_says_so(cli: Cli, in_tmp_path: Path) -> None:
    shutil.copy(bundled_ledgers() / "2020-21.yaml", "ledger.yaml")
    Path("proposals").mkdir()
    args = ("budget", "status", "--ledger", "ledger.yaml", "--proposals", "proposals")
    narrow = cli(*args, env={"COLUMNS": "40", "NO_COLOR": "1"})
    header = narrow.stdout.split("\nIncome")[1].splitlines()[1]
    assert re.fullmatch(r" Line +┃ +Amount ", header), header
    assert "carry_forward" not in narrow.stdout
    caption = " ".join(narrow.stdout.split("Kind not shown:")[1].split()[:5])
    assert caption == "the terminal is too narrow"
    # the pillars, four figures each, are stacked: one figure to a line
    pillars = narrow.stdout.split("Allocation by pillar")[1]
    assert re.search(r"^ Covid Recovery +│ +$", pillars, re.M), pillars
    assert re.search(r"^   Allocated +│ +£200,000 $", pillars, re.M), pillars
    assert re.search(r"^   Headroom +│ +£200,000 $", pillars, re.M), pillars

    wide = cli(*args, env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert "carry_forward" in wide.stdout
    assert "not shown" not in wide.stdout
    assert re.search(
        r"^ Pillar +┃ Allocated ┃ Approved ┃ Pipeline ┃ Headroom ┃ Used", wide.stdout, re.M
    )
