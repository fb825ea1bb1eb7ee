"""Rich consoles for people: colour only on a terminal, never with NO_COLOR or --no-color."""

from __future__ import annotations

import io

from rich.console import Console

from loti_cli.report import RenderOptions


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
