"""The one place a LotiError becomes what the user sees: `loti: error: ...` and its exit code."""

from __future__ import annotations

import sys
from typing import Any

import typer
from typer._click.core import Context

from loti_cli.commands.shells import Group
from loti_cli.errors import LotiError


def report(error: LotiError) -> int:
    """Print the error as `loti` does, on stderr, and return its exit code. A name it quotes
    (a path, an option's value) is shown with any character a terminal would obey or hide
    as an escape."""
    from loti_cli.core.findings import visible

    print(f"loti: error: {visible(error.message)}", file=sys.stderr)
    for detail in error.details:
        print(visible(detail), file=sys.stderr)
    return int(error.exit_code)


class Loti(Group):
    """The `loti` command group. Every command runs inside its `invoke`, so a LotiError
    raised anywhere in one stops here, for the real entry point and Typer's runner alike;
    commands raise it and never print an error or choose its exit code themselves."""

    def invoke(self, ctx: Context) -> Any:
        try:
            return super().invoke(ctx)
        except LotiError as error:
            raise typer.Exit(report(error)) from None
