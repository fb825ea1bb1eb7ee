"""Edge cases met in exploratory testing, each pinned down by the behaviour users expect."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from loti_cli.core.money import MoneyError, parse_money
from loti_cli.io import files, yaml_read
from loti_cli.io.load import load_ledger
from tests.conftest import WITHOUT_CALL, Run

ROOT = Path(__file__).parents[1]
LEDGER = ROOT / "ledgers" / "2020-21.yaml"
ESC = "\x1b"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's ledgers and proposals, as the current folder."""
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals", ignore=WITHOUT_CALL)
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ---------------------------------------------------------------------------
# colour


@pytest.mark.parametrize(
    "command", [("budget", "status"), ("proposal", "check", "docs/examples/cr-07.yaml")]
)
def test_no_color_wins_over_color_always(
    cli: Callable[..., Run], command: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    assert ESC in cli(*command, "--color", "always").stdout
    assert ESC not in cli(*command, "--color", "always", env={"NO_COLOR": "1"}).stdout


# ---------------------------------------------------------------------------
# reading


@pytest.mark.parametrize("character", ["\x00", "\x1b", "\ufffe"])
def test_a_character_yaml_does_not_allow_is_placed_where_it_is(character: str) -> None:
    with pytest.raises(yaml_read.YamlError) as raised:
        yaml_read.parse(f"id: X\ntitle: T\nsummary: A {character}summary.\n")
    problem = raised.value.problem
    assert problem.mark == yaml_read.Mark(3, 12)
    assert f"U+{ord(character):04X}" in problem.message


@pytest.mark.parametrize("text", ["٣٠٠", "１２３", "£1,٠٠٠"])
def test_only_ascii_digits_are_money(text: str) -> None:
    with pytest.raises(MoneyError, match="is not an amount"):
        parse_money(text)


def test_a_negative_amount_may_be_read_for_a_rule_to_judge() -> None:
    assert str(parse_money("-£1,000", signed=True)) == "-£1,000"
    with pytest.raises(MoneyError, match="is negative"):
        parse_money("-£1,000")


# ---------------------------------------------------------------------------
# ledgers: every problem once, none invented


def ledger_findings(tmp_path: Path, old: str, new: str) -> list[tuple[int | None, str]]:
    path = tmp_path / "2020-21.yaml"
    text = LEDGER.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return [(f.line, f.message) for f in load_ledger(path).problems]


def test_a_fee_with_a_bad_amount_does_not_make_its_members_fee_unknown(tmp_path: Path) -> None:
    found = ledger_findings(tmp_path, "  borough: 30000 ", "  borough: -1    ")
    assert [message for _, message in found] == [
        "fees.borough: '-1' is negative; amounts are zero or more"
    ]


def test_a_member_with_a_bad_kind_still_has_its_fee_checked(tmp_path: Path) -> None:
    found = ledger_findings(
        tmp_path,
        "{name: Camden, kind: borough, fee: borough}",
        "{name: Camden, kind: borogh, fee: borugh}",
    )
    messages = [message for _, message in found]
    assert len(messages) == 2
    assert "did you mean 'borough'?" in messages[0] and "kind" in messages[0]
    assert messages[1].startswith("fee 'borugh' is not a key of fees")


def test_empty_fees_are_no_fees(tmp_path: Path) -> None:
    path = tmp_path / "2020-21.yaml"
    text = LEDGER.read_text(encoding="utf-8")
    start, end = text.index("fees:"), text.index("# Slide 5 lists")
    members = text.replace("fee: borough}", "fee: 30000}")
    path.write_text(members[:start] + "fees:\n\n" + members[end:], encoding="utf-8")
    assert load_ledger(path).problems == []


def test_year_must_be_a_financial_year(cli: Callable[..., Run], project: Path) -> None:
    run = cli("budget", "status", "--year", "2019")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == "loti: error: --year 2019 is not a financial year; write it as 2020-21\n"


@pytest.mark.parametrize("command", ["budget status", "report"])
def test_year_and_ledger_must_agree(cli: Callable[..., Run], project: Path, command: str) -> None:
    run = cli(*command.split(), "--ledger", "ledgers/2020-21.yaml", "--year", "2021-22")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        "loti: error: --year 2021-22 but the ledger ledgers/2020-21.yaml is for 2020-21\n"
    )


# ---------------------------------------------------------------------------
# proposals


