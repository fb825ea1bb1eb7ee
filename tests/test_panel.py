"""The panel pack, `loti report`: exit codes, output, escaping, self-containment, goldens, charts.

The goldens are the bundled example (`ledgers/2020-21.yaml` and `proposals/`)
as markdown (tests/golden/panel/example.md) and as HTML (docs/panel-pack.html,
the rendered example the README links to), and a hostile fixture whose titles,
ledger lines, pillars and waivers hold markup. To rewrite them after an
intended change, run `LOTI_UPDATE_GOLDEN=1 uv run pytest tests/test_panel.py
tests/test_panel_browser.py` (the second also retakes docs/panel-pack.png) and
read the diff before committing it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti_cli.core.budget import PillarStatus
from loti_cli.core.findings import Finding, Severity
from loti_cli.core.model import Proposal
from loti_cli.core.money import Money
from loti_cli.io.resolve import LedgerChoice
from loti_cli.pipeline.check import CheckResult, ProposalResult
from loti_cli.pipeline.panel import Figure, Line, PanelPack, ProposalEntry, WaiverEntry, gather
from loti_cli.pipeline.status import budget_status
from loti_cli.report import panel_html, panel_markdown
from loti_cli.report.svg import Bar, Group, bar_chart
from tests.conftest import Run

ROOT = Path(__file__).parents[1]
GOLDEN = Path(__file__).parent / "golden" / "panel"
DOCS = ROOT / "docs"
DATE = "2020-10-01"

HOSTILE_TITLE = '<script>alert(1)</script> & "quotes"'
HOSTILE_LINE = "Design <b>bold</b> & co"
HOSTILE_PILLAR = "Smarter <London>"
HOSTILE_REASON = "<i>agreed</i> | at the panel\nof 1 October"

LEDGER = f"""\
ledger: Test <ledger> & "budget"
financial_year: 2020-21
currency: GBP
as_of: 2020-07-31
source: A test | source
fees: {{borough: 30000}}
members:
  - {{name: Camden, kind: borough, fee: borough}}
  - {{name: Hackney, kind: borough, fee: borough}}
  - {{name: Westminster, kind: borough, fee: borough}}
income:
  - {{name: Borough contributions, amount: 90000, kind: membership}}
  - {{name: Surplus, amount: 910000, kind: carry_forward}}
expenditure:
  - {{name: '{HOSTILE_LINE}', amount: 100000, status: estimated}}
  - {{name: Platform, amount: 50000, status: paid, pillar: Covid Recovery}}
  - {{name: Procurement, amount: 25000, status: committed}}
allocations:
  - {{pillar: Covid Recovery, amount: 200000, areas: [Identifying Needs]}}
  - {{pillar: '{HOSTILE_PILLAR}', amount: 50000}}
stated:
  total_income: 1000000
  total_committed: 175000
  remaining: 800000
  total_allocated: 250000
"""
"""Income £1,000,000, committed £175,000, remaining £825,000 (LB1: stated £800,000)."""

GOOD = """\
id: SL-01
title: Open standards for planning data
financial_year: 2020-21
pillar: '{pillar}'
status: approved
outcome: Planners in two boroughs find the data they need in minutes, not days.
boroughs:
  - {{name: Camden, role: lead}}
  - {{name: Hackney, role: delivery}}
budget:
  requested: 60000
replicability:
  standards: [Open Standards Principles]
  plan: Any borough adopts the schema by mapping its export.
outputs:
  - {{name: Planning data schema, licence: OGL-UK-3.0, gifted: true}}
sustainability: Each borough runs it within its existing budget.
"""

HOSTILE = f"""\
id: HX-01
title: '{HOSTILE_TITLE}'
financial_year: 2020-21
pillar: Covid Recovery
area: Identifying Needs
status: submitted
boroughs:
  - {{name: Camden, role: lead}}
budget:
  requested: 10000
waivers:
  - rule: PC5
    reason: "{HOSTILE_REASON.replace(chr(10), " ")}"
    approved_by: Panel & co
    expires: 2099-12-31
