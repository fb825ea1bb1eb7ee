"""Memos and the answers cache under attack: every cached run answers as an uncached one."""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from loti_cli.io import notes
from loti_cli.pipeline import check as check_module
from loti_cli.pipeline import workspace as workspace_module
from tests.conftest import CHECK_JSON, Run, ran, started
from tests.test_memo import DECIDE, aged, memos, outcome, project, rewrite

Loti = Callable[..., Run]
NO_CACHE = {"LOTI_NO_CACHE": "1"}

__all__ = ["project"]


def edit_keeping_size_and_times(path: Path, old: str, new: str) -> None:
    """Change the file's text, the same size, then put its access and modification times back."""
    assert len(old) == len(new)
    stat = path.stat()
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert path.stat().st_size == stat.st_size


def test_an_edit_with_its_time_put_back_is_judged_again(cli: Loti, project: Path) -> None:
    cli("proposal", "check", "--format", "json")
    path = project / "proposals" / "cr-02.yaml"
    edit_keeping_size_and_times(path, "status: approved", "status: approveD")
    cached = cli("proposal", "check", "--format", "json")
    assert outcome(cached) == outcome(cli("proposal", "check", "--format", "json", env=NO_CACHE))
    assert cached.exit_code == 1 and "IN2" in cached.stdout


def test_a_memo_changed_on_disk_is_never_trusted(cli: Loti, project: Path) -> None:
    first = cli("proposal", "check", "--format", "json")
    [memo] = memos(project, "check")
    text = memo.read_bytes()
    assert b'"Smarter London"' in text
    memo.write_bytes(text.replace(b'"Smarter London"', b'"Smarter Londom"', 1))  # still JSON
    assert outcome(cli("proposal", "check", "--format", "json")) == outcome(first)


def like_uncached(cli: Loti, *args: str) -> Run:
    """Run `loti ARGS` with the cache, assert it answers as without, and return the run."""
    cached = cli(*args)
    assert outcome(cached) == outcome(cli(*args, env=NO_CACHE))
    return cached


def test_a_decision_sees_another_proposal_edited_with_its_time_put_back(
    cli: Loti, project: Path
) -> None:
    cli("proposal", "check")
    assert len(memos(project, "folder")) == 1
    other = project / "proposals" / "cr-02.yaml"
    edit_keeping_size_and_times(other, "status: approved", "status: rejected")
    run = like_uncached(cli, *DECIDE, "--dry-run")
    assert run.exit_code == 0, run.stderr


@pytest.mark.parametrize("where", ["head", "made"])
def test_a_memo_nested_too_deep_to_parse_is_ignored(cli: Loti, project: Path, where: str) -> None:
    first = cli("proposal", "check", "--format", "json")
    [memo] = memos(project, "check")
    head, made = memo.read_bytes().splitlines()
    deep = b"[" * 200_000
    if where == "head":
        memo.write_bytes(deep + b"\n" + made + b"\n")
    else:  # its digest right, so that only parsing it can tell
        fields = json.loads(head)
        fields["made"] = hashlib.sha256(deep + b"\n").hexdigest()
        memo.write_bytes(json.dumps(fields).encode() + b"\n" + deep + b"\n")
    again = cli("proposal", "check", "--format", "json")
    assert outcome(again) == outcome(first)


def test_a_folder_memo_whose_problems_are_no_mapping_is_ignored(cli: Loti, project: Path) -> None:
    cli("proposal", "check")
    [memo] = memos(project, "folder")
    made = memo.read_bytes().splitlines()[1]
    data = json.loads(made)
    data["problems"] = []
    rewrite(memo, data)
    like_uncached(cli, *DECIDE, "--dry-run")


@pytest.mark.parametrize("problems", [{"0": 5}, {"99": []}, {"x": []}, {"0": [[1, 2]]}, 7, None])
def test_a_folder_memo_with_other_wrong_problems_is_ignored(
    cli: Loti, project: Path, problems: object
) -> None:
    cli("proposal", "check")
    [memo] = memos(project, "folder")
    made = memo.read_bytes().splitlines()[1]
    data = json.loads(made)
    data["problems"] = problems
    rewrite(memo, data)
    like_uncached(cli, *DECIDE, "--dry-run")


def test_an_answers_cache_nested_too_deep_to_parse_is_ignored(cli: Loti, project: Path) -> None:
    cli("proposal", "check", "--format", "json")
    [answers] = (project / ".loti_cache").glob("answers-*.json")
    answers.write_bytes(b'{"a":' * 100_000)
    # Other rules than the memo's: the files are judged, from the answers cache if it can.
    like_uncached(cli, "proposal", "check", "--format", "json", "--select", "PC5")


def test_a_note_is_forgotten_when_its_file_is_edited_with_its_time_put_back(
    project: Path,
) -> None:
    ledger = project / "ledgers" / "2020-21.yaml"
    aged(ledger)
    notes.note(project, "pillars", ledger, ["a"])
    assert notes.noted(project, "pillars", ledger) == ["a"]
    edit_keeping_size_and_times(ledger, "Covid", "CoviD")
    assert notes.noted(project, "pillars", ledger) is None


