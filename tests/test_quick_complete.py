"""A completion request answered without Typer gives Typer's answer, byte for byte.

`loti` answers bash, zsh and fish from `loti_cli/data/completion.json` when it can
(`commands/quick_complete.py`) and leaves the rest to Typer. Each line of the grid
is asked of both, in this process, for each shell: where the quick answer is given,
it must be Typer's (its words, their order, quoting and help, the exit code).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from loti_cli.commands import completion_data, quick_complete
from loti_cli.commands.quick_complete import split_arg_string
from tests.conftest import CLEAN_ENV, Run, invoke

ROOT = Path(__file__).parents[1]
LOTI = str(Path(sys.executable).with_name("loti"))
SHELLS = ("bash", "zsh", "fish")


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository's ledgers and proposals: completion reads them (and notes
    pillars in `.loti_cache/`) from the folder it runs in."""
    folder = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "ledgers", folder / "ledgers")
    shutil.copytree(ROOT / "proposals", folder / "proposals")
    return folder


def request(words: str, shell: str, **extra: str | None) -> dict[str, str | None]:
    """The environment each shell's script sets when TAB is pressed after `words`."""
    count = len(split_arg_string(words)) - (0 if words.endswith(" ") or not words else 1)
    return {
        "_LOTI_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": words,
        "COMP_CWORD": str(count),
        "_TYPER_COMPLETE_ARGS": words,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        **extra,
    }


def quick(env: dict[str, str | None]) -> Run | None:
    """The quick answer in this process, or None when it leaves the request to Typer."""
    with CliRunner().isolation(env={**CLEAN_ENV, **env}) as (stdout, stderr, output):
        argv = sys.argv
        sys.argv = ["loti"]
        try:
            code = quick_complete.respond()
        finally:
            sys.argv = argv
        sys.stdout.flush()
        if code is None:
            assert stdout.getvalue() == b""
            return None
        return Run(code, stdout.getvalue(), stderr.getvalue(), output.getvalue())


def same(env: dict[str, str | None]) -> bool:
    """Whether the quick answer was given, and is Typer's (asserted)."""
    fast = quick(env)
    if fast is None:
        return False
    typers = invoke(env=env)
    assert (fast.exit_code, fast.stdout, fast.stderr) == (
        typers.exit_code,
        typers.stdout,
        typers.stderr,
    ), env
    return True


def commands(level: dict[str, Any], path: str = "loti") -> Iterator[tuple[str, dict[str, Any]]]:
    yield path, level
    for name, sub in level.get("commands", []):
        yield from commands(sub, f"{path} {name}")


def tree() -> dict[str, Any]:
    root = completion_data.read()
    assert root is not None, "loti_cli/data/completion.json is not current"
    return root


def grid() -> list[str]:
    """For every command: its subcommands, its options' names, each option's values
    (after the option, after `--opt=`, partly typed), after `--`, unknown words."""
    lines = []
    for path, level in commands(tree()):
        lines += [f"{path} ", f"{path} -", f"{path} --", f"{path} --n", f"{path} -- -"]
        lines += [f"{path} -- ", f"{path} nowhere ", f"{path} --nowhere ", f"{path} x -"]
        for param in level["params"]:
            if not param["option"]:
                continue
            opt = param["opts"][0]
            if param["flag"]:
                lines.append(f"{path} {opt} -")
                continue
            choices = param["complete"].get("choices") or ["a"]
            lines += [f"{path} {opt} ", f"{path} {opt} {choices[-1][:1]}"]
            lines += [f"{path} {opt}=", f"{path} {opt}={choices[0][:2]}", f"{path} {opt} x -"]
            if param["opts"][-1] != opt:
                lines.append(f"{path} {param['opts'][-1]} {choices[0][:1]}")
    return lines


