"""A member's statement in a real browser: on a phone 400 pixels wide, on A4 and printed.

Uses the panel pack's browser helpers (tests/test_panel_browser.py): skipped, with how to
install one, where no Chromium is found. With LOTI_UPDATE_GOLDEN=1 it also retakes
docs/borough-statement.png and docs/borough-statement-phone.png from
docs/borough-statement.html.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import test_panel_browser as panel
from tests.conftest import Run
from tests.test_boroughs_report import hostile_folder
from tests.test_panel_browser import (
    A4_WINDOW,
    LONG_PROPOSAL,
    LONG_WORD,
    PHONE_WINDOW,
    Dom,
    measure,
    png_size,
)

browser = panel.browser
run_browser = panel.run_browser
"""The panel pack's fixtures: a headless Chromium (the test is skipped without one)."""

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
Browser = Callable[..., subprocess.CompletedProcess[bytes]]


@pytest.fixture
def folder(in_tmp_path: Path) -> Path:
    """The example, with a hostile partner and proposal, and a proposal with long words."""
    shutil.copytree(ROOT / "proposals", in_tmp_path / "proposals")
    (in_tmp_path / "ledgers").mkdir()
    shutil.copy(ROOT / "ledgers" / "2020-21.yaml", in_tmp_path / "ledgers" / "2020-21.yaml")
    hostile_folder(in_tmp_path)
    (in_tmp_path / "proposals" / "hx-02.yaml").write_text(LONG_PROPOSAL, encoding="utf-8")
    return in_tmp_path


@pytest.mark.parametrize("name", ["Camden", "Kensington and Chelsea", "Lambeth", "GLA"])
def test_a_statement_fits_a_phone(
    cli: Callable[..., Run], run_browser: Browser, folder: Path, name: str
) -> None:
    result = cli("report", "borough", name, "-o", "phone.html")
    assert result.exit_code == 0, result.stderr
    page = folder / "phone.html"
    found = measure(run_browser, page, PHONE_WINDOW)
    assert found["innerWidth"] == 400
    assert found["cells"] > 20
    # Nothing is wider than the screen: the page does not scroll sideways ...
    assert found["scrollWidth"] <= found["width"], found
    # ... its figures wrap onto more rows, each in its card, and no word or amount breaks ...
    assert found["summary"] == []
    assert found["styles"] == []
    assert found["broken"] == []
    assert found["money"] == []
    # ... nothing is cut off, and what scrolls does so in a labelled region.
    assert found["cut"] == []
    assert found["unlabelled"] == []
    assert found["charts"]
    for left, right, view_box in found["charts"]:
        assert 0 <= left < right <= found["width"] and view_box


def test_the_browser_shows_and_prints_a_statement(
    cli: Callable[..., Run], run_browser: Browser, folder: Path
) -> None:
    assert cli("report", "borough", "Camden", "-o", "camden.html").exit_code == 0
    page = folder / "camden.html"
    done = run_browser("--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    dom = Dom(done.stdout.decode("utf-8"))
    assert "script" not in dom.tags and "b" not in dom.tags
    assert dom.tags.count("svg") == 2
    for text in ("Camden", "£30,000", "no actuals", "CR-02", "HX-01", "<b>Bold</b>"):
        assert text in dom.text
    found = measure(run_browser, page, A4_WINDOW)
    assert found["scrollWidth"] <= found["width"] and found["money"] == [] and found["cut"] == []
    pdf = folder / "camden.pdf"
    done = run_browser(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes())
    assert boxes
    for width, height in boxes:
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2, (width, height)


def test_the_index_fits_a_phone(
    cli: Callable[..., Run], run_browser: Browser, folder: Path
) -> None:
    result = cli("report", "borough", "--all", "--output-dir", "all")
    assert result.exit_code == 0, result.stderr
    found = measure(run_browser, folder / "all" / "index.html", PHONE_WINDOW)
    assert found["scrollWidth"] <= found["width"], found
    assert found["broken"] == [] and found["money"] == [] and found["cut"] == []
    assert LONG_WORD not in (folder / "all" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("name", "window"),
    [("borough-statement.png", A4_WINDOW), ("borough-statement-phone.png", PHONE_WINDOW)],
)
def test_the_docs_screenshot(run_browser: Browser, tmp_path: Path, name: str, window: str) -> None:
    """docs/borough-statement.png and docs/borough-statement-phone.png show
    docs/borough-statement.html (tests/test_boroughs_report.py keeps it the bundled example's
    statement of Camden), on A4 and on a phone; LOTI_UPDATE_GOLDEN=1 retakes them."""
    page = DOCS / "borough-statement.html"
    target = DOCS / name
    size = tuple(int(n) for n in window.split(","))
    if os.environ.get("LOTI_UPDATE_GOLDEN") != "1":
        assert png_size(target.read_bytes()) == size
        return
    shot = tmp_path / "docs.png"
    done = run_browser(
        f"--screenshot={shot}", f"--window-size={window}", "--hide-scrollbars", page.as_uri()
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert png_size(shot.read_bytes()) == size
    shutil.copy(shot, target)
