"""Memos in `.loti_cache/`: a whole check, and the folder as a decision sees it, answered
without judging any file while every file, ledger, option and the day are unchanged."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from loti_cli.io import memo as memo_module
from loti_cli.pipeline import check_memo
from loti_cli.pipeline.check import check_paths
from tests.conftest import CHECK_JSON, Run, ran, started

ROOT = Path(__file__).parents[1]
Loti = Callable[..., Run]
DECIDE = ("proposal", "decide", "proposals/cr-04.yaml", "--approve", "--panel", "2020-10-01")
FORMATS = ("text", "json", "sarif", "junit", "github", "markdown")


@pytest.fixture
def project(in_tmp_path: Path) -> Path:
    """The repository's ledgers and proposals, each file last modified a minute ago (a file
    modified within the last two seconds is never memoised)."""
    shutil.copytree(ROOT / "ledgers", in_tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", in_tmp_path / "proposals")
    for path in (in_tmp_path / "proposals").rglob("*.yaml"):
        aged(path)
    return in_tmp_path


def aged(path: Path, seconds: int = 60) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - seconds * 10**9))


def memos(project: Path, kind: str) -> list[Path]:
    return sorted((project / ".loti_cache").glob(f"{kind}-*.json"))


@pytest.fixture
def judging_forbidden(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Call it to make any reading or judging of a proposal file fail the test."""

    def forbid() -> None:
        def refuse(*args: object, **kwargs: object) -> object:
            raise AssertionError("a proposal file was read or judged")

        monkeypatch.setattr("loti_cli.pipeline.workspace.read_files", refuse)
        monkeypatch.setattr("loti_cli.pipeline.check.analyse", refuse)

    return forbid


def rewrite(memo: Path, data: object) -> None:
    """Replace what a memo holds with `data`, its first line made to match (as if loti had
    written it), so that only reading the data can tell that it is wrong."""
    head = json.loads(memo.read_bytes().splitlines()[0])
    line = json.dumps(data).encode() + b"\n"
    head["made"] = hashlib.sha256(line).hexdigest()
    memo.write_bytes(json.dumps(head).encode() + b"\n" + line)


def outcome(run: Run) -> tuple[int, str, str]:
    return run.exit_code, run.stdout, run.stderr


@pytest.mark.parametrize("output", FORMATS)
def test_an_unchanged_check_is_answered_from_its_memo_with_the_same_output(
    cli: Loti, project: Path, judging_forbidden: Callable[[], None], output: str
) -> None:
    uncached = cli("proposal", "check", "--format", output, "--no-cache")
    first = cli("proposal", "check", "--format", output)
    assert len(memos(project, "check")) == 1
    judging_forbidden()
    second = cli("proposal", "check", "--format", output)
    assert outcome(second) == outcome(first) == outcome(uncached)


def test_files_named_one_by_one(
    cli: Loti, project: Path, judging_forbidden: Callable[[], None]
) -> None:
    args = ("proposal", "check", "proposals/cr-02.yaml", "proposals/cr-01.yaml")
    first = cli(*args, "--format", "json")
    judging_forbidden()
    assert outcome(cli(*args, "--format", "json")) == outcome(first)


def test_standard_input_is_never_memoised(cli: Loti, project: Path) -> None:
    text = (project / "proposals" / "cr-02.yaml").read_text(encoding="utf-8")
    piped = cli("proposal", "check", "-", "--format", "json", input=text)
    broken = text.replace("status: approved", "status: approveD")
    again = cli("proposal", "check", "-", "--format", "json", input=broken)
    assert piped.exit_code == 0 and again.exit_code == 1
    assert memos(project, "check") == []


def test_a_file_modified_just_now_makes_no_memo(cli: Loti, project: Path) -> None:
    (project / "proposals" / "cr-02.yaml").touch()
    cli("proposal", "check")
    assert memos(project, "check") == [] and memos(project, "folder") == []


def test_an_edited_file_is_judged_again(cli: Loti, project: Path) -> None:
    cli("proposal", "check")
    path = project / "proposals" / "cr-02.yaml"
    text = path.read_text(encoding="utf-8")
    # The same size, and a time as old: only the time in nanoseconds tells the change.
    path.write_text(text.replace("status: approved", "status: approveD"), encoding="utf-8")
    aged(path, 61)
    run = cli("proposal", "check", "--format", "json")
    codes = [f["code"] for p in json.loads(run.stdout)["proposals"] for f in p["findings"]]
    assert run.exit_code == 1 and "IN2" in codes


