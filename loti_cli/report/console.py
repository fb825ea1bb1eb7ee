"""Rich consoles for people: colour only on a terminal, never with NO_COLOR or --no-color."""

from __future__ import annotations

import io
import os
import shutil
import sys
from typing import TextIO

from rich.console import Console

from loti_cli.report import RenderOptions


def wants_color(choice: str = "auto", stream: TextIO | None = None) -> bool:
    """`always`/`never` win; `auto` means a terminal, unless NO_COLOR is set (FORCE_COLOR forces)."""
    if choice == "always":
        return True
    if choice == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    target = stream or sys.stdout
    return bool(getattr(target, "isatty", lambda: False)())


def terminal_width(stream: TextIO | None = None) -> int:
    """The terminal's width, or 100 columns for a pipe (COLUMNS overrides both)."""
    target = stream or sys.stdout
    if os.environ.get("COLUMNS", "").isdigit():
        return max(40, int(os.environ["COLUMNS"]))
    if getattr(target, "isatty", lambda: False)():
        return max(40, shutil.get_terminal_size((100, 24)).columns)
    return 100


def recording_console(options: RenderOptions) -> tuple[Console, io.StringIO]:
    """A console that writes into a string, with the colour and width asked for."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=options.color,
        no_color=not options.color,
        color_system="standard" if options.color else None,
        width=options.width,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    return console, buffer
