"""The `loti` script: a shell's completion request answered at once, anything else by the app."""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Answer a completion request without importing Typer where that is sure to give
    Typer's answer (`commands/quick_complete.py`); otherwise run `loti_cli.cli.main`."""
    if os.environ.get("_LOTI_COMPLETE"):
        from loti_cli.commands import quick_complete

        try:
            code = quick_complete.respond()
        except KeyboardInterrupt:
            print("loti: interrupted", file=sys.stderr)
            sys.exit(130)
        if code is not None:
            sys.exit(code)
    from loti_cli.cli import main as run

    run()
