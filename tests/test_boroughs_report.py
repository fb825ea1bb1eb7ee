"""`loti report borough` and `loti report boroughs`: what each member gets.

Goldens: the bundled example (ledgers/2020-21.yaml and proposals/) as Camden's
statement in HTML (docs/borough-statement.html, which the README shows), markdown
and JSON, and as the members' table in CSV, JSON and markdown; and a hostile
fixture whose partner name, titles and outputs hold markup, terminal escapes,
bidi controls and spreadsheet formulas. `LOTI_UPDATE_GOLDEN=1 uv run pytest
tests/test_boroughs_report.py` rewrites them (read the diff before committing).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti_cli.core.budget import compute_status
from loti_cli.core.model import Ledger, Member
from loti_cli.core.money import Money
from loti_cli.pipeline.boroughs import gather
from tests.conftest import Run
from tests.test_panel import ALLOWED_TAGS, Page, assert_golden

ROOT = Path(__file__).parents[1]
GOLDEN = Path(__file__).parent / "golden" / "boroughs"
DOCS = ROOT / "docs"
EXAMPLE = ("--ledger", "ledgers/2020-21.yaml", "--proposals", "proposals")
HEADER = (
    "borough,kind,gss,fee,leads,delivers,supports,loti_funding,total_value,spent_to_date,pipeline"
)
MEMBERS = 21
"""19 boroughs (slide 5) and two partners, the GLA and London Councils."""

Cli = Callable[..., Run]


@pytest.fixture
def in_root(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the repository, so that paths show as ledgers/... and proposals/..."""
    monkeypatch.chdir(ROOT)
    return ROOT


@pytest.fixture
def example(in_tmp_path: Path) -> Path:
    """A copy of the bundled ledger and proposals, in the current (temporary) folder."""
    shutil.copytree(ROOT / "proposals", in_tmp_path / "proposals")
    (in_tmp_path / "ledgers").mkdir()
    shutil.copy(ROOT / "ledgers" / "2020-21.yaml", in_tmp_path / "ledgers" / "2020-21.yaml")
    return in_tmp_path


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def expected_membership(cli: Cli) -> Decimal:
    status = cli("budget", "status", "--format", "json")
    assert status.exit_code == 0, status.stderr
    return Decimal(json.loads(status.stdout)["membership"]["expected"])


# ---------------------------------------------------------------------------
# loti report boroughs


def test_boroughs_csv_of_the_example(cli: Cli, in_root: Path) -> None:
    result = cli("report", "boroughs", *EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # every member takes part: no BR1
    assert result.stdout.splitlines()[0] == HEADER
    members = rows(result.stdout)
    assert len(members) == MEMBERS
    camden = next(row for row in members if row["borough"] == "Camden")
    assert camden == {
        "borough": "Camden",
        "kind": "borough",
        "gss": "E09000007",
        "fee": "30000.00",
        "leads": "1",
        "delivers": "1",
        "supports": "1",
        "loti_funding": "70000.00",
        "total_value": "70000.00",
        "spent_to_date": "43725.00",  # CR-02 £33,750 and SL-01 £9,975 in the bundled actuals
        "pipeline": "3",  # DC-04, and the call's CIF-03 (lead) and CIF-06 (supporter)
    }
    gla = next(row for row in members if row["borough"] == "GLA")
    assert (gla["kind"], gla["gss"], gla["fee"], gla["supports"]) == (
        "partner",
        "",
        "100000.00",
        "3",
    )
    hackney = next(row for row in members if row["borough"] == "Hackney")
    assert (hackney["loti_funding"], hackney["total_value"]) == ("50000.00", "110000.00")
    assert_golden(GOLDEN / "boroughs.csv", result.stdout)


def test_the_fee_column_adds_up_to_the_expected_membership_income(cli: Cli, example: Path) -> None:
    fees = sum(Decimal(row["fee"]) for row in rows(cli("report", "boroughs").stdout))
    assert fees == expected_membership(cli) == Decimal("770000.00")


def test_the_fee_column_with_shared_service_fees(cli: Cli, example: Path) -> None:
    ledger = example / "ledgers" / "2020-21.yaml"
    text = ledger.read_text(encoding="utf-8")
    for name in ("Brent", "Ealing", "Hounslow"):
        old = f"{{name: {name}, kind: borough, fee: borough}}"
        assert old in text
        text = text.replace(old, f"{{name: {name}, kind: borough, fee: shared_service}}")
    text = text.replace(
        "{name: Sutton, kind: borough, fee: borough}",
        "{name: Sutton, kind: borough, fee: 12345.67}",
    )
    ledger.write_text(text, encoding="utf-8")
    result = cli("report", "boroughs")
    assert result.exit_code == 0, result.stderr
    members = rows(result.stdout)
    assert next(r for r in members if r["borough"] == "Brent")["fee"] == "22500.00"
    assert next(r for r in members if r["borough"] == "Sutton")["fee"] == "12345.67"
    fees = sum(Decimal(row["fee"]) for row in members)
    assert fees == expected_membership(cli) == Decimal("770000") - 3 * 7500 - Decimal("17654.33")


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["borough", "shared_service"]),
            st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False),
        ),
        min_size=0,
        max_size=19,
    )
)
def test_fees_always_add_up_to_what_budget_status_expects(fees: list[object]) -> None:
    names = [
        "Camden",
        "Hackney",
        "Brent",
        "Ealing",
        "Barnet",
        "Sutton",
        "Newham",
        "Lambeth",
        "Enfield",
        "Bexley",
        "Bromley",
        "Croydon",
        "Harrow",
        "Haringey",
        "Hillingdon",
        "Islington",
        "Merton",
        "Redbridge",
        "Wandsworth",
    ]
    members = [
        Member(name=name, kind="borough", fee=fee if isinstance(fee, str) else Money(fee))
        for name, fee in zip(names, fees, strict=False)
    ]
    ledger = Ledger(
        financial_year="2020-21",
        fees={"borough": Money(30000), "shared_service": Money("22500")},
        members=members,
    )
    statements = gather(ledger, "l.yaml", [])
    assert statements.expected_membership == compute_status(ledger).expected_membership
    assert all(member.idle for member in statements.members)