HAND = [
    "",
    "loti",
    "loti pro",
    "loti Pro",
    "loti proposal check --select F",
    "loti proposal check --select FP2,P",
    "loti proposal check --select FP1 --select FP3,F",
    "loti proposal check --closing --select C",
    "loti proposal check --select=two",
    "loti proposal check proposals --ignore FP",
    "loti proposal check --format json --select FP",
    "loti proposal check -fjson --select F",
    "loti proposal check -f json -j 2 --c",
    "loti proposal check -- --select ",
    "loti proposal check --select",
    "loti proposal check --strict --st",
    "loti proposal check --output a --output b -",
    "loti proposal check --bogus --select F",
    "loti proposal check --strict=yes --select F",
    "loti proposal decide proposals/cr-04.yaml --waive ",
    "loti proposal decide x.yaml --approve --waive PC5 --reason r --waive P",
    "loti proposal new --pillar C",
    "loti proposal new --pillar 'Covid R",
    "loti proposal new --pillar Covid\\ R",
    'loti proposal new --pillar "Smarter ',
    "loti proposal new --pillar cov",
    "loti proposal new --status ",
    "loti proposal new --title --pillar ",
    "loti proposal new --title x --year 20",
    "loti proposal rank --call ",
    "loti proposal rank --call C",
    "loti budget status --year 2",
    "loti budget status -y 2",
    "loti budget status -y2",
    "loti budget status --year=2",
    "loti budget status --ledger ledgers/2020-21.yaml --year ",
    "loti budget monitor --period 2020-1",
    "loti budget what-if proposals/cr-04.yaml --",
    "loti report borough Ha",
    "loti report borough --year 2020-21 Lon",
    "loti report borough --ledger nowhere.yaml Ha",
    "loti report borough --ledger ledgers/2020-21.yaml Ha",
    "loti report --year 2020-21 bo",
    "loti report --year 2020-21 borough Ha",
    "loti report --format html b",
    "loti report -f",
    "loti rules FP",
    "loti rules two",
    "loti rules FP2 ",
    "loti rules FP2 -",
    "loti rules --format json F",
    "loti rules -fjson F",
    "loti --version rules F",
    "loti -V ",
    "loti -Vh -",
    "loti --help --",
    "loti budgte st",
    "loti schema ",
    "loti export 360giving --format b",
    "loti export 360giving --ledger ledgers/2020-21.yaml --year 20",
    "loti 'proposal' 'check' --select F",
    "loti proposal check --select 'F",
    'loti proposal check --select "two-',
    'loti proposal check "',
    "loti proposal check x\\",
]


