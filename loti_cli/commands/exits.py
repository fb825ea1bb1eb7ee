"""How a command stops on a LotiError: the words `loti` prints for it, then its exit code."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from loti_cli.errors import LotiError


def fail(error: LotiError) -> NoReturn:
    """Print the error as `loti` would and exit with its code.

    `loti`'s own handler prints the same words; doing it here too means tests that go
    through the runner, which never reaches that handler, see them as a user does.
    """
    print(f"loti: error: {error.message}", file=sys.stderr)
    for detail in error.details:
        print(detail, file=sys.stderr)
    raise typer.Exit(int(error.exit_code)) from None
