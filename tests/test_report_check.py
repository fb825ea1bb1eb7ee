"""The `loti proposal check` reporters: golden files per format, escaping, and each format's schema.

The goldens are rendered from one hand-made CheckResult whose title and
messages hold the characters that break naive formats (newlines, `%`, `::`,
`,`, `|`, `<`, `&`, an escape sequence). To rewrite them after an intended
change, run `LOTI_UPDATE_GOLDEN=1 uv run pytest tests/test_report_check.py` and
read the diff before committing it.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
import xml.etree.ElementTree as ET
from importlib.resources import files
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from junitparser import Failure, JUnitXml

from loti_cli import HOMEPAGE, __version__
from loti_cli.core.findings import Finding, Severity, one_line, visible
from loti_cli.core.model import Proposal
from loti_cli.pipeline.check import CheckResult, ProposalResult
from loti_cli.report import CHECK_REPORTERS, RenderOptions, check_github, check_sarif
from loti_cli.rules import RULES
from loti_cli.rules.base import Rule

GOLDEN = Path(__file__).parent / "golden" / "check"

HOSTILE_TITLE = (
    'Data | sharing\n::error file=x.yaml,line=1::pwned\r\n100% <b>&amp; "tricky", yes\x1b[2J'
)
HOSTILE_MESSAGE = (
    "only Camden counts; 'Hackney, Islington' are not members\n"
    "::warning file=a,line=1::injected | 50% <x> & y\r::add-mask::z"
)
HOSTILE_REASON = "Agreed at panel: 2020-10-01, see minutes | item 4\n::notice::x"


def assert_golden(name: str, text: str) -> None:
    """Compare `text` with tests/golden/check/NAME byte for byte; LOTI_UPDATE_GOLDEN=1 rewrites."""
    path = GOLDEN / name
    if os.environ.get("LOTI_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"no golden file {path}; run with LOTI_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_bytes().decode("utf-8")


Place = tuple[str, int | None, int | None]


def finding(
    code: str,
    rule: str,
    message: str,
    place: Place,
    *,
    severity: Severity = Severity.ERROR,
    reason: str | None = None,
) -> Finding:
    path, line, column = place
    item = Finding(code, rule, severity, message, path, line, column)
    return item.as_waived(reason) if reason is not None else item


def proposal(**fields: Any) -> Proposal:
    return Proposal.model_validate(fields)


CR02 = "proposals/cr-02.yaml"
ODD = "proposals/odd, name: 50%.yaml"


def sample_result(*, strict: bool = False) -> CheckResult:
    """Five files: failing, passing, unreadable, warning only, and an awkward file name."""
    return CheckResult(
        ledger="ledgers/2020-21.yaml",
        strict=strict,
        results=[
            ProposalResult(
                CR02,
                proposal(
                    id="CR-02",
                    title=HOSTILE_TITLE,
                    pillar="Covid Recovery",
                    status="submitted",
                    budget={"requested": 45000},
                ),
                [
                    finding(
                        "PC1",
                        "outcome-stated",
                        "no outcome: say who is better off, and how",
                        (CR02, 1, 1),
                        severity=Severity.WARNING,
                    ),
                    finding("FP2", "two-member-boroughs", HOSTILE_MESSAGE, (CR02, 14, 3)),
                    finding(
                        "PC5",
                        "financially-sustainable",
                        "no sustainability model",
                        (CR02, 30, 5),
                        severity=Severity.WARNING,
                        reason=HOSTILE_REASON,
                    ),
                ],
            ),
            ProposalResult(
                "proposals/sl-01.yaml",
                proposal(
                    id="SL-01",
                    title="Open standards for planning data",
                    pillar="Smarter London",
                    status="approved",
                    budget={"requested": "£12,500.50"},
                ),
            ),
            ProposalResult(
                "proposals/broken.yaml",
                None,
                [
                    finding(
                        "IN1",
                        "invalid-yaml",
                        "the file is not valid YAML: expected ':' here",
                        ("proposals/broken.yaml", 3, 7),
                    ),
                ],
            ),
            ProposalResult(
                "proposals/dc-04.yml",
                proposal(id="DC-04", title="Procurement playbook", status="draft"),
                [
                    finding(
                        "PC5",
                        "financially-sustainable",
                        "no sustainability model",
                        ("proposals/dc-04.yml", 2, 1),
                        severity=Severity.WARNING,
                    ),
                ],
            ),
            ProposalResult(
                ODD,
                proposal(
                    id="SL-02",
                    title="Odd, name",
                    pillar="Smarter London",
                    status="submitted",
                    budget={"requested": 0},
                ),
                [
                    finding(
                        "BU1", "valid-amounts", "requested + external is zero", (ODD, None, None)
                    )
                ],
            ),
        ],
    )


def _rule(code: str, name: str, severity: Severity, *, waivable: bool = True) -> Rule[Any]:
    return Rule(
        code=code,
        name=name,
        severity=severity,
        summary=f"summary of {name}",
        explanation=f"What {code} checks, and why.",
        passing="key: good",
        failing=f"key: bad   # {code}",
        waivable=waivable,
    )


FIXED_RULES: tuple[Rule[Any], ...] = (
    _rule("FP2", "two-member-boroughs", Severity.ERROR),
    _rule("BU1", "valid-amounts", Severity.ERROR),
    _rule("PC1", "outcome-stated", Severity.WARNING),
    _rule("PC5", "financially-sustainable", Severity.WARNING),
    _rule("IN1", "invalid-yaml", Severity.ERROR, waivable=False),
)
"""The SARIF golden's rules: fixed here, so that editing a rule's wording does not break it."""


def render(name: str, result: CheckResult | None = None, *, color: bool = False) -> str:
    options = RenderOptions(color=color, width=80)
    return CHECK_REPORTERS[name].render(result or sample_result(), options)


def total_findings(result: CheckResult) -> int:
    return sum(len(item.findings) for item in result.results)


# ---------------------------------------------------------------------------
# the registry and the golden files


@pytest.mark.parametrize(
    ("name", "golden"),
    [
        ("text", "sample.txt"),
        ("json", "sample.json"),
        ("github", "sample.github.txt"),
        ("junit", "sample.junit.xml"),
        ("markdown", "sample.md"),
    ],
)
def test_golden(name: str, golden: str) -> None:
    assert_golden(golden, render(name))


def test_golden_text_in_colour() -> None:
    assert_golden("sample.color.txt", render("text", color=True))


SRV = Path("/srv/loti")
"""The repository's top folder, and the current folder, of the SARIF golden."""


