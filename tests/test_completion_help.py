"""zsh and fish show each rule's summary as Typer's renderer would, without importing it."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from loti_cli.commands import catalogue
from loti_cli.commands.complete import help_text

ROOT = Path(__file__).parents[1]
LOTI = str(Path(sys.executable).with_name("loti"))

HOSTILE = [
    "[bold]markup[/bold] and [link=x]a link[/link]",
    "an emoji :smile: and \\\\:escaped\\\\: colons",
    "a summary long enough to be wrapped by a narrow terminal, " * 3,
    "tab\tand\x1b[31mescape",
    "a trailing space ",
    "  two leading spaces and  two inside",
    "x" * 80,
    "y" * 81,
    "words " * 13 + "end",
    "quotes \"\" '' \\$ \\` as zsh escapes them",
    "aaaa     bbbb " * 12,
    "short " + "z" * 50 + " tail " + "w" * 130,
    " leading space, then words " * 4,
    "Colour the output\\\\: auto (on a terminal), always, never.",
    "one: two: three, and a time 10:30",
    "a time 10:30:45 and :smile:x: and ::",
    "a colon at the end:",
    ":smile:",
]
"""Texts where rich's rendering changes what is shown: Typer's and loti's must agree."""


@pytest.mark.parametrize(
    ("env", "terminal"),
    [
        ({}, None),
        ({"TERMINAL_WIDTH": "30"}, None),
        ({"COLUMNS": "24"}, None),
        ({"FORCE_COLOR": "1"}, None),
        ({"TERM": "dumb"}, None),
        ({}, 100),
        ({}, 41),
        ({"COLUMNS": "57"}, 120),
    ],
    ids=[
        "default",
        "terminal-width",
        "columns",
        "force-color",
        "dumb",
        "tty-100",
        "tty-41",
        "both",
    ],
)
def test_summaries_render_as_typer_renders_them(env: dict[str, str], terminal: int | None) -> None:
    texts = [rule.summary for rule in catalogue.rules()] + HOSTILE
    script = (
        "import json, sys\n"
        "from typer.rich_utils import rich_render_text\n"
        "from loti_cli.commands.complete import help_text\n"
        "texts = json.load(sys.stdin)\n"
        "from rich.console import Console\n"
        "pairs = [[rich_render_text(t), help_text(t)] for t in texts]\n"
        "print(json.dumps({'width': Console().width, 'pairs': pairs}))\n"
    )
    script = script.replace("json.load(sys.stdin)", repr(texts))
    environment = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "TERMINAL_WIDTH")}
    stdin: int | None = None
    if terminal is not None:  # rich asks the terminal on standard input for its width
        other, stdin = pty.openpty()
        fcntl.ioctl(stdin, termios.TIOCSWINSZ, struct.pack("HHHH", 24, terminal, 0, 0))
    try:
        done = subprocess.run(
            [sys.executable, "-c", script],
            stdin=stdin,
            env={**environment, **env},
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
    finally:
        if stdin is not None:
            os.close(stdin)
            os.close(other)
    answer = json.loads(done.stdout)
    if terminal is not None and "COLUMNS" not in env:
        assert answer["width"] == terminal
    pairs = answer["pairs"]
    assert len(pairs) == len(texts)
    for typers, ours in pairs:
        assert ours == typers


def test_plain_text_comes_back_as_it_is() -> None:
    assert help_text("at least two LOTI member boroughs lead or deliver the project") == (
        "at least two LOTI member boroughs lead or deliver the project"
    )


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_zsh_and_fish_completion_skip_typers_help_renderer(shell: str) -> None:
    watch = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: print([m for m in ('typer.rich_utils', 'rich.console') if m in sys.modules] or 'light', "
        "file=sys.stderr))\n"
        f"sys.argv = [{LOTI!r}]\n"
        f"runpy.run_path({LOTI!r}, run_name='__main__')\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOTI_", "_LOTI"))}
    env.update(
        _LOTI_COMPLETE=f"complete_{shell}",
        _TYPER_COMPLETE_ARGS="loti rules FP2",
        _TYPER_COMPLETE_FISH_ACTION="get-args",
    )
    done = subprocess.run(
        [sys.executable, "-c", watch],
        env=env,
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert done.stderr.strip().splitlines()[-1] == "light", done.stderr
    assert "at least two LOTI member boroughs lead or deliver the project" in done.stdout
