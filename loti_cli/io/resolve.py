"""Which ledger and which proposals folder a command uses, in the contract's order."""

from __future__ import annotations

import errno
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from loti_cli.errors import LotiError

YEAR_FILE = re.compile(r"^([0-9]{4})-([0-9]{2})\.ya?ml$")
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
        real = path.resolve()
    except (OSError, RuntimeError):  # a symbolic link loop: show the link itself
        real = path.parent.resolve() / path.name
    try:
        return str(real.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def bundled_ledgers() -> Path:
    """The folder of ledgers that ships inside the package.

    (Found beside the package's `__init__.py`, as `importlib.resources` would find it,
    without importing that: shell completion of `--year` asks for it.)
    """
    import loti_cli

    return Path(loti_cli.__file__).parent / "ledgers"


def year_files(folder: Path) -> dict[str, Path]:
    """The `YYYY-YY.yaml` (or `.yml`) ledgers in a folder, by financial year.

    When a year has both, the `.yaml` one is used, and a warning on standard error
    (once) says which file is left out.
    """
    if not folder.is_dir():
        return {}
    found: dict[str, Path] = {}
    for path in sorted(folder.iterdir(), key=lambda path: (path.suffix != ".yaml", path.name)):
        match = YEAR_FILE.match(path.name)
        if not match or not (path.is_file() or path.is_symlink()):  # a broken link is reported
            continue
        year = f"{match[1]}-{match[2]}"
        if year in found and path not in _WARNED:
            _WARNED.add(path)
            print(
                f"loti: warning: {display_path(found[year])} and {display_path(path)} are both "
                f"the ledger of {year}; {display_path(path)} is not read: remove or rename it",
                file=sys.stderr,
            )
        found.setdefault(year, path)
    return found


_WARNED: set[Path] = set()
"""Ledgers left out for a year that has another, already reported in this run."""


def choose_ledger(
    ledger: Path | None = None, year: str | None = None, cwd: Path | None = None
) -> LedgerChoice:
    """--ledger, then --year, then LOTI_LEDGER, then the latest ledgers/YYYY-YY.yaml, then bundled."""
    if ledger is not None:
        return LedgerChoice(_existing(ledger, "--ledger"), "--ledger")
    folder = (cwd or Path.cwd()) / "ledgers"
    if year is not None and not re.fullmatch(r"[0-9]{4}-[0-9]{2}", year):
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


def missing(path: Path, what: str = "file") -> str | None:
    """Why nothing can be read at `path` ("no such file", a symbolic link loop, a broken
    link), or None when something is there. `Path.exists` says False to all of them alike."""
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return "symbolic link loop (its links lead back to themselves); fix or remove the link"
        if path.is_symlink():
            return f"broken symbolic link (to {path.readlink()}, which does not exist)"
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return f"no such {what}"
        return f"cannot be read: {error.strerror or error}"
    return None


def _existing(path: Path, option: str) -> Path:
    if (problem := missing(path)) is not None:
        raise LotiError(f"{option} {path}: {problem}")
    if path.is_dir():
        raise LotiError(
            f"{option} {path}: is a folder; name a ledger file such as ledgers/2020-21.yaml"
        )
    return path


def default_proposals(folder: Path | None, cwd: Path | None = None) -> Path | None:
    """--proposals, else proposals/ under the current folder when it exists."""
    if folder is not None:
        if not folder.is_dir():
            raise LotiError(f"--proposals {folder}: {missing(folder, 'folder') or 'not a folder'}")
        return folder
    candidate = (cwd or Path.cwd()) / "proposals"
    return candidate if candidate.is_dir() else None


def proposal_files(folder: Path) -> list[Path]:
    """Every `*.yaml` and `*.yml` below a folder (see `scan_proposals`, which also says which
    folders could not be listed)."""
    return [Path(name) for name in scan_proposals(folder).files]


@dataclass(frozen=True, slots=True)
class Unlisted:
    """A folder below a proposals folder whose proposals cannot be seen, and why."""

    path: Path
    message: str


@dataclass(frozen=True, slots=True)
class Listing:
    """The proposal files below a folder, and the folders that could not be listed."""

    files: list[str]
    """Each file's path as `str(Path)` gives it (a portfolio holds many: no Path each)."""
    unlisted: list[Unlisted]
    reals: list[str] = field(default_factory=list)
    """The real path of each of `files`, in the same order (found while listing)."""


_NAMES = (".yaml", ".yml")


def scan_proposals(folder: Path) -> Listing:
    """Every `*.yaml` and `*.yml` below a folder, each file once, in a stable order.

    Hidden files and folders are skipped; folders that are links are followed. A
    folder that cannot be listed (no permission) or a link that loops back to a
    folder holding it is not skipped without a word: it is in `unlisted`, for the
    commands to report, since the proposals in it cannot be checked or counted.
    """
    files: dict[str, str] = {}
    unlisted: list[Unlisted] = []
    nested = False
    stack: list[tuple[str, tuple[str, ...]]] = [(str(folder), (os.path.realpath(folder),))]
    while stack:
        below = _scan_one(*stack.pop(), files, unlisted)
        nested = nested or bool(below)
        stack.extend(reversed(below))
    # By each path's parts, as paths compare, without making Path objects; a folder with no
    # folder in it was listed in that order already.
    ordered = list(files.items())
    if nested:
        ordered.sort(key=lambda item: item[1].split(os.sep))  # noqa: PTH206
    return Listing(
        [path for _, path in ordered],
        sorted(unlisted, key=lambda item: item.path.parts),
        [real for real, _ in ordered],
    )


def _scan_one(
    directory: str, ancestors: tuple[str, ...], files: dict[str, str], unlisted: list[Unlisted]
) -> list[tuple[str, tuple[str, ...]]]:
    """List one folder into `files` (real path -> path) and `unlisted`; returns the folders
    in it to list next, each with the real paths of the folders that hold it."""
    try:
        with os.scandir(directory) as scanned:
            found = {entry.name: entry for entry in scanned}
    except OSError as error:
        unlisted.append(Unlisted(Path(directory), _unreadable(error)))
        return []
    below: list[tuple[str, tuple[str, ...]]] = []
    inside = ancestors[-1].rstrip(os.sep) + os.sep
    for name in sorted(found):
        if name.startswith("."):
            continue
        entry = found[name]
        # As str(Path(directory) / name) would give it, without making a Path.
        path = name if directory == "." else entry.path
        if name.endswith(_NAMES) and _is_file(entry, follow_symlinks=False):
            # Keyed by real path (a file reached twice is listed once); a file that is no
            # link is found without resolving it.
            files.setdefault(inside + name, path)
            continue
        try:
            is_dir = entry.is_dir()
        except OSError as error:  # a link that loops on itself
            if not name.endswith(_NAMES):
                unlisted.append(Unlisted(Path(path), _unreadable(error)))
                continue
            is_dir = False
        if is_dir:
            real = os.path.realpath(path)
            if real in ancestors:
                unlisted.append(Unlisted(Path(path), _LOOP))
            else:
                below.append((path, (*ancestors, real)))
        elif name.endswith(_NAMES) and (_is_file(entry) or entry.is_symlink()):
            # A link that leads nowhere is kept: reading it says why it cannot be read.
            files.setdefault(os.path.realpath(path), path)
    return below


_LOOP = (
    "the folder is a link back to a folder that holds it (a loop), so what it holds is "
    "neither checked nor counted; remove the link or point it elsewhere"
)


def _unreadable(error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return (
            f"the link cannot be followed ({error.strerror or error}): it loops, so what it "
            "holds is neither checked nor counted; remove the link or point it at a folder"
        )
    return (
        f"the folder cannot be listed ({error.strerror or error}), so the proposals in it are "
        "neither checked nor counted; make it readable, or move it out of the proposals folder"
    )


def _is_file(entry: os.DirEntry[str], *, follow_symlinks: bool = True) -> bool:
    try:
        return entry.is_file(follow_symlinks=follow_symlinks)
    except OSError:
        return False


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


def ledger_from_environment() -> Path | None:
    """The ledger LOTI_LEDGER names, if it is set (not checked)."""
    named = os.environ.get(LEDGER_ENV)
    return Path(named) if named else None


def known_years(cwd: Path | None = None) -> set[str]:
    """The financial years that have a ledger in ./ledgers or in the package."""
    return set(year_files((cwd or Path.cwd()) / "ledgers")) | set(year_files(bundled_ledgers()))