def test_an_empty_folder_beside_a_file_is_a_note(cli: Callable[..., Run], project: Path) -> None:
    (project / "empty").mkdir()
    run = cli("proposal", "check", "empty", "proposals/cr-01.yaml")  # closed: nothing overdue
    assert run.exit_code == 0
    assert run.stderr == "loti: note: no proposals found in empty\n"
    assert run.stdout == "1 checked, 1 passed, 0 failed, 0 waived\n"
    alone = cli("proposal", "check", "empty")
    assert alone.exit_code == 2
    assert alone.stdout == ""
    assert alone.stderr == "loti: error: no proposals found in empty (no *.yaml or *.yml files)\n"


def test_a_proposal_piped_in_is_the_folders_file_with_its_id(
    cli: Callable[..., Run], project: Path
) -> None:
    # CR-01 is closed, every milestone done: no finding on any day (DL2 reads today's date).
    text = (project / "proposals" / "cr-01.yaml").read_text(encoding="utf-8")
    run = cli("proposal", "check", "-", input=text)
    assert run.exit_code == 0, run.stdout
    assert run.stdout == "1 checked, 1 passed, 0 failed, 0 waived\n"
    assert run.stderr == ""


# ---------------------------------------------------------------------------
# the system underneath


def test_a_file_that_cannot_be_written_is_an_error_not_a_bug(
    cli: Callable[..., Run], project: Path
) -> None:
    run = cli("report", "--output", "/proc/pack.html")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith("loti: error: cannot write /proc/pack.html: ")
    assert run.stderr.count("\n") == 1
    assert "internal error" not in run.stderr


def test_writing_through_a_symlink_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "real.yaml"
    target.write_text("old\n")
    link = tmp_path / "link.yaml"
    link.symlink_to(target)
    files.write_atomic(link, "new\n")
    assert link.is_symlink()
    assert target.read_text() == "new\n"


def test_budget_status_says_which_proposals_it_cannot_count(
    cli: Callable[..., Run], project: Path
) -> None:
    path = project / "proposals" / "sl-01.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("pillar: Smarter London", "pillar: Smarter Londn")
    )
    run = cli("budget", "status", "--format", "json")
    assert run.exit_code == 1
    [finding] = [f for f in json.loads(run.stdout)["findings"] if f["code"] == "LB9"]
    assert (finding["path"], finding["line"], finding["column"]) == ("proposals/sl-01.yaml", 6, 9)
    assert finding["message"].startswith(
        "is an approved proposal of 2020-21 that no figure counts, so money shown as free may "
        "not be: pillar 'Smarter Londn' is not one of the 2020-21 allocations"
    )
    assert "figures leave out 1 proposal file that may count (proposals/sl-01.yaml)" in run.stderr


def test_decide_notes_point_at_the_lines_of_the_file_it_wrote(
    cli: Callable[..., Run], project: Path
) -> None:
    run = cli(
        "proposal",
        "decide",
        "proposals/cr-04.yaml",
        "--approve",
        "--panel",
        "2020-11-05",
        "--waive",
        "PC1",
        "--reason",
        "Outcome agreed at the panel",
    )
    assert run.exit_code == 0, run.stderr
    assert run.stdout == (
        "approved proposals/cr-04.yaml (CR-04) at the funding panel of 2020-11-05: £35,000 from "
        "Covid Recovery, which has £20,000 of its £200,000 left; waived PC1\n"
    )
    assert run.stderr == (
        "loti: note: proposals/cr-04.yaml:49:11: WV1 unused waiver: PC1 raised nothing here; "
        "remove the waiver\n"
    )
    (note,) = [line for line in run.stderr.splitlines() if "WV1" in line]
    check = cli("proposal", "check", "proposals/cr-04.yaml")
    (finding,) = [line for line in check.stdout.splitlines() if "WV1" in line]
    assert note.removeprefix("loti: note: ").split(": WV1")[0] == finding.split(": WV1")[0]


def test_decide_says_when_it_reverses_an_earlier_decision(
    cli: Callable[..., Run], project: Path
) -> None:
    run = cli("proposal", "decide", "proposals/dc-05.yaml", "--reject", "--panel", "2020-12-01")
    assert run.exit_code == 0
    assert run.stdout == (
        "rejected proposals/dc-05.yaml (DC-05) at the funding panel of 2020-12-01\n"
    )
    assert run.stderr == (
        "loti: note: DC-05 was approved at the panel of 2020-11-05; this records the new decision\n"
    )
    assert "status: rejected" in (project / "proposals" / "dc-05.yaml").read_text()
