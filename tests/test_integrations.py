"""The tools around loti: pre-commit hooks, GitHub Actions, shell completion."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).parents[1]
LOTI = [sys.executable, "-m", "loti_cli"]


def run(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "NO_COLOR": "1", **env}
    if "GITHUB_ACTIONS" not in env:
        environment.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        args, cwd=cwd, env=environment, capture_output=True, text=True, timeout=60, check=False
    )


# ---------------------------------------------------------------------------
# pre-commit: run each hook the way pre-commit does (its entry, plus the staged
# files its `files` pattern selects when pass_filenames is true)


def hooks() -> dict[str, dict[str, object]]:
    definitions = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text())
    return {hook["id"]: hook for hook in definitions}


def run_hook(hook: dict[str, object], repo: Path) -> subprocess.CompletedProcess[str]:
    staged = subprocess.run(
        ["git", "ls-files"], cwd=repo, capture_output=True, text=True, check=True
    ).stdout.split()
    pattern = re.compile(str(hook["files"]))
    files = [name for name in staged if pattern.search(name)]
    entry = str(hook["entry"]).split()
    assert entry[0] == "loti"
    args = [*LOTI, *entry[1:], *(files if hook.get("pass_filenames", True) else [])]
    return run(args, repo)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository of ledgers and proposals, as a programme office keeps one."""
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals")
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True)
    return tmp_path


def test_the_hook_definitions_name_the_real_commands() -> None:
    assert set(hooks()) == {"loti-proposal-check", "loti-budget-status"}
    for hook in hooks().values():
        assert hook["language"] == "python"
        assert str(hook["entry"]).startswith("loti ")


def test_proposal_hook_passes_on_good_proposals_and_fails_on_a_bad_one(repo: Path) -> None:
    hook = hooks()["loti-proposal-check"]
    good = run_hook(hook, repo)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.endswith("\n13 checked, 13 passed, 0 failed, 1 waived\n")
    assert good.stderr == ""

    bad = repo / "proposals" / "cr-02.yaml"
    bad.write_text(bad.read_text().replace("role: delivery", "role: supporter"))
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    failed = run_hook(hook, repo)
    assert failed.returncode == 1
    assert "proposals/cr-02.yaml:" in failed.stdout and " FP2 " in failed.stdout
    assert failed.stdout.endswith("\n13 checked, 12 passed, 1 failed, 1 waived\n")
    assert failed.stderr == ""


def test_budget_hook_runs_once_and_fails_on_a_figure_that_does_not_add_up(repo: Path) -> None:
    hook = hooks()["loti-budget-status"]
    assert hook["pass_filenames"] is False
    passed = run_hook(hook, repo)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "0 errors, 1 warning" in passed.stdout
    assert passed.stderr == ""
    ledger = repo / "ledgers" / "2020-21.yaml"
    ledger.write_text(ledger.read_text().replace("total_income: 1000000", "total_income: 999000"))
    failed = run_hook(hook, repo)
    assert failed.returncode == 1
    assert "LB1 stated total income £999,000 differs from £1,000,000" in failed.stdout
    assert "1 error, 1 warning" in failed.stdout
    assert failed.stderr == ""


def test_hook_patterns_select_the_right_files() -> None:
    proposal = re.compile(str(hooks()["loti-proposal-check"]["files"]))
    assert proposal.search("proposals/cr-01.yaml")
    assert proposal.search("proposals/sub/x.yml")
    assert not proposal.search("ledgers/2020-21.yaml")
    budget = re.compile(str(hooks()["loti-budget-status"]["files"]))
    assert budget.search("ledgers/2020-21.yaml") and budget.search("proposals/cr-01.yaml")


# ---------------------------------------------------------------------------
# GitHub Actions


def test_format_auto_picks_github_annotations_in_actions(repo: Path) -> None:
    done = run([*LOTI, "proposal", "check", "proposals/cr-05.yaml"], repo, GITHUB_ACTIONS="true")
    assert done.stdout.startswith("::notice file=proposals/cr-05.yaml,line=")
    plain = run([*LOTI, "proposal", "check", "proposals/cr-05.yaml"], repo)
    assert plain.stdout.startswith("CR-05 ")


def test_the_documented_workflow_runs_the_check_on_changed_proposals() -> None:
    workflow = YAML(typ="safe").load((ROOT / "docs" / "loti-pull-request.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    commands = " ".join(str(step.get("run", "")) for step in steps)
    assert "loti proposal check" in commands
    assert "git diff --name-only" in commands
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers


# ---------------------------------------------------------------------------
# shell completion (Typer's, through the environment variables the shells set)


def complete(words: str, shell: str = "bash") -> list[str]:
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    # The shell calls the installed `loti` script, whose name selects _LOTI_COMPLETE.
    script = str(Path(sys.executable).with_name("loti"))
    done = run(
        [script],
        ROOT,
        _LOTI_COMPLETE=f"complete_{shell}",
        COMP_WORDS=words,
        COMP_CWORD=cword,
        _TYPER_COMPLETE_ARGS=words,
    )
    return done.stdout.splitlines()


def test_completion_of_rule_codes() -> None:
    assert {"FP1", "FP2", "FP3", "FP4"} <= set(complete("loti rules FP"))
    assert "two-member-boroughs" in complete("loti proposal check --select two")


@pytest.mark.parametrize("command", ["budget status", "report", "export 360giving"])
def test_completion_of_ledger_years(command: str) -> None:
    assert complete(f"loti {command} --year 20") == ["2020-21"]


def test_completion_of_pillar_names() -> None:
    assert complete("loti proposal new --pillar Cov") == ["Covid Recovery"]


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "COMPREPLY"), ("zsh", "compdef"), ("fish", "complete --command loti")],
)
def test_completion_scripts_are_generated(shell: str, marker: str) -> None:
    from typer.completion import get_completion_script

    script = get_completion_script(prog_name="loti", complete_var="_LOTI_COMPLETE", shell=shell)
    assert marker in script
    assert "_LOTI_COMPLETE" in script


def test_zsh_completion_offers_codes() -> None:
    assert any("FP2" in word for word in complete("loti proposal check --select FP", "zsh"))
