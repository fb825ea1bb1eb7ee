"""Worker processes for a large check: how many, and that none outlives loti."""

from __future__ import annotations

import os
from typing import Any


def worker_count(jobs: int | None, files: int) -> int:
    """Workers for `files` files: --jobs (default: the CPUs), never more than files or CPUs."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    wanted = jobs if jobs is not None else (cpus or 1)
    return max(1, min(wanted, files, cpus or 1))


def start_worker() -> Any:
    """What the parent hands each worker so that it can watch for the parent's end."""
    return None


def watch_parent(watch: Any) -> None:
    """In a worker: end when the parent ends."""
