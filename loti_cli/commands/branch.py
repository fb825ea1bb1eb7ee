"""Build only the branch of the command tree that a command line names, so start-up stays short.

Typer turns every command of an app into a Click command before it runs one,
reading each function's signature and evaluating its annotations: for every
command of loti, a large part of what `loti rules` or a TAB press takes. `branch`
gives a copy of the app in which each group named on the command line holds only
the command named after it. Where a word is an option, or names no command, or
the shell is still completing it, the group keeps all its commands, so that help,
usage errors, suggestions and completions of command names are unchanged. (The
app itself stays a group: loti's has a callback, for --version.) `evaluate` then
evaluates the annotations of what is left once, where Typer would evaluate each
function's four times.
"""

from __future__ import annotations

import copy
import os
import sys
import types
import typing

import typer
from typer.models import CommandInfo, TyperInfo

COMPLETE_VAR = "_LOTI_COMPLETE"
"""Set by the shell completion scripts to ask for completions instead of a run."""


def typed_words() -> list[str]:
    """The words after `loti` that are complete: the arguments, or when the shell asks for
    completions, the words before the one being completed (none when the line cannot be split)."""
    shell = os.environ.get(COMPLETE_VAR)
    if shell is None:
        return sys.argv[1:]
    import shlex

    try:
        if "bash" in shell:  # as Typer's bash completion reads the line
            words = shlex.split(os.environ.get("COMP_WORDS", ""))
            return words[1 : int(os.environ.get("COMP_CWORD", "0"))]
        words = shlex.split(os.environ.get("_TYPER_COMPLETE_ARGS", ""))
    except ValueError:  # an unclosed quote, a COMP_CWORD that is not a number
        return []
    return words[1:-1]  # the last word is being completed (or already complete: then unused)


def branch(app: typer.Typer, words: list[str]) -> typer.Typer:
    """A copy of `app` holding, at each level, only the command or group `words` name."""
    if not words or words[0].startswith("-"):
        return app
    named = _named(app)
    if named is None or words[0] not in named:
        return app
    found = named[words[0]]
    narrow = copy.copy(app)
    if isinstance(found, CommandInfo):
        narrow.registered_commands, narrow.registered_groups = [found], []
    else:
        group = copy.copy(found)
        assert group.typer_instance is not None
        group.typer_instance = branch(group.typer_instance, words[1:])
        narrow.registered_commands, narrow.registered_groups = [], [group]
    return narrow


def _named(app: typer.Typer) -> dict[str, CommandInfo | TyperInfo] | None:
    """The app's commands and groups by name, as Typer resolves them (a group overrides a
    command of the same name, a later one an earlier one); None when a name is left to Typer."""
    named: dict[str, CommandInfo | TyperInfo] = {}
    for command in app.registered_commands:
        if not isinstance(command.name, str):
            return None
        named[command.name] = command
    for group in app.registered_groups:
        if not isinstance(group.name, str) or group.typer_instance is None:
            return None
        named[group.name] = group
    return named


def evaluate(app: typer.Typer) -> typer.Typer:
    """`app`, with the annotations of its functions evaluated (they are strings under
    `from __future__ import annotations`), so that Typer reads them as they are."""
    infos = [*app.registered_commands, *app.registered_groups, app.registered_callback, app.info]
    for function in (info.callback for info in infos if info is not None):
        if isinstance(function, types.FunctionType):
            function.__annotations__ = typing.get_type_hints(function, include_extras=True)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            evaluate(group.typer_instance)
    return app
