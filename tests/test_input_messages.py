"""Messages about input that say what is actually wrong: the kind of a rule that cannot be
waived, digits of other scripts, symbolic link loops, impossible days, `.yml` ledgers."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from loti_cli.commands import complete
from loti_cli.core.values import parse_date
from loti_cli.errors import LotiError
from loti_cli.io.load import load_ledger, load_proposal
from loti_cli.io.resolve import choose_ledger, year_files
from loti_cli.pipeline.draft_answers import InvalidAnswer, choose

Loti = Callable[..., Any]

PROPOSAL = """\
id: CR-50
title: Shared referral directory
financial_year: {year}
pillar: Covid Recovery
area: Identifying Needs
status: submitted
summary: Publish borough directories of support in one shape.
outcome: Residents who need support are referred once, within a day.
boroughs:
  - {{name: Camden, role: lead}}
  - {{name: Hackney, role: delivery}}
budget:
  requested: 10000
replicability:
  standards: [Open Referral UK]
  plan: Any borough publishes its directory in the same shape.
outputs:
  - {{name: Directory data model, licence: OGL-UK-3.0, gifted: true}}
sustainability: Boroughs host their directories within existing budgets.
{extra}"""


def proposal(year: str = "2020-21", extra: str = "") -> str:
    return PROPOSAL.format(year=year, extra=extra)


def small_ledger(year: str, remaining_note: str = "") -> str:
    """A valid ledger of `year` with no finding."""
    return (
        f"ledger: Small {year}\n"
        f"financial_year: {year}\n"
        "currency: GBP\n"
        "members: []\n"
        "income:\n"
        "  - {name: Grant, amount: 1000, kind: grant}\n"
        "expenditure:\n"
        "  - {name: Personnel, amount: 100, status: paid}\n"
        "allocations:\n"
        "  - {pillar: Covid Recovery, amount: 500}\n"
        f"{remaining_note}"
    )


def write(path: Path | str, text: str) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def json_findings(run: Any) -> list[dict[str, Any]]:
    return [f for p in json.loads(run.stdout)["proposals"] for f in p["findings"]]


# ---------------------------------------------------------------------------
# a rule that a proposal cannot waive, select or ignore says what kind of rule it is

GV1_KIND = (
    "GV1 (grant-title-length) is a 360Giving export check, which loti export 360giving reports"
)
LB5_KIND = "LB5 (pillar-overcommitted) is a ledger rule, which loti budget status reports"


@pytest.mark.parametrize(("code", "kind"), [("GV1", GV1_KIND), ("LB5", LB5_KIND)])
def test_a_waiver_of_a_rule_of_another_command_names_its_kind(
    cli: Loti, in_tmp_path: Path, code: str, kind: str
) -> None:
    waiver = f"waivers:\n  - rule: {code}\n    reason: Agreed\n    approved_by: Panel\n"
    write("p.yaml", proposal(extra=waiver))
    run = cli("proposal", "check", "p.yaml", "--format", "json")
    assert run.exit_code == 1
    [finding] = [f for f in json_findings(run) if f["code"] == "WV1"]
    assert finding["message"] == f"{kind}; a proposal cannot waive it"
    assert (finding["line"], finding["column"]) == (21, 11)


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_selecting_an_export_check_names_its_kind(
    cli: Loti, in_tmp_path: Path, option: str
) -> None:
    write("p.yaml", proposal())
    run = cli("proposal", "check", "p.yaml", option, "GV1")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == (
        f"loti: error: {option} GV1: {GV1_KIND}; loti proposal check cannot select or ignore it\n"
    )


def test_decide_will_not_waive_an_export_check_and_says_why(cli: Loti, in_tmp_path: Path) -> None:
    path = write("p.yaml", proposal())
    before = path.read_bytes()
    run = cli(
        "proposal", "decide", "p.yaml", "--approve", "--panel", "2020-10-01", "--waive", "GV1",
        "--reason", "Long titles are fine",
    )  # fmt: skip
    assert run.exit_code == 2
    assert run.stderr == f"loti: error: --waive GV1: {GV1_KIND}; a proposal cannot waive it\n"
    assert path.read_bytes() == before


# ---------------------------------------------------------------------------
# digits are 0-9: a year or a date in another script's digits is not one

ARABIC_YEAR = "٢٠٢٠-٢١"  # 2020-21 in Arabic-Indic digits
ARABIC_DATE = "٢٠٢٠-١٠-٠١"


def test_a_ledger_year_in_other_digits_is_not_a_financial_year(in_tmp_path: Path) -> None:
    text = small_ledger("2020-21").replace(
        "financial_year: 2020-21", f"financial_year: {ARABIC_YEAR}"
    )
    source = load_ledger(write("ledger.yaml", text), "ledger.yaml")
    assert [(f.code, f.line, f.column, f.message) for f in source.problems] == [
        (
            "LB8",
            2,
            17,
            f"financial_year: '{ARABIC_YEAR}' is not a financial year; write it as 2020-21",
        )
    ]


def test_a_proposal_year_and_date_in_other_digits_are_refused(in_tmp_path: Path) -> None:
    path = write("p.yaml", proposal(ARABIC_YEAR, f"panel: '{ARABIC_DATE}'\n"))
    source = load_proposal(path, "p.yaml")
    assert [(f.code, f.line, f.message) for f in source.problems] == [
        ("IN2", 3, f"financial_year: '{ARABIC_YEAR}' is not a financial year; write it as 2020-21"),
        ("IN2", 20, f"panel: '{ARABIC_DATE}' is not a date; write it as 2020-10-01"),
    ]


def test_year_option_in_other_digits_is_refused(cli: Loti, in_tmp_path: Path) -> None:
    run = cli("budget", "status", "--year", ARABIC_YEAR)
    assert run.exit_code == 2
    assert run.stderr == (
        f"loti: error: --year {ARABIC_YEAR} is not a financial year; write it as 2020-21\n"
    )
    with pytest.raises(ValueError, match="is not a date; write it as 2020-10-01"):
        parse_date(ARABIC_DATE)


def test_a_ledger_file_named_in_other_digits_is_not_a_year_file(in_tmp_path: Path) -> None:
    write(f"ledgers/{ARABIC_YEAR}.yaml", small_ledger("2020-21"))
    write("ledgers/2019-20.yaml", small_ledger("2019-20"))
    assert year_files(in_tmp_path / "ledgers") == {"2019-20": in_tmp_path / "ledgers/2019-20.yaml"}


@pytest.mark.parametrize("typed", ["١", "²"])
def test_a_menu_choice_in_other_digits_is_no_number(typed: str) -> None:
    with pytest.raises(InvalidAnswer, match=f"'{typed}' is not a pillar"):
        choose(typed, ["Covid Recovery", "Smarter London"], "pillar")
    assert choose("2", ["Covid Recovery", "Smarter London"], "pillar") == "Smarter London"


# ---------------------------------------------------------------------------
# a symbolic link loop is not "no such file"

LOOP = "symbolic link loop (its links lead back to themselves); fix or remove the link"


@pytest.fixture
def loop(in_tmp_path: Path) -> Path:
    """`loop.yaml` -> `back.yaml` -> `loop.yaml`."""
    (in_tmp_path / "loop.yaml").symlink_to("back.yaml")
    (in_tmp_path / "back.yaml").symlink_to("loop.yaml")
    return in_tmp_path / "loop.yaml"


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (["budget", "status", "--ledger", "loop.yaml"], {}, f"--ledger loop.yaml: {LOOP}"),
        (["budget", "status"], {"LOTI_LEDGER": "loop.yaml"}, f"LOTI_LEDGER loop.yaml: {LOOP}"),
        (["budget", "status", "--proposals", "loop.yaml"], {}, f"--proposals loop.yaml: {LOOP}"),
        (["budget", "what-if", "loop.yaml"], {}, f"loop.yaml: {LOOP}"),
        (["proposal", "check", "loop.yaml"], {}, f"loop.yaml: {LOOP}"),
        (["report", "--ledger", "loop.yaml"], {}, f"--ledger loop.yaml: {LOOP}"),
        (["export", "360giving", "--ledger", "loop.yaml"], {}, f"--ledger loop.yaml: {LOOP}"),
    ],
)
def test_a_link_loop_is_named_as_one(
    cli: Loti, loop: Path, args: list[str], env: dict[str, str], message: str
) -> None:
    run = cli(*args, env=env)
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr == f"loti: error: {message}\n"
    assert "no such" not in run.stderr


def test_decide_names_a_link_loop(cli: Loti, loop: Path) -> None:
    run = cli("proposal", "decide", "loop.yaml", "--reject", "--panel", "2020-10-01")
    assert run.exit_code == 2
    assert f"Invalid value for 'FILE': loop.yaml: {LOOP}" in run.stderr


def test_a_broken_link_says_where_it_points(cli: Loti, in_tmp_path: Path) -> None:
    (in_tmp_path / "old.yaml").symlink_to("ledgers/2019-20.yaml")
    run = cli("budget", "status", "--ledger", "old.yaml")
    assert run.exit_code == 2
    assert run.stderr == (
        "loti: error: --ledger old.yaml: broken symbolic link "
        "(to ledgers/2019-20.yaml, which does not exist)\n"
    )


def test_a_link_loop_among_proposals_is_reported_not_skipped(cli: Loti, in_tmp_path: Path) -> None:
    write("proposals/cr-50.yaml", proposal())
    (in_tmp_path / "proposals" / "loop.yaml").symlink_to("loop.yaml")
    run = cli("proposal", "check", "proposals")
    assert run.exit_code == 1
    assert f"proposals/loop.yaml:1:1: IN1 the file cannot be read: {LOOP}" in run.stdout, run.stdout
    assert "2 checked, 1 passed, 1 failed" in run.stdout
    status = cli("budget", "status", "--format", "json")
    assert status.exit_code == 1  # it may be an approved proposal: no figure is complete
    assert json.loads(status.stdout)["uncounted"] == ["proposals/loop.yaml"]
    assert "(proposals/loop.yaml)" in status.stderr


def test_a_link_loop_among_ledgers_is_reported_not_skipped(cli: Loti, in_tmp_path: Path) -> None:
    write("ledgers/2020-21.yaml", small_ledger("2020-21"))
    (in_tmp_path / "ledgers" / "2021-22.yaml").symlink_to("2021-22.yaml")
    run = cli("budget", "status")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.splitlines() == [
        "loti: error: the ledger ledgers/2021-22.yaml (the latest in ledgers/) cannot be loaded:",
        f"ledgers/2021-22.yaml:1:1: LB8 the file cannot be read: {LOOP}",
        "1 problem; fix them and run again",
    ]


# ---------------------------------------------------------------------------
# an impossible day is not a malformed date


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2020-02-30", "'2020-02-30' is not a date: February 2020 has 29 days"),
        ("2021-02-29", "'2021-02-29' is not a date: February 2021 has 28 days"),
        ("2020-04-31", "'2020-04-31' is not a date: April 2020 has 30 days"),
        ("2020-13-01", "'2020-13-01' is not a date: there is no month 13 (months are 01 to 12)"),
        ("2020-00-01", "'2020-00-01' is not a date: there is no month 00 (months are 01 to 12)"),
        ("2020-10-00", "'2020-10-00' is not a date: there is no day 00"),
        ("0000-10-01", "'0000-10-01' is not a date: there is no year 0000"),
        ("1/10/2020", "'1/10/2020' is not a date; write it as 2020-10-01"),
        ("2020-1-1", "'2020-1-1' is not a date; write it as 2020-10-01"),
        ("2020-10-01T10:00", "'2020-10-01T10:00' is not a date; write it as 2020-10-01"),
    ],
)
def test_the_date_parser_says_why(text: str, why: str) -> None:
    with pytest.raises(ValueError) as caught:
        parse_date(text)
    assert str(caught.value) == why


def test_a_leap_day_is_a_date() -> None:
    assert parse_date("2020-02-29") == date(2020, 2, 29)
    assert parse_date(" 2020-10-01 ") == date(2020, 10, 1)


def test_report_date_names_the_impossible_day(cli: Loti, in_tmp_path: Path) -> None:
    run = cli("report", "--date", "2020-02-30")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert (
        "Invalid value for '--date': '2020-02-30' is not a date: February 2020 has 29 days"
        in " ".join(run.stderr.replace("│", " ").split())
    )
    assert "does not match the format" not in run.stderr
    assert cli("report", "--format", "markdown", "--date", "2020-02-29").exit_code == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--panel", "2020-02-30"],
            "--panel '2020-02-30' is not a date: February 2020 has 29 days",
        ),
        (
            ["--panel", "2020-10-01", "--waive", "PC5", "--reason", "x", "--expires", "2021-04-31"],
            "--expires '2021-04-31' is not a date: April 2021 has 30 days",
        ),
    ],
)
def test_decide_names_the_impossible_day(
    cli: Loti, in_tmp_path: Path, args: list[str], message: str
) -> None:
    write("p.yaml", proposal())
    run = cli("proposal", "decide", "p.yaml", "--approve", *args)
    assert run.exit_code == 2
    assert run.stderr == f"loti: error: {message}\n"


def test_a_panel_day_that_does_not_exist_is_found_in_the_file(in_tmp_path: Path) -> None:
    source = load_proposal(write("p.yaml", proposal(extra="panel: 2020-02-30\n")), "p.yaml")
    assert [(f.code, f.line, f.column, f.message) for f in source.problems] == [
        ("IN2", 20, 8, "panel: '2020-02-30' is not a date: February 2020 has 29 days")
    ]


# ---------------------------------------------------------------------------
# `.yml` ledgers count wherever ledgers are listed


def test_a_yml_ledger_is_the_latest(cli: Loti, in_tmp_path: Path) -> None:
    write("ledgers/2020-21.yaml", small_ledger("2020-21"))
    write("ledgers/2021-22.yml", small_ledger("2021-22"))
    run = cli("budget", "status", env={"COLUMNS": "100", "NO_COLOR": "1"})
    assert run.exit_code == 0, run.stderr
    assert "Ledger: ledgers/2021-22.yml (the latest in ledgers/)" in run.stdout
    assert run.stderr == ""
    assert choose_ledger().description == "ledgers/2021-22.yml (the latest in ledgers/)"
    chosen = cli("budget", "status", "--year", "2021-22", "--format", "json")
    assert json.loads(chosen.stdout)["ledger"] == "ledgers/2021-22.yml"
    assert complete.ledger_years("2021") == ["2021-22"]


def test_a_proposal_is_checked_against_a_yml_ledger(cli: Loti, in_tmp_path: Path) -> None:
    write("ledgers/2021-22.yml", small_ledger("2021-22"))
    write("p.yaml", proposal("2021-22"))
    run = cli("proposal", "check", "p.yaml", "--format", "json")
    assert json.loads(run.stdout)["ledger"] == "ledgers/2021-22.yml"
    assert "no ledger for 2021-22" not in run.stdout


def test_the_previous_year_may_be_a_yml_ledger(cli: Loti, in_tmp_path: Path) -> None:
    # LB7 compares the carry-forward with what the previous year's ledger leaves.
    write("ledgers/2020-21.yml", small_ledger("2020-21"))
    current = small_ledger("2021-22").replace(
        "  - {name: Grant, amount: 1000, kind: grant}\n",
        "  - {name: Grant, amount: 1000, kind: grant}\n"
        "  - {name: Surplus, amount: 800, kind: carry_forward}\n",
    )
    write("ledgers/2021-22.yaml", current)
    run = cli("budget", "status", env={"COLUMNS": "200", "NO_COLOR": "1"})
    assert (
        "LB7 carry_forward income is £800 but ledgers/2020-21.yml (2020-21) leaves £900 remaining"
        in run.stdout
    ), run.stdout


def test_a_year_with_yaml_and_yml_reads_yaml_and_warns_once(cli: Loti, in_tmp_path: Path) -> None:
    write("ledgers/2021-22.yaml", small_ledger("2021-22"))
    write("ledgers/2021-22.yml", small_ledger("2021-22").replace("Small", "Other"))
    run = cli("budget", "status", "--format", "json")
    assert json.loads(run.stdout)["ledger"] == "ledgers/2021-22.yaml"
    assert run.stderr == (
        "loti: warning: ledgers/2021-22.yaml and ledgers/2021-22.yml are both the ledger of "
        "2021-22; ledgers/2021-22.yml is not read: remove or rename it\n"
    )


def test_completion_prints_no_warning(
    in_tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write("ledgers/2022-23.yaml", small_ledger("2022-23"))
    write("ledgers/2022-23.yml", small_ledger("2022-23"))
    assert "2022-23" in complete.ledger_years("2022")
    assert complete.pillar_names("Cov") == ["Covid Recovery"]
    assert capsys.readouterr().err == ""


def test_no_ledger_for_a_year_lists_yml_ledgers_too(in_tmp_path: Path) -> None:
    write("ledgers/2021-22.yml", small_ledger("2021-22"))
    with pytest.raises(LotiError, match=r"ledgers exist for 2020-21, 2021-22\)"):
        choose_ledger(year="2030-31")
