"""The delivery rules in `proposal check`: DL3 reads the year's actuals on every run, so a
cached judgement never hides new spend; the delivery an Entry keeps survives the cache."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from loti_cli.core.delivery import DeliveryNote, MeasureNote, MilestoneNote
from loti_cli.core.entry import Entry, entry_from_data, entry_to_data
from loti_cli.core.money import Money
from loti_cli.io.resolve import bundled_ledgers
from loti_cli.pipeline.analyse import analyse_text
from loti_cli.pipeline.ledgers import LedgerBook
from tests.conftest import Run

Cli = Callable[..., Run]
FIXTURE = Path(__file__).parent / "fixtures" / "closable.yaml"
HEADER = "id,date,amount,line,proposal,supplier,description,source,source_row\n"


@pytest.fixture
def workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "ledgers").mkdir()
    shutil.copy(bundled_ledgers() / "2020-21.yaml", tmp_path / "ledgers" / "2020-21.yaml")
    (tmp_path / "proposals").mkdir()
    shutil.copy(FIXTURE, tmp_path / "proposals" / "cr-77.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def codes(run: Run) -> list[str]:
    data = json.loads(run.stdout)
    return [f["code"] for result in data["proposals"] for f in result["findings"]]


def test_dl3_sees_new_actuals_though_the_file_is_answered_from_the_cache(
    cli: Cli, workspace: Path
) -> None:
    first = cli("proposal", "check", "--format", "json")
    assert (first.exit_code, codes(first)) == (0, [])
    assert (workspace / ".loti_cache").is_dir()
    actuals = workspace / "ledgers" / "2020-21.actuals.csv"
    actuals.write_text(HEADER + "A1,2020-11-30,1000.01,,CR-77,Co,Build,e.csv,1\n", "utf-8")
    second = cli("proposal", "check", "--format", "json")
    assert second.exit_code == 1
    assert codes(second) == ["DL3"]
    finding = json.loads(second.stdout)["proposals"][0]["findings"][0]
    assert (finding["line"], finding["column"]) == (16, 14)
    assert (
        "record £1,000.01 spent on CR-77, more than its award of £1,000 (£0.01 over)"
        in (finding["message"])
    )
    actuals.write_text(HEADER + "A1,2020-11-30,1000.00,,CR-77,Co,Build,e.csv,1\n", "utf-8")
    third = cli("proposal", "check", "--format", "json")
    assert (third.exit_code, codes(third)) == (0, [])


def test_actuals_that_cannot_be_read_stop_the_check(cli: Cli, workspace: Path) -> None:
    actuals = workspace / "ledgers" / "2020-21.actuals.csv"
    actuals.write_text(HEADER + "A1,30/11/2020,10.00,,CR-77,Co,Build,e.csv,1\n", "utf-8")
    run = cli("proposal", "check")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith(
        "loti: error: the actuals file ledgers/2020-21.actuals.csv is not valid, so no figure "
        "made from it can be trusted; fix it (each problem is below) and run again:\n"
    )
    assert "ledgers/2020-21.actuals.csv:2:" in run.stderr and "MN6" in run.stderr
    ignored = cli("proposal", "check", "--ignore", "DL3")
    assert ignored.exit_code == 0, ignored.stderr


def test_dl2_reads_the_day_of_the_check(cli: Cli, workspace: Path) -> None:
    path = workspace / "proposals" / "cr-77.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "      done: 2020-12-17        # a day early\n", ""
        ),
        encoding="utf-8",
    )
    run = cli("proposal", "check", "--format", "json")
    assert run.exit_code == 0  # a warning
    assert codes(run) == ["DL2"]
    strict = cli("proposal", "check", "--strict")
    assert strict.exit_code == 1
    assert "proposals/cr-77.yaml:32:12: DL2 milestone 'Directory data model v1' was due " in (
        strict.stdout
    )


def test_an_entry_keeps_its_delivery_through_the_cache() -> None:
    analysis = analyse_text(FIXTURE.read_text(encoding="utf-8"), "cr-77.yaml", LedgerBook())
    entry = analysis.entry
    assert entry is not None
    assert entry.delivery == DeliveryNote(
        "beta",
        date(2020, 10, 5),
        date(2021, 2, 26),
        None,
        (MilestoneNote("Directory data model v1", date(2020, 12, 18), date(2020, 12, 17)),),
        (
            MeasureNote(
                "Days from referral to first contact",
                "days",
                Decimal(14),
                Decimal(3),
                Decimal(3),
                date(2021, 2, 26),
            ),
        ),
    )
    assert entry.locate(("delivery", "milestones", 0, "due")) == (32, 12)
    again = entry_from_data(json.loads(json.dumps(entry_to_data(entry))), entry.path)
    assert again == entry
    bare = Entry("x.yaml", "X-1", requested=Money(5))
    assert entry_from_data(json.loads(json.dumps(entry_to_data(bare))), "x.yaml") == bare
