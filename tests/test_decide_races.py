"""Writes that race: two `decide` runs at once, a file saved while `decide` runs, and a file
created while `proposal new` asks its questions. Races are run with real processes."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from loti_cli.commands import proposal_new
from loti_cli.io import lock
from loti_cli.io.files import FileChanged, write_atomic
from loti_cli.pipeline import decide
from loti_cli.pipeline.schema_line import SchemaLine
from tests.conftest import Run, invoke

ROOT = Path(__file__).parents[1]
PANEL = "2020-10-01"
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
for _name in ("LOTI_LEDGER", "LOTI_DEBUG", "NO_COLOR", "FORCE_COLOR", "COLUMNS"):
    ENV.pop(_name, None)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's ledgers, proposals and schemas, as the current folder."""
    for folder in ("ledgers", "proposals", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOTI_LEDGER", raising=False)
    return tmp_path


def run(*args: str) -> Run:
    return invoke(*args)


def decide_command(path: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "loti_cli", "proposal", "decide", str(path), *args]


NO_FLOCK = pytest.mark.skipif(sys.platform == "win32", reason="no flock on Windows")


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Hold the lock file `path` as another `loti proposal decide` would."""
    import fcntl

    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


# ---------------------------------------------------------------------------
# two decisions at once


@NO_FLOCK
def test_two_approvals_at_once_never_pass_the_allocation(project: Path) -> None:
    """Covid Recovery has £55,000 left; CR-04 and CR-98 ask £35,000 each. Both runs start
    while the lock is held, and both wait; once it is released, one approves and the
    other, reading the portfolio the first left, refuses."""
    first = project / "proposals" / "cr-04.yaml"
    second = project / "proposals" / "cr-98.yaml"
    second.write_text(first.read_text(encoding="utf-8").replace("CR-04", "CR-98"), "utf-8")
    files = {"CR-04": first, "CR-98": second}
    before = {name: path.read_bytes() for name, path in files.items()}
    with held(project / "proposals" / ".loti.lock"):
        runs = {
            name: subprocess.Popen(
                decide_command(path, "--approve", "--panel", PANEL),
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=ENV,
                cwd=project,
            )
            for name, path in files.items()
        }
        for process in runs.values():
            assert process.stderr is not None
            assert process.stderr.readline() == (
                "loti: note: waiting for another loti proposal decide or close to finish (it holds "
                "proposals/.loti.lock; giving up after 30 s)\n"
            )
    results = {name: process.communicate(timeout=60) for name, process in runs.items()}
    codes = {name: process.returncode for name, process in runs.items()}
    assert sorted(codes.values()) == [0, 1], results
    winner = next(name for name, code in codes.items() if code == 0)
    loser = next(name for name, code in codes.items() if code == 1)
    assert results[winner][0] == (
        f"approved proposals/{winner.lower()}.yaml ({winner}) at the funding panel of "
        f"{PANEL}: £35,000 from Covid Recovery, which has £20,000 of its £200,000 left\n"
    )
    assert results[loser][0] == ""
    assert results[loser][1] == (
        f"loti: cannot approve proposals/{loser.lower()}.yaml ({loser}):\n"
        f"  approving {loser} for £35,000 would take Covid Recovery past its allocation: "
        "allocated £200,000, already approved £180,000, headroom £20,000; £15,000 short. "
        "Approve at most £20,000 with --amount, or change the pillar's allocation in the "
        "ledger first\n"
    )
    assert b"status: approved\npanel: 2020-10-01\n" in files[winner].read_bytes()
    assert files[loser].read_bytes() == before[loser]


@NO_FLOCK
def test_a_run_waits_then_gives_up_with_nothing_changed(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "TIMEOUT", 0.3)
    path = project / "proposals" / "cr-04.yaml"
    before = path.read_bytes()
    with held(project / "proposals" / ".loti.lock"):
        result = run("proposal", "decide", str(path), "--approve", "--panel", PANEL)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: note: waiting for another loti proposal decide or close to finish (it holds "
        "proposals/.loti.lock; giving up after 0.3 s)\n"
        "loti: error: another loti proposal decide or close has held proposals/.loti.lock for 0.3 s; "
        "nothing was changed. Run the command again when it has finished (lsof "
        "proposals/.loti.lock shows which process holds it)\n"
    )
    assert path.read_bytes() == before


@NO_FLOCK
def test_a_dry_run_does_not_wait_for_the_lock(project: Path) -> None:
    path = project / "proposals" / "cr-04.yaml"
    with held(project / "proposals" / ".loti.lock"):
        result = run("proposal", "decide", str(path), "--reject", "--panel", PANEL, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "+status: rejected\n" in result.stdout
    assert result.stderr == "dry run: proposals/cr-04.yaml not changed\n"


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL, and no flock")
def test_a_lock_held_by_a_killed_run_does_not_stop_the_next(project: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "handle = os.open('proposals/.loti.lock', os.O_RDWR | os.O_CREAT)\n"
            "fcntl.flock(handle, fcntl.LOCK_EX)\n"
            "print('holding', flush=True)\n"
            "time.sleep(60)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
        cwd=project,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline() == "holding\n"
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=10)
    holder.stdout.close()
    path = project / "proposals" / "sl-02.yaml"
    result = run("proposal", "decide", str(path), "--reject", "--panel", PANEL)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""  # no wait
    assert result.stdout.startswith("rejected proposals/sl-02.yaml (SL-02)")


@NO_FLOCK
def test_the_lock_is_in_the_proposals_folder_given(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "portfolio"
    shutil.copytree(project / "proposals", elsewhere)
    path = elsewhere / "sl-02.yaml"
    result = run(
        "proposal", "decide", str(path), "--reject", "--panel", PANEL, "--proposals", str(elsewhere)
    )
    assert result.exit_code == 0, result.stderr
    assert (elsewhere / ".loti.lock").is_file()
    assert (elsewhere / ".loti.lock").read_bytes() == b""
    assert not (project / "proposals" / ".loti.lock").exists()
    # The lock file is no proposal: the check still counts the same files.
    checked = run("proposal", "check", str(elsewhere), "--proposals", str(elsewhere))
    assert f"{len(list(elsewhere.glob('*.yaml')))} checked" in checked.stdout


@NO_FLOCK
def test_a_lock_that_cannot_be_made_stops_a_decision_but_not_a_dry_run(project: Path) -> None:
    (project / "proposals" / ".loti.lock").mkdir()  # so that no user, root too, can open it
    path = project / "proposals" / "cr-04.yaml"
    before = path.read_bytes()
    result = run("proposal", "decide", str(path), "--reject", "--panel", PANEL)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: cannot lock proposals/.loti.lock: Is a directory. A decision is "
        "recorded under this lock so that two at once cannot approve past a pillar's "
        "allocation; make proposals writable (--dry-run shows the change without it)\n"
    )
    assert path.read_bytes() == before
    dry = run("proposal", "decide", str(path), "--reject", "--panel", PANEL, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    assert "+status: rejected\n" in dry.stdout


@pytest.mark.skipif(
    sys.platform == "win32" or os.geteuid() == 0, reason="root writes to read-only folders"
)
def test_a_read_only_proposals_folder(project: Path) -> None:
    folder = project / "proposals"
    path = folder / "cr-04.yaml"
    folder.chmod(0o555)
    try:
        result = run("proposal", "decide", str(path), "--reject", "--panel", PANEL)
        dry = run("proposal", "decide", str(path), "--reject", "--panel", PANEL, "--dry-run")
    finally:
        folder.chmod(0o755)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        "loti: error: cannot lock proposals/.loti.lock: Permission denied."
    )
    assert dry.exit_code == 0, dry.stderr


def test_without_flock_a_decision_is_still_recorded(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lock, "fcntl", None)  # as on Windows
    path = project / "proposals" / "sl-02.yaml"
    result = run("proposal", "decide", str(path), "--reject", "--panel", PANEL)
    assert result.exit_code == 0, result.stderr
    assert not (project / "proposals" / ".loti.lock").exists()
    assert "status: rejected\n" in path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# a file saved while decide runs

EDITED = "# the user's note, saved from an editor\n"
CHANGED = (
    "loti: error: proposals/cr-04.yaml changed while the decision was being recorded (saved "
    "from an editor?); it was left as it is now and nothing was written. Run the command "
    "again to record the decision in the file as it is now\n"
)


def test_a_file_saved_while_decide_runs_keeps_the_save(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "proposals" / "cr-04.yaml"
    saved = EDITED + path.read_text(encoding="utf-8")
    real = decide.prepare_decision

    def then_saved(*args: Any, **kwargs: Any) -> decide.Prepared:
        prepared = real(*args, **kwargs)
        path.write_text(saved, encoding="utf-8")  # after the file was read, before the write
        return prepared

    monkeypatch.setattr(decide, "prepare_decision", then_saved)
    result = run("proposal", "decide", str(path), "--approve", "--panel", PANEL)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == CHANGED
    assert path.read_text(encoding="utf-8") == saved
    assert sorted(p.name for p in path.parent.iterdir() if p.name.startswith(".")) == [".loti.lock"]


PAUSED_DECIDE = textwrap.dedent(
    """
    import os, sys
    from loti_cli.cli import main

    real_fsync = os.fsync

    def pause(handle):  # the new text is written; the rename is next
        real_fsync(handle)
        os.fsync = real_fsync
        print("paused", flush=True)
        sys.stdin.readline()

    os.fsync = pause
    sys.argv = ["loti", "proposal", "decide", *sys.argv[1:]]
    main()
    """
)


@pytest.mark.parametrize("how", ["in place", "renamed over"])
def test_a_save_from_another_process_during_the_write_is_kept(project: Path, how: str) -> None:
    path = project / "proposals" / "cr-04.yaml"
    saved = EDITED + path.read_text(encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_DECIDE, str(path), "--approve", "--panel", PANEL],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=ENV,
        cwd=project,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "paused\n"
    if how == "in place":
        path.write_text(saved, encoding="utf-8")
    else:  # as most editors save
        (path.parent / "cr-04.yaml~").write_text(saved, encoding="utf-8")
        (path.parent / "cr-04.yaml~").replace(path)
    out, err = process.communicate("go\n", timeout=60)
    assert process.returncode == 2, err
    assert (out, err) == ("", CHANGED)
    assert path.read_text(encoding="utf-8") == saved
    assert not list(path.parent.glob(".cr-04.yaml.*.tmp"))


def test_write_atomic_compares_before_it_replaces(tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"a: 1\n")
    with pytest.raises(FileChanged):
        write_atomic(path, "a: 2\n", unchanged=b"a: 0\n")
    with pytest.raises(FileChanged):
        write_atomic(path, "a: 2\n", unchanged=b"a: 1")  # a prefix is not the file
    assert path.read_bytes() == b"a: 1\n"
    write_atomic(path, "a: 2\n", unchanged=b"a: 1\n")
    assert path.read_bytes() == b"a: 2\n"
    path.unlink()
    with pytest.raises(FileChanged):
        write_atomic(path, "a: 3\n", unchanged=b"a: 2\n")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_write_atomic_exclusive_never_replaces(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    write_atomic(path, "a: 1\n", exclusive=True)
    assert path.read_bytes() == b"a: 1\n"
    assert path.stat().st_mode & 0o777 == 0o644
    with pytest.raises(FileChanged):
        write_atomic(path, "a: 2\n", exclusive=True)
    assert path.read_bytes() == b"a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.yaml"]


def test_write_atomic_exclusive_without_hard_links(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(*args: object) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)  # as on a file system without hard links
    path = tmp_path / "new.yaml"
    write_atomic(path, "a: 1\n", exclusive=True)
    with pytest.raises(FileChanged):
        write_atomic(path, "a: 2\n", exclusive=True)
    assert path.read_bytes() == b"a: 1\n"
    assert [p.name for p in tmp_path.iterdir()] == ["new.yaml"]


# ---------------------------------------------------------------------------
# proposal new: a file created while it asks


def test_proposal_new_keeps_a_file_created_meanwhile(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = project / "proposals" / "dc-06.yaml"
    theirs = "id: DC-06\n# written by a colleague while the questions were answered\n"

    real_schema_line = proposal_new._schema_line

    def created_meanwhile(at: Path | None) -> SchemaLine:
        target.write_text(theirs, encoding="utf-8")
        return real_schema_line(at)

    monkeypatch.setattr(proposal_new, "_schema_line", created_meanwhile)
    result = run(
        "proposal", "new", str(target), "--no-input", "--id", "DC-06", "--title", "Data",
        "--pillar", "Developing Capabilities", "--borough", "Camden:lead",
        "--borough", "Hackney:delivery", "--amount", "20000",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: proposals/dc-06.yaml was created while the proposal was being written; "
        "it was left as it is. Choose another FILE, or replace it with --force\n"
    )
    assert target.read_text(encoding="utf-8") == theirs
    assert [p.name for p in target.parent.glob(".dc-06*")] == []
