"""Worker processes: how many `-j` starts, and none outlives the `loti` that started it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from loti_cli.io.resolve import bundled_ledgers
from loti_cli.pipeline import workers

LOTI = [sys.executable, "-m", "loti_cli"]
LEDGER = bundled_ledgers() / "2020-21.yaml"
ON_LINUX = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")
TWO_CPUS = pytest.mark.skipif(workers.cpus() < 2, reason="-j is capped at the CPUs: needs two")

PROPOSAL = """\
id: W-{n:05d}
title: Shared referral directory {n}
financial_year: 2020-21
pillar: Covid Recovery
area: Identifying Needs
status: draft
summary: Publish borough directories of support in one shape.
outcome: Residents who need support are referred once, within a day.
boroughs:
  - name: Camden
    role: lead
  - name: Hackney
    role: delivery
budget:
  requested: 1000
replicability:
  standards: [Open Referral UK]
  plan: Any borough publishes its directory in the same shape.
outputs:
  - name: Directory data model
    licence: OGL-UK-3.0
    gifted: true
sustainability: Boroughs host their directories within existing budgets.
"""


def stat(pid: int) -> tuple[str, int] | None:
    """A process's state letter and parent id, or None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the name in brackets may hold spaces
    return fields[0], int(fields[1])


def alive(pid: int) -> bool:
    """Running or sleeping; a zombie (ended, not yet reaped by whoever adopted it) is not."""
    state = stat(pid)
    return state is not None and state[0] not in "ZX"


def descendants(root: int) -> set[int]:
    """Every live process below `root` (workers, and any process that starts them)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (state := stat(int(entry.name))) and state[0] not in "ZX":
            parents[int(entry.name)] = state[1]
    found: set[int] = set()
    frontier = {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def wait_for(condition: Callable[[], object], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())


def kill_and_expect_no_orphans(process: subprocess.Popen[bytes], sig: int, count: int) -> None:
    """Once `count` processes run below `process`, kill it with `sig`: they must all end."""
    seen: set[int] = set()

    def started() -> bool:
        assert process.poll() is None, "the run ended before its workers could be seen"
        seen.update(descendants(process.pid))
        return len(seen) >= count

    try:
        assert wait_for(started, 20), f"only {len(seen)} of {count} workers started"
        time.sleep(0.2)  # the workers are busy now
        assert all(alive(pid) for pid in seen)
        process.send_signal(sig)
        process.wait(timeout=10)
        assert process.returncode == -sig

        def left() -> list[int]:
            return [pid for pid in seen if alive(pid)]

        assert wait_for(lambda: not left(), 5), f"workers left running: {left()}"
    finally:
        for pid in seen:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)
        if process.poll() is None:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def big_portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Enough proposals that two workers take a few seconds over them."""
    folder = tmp_path_factory.mktemp("big") / "proposals"
    folder.mkdir()
    for n in range(4000):
        (folder / f"w-{n:05d}.yaml").write_text(PROPOSAL.format(n=n), encoding="utf-8")
    return folder


@ON_LINUX
@TWO_CPUS
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_workers_end_when_proposal_check_is_killed(big_portfolio: Path, sig: int) -> None:
    command = [*LOTI, "proposal", "check", "-j", "2", "--format", "json", "--ledger", str(LEDGER)]
    process = subprocess.Popen(
        [*command, "--proposals", str(big_portfolio), str(big_portfolio)],
        cwd=big_portfolio.parent,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    kill_and_expect_no_orphans(process, sig, count=2)


# A pool of slow workers, started by each of the ways multiprocessing has: with
# forkserver the workers' parent is the fork server, not the process that asked.
SLOW_POOL = textwrap.dedent(
    """
    import sys, time
    from loti_cli.pipeline import workers

    def nap(_):
        time.sleep(60)

    def ready():
        pass

    if __name__ == "__main__":
        with workers.pool(2, ready, (), method=sys.argv[1]) as pool:
            list(pool.map(nap, range(2)))
    """
)


@ON_LINUX
@pytest.mark.parametrize("method", ["fork", "forkserver", "spawn"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_pool_workers_end_with_their_parent_however_started(
    tmp_path: Path, method: str, sig: int
) -> None:
    script = tmp_path / "slow_pool.py"
    script.write_text(SLOW_POOL)
    process = subprocess.Popen([sys.executable, str(script), method], cwd=tmp_path)
    # forkserver: the fork server, the resource tracker and two workers; spawn: the
    # tracker and two workers; fork: the two workers.
    count = {"fork": 2, "forkserver": 4, "spawn": 3}[method]
    kill_and_expect_no_orphans(process, sig, count)


# ---------------------------------------------------------------------------
# how many


@pytest.mark.parametrize(
    ("requested", "files", "expected"),
    [
        (100_000, 3, "min3"),  # never more workers than files
        (100_000, 10_000, "cpus"),  # nor than CPUs
        (2, 10_000, "min2"),
        (1, 10_000, 1),
        (None, 10, 1),  # automatic: one process for a few files
        (None, 10_000, "cpus"),
        (4, 1, 1),
        (4, 0, 1),
    ],
)
def test_the_number_of_workers_is_capped(
    requested: int | None, files: int, expected: int | str
) -> None:
    cpus = workers.cpus()
    want = {"cpus": cpus, "min2": min(2, cpus), "min3": min(3, cpus)}.get(str(expected), expected)
    assert workers.count(requested, files, automatic_from=300) == want


def test_cpus_are_those_this_process_may_use() -> None:
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    assert workers.cpus() == usable


def test_a_huge_jobs_count_runs_with_as_many_workers_as_files(tmp_path: Path) -> None:
    folder = tmp_path / "proposals"
    folder.mkdir()
    for n in range(3):
        (folder / f"w-{n}.yaml").write_text(PROPOSAL.format(n=n), encoding="utf-8")
    command = [*LOTI, "proposal", "check", "-j", "100000", "--ledger", str(LEDGER), str(folder)]
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "3 checked, 3 passed, 0 failed" in done.stdout
    assert done.stderr == ""


@pytest.mark.parametrize("value", ["0", "-2"])
def test_jobs_below_one_is_refused(value: str, tmp_path: Path) -> None:
    command = [*LOTI, "proposal", "check", "-j", value, str(tmp_path)]
    done = subprocess.run(
        command, cwd=tmp_path, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Invalid value for '--jobs' / '-j'" in done.stderr
    assert "greater than or equal to 1" in done.stderr


def test_help_says_jobs_is_capped() -> None:
    done = subprocess.run(
        [*LOTI, "proposal", "check", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    text = " ".join(done.stdout.split())
    assert "at most one per file and per CPU" in text