def test_boroughs_json_and_markdown_of_the_example(cli: Cli, in_root: Path) -> None:
    result = cli("report", "boroughs", "--format", "json", *EXAMPLE)
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert list(document) == ["version", "ledger", "financial_year", "boroughs", "findings"]
    assert (document["version"], document["financial_year"]) == (1, "2020-21")
    first = document["boroughs"][0]
    assert list(first) == [
        "borough",
        "kind",
        "gss",
        "fee",
        "leads",
        "delivers",
        "supports",
        "loti_funding",
        "total_value",
        "spent_to_date",
        "pipeline",
    ]
    assert first["borough"] == "Barnet" and first["leads"] == ["CR-03"]
    assert first["spent_to_date"] == "58980.50"  # CR-03 £41,480.50, DC-01 £17,500
    assert_golden(GOLDEN / "boroughs.json", result.stdout)
    markdown = cli("report", "boroughs", "--format", "markdown", *EXAMPLE)
    assert markdown.exit_code == 0, markdown.stderr
    assert "| **Total** |  |  | **£770,000** |" in markdown.stdout
    assert "no actuals" not in markdown.stdout and "£43,725" in markdown.stdout
    assert_golden(GOLDEN / "boroughs.md", markdown.stdout)


ISLINGTON = "  - {name: Islington, kind: borough, fee: borough}\n"


def test_br1_counts_members_without_a_project(cli: Cli, example: Path) -> None:
    ledger = example / "ledgers" / "2020-21.yaml"
    text = ledger.read_text(encoding="utf-8")
    anchor = "  - {name: Westminster, kind: borough, fee: borough}\n"
    ledger.write_text(
        text.replace(anchor, anchor + ISLINGTON + ISLINGTON.replace("Islington", "Merton")),
        encoding="utf-8",
    )
    line = text.splitlines().index("members:") + 1
    result = cli("report", "boroughs")
    assert result.exit_code == 0  # a warning
    islington = next(row for row in rows(result.stdout) if row["borough"] == "Islington")
    assert islington == {
        "borough": "Islington",
        "kind": "borough",
        "gss": "E09000019",
        "fee": "30000.00",
        "leads": "0",
        "delivers": "0",
        "supports": "0",
        "loti_funding": "0.00",
        "total_value": "0.00",
        "spent_to_date": "",
        "pipeline": "0",
    }
    assert result.stderr == (
        f"ledgers/2020-21.yaml:{line}:1: BR1 2 members have no approved or submitted project "
        "of 2020-21: Islington and Merton; their statements show the fee and the outputs they "
        "can reuse, and no project\n"
    )
    document = json.loads(cli("report", "boroughs", "--format", "json").stdout)
    (finding,) = document["findings"]
    assert (finding["code"], finding["severity"], finding["line"]) == ("BR1", "warning", line)
    idle = json.loads(cli("report", "borough", "Merton", "--format", "json").stdout)
    assert [f["code"] for f in idle["findings"]] == ["BR1"]
    busy = json.loads(cli("report", "borough", "Camden", "--format", "json").stdout)
    assert busy["findings"] == []  # the year's BR1 is not about Camden
    statement = cli("report", "borough", "Islington", "--format", "markdown")
    assert statement.exit_code == 0, statement.stderr
    assert "It leads, delivers and supports no approved project this year." in statement.stdout
    assert "| Membership fee | £30,000 |" in statement.stdout