"""

OLD = """\
id: OLD-01
title: Last year's work
financial_year: 2019-20
pillar: Covid Recovery
status: approved
boroughs: [{name: Camden, role: lead}]
budget: {requested: 1000}
"""


def hostile_folder(folder: Path) -> Path:
    """ledgers/2020-21.yaml and proposals/: hostile (fails), good (over the pillar), broken, old."""
    (folder / "ledgers").mkdir()
    (folder / "ledgers" / "2020-21.yaml").write_text(LEDGER, encoding="utf-8")
    proposals = folder / "proposals"
    proposals.mkdir()
    (proposals / "hx-01.yaml").write_text(HOSTILE, encoding="utf-8")
    (proposals / "sl-01.yaml").write_text(GOOD.format(pillar=HOSTILE_PILLAR), encoding="utf-8")
    (proposals / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    (proposals / "old.yaml").write_text(OLD, encoding="utf-8")
    return folder


INCOMPLETE = 1
"""The hostile fixture's exit code: broken.yaml cannot be read, so it may be an approved
proposal that no figure counts (LB9); the pack is written and says so, and the run fails."""


@pytest.fixture
def hostile(in_tmp_path: Path) -> Path:
    """The hostile fixture, in the current (temporary) folder."""
    return hostile_folder(in_tmp_path)


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository, so that paths show as ledgers/... and proposals/..."""
    monkeypatch.chdir(ROOT)
    return ROOT


EXAMPLE = ("--ledger", "ledgers/2020-21.yaml", "--proposals", "proposals", "--date", DATE)

Cli = Callable[..., Run]