def test_golden_sarif() -> None:
    text = check_sarif.dumps(sample_result(), FIXED_RULES, here=SRV, root=SRV)
    # The version of loti is not part of what the golden pins down.
    assert_golden("sample.sarif", text.replace(f'"version": "{__version__}"', '"version": "X"'))


def test_golden_junit_strict() -> None:
    assert_golden("sample.strict.junit.xml", render("junit", sample_result(strict=True)))


# ---------------------------------------------------------------------------
# text


def test_text_lines_jump_to_the_finding() -> None:
    lines = render("text").splitlines()
    assert f"{CR02}:14:3: FP2 only Camden counts" in "\n".join(lines)
    assert any(
        line.startswith("proposals/broken.yaml:3:7: IN1 the file is not valid YAML")
        for line in lines
    )
    assert f"{ODD}: BU1 requested + external is zero" in lines
    waived = next(line for line in lines if line.startswith(f"{CR02}:30:5: PC5"))
    assert waived.endswith(
        "(waived: Agreed at panel: 2020-10-01, see minutes | item 4 ::notice::x)"
    )


def test_text_ends_with_one_summary_line() -> None:
    text = render("text")
    assert text.endswith("\n5 checked, 2 passed, 3 failed, 1 waived\n")
    assert len(re.findall(r"\d+ checked, ", text)) == 1
    strict = render("text", sample_result(strict=True))
    assert strict.endswith("\n5 checked, 1 passed, 4 failed, 1 waived\n")


def test_text_hostile_title_cannot_forge_a_line() -> None:
    text = render("text")
    # Every line is a heading, a finding, blank or the summary: none starts with `::`.
    assert not any(line.startswith("::") for line in text.splitlines())
    assert "\x1b" not in text, "an escape sequence from a file must not reach the terminal"
    assert "\\x1b[2J" in text
    assert "\r" not in text


def test_text_colour_only_when_asked() -> None:
    assert "\x1b[" not in render("text", color=False)
    coloured = render("text", color=True)
    assert "\x1b[" in coloured
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == render("text", color=False)


def test_text_long_lines_are_not_wrapped() -> None:
    long = "x" * 300
    result = CheckResult(
        None,
        [ProposalResult("p.yaml", None, [finding("IN1", "invalid-yaml", long, ("p.yaml", 1, 1))])],
    )
    assert f"p.yaml:1:1: IN1 {long}\n" in render("text", result)


