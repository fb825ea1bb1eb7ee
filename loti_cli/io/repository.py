"""The repository a path belongs to: the nearest folder at or above it that holds `.git`."""

from __future__ import annotations

from pathlib import Path


def repository_top(start: Path) -> Path | None:
    """The top folder of the git repository holding `start` (resolved), or None outside one.

    `.git` is a folder in a clone and a file in a worktree or submodule; either counts.
    No git command is run, so this works where git is not installed.
    """
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None
