"""Output files: never over a file the run reads without --force; one clear message when a
file cannot be written."""

from __future__ import annotations

import errno
import hashlib
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from loti_cli.io.outputs import workspace
from tests.conftest import Run

ROOT = Path(__file__).parent.parent
Cli = Callable[..., Run]

REFUSED = "name another file, or add --force to overwrite it\n"
NEW_REFUSED = "name another file, or add --force to write it there\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's ledgers and proposals, as the current folder."""
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def digest(folder: Path) -> dict[str, str]:
    """Every file below `folder`, by its content: a refused run must change nothing."""
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


# ---------------------------------------------------------------------------
# an output over an input is refused (exit 2), and --force writes it


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["report", "--output", "ledgers/2020-21.yaml"],
            "--output ledgers/2020-21.yaml: is an input of this run (the ledger in use); ",
        ),
        (
            ["report", "--format", "markdown", "-o", "proposals/cr-04.yaml"],
            "--output proposals/cr-04.yaml: is an input of this run (a proposal in proposals/); ",
        ),
        (
            ["proposal", "check", "--output", "json=proposals/cr-02.yaml"],
            "--output json=proposals/cr-02.yaml: is an input of this run "
            "(a proposal in proposals/); ",
        ),
        (
            ["proposal", "check", "proposals/cr-02.yaml", "-o", "sarif=proposals/cr-02.yaml"],
            "--output sarif=proposals/cr-02.yaml: is an input of this run "
            "(a proposal in proposals/); ",
        ),
        (
            [
                "proposal",
                "check",
                "--ledger",
                "ledgers/2020-21.yaml",
                "-o",
                "junit=ledgers/2020-21.yaml",
            ],
            "--output junit=ledgers/2020-21.yaml: is an input of this run (the ledger in use); ",
        ),
        (
            ["export", "360giving", "--output", "ledgers/2020-21.yaml"],
            "--output ledgers/2020-21.yaml: is an input of this run (the ledger in use); ",
        ),
        (
            ["export", "360giving", "--format", "csv", "--output", "proposals/cr-01.yaml"],
            "--output proposals/cr-01.yaml: is an input of this run (a proposal in proposals/); ",
        ),
    ],
)
def test_output_over_an_input_is_refused(
    cli: Callable[..., Run], project: Path, args: list[str], message: str
) -> None:
    before = digest(project)
    run = cli(*args)
    assert run.exit_code == 2
    assert run.stderr == f"loti: error: {message}{REFUSED}"
    assert run.stdout == ""
    assert digest(project) == before


@pytest.mark.parametrize(
    ("args", "target"),
    [
        (["report", "--output", "ledgers/2020-21.yaml", "--force"], "ledgers/2020-21.yaml"),
        (
            ["proposal", "check", "-o", "json=proposals/cr-02.yaml", "--force"],
            "proposals/cr-02.yaml",
        ),
        (["export", "360giving", "-o", "proposals/cr-01.yaml", "--force"], "proposals/cr-01.yaml"),
    ],
)
def test_force_overwrites_an_input(
    cli: Callable[..., Run], project: Path, args: list[str], target: str
) -> None:
    run = cli(*args)
    assert run.exit_code == 0, run.stderr
    written = (project / target).read_text(encoding="utf-8")
    assert written.startswith(("<!DOCTYPE html>", "{")), written[:40]


def test_a_new_file_where_loti_reads_proposals_or_ledgers_is_refused(
    cli: Callable[..., Run], project: Path
) -> None:
    run = cli("proposal", "check", "-o", "json=proposals/x.yaml")
    assert run.exit_code == 2
    assert run.stderr == (
        "loti: error: --output json=proposals/x.yaml: would be read as an input "
        f"(a proposal in proposals/); {NEW_REFUSED}"
    )
    assert not (project / "proposals" / "x.yaml").exists()
    run = cli("report", "-o", "ledgers/2021-22.yaml")
    assert run.exit_code == 2
    assert run.stderr == (
        "loti: error: --output ledgers/2021-22.yaml: would be read as an input "
        f"(a ledger in ledgers/); {NEW_REFUSED}"
    )
    assert not (project / "ledgers" / "2021-22.yaml").exists()


def test_the_same_file_by_another_name_is_refused(cli: Callable[..., Run], project: Path) -> None:
    (project / "hard.html").hardlink_to(project / "proposals" / "cr-02.yaml")
    (project / "soft.html").symlink_to(project / "ledgers" / "2020-21.yaml")
    (project / "sub").mkdir()
    before = digest(project)
    run = cli("report", "-o", "hard.html")
    assert run.exit_code == 2
    assert run.stderr == (
        "loti: error: --output hard.html: is an input of this run "
        f"(a proposal in proposals/: proposals/cr-02.yaml); {REFUSED}"
    )
    run = cli("report", "-o", "soft.html")
    assert run.exit_code == 2
    assert "(the ledger in use: ledgers/2020-21.yaml)" in run.stderr
    run = cli("proposal", "check", "-o", "json=sub/../proposals/./cr-03.yaml")
    assert run.exit_code == 2
    assert run.stderr == (
        "loti: error: --output json=sub/../proposals/cr-03.yaml: is an input of this run "
        f"(a proposal in proposals/); {REFUSED}"
    )
    assert digest(project) == before