def test_text_with_nothing_to_say() -> None:
    assert render("text", CheckResult(None, [])) == "0 checked, 0 passed, 0 failed, 0 waived\n"


# ---------------------------------------------------------------------------
# json


PROPOSAL_KEYS = ["path", "id", "title", "pillar", "status", "requested", "passed", "findings"]
FINDING_KEYS = ["code", "rule", "severity", "waived", "message", "path", "line", "column"]
SUMMARY_KEYS = ["proposals", "passed", "failed", "errors", "warnings", "waived"]


def test_json_shape_is_the_contract() -> None:
    document = json.loads(render("json"))
    assert list(document) == ["version", "ledger", "proposals", "summary"]
    assert document["version"] == 1
    assert document["ledger"] == "ledgers/2020-21.yaml"
    for entry in document["proposals"]:
        assert list(entry) == PROPOSAL_KEYS
        for item in entry["findings"]:
            assert list(item) == FINDING_KEYS
    assert list(document["summary"]) == SUMMARY_KEYS


def test_json_values() -> None:
    document = json.loads(render("json"))
    first, second, broken, draft, odd = document["proposals"]
    assert first["id"] == "CR-02"
    assert first["title"] == HOSTILE_TITLE
    assert first["requested"] == "45000.00"
    assert first["passed"] is False
    assert first["findings"][1] == {
        "code": "FP2",
        "rule": "two-member-boroughs",
        "severity": "error",
        "waived": False,
        "message": HOSTILE_MESSAGE,
        "path": CR02,
        "line": 14,
        "column": 3,
    }
    assert first["findings"][2]["waived"] is True
    assert second["requested"] == "12500.50"
    assert second["passed"] is True
    assert second["findings"] == []
    assert broken == {
        "path": "proposals/broken.yaml",
        "id": None,
        "title": None,
        "pillar": None,
        "status": None,
        "requested": None,
        "passed": False,
        "findings": [
            {
                "code": "IN1",
                "rule": "invalid-yaml",
                "severity": "error",
                "waived": False,
                "message": "the file is not valid YAML: expected ':' here",
                "path": "proposals/broken.yaml",
                "line": 3,
                "column": 7,
            }
        ],
    }
    assert draft["requested"] is None
    assert draft["pillar"] is None
    assert draft["passed"] is True
    assert odd["findings"][0]["line"] is None
    assert document["summary"] == {
        "proposals": 5,
        "passed": 2,
        "failed": 3,
        "errors": 3,
        "warnings": 2,
        "waived": 1,
    }


def test_json_strict_fails_on_warnings() -> None:
    document = json.loads(render("json", sample_result(strict=True)))
    assert [entry["passed"] for entry in document["proposals"]] == [
        False,
        True,
        False,
        False,
        False,
    ]
    assert document["summary"]["failed"] == 4


# ---------------------------------------------------------------------------
# github


def test_github_one_command_per_finding() -> None:
    result = sample_result()
    lines = render("github", result).splitlines()
    commands = [line for line in lines if line.startswith("::")]
    assert len(commands) == total_findings(result)
    assert len(lines) == len(commands) + 1
    assert lines[-1] == "5 checked, 2 passed, 3 failed, 1 waived"
    assert commands[0] == (
        f"::warning file={CR02},line=1,col=1,title=PC1 outcome-stated::"
        "no outcome%3A say who is better off, and how".replace("%3A", ":")
    )
    assert commands[1].startswith(
        f"::error file={CR02},line=14,col=3,title=FP2 two-member-boroughs::"
    )
    assert commands[2].startswith(f"::notice file={CR02},line=30,col=5,title=PC5 ")
    assert commands[5] == (
        "::error file=proposals/odd%2C name%3A 50%25.yaml,title=BU1 valid-amounts::"
        "requested + external is zero"
    )


def test_github_hostile_message_stays_on_its_line() -> None:
    line = check_github.command(
        finding("FP2", "two-member-boroughs", HOSTILE_MESSAGE, (CR02, 14, 3))
    )
    assert "\n" not in line
    assert "\r" not in line
    assert line.endswith(
        "::only Camden counts; 'Hackney, Islington' are not members%0A"
        "::warning file=a,line=1::injected | 50%25 <x> & y%0D::add-mask::z"
    )


def test_github_escapes_properties() -> None:
    hostile = finding("FP2", "r", "m", ("a,b:c%d\ne\rf.yaml", 1, 1))
    assert (
        check_github.command(hostile)
        == "::error file=a%2Cb%3Ac%25d%0Ae%0Df.yaml,line=1,col=1,title=FP2 r::m"
    )


