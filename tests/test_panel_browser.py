"""The panel pack in a real browser: headless Chromium shows it, screenshots it and prints it.

Skipped, with how to install one, where no Chromium is found; `.ci/run`
installs Debian's `chromium` so that CI always runs it. With
LOTI_UPDATE_GOLDEN=1 it also retakes docs/panel-pack.png from docs/panel-pack.html.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import Result

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 120
"""Seconds a browser may take for one page before the test fails rather than hangs."""

A4_WINDOW = "1240,1754"
"""A4 at 150 pixels per inch."""

HOSTILE_TITLE = '<script>alert(1)</script> & "quotes"'
PROPOSAL = f"""\
id: HX-01
title: '{HOSTILE_TITLE}'
financial_year: 2020-21
pillar: Covid Recovery
status: submitted
boroughs: [{{name: Camden, role: lead}}]
budget: {{requested: 10000}}
"""


def find_browser() -> str | None:
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.fixture(scope="module")
def browser() -> str:
    path = find_browser()
    if path is None and os.environ.get("LOTI_REQUIRE_BROWSER"):
        pytest.fail(
            "LOTI_REQUIRE_BROWSER is set but no Chromium was found (apt-get install chromium)"
        )
    if path is None:
        pytest.skip(
            "no Chromium: install it with `apt-get install chromium` to run the panel-pack "
            "browser test"
        )
    return path


@pytest.fixture
def run_browser(browser: str, tmp_path: Path) -> Callable[..., subprocess.CompletedProcess[bytes]]:
    """Chromium, headless, offline-minded, with a profile of its own in a temporary folder."""

    def run(*args: str) -> subprocess.CompletedProcess[bytes]:
        profile = tmp_path / "profile"
        profile.mkdir(exist_ok=True)
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            *args,
        ]
        env = {**os.environ, "HOME": str(tmp_path)}
        return subprocess.run(command, capture_output=True, timeout=TIMEOUT, check=False, env=env)

    return run


@pytest.fixture
def pack(cli: Callable[..., Result], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The example ledger and proposals, with a hostile proposal added, rendered to pack.html."""
    folder = tmp_path / "pack"
    shutil.copytree(ROOT / "proposals", folder / "proposals")
    (folder / "ledgers").mkdir()
    shutil.copy(ROOT / "ledgers" / "2020-21.yaml", folder / "ledgers" / "2020-21.yaml")
    (folder / "proposals" / "hx-01.yaml").write_text(PROPOSAL, encoding="utf-8")
    monkeypatch.chdir(folder)
    result = cli("report", "--output", "pack.html", "--title", "Funding panel, 1 October 2020")
    assert result.exit_code == 0, result.stderr
    return folder / "pack.html"


class Dom(HTMLParser):
    """Tags and text of the DOM Chromium dumped."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.texts: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


def test_the_browser_shows_the_pack(
    run_browser: Callable[..., subprocess.CompletedProcess[bytes]], pack: Path
) -> None:
    done = run_browser("--dump-dom", pack.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    dom = Dom(done.stdout.decode("utf-8"))
    assert "script" not in dom.tags  # the hostile title did not become an element
    assert dom.tags.count("svg") == 2
    text = dom.text
    assert "Funding panel, 1 October 2020" in text
    assert HOSTILE_TITLE in text  # shown as the text it is
    for pillar in ("Covid Recovery", "Developing Capabilities", "Smarter London"):
        assert pillar in text
    for figure in ("£1,000,000", "£650,000", "£556,000", "£444,000", "£400,000", "£44,000"):
        assert figure in text
    for proposal in ("CR-01", "CR-02", "CR-05", "DC-01", "SL-02", "HX-01"):
        assert proposal in text
    assert re.search(r"\d+ passed ?, [1-9]\d* failed", text)  # HX-01 fails, and says so


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_browser_screenshots_the_pack(
    run_browser: Callable[..., subprocess.CompletedProcess[bytes]], pack: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "x.png"
    done = run_browser(f"--screenshot={shot}", f"--window-size={A4_WINDOW}", pack.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    data = shot.read_bytes()
    assert len(data) > 10_000
    assert png_size(data) == (1240, 1754)


def test_the_browser_prints_the_pack_on_a4(
    run_browser: Callable[..., subprocess.CompletedProcess[bytes]], pack: Path, tmp_path: Path
) -> None:
    pdf = tmp_path / "pack.pdf"
    done = run_browser(f"--print-to-pdf={pdf}", "--no-pdf-header-footer", pack.as_uri())
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes, "no page size in the PDF"
    for width, height in boxes:
        # A4 is 595.28 x 841.89 points; Chromium rounds to whole device pixels.
        assert abs(float(width) - 595.3) < 2 and abs(float(height) - 841.9) < 2, (width, height)
    assert len(boxes) >= 2  # several pages: the details start on a page of their own


def test_the_docs_screenshot(
    run_browser: Callable[..., subprocess.CompletedProcess[bytes]], tmp_path: Path
) -> None:
    """docs/panel-pack.png shows docs/panel-pack.html; LOTI_UPDATE_GOLDEN=1 retakes it."""
    page = DOCS / "panel-pack.html"
    target = DOCS / "panel-pack.png"
    if os.environ.get("LOTI_UPDATE_GOLDEN") != "1":
        assert png_size(target.read_bytes()) == (1240, 1754)
        return
    shot = tmp_path / "docs.png"
    done = run_browser(
        f"--screenshot={shot}", f"--window-size={A4_WINDOW}", "--hide-scrollbars", page.as_uri()
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    shutil.copy(shot, target)
