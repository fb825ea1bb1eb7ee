"""The tools around loti: pre-commit hooks, GitHub Actions, shell completion."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

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
    assert good.stdout.endswith("\n21 checked, 21 passed, 0 failed, 1 waived\n")
    assert good.stderr == ""

    bad = repo / "proposals" / "cr-02.yaml"
    bad.write_text(bad.read_text().replace("role: delivery", "role: supporter"))
    subprocess.run(["git", "add", "."], cwd=repo, check=True)
    failed = run_hook(hook, repo)
    assert failed.returncode == 1
    assert "proposals/cr-02.yaml:" in failed.stdout and " FP2 " in failed.stdout
    assert failed.stdout.endswith("\n21 checked, 20 passed, 1 failed, 1 waived\n")
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
    assert "git diff -z --name-only" in commands
    triggers = workflow.get("on", workflow.get(True))
    assert "pull_request" in triggers


def workflow_step(name: str) -> dict[str, Any]:
    workflow = YAML(typ="safe").load((ROOT / "docs" / "loti-pull-request.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    step: dict[str, Any] = next(step for step in steps if step.get("name") == name)
    return step


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


@pytest.fixture
def pull_request(repo: Path) -> Path:
    """`repo` committed as the base branch, fetched as origin/main, with HEAD on a branch."""
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD")
    git(repo, "checkout", "-qb", "proposal")
    return repo


def run_step(
    repo: Path, name: str, scratch: Path
) -> tuple[subprocess.CompletedProcess[str], list[list[str]]]:
    """Run a step's script as Actions does (bash -e), with `loti` recording its arguments."""
    step = workflow_step(name)
    script = step["run"].replace("${{ github.base_ref }}", "main")
    bin_dir = scratch / "bin"
    bin_dir.mkdir()
    record = scratch / "arguments.jsonl"
    loti = bin_dir / "loti"
    loti.write_text(
        f"#!{sys.executable}\n"
        "import json, runpy, sys\n"
        f"with open({str(record)!r}, 'a') as out:\n"
        "    out.write(json.dumps(sys.argv[1:]) + '\\n')\n"
        "sys.argv[0] = 'loti'\n"
        "runpy.run_module('loti_cli', run_name='__main__')\n"
    )
    loti.chmod(0o755)
    env = {
        key: str(value).replace("${{ github.base_ref }}", "main")
        for key, value in step.get("env", {}).items()
    }
    env["PATH"] = f"{bin_dir}{os.pathsep}{os.environ['PATH']}"
    assert step.get("shell", "bash") == "bash"
    done = run(["bash", "-e", "-c", script], repo, **env)
    calls = (
        [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    )
    return done, calls


AWKWARD_NAMES = [
    "proposals/Covid recovery bid.yaml",  # spaces
    "proposals/two\nlines.yaml",  # a newline
    "proposals/-draft.yaml",  # a leading dash
    "proposals/*.yaml",  # a wildcard a shell would expand
]


def test_the_workflow_passes_each_changed_file_name_whole_to_loti(
    pull_request: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    template = (pull_request / "proposals" / "dc-03.yaml").read_text()
    for number, name in enumerate(AWKWARD_NAMES):
        text = template.replace("id: DC-03", f"id: DC-9{number}")
        (pull_request / name).write_text(text)
    (pull_request / "proposals" / "dc-03.yaml").write_text(template + "# edited\n")
    git(pull_request, "add", "--all")
    git(pull_request, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")

    done, calls = run_step(pull_request, "Check changed proposals", tmp_path_factory.mktemp("step"))

    assert len(calls) == 1, done.stderr
    assert calls[0][:5] == ["proposal", "check", "--proposals", "proposals", "--"]
    assert sorted(calls[0][5:]) == sorted([*AWKWARD_NAMES, "proposals/dc-03.yaml"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert "5 checked, 5 passed, 0 failed" in done.stdout


def test_the_workflow_says_when_no_proposal_changed(
    pull_request: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    (pull_request / "ledgers" / "note.txt").write_text("not a proposal\n")
    git(pull_request, "add", "--all")
    git(pull_request, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x")

    done, calls = run_step(pull_request, "Check changed proposals", tmp_path_factory.mktemp("step"))

    assert done.returncode == 0, done.stderr
    assert done.stdout == "No proposal changed.\n"
    assert calls == []


def test_the_workflow_step_fails_when_the_base_cannot_be_compared(
    repo: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "base")
    # No origin/main: git diff fails, and so must the step, rather than check nothing.
    done, calls = run_step(repo, "Check changed proposals", tmp_path_factory.mktemp("step"))
    assert done.returncode != 0
    assert "origin/main" in done.stderr
    assert calls == []


# ---------------------------------------------------------------------------
# shell completion (Typer's, through the environment variables the shells set)


def complete(words: str, shell: str = "bash") -> list[str]:
    """What `loti` answers a shell asking to complete `words` (the environment variables
    each shell's script sets), in this process: the real `loti` runs in bash_tab."""
    from contextlib import chdir

    from typer._click.shell_completion import split_arg_string  # as Typer splits COMP_WORDS

    from tests.conftest import invoke

    last = "" if words.endswith(" ") else split_arg_string(words)[-1]
    env = {
        "_LOTI_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(split_arg_string(words)) - (0 if words.endswith(" ") else 1)),
        "_TYPER_COMPLETE_ARGS": words,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        "_TYPER_COMPLETE_WORD_TO_COMPLETE": last,
        "LOTI_LEDGER": None,
    }
    with chdir(ROOT):
        done = invoke(env=env)
    assert done.exit_code == 0 and done.stderr == ""
    return [line for line in done.stdout.splitlines() if line]  # as bash's $(...) reads it


def bash_tab(typed: str, tmp_path: Path) -> list[str]:
    """Type `typed` and TAB into an interactive bash that has loti's completion, then
    Enter: the arguments the completed command line gives `loti` (a function here that
    prints them; the completion itself runs the real `loti`)."""
    import pty
    import select

    from typer._completion_shared import get_completion_script

    script = get_completion_script(prog_name="loti", complete_var="_LOTI_COMPLETE", shell="bash")
    rc = tmp_path / "bashrc"
    rc.write_text(
        f"{script}\n"
        "PS1='$ '\n"
        "bind 'set bell-style none' 2>/dev/null\n"
        "loti() { printf 'ARG<%s>\\n' \"$@\"; }\n"
    )
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "TERM": "dumb"}
    env.pop("GITHUB_ACTIONS", None)
    pid, fd = pty.fork()
    if pid == 0:  # the child: an interactive bash in the project folder
        os.chdir(ROOT)
        os.execvpe("bash", ["bash", "--noprofile", "--rcfile", str(rc), "-i"], env)
    # Readline takes one key at a time and completes before it reads the next, so the
    # whole input can be sent at once.
    os.write(fd, f"{typed}\t\rexit\r".encode())
    output = b""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the shell has ended
                break
            if not chunk:
                break
            output += chunk
    os.close(fd)
    os.waitpid(pid, 0)
    text = output.decode(errors="replace").replace("\r", "")
    return re.findall(r"^ARG<(.*?)>$", text, re.MULTILINE | re.DOTALL)


def test_completion_of_rule_codes() -> None:
    assert {"FP1", "FP2", "FP3", "FP4"} <= set(complete("loti rules FP"))
    assert "two-member-boroughs" in complete("loti proposal check --select two")


@pytest.mark.parametrize(
    "command", ["budget status", "budget monitor", "report", "export 360giving"]
)
def test_completion_of_ledger_years(command: str) -> None:
    assert complete(f"loti {command} --year 20") == ["2020-21"]


def test_completion_of_monitoring_periods() -> None:
    assert complete("loti budget monitor --period 2020-1") == ["2020-10", "2020-11", "2020-12"]
    assert complete("loti budget monitor --period 2021") == ["2021-01", "2021-02", "2021-03"]


def test_completion_of_pillar_names() -> None:
    # bash inserts what it is given as it is: a space must come escaped.
    assert complete("loti proposal new --pillar Cov") == ["Covid\\ Recovery"]
    assert complete("loti proposal new --pillar Covid\\ R") == ["Covid\\ Recovery"]
    assert complete("loti proposal new --pillar 'Covid R") == ["Covid\\ Recovery"]
    # zsh and fish quote what they insert themselves; PowerShell takes a quoted string.
    assert complete("loti proposal new --pillar Cov", "zsh") == [
        """_arguments '*: :(("Covid Recovery"))'"""
    ]
    assert complete("loti proposal new --pillar Cov", "fish") == ["Covid Recovery"]
    for shell in ("powershell", "pwsh"):
        assert complete("loti proposal new --pillar Cov", shell) == ["'Covid Recovery'::: "]


def test_completion_of_member_names() -> None:
    assert complete("loti report bo") == ["borough", "boroughs"]
    # from the year's members (the ledger's, boroughs and partners), by a name's beginning
    assert complete("loti report borough Ha") == [
        "Hackney",
        "Hammersmith\\ and\\ Fulham",
        "Havering",
    ]
    assert complete("loti report borough GL") == ["GLA"]
    assert complete("loti report borough --year 2020-21 Lon") == ["London\\ Councils"]
    assert complete("loti report borough Ha", "fish") == [
        "Hackney",
        "Hammersmith and Fulham",
        "Havering",
    ]
    assert complete("loti report borough --ledger nowhere.yaml Ha") == []


def test_completion_of_rule_lists_completes_the_last_item() -> None:
    assert complete("loti proposal check --select FP2,P") == ["FP2,PC1", "FP2,PC5"]
    assert complete("loti proposal check --ignore FP2,PC1,P") == ["FP2,PC1,PC5"]
    # what is listed already is not offered again, by code or by name
    assert complete("loti proposal check --select two-member-boroughs,FP") == [
        "two-member-boroughs,FP1",
        "two-member-boroughs,FP3",
        "two-member-boroughs,FP4",
    ]
    assert complete("loti proposal check --select FP1 --select FP3,F") == ["FP3,FP2", "FP3,FP4"]
    offered = complete("loti proposal check --select FP2,")
    assert "FP2,FP1" in offered and "FP2,valid-amounts" in offered
    assert "FP2,FP2" not in offered and "FP2,two-member-boroughs" not in offered


def test_rule_completion_offers_only_the_rules_the_option_takes() -> None:
    # proposal check runs proposal rules: no ledger (LB) or export (GV) rule
    assert complete("loti proposal check --select L") == []
    assert complete("loti proposal check --ignore FP1,G") == []
    selectable = complete("loti proposal check --select ")
    assert "FP1" in selectable and "IN1" in selectable and "WV1" in selectable
    assert not [word for word in selectable if word.startswith(("LB", "GV"))]
    # a file that is not a valid proposal is always reported: IN1 and IN2 cannot be ignored
    assert complete("loti proposal check --ignore I") == ["IG1", "ID1"]
    # the panel waives only waivable proposal rules, each once
    waivable = complete("loti proposal decide proposals/cr-04.yaml --waive ")
    assert "PC5" in waivable and "FP2" in waivable
    assert not {"ID1", "IN1", "IN2", "LB1", "GV1"} & set(waivable)
    again = "loti proposal decide x.yaml --approve --waive PC5 --reason r --waive P"
    assert complete(again) == ["PC1"]
    # loti rules explains every rule
    assert "LB1" in complete("loti rules L") and "GV1" in complete("loti rules G")


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_bash_words_read_back_as_the_values() -> None:
    from loti_cli.commands.complete import bash_word

    values = ["Covid Recovery", "O'Brien", 'say "hi"', "$HOME", "~root", "a&b;c|d", "*", "#1"]
    line = " ".join(bash_word(value) for value in values)
    done = run(["bash", "--norc", "-c", f"printf '%s\\0' {line}"], ROOT)
    assert done.stdout.split("\0")[:-1] == values
    assert bash_word("FP2,PC1") == "FP2,PC1" and bash_word("2020-21") == "2020-21"


def test_powershell_words_are_quoted_when_they_need_it() -> None:
    from loti_cli.commands.complete import powershell_word

    assert powershell_word("2020-21") == "2020-21"
    assert powershell_word("FP2,PC1") == "'FP2,PC1'"  # a comma makes an array there
    assert powershell_word("Covid Recovery") == "'Covid Recovery'"
    assert powershell_word("O'Brien & co") == "'O''Brien & co'"


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("loti proposal new --pillar Cov", ["proposal", "new", "--pillar", "Covid Recovery"]),
        ("loti proposal new --pillar Covid\\ R", ["proposal", "new", "--pillar", "Covid Recovery"]),
        (
            "loti proposal check --select FP1,FP2,FP3,F",
            ["proposal", "check", "--select", "FP1,FP2,FP3,FP4"],
        ),
    ],
)
def test_bash_inserts_completions_as_one_word(typed: str, words: list[str], tmp_path: Path) -> None:
    assert bash_tab(typed, tmp_path) == words


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
