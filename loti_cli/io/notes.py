"""Small notes in `.loti_cache/`, each kept for a file while its size, times and inode stay
the same (the pillars a TAB offers); read without importing the answers cache."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

FOLDER = ".loti_cache"
OFF_ENV = "LOTI_NO_CACHE"
RACY = 2
"""Seconds: as the answers cache, a file modified this recently is not noted."""


def _on() -> bool:
    return os.environ.get(OFF_ENV, "").strip() in ("", "0")


def noted(root: Path, name: str, path: Path) -> Any | None:
    """What `note` kept for the file at `path`, while its size, times and inode are the same
    (None: nothing kept, the file changed, or the cache is off or unreadable)."""
    if not _on():
        return None
    try:
        found = path.stat()
        data = json.loads((root / FOLDER / f"{name}.json").read_bytes())
    except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return None
    kept = data.get(os.path.realpath(path)) if isinstance(data, dict) else None
    stat = [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]
    if isinstance(kept, list) and len(kept) == 2 and kept[0] == stat:
        return kept[1]
    return None


def note(root: Path, name: str, path: Path, value: Any) -> None:
    """Keep `value`, made from the file at `path`, in `.loti_cache/<name>.json` under `root`,
    with the file's size, times and inode (not for a file modified within RACY seconds)."""
    if not _on():
        return
    file = root / FOLDER / f"{name}.json"
    try:
        found = path.stat()
        if found.st_mtime_ns >= time.time_ns() - RACY * 1_000_000_000:
            return
        try:
            data = json.loads(file.read_bytes())
        except (OSError, ValueError, RecursionError):
            data = {}
        data = data if isinstance(data, dict) and len(data) < 100 else {}
        stat = [found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino]
        data[os.path.realpath(path)] = [stat, value]
        from loti_cli.io.cache import replace_json

        replace_json(file, data)
    except (OSError, ValueError):
        return  # a read-only folder: the next TAB reads the ledger again
