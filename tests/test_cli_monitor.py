"""`loti budget monitor`: exit codes, standard output and error, every format (golden files),
findings MN1 to MN6 at their places, periods, hostile text and narrow terminals."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from loti_cli.core.money import Money, format_money
from tests.conftest import Run

Cli = Callable[..., Run]

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "monitor"
PLAIN = {"COLUMNS": "100", "NO_COLOR": "1"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
HEADER = "id,date,amount,line,proposal,supplier,description,source,source_row"

LEDGER = (
    (ROOT / "ledgers" / "2020-21.yaml")
    .read_text(encoding="utf-8")
    .replace(
        "  - name: Personnel\n    amount: 264000\n    status: estimated\n",
        "  - name: Personnel\n    amount: 264000\n    status: estimated\n"
        "    profile: [22000, 22000, 22000, 22000, 22000, 22000, 22000, 22000, 22000, "
        "22000, 22000, 22000]\n"
        "  # forecast: a new post from January\n",
    )
    .replace(
        "  - name: Design\n    amount: 20000\n    status: estimated\n",
        "  - name: Design\n    amount: 20000\n    status: estimated\n    forecast: 23000\n",
    )
)
"""The repository's ledger with a monthly profile on Personnel and a forecast on Design."""

ACTUALS = """\
a01,2020-04-30,22000.00,Personnel,,Payroll,April pay,finance.csv,1
a02,2020-05-29,22000.00,Personnel,,Payroll,May pay,finance.csv,2
a03,2020-06-30,22000.00,Personnel,,Payroll,June pay,finance.csv,3
a04,2020-07-31,22000.00,Personnel,,Payroll,July pay,finance.csv,4
a05,2020-08-28,22000.00,Personnel,,Payroll,August pay,finance.csv,5
a06,2020-09-30,22000.00,Personnel,,Payroll,September pay,finance.csv,6
a07,2020-05-12,57000.00,Thirty3 Platform,,Thirty3,Licence,finance.csv,7
a08,2020-06-03,20000.00,Digital DPIA tool,,Acme,DPIA tool,finance.csv,8
a09,2020-07-15,9000.00,Design,,Studio,Design sprint,finance.csv,9
a10,2020-08-20,12000.00,,CR-02,Acme,Discovery,finance.csv,10
a11,2020-09-10,450.00,,,Caterer,Lunch,finance.csv,11
a12,2020-09-11,1200.00,,CR-04,Acme,Early start,finance.csv,12
a13,2020-06-20,25000.00,LOTI website,,Web Co,Build,finance.csv,13
"""
"""Six months of pay, three paid lines (one over), a design sprint, spend on an approved
proposal (CR-02), on a submitted one (CR-04) and on nothing."""


def workspace(
    folder: Path, rows: str | None = ACTUALS, ledger: str = LEDGER, *, proposals: bool = True
) -> Path:
    """ledgers/2020-21.yaml, its actuals file (when `rows` is not None) and proposals/."""
    (folder / "ledgers").mkdir(exist_ok=True)
    path = folder / "ledgers" / "2020-21.yaml"
    path.write_text(ledger, encoding="utf-8")
    if rows is not None:
        (folder / "ledgers" / "2020-21.actuals.csv").write_text(
            f"{HEADER}\n{rows}", encoding="utf-8"
        )
    if proposals and not (folder / "proposals").exists():
        shutil.copytree(ROOT / "proposals", folder / "proposals")
    return path


@pytest.fixture
def month(in_tmp_path: Path) -> Path:
    return workspace(in_tmp_path)


def as_json(run: Run) -> dict[str, object]:
    document = json.loads(run.stdout)
    assert isinstance(document, dict)
    return document


# ---------------------------------------------------------------------------
# figures


