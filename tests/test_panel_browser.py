"""The panel pack in a real browser: headless Chromium shows it, screenshots it and prints it.

Skipped, with how to install one, where no Chromium is found; `.ci/run`
installs Debian's `chromium` so that CI always runs it. With
LOTI_UPDATE_GOLDEN=1 it also retakes docs/panel-pack.png and docs/panel-pack-phone.png from
docs/panel-pack.html.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import struct
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Run

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
BROWSERS = ("chromium", "chromium-browser", "google-chrome")
TIMEOUT = 120
"""Seconds a browser may take for one page before the test fails rather than hangs."""

A4_WINDOW = "1240,1754"
"""A4 at 150 pixels per inch."""
PHONE_WINDOW = "400,860"
"""A phone held upright, in CSS pixels."""

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
def pack(cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
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
    # The two charts, and a spend bar for each of the nine approved projects (Delivery).
    assert dom.tags.count("svg") == 2 + 9
    assert "Delivery" in dom.text and "Spent £0 of £5,000" not in dom.text  # a bar's name
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


@pytest.mark.parametrize(
    ("name", "window"), [("panel-pack.png", A4_WINDOW), ("panel-pack-phone.png", PHONE_WINDOW)]
)
def test_the_docs_screenshot(
    run_browser: Callable[..., subprocess.CompletedProcess[bytes]],
    tmp_path: Path,
    name: str,
    window: str,
) -> None:
    """docs/panel-pack.png and docs/panel-pack-phone.png show docs/panel-pack.html, on A4 and
    on a phone; LOTI_UPDATE_GOLDEN=1 retakes them."""
    page = DOCS / "panel-pack.html"
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


LONG_WORD = "Crossboroughinteroperabilitystandardisationprogrammeforlondo"
"""60 letters and no break: longer than a phone's line."""
LONG_PROPOSAL = f"""\
id: HX-02-INTEROPERABILITY-STANDARDS
title: The {LONG_WORD} pilot with residents of every borough
financial_year: 2020-21
pillar: Covid Recovery
area: Identifying Needs
status: submitted
boroughs:
  - {{name: Royal Borough of Kensington and Chelsea, role: lead}}
  - {{name: Barking and Dagenham London Borough Council, role: delivery}}
budget: {{requested: 1234567.89}}
waivers:
  - rule: PC5
    reason: Agreed by the panel because the {LONG_WORD} work is paid for elsewhere
    approved_by: Chief Executive of the Royal Borough of Kensington and Chelsea
    expires: 2099-12-31
"""
LONG_LINE = f"""\
  - name: {LONG_WORD} licences
    amount: 1234567.89
    status: committed

allocations:"""

