"""What the output stream is: a terminal that wants colour, and how wide; no rich import."""

from __future__ import annotations

import os
import shutil
import sys
from typing import TextIO


def wants_color(choice: str = "auto", stream: TextIO | None = None) -> bool:
    """Never with NO_COLOR or `never`; always with `always` or FORCE_COLOR; else on a terminal."""
    if choice == "never" or os.environ.get("NO_COLOR"):  # NO_COLOR wins, as its convention says
        return False
    if choice == "always":
        return True
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
