"""The panel pack's delivery section: a row per approved project with its phase, a spend bar
named in words, the RAG as a word and a colour, and its measures; hostile names stay text."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.test_panel import ALLOWED_TAGS, Page

Cli = Callable[..., Run]
ROOT = Path(__file__).parents[1]
HEADER = "id,date,amount,line,proposal,supplier,description,source,source_row\n"
HOSTILE = "\x1b[31m<script>alert(1)</script> | *x* \u202eevil"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("ledgers", "proposals"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "ledgers" / "2020-21.actuals.csv").write_text(
        HEADER
        + "A1,2020-11-30,5200.50,,CR-06,Playbook Ltd,Writing,e.csv,1\n"
        + "A2,2020-11-30,9000.00,,CR-02,Data Co,Sprint,e.csv,2\n",
        encoding="utf-8",
    )
    path = tmp_path / "proposals" / "cr-03.yaml"
    text = path.read_text(encoding="utf-8").replace(
        "    - name: Residents using assistive technology in the trials",
        f"    - name: {json.dumps(HOSTILE)}",
    )
    path.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_html_pack_has_a_row_per_approved_project(cli: Cli, project: Path) -> None:
    run = cli("report", "--date", "2020-12-31")
    assert (run.exit_code, run.stderr) == (0, "")
    html = run.stdout
    section = html[html.index('<section id="delivery">') : html.index('<section id="details"')]
    page = Page(section)
    assert set(page.tags) <= ALLOWED_TAGS
    assert page.tags.count("tr") == 1 + 9  # the heading, and nine approved projects
    assert "The year's approved projects at 31 December 2020" in page.text
    # The bar is an image named in words, and the same words are beside it.
    assert 'aria-label="Spent £9,000 of £45,000 (20.0%); 49.2% of the time elapsed"' in section
    assert '<span class="spend-text">£9,000 of £45,000 (20.0%)</span>' in section
    # Past its award: a full bar in red, and the words in red too.
    assert '<rect width="100" height="10" fill="#b42318"/>' in section
    assert '<span class="spend-text sev-error">£5,200.50 of £5,000 (104.0%)</span>' in section
    # RAG: a word, coloured by its class, with why.
    assert '<span class="rag rag-red">Red</span>' in section
    assert "spent more than its award; 1 milestone overdue by more than 30 days" in page.text
    assert '<span class="rag rag-amber">Amber</span>' in section
    assert '<span class="rag rag-green">Green</span>' in section
    assert "Days from referral to first contact by a VCS partner: 14 → 4 → 3 days" in page.text
    assert "Referrals made through the common record: 0 → 212 → 150 referrals (on target)" in (
        page.text
    )


def test_hostile_measure_names_stay_text_in_html(cli: Cli, project: Path) -> None:
    html = cli("report", "--date", "2020-12-31").stdout
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "\x1b" not in html  # control characters dropped


def test_hostile_measure_names_stay_text_in_markdown(cli: Cli, project: Path) -> None:
    run = cli("report", "--format", "markdown", "--date", "2020-12-31")
    assert (run.exit_code, run.stderr) == (0, "")
    section = run.stdout[run.stdout.index("## Delivery") : run.stdout.index("## Findings")]
    assert "<script>" not in section and "\x1b" not in section and "\u202e" not in section
    # Escapes shown as text (`\\x1b`, `\\u202e`), markdown specials escaped.
    assert "\\\\x1b\\[31m\\<script\\>alert(1)\\</script\\> \\| \\*x\\* \\\\u202eevil" in section
    row = next(line for line in section.splitlines() if line.startswith("| CR-06"))
    assert "£5,200.50 of £5,000 (104.0%)" in row and "**Red**" in row
    assert row.count(" | ") == 6  # seven cells: nothing from a file broke the table


def test_a_pack_with_no_approved_project_says_so(cli: Cli, project: Path) -> None:
    for path in (project / "proposals").glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("status: approved", "status: submitted"), encoding="utf-8")
    run = cli("report", "--format", "markdown", "--date", "2020-12-31")
    assert "## Delivery\n\nNo approved projects in this year.\n" in run.stdout