def test_json_has_the_contracts_keys_and_figures(cli: Cli, month: Path) -> None:
    run = cli("budget", "monitor", "--format", "json")
    assert run.exit_code == 1  # MN1 (LOTI website) and MN4 (CR-04) are errors
    assert run.stderr == ""
    document = json.loads(run.stdout)
    assert list(document)[:7] == [
        "version",
        "ledger",
        "financial_year",
        "period",
        "actuals",
        "thresholds",
        "lines",
    ]
    assert document["version"] == 1
    assert document["period"] == {
        "month": 6,
        "label": "Month 6",
        "start": "2020-09-01",
        "end": "2020-09-30",
    }
    rows = {row["name"]: row for row in document["lines"]}
    assert rows["Personnel"] == {
        "name": "Personnel",
        "kind": "line",
        "pillar": None,
        "budget": "264000.00",
        "profile_to_date": "132000.00",
        "actual_to_date": "132000.00",
        "variance_to_date": "0.00",
        "forecast_outturn": "264000.00",
        "variance": "0.00",
        "variance_pct": "0.0",
        "rag": "green",
    }
    design = rows["Design"]
    assert (design["profile_to_date"], design["forecast_outturn"]) == ("10000.00", "23000.00")
    assert (design["variance_pct"], design["rag"]) == ("15.0", "red")
    website = rows["LOTI website"]
    assert (website["forecast_outturn"], website["variance_pct"], website["rag"]) == (
        "25000.00",
        "8.7",
        "amber",
    )
    # CR-02 was approved at the panel of 1 October (month 7): nothing expected before it.
    assert rows["CR-02"]["kind"] == "proposal"
    assert rows["CR-02"]["pillar"] == "Covid Recovery"
    assert rows["CR-02"]["profile_to_date"] == "0.00"
    assert rows["CR-02"]["actual_to_date"] == "12000.00"
    assert "CR-04" not in rows  # submitted, not approved
    unmatched = document["unmatched"]
    assert unmatched["actual_to_date"] == "1650.00"  # the lunch and CR-04's early start
    assert (unmatched["budget"], unmatched["rows"], unmatched["variance_pct"]) == ("0.00", 2, None)


def test_totals_and_what_is_left_at_year_end(cli: Cli, month: Path) -> None:
    document = json.loads(cli("budget", "monitor", "--format", "json").stdout)
    totals = document["totals"]
    rows = [*document["lines"], document["unmatched"]]
    for key in ("budget", "profile_to_date", "actual_to_date", "forecast_outturn", "variance"):
        assert Decimal(totals[key]) == sum(Decimal(row[key]) for row in rows), key
    assert totals["actual_to_date"] == "256650.00"
    pillars = {item["pillar"]: item for item in totals["pillars"]}
    assert pillars["Covid Recovery"]["budget"] == "145000.00"
    assert totals["proposals"]["budget"] == "250000.00"
    # planned unspent is budget status's remaining less what approved proposals take
    status = json.loads(cli("budget", "status", "--format", "json").stdout)
    approved = sum(Decimal(p["approved"]) for p in status["allocations"]["pillars"])
    assert Decimal(document["planned_unspent"]) == Decimal(status["remaining"]) - approved
    assert document["planned_unspent"] == "194000.00"
    assert Decimal(document["forecast_unspent"]) == Decimal(status["income"]["total"]) - Decimal(
        totals["forecast_outturn"]
    )


