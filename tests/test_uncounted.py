"""A proposal file that may be approved but cannot be counted (LB9) fails every money command.

Each example is a copy of an approved proposal of 2020-21 (CR-01, £5,000 of Covid
Recovery) as CR-09 in proposals/cr-09.yaml, with one defect. The figures cannot count
it, so budget status and what-if (every format), report (html and markdown) and export
360giving (json and csv) must exit 1 with an LB9 finding naming the file, say that the
figures leave it out, and proposal decide must refuse an approval while it is there.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from loti_cli.report.mdtext import cell
from tests.conftest import WITHOUT_CALL, Run

ROOT = Path(__file__).parents[1]
BAD = "proposals/cr-09.yaml"
Cli = Callable[..., Run]


def _approved_copy() -> str:
    text = (ROOT / "proposals" / "cr-01.yaml").read_text(encoding="utf-8")
    assert "id: CR-01\n" in text and "status: approved\n" in text
    return text.replace("id: CR-01\n", "id: CR-09\n")


def _capital_a(text: str) -> str:
    return text.replace("status: approved\n", "status: Approved\n")


def _yaml_error(text: str) -> str:
    return text.replace("id: CR-09\n", "id: [CR-09\n")


def _pillar_case(text: str) -> str:
    return text.replace("pillar: Covid Recovery\n", "pillar: covid recovery\n")


def _pillar_space(text: str) -> str:
    return text.replace("pillar: Covid Recovery\n", 'pillar: "Covid Recovery "\n')


EXAMPLES: dict[str, tuple[Callable[[str], str], str, str]] = {
    # name: (the defect, where the finding is, what its message says of the cause)
    "status Approved": (
        _capital_a,
        f"{BAD}:8:9",
        "may be an approved proposal of 2020-21 that no figure counts, so money shown as "
        "free may not be: status 'Approved' is not one of draft, submitted, approved, "
        "rejected or withdrawn; did you mean 'approved'?",
    ),
    "YAML error": (
        _yaml_error,
        f"{BAD}:",
        "may be an approved proposal of 2020-21 that no figure counts, so money shown as "
        "free may not be: the file is not valid YAML",
    ),
    "pillar in another case": (
        _pillar_case,
        f"{BAD}:6:9",
        "is an approved proposal of 2020-21 that no figure counts, so money shown as free "
        "may not be: pillar 'covid recovery' is not one of the 2020-21 allocations",
    ),
    "pillar with a trailing space": (
        _pillar_space,
        f"{BAD}:6:9",
        "is an approved proposal of 2020-21 that no figure counts, so money shown as free "
        "may not be: pillar 'Covid Recovery ' is not one of the 2020-21 allocations (Covid "
        "Recovery, Developing Capabilities or Smarter London); did you mean 'Covid Recovery'?",
    ),
    "unreadable file": (
        lambda text: text,  # valid, but reading it fails (see `project`)
        f"{BAD}:1:1",
        "may be an approved proposal of 2020-21 that no figure counts, so money shown as "
        "free may not be: the file cannot be read: Permission denied",
    ),
}


@pytest.fixture(params=list(EXAMPLES), ids=list(EXAMPLES))
def example(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: str) -> tuple[Path, str, str]:
    """The repository's ledgers and proposals with the example's cr-09.yaml, as the current
    folder; returns the folder, where the finding is and what it says."""
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals", ignore=WITHOUT_CALL)
    defect, where, says = EXAMPLES[example]
    (tmp_path / BAD).write_text(defect(_approved_copy()), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    if example == "unreadable file":
        # chmod 000 does not stop root (as in CI): the file cannot be opened, whoever runs.
        refuse_to_open(monkeypatch, tmp_path / BAD)
    return tmp_path, where, says


def refuse_to_open(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    real_open = Path.open
    target = os.path.realpath(path)

    def guarded(self: Path, *args: object, **kwargs: object) -> object:
        if os.path.realpath(self) == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", guarded)


def the_finding(text: str, where: str, says: str) -> None:
    """`text` holds the LB9 finding: at its place, with its message."""
    line = next((line for line in text.splitlines() if f"{where}" in line and "LB9" in line), "")
    assert line, f"no LB9 finding at {where} in:\n{text}"
    assert says in line, line


INCOMPLETE = (
    "Incomplete: the figures leave out 1 proposal file that may count (proposals/cr-09.yaml)"
)


# ---------------------------------------------------------------------------
# budget status and budget what-if, every format


@pytest.mark.parametrize("command", [("budget", "status"), ("budget", "what-if")])
@pytest.mark.parametrize("output_format", ["table", "markdown"])
def test_budget_for_a_person_fails_and_says_the_figures_are_incomplete(
    cli: Cli, project: tuple[Path, str, str], command: tuple[str, ...], output_format: str
) -> None:
    _, where, says = project
    result = cli(*command, "--format", output_format, env={"COLUMNS": "400", "NO_COLOR": "1"})
    assert result.exit_code == 1
    text = result.stdout
    assert INCOMPLETE in text
    # The sentence comes before the first figure, not only among the findings.
    assert text.index("Incomplete:") < text.index("Income")
    if output_format == "table":
        the_finding(text, where, says)
    else:
        row = next(row for row in text.splitlines() if row.startswith("| LB9 | error |"))
        assert where in row and cell(says) in row
    assert "figures leave out 1 proposal file that may count (proposals/cr-09.yaml)" in (
        result.stderr
    )


@pytest.mark.parametrize("command", [("budget", "status"), ("budget", "what-if")])
def test_budget_json_fails_and_lists_what_it_leaves_out(
    cli: Cli, project: tuple[Path, str, str], command: tuple[str, ...]
) -> None:
    _, where, says = project
    result = cli(*command, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["uncounted"] == [BAD]
    [finding] = [f for f in data["findings"] if f["code"] == "LB9"]
    assert (finding["rule"], finding["severity"], finding["path"]) == (
        "uncountable-proposal",
        "error",
        BAD,
    )
    assert f"{finding['path']}:{finding['line']}:{finding['column']}".startswith(where)
    assert says in finding["message"]
    covid = next(p for p in data["allocations"]["pillars"] if p["pillar"] == "Covid Recovery")
    # CR-09's £5,000 is not in any figure (what-if adds CR-04's £35,000 of the pipeline).
    approved = "145000.00" if command[1] == "status" else "180000.00"
    assert covid["approved"] == approved


@pytest.mark.parametrize("command", [("budget", "status"), ("budget", "what-if")])
def test_budget_csv_fails_and_names_the_file_first(
    cli: Cli, project: tuple[Path, str, str], command: tuple[str, ...]
) -> None:
    _, where, says = project
    result = cli(*command, "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["section", "name", "category", "pillar", "amount"]
    section, name, category, pillar, amount = rows[1]
    assert (section, category, pillar, amount) == ("finding", "error", "", "")
    assert name.startswith(where) and f": LB9 {says}" in name


# ---------------------------------------------------------------------------
# report


@pytest.mark.parametrize("output_format", ["html", "markdown"])
def test_the_panel_pack_is_written_says_it_is_incomplete_and_fails(
    cli: Cli, project: tuple[Path, str, str], output_format: str
) -> None:
    _, where, _ = project
    result = cli("report", "--format", output_format)
    assert result.exit_code == 1
    text = result.stdout
    assert INCOMPLETE in text
    assert text.index(INCOMPLETE) < text.index("Budget summary")
    # Among the ledger findings, the LB9 row names the file and its place.
    assert "uncountable-proposal" in text and f"{where}" in text
    assert f"loti: error: the figures leave out 1 proposal file that may count ({BAD})" in (
        result.stderr
    )
    assert BAD in result.stderr and "LB9" in result.stderr


def test_the_panel_pack_written_to_a_file_fails_too(
    cli: Cli, project: tuple[Path, str, str]
) -> None:
    folder, _, _ = project
    result = cli("report", "--output", "pack.html")
    assert result.exit_code == 1
    assert result.stderr.startswith("loti: wrote pack.html: ")
    assert INCOMPLETE in (folder / "pack.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------------------
# export 360giving


@pytest.mark.parametrize("output_format", ["json", "csv"])
def test_the_export_fails_and_names_the_file(
    cli: Cli, project: tuple[Path, str, str], output_format: str
) -> None:
    _, where, says = project
    result = cli("export", "360giving", "--format", output_format)
    assert result.exit_code == 1
    the_finding(result.stderr, where, says)
    assert "loti: error: the export is incomplete: 1 file(s) that are or may be approved " in (
        result.stderr
    )
    assert f"({BAD})" in result.stderr
    assert "exported 9 grants of " in result.stderr and "and 1 more file(s)" in result.stderr
    assert "360G-loti-CR-09" not in result.stdout


# ---------------------------------------------------------------------------
# proposal decide


def test_an_approval_is_refused_while_a_file_cannot_be_counted(
    cli: Cli, project: tuple[Path, str, str]
) -> None:
    folder, where, says = project
    before = (folder / "proposals" / "cr-04.yaml").read_bytes()
    result = cli("proposal", "decide", "proposals/cr-04.yaml", "--approve", "--panel", "2020-11-05")
    assert result.exit_code == 1
    assert result.stderr.startswith("loti: cannot approve proposals/cr-04.yaml (CR-04):\n")
    the_finding(result.stderr, where, says)
    assert "no approval while a file that may be approved cannot be counted" in result.stderr
    assert "--waive" not in result.stderr  # LB9 cannot be waived
    assert (folder / "proposals" / "cr-04.yaml").read_bytes() == before
    assert result.stdout == ""


def test_a_rejection_needs_no_count(cli: Cli, project: tuple[Path, str, str]) -> None:
    result = cli("proposal", "decide", "proposals/cr-04.yaml", "--reject", "--panel", "2020-11-05")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("rejected proposals/cr-04.yaml (CR-04)")


# ---------------------------------------------------------------------------
# what is not this year's money


@pytest.mark.parametrize(
    "text",
    [
        _capital_a(_approved_copy()).replace("financial_year: 2020-21", "financial_year: 2019-20"),
        _pillar_case(_approved_copy()).replace("status: approved", "status: draft"),
        _pillar_space(_approved_copy()).replace("status: approved", "status: rejected"),
        _approved_copy().replace("status: approved", "status: withdrawn") + "notes: unknown\n",
    ],
    ids=["other year, status Approved", "draft", "rejected", "withdrawn, unknown key"],
)
def test_a_file_that_is_not_this_years_money_does_not_stop_the_figures(
    cli: Callable[..., Run], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals", ignore=WITHOUT_CALL)
    (tmp_path / BAD).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    run = cli("budget", "status", "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert "uncounted" not in json.loads(run.stdout)
    decided = cli(
        "proposal", "decide", "proposals/cr-04.yaml", "--approve", "--panel", "2020-11-05"
    )
    assert decided.exit_code == 0, decided.stderr


def test_a_file_chmod_000_fails_the_budget(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same with real permissions, where they apply (root reads any file)."""
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode; the unreadable-file example covers it")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals", ignore=WITHOUT_CALL)
    bad = tmp_path / BAD
    bad.write_text(_approved_copy(), encoding="utf-8")
    bad.chmod(0)
    monkeypatch.chdir(tmp_path)
    try:
        result = cli("budget", "status", "--format", "json")
    finally:
        bad.chmod(0o644)
    assert result.exit_code == 1
    [finding] = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "LB9"]
    assert finding["path"] == BAD and "Permission denied" in finding["message"]