def test_rules_explains_br1(cli: Cli) -> None:
    result = cli("rules", "BR1")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("BR1 members-without-projects (warning, boroughs rule;")
    assert "loti report boroughs" in result.stdout
    assert "Islington" in result.stdout


# ---------------------------------------------------------------------------
# loti report borough NAME


def test_statement_goldens_of_the_example(cli: Cli, in_root: Path) -> None:
    html = cli("report", "borough", "Camden", *EXAMPLE)
    assert html.exit_code == 0, html.stderr
    assert html.stderr == ""
    assert html.stdout.startswith("<!DOCTYPE html>\n")
    assert_golden(DOCS / "borough-statement.html", html.stdout)
    markdown = cli("report", "borough", "Camden", "--format", "markdown", *EXAMPLE)
    assert markdown.exit_code == 0, markdown.stderr
    assert markdown.stdout.startswith("# Member statement: Camden\n")
    assert "| Spent to date | £43,725 (ledgers/2020-21.actuals.csv) |" in markdown.stdout
    assert_golden(GOLDEN / "camden.md", markdown.stdout)
    data = cli("report", "borough", "Camden", "--format", "json", *EXAMPLE)
    assert data.exit_code == 0, data.stderr
    document = json.loads(data.stdout)
    assert document["borough"] == "Camden" and document["fee"] == "30000.00"
    assert [p["id"] for p in document["leads"]] == ["CR-02"]
    assert [p["id"] for p in document["delivers"]] == ["SL-01"]
    assert [p["id"] for p in document["supports"]] == ["DC-02"]
    assert [p["id"] for p in document["pipeline"]] == ["CIF-03", "CIF-06", "DC-04"]
    assert (document["loti_funding"], document["total_value"]) == ("70000.00", "70000.00")
    assert (document["spent_to_date"], document["actuals"]) == (
        "43725.00",
        "ledgers/2020-21.actuals.csv",
    )
    assert len(document["outputs"]) == 18
    assert {"name", "licence", "url", "proposal", "title"} == set(document["outputs"][0])
    assert_golden(GOLDEN / "camden.json", data.stdout)


def test_the_html_statement_is_self_contained(cli: Cli, in_root: Path) -> None:
    html = cli("report", "borough", "Camden", *EXAMPLE).stdout
    page = Page(html)
    assert set(page.tags) <= ALLOWED_TAGS, set(page.tags) - ALLOWED_TAGS
    assert "script" not in page.tags and page.tags.count("svg") == 2
    assert not [value for name, value in page.attrs if name == "src"]  # nothing is fetched
    links = [value for name, value in page.attrs if name == "href"]
    assert links and all(link.startswith("https://") for link in links)  # outputs' urls only
    assert "@page { size: A4" in html
    for text in ("Camden", "£30,000", "£70,000", "£43,725", "CR-02", "DC-04", "OGL-UK-3.0"):
        assert text in page.text


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("Camden", "Camden"),
        ("LBHF", "Hammersmith and Fulham"),
        ("Hammersmith & Fulham", "Hammersmith and Fulham"),
        ("E09000013", "Hammersmith and Fulham"),
        ("royal borough of kensington and chelsea", "Kensington and Chelsea"),
        ("Kingston", "Kingston upon Thames"),
        ("gla", "GLA"),
        ("London  councils", "London Councils"),
    ],
)
def test_every_spelling_the_roster_accepts(cli: Cli, in_root: Path, name: str, shown: str) -> None:
    result = cli("report", "borough", name, "--format", "markdown", *EXAMPLE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[0].endswith(f"statement: {shown}")


MEMBER_LIST = (
    "the members of 2020-21 are Barnet, Brent, Camden, Ealing, Enfield, Greenwich, Hackney, "
    "Hammersmith and Fulham, Havering, Hounslow, Kensington and Chelsea, Kingston upon Thames, "
    "Lambeth, Newham, Southwark, Sutton, Tower Hamlets, Waltham Forest, Westminster, GLA and "
    "London Councils\n"
)


def test_a_london_borough_that_is_not_a_member(cli: Cli, in_root: Path) -> None:
    result = cli("report", "borough", "Islington", *EXAMPLE)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: Islington is a London borough but not a member of LOTI in 2020-21 "
        f"(ledger ledgers/2020-21.yaml); {MEMBER_LIST}"
    )
    by_code = cli("report", "borough", "E09000019", *EXAMPLE)
    assert (by_code.exit_code, by_code.stderr) == (2, result.stderr)