PROBE = """\
<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><title>probe</title></head>
<body style="margin: 0">
<iframe id="page" src="PAGE" style="border: 0; width: WIDTHpx; height: HEIGHTpx"></iframe>
<pre id="probe"></pre>
<script>
addEventListener("load", () => {
  const frame = document.getElementById("page");
  const win = frame.contentWindow;
  const doc = frame.contentDocument;
  const root = doc.documentElement;
  const width = root.clientWidth;
  const words = /[\\p{L}\\p{N}]+/gu;
  const text = (el) => el.textContent.replace(/\\s+/g, " ").trim().slice(0, 90);
  const lines = (node, start, end) => {
    const range = doc.createRange();
    range.setStart(node, start);
    range.setEnd(node, end);
    return new Set(
      [...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top))
    ).size;
  };
  const texts = (el) => {
    const walker = doc.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    const found = [];
    while (walker.nextNode()) found.push(walker.currentNode);
    return found;
  };
  const out = {
    innerWidth: win.innerWidth, width, scrollWidth: root.scrollWidth,
    summary: [], broken: [], money: [], styles: [], cut: [], unlabelled: [], charts: [],
    cells: doc.querySelectorAll("td").length, matrix: [],
  };
  for (const wrap of doc.querySelectorAll("#participation .table-wrap")) {
    const box = wrap.getBoundingClientRect();
    out.matrix.push([wrap.scrollWidth, wrap.clientWidth, Math.round(box.left),
      Math.round(box.right), wrap.querySelectorAll("td abbr").length]);
  }
  for (const el of doc.querySelectorAll("#summary .figures, #summary .figures *")) {
    const box = el.getBoundingClientRect();
    if (box.left < 0 || box.right > width) out.summary.push(text(el));
  }
  for (const el of doc.querySelectorAll("#summary .figure")) {
    if (el.scrollWidth > el.clientWidth) out.summary.push(text(el));
  }
  for (const cell of doc.querySelectorAll("th, td")) {
    const style = win.getComputedStyle(cell);
    const how = [style.overflowWrap, style.wordBreak, style.hyphens].join(" ");
    if (how !== "normal normal manual") out.styles.push(how + ": " + text(cell));
    for (const node of texts(cell)) {
      for (const match of node.data.matchAll(words)) {
        if (lines(node, match.index, match.index + match[0].length) > 1) {
          out.broken.push(match[0] + " in: " + text(cell));
        }
      }
    }
  }
  for (const el of doc.querySelectorAll("td.num, th.num, .figure .amount")) {
    if (el.scrollWidth > el.clientWidth + 1) out.money.push(text(el));
    for (const node of texts(el)) {
      if (node.data.trim() && lines(node, 0, node.data.length) > 1) out.money.push(text(el));
    }
  }
  for (const el of doc.querySelectorAll("body *")) {
    if (el.scrollWidth <= el.clientWidth + 1) continue;
    const style = win.getComputedStyle(el);
    if (style.overflowX === "hidden" || style.overflowX === "clip") out.cut.push(text(el));
    const scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
    const labelled = el.getAttribute("role") === "region" && el.getAttribute("aria-label")
      && el.getAttribute("tabindex") === "0";
    if (scrolls && !labelled) out.unlabelled.push(text(el));
  }
  for (const svg of doc.querySelectorAll("svg")) {
    const box = svg.getBoundingClientRect();
    out.charts.push([Math.round(box.left), Math.round(box.right), svg.getAttribute("viewBox")]);
  }
  document.getElementById("probe").textContent = JSON.stringify(out);
});
</script>
</body>
</html>
"""
"""A page that shows the pack in a frame of a given size, measures it as laid out and
writes what it found into its own DOM, for --dump-dom (a window is never narrower than
500 pixels; a frame can be). The pack itself has no script."""


@pytest.fixture
def long_pack(pack: Path) -> Path:
    """The pack with a 60-letter word in a title, a ledger line and a waiver, long borough
    names, a long proposal id and amounts in millions with pence."""
    folder = pack.parent
    (folder / "proposals" / "hx-02.yaml").write_text(LONG_PROPOSAL, encoding="utf-8")
    ledger = folder / "ledgers" / "2020-21.yaml"
    text = ledger.read_text(encoding="utf-8")
    assert text.count("\nallocations:") == 1
    ledger.write_text(text.replace("\nallocations:", "\n" + LONG_LINE), encoding="utf-8")
    return folder


