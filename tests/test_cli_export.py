"""`loti export 360giving` through the CLI: exit codes, options, and the files it writes."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from loti_cli.io.resolve import display_path
from tests.conftest import Run, invoke

ROOT = Path(__file__).resolve().parent.parent
LEDGER = str(ROOT / "ledgers" / "2020-21.yaml")
PROPOSALS = str(ROOT / "proposals")
APPROVED = 9
"""Approved proposals of 2020-21 in the repository."""


def exported_all() -> str:
    """What an export of the repository's proposals says last, on standard error."""
    return (
        f"loti: exported {APPROVED} grants of {APPROVED} approved proposals for 2020-21; "
        f"ledger {display_path(Path(LEDGER))} (given with --ledger)\n"
    )


ENV: dict[str, str | None] = {
    "LOTI_LEDGER": None,
    "LOTI_DEBUG": None,
    "LOTI_360G_PREFIX": None,
    "LOTI_360G_FUNDER_ID": None,
}

GOOD = """\
id: T-01
title: A test grant
financial_year: 2020-21
pillar: Covid Recovery
status: approved
panel: 2020-10-01
summary: What the project will do.
boroughs:
  - {name: Camden, role: lead}
  - {name: Hackney, role: delivery}
budget:
  requested: 1234.56
"""


def run(*args: str, env: dict[str, str | None] | None = None) -> Run:
    return invoke(*args, env={**ENV, **(env or {})})


def export(*args: str, env: dict[str, str | None] | None = None) -> Run:
    """`loti export 360giving` on the repository's ledger (and proposals, unless given)."""
    folder = () if "--proposals" in args else ("--proposals", PROPOSALS)
    return run("export", "360giving", "--ledger", LEDGER, *folder, *args, env=env)