def test_findings_are_placed_in_the_ledger_the_proposal_and_the_actuals(
    cli: Cli, month: Path
) -> None:
    run = cli("budget", "monitor", env=PLAIN)
    assert run.exit_code == 1
    assert run.stderr == ""
    found = [line for line in run.stdout.splitlines() if re.match(r"\S+:\d+:\d+: MN", line)]
    codes = [(line.split(": ")[0], line.split(": ")[1].split()[0]) for line in found]
    assert codes == [
        ("ledgers/2020-21.actuals.csv:12:1", "MN2"),
        ("ledgers/2020-21.actuals.csv:13:1", "MN4"),
        ("ledgers/2020-21.yaml:73:15", "MN5"),  # Design's forecast
        ("ledgers/2020-21.yaml:87:13", "MN1"),  # LOTI website's amount
        ("ledgers/2020-21.yaml:87:13", "MN3"),
    ]
    text = "\n".join(found)
    assert "1 actual (£450) to 2020-09-30 names no line or proposal" in text
    # Importing again keeps an imported row as it is (IM6): a new rule alone changes nothing.
    assert (
        "add an import rule that matches them, delete their rows from this file and import "
        "again, or fill in their line" in text
    )
    assert "proposal 'CR-04': CR-04 is submitted, not approved" in text
    assert "'Design' is red: its forecast outturn £23,000 is £3,000 (15.0%) over" in text
    assert "'LOTI website' has spent £25,000 to date, £2,000 more than its budget" in text
    assert "'LOTI website' is paid at £23,000 but its actuals to date add up to £25,000" in text
    assert run.stdout.rstrip().endswith("2 errors, 3 warnings")


def test_the_period_counts_actuals_to_its_end(cli: Cli, month: Path) -> None:
    run = cli("budget", "monitor", "--period", "2020-06", "--format", "json")
    assert run.exit_code == 1  # LOTI website is over in June already
    document = json.loads(run.stdout)
    assert document["period"]["month"] == 3
    rows = {row["name"]: row for row in document["lines"]}
    assert rows["Personnel"]["actual_to_date"] == "66000.00"
    assert rows["Personnel"]["profile_to_date"] == "66000.00"
    assert document["unmatched"]["actual_to_date"] == "0.00"
    assert not [f for f in document["findings"] if f["code"] in ("MN2", "MN4")]


def test_as_of_counts_actuals_to_the_day(cli: Cli, month: Path) -> None:
    run = cli("budget", "monitor", "--as-of", "2020-09-10", "--format", "json")
    document = json.loads(run.stdout)
    assert document["period"]["month"] == 6
    assert document["period"]["end"] == "2020-09-10"
    rows = {row["name"]: row for row in document["lines"]}
    assert rows["Personnel"]["actual_to_date"] == "110000.00"  # not September's pay
    assert document["unmatched"]["actual_to_date"] == "450.00"  # the lunch, not CR-04's


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--period", "2021-04"),
            "--period 2021-04 is outside the financial year 2020-21, which runs from April "
            "2020 (month 1, --period 2020-04) to March 2021 (month 12, --period 2021-03)",
        ),
        (("--period", "2020-13"), "--period 2020-13 is not a month; write it as YYYY-MM"),
        (("--period", "September"), "--period September is not a month"),
        (("--period", "0000-01"), "--period 0000-01 is outside the financial year 2020-21"),
        (("--as-of", "2020-03-31"), "--as-of 2020-03-31 is outside the financial year 2020-21"),
        (("--period", "2020-09", "--as-of", "2020-09-01"), "give --period or --as-of, not both"),
    ],
)
def test_a_period_outside_the_year_cannot_run(
    cli: Cli, month: Path, args: tuple[str, ...], message: str
) -> None:
    run = cli("budget", "monitor", *args)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert message in run.stderr
    assert "Traceback" not in run.stderr


def test_with_no_actuals_the_period_is_the_ledgers_as_of_month(cli: Cli, in_tmp_path: Path) -> None:
    workspace(in_tmp_path, rows=None)
    run = cli("budget", "monitor", "--format", "json")
    assert run.exit_code == 0  # Design's forecast is red: a warning
    assert run.stderr == (
        "loti: no actuals in ledgers/2020-21.actuals.csv; the period is Month 4 (July 2020), "
        "the ledger's as_of\n"
    )
    document = json.loads(run.stdout)
    assert document["period"]["month"] == 4
    assert document["totals"]["actual_to_date"] == "0.00"
    assert [f["code"] for f in document["findings"]] == ["MN5"]


