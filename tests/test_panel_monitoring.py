"""The panel pack's spend section: shown when the year has actuals, with the month, actual
against profile per pillar, the forecast outturn and an accessible chart of cumulative spend."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.test_cli_monitor import HOSTILE_LEDGER, HOSTILE_ROWS, workspace
from tests.test_panel import ALLOWED_TAGS, GOLDEN, Page, assert_golden

Cli = Callable[..., Run]
DATE = ("--date", "2020-10-01")


@pytest.fixture
def month(in_tmp_path: Path) -> Path:
    return workspace(in_tmp_path)


def test_markdown_pack_has_the_spend_section(cli: Cli, month: Path) -> None:
    run = cli("report", "--format", "markdown", *DATE)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    text = run.stdout
    assert "## Spend to date\n" in text
    assert "Month 6 (September 2020): actual spend to 30 September 2020" in text
    assert "| Covid Recovery proposals | £145,000 | £0 | £12,000 | £145,000 | £0 |" in text
    assert "| Total | £806,000 | £278,000 | £256,650 | £812,650 | £6,650 (0.8%) |" in text
    assert "| September | £278,000 | £256,650 |" in text
    assert "| October | £354,333.34 | — |" in text  # the year's profile, with no actual yet
    assert "| Design | £23,000 | £3,000 (15.0%) | RED |" in text
    assert_golden(GOLDEN / "monitoring.md", text)


def test_html_pack_has_an_accessible_chart_and_the_figures_as_a_table(
    cli: Cli, month: Path
) -> None:
    run = cli("report", *DATE)
    assert run.exit_code == 0, run.stderr
    page = run.stdout
    section = page[page.index('<section id="monitoring">') :]
    section = section[: section.index("</section>")]
    assert "<script" not in page and "http" not in section
    svg = re.search(r"<svg[^>]*spend-chart[^>]*>", section)
    assert svg is not None
    assert 'role="img"' in svg[0]
    assert 'aria-labelledby="spend-chart-title spend-chart-desc"' in svg[0]
    assert 'viewBox="0 0 480 250"' in svg[0]
    assert '<title id="spend-chart-title">Cumulative actual spend against profile' in section
    assert "September: actual £256,650, profile £278,000." in section  # in the <desc>
    assert section.count("<circle") == 7  # six months and the legend's
    assert 'aria-label="Cumulative spend by month"' in section
    assert "<td" in section and "£256,650" in section
    found = Page(page)
    assert set(found.tags) <= ALLOWED_TAGS


def test_a_year_without_actuals_has_no_spend_section(cli: Cli, in_tmp_path: Path) -> None:
    workspace(in_tmp_path, rows=None)
    run = cli("report", "--format", "markdown", *DATE)
    assert run.exit_code == 0
    assert "Spend to date" not in run.stdout
    html = cli("report", *DATE).stdout
    assert 'id="monitoring"' not in html


def test_invalid_actuals_stop_the_pack(cli: Cli, in_tmp_path: Path) -> None:
    workspace(in_tmp_path, rows="a1,2020-05-01,10,Design,,S,D,f.csv,1\n")
    run = cli("report", "--format", "markdown", *DATE)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines() == [
        "loti: error: the actuals file ledgers/2020-21.actuals.csv is not valid, so no figure "
        "made from it can be trusted; fix it (each problem is below) and run again:",
        "ledgers/2020-21.actuals.csv:2:15: MN6 amount '10' is not written with two decimals "
        "(1234.50, -80.00)",
    ]


def test_actuals_outside_the_year_stop_every_command_that_counts_them(
    cli: Cli, in_tmp_path: Path
) -> None:
    workspace(in_tmp_path, rows="a1,2021-05-01,10.00,Design,,S,D,f.csv,1\n")
    for args in (
        ("report", "--format", "markdown", *DATE),
        ("projects",),
        ("report", "boroughs"),
        ("budget", "monitor"),
        ("export", "360giving"),
    ):
        run = cli(*args)
        assert run.exit_code == 2, args
        assert "ledgers/2020-21.actuals.csv:2:" in run.stderr, (args, run.stderr)
        assert "is outside" in run.stderr or "outside the financial year" in run.stderr, args


def test_hostile_line_names_stay_text_in_the_pack(cli: Cli, in_tmp_path: Path) -> None:
    workspace(in_tmp_path, rows=HOSTILE_ROWS, ledger=HOSTILE_LEDGER, proposals=False)
    (in_tmp_path / "ledgers" / "2020-21.yaml").write_text(
        HOSTILE_LEDGER.replace(
            "expenditure:\n",
            "expenditure:\n  - {name: Design, amount: 10, status: estimated, forecast: 20}\n",
        ),
        encoding="utf-8",
    )
    html = cli("report", *DATE).stdout
    assert set(Page(html).tags) <= ALLOWED_TAGS
    markdown = cli("report", "--format", "markdown", *DATE).stdout
    section = markdown[markdown.index("## Spend to date") :]
    assert "\x1b" not in section
