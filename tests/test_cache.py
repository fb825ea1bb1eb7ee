"""`.loti_cache/`: answers for unchanged files, never stale, safe to lose, shared by runs at once."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from loti_cli.io import cache as cache_module
from loti_cli.io import files as files_module
from loti_cli.pipeline import analyse as analyse_module
from tests.conftest import CHECK_JSON, Run, ran, started

ROOT = Path(__file__).parents[1]
Loti = Callable[..., Run]


@pytest.fixture
def project(in_tmp_path: Path) -> Path:
    """The repository's ledgers and proposals, in an empty folder that is the current one."""
    shutil.copytree(ROOT / "ledgers", in_tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", in_tmp_path / "proposals")
    return in_tmp_path


def judged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files a run judges (parses and checks) rather than answers from the cache."""
    seen: list[str] = []
    real = analyse_module.analyse

    def counting(source: object, book: object) -> object:
        seen.append(source.path)  # type: ignore[attr-defined]
        return real(source, book)  # type: ignore[arg-type]

    monkeypatch.setattr(analyse_module, "analyse", counting)
    return seen


def read(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The files a run reads."""
    seen: list[str] = []
    real = files_module.read_bytes

    def counting(path: Path) -> bytes:
        seen.append(str(path))
        return real(path)

    monkeypatch.setattr("loti_cli.pipeline.reading.read_bytes", counting)
    return seen


def without_memos(project: Path) -> None:
    """Remove the memos of whole runs (tests/test_memo.py), so that a run reads the answers."""
    for kind in ("check", "folder"):
        for memo in (project / ".loti_cache").glob(f"{kind}-*.json"):
            memo.unlink()


def old(path: Path) -> None:
    """Make a file look modified a minute ago, so that the cache may note it."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 60 * 10**9))


def test_a_second_run_answers_from_the_cache_with_the_same_output(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for path in (project / "proposals").glob("*.yaml"):
        old(path)
    first = cli("proposal", "check", "--format", "json")
    assert (project / ".loti_cache" / ".gitignore").read_text(encoding="utf-8").splitlines()[
        -1
    ] == "*"
    judging = judged(monkeypatch)
    reading = read(monkeypatch)
    second = cli("proposal", "check", "--format", "json")
    assert judging == []  # every answer came from the cache
    assert reading == []  # files unchanged since noted are not even read
    assert (second.exit_code, second.stdout, second.stderr) == (
        first.exit_code,
        first.stdout,
        first.stderr,
    )
    uncached = cli("proposal", "check", "--format", "json", "--no-cache")
    assert uncached.stdout == first.stdout
    assert len(judging) == len(list((project / "proposals").glob("*.yaml")))


def test_an_edited_file_is_judged_again(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "proposals" / "cr-02.yaml"
    cli("proposal", "check")
    text = path.read_text(encoding="utf-8")
    # Same size, same second: only the content tells the change.
    path.write_text(text.replace("status: approved", "status: approveD"), encoding="utf-8")
    judging = judged(monkeypatch)
    run = cli("proposal", "check", "--format", "json")
    assert judging == ["proposals/cr-02.yaml"]
    assert run.exit_code == 1
    codes = [f["code"] for p in json.loads(run.stdout)["proposals"] for f in p["findings"]]
    assert "IN2" in codes


def test_a_changed_ledger_judges_every_file_again(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("proposal", "check")
    ledger = project / "ledgers" / "2020-21.yaml"
    ledger.write_text(ledger.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    judging = judged(monkeypatch)
    cli("proposal", "check")
    assert len(judging) == len(list((project / "proposals").glob("*.yaml")))


def test_the_selection_of_rules_uses_the_same_answers(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = cli("proposal", "check", "--no-cache", "--select", "PC5", "--format", "json")
    cli("proposal", "check")
    judging = judged(monkeypatch)
    selected = cli("proposal", "check", "--select", "PC5", "--format", "json")
    assert judging == []
    assert selected.stdout == everything.stdout


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"{not json",
        b'{"format": 1, "answers": {"x": 1}, "files": []}',
        b'{"format": 1, "answers": [], "files": {}}',
        b"\xff\xfe",
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(cli: Loti, project: Path, damage: bytes) -> None:
    first = cli("proposal", "check", "--format", "json")
    without_memos(project)
    for answers in (project / ".loti_cache").glob("answers-*.json"):
        answers.write_bytes(damage)
    again = cli("proposal", "check", "--format", "json")
    assert (again.exit_code, again.stdout, again.stderr) == (
        first.exit_code,
        first.stdout,
        first.stderr,
    )
    rebuilt = [json.loads(p.read_bytes()) for p in (project / ".loti_cache").glob("answers-*")]
    assert rebuilt and all(data["format"] == cache_module.FORMAT for data in rebuilt)


def test_answers_whose_content_is_damaged_are_judged_again(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cli("proposal", "check", "--format", "json")
    without_memos(project)
    [answers] = (project / ".loti_cache").glob("answers-*.json")
    data = json.loads(answers.read_bytes())
    for answer in data["answers"].values():
        answer["findings"] = [["FP1", "x", "error", 5, None, None]]  # a message that is no text
    answers.write_text(json.dumps(data), encoding="utf-8")
    judging = judged(monkeypatch)
    again = cli("proposal", "check", "--format", "json")
    assert again.stdout == first.stdout
    assert len(judging) == len(data["answers"])


@pytest.mark.parametrize("how", ["option", "environment"])
def test_no_cache_writes_no_cache(cli: Loti, project: Path, how: str) -> None:
    if how == "option":
        run = cli("proposal", "check", "--no-cache")
    else:
        run = cli("proposal", "check", env={"LOTI_NO_CACHE": "1"})
    assert run.exit_code == 0
    assert not (project / ".loti_cache").exists()


def test_a_folder_that_cannot_be_written_runs_without_a_cache(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = cli("proposal", "check", "--no-cache", "--format", "json")

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("loti_cli.io.cache.tempfile.mkstemp", refuse)
    for path in (project / "proposals").glob("*.yaml"):
        old(path)  # old enough to be memoised, were the folder writable
    run = cli("proposal", "check", "--format", "json")
    assert (run.exit_code, run.stdout, run.stderr) == (0, first.stdout, "")
    assert not list((project / ".loti_cache").glob("*.json"))  # no answers, no memos
    decided = cli(
        "proposal",
        "decide",
        "proposals/cr-04.yaml",
        "--approve",
        "--panel",
        "2020-10-01",
        "--dry-run",
    )
    assert decided.exit_code == 0 and "Traceback" not in decided.stderr


def test_budget_status_and_the_check_share_the_answers(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cli("proposal", "check")
    judging = judged(monkeypatch)
    status = cli("budget", "status", "--format", "json")
    assert judging == []
    assert status.exit_code == 0
    assert json.loads(status.stdout)["remaining"] == "444000.00"


def test_runs_at_once_neither_corrupt_the_cache_nor_fail(project: Path) -> None:
    expected = ran([*CHECK_JSON, "--no-cache"], project)
    for run in started(CHECK_JSON, project, 6):
        out, err = run.communicate(timeout=120)
        assert (run.returncode, out, err) == (expected.returncode, expected.stdout, b"")
    for answers in (project / ".loti_cache").glob("answers-*.json"):
        assert json.loads(answers.read_bytes())["format"] == cache_module.FORMAT
    assert not list((project / ".loti_cache").glob(".answers-*"))  # no temporary left


def test_an_answer_names_ledgers_as_seen_from_where_loti_runs(
    cli: Loti, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = project / "proposals" / "cr-02.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("2020-21", "2021-22", 1), encoding="utf-8"
    )
    here = cli("proposal", "check", "--ledger", "ledgers/2020-21.yaml", "proposals/cr-02.yaml")
    assert "the ledger ledgers/2020-21.yaml is for 2020-21" in here.stdout
    monkeypatch.chdir(project / "proposals")
    args = ("--ledger", "../ledgers/2020-21.yaml", "--proposals", ".", "cr-02.yaml")
    below = cli("proposal", "check", *args)  # the same cache, beside proposals/
    assert "the ledger ../ledgers/2020-21.yaml is for 2020-21" in below.stdout


_OPENED: list[list[str]] = []
"""While it holds a list, every file the process opens for reading goes in it, by real path."""


def _watch_opens(event: str, args: tuple[object, ...]) -> None:
    """An audit hook: it sees every open of a file, by open(), Path.read_bytes or os.open."""
    if event != "open" or not _OPENED:
        return
    path, mode, flags = args
    if not isinstance(path, str | bytes):
        return
    reading = "r" in mode if isinstance(mode, str) else (flags or 0) & os.O_ACCMODE == os.O_RDONLY
    if reading and (mode is None or "+" not in mode):
        _OPENED[0].append(os.path.realpath(os.fsdecode(path)))


sys.addaudithook(_watch_opens)


@pytest.mark.parametrize("cached", [False, True])
def test_each_file_is_read_at_most_once_by_a_command(
    cli: Loti, project: Path, cached: bool
) -> None:
    if cached:
        cli("proposal", "check")
    data = {os.path.realpath(p) for p in project.rglob("*.yaml")}
    for command in (
        ("budget", "status"),
        ("report", "--format", "markdown"),
        ("report", "borough", "Camden", "--format", "markdown"),
        ("report", "boroughs"),
        (
            "proposal",
            "decide",
            "proposals/cr-04.yaml",
            "--approve",
            "--panel",
            "2020-10-01",
            "--dry-run",
        ),
        ("proposal", "check"),
    ):
        if not cached:  # as cold as a first run: an earlier command's answers would hide reads
            shutil.rmtree(project / ".loti_cache", ignore_errors=True)
        _OPENED.append([])
        try:
            run = cli(*command)
        finally:
            opened = [path for path in _OPENED.pop() if path in data]
        assert run.exit_code in (0, 1), run.stderr
        assert opened, "the audit hook saw no file opened"
        twice = sorted({path for path in opened if opened.count(path) > 1})
        assert twice == [], f"{' '.join(command)} read {twice} more than once"