def test_strict_makes_warnings_fail(cli: Cli, in_tmp_path: Path) -> None:
    workspace(in_tmp_path, rows="a1,2020-05-01,100.00,,,Caterer,Lunch,finance.csv,1\n")
    run = cli("budget", "monitor", "--format", "json")
    assert run.exit_code == 0
    assert [f["code"] for f in json.loads(run.stdout)["findings"]] == ["MN2", "MN5"]
    strict = cli("budget", "monitor", "--format", "json", "--strict")
    assert strict.exit_code == 1
    assert strict.stdout == run.stdout
    assert strict.stderr == ""


# ---------------------------------------------------------------------------
# runs that cannot be made


def test_an_invalid_actuals_file_is_every_problem_at_its_place_and_exit_2(
    cli: Cli, in_tmp_path: Path
) -> None:
    workspace(
        in_tmp_path,
        rows="a1,2020-05-01,100,Design,,S,D,f.csv,1\n"
        "a2,2021-05-01,100.00,Design,,S,D,f.csv,2\n"
        "a2,2020-13-01,100.00,Design,,S,D,f.csv,3\n",
    )
    run = cli("budget", "monitor")
    assert run.exit_code == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0] == "loti: error: the actuals file ledgers/2020-21.actuals.csv is not valid:"
    body = "\n".join(lines)
    assert (
        "ledgers/2020-21.actuals.csv:2:15: MN6 amount '100' is not written with two decimals"
        in body
    )
    assert (
        "ledgers/2020-21.actuals.csv:3:4: MN6 date 2021-05-01 is outside the financial year" in body
    )
    assert "ledgers/2020-21.actuals.csv:4:1: MN6 id 'a2' is also on line 3" in body
    assert "ledgers/2020-21.actuals.csv:4:4: MN6 date '2020-13-01' is not a date" in body
    assert "4 problems; fix them (or import the export again) and run again" in body


def test_an_amount_too_large_to_sum_exactly_is_mn6_not_an_internal_error(
    cli: Cli, in_tmp_path: Path
) -> None:
    workspace(in_tmp_path, rows="a1,2020-05-01,12345678901234567890123456789.01,Design,,S,D,f,1\n")
    run = cli("budget", "monitor")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.splitlines()[1:] == [
        "ledgers/2020-21.actuals.csv:2:15: MN6 amount '12345678901234567890123456789.01' is too "
        "large: amounts are below £10,000,000,000,000 (the import never writes one); correct it, "
        "or import the export again",
        "1 problem; fix them (or import the export again) and run again",
    ]


def test_an_invalid_ledger_key_cannot_run(cli: Cli, in_tmp_path: Path) -> None:
    ledger = LEDGER.replace("    forecast: 23000\n", "    forecast: lots\n")
    ledger += "monitoring: {amber: 15%, red: 10%}\n"
    workspace(in_tmp_path, ledger=ledger)
    run = cli("budget", "monitor")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "ledgers/2020-21.yaml:73:15: LB8 expenditure[4].forecast: 'lots' is not an amount" in (
        run.stderr
    )
    assert "MN" not in run.stderr
    assert "LB8 monitoring amber 15% is above red 10%; amber is the lower threshold" in run.stderr


def test_a_proposal_that_cannot_be_counted_fails_the_run(cli: Cli, month: Path) -> None:
    (month.parent.parent / "proposals" / "cr-09.yaml").write_text(
        "id: CR-09\nstatus: Approved\nfinancial_year: 2020-21\n", encoding="utf-8"
    )
    run = cli("budget", "monitor", "--format", "json")
    assert run.exit_code == 1
    document = json.loads(run.stdout)
    assert document["uncounted"] == ["proposals/cr-09.yaml"]
    assert "LB9" in [f["code"] for f in document["findings"]]
    assert run.stderr.startswith("loti: error: the figures leave out 1 proposal file")