def test_notes_nested_too_deep_to_parse_are_ignored(project: Path) -> None:
    ledger = project / "ledgers" / "2020-21.yaml"
    aged(ledger)
    (project / ".loti_cache").mkdir(exist_ok=True)
    (project / ".loti_cache" / "pillars.json").write_bytes(b"[" * 100_000)
    assert notes.noted(project, "pillars", ledger) is None
    notes.note(project, "pillars", ledger, ["a"])
    assert notes.noted(project, "pillars", ledger) == ["a"]


def test_actuals_changed_during_a_check_leave_no_memo_of_them_as_they_were(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    actuals = project / "ledgers" / "2020-21.actuals.csv"
    before = actuals.read_text(encoding="utf-8")
    after = before.replace("15000.00,,CR-02", "95000.00,,CR-02")
    real = check_module._judged

    def judged(*args: Any, **kwargs: Any) -> Any:
        actuals.write_text(after, encoding="utf-8")  # after the memo's key, before DL3 reads
        return real(*args, **kwargs)

    monkeypatch.setattr(check_module, "_judged", judged)
    during = cli("proposal", "check", "--format", "json")
    assert during.exit_code in (0, 1) and during.stderr == ""
    monkeypatch.setattr(check_module, "_judged", real)
    changed = like_uncached(cli, "proposal", "check", "--format", "json")
    assert changed.exit_code == 1 and "DL3" in changed.stdout
    actuals.write_text(before, encoding="utf-8")
    run = like_uncached(cli, "proposal", "check", "--format", "json")
    assert run.exit_code == 0 and "DL3" not in run.stdout


def test_a_file_edited_during_a_check_is_judged_again_by_the_next(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "proposals" / "cr-02.yaml"
    real = workspace_module.read_files

    def read_files(*args: Any, **kwargs: Any) -> Any:
        # After the memo stat'ed the files, before they are read: as an editor saving.
        edit_keeping_size_and_times(path, "status: approved", "status: approveD")
        return real(*args, **kwargs)

    monkeypatch.setattr(workspace_module, "read_files", read_files)
    cli("proposal", "check", "--format", "json")
    monkeypatch.setattr(workspace_module, "read_files", real)
    edit_keeping_size_and_times(path, "status: approveD", "status: approved")
    run = like_uncached(cli, "proposal", "check", "--format", "json")
    assert run.exit_code == 0 and "IN2" not in run.stdout


def test_runs_at_once_while_a_file_is_edited_leave_no_stale_memo(project: Path) -> None:
    path = project / "proposals" / "cr-02.yaml"
    runs = started(CHECK_JSON, project, 3)
    for index in range(20):
        old, new = ("status: approved", "status: approveD")[:: 1 if index % 2 == 0 else -1]
        edit_keeping_size_and_times(path, old, new)
        time.sleep(0.1)  # edits through the runs' start, reading and writing
    for process in runs:
        out, err = process.communicate(timeout=120)
        assert process.returncode in (0, 1) and err == b""
        assert json.loads(out)["summary"]["proposals"] == 21
    expected = ran([*CHECK_JSON, "--no-cache"], project)
    for _ in range(2):
        again = ran(CHECK_JSON, project)
        assert (again.returncode, again.stdout, again.stderr) == (
            expected.returncode, expected.stdout, expected.stderr
        )  # fmt: skip


def test_a_decided_file_edited_as_its_decision_begins_is_not_kept_as_it_was(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    decided = project / "proposals" / "cr-04.yaml"
    real = workspace_module.Workspace.open_memo

    def open_memo(self: workspace_module.Workspace) -> Any:
        # The decision has read the file; an editor saves it before the folder is stat'ed.
        if self.memo is None:
            edit_keeping_size_and_times(decided, "requested: 35000", "requested: 95000")
        return real(self)

    monkeypatch.setattr(workspace_module.Workspace, "open_memo", open_memo)
    cli(*DECIDE, "--dry-run")
    monkeypatch.setattr(workspace_module.Workspace, "open_memo", real)
    assert len(memos(project, "folder")) == 1
    other = ("proposal", "decide", "proposals/cr-05.yaml", "--approve", "--panel", "2020-10-01")
    run = like_uncached(cli, *other, "--amount", "31000", "--dry-run")
    assert "BU3" in run.stderr


@pytest.mark.parametrize(
    ("index", "value"),
    [
        (1, "abcd5"),
        (1, {"CR-01": 1, "t": 2, "Covid Recovery": 3, "approved": 4, "5000": 5}),
        (2, "abcdefghi"),
        (None, ["proposals/cr-01.yaml"]),
        (None, "abc"),
    ],
)
def test_a_memo_whose_results_are_not_as_written_is_ignored(
    cli: Loti, project: Path, index: int | None, value: object
) -> None:
    first = cli("proposal", "check", "proposals/cr-01.yaml", "--format", "json")
    [memo] = memos(project, "check")
    made = memo.read_bytes().splitlines()[1]
    data = json.loads(made)
    if index is None:
        data["results"][0] = value
    else:
        data["results"][0][index] = value
    rewrite(memo, data)
    again = cli("proposal", "check", "proposals/cr-01.yaml", "--format", "json")
    assert outcome(again) == outcome(first)
