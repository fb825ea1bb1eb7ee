"""`loti report --call NAME --scores FILE`: the panel pack with a call's ranking."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.test_panel import GOLDEN, assert_golden

ROOT = Path(__file__).resolve().parents[1]
CALL = ("--call", "Covid Innovation Fund")
SCORES = "proposals/scores/covid-innovation-fund.csv"
EXAMPLE = ("--ledger", "ledgers/2020-21.yaml", "--proposals", "proposals", "--date", "2021-02-04")
Cli = Callable[..., Run]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_markdown_pack_has_the_ranking_after_the_proposals(cli: Cli, project: Path) -> None:
    run = cli("report", "--format", "markdown", *EXAMPLE, *CALL, "--scores", SCORES)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    text = run.stdout
    assert text.index("## Proposals") < text.index("## Ranking: Covid Innovation Fund")
    assert "| 1 | CIF-03 | Mapping digital exclusion" in text
    assert "**cut line: 2 bids funded for £55,000 of the call's £150,000**" in text
    section = text[text.index("## Ranking") :]
    assert_golden(GOLDEN / "ranking.md", section[: section.index("\n## ", 3) + 1])


def test_the_html_pack_has_the_ranking_escaped(cli: Cli, project: Path) -> None:
    bid = Path("proposals/cif-03.yaml")
    old = "title: Mapping digital exclusion from borough and census data"
    bid.write_text(bid.read_text(encoding="utf-8").replace(old, "title: <script>x</script> & co"))
    run = cli("report", *EXAMPLE, *CALL, "--scores", SCORES)
    assert run.exit_code == 0, run.stderr
    page = run.stdout
    assert '<section id="ranking">' in page and "<h2>Ranking: Covid Innovation Fund</h2>" in page
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt; &amp; co" in page
    assert '<span class="result passed">funded</span>' in page
    HTMLParser().feed(page)  # well formed enough to parse


def test_a_bad_scores_cell_writes_the_pack_and_exits_1(cli: Cli, project: Path) -> None:
    scores = Path(SCORES)
    scores.write_text(scores.read_text(encoding="utf-8").replace(",matters,4,", ",matters,9,", 1))
    run = cli(
        "report", "--format", "markdown", "-o", "pack.md", *EXAMPLE, *CALL, "--scores", SCORES
    )
    assert run.exit_code == 1
    assert Path("pack.md").is_file()
    assert "SC1 score '9' is not a whole number from 0 to 5" in Path("pack.md").read_text()
    assert "loti: error: proposals/scores/covid-innovation-fund.csv:" in run.stderr


def test_call_and_scores_go_together(cli: Cli, project: Path) -> None:
    run = cli("report", *CALL)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "loti: error: --call and --scores go together: name the call and its scores file\n"
    )
