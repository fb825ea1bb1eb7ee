"""Which ledger and which proposals folder a command uses, in the contract's order."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from loti_cli.errors import LotiError

YEAR_FILE = re.compile(r"^(\d{4})-(\d{2})\.ya?ml$")
LEDGER_ENV = "LOTI_LEDGER"


@dataclass(frozen=True, slots=True)
class LedgerChoice:
    """The ledger file a command reads, and why that one."""

    path: Path
    origin: str
    """"--ledger", "--year", "LOTI_LEDGER", "ledgers/" or "bundled"."""

    @property
    def display(self) -> str:
        """The path as a user should see it: relative to the current folder when inside it."""
        return display_path(self.path)

    @property
    def description(self) -> str:
        reasons = {
            "--ledger": "given with --ledger",
            "--year": "chosen with --year",
            LEDGER_ENV: f"from {LEDGER_ENV}",
            "ledgers/": "the latest in ledgers/",
            "bundled": "bundled with loti; add ledgers/YYYY-YY.yaml here to use your own",
        }
        return f"{self.display} ({reasons.get(self.origin, self.origin)})"


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def bundled_ledgers() -> Path:
    """The folder of ledgers that ships inside the package."""
    return Path(str(files("loti_cli") / "ledgers"))


def year_files(folder: Path) -> dict[str, Path]:
    """The `YYYY-YY.yaml` ledgers in a folder, by financial year."""
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir()):
        match = YEAR_FILE.match(path.name)
        if match and path.is_file():
            found.setdefault(f"{match[1]}-{match[2]}", path)
    return found


def choose_ledger(
    ledger: Path | None = None, year: str | None = None, cwd: Path | None = None
) -> LedgerChoice:
    """--ledger, then --year, then LOTI_LEDGER, then the latest ledgers/YYYY-YY.yaml, then bundled."""
    if ledger is not None:
        return LedgerChoice(_existing(ledger, "--ledger"), "--ledger")
    folder = (cwd or Path.cwd()) / "ledgers"
    if year is not None and not re.fullmatch(r"\d{4}-\d{2}", year):
        raise LotiError(f"--year {year} is not a financial year; write it as 2020-21")
    if year is not None:
        for source in (year_files(folder), year_files(bundled_ledgers())):
            if year in source:
                return LedgerChoice(source[year], "--year")
        known = sorted(set(year_files(folder)) | set(year_files(bundled_ledgers())))
        raise LotiError(
            f"no ledger for --year {year}; add ledgers/{year}.yaml"
            + (f" (ledgers exist for {', '.join(known)})" if known else "")
        )
    env = os.environ.get(LEDGER_ENV)
    if env:
        return LedgerChoice(_existing(Path(env), LEDGER_ENV), LEDGER_ENV)
    local = year_files(folder)
    if local:
        return LedgerChoice(local[max(local)], "ledgers/")
    bundled = year_files(bundled_ledgers())
    if not bundled:  # pragma: no cover - the package always ships one
        raise LotiError("no ledger found; add ledgers/YYYY-YY.yaml or pass --ledger FILE")
    return LedgerChoice(bundled[max(bundled)], "bundled")


def ledger_for_year(year: str, beside: Path) -> Path | None:
    """The ledger of `year` in the same folder as `beside`, if there is one."""
    return year_files(beside.parent).get(year)


def previous_year(year: str) -> str:
    """`2019-20` for `2020-21`."""
    start = int(year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


def _existing(path: Path, option: str) -> Path:
    if not path.exists():
        raise LotiError(f"{option} {path}: no such file")
    if path.is_dir():
        raise LotiError(
            f"{option} {path}: is a folder; name a ledger file such as ledgers/2020-21.yaml"
        )
    return path


def default_proposals(folder: Path | None, cwd: Path | None = None) -> Path | None:
    """--proposals, else proposals/ under the current folder when it exists."""
    if folder is not None:
        if not folder.is_dir():
            raise LotiError(f"--proposals {folder}: no such folder")
        return folder
    candidate = (cwd or Path.cwd()) / "proposals"
    return candidate if candidate.is_dir() else None


def proposal_files(folder: Path) -> list[Path]:
    """Every `*.yaml` and `*.yml` below a folder, in a stable order, hidden folders skipped."""
    found = [
        path
        for pattern in ("*.yaml", "*.yml")
        for path in folder.rglob(pattern)
        if path.is_file()
        and not any(part.startswith(".") for part in path.relative_to(folder).parts)
    ]
    return sorted(found)


@dataclass(frozen=True, slots=True)
class LedgerSearch:
    """Where a run looks for the ledger of a proposal's year, read once from the environment
    and the current folder: the one module that reads them to choose a ledger.

    `given` (--ledger) checks every proposal against one ledger. Otherwise a year's ledger
    is LOTI_LEDGER's file when it has that year (`named`), else `YYYY-YY.yaml` in
    LOTI_LEDGER's folder, ./ledgers or the ledgers bundled with loti, in that order.
    """

    given: Path | None = None
    named: Path | None = None
    folders: tuple[Path, ...] = ()

    @classmethod
    def here(cls, given: Path | None = None, cwd: Path | None = None) -> LedgerSearch:
        if given is not None:
            return cls(given=choose_ledger(given).path)
        folders = [(cwd or Path.cwd()) / "ledgers", bundled_ledgers()]
        named = None
        if os.environ.get(LEDGER_ENV):
            named = choose_ledger(cwd=cwd).path  # raises when LOTI_LEDGER names no file
            folders.insert(0, named.parent)
        return cls(None, named, tuple(folders))

    def candidates(self, year: str) -> list[Path]:
        """The files that may hold `year`'s ledger, best first; `named` must be loaded to know."""
        found = (
            [self.named] if self.named is not None and not YEAR_FILE.match(self.named.name) else []
        )
        for folder in self.folders:
            path = year_files(folder).get(year)
            if path is not None:
                found.append(path)
        return found

    def every(self) -> list[Path]:
        """Every ledger file this search could use, for a cache key that covers them all."""
        if self.given is not None:
            return [self.given]
        found = [self.named] if self.named is not None else []
        for folder in self.folders:
            found.extend(path for _, path in sorted(year_files(folder).items()))
        return found
