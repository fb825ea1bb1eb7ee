"""`.loti_cache/`: what loti found in each proposal file, kept by content, so that an unchanged
portfolio is answered without reading YAML again; safe to delete at any time.

The key of an answer is the file's content (SHA-256 of its bytes) within a settings key
that covers loti's own code and every ledger the run could use, so an answer is never
stale: change a ledger or upgrade loti and every file is judged again. One JSON file
holds a settings key's answers; it is replaced in one step, so two runs at once never
corrupt it (the later one wins; an answer lost that way is only judged again). A cache
that cannot be read or parsed is ignored and rebuilt; one that cannot be written (a
read-only folder) is skipped without a word, as the run's result does not depend on it.

As git's index does, the cache also notes each file's size, modification and change times
and inode with the digest of the content it had: a file whose four are unchanged is
answered without being read (the change time moves whenever the file is written, even
when its modification time is put back). A file modified within RACY seconds of being noted is not noted,
since a later change in the same instant could keep all three.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from loti_cli.io.notes import FOLDER, OFF_ENV, RACY

FORMAT = 4
"""The layout of an answer; raise it when `to_data` changes shape."""
KEEP = 8
"""Settings files kept per version (others, for ledgers since changed, are removed)."""

Stat = tuple[int, int, int, int]
"""A file's size, modification and change times (ns) and inode."""


def wanted(no_cache: bool) -> bool:
    """Whether a run may use the cache: not with --no-cache or LOTI_NO_CACHE=1."""
    return not no_cache and os.environ.get(OFF_ENV, "").strip() in ("", "0")


def code_digest() -> str:
    """A digest of loti's own files (name, size, time), so a changed loti never reads old answers."""
    from loti_cli import __version__

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{__version__}:{FORMAT}".encode())
    # The code, and the data it reads (the borough roster, the rule catalogue, the schemas).
    found = (p for p in package.rglob("*") if p.suffix in (".py", ".csv", ".tsv", ".json"))
    for path in sorted(found):
        with contextlib.suppress(OSError):
            stat = path.stat()
            digest.update(
                f"{path.relative_to(package)}:{stat.st_size}:{stat.st_mtime_ns};".encode()
            )
    return digest.hexdigest()


class Cache:
    """The answers of one settings key; `get` and `put` by content digest, `save` at the end."""

    def __init__(self, file: Path | None) -> None:
        self.file = file
        self._answers: dict[str, Any] | None = None
        self._files: dict[str, Any] = {}
        self._new: dict[str, Any] = {}
        self._new_files: dict[str, list[Any]] = {}
        self._used: set[str] = set()

    @classmethod
    def off(cls) -> Cache:
        return cls(None)

    @classmethod
    def at(cls, root: Path, settings: str) -> Cache:
        """The cache in `root/.loti_cache/` for runs with these settings."""
        key = hashlib.sha256(f"{code_digest()}:{settings}".encode()).hexdigest()
        return cls(root / FOLDER / f"answers-{key[:24]}.json")

    @property
    def enabled(self) -> bool:
        return self.file is not None

    def stat(self, path: str | Path) -> Stat | None:
        """The size, times and inode of a file, when the cache is on and it has them."""
        if self.file is None:
            return None
        try:
            found = os.stat(path)  # noqa: PTH116 - no Path made for each of 20,000 files
        except OSError:
            return None
        return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)

    def digest_of_unchanged(self, real: str, stat: Stat | None) -> str | None:
        """The content digest noted for a file whose size, times and inode are as noted."""
        if stat is None:
            return None
        self._load()
        noted = self._files.get(real)
        if not isinstance(noted, list) or len(noted) != 5 or tuple(noted[:4]) != stat:
            return None
        digest = noted[4]
        return digest if isinstance(digest, str) else None

    def remember(self, real: str, stat: Stat | None, digest: str) -> None:
        """Note that the file with this size, times and inode holds content `digest`."""
        if stat is not None and stat[1] < time.time_ns() - RACY * 1_000_000_000:
            self._new_files[real] = [*stat, digest]

    def _load(self) -> None:
        if self._answers is None and self.file is not None:
            self._answers, self._files = _read(self.file)

    def get(self, digest: str) -> Any | None:
        if self.file is None:
            return None
        self._load()
        assert self._answers is not None
        answer = self._answers.get(digest)
        if answer is not None:
            self._used.add(digest)
        return answer

    def put(self, digest: str, answer: Any) -> None:
        if self.file is not None:
            self._new[digest] = answer
            self._used.add(digest)

    def save(self) -> None:
        """Write the new answers beside the ones still there; any failure leaves it as it was."""
        if self.file is None or not (self._new or self._new_files):
            return
        try:
            _write(self.file, *self._merged())
        except OSError:
            return  # a read-only or full folder: the run goes on without a cache

    def _merged(self) -> tuple[dict[str, Any], dict[str, Any]]:
        assert self.file is not None
        answers, files = _read(self.file)  # what another run may have added meanwhile
        answers.update(self._new)
        files.update(self._new_files)
        if len(answers) > 4 * len(self._used) + 1000:  # mostly answers for old contents
            answers = {key: answers[key] for key in self._used if key in answers}
        if len(files) > 2 * len(answers) + 1000:
            files = {key: note for key, note in files.items() if note[-1] in answers}
        return answers, files


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _read(file: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The answers by digest, and the files noted (real path -> size, times, inode, digest)."""
    try:
        data = json.loads(file.read_bytes())
    except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deep
        return {}, {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}, {}
    answers, files = data.get("answers"), data.get("files")
    return (
        answers if isinstance(answers, dict) else {},
        files if isinstance(files, dict) else {},
    )


def _write(file: Path, answers: Mapping[str, Any], files: Mapping[str, Any]) -> None:
    replace_json(file, {"format": FORMAT, "answers": answers, "files": files})
    prune(file, "answers-*.json")


def replace_json(file: Path, document: Mapping[str, Any]) -> None:
    """Write `document` as the JSON of `file` in one step (see `replace_text`)."""
    replace_text(file, json.dumps(document, separators=(",", ":")))


def replace_text(file: Path, text: str) -> None:
    """Write `text` as `file` in the cache folder in one step, creating the folder (with a
    .gitignore that keeps it out of git) when it is missing."""
    folder = file.parent
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if created or not (folder / ".gitignore").exists():
        (folder / ".gitignore").write_text("# written by loti: the cache is never committed\n*\n")
    handle, temporary = tempfile.mkstemp(prefix=".answers-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        Path(temporary).replace(file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def prune(keep: Path, pattern: str) -> None:
    """Remove the cache's files matching `pattern` (those of other settings) beyond the KEEP
    most recent, keeping `keep`."""
    with contextlib.suppress(OSError):
        files = sorted(
            (p for p in keep.parent.glob(pattern) if p != keep),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in files[KEEP - 1 :]:
            old.unlink(missing_ok=True)