def test_a_file_named_on_the_command_line_is_an_input(
    cli: Callable[..., Run], project: Path
) -> None:
    other = project / "elsewhere"
    other.mkdir()
    shutil.copy(project / "proposals" / "cr-02.yaml", other / "cr-02.yaml")
    run = cli("proposal", "check", "elsewhere/cr-02.yaml", "-o", "json=elsewhere/cr-02.yaml")
    assert run.exit_code == 2
    assert run.stderr == (
        "loti: error: --output json=elsewhere/cr-02.yaml: is an input of this run "
        f"(a file named on the command line); {REFUSED}"
    )
    run = cli("proposal", "check", "elsewhere", "-o", "json=elsewhere/new.yml")
    assert run.exit_code == 2
    assert "(a proposal in elsewhere/, named on the command line)" in run.stderr


def test_loti_ledger_is_an_input(cli: Callable[..., Run], project: Path) -> None:
    shutil.copy(project / "ledgers" / "2020-21.yaml", project / "budget.yaml")
    run = cli("report", "-o", "budget.yaml", env={"LOTI_LEDGER": "budget.yaml"})
    assert run.exit_code == 2
    assert "--output budget.yaml: is an input of this run (the ledger in use)" in run.stderr


def test_outputs_elsewhere_are_written(cli: Callable[..., Run], project: Path) -> None:
    (project / "proposals" / ".cache").mkdir()
    assert cli("report", "-o", "pack.html").exit_code == 0
    run = cli("proposal", "check", "-o", "json=check.json", "-o", "sarif=proposals/.cache/x.yaml")
    assert run.exit_code == 0, run.stderr
    assert (project / "check.json").read_text(encoding="utf-8").startswith("{")
    run = cli("export", "360giving", "--format", "both", "-o", "proposals/grants")
    assert run.exit_code == 0, run.stderr  # .json and .csv are not read as proposals
    assert (project / "proposals" / "grants.json").exists()


def test_workspace_lists_ledgers_proposals_and_named_files(project: Path) -> None:
    inputs = workspace(
        ledgers=[Path("ledgers/2020-21.yaml")],
        proposals=Path("proposals"),
        named=[Path("proposals/cr-02.yaml"), Path("-"), None],
    )
    assert inputs.role_of(Path("ledgers/2020-21.yaml")) == "the ledger in use"
    assert inputs.role_of(Path("proposals/sl-02.yaml")) == "a proposal in proposals/"
    assert inputs.role_of(Path("proposals/deep/new.yaml")) == "a proposal in proposals/"
    assert inputs.role_of(Path("proposals/new.txt")) is None
    assert inputs.role_of(Path("proposals/.new.yaml")) is None
    assert inputs.role_of(Path("ledgers/notes.md")) is None
    assert inputs.role_of(Path("pack.html")) is None


@pytest.mark.parametrize("command", ["report", "proposal", "export"])
def test_help_says_what_force_does(cli: Cli, command: str) -> None:
    args = {
        "report": ["report"],
        "proposal": ["proposal", "check"],
        "export": ["export", "360giving"],
    }
    result = cli(*args[command], "--help", env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "--force" in result.stdout
    assert "unless --force" in result.stdout


# ---------------------------------------------------------------------------
# a file that cannot be written: the reason once, and what to do


@pytest.fixture
def read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every folder refuses new files, as a read-only one does (the tests may run as root)."""

    def refuse(*args: object, **kwargs: object) -> tuple[int, str]:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)


@pytest.mark.parametrize(
    ("args", "path"),
    [
        (["report", "--output", "out/pack.html"], "out/pack.html"),
        (["proposal", "check", "--output", "json=out/check.json"], "out/check.json"),
        (["export", "360giving", "--output", "out/grants.json"], "out/grants.json"),
    ],
)
def test_read_only_folder_says_why_once(
    cli: Callable[..., Run], project: Path, read_only: None, args: list[str], path: str
) -> None:
    (project / "out").mkdir()
    run = cli(*args)
    assert run.exit_code == 2
    assert run.stderr.splitlines()[-1] == (
        f"loti: error: cannot write {path}: Permission denied; check that out can be written "
        "to, or name a file in another folder"
    )
    assert run.stderr.count("cannot write") == 1


def test_read_only_folder_for_a_new_proposal(
    cli: Callable[..., Run], project: Path, read_only: None
) -> None:
    run = cli(
        "proposal", "new", "proposals/cr-09.yaml", "--no-input", "--title", "A title",
        "--pillar", "Covid Recovery", "--area", "Identifying Needs", "--borough", "Camden",
        "--borough", "Hackney", "--amount", "1000",
    )  # fmt: skip
    assert run.exit_code == 2
    assert run.stderr == (
        "loti: error: cannot write proposals/cr-09.yaml: Permission denied; check that "
        "proposals can be written to, or name a file in another folder\n"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("report", "--format", "markdown"),
        ("report", "boroughs"),
        ("report", "borough", "Camden"),
        ("export", "360giving"),
    ],
)
def test_no_command_writes_over_the_actuals_it_reads(
    cli: Callable[..., Run], project: Path, args: tuple[str, ...]
) -> None:
    before = (project / "ledgers" / "2020-21.actuals.csv").read_bytes()
    run = cli(*args, "--output", "ledgers/2020-21.actuals.csv")
    assert run.exit_code == 2, run.output
    assert "is an input of this run (the actuals file)" in run.stderr
    assert (project / "ledgers" / "2020-21.actuals.csv").read_bytes() == before
