"""`loti proposal decide` on the files `loti proposal check` reads: every line ending, a
byte-order mark, and a panel date that must fall within the proposal's financial year."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from loti_cli.io.yaml_edit import Edit, edit_mapping
from loti_cli.io.yaml_read import Mark, Problem, YamlError
from loti_cli.pipeline import decide
from tests.conftest import Run, invoke

ROOT = Path(__file__).parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "commented-proposal.yaml"
PANEL = "2020-10-01"
REASON = "Sustainability model due at the discovery show-and-tell"
BOM = "\ufeff"

ENDINGS = {
    "lf": "\n",
    "crlf": "\r\n",
    "cr": "\r",
    "nel": "\x85",
    "line-separator": "\u2028",
    "paragraph-separator": "\u2029",
}
"""Every line break YAML readers accept (NEL, U+2028 and U+2029 as in YAML 1.1)."""


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


def decided(text: str) -> str:
    """The commented fixture (LF endings) as `decide --approve --waive PC5` leaves it."""
    text = text.replace(
        "status: submitted        # the panel decides this\n",
        "status: approved         # the panel decides this\npanel: 2020-10-01\n",
    )
    last = "personal_data: false     # counts only, no personal data\n"
    assert last in text
    return text.replace(
        last,
        last
        + "waivers:\n"
        + "    -   rule: PC5\n"
        + f"        reason: {REASON}\n"
        + "        approved_by: Funding panel 2020-10-01\n",
    )


# ---------------------------------------------------------------------------
# line endings


@pytest.mark.parametrize("bom", [False, True], ids=["no-bom", "bom"])
@pytest.mark.parametrize("name", list(ENDINGS))
def test_decide_keeps_the_files_own_line_ending(project: Path, name: str, bom: bool) -> None:
    ending = ENDINGS[name]
    lf = FIXTURE.read_text(encoding="utf-8")
    head = BOM if bom else ""
    path = project / "proposals" / "sl-90.yaml"
    path.write_bytes((head + lf.replace("\n", ending)).encode("utf-8"))
    result = run(
        "proposal", "decide", str(path), "--approve", "--panel", PANEL,
        "--waive", "PC5", "--reason", REASON,
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("approved proposals/sl-90.yaml (SL-90) at the funding panel")
    # Every byte as before but the decision's lines, which end as the file's other lines do
    # and are indented as its other lists are.
    assert path.read_bytes() == (head + decided(lf).replace("\n", ending)).encode("utf-8")


@pytest.mark.parametrize("name", list(ENDINGS))
def test_check_and_decide_read_the_same_files(project: Path, name: str) -> None:
    """What `check` reads, `decide` edits; the findings are at the same lines for every ending."""
    lf = FIXTURE.read_text(encoding="utf-8")
    reference = project / "proposals" / "sl-90.yaml"
    reference.write_text(lf, encoding="utf-8")
    expected = run("proposal", "check", str(reference))
    path = project / "proposals" / "sl-90.yaml"
    path.write_bytes(lf.replace("\n", ENDINGS[name]).encode("utf-8"))
    checked = run("proposal", "check", str(path))
    assert (checked.exit_code, checked.stdout) == (expected.exit_code, expected.stdout)
    assert "proposals/sl-90.yaml:7:1: PC5 no sustainability" in checked.stdout
    dry = run("proposal", "decide", str(path), "--reject", "--panel", PANEL, "--dry-run")
    assert dry.exit_code == 0, dry.stderr
    # The diff shows one line per line, whatever the file's ending (a terminal would run
    # lines ending in a bare CR together).
    assert dry.stdout.replace("\r\n", "\n") == (
        "--- a/proposals/sl-90.yaml\n"
        "+++ b/proposals/sl-90.yaml\n"
        "@@ -9,7 +9,8 @@\n"
        " financial_year: 2020-21\n"
        " pillar: Smarter London   # slide 13\n"
        " area: Practice\n"
        "-status: submitted        # the panel decides this\n"
        "+status: rejected         # the panel decides this\n"
        "+panel: 2020-10-01\n"
        " summary: >-\n"
        "   Replicate a proven use case: low-cost air quality\n"
        "   and footfall sensors on two high streets, with\n"
    )
    assert dry.stderr == "dry run: proposals/sl-90.yaml not changed\n"


def test_a_file_of_mixed_endings_keeps_each_line_and_adds_the_commonest() -> None:
    text = "id: X\r\nstatus: submitted\nboroughs:\r\n  - Camden\r\n"
    edited = edit_mapping(
        text, [Edit(("status",), "approved"), Edit(("panel",), PANEL, after="status")]
    )
    assert edited == "id: X\r\nstatus: approved\npanel: 2020-10-01\r\nboroughs:\r\n  - Camden\r\n"


@pytest.mark.parametrize("name", list(ENDINGS))
def test_a_list_is_added_with_the_files_ending_and_indentation(name: str) -> None:
    ending = ENDINGS[name]
    text = "id: X\nboroughs:\n  - name: Camden\n    role: lead\nstatus: submitted".replace(
        "\n", ending
    )
    edited = edit_mapping(text, [Edit(("waivers",), {"rule": "PC5", "reason": "r"}, append=True)])
    assert edited == (
        "id: X\nboroughs:\n  - name: Camden\n    role: lead\nstatus: submitted\n"
        "waivers:\n  - rule: PC5\n    reason: r\n"
    ).replace("\n", ending)


def test_tabs_that_check_reads_as_spaces_decide_reads_too(project: Path) -> None:
    path = project / "proposals" / "cr-04.yaml"
    text = path.read_text(encoding="utf-8")
    tabbed = text.replace("status: submitted\n", "status:\tsubmitted\t# the panel decides\n")
    path.write_text(tabbed, encoding="utf-8")
    checked = run("proposal", "check", str(path))
    assert checked.exit_code == 0, checked.stdout
    result = run("proposal", "decide", str(path), "--reject", "--panel", PANEL)
    assert result.exit_code == 0, result.stderr
    assert path.read_text(encoding="utf-8") == tabbed.replace(
        "status:\tsubmitted\t# the panel decides\n",
        "status:\trejected\t# the panel decides\npanel: 2020-10-01\n",
    )


def test_a_file_the_editor_cannot_read_is_named_at_its_place(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreadable(text: str, edits: object) -> str:
        raise YamlError(
            Problem("is not valid YAML: found character that cannot start any token", Mark(8, 9))
        )

    monkeypatch.setattr(decide, "edit_mapping", unreadable)
    path = project / "proposals" / "cr-04.yaml"
    result = run("proposal", "decide", str(path), "--reject", "--panel", PANEL)
    assert result.exit_code == 2
    assert result.stderr == (
        "loti: error: cannot edit proposals/cr-04.yaml:8:9: is not valid YAML: found character "
        "that cannot start any token\n"
    )


# ---------------------------------------------------------------------------
# the panel's date within the proposal's financial year


@pytest.mark.parametrize(
    "panel", ["2099-01-01", "2020-03-31", "2021-04-01", "2019-10-01"], ids=lambda p: p
)
@pytest.mark.parametrize("choice", ["--approve", "--reject"])
def test_decide_refuses_a_panel_outside_the_financial_year(
    project: Path, panel: str, choice: str
) -> None:
    path = project / "proposals" / "cr-04.yaml"
    before = path.read_bytes()
    result = run("proposal", "decide", str(path), choice, "--panel", panel)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"loti: error: --panel {panel} is outside CR-04's financial year 2020-21, which runs "
        "from 1 April 2020 to 31 March 2021; give the date of the funding panel that decided it\n"
    )
    assert path.read_bytes() == before


@pytest.mark.parametrize("panel", ["2020-04-01", "2021-03-31"])
def test_the_first_and_last_days_of_the_year_are_in_it(project: Path, panel: str) -> None:
    path = project / "proposals" / "sl-02.yaml"
    result = run("proposal", "decide", str(path), "--reject", "--panel", panel)
    assert result.exit_code == 0, result.stderr
    assert f"panel: {panel}\n" in path.read_text(encoding="utf-8")


def test_check_reports_a_panel_outside_the_financial_year(project: Path) -> None:
    path = project / "proposals" / "cr-02.yaml"
    text = path.read_text(encoding="utf-8")
    assert "panel: 2020-10-01\n" in text
    path.write_text(text.replace("panel: 2020-10-01\n", "panel: 2099-01-01\n"), encoding="utf-8")
    line = text[: text.index("panel: 2020-10-01")].count("\n") + 1
    result = run("proposal", "check", str(path))
    assert result.exit_code == 1
    assert (
        f"proposals/cr-02.yaml:{line}:8: IN2 panel 2099-01-01 is outside the financial year "
        "2020-21, which runs from 1 April 2020 to 31 March 2021; write the date of the funding "
        "panel that decided it\n"
    ) in result.stdout


def test_export_leaves_out_a_grant_awarded_outside_its_year(project: Path) -> None:
    path = project / "proposals" / "cr-02.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("panel: 2020-10-01\n", "panel: 2099-01-01\n"), encoding="utf-8")
    line = text[: text.index("panel: 2020-10-01")].count("\n") + 1
    result = run("export", "360giving")
    assert result.exit_code == 1
    assert (
        f"proposals/cr-02.yaml:{line}:8: IN2 panel 2099-01-01 is outside the financial year"
    ) in result.stderr
    grants = json.loads(result.stdout)["grants"]
    assert "360G-loti-CR-02" not in [grant["id"] for grant in grants]
    assert all(grant["awardDate"] != "2099-01-01" for grant in grants)
