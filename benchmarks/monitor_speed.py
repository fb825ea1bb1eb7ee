"""`loti budget monitor` over many actuals, against ledger-cli and hledger on the same spend.

Run by hand from the project folder (ledger-cli and hledger: `apt-get install -y ledger
hledger`; a tool that is missing is left out):

    uv run python benchmarks/monitor_speed.py [--rows 100000] [--runs 3]

In a temporary workspace (the repository's ledger and proposals) it generates N actuals
spread over the year's lines, approved proposals and a few unmatched rows, writes the
same transactions as a ledger journal, and measures the median wall time and the peak
memory of:

- `loti budget monitor --format json` and the table (the month of the latest actual);
- `ledger -f actuals.journal bal --monthly` and `hledger -f actuals.journal bal --monthly`.

Targets: `budget monitor` at most ledger-cli's time, and below 150 MiB.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).parents[1]
HEADER = "id,date,amount,line,proposal,supplier,description,source,source_row"
LINES = (
    "Personnel",
    "Premises and overheads",
    "Software & hosting",
    "Design",
    "Staff training",
    "Meetings + Catering",
    "Innovation in Procurement",
)
PROPOSALS = ("CR-01", "CR-02", "CR-03", "CR-05", "DC-01", "DC-02", "SL-01")


def generate(folder: Path, rows: int, seed: int = 2020) -> None:
    """ledgers/2020-21.actuals.csv and actuals.journal, with the same `rows` transactions."""
    pick = random.Random(seed)
    start = date(2020, 4, 1)
    made = []
    for number in range(1, rows + 1):
        day = start + timedelta(days=pick.randrange(365))
        pence = pick.randrange(100, 500_000)
        roll = pick.random()
        line, proposal = "", ""
        if roll < 0.7:
            line = pick.choice(LINES)
        elif roll < 0.98:
            proposal = pick.choice(PROPOSALS)
        made.append((day, f"t{number:07d}", pence, line, proposal))
    made.sort()
    with (folder / "ledgers" / "2020-21.actuals.csv").open("w", encoding="utf-8") as out:
        out.write(HEADER + "\n")
        for day, ident, pence, line, proposal in made:
            amount = f"{pence // 100}.{pence % 100:02d}"
            out.write(f"{ident},{day},{amount},{line},{proposal},Supplier,Spend,export.csv,1\n")
    with (folder / "actuals.journal").open("w", encoding="utf-8") as out:
        for day, ident, pence, line, proposal in made:
            account = f"Expenses:{line or proposal or 'Unmatched'}"
            amount = f"{pence // 100}.{pence % 100:02d}"
            out.write(f"{day} {ident} Supplier\n    {account}  GBP {amount}\n    Assets:Bank\n\n")


def measure(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user and system) and peak resident MiB of one run."""
    env = {**os.environ, "NO_COLOR": "1"}
    start = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def median_of(runs: int, command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Median wall and CPU seconds of several runs, and the highest peak memory."""
    found = [measure(command, cwd) for _ in range(runs)]
    return (
        statistics.median(wall for wall, _, _ in found),
        statistics.median(cpu for _, cpu, _ in found),
        max(peak for _, _, peak in found),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs per row (the median is shown)")
    args = parser.parse_args()
    loti = str(Path(sys.executable).with_name("loti"))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "ledgers").mkdir()
        shutil.copy(ROOT / "ledgers" / "2020-21.yaml", work / "ledgers" / "2020-21.yaml")
        shutil.copytree(ROOT / "proposals", work / "proposals")
        generate(work, args.rows)
        commands = {
            "loti budget monitor --format json": [loti, "budget", "monitor", "--format", "json"],
            "loti budget monitor (table)": [loti, "budget", "monitor"],
        }
        for tool in ("ledger", "hledger"):
            if shutil.which(tool):
                commands[f"{tool} bal --monthly"] = [
                    tool,
                    "-f",
                    "actuals.journal",
                    "bal",
                    "--monthly",
                ]
        check = subprocess.run(
            commands["loti budget monitor --format json"],
            cwd=work,
            capture_output=True,
            check=False,
        )
        assert check.returncode in (0, 1), check.stderr.decode()
        print(f"{args.rows} actuals, median of {args.runs} runs, {os.cpu_count()} cores")
        print(f"{'command':<36} {'wall':>7} {'cpu':>7} {'peak MiB':>9}")
        timings = {}
        for name, command in commands.items():
            wall, cpu, peak = median_of(args.runs, command, work)
            timings[name] = (wall, cpu)
            print(f"{name:<36} {wall:6.2f}s {cpu:6.2f}s {peak:9.1f}")
        base = timings.get("ledger bal --monthly")
        if base:
            print("as a multiple of ledger-cli's:        wall     cpu")
            for name, (wall, cpu) in timings.items():
                print(f"  {name:<34} {wall / base[0]:5.2f}x  {cpu / base[1]:5.2f}x")


if __name__ == "__main__":
    main()
