"""Speed and memory of `loti actuals import` on a generated export, beside hledger.

Run by hand from the project folder (hledger from the system: `apt-get install hledger`):

    uv run python benchmarks/import_speed.py [--rows 100000] [--runs 3]

It writes an export of N rows in the layout of ledgers/examples/finance-export-2020-12.csv
(four title lines, a header, ten columns, money as 1,234.56, £1,234.56 and (£1,234.56),
5% of the rows matched by no rule) into a temporary workspace with the repository's
ledger, proposals and ledgers/import.rules.yaml. It then times, one after the other:

- `loti actuals import` into no actuals file (the whole export is new);
- the same import again (every row already imported: read, matched, skipped);
- `hledger print` of the same CSV with an equivalent rules file (the same columns,
  date format, and one `if` block per match rule), its journal written to /dev/null.

Each row gives the median wall and CPU time (user and system) of `--runs` runs and
the peak memory of the process; the last column is each median CPU time as a
fraction of hledger's (CPU time, as a shared machine's load changes wall times).
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
from pathlib import Path

ROOT = Path(__file__).parents[1]
TITLE = (
    '"London Councils - General Ledger transactions report",,,,,,,,,\r\n'
    '"Cost centres 41700-41999 (London Office of Technology and Innovation)",,,,,,,,,\r\n'
    '"Posting dates 01/04/2020 to 31/03/2021",,,,,,,,,\r\n'
    ",,,,,,,,,\r\n"
    "Transaction No,Posting Date,Cost Centre,Cost Centre Name,Account,Supplier Name,"
    "Description,Net Amount,VAT,Gross Amount\r\n"
)
PROJECTS = ["CR-01", "CR-02", "CR-03", "CR-05", "CR-06", "DC-01", "DC-02", "DC-05", "SL-01"]
CENTRES = ["41710", "41720", "41730", "41740", "41750", "41760", "41820"]
MONTHS = [(month, 2020) for month in range(4, 13)] + [(month, 2021) for month in range(1, 4)]
PRODUCTS = [
    ("Hoxton Digital Ltd", "Digital DPIA tool - build"),
    ("Thirty3 Ltd", "Thirty3 platform licence"),
    ("Studio Alto Ltd", "LOTI website rebuild"),
]


def money(value: int, rng: random.Random) -> str:
    """Pence as one of the export's forms."""
    text = f"{abs(value) // 100:,}.{abs(value) % 100:02d}"
    if value < 0:
        return f'"(£{text})"' if rng.random() < 0.5 else f'"-{text}"'
    return f'"£{text}"' if rng.random() < 0.5 else f'"{text}"'


def row(index: int, rng: random.Random) -> str:
    day = 1 + rng.randrange(28)
    month, year = MONTHS[rng.randrange(12)]
    kind = rng.random()
    if kind < 0.05:
        centre, supplier, description = "41990", "CitySprint (UK) Ltd", "Courier"
    elif kind < 0.25:
        project = rng.choice(PROJECTS)
        centre, supplier, description = "41830", "Camden Council", f"{project} sprint {index}"
    elif kind < 0.35:
        supplier, description = rng.choice(PRODUCTS)
        centre = "41810"
    else:
        centre, supplier, description = rng.choice(CENTRES), "Microsoft Ltd", f"Licences {index}"
    pence = (
        rng.randrange(-50_000, 5_000_000) if rng.random() < 0.05 else rng.randrange(1, 5_000_000)
    )
    vat = pence // 5
    return (
        f"GL{index:08d},{day:02d}/{month:02d}/{year},{centre},LOTI {centre},5200 Development,"
        f"{supplier},{description},{money(pence, rng)},{money(vat, rng)},"
        f"{money(pence + vat, rng)}\r\n"
    )


HLEDGER_RULES_HEAD = """\
skip 5
fields code, date, cost_centre, centre_name, gl_account, supplier, description, amount, vat, gross
date-format %d/%m/%Y
account1 expenses:unmatched
account2 liabilities:creditors
"""


def hledger_rules() -> str:
    """ledgers/import.rules.yaml in hledger's words. hledger applies every `if` block that
    matches, the later overriding the earlier, so the blocks come in reverse order (the
    first rule of loti's, which wins, is applied last)."""
    blocks = [f"if %cost_centre ^{centre}$\n  account1 expenses:{centre}\n" for centre in CENTRES]
    blocks += [
        "if %cost_centre ^41810$\n& %description dpia tool\n  account1 expenses:dpia\n",
        "if %cost_centre ^41810$\n& %supplier ^thirty3\n  account1 expenses:thirty3\n",
        "if %cost_centre ^41810$\n& %description website\n  account1 expenses:website\n",
    ]
    blocks += [
        f"if %cost_centre ^41830$\n& %description ^{code}\\b\n  account1 grants:{code}\n"
        for code in PROJECTS
    ]
    return HLEDGER_RULES_HEAD + "\n" + "\n".join(reversed(blocks))


def workspace(folder: Path, rows: int) -> None:
    (folder / "ledgers").mkdir()
    shutil.copy(ROOT / "ledgers" / "2020-21.yaml", folder / "ledgers")
    shutil.copy(ROOT / "ledgers" / "import.rules.yaml", folder / "ledgers")
    shutil.copytree(ROOT / "proposals", folder / "proposals")
    rng = random.Random(2020)
    with (folder / "export.csv").open("w", encoding="utf-8", newline="") as out:
        out.write(TITLE)
        out.writelines(row(index, rng) for index in range(rows))
    (folder / "export.csv.rules").write_text(hledger_rules(), encoding="utf-8")


def measure(command: list[str], cwd: Path) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak resident memory (MiB) of the process it ran."""
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)\n"
        "wall = time.perf_counter() - start\n"
        "assert done.returncode in (0, 1), done.stderr[-2000:]\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    done = subprocess.run(
        [sys.executable, "-c", script, *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, cpu, peak = done.stdout.split()
    return float(wall), float(cpu), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3, help="runs per row (the median is shown)")
    args = parser.parse_args()
    hledger = shutil.which("hledger")
    loti = [sys.executable, "-m", "loti_cli", "actuals", "import", "export.csv"]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        workspace(folder, args.rows)
        size = (folder / "export.csv").stat().st_size / 1048576
        actuals = folder / "ledgers" / "2020-21.actuals.csv"
        fresh, again, other = [], [], []
        for _ in range(args.runs):
            actuals.unlink(missing_ok=True)
            fresh.append(measure(loti, folder))
            again.append(measure(loti, folder))
            if hledger:
                other.append(measure([hledger, "-f", "export.csv", "print"], folder))
        rows = [("loti actuals import (all new)", fresh), ("loti actuals import (again)", again)]
        if other:
            rows.append(("hledger print (same CSV and rules)", other))
        base = statistics.median(cpu for _, cpu, _ in other) if other else None
        print(f"{args.rows:,} rows, {size:.1f} MiB; median of {args.runs} runs")
        print(f"{'command':38} {'wall':>8} {'cpu':>8} {'peak MiB':>9} {'cpu x hledger':>14}")
        for name, measured in rows:
            wall = statistics.median(w for w, _, _ in measured)
            cpu = statistics.median(c for _, c, _ in measured)
            peak = max(p for _, _, p in measured)
            ratio = f"{cpu / base:.3f}" if base else "-"
            print(f"{name:38} {wall:7.2f}s {cpu:7.2f}s {peak:9.1f} {ratio:>14}")
        if not hledger:
            print("hledger not found: install it (apt-get install hledger) to compare")


if __name__ == "__main__":
    main()