@pytest.mark.parametrize(
    ("name", "hint"),
    [
        ("Hackny", " (did you mean 'Hackney'?)"),
        ("Lodnon Councils", " (did you mean 'London Councils'?)"),
        ("Atlantis", ""),
    ],
)
def test_a_name_that_is_no_borough(cli: Cli, in_root: Path, name: str, hint: str) -> None:
    result = cli("report", "borough", name, *EXAMPLE)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"loti: error: '{name}' is neither a London borough nor a member of LOTI in 2020-21"
        f"{hint}; {MEMBER_LIST}"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name a member (loti report borough Camden), or give --all --output-dir DIR"),
        (("Camden", "--all", "--output-dir", "x"), "name a member or give --all, not both"),
        (("--all",), "--all needs --output-dir DIR"),
        (("--all", "--output-dir", "x", "-o", "y"), "--all writes one file per member"),
        (("Camden", "--output-dir", "x"), "--output-dir is for --all"),
    ],
)
def test_one_member_or_all(cli: Cli, example: Path, args: tuple[str, ...], message: str) -> None:
    result = cli("report", "borough", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"loti: error: {message}")
    assert not (example / "x").exists()


def test_pack_options_before_a_statement_are_refused(cli: Cli, example: Path) -> None:
    result = cli("report", "--format", "markdown", "borough", "Camden")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: --format: options of the panel pack, not of `loti report borough`; put "
        "them after borough, e.g. loti report borough --help\n"
    )


def test_output_file_and_what_it_will_not_overwrite(cli: Cli, example: Path) -> None:
    result = cli("report", "borough", "Hackney", "-o", "hackney.html")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        "loti: wrote hackney.html: the statement of Hackney for 2020-21; ledger "
        "ledgers/2020-21.yaml (the latest in ledgers/)\n"
    )
    assert "Hackney" in (example / "hackney.html").read_text(encoding="utf-8")
    before = (example / "ledgers" / "2020-21.yaml").read_bytes()
    refused = cli("report", "borough", "Hackney", "-o", "ledgers/2020-21.yaml")
    assert refused.exit_code == 2
    assert refused.stderr == (
        "loti: error: --output ledgers/2020-21.yaml: is an input of this run (the ledger in "
        "use); name another file, or add --force to overwrite it\n"
    )
    assert (example / "ledgers" / "2020-21.yaml").read_bytes() == before
    table = cli("report", "boroughs", "-o", "proposals/cr-01.yaml")
    assert table.exit_code == 2 and "is an input of this run" in table.stderr


