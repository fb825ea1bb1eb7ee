"""`loti proposal check` in-process: exit codes, stdout and stderr, extra outputs."""

from __future__ import annotations

import json
import re
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from junitparser import JUnitXml

from loti_cli.commands import proposal as command
from tests.conftest import invoke

GOOD = """\
id: CR-02
title: Sharing data between boroughs to support track and trace
financial_year: 2020-21
pillar: Covid Recovery
area: Identifying Needs
status: submitted
summary: Share contact data between boroughs.
outcome: Residents asked to self-isolate get support within a day.
boroughs:
  - {name: Camden, role: lead}
  - {name: Hackney, role: delivery}
budget:
  requested: 45000
replicability:
  standards: [Open Referral UK]
  plan: Another borough adopts the agreement template.
outputs:
  - {name: Data-sharing agreement template, licence: OGL-UK-3.0, gifted: true}
sustainability: Boroughs pay for hosting from April 2021.
"""

MALFORMED = "id: CR-09\ntitle: [unclosed\npillar: Covid Recovery\n"


@pytest.fixture(autouse=True)
def _here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test in an empty folder, so the bundled ledger is used and no proposals/ exists."""
    monkeypatch.chdir(tmp_path)
    for name in ("LOTI_LEDGER", "GITHUB_STEP_SUMMARY", "NO_COLOR", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def check(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Any:
    return invoke("proposal", "check", *args, input=stdin, env=env)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# usage problems: exit 2, a message on stderr, nothing on stdout


def test_help_has_examples_and_every_format() -> None:
    result = check("--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "loti proposal check proposals/" in result.stdout
    for name in ("text", "json", "github", "junit", "sarif", "markdown"):
        assert name in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("junit", "write it as FORMAT=FILE"),
        ("=report.xml", "write it as FORMAT=FILE"),
        ("junit=", "write it as FORMAT=FILE"),
        ("xml=report.xml", "unknown format 'xml'"),
        ("jnuit=report.xml", "did you mean 'junit'?"),
        ("junit=-", "standard output is for --format"),
        ("junit=no/such/folder/report.xml", "folder no/such/folder does not exist"),
        ("junit=.", "is a folder"),
    ],
)
def test_bad_output_exits_2(value: str, says: str, tmp_path: Path) -> None:
    proposal = write(tmp_path / "p.yaml", GOOD)
    result = check(str(proposal), "--output", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"loti: error: --output {value!r}")
    assert says in result.stderr
    assert "Traceback" not in result.stderr


def test_two_outputs_to_one_file_exit_2(tmp_path: Path) -> None:
    proposal = write(tmp_path / "p.yaml", GOOD)
    result = check(str(proposal), "-o", "junit=out.txt", "-o", "sarif=out.txt")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: --output 'sarif=out.txt': out.txt is already the target of another --output\n"
    )


def test_unknown_rule_in_select_exits_2(tmp_path: Path) -> None:
    proposal = write(tmp_path / "p.yaml", GOOD)
    result = check(str(proposal), "--select", "FP2,FP9")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("loti: error: --select FP9: no such rule; did you mean 'FP")


def test_missing_path_exits_2() -> None:
    result = check("proposals/nope.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "loti: error: proposals/nope.yaml: no such file or folder\n"


def test_no_path_and_no_proposals_folder_exits_2() -> None:
    result = check()
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "no proposals/ folder" in result.stderr


def test_missing_ledger_exits_2(tmp_path: Path) -> None:
    proposal = write(tmp_path / "p.yaml", GOOD)
    result = check(str(proposal), "--ledger", "ledgers/2030-31.yaml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "ledgers/2030-31.yaml: no such file" in result.stderr


def test_unknown_format_is_a_usage_error(tmp_path: Path) -> None:
    proposal = write(tmp_path / "p.yaml", GOOD)
    result = check(str(proposal), "--format", "xml")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: loti proposal check [OPTIONS] [PATH]...\n")
    assert result.stderr.endswith(
        "Error: Invalid value for '--format' / '-f': Value error, 'xml' is not one of 'auto', "
        "'text', 'json', 'github', 'junit', 'sarif', 'markdown'.\n"
    )


# ---------------------------------------------------------------------------
# the check itself (needs check.check_paths)


def test_malformed_proposal_on_stdin_exits_1_with_in1() -> None:
    result = check("-", stdin=MALFORMED)
    assert result.exit_code == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if re.match(r"^.+:\d+:\d+: IN1 ", line)]
    assert lines, result.stdout
    assert result.stdout.endswith("1 checked, 0 passed, 1 failed, 0 waived\n")


def test_malformed_proposal_on_stdin_as_json() -> None:
    result = check("-", "--format", "json", stdin=MALFORMED)
    assert result.exit_code == 1
    assert result.stderr == ""
    document = json.loads(result.stdout)
    (entry,) = document["proposals"]
    assert entry["id"] is None
    assert entry["title"] is None
    (finding,) = entry["findings"]
    assert finding["code"] == "IN1"
    assert finding["line"] >= 1
    assert finding["column"] >= 1


def test_good_proposal_passes(tmp_path: Path) -> None:
    proposal = write(tmp_path / "proposals" / "cr-02.yaml", GOOD)
    result = check(str(proposal))
    assert result.exit_code == 0, result.stdout
    assert result.stdout == "1 checked, 1 passed, 0 failed, 0 waived\n"
    assert result.stderr == ""


def test_default_path_is_proposals(tmp_path: Path) -> None:
    write(tmp_path / "proposals" / "cr-02.yaml", GOOD)
    write(tmp_path / "proposals" / "bad.yaml", MALFORMED)
    result = check()
    assert result.exit_code == 1
    assert result.stdout.endswith("2 checked, 1 passed, 1 failed, 0 waived\n")
    assert "proposals/bad.yaml:" in result.stdout
    assert result.stderr == ""


def test_warning_fails_only_with_strict(tmp_path: Path) -> None:
    thin = GOOD.replace("sustainability: Boroughs pay for hosting from April 2021.\n", "")
    proposal = write(tmp_path / "p.yaml", thin)
    relaxed = check(str(proposal))
    assert relaxed.exit_code == 0, relaxed.stdout
    assert " PC5 " in relaxed.stdout
    assert relaxed.stdout.endswith("1 checked, 1 passed, 0 failed, 0 waived\n")
    assert relaxed.stderr == ""
    strict = check(str(proposal), "--strict")
    assert strict.exit_code == 1
    assert " PC5 " in strict.stdout
    assert strict.stdout.endswith("1 checked, 0 passed, 1 failed, 0 waived\n")
    assert strict.stderr == ""


def test_a_pillar_in_another_letter_case_is_fp1s_alone(tmp_path: Path) -> None:
    # Covid Recovery is allocated £200,000 and CR-01 takes £190,000 of it. Were 'covid
    # recovery' read as Covid Recovery, CR-02's £45,000 would also be over its headroom
    # (BU2) and the pillar's bids over its allocation (BU3, on CR-01 too).
    nearly_full = GOOD.replace("id: CR-02", "id: CR-01").replace(
        "status: submitted", "status: approved"
    )
    nearly_full = nearly_full.replace("requested: 45000", "requested: 190000")
    write(tmp_path / "proposals" / "cr-01.yaml", nearly_full + "panel: 2020-10-01\n")
    write(
        tmp_path / "proposals" / "cr-02.yaml",
        GOOD.replace("pillar: Covid Recovery", "pillar: covid recovery"),
    )
    result = check()
    assert result.exit_code == 1, result.stdout
    assert result.stdout == (
        "CR-02 Sharing data between boroughs to support track and trace: failed\n"
        "proposals/cr-02.yaml:4:9: FP1 pillar 'covid recovery' is not one of the 2020-21 "
        "allocations (Covid Recovery, Developing Capabilities or Smarter London); did you mean "
        "'Covid Recovery'?\n"
        "\n"
        "2 checked, 1 passed, 1 failed, 0 waived\n"
    )
    assert result.stderr == ""


def test_select_and_ignore(tmp_path: Path) -> None:
    thin = GOOD.replace("sustainability: Boroughs pay for hosting from April 2021.\n", "")
    thin = thin.replace("outcome: Residents asked to self-isolate get support within a day.\n", "")
    proposal = write(tmp_path / "p.yaml", thin)
    both = check(str(proposal), "--format", "json")
    codes = {f["code"] for f in json.loads(both.stdout)["proposals"][0]["findings"]}
    assert {"PC1", "PC5"} <= codes
    ignored = check(
        str(proposal), "--format", "json", "--ignore", "PC1", "--ignore", "financially-sustainable"
    )
    assert not {"PC1", "PC5"} & {
        f["code"] for f in json.loads(ignored.stdout)["proposals"][0]["findings"]
    }
    selected = check(str(proposal), "--format", "json", "--select", "pc5,FP2")
    assert {f["code"] for f in json.loads(selected.stdout)["proposals"][0]["findings"]} == {"PC5"}


def test_outputs_written_beside_stdout(tmp_path: Path) -> None:
    write(tmp_path / "proposals" / "cr-02.yaml", GOOD)
    write(tmp_path / "proposals" / "bad.yaml", MALFORMED)
    (tmp_path / "out").mkdir()
    result = check(
        "proposals",
        "--format",
        "json",
        "--output",
        "junit=report.xml",
        "-o",
        "sarif=out/loti.sarif",
    )
    assert result.exit_code == 1
    assert result.stderr == ""
    assert json.loads(result.stdout)["summary"]["proposals"] == 2
    suite = next(iter(JUnitXml.fromfile(str(tmp_path / "report.xml"))))
    assert suite.tests == 2
    assert suite.failures == 1
    sarif = json.loads((tmp_path / "out" / "loti.sarif").read_text(encoding="utf-8"))
    schema = json.loads(
        files("loti_cli").joinpath("data", "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    )
    jsonschema.validate(sarif, schema, cls=jsonschema.Draft7Validator)
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["IN1"]


def _sarif_schema_validate(document: Any) -> None:
    schema = json.loads(
        files("loti_cli").joinpath("data", "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    )
    jsonschema.validate(
        document,
        schema,
        cls=jsonschema.Draft7Validator,
        format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER,
    )


def test_sarif_is_the_same_from_any_folder_of_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    top = tmp_path / "my répo"
    (top / ".git").mkdir(parents=True)
    (top / "docs").mkdir()
    write(top / "proposals" / "good one.yaml", GOOD)
    write(top / "proposals" / "é broken.yaml", MALFORMED)
    one_borough = GOOD.replace("CR-02", "CR-03").replace(
        "  - {name: Hackney, role: delivery}\n", ""
    )
    write(top / "proposals" / "cr-03.yaml", one_borough)
    documents = []
    for here, folder in (
        (top, "proposals"),
        (top / "proposals", "."),
        (top / "docs", "../proposals"),
    ):
        monkeypatch.chdir(here)
        result = check(folder, "--proposals", folder, "--format", "sarif")
        assert result.exit_code == 1, result.output
        assert result.stderr == ""
        documents.append(json.loads(result.stdout))
    assert documents[0] == documents[1] == documents[2]
    run = documents[0]["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": top.resolve().as_uri() + "/"}}
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"].endswith("/my%20r%C3%A9po/")
    located = {
        (r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])
        for r in run["results"]
    }
    assert located == {("IN1", "proposals/%C3%A9%20broken.yaml"), ("FP2", "proposals/cr-03.yaml")}
    for result in run["results"]:
        location = result["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location["uriBaseId"] == "%SRCROOT%"
    _sarif_schema_validate(documents[0])


def test_sarif_outside_a_repository_starts_at_the_current_folder(tmp_path: Path) -> None:
    write(tmp_path / "proposals" / "bad.yaml", MALFORMED)
    result = check("proposals", "--format", "sarif")
    run = json.loads(result.stdout)["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": tmp_path.resolve().as_uri() + "/"}}
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "proposals/bad.yaml", "uriBaseId": "%SRCROOT%"}


def test_github_format_appends_the_step_summary(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", MALFORMED)
    summary = write(tmp_path / "summary.md", "earlier step\n")
    result = check("p.yaml", "--format", "github", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout.startswith("::error file=p.yaml,line=")
    assert result.stderr == ""
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("earlier step\n## loti proposal check")
    assert "| p.yaml |" in text


def test_no_step_summary_for_other_formats(tmp_path: Path) -> None:
    write(tmp_path / "p.yaml", MALFORMED)
    summary = write(tmp_path / "summary.md", "")
    result = check("p.yaml", env={"GITHUB_STEP_SUMMARY": str(summary)})
    assert result.exit_code == 1
    assert result.stdout == (
        "p.yaml: failed\n"
        "p.yaml:3:7: IN1 the file is not valid YAML: did not find expected ',' or ']' (while "
        "parsing a flow sequence)\n"
        "\n"
        "1 checked, 0 passed, 1 failed, 0 waived\n"
    )
    assert result.stderr == ""
    assert summary.read_text(encoding="utf-8") == ""


def test_no_colour_and_no_progress_on_a_pipe(tmp_path: Path) -> None:
    for number in range(25):
        write(
            tmp_path / "proposals" / f"p{number:02}.yaml",
            MALFORMED.replace("CR-09", f"CR-{number}"),
        )
    result = check("proposals", "--color", "auto")
    assert result.exit_code == 1
    assert result.stderr == ""
    assert "\x1b" not in result.stdout
    assert result.stdout.endswith("25 checked, 0 passed, 25 failed, 0 waived\n")


# ---------------------------------------------------------------------------
# pieces


def test_progress_only_on_a_terminal_and_for_many_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "many"
    for number in range(command.PROGRESS_THRESHOLD + 1):
        write(folder / f"p{number}.yaml", GOOD)
    few = [str(folder / "p0.yaml")]
    monkeypatch.setattr("sys.stderr.isatty", lambda: False, raising=False)
    assert not isinstance(command._progress([str(folder)]), command._Bar)
    monkeypatch.setattr("sys.stderr.isatty", lambda: True, raising=False)
    assert not isinstance(command._progress(few), command._Bar)
    assert isinstance(command._progress([str(folder)]), command._Bar)


def test_parse_outputs(tmp_path: Path) -> None:
    assert command.parse_outputs(["junit=a.xml", "SARIF=b.sarif"]) == {
        "junit": Path("a.xml"),
        "sarif": Path("b.sarif"),
    }
    assert command.parse_outputs([]) == {}


def test_codes_are_comma_separated_and_repeatable() -> None:
    assert command.split_codes(["fp2, two-member-boroughs", "PC5,,"]) == (
        "fp2",
        "two-member-boroughs",
        "PC5",
    )


def test_a_ledger_rule_cannot_be_selected(tmp_path: Path) -> None:
    proposal = write(tmp_path / "p.yaml", GOOD)
    result = check(str(proposal), "--select", "LB1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: --select LB1: LB1 (stated-figure-mismatch) is a ledger rule, which "
        "loti budget status reports; loti proposal check cannot select or ignore it\n"
    )