def assert_golden(path: Path, text: str) -> None:
    """Compare `text` with the file byte for byte; LOTI_UPDATE_GOLDEN=1 rewrites it."""
    if os.environ.get("LOTI_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"no golden file {path}; run with LOTI_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_bytes().decode("utf-8"), (
        f"{path} differs; if that is intended, run with LOTI_UPDATE_GOLDEN=1 and read the diff"
    )


class Page(HTMLParser):
    """The tags, attributes and text of a page, as a browser's parser would see them."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.texts: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend((name, value or "") for name, value in attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.texts).split())


_TAGS = """
    html head meta title style body header main footer section article h1 h2 h3 h4 p code
    strong span a dl div dt dd figure figcaption table colgroup col thead tbody tr th td
    svg desc g text rect line abbr polyline circle
"""
ALLOWED_TAGS = frozenset(_TAGS.split())
"""Every element the pack uses: text from a file that opened another would show up here."""


def words(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------------------
# the command


def test_markdown_of_the_example_matches_the_golden(cli: Cli, in_root: Path) -> None:
    result = cli("report", "--format", "markdown", *EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.startswith("# Panel pack: LOTI budget 2020/21\n")
    for figure in ("£1,000,000", "£650,000", "£556,000", "£444,000", "£400,000", "£44,000"):
        assert figure in result.stdout
    assert_golden(GOLDEN / "example.md", result.stdout)


def test_html_of_the_example_is_the_rendered_example_in_docs(cli: Cli, in_root: Path) -> None:
    result = cli("report", *EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<!DOCTYPE html>\n")
    assert_golden(DOCS / "panel-pack.html", result.stdout)


def test_the_docs_screenshot_is_a_png() -> None:
    png = (DOCS / "panel-pack.png").read_bytes()
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 10_000


def test_hostile_goldens(cli: Cli, hostile: Path) -> None:
    markdown = cli("report", "--format", "markdown", "--date", DATE)
    html = cli("report", "--date", DATE)
    assert (markdown.exit_code, html.exit_code) == (INCOMPLETE, INCOMPLETE)
    assert_golden(GOLDEN / "hostile.md", markdown.stdout)
    assert_golden(GOLDEN / "hostile.html", html.stdout)


def test_html_escapes_every_text_from_a_file(cli: Cli, hostile: Path) -> None:
    html = cli("report", "--date", DATE, "--title", 'Panel <1 October> & "all"').stdout
    page = Page(html)
    assert set(page.tags) <= ALLOWED_TAGS, set(page.tags) - ALLOWED_TAGS
    assert "script" not in page.tags and "b" not in page.tags and "i" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in html
    for text in (
        HOSTILE_TITLE,
        HOSTILE_LINE,
        HOSTILE_PILLAR,
        words(HOSTILE_REASON),
        'Test <ledger> & "budget"',
        "A test | source",
        "Panel & co",
        'Panel <1 October> & "all"',
    ):
        assert text in page.text, text
    assert "<title>Panel &lt;1 October&gt; &amp; &quot;all&quot;</title>" in html


def test_html_is_self_contained_and_prints_on_a4(cli: Cli, hostile: Path) -> None:
    html = cli("report", "--date", DATE).stdout
    page = Page(html)
    assert "<script" not in html.lower()
    assert not [name for name, _ in page.attrs if name == "src"]
    hrefs = [value for name, value in page.attrs if name == "href"]
    assert hrefs and all(value.startswith("#") for value in hrefs), hrefs
    assert not [value for _, value in page.attrs if "http" in value or "//" in value]
    assert "url(" not in html and "@import" not in html and "<link" not in html
    assert re.search(r"@page\s*\{\s*size:\s*A4;\s*margin:\s*15mm;", html)
    assert "break-inside: avoid" in html and "break-before: page" in html


def test_markdown_escapes_every_text_from_a_file(cli: Cli, hostile: Path) -> None:
    text = cli("report", "--format", "markdown", "--date", DATE).stdout
    assert "<script>" not in text and "<b>" not in text and "<i>" not in text
    assert '\\<script\\>alert(1)\\</script\\> \\& "quotes"' in text
    assert "Design \\<b\\>bold\\</b\\> \\& co" in text
    assert "Smarter \\<London\\>" in text
    for row in text.splitlines():
        if row.startswith("| HX-01 |"):
            assert len(re.findall(r"(?<!\\)\|", row)) == 8  # seven cells: no pipe broke out


def test_the_pack_shows_findings_waivers_and_what_it_left_out(cli: Cli, hostile: Path) -> None:
    result = cli("report", "--format", "markdown", "--date", DATE)
    assert result.exit_code == INCOMPLETE  # findings are reported, not fatal; but see INCOMPLETE
    text = result.stdout
    assert "2 proposals checked" not in text
    assert "3 proposals checked against the funding principles: 0 passed, 3 failed." in text
    assert "| FP2 | two-member-boroughs | error |" in text
    assert "| PC5 | financially-sustainable | warning, waived |" in text
    assert (
        "| PC5 | \\<i\\>agreed\\</i\\> \\| at the panel of 1 October | Panel \\& co | 2099-12-31 |"
        in text
    )
    assert "| IN1 | invalid-yaml | error |" in text
    assert "| LB1 | stated-figure-mismatch | error |" in text
    assert "**-£10,000 (over-committed)**" in text
    assert "Not shown: 1 proposal of other financial years (proposals/old.yaml)." in text
    assert "OLD-01" not in text


def test_output_writes_the_file_and_says_so(cli: Cli, hostile: Path) -> None:
    result = cli("report", "--date", DATE, "--output", "pack.html")
    assert result.exit_code == INCOMPLETE
    assert result.stdout == ""
    assert result.stderr.startswith("loti: wrote pack.html: 3 proposals (0 passed, 3 failed); ")
    assert (hostile / "pack.html").read_text(encoding="utf-8") == cli(
        "report", "--date", DATE
    ).stdout
    left = [p.name for p in hostile.iterdir() if p.name.startswith(".") and p.name != ".loti_cache"]
    assert left == []  # no temporary left


def test_output_replaces_an_existing_file(cli: Cli, hostile: Path) -> None:
    (hostile / "pack.md").write_text("old", encoding="utf-8")
    result = cli("report", "-f", "markdown", "-o", "pack.md", "--date", DATE)
    assert result.exit_code == INCOMPLETE
    assert (hostile / "pack.md").read_text(encoding="utf-8").startswith("# Panel pack: Test")


BROKEN_LEFT_OUT = (
    "loti: error: the figures leave out 1 proposal file that may count "
    "(proposals/broken.yaml); see the LB9 findings, fix it and run again.\n"
)
"""What the hostile folder's unreadable file makes every money command say."""


def test_output_dash_is_standard_output(cli: Cli, hostile: Path) -> None:
    result = cli("report", "-o", "-", "-f", "markdown", "--date", DATE)
    assert result.exit_code == INCOMPLETE
    assert result.stdout.startswith("# Panel pack:")
    assert result.stdout == cli("report", "-f", "markdown", "--date", DATE).stdout
    assert result.stderr.endswith(BROKEN_LEFT_OUT)


def test_the_output_is_deterministic_and_dated_only_on_request(cli: Cli, hostile: Path) -> None:
    first = cli("report").stdout
    assert first == cli("report").stdout
    assert "Pack date" not in first
    assert "Pack date: 1 October 2020" in cli("report", "--date", DATE).stdout


def test_title_option(cli: Cli, hostile: Path) -> None:
    result = cli("report", "-f", "markdown", "--title", "Funding panel | 1 October")
    assert result.stdout.startswith("# Funding panel \\| 1 October\n")


def test_year_option_picks_the_ledger(cli: Cli, hostile: Path) -> None:
    result = cli("report", "-f", "markdown", "--year", "2020-21")
    assert result.exit_code == INCOMPLETE
    assert "ledger ledgers/2020-21.yaml" in result.stdout
    assert result.stderr.endswith(BROKEN_LEFT_OUT)


def test_without_a_proposals_folder_the_pack_has_the_budget_only(
    cli: Cli, in_tmp_path: Path
) -> None:
    (in_tmp_path / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    result = cli("report", "--ledger", "ledger.yaml", "-f", "markdown")
    assert result.exit_code == 0
    assert "No proposals for this year." in result.stdout
    assert result.stderr == ""
    assert "## Findings and waivers by proposal" not in result.stdout
    html = cli("report", "--ledger", "ledger.yaml").stdout
    assert "No proposals for this year." in html


def test_an_empty_proposals_folder_is_a_pack_without_proposals(cli: Cli, in_tmp_path: Path) -> None:
    (in_tmp_path / "ledger.yaml").write_text(LEDGER, encoding="utf-8")
    (in_tmp_path / "empty").mkdir()
    result = cli("report", "--ledger", "ledger.yaml", "--proposals", "empty", "-f", "markdown")
    assert result.exit_code == 0, result.stderr
    assert "No proposals for this year in empty/." in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--ledger", "nowhere.yaml"), "loti: error: --ledger nowhere.yaml: no such file"),
        (("--proposals", "nowhere"), "loti: error: --proposals nowhere: no such folder"),
        (("--year", "1999-00"), "loti: error: no ledger for --year 1999-00"),
        (
            ("--output", "missing/pack.html"),
            "loti: error: --output missing/pack.html: no such folder",
        ),
        (("--output", "proposals"), "loti: error: --output proposals: is a folder"),
    ],
)
def test_a_pack_that_cannot_be_made_exits_2(
    cli: Cli, hostile: Path, args: tuple[str, ...], message: str
) -> None:
    result = cli("report", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message), result.stderr