def test_spend_on_an_approved_proposal_that_cannot_be_counted_is_not_called_unapproved(
    cli: Cli, month: Path
) -> None:
    cr02 = month.parent.parent / "proposals" / "cr-02.yaml"
    cr02.write_text(
        cr02.read_text(encoding="utf-8").replace("pillar: Covid Recovery", "pillar: Covid Recovry"),
        encoding="utf-8",
    )
    run = cli("budget", "monitor", env=PLAIN)
    assert run.exit_code == 1
    (mn4,) = [
        line
        for line in run.stdout.splitlines()
        if line.startswith("ledgers/2020-21.actuals.csv:11:1: MN4")
    ]
    assert mn4 == (
        "ledgers/2020-21.actuals.csv:11:1: MN4 1 actual (£12,000) to 2020-09-30 names proposal "
        "'CR-02': CR-02 is approved, but no figure counts it (LB9 at proposals/cr-02.yaml says "
        "why); its spend is counted as Unmatched until the proposal is corrected"
    )
    assert "proposals/cr-02.yaml:6:9: LB9 is an approved proposal of 2020-21" in run.stdout


def test_spend_on_a_mistyped_proposal_id_suggests_the_id(cli: Cli, in_tmp_path: Path) -> None:
    workspace(in_tmp_path, rows=ACTUALS + "a14,2020-09-12,100.00,,CR-2,Acme,Typo,finance.csv,14\n")
    run = cli("budget", "monitor", env=PLAIN)
    assert run.exit_code == 1
    assert (
        "ledgers/2020-21.actuals.csv:15:1: MN4 1 actual (£100) to 2020-09-30 names proposal "
        "'CR-2': no proposal in the proposals folder has this id; money is spent on a "
        "proposal once a panel approves it (counted as Unmatched); did you mean 'CR-02'?"
    ) in run.stdout.splitlines()


def test_year_must_match_the_ledger(cli: Cli, month: Path) -> None:
    run = cli("budget", "monitor", "--ledger", "ledgers/2020-21.yaml", "--year", "2021-22")
    assert run.exit_code == 2
    assert "--year 2021-22 but the ledger ledgers/2020-21.yaml is for 2020-21" in run.stderr


def test_output_writes_the_file_and_never_an_input(cli: Cli, month: Path) -> None:
    run = cli("budget", "monitor", "--format", "csv", "--output", "monitor.csv")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr == "loti: wrote monitor.csv: Month 6\n"
    assert Path("monitor.csv").read_bytes().startswith(b"section,name,pillar,budget,")
    refused = cli("budget", "monitor", "--output", "ledgers/2020-21.actuals.csv")
    assert refused.exit_code == 2
    assert "is an input of this run (the actuals file)" in refused.stderr
    assert Path("ledgers/2020-21.actuals.csv").read_text(encoding="utf-8").startswith(HEADER)
    nowhere = cli("budget", "monitor", "--output", "missing/monitor.csv")
    assert nowhere.exit_code == 2
    assert nowhere.stdout == ""
    assert nowhere.stderr == "loti: error: --output missing/monitor.csv: no such folder missing\n"


# ---------------------------------------------------------------------------
# golden files, one per format

FORMATS = {
    "table": "month.table.txt",
    "json": "month.json",
    "csv": "month.csv",
    "markdown": "month.md",
}


