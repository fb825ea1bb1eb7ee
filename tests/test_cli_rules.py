"""`loti rules [CODE]` in-process: the list, one rule explained, unknown codes."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from loti_cli.rules import RULES
from loti_cli.rules.base import Rule
from tests.conftest import invoke


def run(*args: str) -> Any:
    return invoke("rules", *args)


def test_list_shows_every_rule_proposal_rules_first() -> None:
    result = run()
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    codes = [line.split()[0] for line in lines[2:] if line.strip() and not line.startswith("`")]
    expected = [r.code for r in RULES if r.subject == "proposal"]
    expected += [r.code for r in RULES if r.subject != "proposal"]
    assert codes == expected
    assert lines[0].split() == ["Code", "Name", "Severity", "Summary"]
    for rule in RULES:
        line = next(line for line in lines if line.startswith(f"{rule.code} "))
        assert rule.name in line
        assert str(rule.severity) in line
        assert rule.summary in line


def test_list_as_json() -> None:
    result = run("--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    listed = json.loads(result.stdout)
    assert {rule["code"] for rule in listed} == {rule.code for rule in RULES}
    for item in listed:
        assert list(item) == ["code", "name", "severity", "summary", "waivable"]
        assert item["severity"] in ("error", "warning")
        assert isinstance(item["waivable"], bool)


def _explains(output: str, rule: Rule[Any]) -> None:
    assert output.startswith(f"{rule.code} {rule.name} ({rule.severity}")
    flat = " ".join(output.split())
    assert " ".join(rule.explanation.split()) in flat
    for example in (rule.passing, rule.failing):
        for line in example.splitlines():
            assert f"    {line}" in output
    assert "Passes:" in output
    assert "Fails:" in output


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_explain_by_code_and_by_name(rule: Rule[Any]) -> None:
    for word in (rule.code, rule.code.lower(), rule.name):
        result = run(word)
        assert result.exit_code == 0, result.stderr
        assert result.stderr == ""
        _explains(result.stdout, rule)


def test_explain_fp2() -> None:
    """The contract's example: FP2 by code and by name, with both examples."""
    by_code = run("FP2")
    assert by_code.exit_code == 0, by_code.stderr
    assert by_code.stdout.startswith("FP2 two-member-boroughs (error")
    assert "Passes:" in by_code.stdout
    assert "Fails:" in by_code.stdout
    assert run("two-member-boroughs").stdout == by_code.stdout


def test_explain_as_json() -> None:
    rule = RULES[0]
    result = run(rule.code, "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["code"] == rule.code
    assert data["explanation"] == rule.explanation
    assert data["passing"] == rule.passing
    assert data["failing"] == rule.failing


def test_unknown_rule_suggests_the_closest() -> None:
    result = run("LB99")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("loti: error: no rule 'LB99'; did you mean 'LB9'?")
    assert "loti rules" in result.stderr


def test_unknown_rule_without_a_close_one() -> None:
    result = run("zzzzzzzzzz")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "loti: error: no rule 'zzzzzzzzzz' (`loti rules` lists them)\n"


def test_help_has_examples() -> None:
    result = run("--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout
    assert "loti rules FP2" in result.stdout
    assert result.stderr == ""


@pytest.mark.parametrize("args", [["--version"], ["--help"]])
def test_version_and_help_stay_light(args: list[str]) -> None:
    """`loti --version` and `loti --help` must not pay for pydantic, ruamel or tabulate.

    (tests/test_startup.py keeps `loti rules`, a command's --help and shell
    completion free of pydantic and the models.)
    """
    code = (
        "import sys\n"
        "from loti_cli.cli import main\n"
        f"sys.argv = ['loti', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = [m for m in ('pydantic', 'ruamel', 'tabulate') if m in sys.modules]\n"
        "print(heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip() == "[]"


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
@pytest.mark.parametrize("output", ["text", "json"])
def test_an_explanation_from_the_catalogue_is_the_registrys(
    rule: Rule[Any], output: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loti_cli.commands import catalogue

    assert catalogue.read() is not None  # the catalogue answers
    quick = invoke("rules", rule.name.upper(), "--format", output)
    monkeypatch.setattr(catalogue, "read", lambda path=None: None)  # the registry answers
    slow = invoke("rules", rule.name.upper(), "--format", output)
    assert (quick.exit_code, quick.stdout, quick.stderr) == (0, slow.stdout, "")


def test_an_explanation_imports_no_rule() -> None:
    script = (
        "import runpy, sys\n"
        "sys.argv = ['loti', 'rules', 'FP2']\n"
        "try:\n"
        "    runpy.run_module('loti_cli', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('loti_cli.rules')), file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert done.stdout.startswith("FP2 two-member-boroughs (error, proposal rule;")
    assert done.stderr.strip() == "[]"
