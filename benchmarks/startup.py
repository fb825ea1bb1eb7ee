"""Start-up time of `loti`, side by side with importing its whole stack naively.

Run by hand from the project folder:

    uv run python benchmarks/startup.py [--runs 21]

Each command runs once to warm the file cache and write bytecode, then `--runs`
times; the table shows the median and the fastest wall-clock time of each.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path


def time_command(command: list[str], runs: int, env: dict[str, str]) -> list[float]:
    subprocess.run(command, env=env, capture_output=True, check=False)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    args = parser.parse_args()
    loti = str(Path(sys.executable).with_name("loti"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    commands = {
        "loti --version": [loti, "--version"],
        "loti budget status --format json": [loti, "budget", "status", "--format", "json"],
        "import typer, rich, pydantic, ruamel.yaml, tabulate": [
            sys.executable,
            "-c",
            "import typer, rich, pydantic, ruamel.yaml, tabulate",
        ],
        "python -c pass": [sys.executable, "-c", "pass"],
    }
    print(
        f"{'command':<55} {'median':>8} {'fastest':>8}   ({args.runs} runs, {os.cpu_count()} cores)"
    )
    for name, command in commands.items():
        times = time_command(command, args.runs, env)
        print(f"{name:<55} {statistics.median(times):>7.3f}s {min(times):>7.3f}s")


if __name__ == "__main__":
    main()
