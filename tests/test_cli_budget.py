"""`loti budget status` as scripts see it: exit codes, streams, which ledger, formats, colour."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from loti_cli.io.resolve import bundled_ledgers
from tests.conftest import Run

Cli = Callable[..., Run]
Loti = Callable[..., Any]

BUNDLED = bundled_ledgers() / "2020-21.yaml"
CASES = Path(__file__).parent / "ledger_cases"
GOLDEN = Path(__file__).parent / "golden" / "budget"
ANSI = "\x1b["
PLAIN = {"COLUMNS": "100", "NO_COLOR": "1"}


def small_ledger(year: str, *, lines: str = "", name: str = "Small") -> str:
    """A valid ledger of `year` with no finding; `lines` adds expenditure lines."""
    return (
        f"ledger: {name} {year}\n"
        f"financial_year: {year}\n"
        "currency: GBP\n"
        "members: []\n"
        "income:\n"
        "  - {name: Grant, amount: 1000, kind: grant}\n"
        "expenditure:\n"
        "  - {name: Personnel, amount: 100, status: paid}\n"
        f"{lines}"
        "allocations:\n"
        "  - {pillar: Covid Recovery, amount: 500}\n"
    )


def write(path: Path | str, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def document(result: Run) -> dict[str, Any]:
    """The JSON document on stdout, which must be the only thing there."""
    parsed = json.loads(result.stdout)
    assert isinstance(parsed, dict)
    return parsed


# ---------------------------------------------------------------------------
# exit codes


def test_the_bundled_ledger_has_a_warning_only_and_exits_0(cli: Cli, in_tmp_path: Path) -> None:
    result = cli("budget", "status")
    assert result.exit_code == 0
    assert "LB2" in result.stdout
    assert "0 errors, 1 warning" in result.stdout
    assert result.stderr == ""


def test_strict_makes_the_warning_fail(cli: Cli, in_tmp_path: Path) -> None:
    result = cli("budget", "status", "--strict")
    assert result.exit_code == 1
    assert "LB2" in result.stdout
    assert result.stdout.endswith("0 errors, 1 warning\n")
    assert result.stderr == ""


def test_strict_passes_a_ledger_without_findings(cli: Cli, in_tmp_path: Path) -> None:
    write("2020-21.yaml", small_ledger("2020-21"))
    result = cli("budget", "status", "--ledger", "2020-21.yaml", "--strict", env=PLAIN)
    assert result.exit_code == 0
    assert result.stdout.startswith("Small 2020-21  2020-21\nLedger: 2020-21.yaml (given with")
    assert result.stdout.endswith("\n0 errors, 0 warnings\n")
    assert "Findings" not in result.stdout
    assert result.stderr == ""


def test_an_error_finding_exits_1(cli: Cli, in_tmp_path: Path) -> None:
    shutil.copy(CASES / "LB1" / "fail" / "2020-21.yaml", "2020-21.yaml")
    result = cli("budget", "status", "--ledger", "2020-21.yaml")
    assert result.exit_code == 1
    assert (
        "2020-21.yaml:26:17: LB1 stated total income £140,000 differs from £150,000"
        in result.stdout
    )
    assert "2 errors, 0 warnings" in result.stdout
    assert result.stderr == ""


def test_an_invalid_ledger_exits_2_with_its_problems_on_stderr(cli: Cli, in_tmp_path: Path) -> None:
    write("2020-21.yaml", small_ledger("2020-21").replace("status: paid", "status: payed"))
    result = cli("budget", "status", "--ledger", "2020-21.yaml", "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "2020-21.yaml:8:44: LB8 expenditure[1].status 'payed' is not one of" in result.stderr
    assert "did you mean 'paid'?" in result.stderr
    assert "1 problem; fix them and run again" in result.stderr


def test_a_missing_ledger_file_exits_2(cli: Loti, in_tmp_path: Path) -> None:
    run = cli("budget", "status", "--ledger", "nowhere.yaml")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == "loti: error: --ledger nowhere.yaml: no such file\n"


def test_a_missing_loti_ledger_exits_2(cli: Loti, in_tmp_path: Path) -> None:
    run = cli("budget", "status", env={"LOTI_LEDGER": "nowhere.yaml"})
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == "loti: error: LOTI_LEDGER nowhere.yaml: no such file\n"


def test_a_year_with_no_ledger_exits_2(cli: Loti, in_tmp_path: Path) -> None:
    write("ledgers/2019-20.yaml", small_ledger("2019-20"))
    run = cli("budget", "status", "--year", "2030-31")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert "no ledger for --year 2030-31" in run.stderr
    assert "2019-20" in run.stderr and "2020-21" in run.stderr  # the years that do exist


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["budget", "status", "--bogus"], "No such option: --bogus"),
        (
            ["budget", "status", "--format", "xml"],
            "Invalid value for '--format' / '-f': Value error, 'xml' is not one of 'table', "
            "'json', 'csv', 'markdown'.",
        ),
        (
            ["budget", "status", "--color", "sometimes"],
            "Invalid value for '--color': Value error, 'sometimes' is not one of 'auto', "
            "'always', 'never'.",
        ),
        (["budget", "stats"], "No such command 'stats'. Did you mean 'status'?"),
    ],
    ids=["unknown option", "unknown format", "unknown colour", "unknown command"],
)
def test_bad_usage_exits_2(cli: Cli, in_tmp_path: Path, args: list[str], says: str) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("Usage: loti budget ")
    assert result.stderr.endswith(f"\nError: {says}\n")


def test_a_named_proposals_folder_that_does_not_exist_exits_2(cli: Loti, in_tmp_path: Path) -> None:
    run = cli("budget", "status", "--proposals", "nowhere")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == "loti: error: --proposals nowhere: no such folder\n"


# ---------------------------------------------------------------------------
# standard output and standard error


def test_json_is_one_document_on_stdout_and_nothing_on_stderr(cli: Cli, in_tmp_path: Path) -> None:
    result = cli("budget", "status", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    data = document(result)
    assert data["version"] == 1
    assert data["financial_year"] == "2020-21"
    assert data["remaining"] == "444000.00"
    assert data["unallocated"] == "44000.00"
    assert data["membership"] == {"expected": "770000.00", "recorded": "650000.00"}
    assert data["expenditure"]["by_status"] == {
        "estimated": "400000.00",
        "committed": "56000.00",
        "paid": "100000.00",
    }
    [finding] = data["findings"]
    assert finding["code"] == "LB2"
    assert finding["severity"] == "warning"
    assert (finding["line"], finding["column"]) == (46, 13)


def test_an_unreadable_proposal_fails_the_budget_and_stderr_says_so(
    cli: Cli, in_tmp_path: Path
) -> None:
    write("proposals/broken.yaml", "id: [\n")
    result = cli("budget", "status", "--format", "json")
    assert result.exit_code == 1
    data = document(result)
    assert data["uncounted"] == ["proposals/broken.yaml"]
    assert [(f["code"], f["path"]) for f in data["findings"]][-1] == (
        "LB9",
        "proposals/broken.yaml",
    )
    assert result.stderr == (
        "loti: error: the figures leave out 1 proposal file that may count "
        "(proposals/broken.yaml); see the LB9 findings, fix it and run again.\n"
    )


def test_findings_come_with_path_line_and_column_in_the_table(cli: Cli, in_tmp_path: Path) -> None:
    write(
        "2020-21.yaml",
        small_ledger(
            "2020-21", lines="  - {name: Guide, amount: 5, status: paid, pillar: Covid Recovry}\n"
        ),
    )
    result = cli("budget", "status", "--ledger", "2020-21.yaml", env=PLAIN)
    assert result.exit_code == 1
    assert result.stderr == ""
    assert (
        "2020-21.yaml:9:52: LB6 expenditure 'Guide' names pillar 'Covid Recovry', which has no "
        "allocation; did you mean 'Covid Recovery'?"
    ) in result.stdout.splitlines()


# ---------------------------------------------------------------------------
# which ledger


def test_an_empty_folder_uses_the_bundled_ledger_and_says_so(cli: Cli, in_tmp_path: Path) -> None:
    table = cli("budget", "status", env=PLAIN)
    assert table.exit_code == 0
    assert "bundled with loti" in table.stdout
    assert table.stderr == ""
    data = document(cli("budget", "status", "--format", "json"))
    assert Path(data["ledger"]).resolve() == BUNDLED.resolve()


def test_the_latest_ledger_in_ledgers_is_used(cli: Cli, in_tmp_path: Path) -> None:
    write("ledgers/2019-20.yaml", small_ledger("2019-20"))
    write("ledgers/2021-22.yaml", small_ledger("2021-22"))
    write("ledgers/notes.yaml", "not a ledger\n")
    write("ledgers/2099-00.txt", "not a ledger either\n")
    data = document(cli("budget", "status", "--format", "json"))
    assert (data["ledger"], data["financial_year"]) == ("ledgers/2021-22.yaml", "2021-22")
    table = cli("budget", "status", env=PLAIN)
    assert "Ledger: ledgers/2021-22.yaml (the latest in ledgers/)" in table.stdout


def test_loti_ledger_comes_before_ledgers(cli: Cli, in_tmp_path: Path) -> None:
    write("ledgers/2021-22.yaml", small_ledger("2021-22"))
    write("elsewhere/2018-19.yaml", small_ledger("2018-19"))
    data = document(
        cli("budget", "status", "--format", "json", env={"LOTI_LEDGER": "elsewhere/2018-19.yaml"})
    )
    assert (data["ledger"], data["financial_year"]) == ("elsewhere/2018-19.yaml", "2018-19")


def test_the_ledger_option_comes_before_loti_ledger(cli: Cli, in_tmp_path: Path) -> None:
    write("ledgers/2021-22.yaml", small_ledger("2021-22"))
    write("elsewhere/2018-19.yaml", small_ledger("2018-19"))
    write("mine/2017-18.yaml", small_ledger("2017-18"))
    data = document(
        cli(
            "budget",
            "status",
            "--ledger",
            "mine/2017-18.yaml",
            "--format",
            "json",
            env={"LOTI_LEDGER": "elsewhere/2018-19.yaml"},
        )
    )
    assert (data["ledger"], data["financial_year"]) == ("mine/2017-18.yaml", "2017-18")


def test_year_chooses_a_ledger_in_ledgers(cli: Cli, in_tmp_path: Path) -> None:
    write("ledgers/2019-20.yaml", small_ledger("2019-20"))
    write("ledgers/2021-22.yaml", small_ledger("2021-22"))
    data = document(cli("budget", "status", "--year", "2019-20", "--format", "json"))
    assert (data["ledger"], data["financial_year"]) == ("ledgers/2019-20.yaml", "2019-20")


def test_year_falls_back_to_the_bundled_ledger(cli: Cli, in_tmp_path: Path) -> None:
    write("ledgers/2021-22.yaml", small_ledger("2021-22"))
    data = document(cli("budget", "status", "-y", "2020-21", "--format", "json"))
    assert data["financial_year"] == "2020-21"
    assert Path(data["ledger"]).resolve() == BUNDLED.resolve()


def test_the_proposals_folder_under_the_current_folder_counts(cli: Cli, in_tmp_path: Path) -> None:
    write(
        "proposals/a.yaml",
        "id: A\ntitle: A\nfinancial_year: 2020-21\npillar: Smarter London\nstatus: approved\n"
        "boroughs:\n  - {name: Camden, role: lead}\n  - {name: Hackney, role: delivery}\n"
        "budget:\n  requested: 60000\n",
    )
    result = cli("budget", "status", "--format", "json")
    assert result.exit_code == 1  # LB5: £60,000 approved of Smarter London's £50,000
    assert result.stderr == ""
    data = document(result)
    pillars = {p["pillar"]: p for p in data["allocations"]["pillars"]}
    assert pillars["Smarter London"] == {
        "pillar": "Smarter London",
        "allocated": "50000.00",
        "approved": "60000.00",
        "pipeline": "0.00",
        "headroom": "-10000.00",
    }
    assert [f["code"] for f in data["findings"]] == ["LB2", "LB5"]


# ---------------------------------------------------------------------------
# golden files: the bundled ledger, no proposals, no colour, 100 columns

FORMATS = {
    "table": "status.table.txt",
    "json": "status.json",
    "csv": "status.csv",
    "markdown": "status.md",
}


@pytest.mark.parametrize("output_format", list(FORMATS))
def test_golden_output(cli: Cli, in_tmp_path: Path, output_format: str) -> None:
    shutil.copy(BUNDLED, write("ledgers/2020-21.yaml", ""))
    Path("proposals").mkdir()
    result = cli(
        "budget",
        "status",
        "--ledger",
        "ledgers/2020-21.yaml",
        "--proposals",
        "proposals",
        "--format",
        output_format,
        env=PLAIN,
    )
    assert result.exit_code == 0
    assert result.stderr == ""
    golden = GOLDEN / FORMATS[output_format]
    if os.environ.get("LOTI_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(result.stdout_bytes)
    assert golden.exists(), f"no golden file {golden}; run with LOTI_UPDATE_GOLDEN=1"
    # bytes, not text: line ends are part of the format (CSV's are "\r\n")
    assert result.stdout_bytes.decode("utf-8") == golden.read_bytes().decode("utf-8"), (
        f"{output_format} output differs from {golden}; if the change is meant, "
        "rerun with LOTI_UPDATE_GOLDEN=1 and review the diff"
    )


def test_the_golden_table_fits_100_columns_with_each_finding_on_one_line() -> None:
    text = (GOLDEN / FORMATS["table"]).read_text(encoding="utf-8")
    assert ANSI not in text
    findings = [line for line in text.splitlines() if re.match(r"\S+:\d+:\d+: LB\d ", line)]
    assert [line.split(" ")[:2] for line in findings] == [["ledgers/2020-21.yaml:46:13:", "LB2"]]
    assert findings[0].endswith("check which members pay which fee")
    others = [line for line in text.splitlines() if line not in findings]
    assert max(len(line) for line in others) <= 100


# ---------------------------------------------------------------------------
# text from the ledger cannot escape its cell

HOSTILE = """\
ledger: "Hostile | ledger"
financial_year: 2020-21
currency: GBP
members: []
income:
  - {name: '=HYPERLINK("http://x","y")', amount: 10, kind: grant}
  - {name: "+1", amount: 10, kind: grant}
  - {name: "-1", amount: 10, kind: grant}
  - {name: "@x", amount: 10, kind: grant}
  - {name: "\\tTab", amount: 10, kind: grant}
  - {name: "\\rReturn", amount: 10, kind: grant}
  - {name: "row\\r=1+1", amount: 10, kind: grant}