def test_a_file_whose_permissions_changed_is_judged_again(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("proposal", "check")
    path = project / "proposals" / "cr-02.yaml"
    path.chmod(0o600)  # moves its change time, as making it unreadable would
    seen: list[str] = []
    real = check_memo.Memo.load

    def load(memo: check_memo.Memo) -> object:
        found = real(memo)
        seen.append("hit" if found is not None else "miss")
        return found

    monkeypatch.setattr(check_memo.Memo, "load", load)
    cli("proposal", "check")
    assert seen == ["miss"]


@pytest.mark.parametrize(
    "change",
    [
        ("--select", "PC5"),
        ("--ignore", "FP3"),
        ("--closing",),
        ("--ledger", "ledgers/2020-21.yaml"),
    ],
)
def test_other_options_have_a_memo_of_their_own(
    cli: Loti, project: Path, change: tuple[str, ...]
) -> None:
    cli("proposal", "check")
    run = cli("proposal", "check", *change, "--format", "json")
    assert run.stdout == cli("proposal", "check", *change, "--format", "json", "--no-cache").stdout
    assert len(memos(project, "check")) == 2


def test_another_day_or_changed_actuals_is_another_memo(project: Path) -> None:
    def run(day: date) -> None:
        check_paths(["proposals"], today=day, no_cache=False, memo=True)

    run(date(2020, 12, 1))
    run(date(2020, 12, 2))
    assert len(memos(project, "check")) == 2
    actuals = project / "ledgers" / "2020-21.actuals.csv"
    actuals.write_text(actuals.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    run(date(2020, 12, 2))
    assert len(memos(project, "check")) == 3


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json\n",
        b"\xff\xfe\n\xff",
        b'{"format": 3, "files": 0, "digest": "", "made": ""}\n{}\n',
        None,  # the right files, then results that are not results
    ],
)
def test_a_damaged_memo_is_ignored_and_rebuilt(
    cli: Loti, project: Path, damage: bytes | None
) -> None:
    first = cli("proposal", "check", "--format", "json")
    [memo] = memos(project, "check")
    if damage is None:
        rewrite(memo, {"ledger": 5, "results": [["x", None, [[1]]]]})
        damage = memo.read_bytes()
    else:
        memo.write_bytes(damage)
    again = cli("proposal", "check", "--format", "json")
    assert outcome(again) == outcome(first)
    assert memo.read_bytes() != damage  # written again, whole
    lines = memo.read_bytes().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["format"] == memo_module.FORMAT


def test_a_decision_reads_the_other_proposals_from_the_folder_memo(
    cli: Loti, project: Path, judging_forbidden: Callable[[], None]
) -> None:
    uncached = cli(*DECIDE, "--dry-run", env={"LOTI_NO_CACHE": "1"})
    cli("proposal", "check")
    assert len(memos(project, "folder")) == 1
    judging_forbidden()
    memoised = cli(*DECIDE, "--dry-run")
    assert outcome(memoised) == outcome(uncached)
    assert "BU3 the submitted and approved proposals of Covid" in memoised.stderr


def test_a_decision_sees_another_proposal_changed_since_the_memo(cli: Loti, project: Path) -> None:
    cli("proposal", "check")
    other = project / "proposals" / "cr-02.yaml"
    text = other.read_text(encoding="utf-8")
    assert "status: approved" in text
    other.write_text(text.replace("status: approved", "status: rejected"), encoding="utf-8")
    aged(other, 61)
    memoised = cli(*DECIDE, "--dry-run")
    uncached = cli(*DECIDE, "--dry-run", env={"LOTI_NO_CACHE": "1"})
    assert outcome(memoised) == outcome(uncached)


def test_a_decision_without_a_memo_keeps_one_for_the_next(
    cli: Loti, project: Path, judging_forbidden: Callable[[], None]
) -> None:
    first = cli(*DECIDE, "--dry-run")
    assert len(memos(project, "folder")) == 1
    judging_forbidden()
    assert outcome(cli(*DECIDE, "--dry-run")) == outcome(first)


def test_runs_at_once_leave_whole_memos(project: Path) -> None:
    expected = ran([*CHECK_JSON, "--no-cache"], project)
    for _ in range(2):  # the first round writes the memos at once, the second reads them
        for run in started(CHECK_JSON, project, 5):
            out, err = run.communicate(timeout=120)
            assert (run.returncode, out, err) == (expected.returncode, expected.stdout, b"")
    for memo in [*memos(project, "check"), *memos(project, "folder")]:
        head, made = memo.read_bytes().splitlines()
        assert json.loads(head)["format"] == memo_module.FORMAT and json.loads(made)
    assert not [p for p in (project / ".loti_cache").iterdir() if p.name.endswith(".tmp")]


def test_the_panel_pack_is_not_made_from_the_checks_memo(cli: Loti, project: Path) -> None:
    # The memo keeps only what the check's reports show; the pack shows more (each area).
    cli("proposal", "check")
    pack = cli("report", "--format", "markdown")
    assert outcome(pack) == outcome(
        cli("report", "--format", "markdown", env={"LOTI_NO_CACHE": "1"})
    )
    assert "Identifying Needs" in pack.stdout


def test_a_check_of_other_files_keeps_the_memo_of_the_whole_folder(
    cli: Loti, project: Path, judging_forbidden: Callable[[], None]
) -> None:
    whole = cli("proposal", "check", "--format", "json")
    one = cli("proposal", "check", "proposals/cr-02.yaml", "--format", "json")
    assert len(memos(project, "check")) == 2
    judging_forbidden()
    assert outcome(cli("proposal", "check", "--format", "json")) == outcome(whole)
    assert outcome(cli("proposal", "check", "proposals/cr-02.yaml", "--format", "json")) == (
        outcome(one)
    )
