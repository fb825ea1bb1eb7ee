"""`loti proposal close` and `proposal check --closing`: the closure rules refuse a close and
leave the file as it was; a close keeps every comment, writes atomically, under the lock."""

from __future__ import annotations

import difflib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from loti_cli.pipeline import close as closing
from tests.conftest import Run

Cli = Callable[..., Run]
ROOT = Path(__file__).parents[1]
FIXTURE = Path(__file__).parent / "fixtures" / "closable.yaml"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
for _name in ("LOTI_LEDGER", "LOTI_DEBUG", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
    ENV.pop(_name, None)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's ledgers and proposals with CR-77, ready to close."""
    for folder in ("ledgers", "proposals"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "ledgers" / "2020-21.actuals.csv").unlink(missing_ok=True)
    shutil.copy(FIXTURE, tmp_path / "proposals" / "cr-77.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def changed(before: str, after: str) -> list[str]:
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def close(cli: Cli, *args: str) -> Run:
    return cli("proposal", "close", *args)


# ---------------------------------------------------------------------------
# a close


def test_a_close_changes_only_the_phase_and_adds_the_date(cli: Cli, project: Path) -> None:
    path = project / "proposals" / "cr-77.yaml"
    before = path.read_text(encoding="utf-8")
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05")
    assert run.exit_code == 0, run.stderr
    assert run.stdout == (
        "closed proposals/cr-77.yaml (CR-77) on 2021-03-05: 1 milestone done, 1 measure recorded\n"
    )
    assert run.stderr == ""
    after = path.read_text(encoding="utf-8")
    assert changed(before, after) == [
        "-  phase: beta                 # the phase",
        "+  phase: closed               # the phase",
        "+  closed: 2021-03-05",
    ]
    assert after.index("closed: 2021-03-05") > after.index("end: 2021-02-26")
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == [".loti.lock"]
    again = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05")
    assert (again.exit_code, again.stderr) == (0, "")
    assert again.stdout == (
        "proposals/cr-77.yaml (CR-77) is already closed on 2021-03-05; nothing to change\n"
    )
    assert path.read_text(encoding="utf-8") == after
    check = cli("proposal", "check", "proposals/cr-77.yaml", "--closing")
    assert check.exit_code == 0, check.stdout


def test_a_dry_run_prints_the_diff_and_writes_nothing(cli: Cli, project: Path) -> None:
    path = project / "proposals" / "cr-77.yaml"
    before = path.read_bytes()
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05", "--dry-run")
    assert run.exit_code == 0
    assert run.stdout.startswith(
        "--- a/proposals/cr-77.yaml\n+++ b/proposals/cr-77.yaml\n@@ -24,9 +24,10 @@\n"
    )
    assert "-  phase: beta                 # the phase\n" in run.stdout
    assert "+  closed: 2021-03-05\n" in run.stdout
    assert run.stderr == "dry run: proposals/cr-77.yaml not changed\n"
    assert path.read_bytes() == before
    assert not (path.parent / ".loti.lock").exists()  # a dry run takes no lock


def test_a_dry_run_shows_hostile_text_in_the_diff_as_escapes(cli: Cli, project: Path) -> None:
    path = project / "proposals" / "cr-77.yaml"
    text = path.read_text(encoding="utf-8")
    # YAML allows a bidi override written as it is (not an escape sequence: IN1)
    hostile = text.replace("Directory data model v1", "v1 \u202eevil\u2066")
    path.write_text(hostile, encoding="utf-8")
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05", "--dry-run")
    assert run.exit_code == 0, run.stderr
    assert "\u202e" not in run.stdout and "\u2066" not in run.stdout
    assert "     - name: v1 \\u202eevil\\u2066\n" in run.stdout
    assert path.read_text(encoding="utf-8") == hostile


def test_a_delivery_section_is_added_when_there_is_none(cli: Cli, project: Path) -> None:
    path = project / "proposals" / "cr-77.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("delivery:")] + "# the end\n", encoding="utf-8")
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05")
    assert run.exit_code == 0, run.stderr
    assert path.read_text(encoding="utf-8").endswith(
        "existing budgets.\ndelivery:\n  phase: closed\n  closed: 2021-03-05\n# the end\n"
    )


@pytest.mark.parametrize("empty", ["delivery:", "delivery: null", "delivery: ~   # to come"])
def test_an_empty_delivery_section_is_filled_in(cli: Cli, project: Path, empty: str) -> None:
    path = project / "proposals" / "cr-77.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("delivery:")] + empty + "\n# the end\n", encoding="utf-8")
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05")
    assert (run.exit_code, run.stderr) == (0, "")
    assert run.stdout == "closed proposals/cr-77.yaml (CR-77) on 2021-03-05\n"
    comment = empty.partition("#")[2]
    assert path.read_text(encoding="utf-8").endswith(
        "existing budgets.\ndelivery:"
        + (f"   #{comment}" if comment else "")
        + "\n  phase: closed\n  closed: 2021-03-05\n# the end\n"
    )


# ---------------------------------------------------------------------------
# refusals: the file is left byte for byte as it was

UNREADY = {
    "    url: https://github.com/example/directory   # published\n": "",
    "      done: 2020-12-17        # a day early\n": "",
    "      actual: 3\n": "",
}


def test_every_failing_closure_rule_is_listed_and_nothing_changes(cli: Cli, project: Path) -> None:
    path = project / "proposals" / "cr-77.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in UNREADY.items():
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    before = path.read_bytes()
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr == (
        "loti: cannot close proposals/cr-77.yaml (CR-77):\n"
        "  proposals/cr-77.yaml:21:5: CL1 output 'Directory data model' is gifted but has no "
        "url; add `url:` with where it is published\n"
        "  proposals/cr-77.yaml:30:7: CL3 milestone 'Directory data model v1' (due 2020-12-18) "
        "is not done; record `done:` with its date, or remove a milestone the panel has "
        "dropped\n"
        "  proposals/cr-77.yaml:33:7: CL2 measure 'Days from referral to first contact' has no "
        "actual; record the latest value and the date it was measured\n"
        "  fix the file (loti rules CODE explains a rule), then close it again; loti proposal "
        "check --closing lists the same\n"
    )
    assert path.read_bytes() == before
    check = cli("proposal", "check", "proposals/cr-77.yaml", "--closing", "--format", "json")
    assert check.exit_code == 1
    assert '"CL1"' in check.stdout and '"CL2"' in check.stdout and '"CL3"' in check.stdout
    plain = cli("proposal", "check", "proposals/cr-77.yaml", "--format", "json")
    assert plain.exit_code == 0  # no closure rule without --closing
    assert '"CL' not in plain.stdout


def test_a_waived_closure_rule_does_not_refuse(cli: Cli, project: Path) -> None:
    path = project / "proposals" / "cr-77.yaml"
    text = path.read_text(encoding="utf-8").replace("      actual: 3\n", "")
    text = text.replace(
        "# the end\n",
        "waivers:\n  - rule: CL2\n    reason: Measured in the next survey, in June\n"
        "    approved_by: Funding panel 2021-03-04\n",
    )
    path.write_text(text, encoding="utf-8")
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05")
    assert run.exit_code == 0, run.stderr


def test_only_an_approved_proposal_can_be_closed(cli: Cli, project: Path) -> None:
    path = project / "proposals" / "cr-04.yaml"
    before = path.read_bytes()
    run = close(cli, "proposals/cr-04.yaml", "--date", "2021-03-05")
    assert run.exit_code == 1
    assert run.stdout == ""
    assert run.stderr == (
        "loti: cannot close proposals/cr-04.yaml: CR-04 is submitted; only an approved "
        "proposal can be closed (loti proposal decide records the panel's approval)\n"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2099-01-01", "--date 2099-01-01 is in the future; give the day the project closed"),
        ("2020-10-04", "--date 2020-10-04 is before the project's start, 2020-10-05"),
    ],
)
def test_a_closing_date_that_cannot_be_is_exit_2(
    cli: Cli, project: Path, day: str, message: str
) -> None:
    path = project / "proposals" / "cr-77.yaml"
    before = path.read_bytes()
    run = close(cli, "proposals/cr-77.yaml", "--date", day)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == f"loti: error: {message}\n"
    assert path.read_bytes() == before


def test_a_delivery_that_is_not_a_mapping_is_named_at_its_line(cli: Cli, project: Path) -> None:
    path = project / "proposals" / "cr-77.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("delivery:")] + "delivery: soon\n", encoding="utf-8")
    before = path.read_bytes()
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith(
        "loti: error: cannot edit proposals/cr-77.yaml: delivery is not a mapping, so it "
        "cannot hold 'phase'\n"
    )
    assert (
        "proposals/cr-77.yaml:26:11: IN2 delivery should be a mapping of keys to values, not "
        "the text 'soon'"
    ) in run.stderr
    assert "fix the file, then close it again" in run.stderr
    assert path.read_bytes() == before


def test_a_date_that_is_not_one_is_a_usage_error(cli: Cli, project: Path) -> None:
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-02-30")
    assert (run.exit_code, run.stdout) == (2, "")
    assert "Invalid value for '--date': '2021-02-30' is not a date: February 2021 has 28 days" in (
        run.stderr
    )


def test_a_missing_file_is_exit_2(cli: Cli, project: Path) -> None:
    run = close(cli, "proposals/nowhere.yaml")
    assert (run.exit_code, run.stdout) == (2, "")
    assert "proposals/nowhere.yaml" in run.stderr


def test_select_of_a_closure_rule_needs_closing(cli: Cli, project: Path) -> None:
    run = cli("proposal", "check", "proposals/cr-77.yaml", "--select", "CL1")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "loti: error: --select CL1: CL1 (output-published) is a closure rule, which loti "
        "proposal close reports; add --closing to check it\n"
    )
    ok = cli("proposal", "check", "proposals/cr-77.yaml", "--select", "CL1", "--closing")
    assert ok.exit_code == 0, ok.stdout