def test_a_proposal_that_cannot_be_counted_fails_the_run(cli: Cli, example: Path) -> None:
    (example / "proposals" / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    for args in (("borough", "Camden"), ("boroughs",), ("boroughs", "--format", "json")):
        result = cli("report", *args)
        assert result.exit_code == 1, args
        assert "proposals/broken.yaml:2:1: LB9 may be an approved proposal" in result.stderr
        assert result.stderr.endswith(
            "loti: error: the figures leave out 1 proposal file that may count "
            "(proposals/broken.yaml); see the LB9 findings, fix it and run again.\n"
        )
    html = cli("report", "borough", "Camden").stdout
    assert "Incomplete: the figures leave out 1 proposal file" in html
    csv_text = cli("report", "boroughs").stdout
    assert csv_text.splitlines()[1].startswith('finding,"proposals/broken.yaml:2:1: LB9')
    document = json.loads(cli("report", "boroughs", "--format", "json").stdout)
    assert document["uncounted"] == ["proposals/broken.yaml"]


def test_a_borough_entry_that_cannot_be_read_fails_the_run(cli: Cli, example: Path) -> None:
    path = example / "proposals" / "cr-02.yaml"
    text = path.read_text(encoding="utf-8")
    assert "role: lead" in text
    path.write_text(text.replace("role: lead", "role: leader", 1), encoding="utf-8")
    result = cli("report", "boroughs", "--format", "json")
    assert result.exit_code == 1
    assert "proposals/cr-02.yaml:" in result.stderr
    assert "LB9 is an approved proposal of 2020-21 whose boroughs cannot all be read" in (
        result.stderr
    )
    assert json.loads(result.stdout)["uncounted"] == ["proposals/cr-02.yaml"]
    statement = cli("report", "borough", "Camden", "--format", "markdown")
    assert statement.exit_code == 1
    assert "Incomplete: the figures leave out 1 proposal file" in statement.stdout


def test_the_year_to_report(cli: Cli, example: Path) -> None:
    result = cli("report", "boroughs", "--year", "2020-21")
    assert result.exit_code == 0, result.stderr
    assert len(rows(result.stdout)) == MEMBERS
    missing = cli("report", "borough", "Camden", "--year", "2031-32")
    assert missing.exit_code == 2 and missing.stdout == ""
    assert missing.stderr.startswith("loti: error: ") and "2031-32" in missing.stderr
    other = cli("report", "boroughs", "--ledger", "ledgers/2020-21.yaml", "--year", "2021-22")
    assert other.exit_code == 2
    assert other.stderr == (
        "loti: error: --year 2021-22 but the ledger ledgers/2020-21.yaml is for 2020-21\n"
    )


def test_a_ledger_that_cannot_be_loaded(cli: Cli, example: Path) -> None:
    (example / "ledgers" / "2020-21.yaml").write_text("ledger: [\n", encoding="utf-8")
    for args in (("borough", "Camden"), ("boroughs",)):
        result = cli("report", *args)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr.startswith("loti: error: the ledger ledgers/2020-21.yaml")
        assert "ledgers/2020-21.yaml:2:1: LB8" in result.stderr


# ---------------------------------------------------------------------------
# --all


def test_all_writes_every_statement_and_an_index(cli: Cli, example: Path) -> None:
    result = cli("report", "borough", "--all", "--output-dir", "out")
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"loti: wrote {MEMBERS} statements and out/index.html; ledger ledgers/2020-21.yaml "
        "(the latest in ledgers/)\n"
    )
    files = sorted(path.name for path in (example / "out").iterdir())
    assert len(files) == MEMBERS + 1
    assert "hammersmith-and-fulham.html" in files and "gla.html" in files
    index = (example / "out" / "index.html").read_text(encoding="utf-8")
    page = Page(index)
    links = [value for name, value in page.attrs if name == "href"]
    assert sorted(links) == sorted(f for f in files if f != "index.html")
    assert "£770,000" in page.text and "script" not in page.tags
    camden = (example / "out" / "camden.html").read_text(encoding="utf-8")
    assert camden == cli("report", "borough", "Camden").stdout
    markdown = cli("report", "borough", "--all", "--output-dir", "md", "--format", "markdown")
    assert markdown.exit_code == 0, markdown.stderr
    assert (example / "md" / "camden.md").read_text(encoding="utf-8").startswith("# Member")


def test_all_never_writes_over_an_input(cli: Cli, example: Path) -> None:
    (example / "out").mkdir()
    ledger = example / "out" / "camden.html"  # a ledger may have any name
    shutil.copy(example / "ledgers" / "2020-21.yaml", ledger)
    before = ledger.read_bytes()
    result = cli("report", "borough", "--all", "--output-dir", "out", "--ledger", str(ledger))
    assert result.exit_code == 2
    assert result.stderr == (
        "loti: error: --output-dir out/camden.html: is an input of this run (the ledger in "
        "use); name another file, or add --force to overwrite it\n"
    )
    assert ledger.read_bytes() == before
    assert sorted(p.name for p in (example / "out").iterdir()) == ["camden.html"]
    (example / "file").write_text("", encoding="utf-8")
    not_a_folder = cli("report", "borough", "--all", "--output-dir", "file")
    assert not_a_folder.exit_code == 2
    assert not_a_folder.stderr.endswith("Invalid value for '--output-dir': dir 'file' is a file.\n")