@pytest.mark.parametrize("output_format", FORMATS)
def test_each_format_matches_its_golden_file(cli: Cli, month: Path, output_format: str) -> None:
    run = cli("budget", "monitor", "--format", output_format, env=PLAIN)
    assert run.exit_code == 1
    assert run.stderr == ""
    golden = GOLDEN / FORMATS[output_format]
    if os.environ.get("LOTI_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(run.stdout_bytes)
    assert golden.exists(), f"no golden file {golden}; run with LOTI_UPDATE_GOLDEN=1"
    assert run.stdout_bytes.decode("utf-8") == golden.read_bytes().decode("utf-8"), (
        f"{output_format} output differs from {golden}; if the change is meant, "
        "rerun with LOTI_UPDATE_GOLDEN=1 and review the diff"
    )


def test_rag_is_a_word_as_well_as_a_colour(cli: Cli, month: Path) -> None:
    run = cli("budget", "monitor", env={"COLUMNS": "100", "FORCE_COLOR": "1"})
    assert "\x1b[" in run.stdout
    plain = ANSI.sub("", run.stdout)
    for word in ("GREEN", "AMBER", "RED"):
        assert re.search(rf"│ +{word} *$", plain, re.MULTILINE), word
    assert "RAG: RED from an overspend of 10%; AMBER from 5%, or an underspend of 10%" in plain


def test_json_thresholds_are_the_ledgers_exactly(cli: Cli, in_tmp_path: Path) -> None:
    # 10.05% shown as "10.0" would tell a consumer that a variance of 10.0% is red.
    workspace(in_tmp_path, ledger=LEDGER + "monitoring: {amber: 5.45%, red: 0.1005}\n")
    run = cli("budget", "monitor", "--format", "json")
    assert run.exit_code == 1, run.stderr
    assert as_json(run)["thresholds"] == {"amber": "5.45", "red": "10.05"}
    workspace(in_tmp_path, ledger=LEDGER + "monitoring: {amber: 0.05, red: 100%}\n")
    assert as_json(cli("budget", "monitor", "-f", "json"))["thresholds"] == {
        "amber": "5.0",
        "red": "100.0",
    }


# ---------------------------------------------------------------------------
# hostile text in line names, in every format

HOSTILE_LEDGER = """\
ledger: "Hostile | ledger"
financial_year: 2020-21
currency: GBP
members: []
income:
  - {name: Grant, amount: 1000, kind: grant}
expenditure:
  - {name: '=HYPERLINK("http://x","y")', amount: 100, status: estimated}
  - {name: "Pipe | in\\nthe *name* \\u202e<b>", amount: 100, status: estimated}
  - {name: "\\e[31mred", amount: 100, status: estimated}
allocations: []
"""
HOSTILE_ROWS = """\
h1,2020-05-01,10.00,"=HYPERLINK(""http://x"",""y"")",,S,D,f.csv,1
h2,2020-05-01,10.00,"Pipe | in
the *name* \u202e<b>",,S,D,f.csv,2
h3,2020-05-01,10.00,\x1b[31mred,,S,D,f.csv,3
"""


@pytest.fixture
def hostile(in_tmp_path: Path) -> Path:
    return workspace(in_tmp_path, rows=HOSTILE_ROWS, ledger=HOSTILE_LEDGER, proposals=False)


def test_hostile_names_in_the_table_cannot_drive_the_terminal(cli: Cli, hostile: Path) -> None:
    run = cli("budget", "monitor", env=PLAIN)
    assert run.exit_code == 0, run.output
    assert "\x1b" not in run.stdout and "\u202e" not in run.stdout
    assert "\\x1b[31mred" in run.stdout
    assert "\\u202e" in run.stdout


def test_hostile_names_in_csv_are_inert(cli: Cli, hostile: Path) -> None:
    run = cli("budget", "monitor", "--format", "csv")
    rows = list(csv.reader(io.StringIO(run.stdout_bytes.decode("utf-8"), newline="")))
    names = [row[1] for row in rows if row[0] == "line"]
    assert names[0] == '\'=HYPERLINK("http://x","y")'
    for row in rows:
        assert len(row) == len(rows[0])
        for cell in row:
            assert not cell.startswith(("=", "+", "@", "\t", "\r")), row


def test_hostile_names_in_markdown_keep_the_tables(cli: Cli, hostile: Path) -> None:
    run = cli("budget", "monitor", "--format", "markdown")
    text = run.stdout
    for block in re.split(r"\n\s*\n", text):
        if block.lstrip().startswith("|"):
            widths = {len(re.findall(r"(?<!\\)\|", row)) for row in block.strip().split("\n")}
            assert len(widths) == 1, block
    assert "Pipe \\| in the \\*name\\* \\\\u202e\\<b\\>" in text
    assert "\x1b" not in text


def test_hostile_names_in_json_are_data(cli: Cli, hostile: Path) -> None:
    document = json.loads(cli("budget", "monitor", "--format", "json").stdout)
    names = [row["name"] for row in document["lines"]]
    assert names == ['=HYPERLINK("http://x","y")', "Pipe | in\nthe *name* \u202e<b>", "\x1b[31mred"]
    assert [row["actual_to_date"] for row in document["lines"]] == ["10.00"] * 3


# ---------------------------------------------------------------------------
# narrow terminals never cut money

MONEY = re.compile(r"-?£[0-9][0-9,]*(?:\.[0-9]+)?")


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("color", [False, True])
def test_narrow_terminals_show_every_figure_whole(
    cli: Cli, month: Path, width: int, color: bool
) -> None:
    colour = {"FORCE_COLOR": "1"} if color else {"NO_COLOR": "1"}
    run = cli("budget", "monitor", env={"COLUMNS": str(width), **colour})
    document = json.loads(cli("budget", "monitor", "--format", "json").stdout)
    text = ANSI.sub("", run.stdout).split("\nFindings\n")[0]
    assert "…" not in text
    for line in text.splitlines():
        assert len(line) <= width, line
    shown = set(MONEY.findall(text))
    rows = [*document["lines"], document["unmatched"]]
    for row in rows:
        for key in ("budget", "profile_to_date", "actual_to_date", "forecast_outturn"):
            assert format_money(Money(Decimal(row[key]))) in shown, (row["name"], key)
    for key in ("forecast_unspent", "planned_unspent"):
        assert format_money(Money(Decimal(document[key]))) in shown


def test_two_lines_of_one_name_count_their_actuals_once(cli: Cli, in_tmp_path: Path) -> None:
    ledger = LEDGER.replace(
        "  - name: Staff training\n",
        "  - name: Design\n    amount: 1000\n    status: estimated\n  - name: Staff training\n",
    )
    workspace(in_tmp_path, rows="a1,2020-05-01,9000.00,Design,,S,D,f.csv,1\n", ledger=ledger)
    document = json.loads(cli("budget", "monitor", "--format", "json").stdout)
    designs = [row["actual_to_date"] for row in document["lines"] if row["name"] == "Design"]
    assert designs == ["9000.00", "0.00"]
    assert document["totals"]["actual_to_date"] == "9000.00"

    paid = LEDGER.replace(
        "  - name: LOTI website\n",
        "  - name: Thirty3 Platform\n    amount: 1000\n    status: paid\n  - name: LOTI website\n",
    )
    workspace(
        in_tmp_path, rows="a1,2020-05-01,57000.00,Thirty3 Platform,,S,D,f.csv,1\n", ledger=paid
    )
    document = json.loads(cli("budget", "monitor", "--format", "json").stdout)
    assert "MN3" not in [f["code"] for f in document["findings"]]  # the second has none


def test_loti_rules_explains_a_monitoring_check(cli: Cli) -> None:
    run = cli("rules", "MN4")
    assert run.exit_code == 0
    assert run.stderr == ""
    assert run.stdout.startswith(
        "MN4 spend-without-approval (error, monitoring rule; cannot be waived)\n"
    )
    assert "# MN4: CR-04 is submitted, not approved" in run.stdout
    refused = cli("proposal", "check", "--select", "MN1", str(ROOT / "proposals"))
    assert refused.exit_code == 2
    assert "MN1 (over-budget) is a monitoring check, which loti budget monitor reports" in (
        refused.stderr
    )