# ---------------------------------------------------------------------------
# races: a file saved meanwhile, and a close waiting for the lock (real processes)

CHANGED = (
    "loti: error: proposals/cr-77.yaml changed while the closure was being recorded (saved "
    "from an editor?); it was left as it is now and nothing was written. Run the command "
    "again to record the closure in the file as it is now\n"
)


def test_a_file_saved_while_close_runs_keeps_the_save(
    cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "proposals" / "cr-77.yaml"
    saved = "# saved from an editor\n" + path.read_text(encoding="utf-8")
    real = closing.prepare_close

    def then_saved(*args: Any, **kwargs: Any) -> closing.Closing:
        prepared = real(*args, **kwargs)
        path.write_text(saved, encoding="utf-8")  # after the file was read, before the write
        return prepared

    monkeypatch.setattr(closing, "prepare_close", then_saved)
    run = close(cli, "proposals/cr-77.yaml", "--date", "2021-03-05")
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", CHANGED)
    assert path.read_text(encoding="utf-8") == saved
    assert not list(path.parent.glob(".cr-77.yaml.*.tmp"))


@pytest.mark.skipif(sys.platform == "win32", reason="no flock on Windows")
def test_a_close_waits_for_the_lock_then_closes(project: Path) -> None:
    import fcntl

    path = project / "proposals" / "cr-77.yaml"
    handle = os.open(project / "proposals" / ".loti.lock", os.O_RDWR | os.O_CREAT, 0o666)
    fcntl.flock(handle, fcntl.LOCK_EX)
    process = subprocess.Popen(
        [sys.executable, "-m", "loti_cli", "proposal", "close", str(path), "--date", "2021-03-05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=project,
    )
    try:
        assert process.stderr is not None
        waiting = process.stderr.readline()
        assert waiting.startswith("loti: note: waiting for another loti proposal decide or close")
        assert "closed: 2021-03-05" not in path.read_text(encoding="utf-8")
    finally:
        os.close(handle)  # and with it the lock
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert out.startswith("closed ")
    assert err == ""
    assert "  closed: 2021-03-05\n" in path.read_text(encoding="utf-8")
