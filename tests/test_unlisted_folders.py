"""A folder of proposals that cannot be listed is an error, never skipped without a word.

No permission to read it, or a link that loops back to a folder holding it: `proposal
check` reports it as IN1 at the folder and fails; the money commands report LB9 (it may
hold approved proposals that no figure counts) and fail; decide refuses approvals.

Tests run as root in CI, where permissions do not stop anyone: listing the folder is
made to fail (os.scandir raising PermissionError), and a real chmod 000 test runs
where permissions apply.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from loti_cli.io.resolve import proposal_files, scan_proposals
from tests.conftest import WITHOUT_CALL, Run

ROOT = Path(__file__).parents[1]
Cli = Callable[..., Run]
SECRET = "proposals/secret/"
HIDDEN_APPROVAL = "CR-19"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's ledgers and proposals, and proposals/secret/ holding an approved
    proposal (CR-19, £5,000 of Covid Recovery), as the current folder."""
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals", ignore=WITHOUT_CALL)
    secret = tmp_path / SECRET
    secret.mkdir()
    text = (ROOT / "proposals" / "cr-01.yaml").read_text(encoding="utf-8")
    (secret / "cr-19.yaml").write_text(text.replace("id: CR-01\n", "id: CR-19\n"), "utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def refuse_to_list(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    """Listing `folder` fails as it does without read permission, whoever runs the test."""
    real_scandir = os.scandir
    target = os.path.realpath(folder)

    def guarded(path: Any = ".") -> Iterator[os.DirEntry[str]]:
        if not isinstance(path, int) and os.path.realpath(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)  # type: ignore[no-any-return]

    monkeypatch.setattr(os, "scandir", guarded)


@pytest.fixture
def unreadable(project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    refuse_to_list(monkeypatch, project / SECRET)
    return project


@pytest.fixture
def looping(project: Path) -> Path:
    """proposals/secret/back is a link to proposals/: followed, it would never end."""
    (project / SECRET / "back").symlink_to(project / "proposals")
    return project


PERMISSION = (
    "the folder cannot be listed (Permission denied), so the proposals in it are neither "
    "checked nor counted; make it readable, or move it out of the proposals folder"
)
LOOP = (
    "the folder is a link back to a folder that holds it (a loop), so what it holds is "
    "neither checked nor counted; remove the link or point it elsewhere"
)


# ---------------------------------------------------------------------------
# listing


def test_a_folder_that_cannot_be_listed_is_reported_not_skipped(unreadable: Path) -> None:
    listing = scan_proposals(Path("proposals"))
    assert [(item.path, item.message) for item in listing.unlisted] == [
        (Path("proposals/secret"), PERMISSION)
    ]
    assert len(listing.files) == 13
    assert proposal_files(Path("proposals")) == [Path(name) for name in listing.files]


def test_a_link_that_loops_is_reported_and_not_followed(looping: Path) -> None:
    listing = scan_proposals(Path("proposals"))
    assert [(item.path, item.message) for item in listing.unlisted] == [
        (Path("proposals/secret/back"), LOOP)
    ]
    assert "proposals/secret/cr-19.yaml" in listing.files and len(listing.files) == 14


def test_a_link_to_itself_is_reported(project: Path) -> None:
    (project / "proposals" / "loop").symlink_to("loop")
    [item] = scan_proposals(Path("proposals")).unlisted
    assert item.path == Path("proposals/loop")
    assert item.message.startswith("the link cannot be followed (Too many levels of symbolic")


def test_a_linked_folder_is_followed_and_each_file_is_listed_once(project: Path) -> None:
    (project / "proposals" / "shared").symlink_to(project / SECRET)
    (project / "proposals" / "cr-01-again.yaml").symlink_to(project / "proposals" / "cr-01.yaml")
    listing = scan_proposals(Path("proposals"))
    assert listing.unlisted == []
    names = listing.files
    assert names.count("proposals/cr-01.yaml") + names.count("proposals/cr-01-again.yaml") == 1
    assert ("proposals/secret/cr-19.yaml" in names) != ("proposals/shared/cr-19.yaml" in names)
    assert len(names) == 14


# ---------------------------------------------------------------------------
# proposal check


@pytest.mark.parametrize(
    ("fixture", "where", "message"),
    [
        ("unreadable", SECRET, PERMISSION),
        ("looping", f"{SECRET}back/", LOOP),
    ],
)
def test_check_reports_the_folder_as_in1_and_fails(
    cli: Cli, request: pytest.FixtureRequest, fixture: str, where: str, message: str
) -> None:
    request.getfixturevalue(fixture)
    result = cli("proposal", "check", "proposals/", env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert f"{where}: IN1 {message}" in result.stdout.splitlines()
    expected = 14 if fixture == "unreadable" else 15  # 13 files and the folder (and CR-19)
    assert f"{expected} checked, " in result.stdout
    data = json.loads(cli("proposal", "check", "proposals/", "--format", "json").stdout)
    [entry] = [p for p in data["proposals"] if p["path"] == where]
    assert entry["passed"] is False and entry["id"] is None
    assert [(f["code"], f["path"], f["line"]) for f in entry["findings"]] == [("IN1", where, None)]


def test_checking_one_file_reports_a_folder_of_the_portfolio_it_cannot_see(
    cli: Cli, unreadable: Path
) -> None:
    result = cli("proposal", "check", "proposals/cr-04.yaml", env={"NO_COLOR": "1"})
    assert result.exit_code == 1
    assert f"{SECRET}: IN1 {PERMISSION}" in result.stdout.splitlines()


def test_a_folder_named_alone_that_cannot_be_listed_is_a_finding_not_nothing_to_check(
    cli: Cli, unreadable: Path
) -> None:
    result = cli("proposal", "check", SECRET, "--proposals", SECRET, env={"NO_COLOR": "1"})
    assert result.exit_code == 1, result.stderr
    assert f"{SECRET}: IN1 {PERMISSION}" in result.stdout.splitlines()
    assert "1 checked, 0 passed, 1 failed" in result.stdout


# ---------------------------------------------------------------------------
# the money commands


@pytest.mark.parametrize("fixture", ["unreadable", "looping"])
def test_budget_status_fails_with_lb9_naming_the_folder(
    cli: Cli, request: pytest.FixtureRequest, fixture: str
) -> None:
    request.getfixturevalue(fixture)
    where = SECRET if fixture == "unreadable" else f"{SECRET}back/"
    result = cli("budget", "status", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["uncounted"] == [where]
    [finding] = [f for f in data["findings"] if f["code"] == "LB9"]
    assert finding["path"] == where and finding["message"].startswith(
        "may hold approved proposals of 2020-21 that no figure counts, so money shown as free "
        "may not be: the folder "
    )
    assert "figures leave out 1 folder of proposals that may count" in result.stderr


@pytest.mark.parametrize("output_format", ["table", "csv", "markdown"])
def test_budget_status_names_the_folder_in_every_format(
    cli: Cli, unreadable: Path, output_format: str
) -> None:
    result = cli("budget", "status", "--format", output_format, env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert f"{SECRET}: LB9 may hold approved proposals" in result.stdout or (
        "| LB9 | error | may hold approved proposals" in result.stdout and SECRET in result.stdout
    )


def test_the_budget_no_longer_hides_what_the_folder_holds(cli: Cli, project: Path) -> None:
    # Readable, CR-19 counts (£145,000 + £5,000); unreadable, the run fails instead of
    # showing £145,000 as if it were all.
    data = json.loads(cli("budget", "status", "--format", "json").stdout)
    covid = next(p for p in data["allocations"]["pillars"] if p["pillar"] == "Covid Recovery")
    assert covid["approved"] == "150000.00"


def test_report_and_export_fail_naming_the_folder(cli: Cli, unreadable: Path) -> None:
    report = cli("report", "--format", "markdown")
    assert report.exit_code == 1
    assert f"Incomplete: the figures leave out 1 folder of proposals that may count ({SECRET})" in (
        report.stdout
    )
    exported = cli("export", "360giving")
    assert exported.exit_code == 1
    assert f"{SECRET}: LB9 may hold approved proposals" in exported.stderr


@pytest.fixture
def self_loop(project: Path) -> Path:
    """proposals/loop is a link to itself: it cannot even be told to be a folder."""
    (project / "proposals" / "loop").symlink_to("loop")
    return project


@pytest.mark.parametrize(
    ("fixture", "where", "cause"),
    [
        ("unreadable", SECRET, "the folder cannot be listed (Permission denied)"),
        ("looping", f"{SECRET}back/", "the folder is a link back to a folder that holds it"),
        ("self_loop", "proposals/loop/", "the link cannot be followed (Too many levels of"),
    ],
)
def test_decide_refuses_an_approval_while_a_folder_cannot_be_listed(
    cli: Callable[..., Run], request: pytest.FixtureRequest, fixture: str, where: str, cause: str
) -> None:
    request.getfixturevalue(fixture)
    run = cli("proposal", "decide", "proposals/cr-04.yaml", "--approve", "--panel", "2020-11-05")
    assert run.exit_code == 1, run.stderr
    assert run.stderr.startswith("loti: cannot approve proposals/cr-04.yaml (CR-04):\n")
    assert (
        f"  {where}: LB9 may hold approved proposals of 2020-21 that no figure counts, so money "
        f"shown as free may not be: {cause}"
    ) in run.stderr
    assert "status: submitted" in Path("proposals/cr-04.yaml").read_text(encoding="utf-8")


def test_check_and_budget_report_a_link_to_itself(cli: Cli, self_loop: Path) -> None:
    check = cli("proposal", "check", "proposals/", env={"NO_COLOR": "1"})
    assert check.exit_code == 1
    assert "proposals/loop/: IN1 the link cannot be followed (Too many levels of symbolic" in (
        check.stdout
    )
    budget = cli("budget", "status", "--format", "json")
    assert budget.exit_code == 1
    assert json.loads(budget.stdout)["uncounted"] == ["proposals/loop/"]


def test_chmod_000_fails_check_and_budget(cli: Cli, project: Path) -> None:
    """The same with real permissions, where they apply (root lists any folder)."""
    if os.geteuid() == 0:
        pytest.skip("root lists a folder whatever its mode; refuse_to_list covers it")
    secret = project / SECRET
    secret.chmod(0)
    try:
        check = cli("proposal", "check", "proposals/", env={"NO_COLOR": "1"})
        budget = cli("budget", "status", "--format", "json")
    finally:
        secret.chmod(0o755)
    assert check.exit_code == 1 and f"{SECRET}: IN1 {PERMISSION}" in check.stdout
    assert budget.exit_code == 1 and json.loads(budget.stdout)["uncounted"] == [SECRET]