@pytest.fixture
def proposals(tmp_path: Path) -> Callable[..., str]:
    """`proposals(a=text, ...)`: a folder of proposal files; returns its path."""

    def make(**texts: str) -> str:
        folder = tmp_path / "proposals"
        folder.mkdir(exist_ok=True)
        for name, text in texts.items():
            (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        return str(folder)

    return make


# ---------------------------------------------------------------------------
# exit 0


def test_exports_every_approved_proposal_as_json_on_stdout() -> None:
    result = export()
    assert result.exit_code == 0, result.stderr
    package = json.loads(result.stdout)
    assert [grant["id"] for grant in package["grants"]][:2] == [
        "360G-loti-CR-01",
        "360G-loti-CR-02",
    ]
    assert len(package["grants"]) == APPROVED
    assert (
        f"exported {APPROVED} grants of {APPROVED} approved proposals for 2020-21" in result.stderr
    )


def test_defaults_to_the_ledger_and_proposals_of_the_current_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    result = run("export", "360giving", "--year", "2020-21")
    assert result.exit_code == 0, result.stderr
    assert len(json.loads(result.stdout)["grants"]) == APPROVED
    assert "ledgers/2020-21.yaml" in result.stderr


def test_csv_on_stdout_has_the_standards_header() -> None:
    result = export("--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == APPROVED
    assert rows[0]["Identifier"] == "360G-loti-CR-01"
    assert rows[0]["Recipient Org:Identifier"] == "GB-LAE-HCK"
    assert rows[0]["Beneficiary Location:0:Geographic Code Type"] == "LONB"


def test_output_writes_a_file_and_nothing_on_stdout(tmp_path: Path) -> None:
    target = tmp_path / "grants.json"
    result = export("--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert f"wrote {target}" in result.stderr
    assert len(json.loads(target.read_text(encoding="utf-8"))["grants"]) == APPROVED
    assert not list(tmp_path.glob(".*.tmp"))


def test_output_dash_is_standard_output() -> None:
    result = export("--format", "csv", "--output", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("Identifier,Title,Description,Currency,Amount Awarded,")


def test_output_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "grants.csv"
    target.write_text("old", encoding="utf-8")
    result = export("--format", "csv", "-o", str(target))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"loti: wrote {target}\n" + exported_all()
    assert target.read_text(encoding="utf-8").startswith("Identifier,Title,")


def test_output_into_a_folder_names_the_file_after_the_year(tmp_path: Path) -> None:
    result = export("--output", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    target = tmp_path / "loti-360giving-2020-21.json"
    assert result.stderr == f"loti: wrote {target}\n" + exported_all()
    assert target.is_file()


def test_format_both_writes_json_and_csv_beside_a_stem(tmp_path: Path) -> None:
    result = export("--format", "both", "--output", str(tmp_path / "publish"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    package = json.loads((tmp_path / "publish.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((tmp_path / "publish.csv").read_text(encoding="utf-8"))))
    assert [row["Identifier"] for row in rows] == [grant["id"] for grant in package["grants"]]
    assert [row["Amount Awarded"] for row in rows] == [
        str(grant["amountAwarded"]) for grant in package["grants"]
    ]


def test_format_both_accepts_a_stem_with_an_extension_or_a_folder(tmp_path: Path) -> None:
    stem = export("-f", "both", "-o", str(tmp_path / "a.json"))
    assert stem.exit_code == 0
    assert stem.stdout == ""
    wrote = f"loti: wrote {tmp_path / 'a.json'}\nloti: wrote {tmp_path / 'a.csv'}\n"
    assert stem.stderr == wrote + exported_all()
    assert (tmp_path / "a.json").is_file() and (tmp_path / "a.csv").is_file()
    folder = export("-f", "both", "-o", str(tmp_path))
    assert folder.exit_code == 0
    assert folder.stdout == ""
    json_file = tmp_path / "loti-360giving-2020-21.json"
    csv_file = tmp_path / "loti-360giving-2020-21.csv"
    assert folder.stderr == f"loti: wrote {json_file}\nloti: wrote {csv_file}\n" + exported_all()
    assert json_file.is_file() and csv_file.is_file()


def test_format_both_without_output_writes_into_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = export("--format", "both")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == (
        "loti: wrote loti-360giving-2020-21.json\nloti: wrote loti-360giving-2020-21.csv\n"
        + exported_all()
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "loti-360giving-2020-21.csv",
        "loti-360giving-2020-21.json",
    ]


def test_prefix_funder_and_data_source_options() -> None:
    result = export(
        "--prefix",
        "360G-LOTI",
        "--funder-id",
        "GB-COH-01234567",
        "--funder-name",
        "London Councils",
        "--data-source",
        "https://example.org/grants.json",
    )
    assert result.exit_code == 0, result.stderr
    grant = json.loads(result.stdout)["grants"][0]
    assert grant["id"] == "360G-LOTI-CR-01"
    assert grant["fundingOrganization"] == [{"id": "GB-COH-01234567", "name": "London Councils"}]
    assert grant["dataSource"] == "https://example.org/grants.json"


def test_prefix_and_funder_id_from_the_environment() -> None:
    result = export(env={"LOTI_360G_PREFIX": "360G-env", "LOTI_360G_FUNDER_ID": "GB-LAE-LND"})
    assert result.exit_code == 0, result.stderr
    grant = json.loads(result.stdout)["grants"][0]
    assert grant["id"] == "360G-env-CR-01"
    assert grant["fundingOrganization"][0]["id"] == "GB-LAE-LND"


def test_a_file_that_cannot_be_read_leaves_the_export_incomplete(
    proposals: Callable[..., str],
) -> None:
    result = export("--proposals", proposals(a="id: [unclosed\n", b=GOOD))
    assert result.exit_code == 1, result.stderr
    assert (
        "a.yaml:2:1: LB9 may be an approved proposal of 2020-21 that no figure counts, so "
        "money shown as free may not be: the file is not valid YAML" in result.stderr
    )
    assert "loti: error: the export is incomplete: 1 file(s) that are or may be" in result.stderr
    assert (
        "exported 1 grant of 1 approved proposal for 2020-21, and 1 more file(s)" in result.stderr
    )
    assert len(json.loads(result.stdout)["grants"]) == 1


# ---------------------------------------------------------------------------
# exit 1: a grant was left out


def test_a_proposal_failing_a_check_is_left_out_with_its_place(
    proposals: Callable[..., str], tmp_path: Path
) -> None:
    folder = proposals(a=GOOD.replace("panel: 2020-10-01\n", ""), b=GOOD.replace("T-01", "T-02"))
    target = tmp_path / "out.json"
    result = export("--proposals", folder, "--output", str(target))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "a.yaml:5:9: GV3 is approved but has no panel date" in result.stderr
    assert "1 approved proposal left out" in result.stderr
    assert "exported 1 grant of 2 approved proposals" in result.stderr
    grants = json.loads(target.read_text(encoding="utf-8"))["grants"]
    assert [grant["id"] for grant in grants] == ["360G-loti-T-02"]


def test_when_every_grant_is_left_out_nothing_is_written(
    proposals: Callable[..., str], tmp_path: Path
) -> None:
    folder = proposals(a=GOOD.replace("title: A test grant", "title: " + "x" * 141))
    target = tmp_path / "out.json"
    result = export("--proposals", folder, "--output", str(target))
    assert result.exit_code == 1
    assert "a.yaml:2:8: GV1 title is 141 characters long" in result.stderr
    assert "nothing written" in result.stderr
    assert result.stdout == "" and not target.exists()


# ---------------------------------------------------------------------------
# exit 2: usage


@pytest.mark.parametrize("prefix", ["loti", "360g-loti", "360G-lo ti", "360G-"])
def test_a_prefix_not_starting_360g_is_a_usage_error(prefix: str) -> None:
    result = export("--prefix", prefix)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"loti: error: --prefix '{prefix}' is not")
    assert result.stdout == ""


def test_a_bad_prefix_from_the_environment_is_a_usage_error_naming_the_variable() -> None:
    result = export(env={"LOTI_360G_PREFIX": "LOTI"})
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: LOTI_360G_PREFIX 'LOTI' is not a 360Giving prefix: registered prefixes "
        "start with 360G- (as in 360G-loti)\n"
    )


def test_a_bad_funder_id_from_the_environment_names_the_variable() -> None:
    result = export(env={"LOTI_360G_FUNDER_ID": "XI-LOTI"})
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "loti: error: LOTI_360G_FUNDER_ID 'XI-LOTI' is not an organisation identifier: "
    )


def test_a_funder_id_that_is_not_an_org_id_is_a_usage_error() -> None:
    result = export("--funder-id", "XI-LOTI")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "loti: error: --funder-id 'XI-LOTI' is not an organisation identifier: use an "
        "org-id.guide list code"
    )


def test_a_data_source_that_is_not_a_link_is_a_usage_error() -> None:
    result = export("--data-source", "grants.json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: --data-source 'grants.json' is not a web link; give the http:// or "
        "https:// address of the published data\n"
    )


def test_unknown_format_is_a_usage_error() -> None:
    result = export("--format", "xlsx")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith(
        "Error: Invalid value for '--format' / '-f': Value error, 'xlsx' is not one of "
        "'json', 'csv', 'both'.\n"
    )


def test_format_both_cannot_go_to_stdout() -> None:
    result = export("--format", "both", "--output", "-")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: --format both writes two files; give --output a folder or a file stem\n"
    )


def test_output_in_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "missing" / "grants.json"
    result = export("--output", str(target))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"loti: error: --output {target}: no such folder {target.parent}\n"


def test_a_year_without_a_ledger_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("export", "360giving", "--year", "2031-32")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("loti: error: no ledger for --year 2031-32")


def test_a_year_that_is_not_the_ledgers_is_a_usage_error() -> None:
    result = export("--year", "2021-22")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"loti: error: --year 2021-22 but the ledger {display_path(Path(LEDGER))} is for 2020-21\n"
    )


def test_a_missing_proposals_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = export("--proposals", str(tmp_path / "nowhere"))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"loti: error: --proposals {tmp_path / 'nowhere'}: no such folder\n"


def test_no_proposals_folder_at_all_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("export", "360giving", "--ledger", LEDGER)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "loti: error: no proposals/ folder here; pass --proposals DIR\n"


def test_no_approved_proposals_is_nothing_to_export(proposals: Callable[..., str]) -> None:
    folder = proposals(a=GOOD.replace("status: approved", "status: submitted"))
    result = export("--proposals", folder)
    assert result.exit_code == 2
    assert "no approved proposals of 2020-21" in result.stderr
    assert result.stdout == ""


def test_a_ledger_that_cannot_be_loaded_is_a_usage_error(tmp_path: Path) -> None:
    broken = tmp_path / "2020-21.yaml"
    shutil.copy(LEDGER, broken)
    broken.write_text(broken.read_text(encoding="utf-8") + "nonsense: [\n", encoding="utf-8")
    result = run("export", "360giving", "--ledger", str(broken), "--proposals", PROPOSALS)
    assert result.exit_code == 2
    assert result.stdout == ""
    shown = display_path(broken)
    first, problem = result.stderr.splitlines()
    assert first == f"loti: error: the ledger {shown} (given with --ledger) cannot be loaded:"
    after = Path(LEDGER).read_text(encoding="utf-8").count("\n") + 2  # the end, past the line added
    assert problem.startswith(f"{shown}:{after}:1: LB8 the file is not valid YAML: ")


# ---------------------------------------------------------------------------
# the command itself


def test_help_shows_examples_and_the_exit_codes() -> None:
    result = run("export", "360giving", "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "loti export 360giving" in result.stdout
    assert "LOTI_360G_PREFIX" in result.stdout
    assert "Exits 0" in result.stdout
    assert result.stderr == ""


def test_the_options_defaults_are_the_cores() -> None:
    from loti_cli.commands import export as command
    from loti_cli.pipeline import grants as giving

    for name in ("PREFIX_ENV", "FUNDER_ID_ENV", "DEFAULT_PREFIX", "DEFAULT_FUNDER_NAME"):
        assert getattr(command, name) == getattr(giving, name), name


def test_building_the_cli_does_not_load_the_heavy_libraries() -> None:
    code = (
        "import sys, loti_cli.cli, loti_cli.commands.export;"
        "print(sorted(m for m in ('pydantic', 'ruamel', 'ruamel.yaml', 'tabulate', 'jsonschema')"
        " if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert done.stdout.strip() == "[]"
