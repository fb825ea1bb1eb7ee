"""The workspace: a year's ledgers, its proposals folder and every proposal file a command
reads, each read once; what every command works from."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from loti_cli.io.actuals_file import ActualsFile
from loti_cli.io.cache import Cache, wanted
from loti_cli.io.memo import Memo, Row, Stat
from loti_cli.io.resolve import (
    LedgerSearch,
    Listing,
    Unlisted,
    default_proposals,
    display_path,
    scan_proposals,
)
from loti_cli.pipeline.analyse import Analysis
from loti_cli.pipeline.ledgers import LedgerBook
from loti_cli.pipeline.reading import Progress, read_files

if TYPE_CHECKING:
    from loti_cli.core.model import Proposal
    from loti_cli.io.load import Source


@dataclass(slots=True)
class Workspace:
    """What a command reads, read once: ledgers by year, and proposal files by real path.

    `folder` is the proposals folder whose files count in the budget and across the
    portfolio (BU2, BU3, ID1) beside the files a command names.
    """

    book: LedgerBook
    folder: Path | None = None
    cache: Cache = field(default_factory=Cache.off)
    jobs: int | None = None
    read: dict[str, Analysis] = field(default_factory=dict)
    """Every proposal file read so far, by real path."""
    folder_files: dict[str, str] | None = None
    """The folder's files (real path -> path as found), in order, once listed."""
    folder_unlisted: list[Unlisted] = field(default_factory=list)
    """The folders below it that could not be listed: they may hold any proposal."""
    listing: Listing | None = None
    """The folder's listing, when it was already made."""
    memo: Memo | None = None
    """The folder's memo (folder_memo), once opened: its files stat'ed before any is read."""
    read_stats: dict[str, Stat] = field(default_factory=dict)
    """The size, times and inode of a file read before the folder's memo was opened, taken
    as it was read (the file `proposal decide` edits), for the memo to keep."""
    early: frozenset[str] = frozenset()
    """The files read before the folder's memo was opened."""

    @classmethod
    def open(
        cls,
        *,
        ledger: Path | None = None,
        proposals: Path | None = None,
        no_cache: bool = False,
        jobs: int | None = None,
        listings: dict[str, Listing] | None = None,
    ) -> Workspace:
        """The workspace of the current folder: --ledger and --proposals, else the defaults.
        `listings` are folders already listed, by real path (the proposals folder among them
        is not listed again)."""
        folder = default_proposals(proposals)
        book = LedgerBook(LedgerSearch.here(ledger))
        root = _root(folder)
        cache = Cache.at(root, book.fingerprint()) if root and wanted(no_cache) else Cache.off()
        listing = (listings or {}).get(os.path.realpath(folder)) if folder is not None else None
        return cls(book, folder, cache, jobs, listing=listing)

    def load(
        self,
        files: Sequence[str | Path] = (),
        progress: Progress | None = None,
        *,
        reals: Sequence[str] | None = None,
    ) -> list[Analysis]:
        """The folder's files and `files`, each read once (however often named); returns the
        analyses of `files`, in order. `reals` are their real paths, when already known."""
        found = reals if reals is not None else [os.path.realpath(path) for path in files]
        folder = self._folder_files()
        named: dict[str, str] = {}  # the files named that are not the folder's
        for real, path in zip(found, files, strict=True):
            if real not in folder:
                named.setdefault(real, str(path))
        # Real paths alone, each once, in order: a large portfolio holds many.
        todo = [real for real in (*folder, *named) if real not in self.read]
        cwd = _cwd()

        def where(real: str) -> tuple[str, str]:
            path = folder.get(real) or named[real]
            return path, _shown(real, path, cwd)

        reading = read_files(todo, where, self.book, self.cache, jobs=self.jobs, progress=progress)
        for real, analysis in zip(todo, reading, strict=True):
            self.read[real] = analysis
        return [self.read[real] for real in found]

    def portfolio(self) -> list[Analysis]:
        """The folder's files, in order (read if not yet)."""
        self.load()
        return [self.read[real] for real in self.folder_reals()]

    def counted(self) -> list[Analysis]:
        """What the budget counts: the folder's files, and each folder below it that cannot be
        listed, as a file that cannot be read (it may hold any proposal)."""
        return [*self.portfolio(), *self.unlisted_analyses()]

    def sources(self) -> list[Source[Proposal]]:
        """The folder's files loaded whole, each read once, and the folders below it that
        cannot be listed as sources that cannot be read: for the 360Giving export, which
        publishes more of each proposal than an Entry keeps (not cached)."""
        from loti_cli.io.load import load_proposal, unlisted_sources

        loaded = [
            load_proposal(Path(path), display_path(Path(path)))
            for path in self._folder_files().values()
        ]
        return [*loaded, *unlisted_sources(self.unlisted())]

    def actuals(self, ledger: Path) -> ActualsFile:
        """The actuals beside `ledger` (`ledgers/2020-21.actuals.csv`), read once per run
        however many parts of a command ask; a missing file is an empty one."""
        return self.book.actuals_beside(ledger)

    def trusted_actuals(self, ledger: Path) -> ActualsFile:
        """The actuals beside `ledger`, refused with each problem when not valid (MN6):
        see LedgerBook.trusted_actuals."""
        return self.book.trusted_actuals(ledger)

    def unlisted_analyses(self) -> list[Analysis]:
        """Each folder below the proposals folder that cannot be listed, as an unreadable file."""
        from loti_cli.io.load import unlisted_sources

        return [
            Analysis(source.path, None, tuple(source.problems))
            for source in unlisted_sources(self.unlisted())
        ]

    def beside(self, me: str) -> list[tuple[str, Analysis]]:
        """The folder's files other than `me` (a real path), in order, as the budget and the
        rules across the portfolio see them: from the folder's memo while no file in it
        has changed, else read (and the memo kept for the next decision)."""
        from loti_cli.pipeline.folder_memo import decode

        files = self._folder_files()
        memo = self.open_memo()
        kept = decode(memo.load(), [row[1] for row in memo.rows]) if memo is not None else None
        if kept is None:
            self.load()
            self.keep_memo()
            kept = [self.read[real] for real in files]
        return [(real, analysis) for real, analysis in zip(files, kept, strict=True) if real != me]

    def open_memo(self) -> Memo | None:
        """The folder's memo, its files stat'ed now (before they are read); None without a
        cache or when a folder below cannot be listed."""
        if self.memo is None and self.cache.file is not None and not self.unlisted():
            from loti_cli.pipeline.folder_memo import open_memo

            root, cwd = self.cache.file.parent.parent, _cwd()
            # By the paths shown, the same however the folder was named.
            files = [(real, _shown(real, path, cwd)) for real, path in self._folder_files().items()]
            key = f"{self.cache.file.name}\0{os.path.realpath(self.folder or '.')}"
            self.memo = open_memo(key, root, files)
            self.early = frozenset(self.read)
        return self.memo

    def keep_memo(self) -> None:
        """Keep the folder, read whole, in its memo (opened before it was read)."""
        if self.memo is None or not all(real in self.read for real in self._folder_files()):
            return
        # A file read before the folder was stat'ed is kept under its size and times as it
        # was read, never under later ones (it may have changed in between); unknown: no memo.
        if any(row[0] in self.early and row[0] not in self.read_stats for row in self.memo.rows):
            return
        rows: list[Row] = [
            (row[0], row[1], *self.read_stats[row[0]]) if row[0] in self.early else row
            for row in self.memo.rows
        ]
        from loti_cli.pipeline.folder_memo import encode

        replace(self.memo, rows=rows).save(encode([self.read[r] for r in self._folder_files()]))

    def folder_paths(self) -> dict[str, str]:
        """The folder's files, in order: real path -> path as found."""
        return self._folder_files()

    def folder_reals(self) -> list[str]:
        """The real paths of the folder's files, in order."""
        return list(self._folder_files())

    def _folder_files(self) -> dict[str, str]:
        if self.folder_files is None:
            listing = self.listing
            if listing is None and self.folder is not None:
                listing = scan_proposals(self.folder)
            self.folder_files = {}
            if listing is not None:
                for real, path in zip(listing.reals, listing.files, strict=True):
                    self.folder_files.setdefault(real, path)
            self.folder_unlisted = list(listing.unlisted) if listing is not None else []
            self.listing = None
        return self.folder_files

    def unlisted(self) -> list[Unlisted]:
        """The folders below the proposals folder that could not be listed."""
        self._folder_files()
        return self.folder_unlisted


def _cwd() -> str:
    return os.path.realpath(Path.cwd()).rstrip(os.sep) + os.sep


def _shown(real: str, path: str, cwd: str) -> str:
    """A file as display_path shows it, from its real path and the current folder (`_cwd`),
    without resolving it again: paths stay text, as a large portfolio holds many."""
    if not real.startswith(cwd):
        return path
    shown = real[len(cwd) :]
    return path if shown == path else shown  # one copy of the text


def _root(folder: Path | None) -> Path | None:
    """Where the cache lives: the folder that holds the proposals folder, else the current
    folder when it holds ledgers/; None elsewhere (a file checked on its own, from a folder
    that is no workspace, leaves nothing behind)."""
    if folder is not None:
        return folder.resolve().parent
    here = Path.cwd()
    return here if (here / "ledgers").is_dir() else None
