"""Speed and memory of `loti proposal check` on generated proposals, beside check-jsonschema.

Run by hand from the project folder (check-jsonschema is fetched for the run only):

    uv run --with check-jsonschema python benchmarks/check_speed.py [--sizes 1000 10000]

It writes N proposals (10% of them invalid in one way or another) into a
temporary folder, then times, one after the other on the same files:
`loti proposal check` with 1 and 2 worker processes, and `check-jsonschema`
with the committed proposal schema (structure only: it checks no funding rule).
Each row gives the median wall time of `--runs` runs, files per second and the
peak memory of the largest process. A last row times one file (median of 11
runs), start-up included.
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
BOROUGHS = ["Camden", "Hackney", "Lambeth", "Southwark", "Brent", "Ealing", "Newham", "Sutton"]
PILLARS = {
    "Covid Recovery": ["Identifying Needs", "Responding to Needs", "Promoting Inclusion"],
    "Developing Capabilities": ["Digital Leadership & Skills", "Data Collaboration"],
    "Smarter London": ["Standards", "Practice"],
}


def proposal(index: int, rng: random.Random) -> str:
    pillar = rng.choice(list(PILLARS))
    lead, delivery = rng.sample(BOROUGHS, 2)
    text = f"""# yaml-language-server: $schema=../schemas/proposal.schema.json
id: GEN-{index:05d}
title: Generated proposal {index}
financial_year: 2020-21
pillar: {pillar}
area: {rng.choice(PILLARS[pillar])}
status: draft
summary: >
  A generated proposal used to measure how fast proposals are checked.
outcome: >
  Residents who need support are found sooner and helped in the right way.
boroughs:
  - name: {lead}
    role: lead
  - name: {delivery}
    role: delivery
budget:
  requested: {rng.randrange(1, 60) * 1000}
replicability:
  standards: [Open Referral UK]
  plan: >
    Other boroughs adopt the shared playbook and code.
outputs:
  - name: Playbook
    licence: OGL-UK-3.0
    gifted: true
sustainability: >
  Running costs are shared by the boroughs that adopt it.
"""
    if index % 10 == 0:  # one in ten is invalid, in one of several ways
        breakage = [
            lambda t: t.replace("role: delivery", "role: deliver"),
            lambda t: t.replace("requested: ", "requested: -"),
            lambda t: t.replace("boroughs:\n", "boroughs:\n  - [unclosed\n"),
            lambda t: t.replace("gifted: true", "gifted: maybe"),
            lambda t: t + "unknown_key: 1\n",
        ]
        text = breakage[(index // 10) % len(breakage)](text)
    return text


def generate(folder: Path, count: int) -> None:
    rng = random.Random(count)
    for index in range(count):
        (folder / f"gen-{index:05d}.yaml").write_text(proposal(index, rng), encoding="utf-8")


def measure(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of the largest process it ran."""
    script = (
        "import resource, subprocess, sys, time\n"
        "start = time.perf_counter()\n"
        "subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)\n"
        "wall = time.perf_counter() - start\n"
        "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(wall, peak)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["NO_COLOR"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", script, *command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall, peak = done.stdout.split()
    return float(wall), float(peak)


def median_of(runs: int, command: list[str], cwd: Path) -> tuple[float, float]:
    """The median wall time of several runs, and the highest peak memory among them."""
    measured = [measure(command, cwd) for _ in range(runs)]
    return statistics.median(wall for wall, _ in measured), max(peak for _, peak in measured)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3, help="runs per row (the median is shown)")
    args = parser.parse_args()
    loti = str(Path(sys.executable).with_name("loti"))
    checker = shutil.which("check-jsonschema") or str(
        Path(sys.executable).with_name("check-jsonschema")
    )
    schema = str(ROOT / "schemas" / "proposal.schema.json")
    print(f"{os.cpu_count()} cores; Python {sys.version.split()[0]}")
    print(f"{'files':>6}  {'tool':<34} {'wall':>7} {'files/s':>8} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        shutil.copytree(ROOT / "ledgers", work / "ledgers")
        for size in args.sizes:
            folder = work / f"p{size}"
            folder.mkdir()
            generate(folder, size)
            files = sorted(str(p) for p in folder.glob("*.yaml"))
            runs = {
                "loti proposal check -j 1": [
                    loti,
                    "proposal",
                    "check",
                    "-f",
                    "json",
                    "-j",
                    "1",
                    str(folder),
                ],
                "loti proposal check -j 2": [
                    loti,
                    "proposal",
                    "check",
                    "-f",
                    "json",
                    "-j",
                    "2",
                    str(folder),
                ],
                "check-jsonschema (schema only)": [checker, "--schemafile", schema, *files],
            }
            for name, command in runs.items():
                if name.startswith("check-jsonschema") and not Path(checker).exists():
                    print(
                        f"{size:>6}  {name:<34} (not installed: uv run --with check-jsonschema ...)"
                    )
                    continue
                measure(command, work)  # a first run warms the file cache
                wall, peak = median_of(args.runs, command, work)
                print(f"{size:>6}  {name:<34} {wall:>6.2f}s {size / wall:>8.0f} {peak:>9.1f}")
        one = sorted((work / f"p{args.sizes[0]}").glob("*.yaml"))[1]
        wall, peak = median_of(11, [loti, "proposal", "check", str(one)], work)
        print(f"{1:>6}  {'loti proposal check (one file)':<34} {wall:>6.2f}s {'':>8} {peak:>9.1f}")


if __name__ == "__main__":
    main()