def test_file_names_are_safe_for_any_name() -> None:
    from loti_cli.commands.report_all import file_names

    names = [
        "Camden",
        "../../etc/passwd",
        "CON",
        "index",
        "Ünïcödé Borough",
        "<script>",
        "",
        "camden",
        "a" * 300,
        "\u202e\x1b[31m",
    ]
    found = file_names(names, ".html")
    assert found[:4] == ["camden.html", "etc-passwd.html", "member-3.html", "member-4.html"]
    assert found[4:8] == ["unicode-borough.html", "script.html", "member-7.html", "camden-2.html"]
    assert found[8] == "a" * 60 + ".html" and found[9] == "31m.html"
    assert len(set(found)) == len(found)
    for name in found:
        assert name == Path(name).name and name.isascii() and " " not in name


# ---------------------------------------------------------------------------
# hostile text

HOSTILE_PARTNER = '=HYPERLINK("x") <script>alert(1)</script> \x1b[31m\u202egnp.exe | *x*'
HOSTILE_TITLE = "<b>Bold</b> & \x1b]8;;http://evil\x07link | `code`"


def hostile_folder(folder: Path) -> None:
    """The example's ledger with a hostile partner, and a hostile approved proposal."""
    ledger = folder / "ledgers" / "2020-21.yaml"
    text = ledger.read_text(encoding="utf-8")
    partner = json.dumps(HOSTILE_PARTNER)  # a YAML double-quoted string
    anchor = "  - {name: GLA, kind: partner, fee: 100000}"
    assert anchor in text
    text = text.replace(anchor, f"  - {{name: {partner}, kind: partner, fee: 1}}\n{anchor}")
    ledger.write_text(text, encoding="utf-8")
    proposal = f"""\
id: HX-01
title: {json.dumps(HOSTILE_TITLE)}
financial_year: 2020-21
pillar: Smarter London
area: Standards
status: approved
panel: 2020-10-01
boroughs:
  - {{name: Camden, role: lead}}
  - {{name: {partner}, role: delivery}}
budget: {{requested: 1}}
outputs:
  - {{name: {json.dumps(HOSTILE_TITLE)}, licence: MIT, gifted: true, url: "javascript:alert(1)"}}
  - {{name: Safe, licence: MIT, gifted: true, url: "https://example.org/a?b=<c>&d"}}
"""
    (folder / "proposals" / "hx-01.yaml").write_text(proposal, encoding="utf-8")


def test_hostile_text_in_every_format(cli: Cli, example: Path) -> None:
    hostile_folder(example)
    html = cli("report", "borough", HOSTILE_PARTNER)
    assert html.exit_code == 0, html.stderr
    page = Page(html.stdout)
    assert set(page.tags) <= ALLOWED_TAGS and "script" not in page.tags and "b" not in page.tags
    assert "\x1b" not in html.stdout and "&lt;script&gt;" in html.stdout
    hrefs = [value for name, value in page.attrs if name == "href"]
    assert "https://example.org/a?b=<c>&d" in hrefs
    assert not [
        href for href in hrefs if not href.startswith("https://")
    ]  # javascript: is shown, never linked
    assert_golden(GOLDEN / "hostile.html", html.stdout)
    markdown = cli("report", "borough", HOSTILE_PARTNER, "--format", "markdown")
    assert markdown.exit_code == 0, markdown.stderr
    assert "\x1b" not in markdown.stdout and "\u202e" not in markdown.stdout
    heading = markdown.stdout.splitlines()[0]
    assert heading.startswith("# Partner statement: =HYPERLINK")
    assert "\\<script\\>" in heading and "\\\\x1b" in heading and "\\\\u202e" in heading
    assert "\\| \\*x\\*" in heading
    assert "| HX-01 | \\<b\\>Bold\\</b\\> \\& \\\\x1b\\]8;;" in markdown.stdout
    assert_golden(GOLDEN / "hostile.md", markdown.stdout)
    data = cli("report", "borough", "Camden", "--format", "json")
    assert data.exit_code == 0, data.stderr
    names = [output["name"] for output in json.loads(data.stdout)["outputs"]]
    assert HOSTILE_TITLE in names  # data, as written
    assert "\x1b" not in data.stdout  # JSON escapes it
    table = cli("report", "boroughs")
    assert table.exit_code == 0, table.stderr
    (row,) = [r for r in rows(table.stdout) if r["kind"] == "partner" and r["fee"] == "1.00"]
    assert row["borough"].startswith("'=HYPERLINK")  # inert in a spreadsheet
    assert "\x1b" not in table.stdout and "\\x1b" in row["borough"]
    assert (row["delivers"], row["loti_funding"]) == ("1", "1.00")
    assert_golden(GOLDEN / "hostile.csv", table.stdout)
    error = cli("report", "borough", "\x1b[2J<b>")
    assert error.exit_code == 2 and "\x1b" not in error.stderr and "\\x1b[2J<b>" in error.stderr