def test_a_ledger_that_cannot_be_loaded_exits_2_with_its_problems(cli: Cli, hostile: Path) -> None:
    (hostile / "ledgers" / "2020-21.yaml").write_text(
        LEDGER.replace("currency: GBP", "currency: EUR"), encoding="utf-8"
    )
    result = cli("report")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("loti: error: the ledger ledgers/2020-21.yaml")
    assert re.search(r"^ledgers/2020-21\.yaml:3:\d+: LB8 ", result.stderr, re.MULTILINE)


def test_an_unknown_format_is_a_usage_error(cli: Cli, hostile: Path) -> None:
    result = cli("report", "--format", "pdf")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: loti report [OPTIONS]\n")
    assert result.stderr.endswith(
        "Error: Invalid value for '--format' / '-f': Value error, 'pdf' is not one of 'html', "
        "'markdown'.\n"
    )


def test_help_shows_examples(cli: Cli) -> None:
    result = cli("report", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "loti report --output pack.html" in result.stdout
    assert "loti report --format markdown > pack.md" in result.stdout
    assert result.stderr == ""


def test_the_report_command_module_loads_nothing_heavy() -> None:
    code = (
        "import sys, loti_cli.commands.report;"
        "print([m for m in ('pydantic', 'ruamel', 'tabulate') if m in sys.modules])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------------------
# gathering


def _proposal(**fields: object) -> Proposal:
    return Proposal.model_validate(fields)


def test_gather_keeps_the_year_and_unreadable_files(hostile: Path) -> None:
    status = budget_status(LedgerChoice(hostile / "ledgers" / "2020-21.yaml", "--ledger"))
    error = Finding("IN1", "invalid-yaml", Severity.ERROR, "bad", "b.yaml", 1, 1)
    waived = Finding("PC5", "financially-sustainable", Severity.WARNING, "m", "a.yaml", 2, 1)
    check = CheckResult(
        "ledgers/2020-21.yaml",
        [
            ProposalResult(
                "a.yaml", _proposal(id="A", financial_year="2020-21"), [waived.as_waived("r")]
            ),
            ProposalResult("b.yaml", None, [error]),
            ProposalResult("c.yaml", _proposal(id="C", financial_year="2021-22")),
            ProposalResult("d.yaml", _proposal(title="no id")),
        ],
    )
    pack = gather(status, check, prepared=date(2020, 10, 1), proposals_path="proposals")
    assert [entry.name for entry in pack.proposals] == ["A", "b.yaml", "d.yaml"]
    assert pack.other_years == ("c.yaml",)
    assert (pack.passed, pack.failed) == (2, 1)
    assert [entry.counts for entry in pack.proposals] == ["1 waived", "1 error", "no findings"]
    assert pack.title == 'Panel pack: Test <ledger> & "budget"'
    assert pack.figure("remaining").amount == Money(825000)
    assert pack.figure("unallocated").amount == Money(575000)
    assert [line.name for line in pack.expenditure] == [HOSTILE_LINE, "Platform", "Procurement"]
    with pytest.raises(KeyError):
        pack.figure("nothing")


def test_gather_needs_a_loaded_ledger(in_tmp_path: Path) -> None:
    (in_tmp_path / "bad.yaml").write_text("ledger: [\n", encoding="utf-8")
    status = budget_status(LedgerChoice(in_tmp_path / "bad.yaml", "--ledger"))
    with pytest.raises(ValueError, match="loaded ledger"):
        gather(status)


def test_counts_read_as_english() -> None:
    def entry(*severities: tuple[Severity, bool]) -> ProposalEntry:
        findings = tuple(
            Finding("X1", "x", severity, "m", "p", 1, 1, waived=waived)
            for severity, waived in severities
        )
        return ProposalEntry("p", "P", None, None, None, None, None, True, findings)

    error, warning = (Severity.ERROR, False), (Severity.WARNING, False)
    assert entry().counts == "no findings"
    assert entry(error).counts == "1 error"
    assert entry(error, error, warning).counts == "2 errors, 1 warning"
    assert entry(warning, warning, (Severity.ERROR, True)).counts == "2 warnings, 1 waived"


# ---------------------------------------------------------------------------
# rendering any text


def small_pack(title: str, text: str) -> PanelPack:
    """A pack by hand, with `text` in every place a file can put text."""
    finding = Finding("FP2", text, Severity.ERROR, text, text, 3, 1)
    return PanelPack(
        title=title,
        ledger_path=text,
        ledger_name=text,
        financial_year="2020-21",
        as_of=date(2020, 7, 31),
        source=text,
        prepared=None,
        figures=tuple(
            Figure(key, key, Money(100))
            for key in ("income", "remaining", "allocated", "unallocated", "total_committed")
        ),
        income=(Line(text, "membership", Money(100)),),
        expenditure=(Line(text, "paid", Money(0), text),),
        by_status=(("estimated", Money(0)), ("committed", Money(0)), ("paid", Money(0))),
        total_committed=Money(0),
        pillars=(PillarStatus(text, Money(10), Money(20), Money(5)),),
        proposals=(
            ProposalEntry(
                text,
                text,
                text,
                text,
                text,
                "submitted",
                Money(5),
                False,
                (finding, finding.as_waived(text)),
                (WaiverEntry(text, text, text, date(2021, 3, 31)),),
            ),
        ),
        ledger_findings=(finding,),
        proposals_path=text,
        other_years=(text,),
    )


def visible(text: str) -> str:
    """What a reader sees of `text`: control characters dropped, spaces folded."""
    return words(re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", "", text))


hostile_text = st.text(
    alphabet=st.sampled_from(list("<>&\"'|`*_[]\\/=;:#%{}()\n\t\r\x1b -aZ9£é")), min_size=1
)


@given(title=hostile_text, text=hostile_text)
def test_any_text_stays_text_in_html(title: str, text: str) -> None:
    html = panel_html.render(small_pack(title, text))
    page = Page(html)
    assert set(page.tags) <= ALLOWED_TAGS
    assert page.tags.count("table") == 6  # no text opened or closed an element
    assert visible(title) in page.text
    assert visible(text) in page.text or len(visible(text)) > 20  # long ones shortened in charts


@given(title=hostile_text, text=hostile_text)
def test_any_text_stays_in_its_markdown_cell(title: str, text: str) -> None:
    markdown = panel_markdown.render(small_pack(title, text))
    assert markdown.startswith("# ")
    assert "\n# " not in markdown  # no heading of its own
    rows = [row for row in markdown.splitlines() if "| £5 | submitted |" in row]
    assert len(rows) == 1
    assert len(re.findall(r"(?<!\\)\|", rows[0])) == 8  # seven cells, whatever the text


# ---------------------------------------------------------------------------
# charts


def test_a_chart_is_labelled_and_scaled() -> None:
    svg = bar_chart(
        "c",
        "Title & <more>",
        "Desc",
        [
            Group("Pillar <A>", (Bar("Allocated", Decimal(200), "£200", "#1d3557"),)),
            Group(
                "",
                (
                    Bar("Approved", Decimal(100), "£100", "#2a6f97"),
                    Bar("Headroom", Decimal(-50), "-£50", "#b42318", "over-committed"),
                    Bar("Nothing", Decimal(0), "£0", "#2d936c"),
                ),
            ),
        ],
    )
    root = ET.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    assert root.findtext("title") == "Title & <more>"
    widths = [Decimal(rect.get("width") or "") for rect in root.iter("rect")]
    assert widths == [Decimal("418.0"), Decimal("209.0"), Decimal("104.5"), Decimal("0.0")]
    texts = [t.text for t in root.iter("text")]
    assert "Pillar <A>" in texts and "-£50 (over-committed)" in texts
    tips = [t.text for g in root.iter("g") for t in g.iter("title")]
    assert "Pillar <A>: Allocated £200" in tips and "Headroom -£50 (over-committed)" in tips


def test_an_empty_chart_is_still_valid() -> None:
    root = ET.fromstring(
        bar_chart("c", "t", "d", [Group("", (Bar("A", Decimal(0), "£0", "#000"),))])
    )
    assert [rect.get("width") for rect in root.iter("rect")] == ["0"]
    assert ET.fromstring(bar_chart("e", "t", "d", [])).get("viewBox") == "0 0 700 1"


def test_a_tiny_amount_is_still_visible() -> None:
    svg = bar_chart(
        "c",
        "t",
        "d",
        [
            Group(
                "", (Bar("Big", Decimal(10**9), "x", "#000"), Bar("Tiny", Decimal(1), "y", "#000"))
            )
        ],
    )
    assert [rect.get("width") for rect in ET.fromstring(svg).iter("rect")] == ["418.0", "1"]


@pytest.mark.parametrize(
    ("ident", "colour"),
    [("bad id", "#000"), ('x" onload="y', "#000"), ("ok", "red;x"), ("ok", "url(#a)")],
)
def test_a_chart_refuses_unsafe_ids_and_colours(ident: str, colour: str) -> None:
    with pytest.raises(ValueError):
        bar_chart(ident, "t", "d", [Group("", (Bar("A", Decimal(1), "1", colour),))])


@given(label=hostile_text, group=hostile_text)
def test_any_label_makes_a_well_formed_chart(label: str, group: str) -> None:
    svg = bar_chart("c", label, group, [Group(group, (Bar(label, Decimal(3), label, "#123456"),))])
    root = ET.fromstring(svg)  # well-formed XML: nothing escaped its element
    assert {element.tag for element in root.iter()} <= {
        "svg",
        "title",
        "desc",
        "g",
        "text",
        "rect",
        "line",
    }
    assert visible(root.findtext("title") or "") == visible(label)
