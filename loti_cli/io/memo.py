"""A memo in `.loti_cache/`: what a whole run made of a set of files, kept while every one of
them keeps its size, modification and change times and inode (the change time moves
when permissions do), so an unchanged portfolio is answered without reading or judging
any file.

A memo is two JSON lines: the files it was made from (the SHA-256 of each one's real
path, path as shown, size, times and inode) with the SHA-256 of the second line, then
what was made of them. The second line is decoded only when the
first matches the files as they are now, so a stale memo costs one short read. As in
the answers cache, a memo is written only when no file was modified within RACY seconds
of the run's start (a later change in the same instant could keep them all), is
replaced in one step (two runs at once never corrupt it), and is ignored, never
trusted, when it cannot be read or parsed. The caller's key names everything else the
answer depends on (loti's code, the ledgers, the options, the date).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from loti_cli.io.notes import FOLDER, RACY

FORMAT = 3
"""The layout of a memo's first line; raise it when it changes shape."""

Row = tuple[str, str, int, int, int, int]
"""A file as a memo saw it: real path, path as shown, size, modification and change times
(ns; the change time moves when a file's permissions do) and inode."""


Stat = tuple[int, int, int, int]
"""A file's size, modification and change times (ns) and inode, as a Row holds them."""


def stat_of(path: str | Path) -> Stat | None:
    """A file's size, times and inode now (None: it cannot be stat'ed)."""
    try:
        found = os.stat(path)  # noqa: PTH116 - as stat_rows does
    except OSError:
        return None
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def stat_rows(files: Sequence[tuple[str, str]]) -> list[Row] | None:
    """Each (real path, path as shown) with its size, time and inode now; None when one
    cannot be stat'ed (a file that cannot be read is judged afresh, with its message)."""
    rows: list[Row] = []
    append = rows.append
    stat = os.stat
    try:
        for real, shown in files:
            found = stat(real)
            append((real, shown, found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino))
    except OSError:
        return None
    return rows


@dataclass(slots=True)
class Memo:
    """One memo file: `load` what it holds for these files, `save` what a run made of them."""

    file: Path
    rows: list[Row]
    started: int
    """When the run began (ns): files modified within RACY seconds of it are not memoised."""

    @classmethod
    def at(cls, root: Path, kind: str, key: str, rows: list[Row]) -> Memo:
        digest = hashlib.sha256(f"{kind}\0{key}".encode()).hexdigest()[:24]
        return cls(root / FOLDER / f"{kind}-{digest}.json", rows, time.time_ns())

    def load(self) -> Any | None:
        """What was made of exactly these files as they are now, or None."""
        try:
            with self.file.open("rb") as memo:
                head, line = json.loads(memo.readline()), memo.readline()
            # Damaged anywhere, or made of other files: never trusted.
            if head != {**self._head(), "made": _digest(line)}:
                return None
            return json.loads(line)
        except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
            return None

    def _head(self) -> dict[str, Any]:
        """The first line: the files, as a digest of each one's row (one short line to read
        and compare, however many files there are)."""
        text = "\n".join(f"{r}\0{s}\0{a}\0{b}\0{c}\0{d}" for r, s, a, b, c, d in self.rows)
        digest = hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()
        return {"format": FORMAT, "files": len(self.rows), "digest": digest}

    def save(self, made: Any) -> None:
        """Keep `made` for these files, unless one changed too recently to be trusted; a
        folder that cannot be written is left as it is."""
        racy = self.started - RACY * 1_000_000_000
        if any(row[3] >= racy for row in self.rows):
            return
        line = json.dumps(made, separators=(",", ":")) + "\n"
        head = {**self._head(), "made": _digest(line.encode())}
        text = json.dumps(head, separators=(",", ":")) + "\n" + line
        from loti_cli.io.cache import prune, replace_text

        with contextlib.suppress(OSError):
            replace_text(self.file, text)
            prune(self.file, f"{self.file.name.split('-')[0]}-*.json")


def _digest(line: bytes) -> str:
    """The SHA-256 of a memo's second line, kept in its first: a memo damaged anywhere (a
    byte changed on disk, a line cut short) is never trusted."""
    return hashlib.sha256(line).hexdigest()