@pytest.mark.parametrize("words", HAND)
def test_hand_written_lines_are_answered_as_typer_answers(
    words: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    for shell in SHELLS:
        same(request(words, shell))


def test_every_command_and_option_is_answered_as_typer_answers(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    lines = grid()
    answered = [words for words in lines if same(request(words, "bash"))]
    for words in lines[::7]:  # zsh and fish show help beside each word
        same(request(words, "zsh"))
        same(request(words, "fish"))
    assert len(lines) > 500 and len(answered) > 0.9 * len(lines)


def test_random_lines_are_answered_as_typer_answers(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Words drawn at random from the commands' names, options, values and oddities."""
    monkeypatch.chdir(project)
    words = {"--", "-", "=", "x", "'a b'", '"q', "FP2", "2020-21", "-fjson", "-y2"}
    for path, level in commands(tree()):
        words.update(path.split()[1:])
        for param in level["params"]:
            words.update(param["opts"])
            words.update(f"{opt}=v" for opt in param["opts"] if opt.startswith("--"))
    pool = sorted(words)
    chance = random.Random(2020)
    for _ in range(150):
        line = " ".join(["loti", *chance.choices(pool, k=chance.randint(0, 5))])
        line += chance.choice(["", " ", " -", " --", " F", " 2"])
        same(request(line, chance.choice(SHELLS)))


@pytest.mark.parametrize(
    ("pillar", "answered"),
    [
        ("Café Recovery", True),
        ("Covid [bold]Recovery[/bold]", True),
        ("Covid: :smile: Recovery", True),
        ("Covid \x1b[31mRecovery", False),  # Click's echo strips the escape: Typer answers
    ],
)
def test_hostile_pillar_names_are_answered_as_typer_answers(
    pillar: str, answered: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    for ledger in (tmp_path / "ledgers").glob("*.yaml"):
        text = ledger.read_text(encoding="utf-8")
        text = text.replace("pillar: Covid Recovery", f"pillar: {json.dumps(pillar)}")
        ledger.write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for shell in SHELLS:
        assert same(request("loti proposal new --pillar C", shell)) is answered
        assert invoke(env=request("loti proposal new --pillar C", shell)).stdout.strip()


@pytest.mark.parametrize("action", ["is-args", "get-args", "", "other"])
@pytest.mark.parametrize("words", ["loti rules FP", "loti rules FP9", "loti proposal new x.yaml "])
def test_fish_actions_are_answered_as_typer_answers(
    action: str, words: str, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    assert same(request(words, "fish", _TYPER_COMPLETE_FISH_ACTION=action))


@pytest.mark.parametrize(
    "env",
    [
        {"COMP_CWORD": "1"},
        {"COMP_CWORD": "-1"},
        {"COMP_CWORD": "9"},
        {"COMP_CWORD": "two"},
        {"COMP_WORDS": None},
        {"TERMINAL_WIDTH": "20"},
    ],
)
def test_unusual_bash_variables_are_answered_as_typer_answers(
    env: dict[str, str | None], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    for shell in SHELLS:
        same({**request("loti proposal check --select F", shell), **env})


@pytest.mark.parametrize(
    "env",
    [
        {"_LOTI_COMPLETE": "source_bash"},
        {"_LOTI_COMPLETE": "complete_powershell"},
        {"_LOTI_COMPLETE": "complete_pwsh"},
        {"_LOTI_COMPLETE": "complete"},
        {"_LOTI_COMPLETE": "complete_tcsh"},
    ],
)
def test_what_it_does_not_know_is_left_to_typer(env: dict[str, str | None]) -> None:
    assert quick({**request("loti rules FP", "bash"), **env}) is None


def test_the_common_requests_are_answered_without_typer(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    for words in [
        "loti ",
        "loti proposal check --select F",
        "loti budget status --year 2",
        "loti proposal new --pillar C",
        "loti rules FP",
        "loti report borough Ha",
        "loti proposal check -",
    ]:
        for shell in SHELLS:
            assert same(request(words, shell)), (words, shell)


# ---------------------------------------------------------------------------
# the file, kept current by the tests; a file not current is not used


def test_the_completion_file_is_current() -> None:
    text = completion_data.write()
    if os.environ.get("LOTI_UPDATE_GOLDEN") == "1":
        completion_data.PATH.write_text(text, encoding="utf-8")
    assert completion_data.PATH.read_text(encoding="utf-8") == text, (
        "loti_cli/data/completion.json was written from other commands than loti has now; "
        "run `LOTI_UPDATE_GOLDEN=1 uv run pytest tests/test_quick_complete.py` and commit it"
    )
    assert completion_data.read() is not None


@pytest.mark.parametrize(
    "change",
    [
        lambda data: {**data, "source": "00000000"},
        lambda data: {**data, "typer": "0.0.1"},
        lambda data: {**data, "files": ["nowhere.py"]},
        lambda data: {key: value for key, value in data.items() if key != "root"},
        lambda data: [],
    ],
)
def test_a_file_not_current_is_left_to_typer(
    change: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = json.loads(completion_data.PATH.read_text(encoding="utf-8"))
    (tmp_path / "completion.json").write_text(json.dumps(change(data)), encoding="utf-8")
    monkeypatch.setattr(completion_data, "PATH", tmp_path / "completion.json")
    monkeypatch.chdir(ROOT)
    env = request("loti rules FP", "bash")
    assert quick(env) is None
    assert invoke(env=env).stdout.split() == ["FP1", "FP2", "FP3", "FP4"]


def test_a_changed_command_makes_the_file_not_current(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(completion_data.PACKAGE / "commands", tmp_path / "commands")
    shutil.copy(completion_data.PACKAGE / "cli.py", tmp_path / "cli.py")
    monkeypatch.setattr(completion_data, "PACKAGE", tmp_path)
    assert completion_data.read() is not None
    rules = tmp_path / "commands" / "rules.py"
    rules.write_text(rules.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert completion_data.read() is None


# ---------------------------------------------------------------------------
# a real TAB press: the `loti` script, in a fresh interpreter

WATCH = """
import atexit, json, runpy, sys
atexit.register(lambda: print("imported:" + json.dumps(
    sorted({m.split(".")[0] for m in sys.modules} & {"typer", "click", "pydantic", "rich"})
), file=sys.stderr))
sys.argv = [sys.argv[1]]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


@pytest.mark.parametrize("shell", SHELLS)
@pytest.mark.parametrize(
    ("words", "offered"),
    [
        ("loti proposal check --select F", "FP1"),
        ("loti budget status --year 2", "2020-21"),
        ("loti rules FP2", "FP2"),
        ("loti pro", "proposal"),
        ("loti budget status --c", "--color"),
        ("loti report borough --year 2020-21 Lon", "London"),
    ],
)
def test_a_tab_press_imports_neither_typer_nor_pydantic(
    shell: str, words: str, offered: str, project: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOTI_", "_LOTI", "_TYPER"))}
    env.update({k: v for k, v in request(words, shell).items() if v is not None})
    done = subprocess.run(
        [sys.executable, "-c", WATCH, LOTI],
        cwd=project,
        env={**env, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    *rest, report = done.stderr.rstrip("\n").split("\n")
    assert (done.returncode, rest, report) == (0, [], "imported:[]")
    assert offered in done.stdout


TYPERS = "import sys; sys.argv[0] = 'loti'; from loti_cli.cli import main; main()"
"""The `loti` command as it ran before: every request answered by Typer."""


@pytest.mark.parametrize(
    ("words", "action"),
    [
        ("loti proposal check --select F", "get-args"),
        ("loti proposal new --pillar C", "get-args"),
        ("loti rules FP9", "is-args"),
        ("loti budget -", "get-args"),
    ],
)
def test_the_loti_script_answers_as_typer_answers(words: str, action: str, project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOTI_", "_LOTI", "_TYPER"))}
    for shell in SHELLS:
        extra = request(words, shell, _TYPER_COMPLETE_FISH_ACTION=action)
        given = {**env, **{k: v for k, v in extra.items() if v is not None}, "PYTHONHASHSEED": "1"}
        fast, typers = (
            subprocess.run(
                command, cwd=project, env=given, capture_output=True, timeout=60, check=False
            )
            for command in ([LOTI], [sys.executable, "-c", TYPERS])
        )
        assert (fast.returncode, fast.stdout, fast.stderr) == (
            typers.returncode,
            typers.stdout,
            typers.stderr,
        )