def measure(
    run_browser: Callable[..., subprocess.CompletedProcess[bytes]], page: Path, window: str
) -> dict[str, Any]:
    """What PROBE finds in `page` shown in a frame of `window` CSS pixels (width,height)."""
    assert "<script" not in page.read_text(encoding="utf-8")
    width, height = window.split(",")
    probe = page.with_name("probe.html")
    probe.write_text(
        PROBE.replace("PAGE", page.name).replace("WIDTH", width).replace("HEIGHT", height),
        encoding="utf-8",
    )
    done = run_browser(
        "--dump-dom", "--allow-file-access-from-files", "--hide-scrollbars", probe.as_uri()
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    found = re.search(r'<pre id="probe">(.*?)</pre>', done.stdout.decode("utf-8"), re.S)
    assert found and found.group(1), "the probe did not run"
    result: dict[str, Any] = json.loads(html.unescape(found.group(1)))
    return result


@pytest.mark.parametrize("title", ["Funding panel, 1 October 2020", f"Panel on {LONG_WORD}"])
def test_the_pack_fits_a_phone(
    cli: Callable[..., Run],
    run_browser: Callable[..., subprocess.CompletedProcess[bytes]],
    long_pack: Path,
    title: str,
) -> None:
    result = cli("report", "--output", "phone.html", "--title", title, "--date", "2020-10-01")
    assert result.exit_code == 0, result.stderr
    page = long_pack / "phone.html"
    assert LONG_WORD in page.read_text(encoding="utf-8")
    found = measure(run_browser, page, PHONE_WINDOW)
    assert found["innerWidth"] == 400
    assert found["cells"] > 100
    # Nothing is wider than the screen: the page does not scroll sideways ...
    assert found["scrollWidth"] <= found["width"], found
    # ... the summary's cards wrap onto more rows and each holds its figure ...
    assert found["summary"] == []
    # ... and no word in a table breaks across lines, nor an amount of money.
    assert found["styles"] == []
    assert found["broken"] == []
    assert found["money"] == []
    # What is wider than its box scrolls in a labelled region, keyboard-reachable; nothing
    # is cut off.
    assert found["cut"] == []
    assert found["unlabelled"] == []
    # The charts shrink to the screen, and so does each project's spend bar.
    bars = [chart for chart in found["charts"] if chart[2] == "0 0 100 10"]
    assert len(found["charts"]) - len(bars) == 2
    assert len(bars) == 9
    for left, right, view_box in found["charts"]:
        assert 0 <= left < right <= found["width"] and view_box
    # The participation matrix fits the screen whole: it does not even scroll in its region.
    ((scroll, client, left, right, roles),) = found["matrix"]
    assert scroll <= client and 0 <= left < right <= found["width"], found["matrix"]
    assert roles > 30  # every member's role in every approved project
    shot = long_pack / "phone.png"
    done = run_browser(
        f"--screenshot={shot}", f"--window-size={PHONE_WINDOW}", "--hide-scrollbars", page.as_uri()
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-2000:]
    assert png_size(shot.read_bytes()) == (400, 860)


def test_the_pack_at_a4_width_fits_too(
    cli: Callable[..., Run],
    run_browser: Callable[..., subprocess.CompletedProcess[bytes]],
    long_pack: Path,
) -> None:
    """The long words and amounts do not push the page sideways on a wide screen either."""
    result = cli("report", "--output", "wide.html", "--title", f"Panel on {LONG_WORD}")
    assert result.exit_code == 0, result.stderr
    page = long_pack / "wide.html"
    assert LONG_WORD in page.read_text(encoding="utf-8")
    found = measure(run_browser, page, A4_WINDOW)
    assert found["innerWidth"] == 1240
    assert found["scrollWidth"] <= found["width"], found
    assert found["summary"] == []
    assert found["money"] == []
    assert found["cut"] == []
    assert found["unlabelled"] == []


def test_the_pack_with_spend_fits_a_phone(
    cli: Callable[..., Run],
    run_browser: Callable[..., subprocess.CompletedProcess[bytes]],
    pack: Path,
) -> None:
    """With actuals, the pack gains a spend section and its chart; both fit a 400 px phone."""
    from tests.test_cli_monitor import ACTUALS, HEADER

    folder = pack.parent
    (folder / "ledgers" / "2020-21.actuals.csv").write_text(f"{HEADER}\n{ACTUALS}", "utf-8")
    result = cli("report", "--output", "spend.html", "--date", "2020-10-01")
    assert result.exit_code == 0, result.stderr
    page = folder / "spend.html"
    assert 'id="monitoring"' in page.read_text(encoding="utf-8")
    found = measure(run_browser, page, PHONE_WINDOW)
    assert found["scrollWidth"] <= found["width"], found
    assert found["money"] == []
    assert found["cut"] == []
    assert found["unlabelled"] == []
    assert len(found["charts"]) >= 3  # the budget's, the spend chart, and a bar per project
    for left, right, view_box in found["charts"]:
        assert 0 <= left < right <= found["width"] and view_box
    done = run_browser("--dump-dom", page.as_uri())
    dom = Dom(done.stdout.decode("utf-8"))
    assert "script" not in dom.tags
    assert "Spend to date" in dom.text and "£256,650" in dom.text