def _unescape(text: str) -> str:
    for code, char in (("%3A", ":"), ("%2C", ","), ("%0D", "\r"), ("%0A", "\n"), ("%25", "%")):
        text = text.replace(code, char)
    return text


@given(st.text())
def test_github_escaping_is_safe_and_reversible(text: str) -> None:
    data = check_github.escape_data(text)
    prop = check_github.escape_property(text)
    assert "\n" not in data
    assert "\r" not in data
    assert not {":", ",", "\n", "\r"} & set(prop)
    # Reversible up to the characters a terminal would obey or hide, shown as escapes.
    assert _unescape(prop) == visible(text)
    assert _unescape(data) == visible(text)


# ---------------------------------------------------------------------------
# junit


def _junit(result: CheckResult) -> JUnitXml:
    return JUnitXml.fromstring(render("junit", result))


def test_junit_counts() -> None:
    xml = _junit(sample_result())
    suites = list(xml)
    assert len(suites) == 1
    suite = suites[0]
    assert suite.tests == 5
    assert suite.failures == 3, "three proposals fail"
    cases = {case.name: case for case in suite}
    assert list(cases) == ["CR-02", "SL-01", "proposals/broken.yaml", "DC-04", "SL-02"]
    failures = {
        name: [r for r in case.result if isinstance(r, Failure)] for name, case in cases.items()
    }
    assert {name: len(items) for name, items in failures.items()} == {
        "CR-02": 1,
        "SL-01": 0,
        "proposals/broken.yaml": 1,
        "DC-04": 0,
        "SL-02": 1,
    }
    assert cases["CR-02"].classname == CR02
    assert failures["CR-02"][0].type == "FP2 two-member-boroughs"
    assert failures["CR-02"][0].message == "FP2 " + HOSTILE_MESSAGE.replace("\r", "\n")
    out = cases["CR-02"].system_out or ""
    assert "PC5 no sustainability model (waived: Agreed at panel" in out
    assert "PC1 no outcome: say who is better off, and how (warning)" in out


def test_junit_strict_fails_on_warnings() -> None:
    suite = next(iter(_junit(sample_result(strict=True))))
    assert suite.tests == 5
    assert suite.failures == 4
    cases = {case.name: case for case in suite}
    assert len([r for r in cases["CR-02"].result if isinstance(r, Failure)]) == 1
    assert len([r for r in cases["DC-04"].result if isinstance(r, Failure)]) == 1
    assert "waived" in (cases["CR-02"].system_out or "")


def test_junit_has_one_failure_per_case_that_lists_every_finding() -> None:
    # Viewers such as junit2html show one <failure> per test case, so several would hide all but one.
    findings = [
        finding(code, "invalid-field", f"problem {number} <&>", ("p.yaml", number, 1))
        for number, code in enumerate(["IN2", "FP2", "FP3", "BU1", "BU2", "PC1"], start=1)
    ]
    findings.append(
        finding(
            "PC5",
            "financially-sustainable",
            "a warning",
            ("p.yaml", 9, 1),
            severity=Severity.WARNING,
        )
    )
    result = CheckResult(None, [ProposalResult("p.yaml", proposal(id="P-1", title="t"), findings)])
    case = next(iter(next(iter(_junit(result)))))
    failures = [r for r in case.result if isinstance(r, Failure)]
    assert len(failures) == 1
    assert failures[0].message == "IN2 problem 1 <&>"
    assert failures[0].type == "IN2 invalid-field"
    assert (failures[0].text or "").splitlines() == [
        f"p.yaml:{number}:1: {code} problem {number} <&>"
        for number, code in enumerate(["IN2", "FP2", "FP3", "BU1", "BU2", "PC1"], start=1)
    ]
    assert case.system_out == "p.yaml:9:1: PC5 a warning (warning)"
    strict = CheckResult(None, result.results, strict=True)
    failure = next(
        r for r in next(iter(next(iter(_junit(strict))))).result if isinstance(r, Failure)
    )
    assert (failure.text or "").splitlines()[-1] == "p.yaml:9:1: PC5 a warning"


