"""Every command has help with an example, and a section of its own in the README."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.core import TyperGroup

from loti_cli.cli import app

README = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")


def commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, Any]]:
    if isinstance(group, TyperGroup) and group.commands:
        for name, command in group.commands.items():
            yield from commands(command, (*path, name))
    else:
        yield " ".join(("loti", *path)), group


LEAVES = dict(commands(typer.main.get_command(app)))


GROUPS = {
    name: command
    for name, command in (
        (" ".join(("loti", n)), c) for n, c in typer.main.get_command(app).commands.items()
    )
    if isinstance(command, TyperGroup) and command.commands
}


@pytest.mark.parametrize("name", sorted(GROUPS))
def test_command_group_help_has_an_example(name: str) -> None:
    assert re.search(r"^\s*Examples?:", GROUPS[name].help or "", re.MULTILINE), name


def test_there_are_commands() -> None:
    assert {"loti budget status", "loti proposal check", "loti rules"} <= set(LEAVES)


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_command_has_help_with_an_example(name: str) -> None:
    command = LEAVES[name]
    assert command.help, f"{name} has no help text"
    assert re.search(r"^\s*Examples?:", command.help, re.MULTILINE), f"{name} help has no example"
    assert name.removeprefix("loti ") in command.help.replace("\n", " ") or "loti" in command.help


@pytest.mark.parametrize("name", sorted(LEAVES))
def test_command_has_a_readme_section(name: str) -> None:
    # A command has a section of its own, or shares its group's (`loti schema`).
    group = name.rsplit(" ", 1)[0]
    assert f"## `{name}`" in README or (group != "loti" and f"## `{group}`" in README), (
        f"README has no '## `{name}`' section"
    )


def test_readme_has_the_quick_start() -> None:
    assert "uv run loti budget status" in README
    assert "uv run pytest" in README
