"""A LotiError raised in any command reaches the user the same way: `loti: error: ...`
and its details on stderr, exit 2, never a traceback; in-process and in a real process."""

from __future__ import annotations

import copy
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import typer
from typer.core import TyperGroup
from typer.main import get_command
from typer.models import CommandInfo
from typer.testing import CliRunner

from loti_cli.cli import build
from loti_cli.commands.branch import _named
from loti_cli.errors import LotiError
from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent


def _leaves(command: TyperGroup, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, sub in command.commands.items():
        if isinstance(sub, TyperGroup):
            yield from _leaves(sub, (*path, name))
        else:
            yield (*path, name)


def _every_command() -> list[tuple[str, ...]]:
    group = get_command(build())
    assert isinstance(group, TyperGroup)
    return sorted(_leaves(group))


def test_every_command_is_covered() -> None:
    commands = _every_command()
    assert ("budget", "status") in commands
    assert ("proposal", "decide") in commands
    assert ("rules",) in commands
    assert len(commands) >= 8


def _refuse() -> None:
    raise LotiError("cannot do that: here is why", details=("first detail", "second detail"))


def _refusing(app: typer.Typer, words: tuple[str, ...]) -> typer.Typer:
    """A copy of `app` in which the command `words` name only raises a LotiError."""
    named = _named(app)
    assert named is not None
    found = named[words[0]]
    copied = copy.copy(app)
    if isinstance(found, CommandInfo):
        assert len(words) == 1
        changed = copy.copy(found)
        changed.callback = _refuse
        copied.registered_commands = [
            changed if info is found else info for info in app.registered_commands
        ]
    else:
        group = copy.copy(found)
        assert group.typer_instance is not None
        group.typer_instance = _refusing(group.typer_instance, words[1:])
        copied.registered_groups = [
            group if info is found else info for info in app.registered_groups
        ]
    return copied


EXPECTED = "loti: error: cannot do that: here is why\nfirst detail\nsecond detail\n"


@pytest.mark.parametrize("words", _every_command(), ids=" ".join)
def test_a_lotierror_in_any_command_is_one_message_and_exit_2(
    words: tuple[str, ...], cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through Typer's runner on the app, and through the entry point `loti` runs."""
    from loti_cli import cli as entry

    result = CliRunner().invoke(_refusing(build(), words), list(words), prog_name="loti")
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", EXPECTED)

    built = entry.build
    monkeypatch.setattr(entry, "build", lambda only=None: _refusing(built(only), words))
    run = cli(*words)
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", EXPECTED)


def _python_m(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "loti_cli", *args],
        check=False,
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "LANG": "C.UTF-8"},
        timeout=60,
    )


CANNOT_RUN = [
    ["budget", "status", "--ledger", "nowhere.yaml"],
    ["budget", "what-if", "nowhere.yaml"],
    ["proposal", "check", "nowhere.yaml"],
    ["proposal", "decide", "p.yaml", "--reject", "--panel", "2020-13-01"],
    ["proposal", "new", "--ledger", "nowhere.yaml", "--no-input"],
    ["report", "--ledger", "nowhere.yaml"],
    ["export", "360giving", "--ledger", "nowhere.yaml"],
    ["rules", "NOWHERE"],
]


@pytest.mark.parametrize("args", CANNOT_RUN, ids=" ".join)
def test_a_real_process_says_the_same_as_the_runner(
    args: list[str], tmp_path: Path, cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m loti_cli` and the in-process run print the same words and exit 2."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.yaml").write_text("id: X\n", encoding="utf-8")
    done = _python_m(*args, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("loti: error: ")
    assert "Traceback" not in done.stderr
    run = cli(*args)
    assert (run.exit_code, run.stdout, run.stderr) == (2, done.stdout, done.stderr)