def test_junit_survives_characters_xml_cannot_hold() -> None:
    nasty = "nul\x00 esc\x1b bell\x07 </failure><x>&amp;]]>"
    result = CheckResult(
        None,
        [
            ProposalResult(
                "p.yaml",
                proposal(id=nasty, title="t"),
                [
                    finding("IN2", "invalid-field", nasty, ("p.yaml", 1, 1)),
                    finding("FP2", "two-member-boroughs", "second\n" + nasty, ("p.yaml", 2, 1)),
                ],
            )
        ],
    )
    root = ET.fromstring(render("junit", result).encode("utf-8"))
    case = root.find("testsuite/testcase")
    assert case is not None
    assert case.get("name") == "nul\ufffd esc\ufffd bell\ufffd </failure><x>&amp;]]>"
    [failure] = case.findall("failure")
    assert "</failure><x>&amp;]]>" in (failure.get("message") or "")
    first, second = (failure.text or "").splitlines()
    assert first.startswith("p.yaml:1:1: IN2 nul")
    assert second.startswith("p.yaml:2:1: FP2 second nul")
    assert first.endswith("</failure><x>&amp;]]>")
    assert second.endswith("</failure><x>&amp;]]>")


# ---------------------------------------------------------------------------
# sarif


def _sarif_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        files("loti_cli").joinpath("data", "sarif-schema-2.1.0.json").read_text(encoding="utf-8")
    )
    return schema


