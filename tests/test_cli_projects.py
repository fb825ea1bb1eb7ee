"""`loti projects`: exit codes with stdout and stderr, the period, the actuals, goldens per
format, narrow terminals, and hostile text in every format."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from loti_cli.core.money import Money, format_money
from tests.conftest import Run

Cli = Callable[..., Run]

ROOT = Path(__file__).parent.parent
GOLDEN = Path(__file__).parent / "golden" / "projects"
PLAIN = {"COLUMNS": "100", "NO_COLOR": "1"}
ANSI = re.compile(r"\x1b\[[0-9;]*m")
MONEY = re.compile(r"-?£[0-9][0-9,]*(?:\.[0-9]+)?")
HEADER = "id,date,amount,line,proposal,supplier,description,source,source_row\n"
ACTUALS = HEADER + (
    "A01,2020-10-30,9000.00,,CR-02,Data Co,Sprint 1,export.csv,1\n"
    "A02,2020-10-30,2500.00,,CR-01,Referral Ltd,Prototype,export.csv,2\n"
    "A03,2020-11-30,11000.00,,CR-02,Data Co,Sprint 2,export.csv,3\n"
    "A04,2020-11-30,30000.00,,DC-01,Apprentice Co,Intake,export.csv,4\n"
    "A05,2020-12-15,5200.50,,CR-06,Playbook Ltd,Writing,export.csv,5\n"
    "A06,2020-12-15,12500.25,,CR-03,Care Tech,Trials,export.csv,6\n"
    "A07,2020-12-18,1800.00,Personnel,,Payroll,December,export.csv,7\n"
    "A08,2021-01-20,4000.00,,CR-02,Data Co,Sprint 3,export.csv,8\n"
)
"""Spend to test with: CR-06 over its £5,000 award, DC-01 far ahead of its time, CR-02 with a
row after December (not counted at 2020-12), a line's spend and nothing on most projects."""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's ledgers and proposals with the actuals above, as the current
    folder."""
    for folder in ("ledgers", "proposals"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "ledgers" / "2020-21.actuals.csv").write_text(ACTUALS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def projects(cli: Cli, *args: str, env: dict[str, str] | None = None) -> Run:
    return cli("projects", *args, env={**PLAIN, **(env or {})})


def document(run: Run) -> dict[str, object]:
    data = json.loads(run.stdout)
    assert isinstance(data, dict)
    return data


# ---------------------------------------------------------------------------
# what it lists


def test_json_lists_every_approved_project_key_for_key(cli: Cli, project: Path) -> None:
    run = projects(cli, "--period", "2020-12", "--format", "json")
    assert (run.exit_code, run.stderr) == (0, "")
    data = document(run)
    assert list(data) == ["version", "ledger", "financial_year", "period", "projects", "findings"]
    assert data["version"] == 1
    assert data["period"] == {"month": 9, "end": "2020-12-31"}
    rows = {row["id"]: row for row in data["projects"]}  # type: ignore[attr-defined]
    assert list(rows) == [
        "CR-01",
        "CR-02",
        "CR-03",
        "CR-05",
        "CR-06",
        "DC-01",
        "DC-02",
        "DC-05",
        "SL-01",
    ]
    assert rows["CR-02"] == {
        "id": "CR-02",
        "title": "Sharing data between boroughs to support track and trace",
        "pillar": "Covid Recovery",
        "phase": "beta",
        "award": "45000.00",
        "spent": "20000.00",
        "spent_pct": "44.4",
        "elapsed_pct": "49.2",
        "milestones_done": 2,
        "milestones_total": 3,
        "overdue": [],
        "measures_on_target": 0,
        "measures_total": 1,
        "rag": "green",
    }
    assert {name: row["rag"] for name, row in rows.items()} == {
        "CR-01": "green",
        "CR-02": "green",
        "CR-03": "amber",  # a milestone 20 days overdue
        "CR-05": "green",
        "CR-06": "red",  # spent past its award, past its end, a milestone 34 days overdue
        "DC-01": "amber",  # 85.7% spent, 49.2% of its time
        "DC-02": "green",
        "DC-05": "green",
        "SL-01": "green",
    }
    assert rows["CR-03"]["overdue"] == ["Evaluation framework v1 agreed with the boroughs"]
    assert rows["CR-01"]["measures_on_target"] == 1
    assert data["findings"] == []


def test_the_period_defaults_to_the_month_of_the_latest_actual(cli: Cli, project: Path) -> None:
    data = document(projects(cli, "--format", "json"))
    assert data["period"] == {"month": 10, "end": "2021-01-31"}
    spent = {row["id"]: row["spent"] for row in data["projects"]}  # type: ignore[attr-defined]
    assert spent["CR-02"] == "24000.00"


def test_with_no_actuals_the_period_is_the_ledgers_as_of_month_and_nothing_is_spent(
    cli: Cli, project: Path
) -> None:
    (project / "ledgers" / "2020-21.actuals.csv").unlink()
    run = projects(cli, "--format", "json")
    assert (run.exit_code, run.stderr) == (0, "")
    data = document(run)
    assert data["period"] == {"month": 4, "end": "2020-07-31"}
    assert {row["spent"] for row in data["projects"]} == {"0.00"}  # type: ignore[attr-defined]
    table = projects(cli)
    assert "spend from no actuals (nothing recorded as spent)" in table.stdout


def test_a_period_outside_the_year_is_exit_2(cli: Cli, project: Path) -> None:
    run = projects(cli, "--period", "2021-04")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "loti: error: --period '2021-04' is not a month of the financial year 2020-21, which "
        "runs from 2020-04 to 2021-03\n"
    )


def test_actuals_that_cannot_be_read_are_exit_2_with_each_problem(cli: Cli, project: Path) -> None:
    (project / "ledgers" / "2020-21.actuals.csv").write_text(
        HEADER + "A1,2020-13-01,10.00,,CR-02,,,e.csv,1\nA2,2020-10-01,ten,,CR-02,,,e.csv,2\n",
        encoding="utf-8",
    )
    run = projects(cli)
    assert run.exit_code == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines[0] == (
        "loti: error: the actuals file ledgers/2020-21.actuals.csv is not valid, so no figure "
        "made from it can be trusted; fix it (each problem is below) and run again:"
    )
    assert any("ledgers/2020-21.actuals.csv:2:" in line and "MN6" in line for line in lines)
    assert any("ledgers/2020-21.actuals.csv:3:" in line and "'ten'" in line for line in lines)


def test_a_proposal_that_cannot_be_counted_fails_the_run(cli: Cli, project: Path) -> None:
    (project / "proposals" / "zz-99.yaml").write_text("id: ZZ-99\nstatus: [approved\n", "utf-8")
    run = projects(cli, "--period", "2020-12", "--format", "json")
    assert run.exit_code == 1
    data = document(run)
    assert [f["code"] for f in data["findings"]] == ["LB9"]  # type: ignore[index]
    assert len(data["projects"]) == 9  # type: ignore[arg-type]
    assert run.stderr.startswith("loti: error: the figures leave out 1 proposal file that may ")
    table = projects(cli, "--period", "2020-12")
    assert table.exit_code == 1
    assert "Incomplete: the figures leave out 1 proposal file" in table.stdout
    assert re.search(
        r"^proposals/zz-99.yaml:\d+:\d+: LB9 may be an approved proposal", table.stdout, re.M
    )


def test_a_year_the_ledger_is_not_is_exit_2(cli: Cli, project: Path) -> None:
    run = projects(cli, "--ledger", "ledgers/2020-21.yaml", "--year", "2019-20")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert (
        run.stderr
        == "loti: error: --year 2019-20 but the ledger ledgers/2020-21.yaml is for 2020-21\n"
    )


def test_help_names_the_rag_rules(cli: Cli) -> None:
    run = cli("projects", "--help")
    assert run.exit_code == 0
    assert "more than 30 days" in run.stdout and "20 points" in run.stdout


# ---------------------------------------------------------------------------
# goldens: the repository's proposals, the actuals above, December 2020, 100 columns

FORMATS = {
    "table": "projects.table.txt",
    "json": "projects.json",
    "csv": "projects.csv",
    "markdown": "projects.md",
}


@pytest.mark.parametrize("output_format", list(FORMATS))
def test_golden_output(cli: Cli, project: Path, output_format: str) -> None:
    run = projects(cli, "--period", "2020-12", "--format", output_format)
    assert (run.exit_code, run.stderr) == (0, "")
    golden = GOLDEN / FORMATS[output_format]
    if os.environ.get("LOTI_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(run.stdout_bytes)
    assert golden.exists(), f"no golden file {golden}; run with LOTI_UPDATE_GOLDEN=1"
    assert run.stdout_bytes.decode("utf-8") == golden.read_bytes().decode("utf-8"), (
        f"{output_format} output differs from {golden}; if the change is meant, rerun with "
        "LOTI_UPDATE_GOLDEN=1 and review the diff"
    )


# ---------------------------------------------------------------------------
# narrow terminals never cut money


@pytest.mark.parametrize("color", [False, True], ids=["plain", "colour"])
@pytest.mark.parametrize("width", [60, 80])
def test_every_figure_is_whole_in_a_narrow_terminal(
    cli: Cli, project: Path, width: int, color: bool
) -> None:
    colour = {"FORCE_COLOR": "1"} if color else {"NO_COLOR": "1"}
    table = cli("projects", "--period", "2020-12", env={"COLUMNS": str(width), **colour})
    data = document(projects(cli, "--period", "2020-12", "--format", "json"))
    assert (table.exit_code, table.stderr) == (0, "")
    text = ANSI.sub("", table.stdout)
    expected = Counter(
        format_money(Money(Decimal(row[key])))
        for row in data["projects"]  # type: ignore[attr-defined]
        for key in ("award", "spent")
    )
    assert Counter(MONEY.findall(text)) == expected, text
    assert "…" not in text
    for line in text.splitlines():
        assert len(line) <= width, line
    assert ("\x1b[" in table.stdout) is color
    assert "Red" in text and "Amber" in text and "Green" in text


def test_at_60_columns_the_optional_columns_give_way(cli: Cli, project: Path) -> None:
    run = cli("projects", "--period", "2020-12", env={"COLUMNS": "60", "NO_COLOR": "1"})
    header = next(line for line in run.stdout.splitlines() if line.startswith(" Project"))
    assert re.fullmatch(r" Project ┃( [^┃]+┃)* +Award ┃ +Spent ┃( [^┃]+┃)* RAG +", header), header
    assert "not shown: the terminal is too narrow" in " ".join(run.stdout.split())


# ---------------------------------------------------------------------------
# hostile text in milestone and measure names, in every format

HOSTILE = "\x1b[31mRED\x1b[0m \u202egnp.exe <script>alert(1)</script> | *x* =cmd()"


@pytest.fixture
def hostile(project: Path) -> Path:
    path = project / "proposals" / "cr-03.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "    - name: Evaluation framework v1 agreed with the boroughs",
        f"    - name: {json.dumps(HOSTILE)}",
    ).replace(
        "    - name: Residents using assistive technology in the trials",
        f"    - name: {json.dumps(HOSTILE)}",
    )
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_hostile_names_are_shown_not_obeyed_for_a_person(
    cli: Cli, hostile: Path, output_format: str
) -> None:
    run = projects(cli, "--period", "2020-12", "--format", output_format)
    assert (run.exit_code, run.stderr) == (0, "")
    assert "\x1b" not in run.stdout and "\u202e" not in run.stdout
    assert "\\x1b" in run.stdout and "\\u202egnp.exe" in run.stdout
    if output_format == "markdown":
        assert "<script>" not in run.stdout
        assert "\\<script\\>" in run.stdout and "\\| \\*x\\*" in run.stdout


def test_hostile_names_in_json_are_data(cli: Cli, hostile: Path) -> None:
    run = projects(cli, "--period", "2020-12", "--format", "json")
    assert "\x1b" not in run.stdout  # JSON escapes control characters
    row = next(r for r in document(run)["projects"] if r["id"] == "CR-03")  # type: ignore[attr-defined]
    assert row["overdue"] == [HOSTILE]


def test_hostile_names_in_csv_are_inert(cli: Cli, hostile: Path) -> None:
    (hostile.parent / "cr-05.yaml").write_text(
        (hostile.parent / "cr-05.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "    - name: Discovery show-and-tell (sustainability model)",
            '    - name: "=HYPERLINK(\\"http://x\\")"',
        ),
        encoding="utf-8",
    )
    run = projects(cli, "--period", "2021-02", "--format", "csv")
    assert run.exit_code == 0
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(run.stdout))}
    assert rows["CR-03"]["overdue"].startswith("\\x1b[31mRED")
    assert "\x1b" not in run.stdout and "\u202e" not in run.stdout
    assert rows["CR-05"]["overdue"] == '\'=HYPERLINK("http://x")'


def test_a_project_without_a_delivery_section_is_listed_with_what_is_known(
    cli: Cli, project: Path
) -> None:
    path = project / "proposals" / "dc-01.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("delivery:")], encoding="utf-8")
    row = next(
        r
        for r in document(projects(cli, "--period", "2020-12", "--format", "json"))["projects"]  # type: ignore[attr-defined]
        if r["id"] == "DC-01"
    )
    assert (row["phase"], row["elapsed_pct"], row["spent_pct"]) == (None, None, "85.7")
    assert (row["milestones_total"], row["measures_total"], row["rag"]) == (0, 0, "green")
    table = projects(cli, "--period", "2020-12")
    assert re.search(r"^ DC-01 +│ - +│ +£35,000 │ +£30,000 │ 85.7% +│ - ", table.stdout, re.M)