expenditure:
  - name: "Pipe | in\\nthe name"
    amount: 5
    status: paid
    pillar: "Smart | London\\nnext"
  - {name: "back\\\\slash | *star* `tick`", amount: 5, status: paid}
allocations:
  - {pillar: "Smarter | London", amount: 10}
"""


@pytest.fixture
def hostile(in_tmp_path: Path) -> Path:
    return write("2020-21.yaml", HOSTILE)


def test_csv_cells_are_inert_in_a_spreadsheet(cli: Cli, hostile: Path) -> None:
    result = cli("budget", "status", "--ledger", str(hostile), "--format", "csv")
    assert result.exit_code == 1  # LB6: the pillar has no allocation
    assert result.stderr == ""
    text = result.stdout_bytes.decode("utf-8")  # `stdout` would turn "\r\n" into "\n"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows[0] == ["section", "name", "category", "pillar", "amount"]
    names = [row[1] for row in rows if row[0] == "income"]
    assert names == [
        '\'=HYPERLINK("http://x","y")',
        "'+1",
        "'-1",
        "'@x",
        "'\tTab",
        "'\rReturn",
        "row\r=1+1",  # one cell: a carriage return inside it does not start a row
    ]
    for row in rows:
        assert len(row) == 5
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), row


def test_csv_amounts_stay_numbers_even_when_negative(cli: Cli, in_tmp_path: Path) -> None:
    write(
        "2020-21.yaml",
        small_ledger("2020-21", lines="  - {name: Big, amount: 5000, status: paid}\n"),
    )
    result = cli("budget", "status", "--ledger", "2020-21.yaml", "--format", "csv")
    assert result.exit_code == 1  # LB3 and LB4
    assert result.stderr == ""
    rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    amounts = {row[1]: row[4] for row in rows if row[0] == "total"}
    assert amounts["remaining"] == "-4100.00"
    assert amounts["unallocated"] == "-4600.00"


def test_markdown_tables_keep_their_columns(cli: Cli, hostile: Path) -> None:
    result = cli("budget", "status", "--ledger", str(hostile), "--format", "markdown")
    assert result.exit_code == 1
    assert result.stderr == ""
    text = result.stdout
    tables = [block for block in re.split(r"\n\s*\n", text) if block.lstrip().startswith("|")]
    assert len(tables) == 4  # income, expenditure, allocations, findings
    for block in tables:
        rows = block.strip("\n").split("\n")
        widths = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
        assert len(widths) == 1, block
        assert all(row.startswith("| ") and row.endswith(" |") for row in rows), block
    assert "Pipe \\| in the name" in text
    assert "Smart \\| London next" in text
    assert "\\*star\\*" in text and "\\`tick\\`" in text


# ---------------------------------------------------------------------------
# colour


@pytest.mark.parametrize(
    ("args", "env", "coloured"),
    [
        (["--color", "always"], {}, True),
        ([], {"FORCE_COLOR": "1"}, True),
        ([], {}, False),  # not a terminal
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (["--no-color"], {"FORCE_COLOR": "1"}, False),
        (["--color", "always", "--no-color"], {}, False),
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
    ],
    ids=["always", "FORCE_COLOR", "pipe", "NO_COLOR", "--no-color", "always --no-color", "never"],
)
def test_colour(
    cli: Cli, in_tmp_path: Path, args: list[str], env: dict[str, str], coloured: bool
) -> None:
    result = cli("budget", "status", *args, env=env)
    assert result.exit_code == 0
    assert (ANSI in result.stdout) is coloured
    assert "0 errors, 1 warning" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("output_format", ["json", "csv", "markdown"])
def test_machine_formats_are_never_coloured(
    cli: Cli, in_tmp_path: Path, output_format: str
) -> None:
    result = cli("budget", "status", "--format", output_format, "--color", "always")
    assert result.exit_code == 0
    assert ANSI not in result.stdout
    assert "Smarter London" in result.stdout
    assert result.stderr == ""


# ---------------------------------------------------------------------------
# end to end, in a fresh interpreter


def run_loti(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(cwd)}
    return subprocess.run(
        [sys.executable, "-m", "loti_cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env=env,
    )


def test_end_to_end_a_missing_ledger_exits_2_without_a_traceback(tmp_path: Path) -> None:
    done = run_loti("budget", "status", "--ledger", "nowhere.yaml", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "loti: error: --ledger nowhere.yaml: no such file\n"


def test_end_to_end_json_in_an_empty_folder(tmp_path: Path) -> None:
    done = run_loti("budget", "status", "--format", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert json.loads(done.stdout)["income"]["total"] == "1000000.00"
