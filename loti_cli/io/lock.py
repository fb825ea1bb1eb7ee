"""An advisory lock on a proposals folder, so that two decisions are never recorded at once.

`loti proposal decide` (and `loti proposal close`) holds it from reading the portfolio to
writing the file: a
second run waits, then reads the portfolio as the first left it, so that two
approvals cannot both take the same headroom. The lock is `flock` on the file
`.loti.lock` in the folder; the operating system releases it when its holder ends,
however it ends, so a stale lock cannot stop a later run. The file itself is empty
and stays. Where there is no `fcntl` (Windows), nothing is locked.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from loti_cli.errors import LotiError
from loti_cli.io.resolve import display_path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".loti.lock"
TIMEOUT = 30.0
"""Seconds a run waits for another to finish before it gives up (exit 2)."""
_POLL = 0.05


@contextmanager
def folder_lock(folder: Path, *, waiting: Callable[[str], None]) -> Iterator[None]:
    """Hold the lock of `folder` for the `with` block; `waiting(note)` is told once when
    another run holds it. Raises LotiError when the lock cannot be made or taken in time."""
    if fcntl is None:  # Windows: no flock; the check before the write still guards the file
        yield
        return
    path = folder / LOCK_NAME
    shown = display_path(path)
    try:
        handle = _open(path)
    except OSError as error:
        raise LotiError(
            f"cannot lock {shown}: {error.strerror or error}. A decision is recorded under "
            "this lock so that two at once cannot approve past a pillar's allocation; make "
            f"{display_path(folder)} writable (--dry-run shows the change without it)"
        ) from None
    try:
        _acquire(handle, shown, waiting)
        yield
    finally:
        os.close(handle)  # and with it the lock


def _open(path: Path) -> int:
    """The lock file, made when missing; read-only when another user made it (flock needs
    no write access)."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except PermissionError:
        if not path.is_file():
            raise
        return os.open(path, os.O_RDONLY)


def _acquire(handle: int, shown: str, waiting: Callable[[str], None]) -> None:
    deadline: float | None = None
    while True:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            pass
        except OSError as error:
            raise LotiError(f"cannot lock {shown}: {error.strerror or error}") from None
        now = time.monotonic()
        if deadline is None:
            deadline = now + TIMEOUT
            waiting(
                f"waiting for another loti proposal decide or close to finish (it holds {shown}; "
                f"giving up after {TIMEOUT:g} s)"
            )
        elif now >= deadline:
            raise LotiError(
                f"another loti proposal decide or close has held {shown} for {TIMEOUT:g} s; nothing was "
                f"changed. Run the command again when it has finished (lsof {shown} shows "
                "which process holds it)"
            )
        time.sleep(_POLL)
