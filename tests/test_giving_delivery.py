"""The 360Giving export's delivery fields: amountDisbursed from the year's actuals, and
actualDates from the delivery section (a closed project ends on its closing date), still
valid against the bundled 1.4.3 schema with formats checked."""

from __future__ import annotations

import csv
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from loti_cli.core.money import Money
from loti_cli.io.load import load_proposal
from loti_cli.io.resolve import proposal_files
from loti_cli.pipeline.grants import Publisher, export_grants
from loti_cli.report import giving_csv
from loti_cli.report.giving_json import render_json
from tests.conftest import invoke
from tests.test_giving import errors, grant_validator, package_validator, the_ledger

ROOT = Path(__file__).resolve().parent.parent
HEADER = "id,date,amount,line,proposal,supplier,description,source,source_row\n"


def repository(spent: dict[str, Money] | None) -> dict[str, dict[str, object]]:
    sources = [load_proposal(path, path.name) for path in proposal_files(ROOT / "proposals")]
    result = export_grants(the_ledger(), sources, Publisher(), spent)
    for grant in result.grants:
        assert errors(grant_validator(), grant) == [], grant["id"]
    package = json.loads(render_json(result.package))
    assert errors(package_validator(), package) == []
    return {str(grant["id"]).removeprefix("360G-loti-"): grant for grant in result.grants}


def test_actual_dates_start_at_the_start_and_a_closed_project_ends_when_it_closed() -> None:
    grants = repository(None)
    assert grants["CR-01"]["actualDates"] == [{"startDate": "2020-10-05", "endDate": "2020-12-18"}]
    assert grants["CR-02"]["actualDates"] == [{"startDate": "2020-10-05"}]  # not closed yet
    assert all("amountDisbursed" not in grant for grant in grants.values())  # no actuals file


def test_amount_disbursed_is_the_projects_actuals_exactly() -> None:
    grants = repository({"CR-02": Money(Decimal("20000.05")), "SL-99": Money(5)})
    assert grants["CR-02"]["amountDisbursed"] == Decimal("20000.05")
    assert grants["DC-01"]["amountDisbursed"] == Decimal(0)  # nothing spent yet
    text = giving_csv.grants_csv(list(grants.values()))
    rows = {row["Identifier"]: row for row in csv.DictReader(io.StringIO(text))}
    assert rows["360G-loti-CR-02"]["Amount Disbursed"] == "20000.05"
    assert rows["360G-loti-CR-01"]["Actual Dates:End Date"] == "2020-12-18"
    assert rows["360G-loti-CR-02"]["Actual Dates:End Date"] == ""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("ledgers", "proposals"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_command_fills_amount_disbursed_from_the_actuals_file(project: Path) -> None:
    (project / "ledgers" / "2020-21.actuals.csv").write_text(
        HEADER
        + "A1,2020-10-30,9000.00,,CR-02,Data Co,Sprint 1,e.csv,1\n"
        + "A2,2020-11-30,11000.50,,CR-02,Data Co,Sprint 2,e.csv,2\n"
        + "A3,2020-11-30,800.00,Personnel,,Payroll,November,e.csv,3\n",
        encoding="utf-8",
    )
    run = invoke("export", "360giving", "--output", "grants.json")
    assert run.exit_code == 0, run.stderr
    package = json.loads((project / "grants.json").read_text(encoding="utf-8"))
    assert errors(package_validator(), package) == []
    disbursed = {grant["id"]: grant["amountDisbursed"] for grant in package["grants"]}
    assert disbursed["360G-loti-CR-02"] == 20000.5
    assert '"amountDisbursed": 20000.50' in (project / "grants.json").read_text(encoding="utf-8")
    assert disbursed["360G-loti-CR-03"] == 0


def test_actuals_that_cannot_be_read_stop_the_export(project: Path) -> None:
    (project / "ledgers" / "2020-21.actuals.csv").write_text(
        HEADER + "A1,2020-10-30,9000,,CR-02,Data Co,Sprint 1,e.csv,1\n", encoding="utf-8"
    )
    run = invoke("export", "360giving", "--output", "grants.json")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith(
        "loti: error: the actuals file ledgers/2020-21.actuals.csv is not valid, so no figure "
        "made from it can be trusted; fix it (each problem is below) and run again:\n"
    )
    assert "ledgers/2020-21.actuals.csv:2:" in run.stderr and "'9000'" in run.stderr
    assert not (project / "grants.json").exists()