def test_hostile_names_in_the_panel_pack_matrix(cli: Cli, example: Path) -> None:
    hostile_folder(example)
    result = cli("report")
    page = Page(result.stdout)
    assert set(page.tags) <= ALLOWED_TAGS and "script" not in page.tags
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in result.stdout
    markdown = cli("report", "--format", "markdown").stdout
    matrix = markdown[markdown.index("## Who takes part") :]
    assert "| \\=HYPERLINK" not in matrix or "\\<script\\>" in matrix
    assert "\x1b" not in matrix


# ---------------------------------------------------------------------------
# spent to date, from the year's actuals

ACTUALS = """\
id,date,amount,line,proposal,supplier,description,source,source_row
T1,2020-05-01,1234.56,Personnel,,Acme,Salary,gl.csv,1
T2,2020-06-01,10000.00,,CR-02,Supplier,Track and trace,gl.csv,2
T3,2020-06-02,-500.01,,CR-02,Supplier,Credit note,gl.csv,3
T4,2020-07-01,2500.50,,SL-01,Supplier,Standards,gl.csv,4
T5,2020-07-02,999.99,,DC-02,Supplier,Reference model,gl.csv,5
T6,2020-07-03,42.00,,,Nobody,Unmatched,gl.csv,6
"""


def test_spent_to_date_from_the_actuals(cli: Cli, example: Path) -> None:
    (example / "ledgers" / "2020-21.actuals.csv").write_text(ACTUALS, encoding="utf-8")
    table = rows(cli("report", "boroughs").stdout)
    spent = {row["borough"]: row["spent_to_date"] for row in table}
    # Camden leads CR-02 and delivers SL-01; it supports DC-02, which it does not count.
    assert spent["Camden"] == "12000.49"  # 10000.00 - 500.01 + 2500.50
    assert spent["Kensington and Chelsea"] == "999.99"  # leads DC-02
    assert spent["Barnet"] == "0.00" and spent["GLA"] == "0.00"  # actuals, none of theirs
    data = json.loads(cli("report", "borough", "Camden", "--format", "json").stdout)
    assert (data["spent_to_date"], data["actuals"]) == ("12000.49", "ledgers/2020-21.actuals.csv")
    markdown = cli("report", "borough", "Camden", "--format", "markdown").stdout
    assert "| Spent to date | £12,000.49 (ledgers/2020-21.actuals.csv) |" in markdown
    html = cli("report", "borough", "Camden").stdout
    assert "£12,000.49" in html and "no actuals" not in html


def test_an_invalid_actuals_file_stops_the_run(cli: Cli, example: Path) -> None:
    broken = ACTUALS.replace("10000.00", "10,000").replace("2020-07-01", "2020-13-01")
    (example / "ledgers" / "2020-21.actuals.csv").write_text(broken, encoding="utf-8")
    for args in (("borough", "Camden"), ("boroughs",), ("borough", "--all", "--output-dir", "o")):
        result = cli("report", *args)
        assert result.exit_code == 2, args
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert lines[0] == (
            "loti: error: the actuals file ledgers/2020-21.actuals.csv is not valid, so no figure "
            "made from it can be trusted; fix it (each problem is below) and run again:"
        )
        assert [line.split(": ")[0].rsplit(":", 2)[0] for line in lines[1:]] == [
            "ledgers/2020-21.actuals.csv"
        ] * 2
        assert all(" MN6 " in line for line in lines[1:])
    assert not (example / "o").exists()