def _validate(document: object) -> None:
    schema = _sarif_schema()
    validator = jsonschema.Draft7Validator(
        schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = sorted(validator.iter_errors(document), key=lambda error: list(error.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.mark.parametrize("strict", [False, True])
def test_sarif_validates_against_the_schema(strict: bool) -> None:
    _validate(json.loads(render("sarif", sample_result(strict=strict))))
    _validate(json.loads(check_sarif.dumps(sample_result(), FIXED_RULES)))
    _validate(json.loads(render("sarif", CheckResult(None, []))))


def test_sarif_describes_every_rule() -> None:
    document = json.loads(render("sarif"))
    assert document["version"] == "2.1.0"
    driver = document["runs"][0]["tool"]["driver"]
    assert driver["name"] == "loti"
    described = driver["rules"]
    assert [rule["id"] for rule in described] == [rule.code for rule in RULES]
    for descriptor, rule in zip(described, RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["fullDescription"]["text"] == rule.explanation
        assert descriptor["help"]["text"].startswith(rule.explanation)
        assert descriptor["defaultConfiguration"]["level"] == str(rule.severity)
        assert descriptor["helpUri"] == f"{HOMEPAGE}#rules"
    assert driver["informationUri"] == HOMEPAGE


def test_sarif_help_links_to_the_readme_table_that_lists_every_rule() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    anchor = check_sarif.RULES_HELP.split("#", 1)[1]
    # GitHub's anchor of a heading: lower case, spaces as hyphens, punctuation dropped
    headings = {
        re.sub(r"[^\w\- ]", "", line.lstrip("#").strip().lower()).replace(" ", "-"): line
        for line in readme.splitlines()
        if line.startswith("## ")
    }
    assert anchor in headings
    section = readme.split(headings[anchor] + "\n", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("|")[1].strip() for line in section.splitlines() if line.startswith("| ")}
    assert {rule.code for rule in RULES} <= rows


def test_the_homepage_is_the_one_pyproject_names() -> None:
    pyproject = tomllib.loads(
        (Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    )
    assert pyproject["project"]["urls"]["Homepage"] == HOMEPAGE
    assert HOMEPAGE.startswith("https://")


def test_sarif_results() -> None:
    result = sample_result()
    document = json.loads(check_sarif.dumps(result, FIXED_RULES, here=SRV, root=SRV))
    run = document["runs"][0]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/loti/"}}
    results = run["results"]
    assert len(results) == total_findings(result)
    for item in results:
        index = item["ruleIndex"]
        assert run["tool"]["driver"]["rules"][index]["id"] == item["ruleId"]
    fp2 = results[1]
    assert fp2["ruleId"] == "FP2"
    assert fp2["level"] == "error"
    assert fp2["message"]["text"] == HOSTILE_MESSAGE
    assert fp2["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": CR02, "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 14, "startColumn": 3},
    }
    assert "suppressions" not in fp2
    waived = results[2]
    assert waived["suppressions"] == [{"kind": "external", "justification": HOSTILE_REASON}]
    odd = results[5]["locations"][0]["physicalLocation"]
    assert odd == {
        "artifactLocation": {
            "uri": "proposals/odd%2C%20name%3A%2050%25.yaml",
            "uriBaseId": "%SRCROOT%",
        }
    }


def test_sarif_finding_of_an_unlisted_rule_has_no_index() -> None:
    result = CheckResult(
        None, [ProposalResult("p.yaml", None, [finding("ZZ9", "zz", "m", ("p.yaml", 1, 1))])]
    )
    document = json.loads(check_sarif.dumps(result, FIXED_RULES))
    assert "ruleIndex" not in document["runs"][0]["results"][0]
    _validate(document)


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("proposals/a.yaml", "proposals/a.yaml"),
        ("proposals/with space.yaml", "proposals/with%20space.yaml"),
        ("/tmp/x/a.yaml", "file:///tmp/x/a.yaml"),
        ("proposals/é.yaml", "proposals/%C3%A9.yaml"),
    ],
)
def test_sarif_uri(path: str, uri: str) -> None:
    assert check_sarif.uri(path) == uri


@pytest.mark.parametrize(
    ("path", "here", "location"),
    [
        ("proposals/a.yaml", "/srv/loti", {"uri": "proposals/a.yaml", "uriBaseId": "%SRCROOT%"}),
        ("a.yaml", "/srv/loti/proposals", {"uri": "proposals/a.yaml", "uriBaseId": "%SRCROOT%"}),
        (
            "../proposals/é x.yaml",
            "/srv/loti/docs",
            {"uri": "proposals/%C3%A9%20x.yaml", "uriBaseId": "%SRCROOT%"},
        ),
        ("/srv/loti/a b.yaml", "/tmp", {"uri": "a%20b.yaml", "uriBaseId": "%SRCROOT%"}),
        ("../elsewhere/a.yaml", "/srv/loti", {"uri": "file:///srv/elsewhere/a.yaml"}),
        ("/tmp/é x.yaml", "/srv/loti", {"uri": "file:///tmp/%C3%A9%20x.yaml"}),
        ("<stdin>", "/srv/loti/proposals", {"uri": "%3Cstdin%3E"}),
    ],
)
def test_sarif_locations_start_at_the_repository_top(
    path: str, here: str, location: dict[str, str]
) -> None:
    assert check_sarif.artifact(path, Path(here), SRV) == location


@pytest.mark.parametrize(
    ("folder", "uri"),
    [
        ("/srv/loti", "file:///srv/loti/"),
        ("/srv/my répo", "file:///srv/my%20r%C3%A9po/"),
        ("/", "file:///"),
    ],
)
def test_sarif_base_uri_ends_in_a_slash(folder: str, uri: str) -> None:
    assert check_sarif.folder_uri(Path(folder)) == uri


# ---------------------------------------------------------------------------
# markdown


def _cells(row: str) -> list[str]:
    """Split a table row on the pipes that are not escaped."""
    return re.split(r"(?<!\\)\|", row)[1:-1]


def test_markdown_tables_hold_hostile_text() -> None:
    text = render("markdown")
    rows = [line for line in text.splitlines() if line.startswith("|")]
    tables: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.startswith("|"):
            tables[-1].append(line)
        elif tables[-1]:
            tables.append([])
    proposals, findings = [table for table in tables if table]
    assert {len(_cells(row)) for row in proposals} == {6}
    assert {len(_cells(row)) for row in findings} == {5}
    assert len(proposals) == 2 + 5
    assert len(findings) == 2 + 6
    assert all(row.endswith("|") for row in rows)
    assert "<b>" not in text
    assert "\\<b\\>" in text
    assert "\\&amp;" in text, "an entity in a title is shown as written"
    assert "\x1b" not in text


def test_markdown_rows() -> None:
    text = render("markdown")
    sl01 = "| SL-01 | Open standards for planning data | Smarter London | approved | £12,500.50 |"
    assert f"{sl01} passed |" in text
    assert "| proposals/broken.yaml |  |  |  |  | **failed** |" in text
    bu1 = "| BU1 | valid-amounts | error | requested + external is zero |"
    assert f"{bu1} proposals/odd, name: 50%.yaml |" in text
    assert (
        "5 checked, 2 passed, 3 failed, 1 waived; 3 errors, 2 warnings; ledger ledgers/2020-21.yaml"
        in text
    )


def test_markdown_without_findings() -> None:
    result = CheckResult(
        "ledgers/2020-21.yaml", [ProposalResult("p.yaml", proposal(id="X-1", title="t"))]
    )
    assert render("markdown", result).endswith("No findings.\n")


# ---------------------------------------------------------------------------
# shared


@given(st.text())
def test_one_line_never_breaks_a_line(text: str) -> None:
    shown = one_line(text)
    assert len(shown.splitlines()) <= 1
    assert "\x1b" not in shown
