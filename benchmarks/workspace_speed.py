"""The cache and the workspace, measured: a second check, one decision among many, flat memory.

Run by hand from the project folder:

    uv run python benchmarks/workspace_speed.py [--size 20000] [--memory-sizes 20000 100000]

In a temporary workspace (the repository's ledgers/ and N generated proposals in
proposals/, 10% of them invalid) it measures, one after the other:

- `proposal check` with a cold cache, then again unchanged (the ratio should be at
  most 0.15), and whether the two outputs are byte-identical to a `--no-cache` run;
- `proposal decide --approve --dry-run` on one proposal of the N, with the cache warm,
  against `proposal check` of one file in an empty folder (at most 2 times);
- the peak memory of a cold `proposal check --no-cache -j 1` for each of
  `--memory-sizes` (targets: below 100 MiB at 20,000 files, 150 MiB at 100,000).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check_speed import generate, measure, median_of

ROOT = Path(__file__).parents[1]


def workspace(base: Path, size: int) -> Path:
    work = base / f"w{size}"
    (work / "proposals").mkdir(parents=True)
    shutil.copytree(ROOT / "ledgers", work / "ledgers")
    generate(work / "proposals", size)
    return work


def output(command: list[str], cwd: Path) -> bytes:
    return subprocess.run(command, cwd=cwd, capture_output=True, check=False).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20000)
    parser.add_argument("--memory-sizes", type=int, nargs="*", default=[20000, 100000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    loti = str(Path(sys.executable).with_name("loti"))
    check = [loti, "proposal", "check"]
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        work = workspace(base, args.size)
        cold, _ = measure(check, work)
        warm, _ = median_of(args.runs, check, work)
        same = output(check, work) == output([*check, "--no-cache"], work)
        print(f"{args.size} proposals")
        print(f"  proposal check, cache cold      {cold:7.2f}s")
        print(f"  proposal check, unchanged       {warm:7.2f}s  {warm / cold:.3f} of the first")
        print(f"  output identical without cache  {same}")
        one = sorted((work / "proposals").glob("*.yaml"))[1]
        decide = [loti, "proposal", "decide", str(one.relative_to(work)), "--approve"]
        decide += ["--panel", "2020-10-01", "--dry-run"]
        decided, _ = median_of(11, decide, work)
        empty = base / "empty"
        (empty / "proposals").mkdir(parents=True)
        shutil.copytree(ROOT / "ledgers", empty / "ledgers")
        shutil.copy(one, empty / "one.yaml")
        single, _ = median_of(11, [loti, "proposal", "check", "one.yaml"], empty)
        print(f"  decide --dry-run, one of {args.size}  {decided:7.2f}s")
        print(
            f"  check of one file, empty folder {single:7.2f}s  decide is {decided / single:.2f}x"
        )
        shutil.rmtree(work)
        for size in args.memory_sizes:
            work = workspace(base, size)
            wall, peak = measure([*check, "--no-cache", "-j", "1"], work)
            print(f"{size} proposals, --no-cache -j 1: {wall:7.2f}s, peak {peak:6.1f} MiB")
            shutil.rmtree(work)


if __name__ == "__main__":
    main()
