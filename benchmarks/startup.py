"""Start-up time of `loti`, side by side with importing its whole stack naively.

Run by hand from the project folder:

    uv run python benchmarks/startup.py [--runs 21]

Each command runs once to warm the file cache and write bytecode (as an install
does, whatever PYTHONDONTWRITEBYTECODE says), then `--runs` rounds run every
command once each, in turn, so that a change in the machine's load falls on all
of them alike. The table shows each command's median and fastest wall-clock
time, its median CPU time (user + system), and its median wall time as a
fraction of the naive import's: the targets are 0.6 for a completion request
and 0.8 for `loti rules`. Completions run as bash asks for them, and once as zsh
does (which shows each rule's summary).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

NAIVE = "import typer, rich, pydantic, ruamel.yaml, tabulate"


def completion(words: str, shell: str = "bash") -> dict[str, str]:
    """What the shell's script sets when TAB is pressed after `words` (the last word incomplete)."""
    return {
        "_LOTI_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
        "_TYPER_COMPLETE_ARGS": words,
    }


def run_once(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one run of `command`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    loti = str(Path(sys.executable).with_name("loti"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        NAIVE: ([sys.executable, "-c", NAIVE], {}),
        "loti --version": ([loti, "--version"], {}),
        "loti rules": ([loti, "rules"], {}),
        "loti rules FP2": ([loti, "rules", "FP2"], {}),
        "complete: loti proposal check --select F<TAB>": (
            [loti],
            completion("loti proposal check --select F"),
        ),
        "complete (zsh): loti proposal check --select F<TAB>": (
            [loti],
            completion("loti proposal check --select F", "zsh"),
        ),
        "complete: loti budget status --year 2<TAB>": (
            [loti],
            completion("loti budget status --year 2"),
        ),
        "complete: loti proposal new --pillar C<TAB>": (
            [loti],
            completion("loti proposal new --pillar C"),
        ),
        "loti budget status --format json": ([loti, "budget", "status", "--format", "json"], {}),
        "python -c pass": ([sys.executable, "-c", "pass"], {}),
    }
    walls: dict[str, list[float]] = {name: [] for name in commands}
    cpus: dict[str, list[float]] = {name: [] for name in commands}
    for command, extra in commands.values():
        run_once(command, {**env, **extra})
    for _ in range(args.runs):
        for name, (command, extra) in commands.items():
            wall, cpu = run_once(command, {**env, **extra})
            walls[name].append(wall)
            cpus[name].append(cpu)
    naive = statistics.median(walls[NAIVE])
    print(
        f"{'command':<52} {'median':>7} {'fastest':>7} {'cpu':>7} {'x naive':>7}"
        f"   ({args.runs} rounds, {os.cpu_count()} cores)"
    )
    for name in commands:
        median = statistics.median(walls[name])
        print(
            f"{name:<52} {median:>6.3f}s {min(walls[name]):>6.3f}s"
            f" {statistics.median(cpus[name]):>6.3f}s {median / naive:>7.2f}"
        )


if __name__ == "__main__":
    main()
