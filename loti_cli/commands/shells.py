"""Typer's completion for loti's command group: words quoted for the shells that need it."""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from typing import Any

from typer.core import TyperGroup

from loti_cli.commands.complete import bash_word, help_text, powershell_word


class Group(TyperGroup):
    """The `loti` command group: Typer's completion, with words quoted for the shells that
    insert completions unquoted (bash, PowerShell); zsh and fish quote them themselves."""

    def _main_shell_completion(
        self, ctx_args: MutableMapping[str, Any], prog_name: str, complete_var: str | None = None
    ) -> None:
        _quote_for_shells()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


def _quote_for_shells() -> None:
    # Typer registers its shell classes each time it builds the command, so this runs just
    # before the completion is written.
    from typer import _completion_classes
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete, PowerShellComplete

    _completion_classes._sanitize_help_text = help_text

    add_completion_class(_quoting(BashComplete, bash_word), "bash")
    for name in ("powershell", "pwsh"):
        add_completion_class(_quoting(PowerShellComplete, powershell_word), name)


def _quoting(base: type[Any], quote: Callable[[str], str]) -> type[Any]:
    def format_completion(self: Any, item: Any) -> str:
        item.value = quote(str(item.value))
        return str(base.format_completion(self, item))

    return type(f"Quoting{base.__name__}", (base,), {"format_completion": format_completion})
