"""Proposal files to Analyses: each file read once, answered from the cache when its content
was judged before, else judged here or, for many files, in worker processes."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from loti_cli.errors import LotiError
from loti_cli.io.cache import Cache, digest_of
from loti_cli.io.files import read_bytes
from loti_cli.io.load import load_proposal
from loti_cli.io.resolve import LedgerSearch
from loti_cli.io.yaml_read import YamlError
from loti_cli.pipeline.analyse import Analysis, analyse, analyse_bytes, from_data, to_data
from loti_cli.pipeline.ledgers import LedgerBook

PARALLEL_FROM = 300
"""With `jobs` left automatic, below this many files to judge one process is faster."""

BATCH = 2048
"""Files read ahead of the workers: bounds the bytes held in memory at once."""
BATCH_ALONE = 64
"""Files read at a time with no workers: as few as keep the loop cheap, since every file
read and judged leaves freed memory between the few objects kept of the ones before."""

Progress = Callable[[int, int], None]


def read_files(
    reals: Sequence[str],
    where: Callable[[str], tuple[str, str]],
    book: LedgerBook,
    cache: Cache,
    *,
    jobs: int | None = None,
    progress: Progress | None = None,
) -> Iterator[Analysis]:
    """Each file (by real path; `where` gives the path to open and the path shown) judged
    alone, in order; progress(done, total) as they come."""
    files = reals
    workers = _workers(jobs, len(files))
    size = BATCH if workers > 1 else BATCH_ALONE
    done = 0
    for start in range(0, len(files), size):
        batch = [(*where(real), real) for real in files[start : start + size]]
        for analysis in _batch(batch, book, cache, workers):
            done += 1
            if progress is not None:
                progress(done, len(files))
            yield analysis
    cache.save()


def _workers(jobs: int | None, files: int) -> int:
    from loti_cli.pipeline.workers import count

    return count(jobs, files, automatic_from=PARALLEL_FROM)


def _batch(
    batch: Sequence[tuple[str, str, str]], book: LedgerBook, cache: Cache, workers: int
) -> list[Analysis]:
    found: list[Analysis | None] = []
    missed: list[tuple[int, str, bytes, str]] = []
    for name, shown, real in batch:
        stat = cache.stat(name)
        known = cache.digest_of_unchanged(real, stat)
        analysis = _cached(cache, known, shown) if known is not None else None
        if analysis is not None:  # unchanged since its content was judged: not read again
            found.append(analysis)
            continue
        path = Path(name)
        try:
            raw = read_bytes(path)
        except YamlError:  # loading says why, with the same words as for any file
            found.append(analyse(load_proposal(path, shown), book))
            continue
        digest = digest_of(raw)
        cache.remember(real, stat, digest)
        analysis = _cached(cache, digest, shown)
        if analysis is None:
            missed.append((len(found), digest, raw, shown))
        found.append(analysis)
    for (index, digest, _, shown), judged in zip(
        missed, _judge(missed, book, workers), strict=True
    ):
        if isinstance(judged, Analysis):
            if cache.enabled:
                cache.put(digest, to_data(judged))
            found[index] = judged
        else:
            cache.put(digest, judged)
            found[index] = from_data(judged, shown)
    return [analysis for analysis in found if analysis is not None]


def _cached(cache: Cache, digest: str, shown: str) -> Analysis | None:
    answer = cache.get(digest)
    if answer is None:
        return None
    try:
        return from_data(answer, shown)
    except (KeyError, TypeError, ValueError, IndexError, ArithmeticError):  # damaged: judge again
        return None


def _judge(
    missed: list[tuple[int, str, bytes, str]], book: LedgerBook, workers: int
) -> Iterator[Analysis | dict[str, Any]]:
    """Each missed file judged, in order: here, or as plain data from a worker."""
    items = [(raw, shown) for _, _, raw, shown in missed]
    done = 0
    if workers > 1 and len(items) > 1:
        try:
            for data in _pool_map(items, book.search, workers):
                yield data
                done += 1
        except (OSError, BrokenProcessPool):  # no processes to be had here: do the rest alone
            pass
    for raw, shown in items[done:]:
        yield analyse_bytes(raw, shown, book)


def _pool_map(
    items: list[tuple[bytes, str]], search: LedgerSearch, workers: int
) -> Iterator[dict[str, Any]]:
    from loti_cli.pipeline.workers import pool

    # fork starts workers fastest and needs no import guard in __main__; elsewhere the default.
    method = "fork" if sys.platform == "linux" else None
    chunk = max(1, len(items) // (workers * 4))
    with pool(workers, _start, (search,), method=method) as executor:
        for result in executor.map(_work, items, chunksize=chunk):
            if isinstance(result, LotiError):  # a broken ledger: the run stops with it
                raise result
            yield result


_BOOK: list[LedgerBook] = []


def _start(search: LedgerSearch) -> None:
    _BOOK[:] = [LedgerBook(search)]


def _work(item: tuple[bytes, str]) -> dict[str, Any] | LotiError:
    raw, shown = item
    try:
        return to_data(analyse_bytes(raw, shown, _BOOK[0]))
    except LotiError as error:
        return error
