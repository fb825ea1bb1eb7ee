"""The ledgers a run reads: each found, loaded and prepared once, by path and by year."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from loti_cli.core.findings import Hit
from loti_cli.core.model import Ledger
from loti_cli.errors import LotiError
from loti_cli.io.actuals_file import ActualsFile, actuals_path, outside_year, read_actuals
from loti_cli.io.files import read_bytes
from loti_cli.io.load import load_ledger
from loti_cli.io.resolve import LedgerSearch, display_path
from loti_cli.io.yaml_read import YamlError
from loti_cli.rules.context import Membership


@dataclass(frozen=True, slots=True)
class Year:
    """A ledger with what the rules read of it, prepared once per run."""

    display: str
    ledger: Ledger
    members: Membership


@dataclass(slots=True)
class LedgerBook:
    """Finds, loads and keeps the ledger of each financial year (or the one given)."""

    search: LedgerSearch = field(default_factory=LedgerSearch)
    by_path: dict[str, Year] = field(default_factory=dict)
    by_year: dict[str, Year | None] = field(default_factory=dict)
    used: list[str] = field(default_factory=list)
    """The display paths of the ledgers proposals were checked against, in order."""
    raw: dict[str, bytes | None] = field(default_factory=dict)
    """Each ledger file's bytes by real path (None: unreadable), read once a run."""
    actual_files: dict[str, ActualsFile] = field(default_factory=dict)
    """The actuals file beside each ledger (by the ledger's real path), read once a run."""
    actual_bytes: dict[str, bytes | OSError] = field(default_factory=dict)
    """Its bytes (or why they cannot be read), read once a run and parsed when needed."""

    @property
    def given(self) -> Year | None:
        return self.load(self.search.given) if self.search.given is not None else None

    def of(self, year: str | None) -> tuple[Year | None, Hit | None]:
        """The ledger a proposal of `year` is checked against, or the IN2 problem that there
        is none (or that it is another year's)."""
        given = self.given
        if given is not None:
            found = given.ledger.financial_year
            if year is not None and found != year:
                return given, Hit(
                    f"financial_year is {year} but the ledger {given.display} is for "
                    f"{found}; check it against ledgers/{year}.yaml or correct the year",
                    ("financial_year",),
                )
            return given, None
        if year is None:
            return None, None
        if year not in self.by_year:
            self.by_year[year] = self._find(year)
        if self.by_year[year] is None:
            return None, Hit(f"no ledger for {year}; add ledgers/{year}.yaml", ("financial_year",))
        return self.by_year[year], None

    def _find(self, year: str) -> Year | None:
        for path in self.search.candidates(year):
            loaded = self.load(path)
            if path != self.search.named or loaded.ledger.financial_year == year:
                return loaded
        return None

    def load(self, path: Path) -> Year:
        """Load a ledger once; raise if it is broken."""
        key = os.path.realpath(path)
        if key not in self.by_path:
            source = load_ledger(path, display_path(path), raw=self._read(key, path))
            if source.problems or source.model is None:
                raise LotiError(
                    f"the ledger {source.path} cannot be loaded: {len(source.problems)} "
                    f"problem(s); run loti budget status --ledger {source.path}",
                    details=tuple(str(problem) for problem in source.problems),
                )
            self.by_path[key] = Year(source.path, source.model, Membership.of(source.model))
        return self.by_path[key]

    def fingerprint(self) -> str:
        """A digest of every ledger this book could use, and of how it chooses: a cached
        judgement of a proposal is only reused while this is unchanged."""
        digest = hashlib.sha256()
        digest.update(b"given" if self.search.given is not None else b"search")
        # Messages name ledgers by their path from the current folder.
        digest.update(os.path.realpath(os.curdir).encode("utf-8", "surrogateescape") + b"\0")
        for path in self.search.every():
            key = os.path.realpath(path)
            raw = self._read(key, path)
            digest.update(key.encode("utf-8", "surrogateescape") + b"\0")
            digest.update(hashlib.sha256(raw).digest() if raw is not None else b"unreadable")
        return digest.hexdigest()

    def actuals(self, year: Year) -> ActualsFile:
        """The actuals file beside a loaded year's ledger (empty when there is none), read
        once a run; its `findings` say when it is not valid (MN6)."""
        return self.actuals_beside(Path(next(r for r, y in self.by_path.items() if y is year)))

    def trusted_actuals(self, where: Path | Year) -> ActualsFile:
        """The actuals beside a ledger (a path, or a loaded year), refused (LotiError, exit 2)
        with each of its problems when the file is not valid or holds a row dated outside the
        ledger's year (MN6): no figure made from it could be trusted."""
        if isinstance(where, Year):
            year, path = where, Path(next(r for r, y in self.by_path.items() if y is where))
        else:
            year, path = self.load(where), where
        found = self.actuals_beside(path)
        problems = list(found.findings)
        if year.ledger.financial_year is not None:
            problems += outside_year(
                found.rows, year.ledger.financial_year, display_path(found.path)
            )
        if problems:
            raise LotiError(
                f"the actuals file {display_path(found.path)} is not valid, so no figure made "
                "from it can be trusted; fix it (each problem is below) and run again:",
                details=tuple(str(finding) for finding in problems),
            )
        return found

    def actuals_beside(self, ledger: Path) -> ActualsFile:
        """The actuals file beside `ledger` (`ledgers/2020-21.actuals.csv`), read once a run
        however many parts of a command ask; a missing file is an empty one."""
        key = os.path.realpath(ledger)
        if key not in self.actual_files:
            self.actual_files[key] = read_actuals(actuals_path(Path(key)), self.actuals_read(key))
        return self.actual_files[key]

    def actuals_read(self, ledger: Path | str) -> bytes | OSError:
        """The bytes of the actuals file beside `ledger`, or why they cannot be read: read once
        a run, and parsed only when a figure needs them (`actuals_beside`)."""
        key = os.path.realpath(ledger)
        if key not in self.actual_bytes:
            try:
                self.actual_bytes[key] = actuals_path(Path(key)).read_bytes()
            except OSError as error:
                self.actual_bytes[key] = error
        return self.actual_bytes[key]

    def bytes_of(self, path: Path) -> bytes | None:
        """A ledger file's bytes, read once a run (None when it cannot be read)."""
        return self._read(os.path.realpath(path), path)

    def _read(self, key: str, path: Path) -> bytes | None:
        if key not in self.raw:
            try:
                self.raw[key] = read_bytes(path)
            except YamlError:
                self.raw[key] = None
        return self.raw[key]
