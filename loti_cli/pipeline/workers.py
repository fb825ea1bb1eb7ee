"""Worker processes: how many to start, and a pool whose workers end when their starter ends."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from multiprocessing.connection import Connection
from typing import Any

_PR_SET_PDEATHSIG = 1
"""prctl(2): the signal a process receives when its parent ends (Linux)."""


def cpus() -> int:
    """The CPUs this process may run on (fewer than the machine's when it is restricted)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def count(requested: int | None, files: int, *, automatic_from: int) -> int:
    """How many workers for `files` files: never more than the files or the CPUs.

    `requested` None lets loti choose: one process below `automatic_from` files (starting
    workers costs more than it saves there), else one per CPU.
    """
    wanted = requested if requested is not None else (1 if files < automatic_from else files)
    return max(1, min(wanted, files, cpus()))


@contextmanager
def pool(
    workers: int,
    initializer: Callable[..., object],
    initargs: tuple[Any, ...],
    *,
    method: str | None = None,
) -> Iterator[ProcessPoolExecutor]:
    """A process pool whose workers end as soon as this process ends, however it ends.

    A kill that leaves no time to clean up (SIGKILL, or SIGTERM, which Python does not
    catch) would otherwise leave the workers running. Each worker watches a pipe whose
    only write end this process holds, and exits when the pipe reports end of file; on
    Linux the kernel also sends it SIGKILL when its parent ends. `method` is the
    multiprocessing start method (default: the platform's).
    """
    context = multiprocessing.get_context(method)
    reader, writer = context.Pipe(duplex=False)
    started = context.get_start_method()
    # A forked worker inherits the write end and closes its copy first; spawned and
    # fork-server workers are given the read end alone.
    inherited = writer if started == "fork" else None
    # The fork server, not this process, is the parent of its workers.
    parent = os.getpid() if started != "forkserver" else None
    try:
        with ProcessPoolExecutor(
            workers,
            mp_context=context,
            initializer=_start,
            initargs=(reader, inherited, parent, initializer, initargs),
        ) as executor:
            yield executor
    finally:
        writer.close()
        reader.close()


def _start(
    reader: Connection,
    inherited: Connection | None,
    parent: int | None,
    initializer: Callable[..., object],
    initargs: tuple[Any, ...],
) -> None:
    """In the worker, before any work: tie its life to its starter's, then initialize."""
    if inherited is not None:
        inherited.close()
    if sys.platform == "linux":
        _die_with_parent()
        if parent is not None and os.getppid() != parent:  # it ended before prctl took hold
            os._exit(1)
    threading.Thread(target=_watch, args=(reader,), name="loti-parent-watch", daemon=True).start()
    initializer(*initargs)


def _die_with_parent() -> None:
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)  # the C library already loaded
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl here: the pipe alone ends the worker
        pass


def _watch(reader: Connection) -> None:
    """Block until the starter's end of the pipe closes (nothing is ever written), then exit."""
    try:
        while True:
            reader.recv_bytes()
    except (EOFError, OSError):
        os._exit(1)
