"""Imports that race, run as real processes: none loses another's rows."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from loti_cli.io.actuals_file import read_actuals
from tests.test_actuals_import import HEADER, RULES
from tests.test_decide_races import ENV, NO_FLOCK, held

ROOT = Path(__file__).parents[1]
ROWS = 400


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "ledgers").mkdir()
    shutil.copy(ROOT / "ledgers" / "2020-21.yaml", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals")
    (tmp_path / "ledgers" / "import.rules.yaml").write_text(RULES, encoding="utf-8")
    return tmp_path


def _export(folder: Path, part: int) -> Path:
    path = folder / f"export-{part}.csv"
    lines = (
        f"P{part}-{row},{1 + row % 28:02d}/05/2020,{row}.{part:02d},,Payroll,41710\n"
        for row in range(ROWS)
    )
    path.write_text(HEADER + "".join(lines), encoding="utf-8")
    return path


def _start(project: Path, export: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "loti_cli", "actuals", "import", export.name]
    return subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=project
    )


@NO_FLOCK
def test_imports_at_once_keep_every_row(project: Path) -> None:
    exports = [_export(project, part) for part in range(4)]
    with held(project / "ledgers" / ".loti.lock"):  # all four read their export, then wait
        runs = [_start(project, export) for export in exports]
        for process in runs:
            assert process.stderr is not None
            assert process.stderr.readline() == (
                "loti: note: waiting for another loti actuals import to finish (it holds "
                "ledgers/.loti.lock; giving up after 30 s)\n"
            )
    results = [process.communicate(timeout=120) for process in runs]
    assert [process.returncode for process in runs] == [0, 0, 0, 0], results
    for _, stderr in results:
        assert f"imported {ROWS} rows" in stderr
    actuals = read_actuals(project / "ledgers" / "2020-21.actuals.csv")
    assert actuals.valid
    assert len(actuals.rows) == 4 * ROWS
    assert {row.id for row in actuals.rows} == {
        f"P{part}-{row}" for part in range(4) for row in range(ROWS)
    }


@NO_FLOCK
def test_the_same_export_twice_at_once_is_imported_once(project: Path) -> None:
    export = _export(project, 1)
    runs = [_start(project, export) for _ in range(2)]
    results = [process.communicate(timeout=120) for process in runs]
    assert [process.returncode for process in runs] == [0, 0], results
    summaries = sorted(stderr.splitlines()[-1] for _, stderr in results)
    assert summaries[0].startswith(
        f"imported 0 rows (£0.00): 0 matched, 0 unmatched (£0.00); {ROWS} already"
    )
    assert summaries[1].startswith(f"imported {ROWS} rows")
    assert len(read_actuals(project / "ledgers" / "2020-21.actuals.csv").rows) == ROWS
    assert (project / "ledgers" / ".loti.lock").exists()


@NO_FLOCK
def test_ctrl_c_while_waiting_for_the_lock_changes_nothing_and_says_so(project: Path) -> None:
    import signal

    actuals = project / "ledgers" / "2020-21.actuals.csv"
    first = _start(project, _export(project, 0))
    assert first.communicate(timeout=120)[0] == "" and first.returncode == 0
    before = actuals.read_bytes()
    with held(project / "ledgers" / ".loti.lock"):
        second = _start(project, _export(project, 1))
        assert second.stderr is not None
        assert second.stderr.readline().startswith("loti: note: waiting for another loti")
        second.send_signal(signal.SIGINT)  # Ctrl-C, with the export read and nothing written
        _, stderr = second.communicate(timeout=120)
    assert second.returncode == 130
    assert stderr == "loti: interrupted; nothing was written\n"
    assert actuals.read_bytes() == before
    assert [path.name for path in actuals.parent.iterdir() if path.suffix == ".tmp"] == []
