"""`.loti_cache/`: what loti found in each proposal file, kept by content, so that an unchanged
portfolio is answered without reading YAML again; safe to delete at any time.

The key of an answer is the file's content (SHA-256 of its bytes) within a settings key
that covers loti's own code and every ledger the run could use, so an answer is never
stale: change a ledger or upgrade loti and every file is judged again. One JSON file
holds a settings key's answers; it is replaced in one step, so two runs at once never
corrupt it (the later one wins; an answer lost that way is only judged again). A cache
that cannot be read or parsed is ignored and rebuilt; one that cannot be written (a
read-only folder) is skipped without a word, as the run's result does not depend on it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

FOLDER = ".loti_cache"
OFF_ENV = "LOTI_NO_CACHE"
FORMAT = 1
"""The layout of an answer; raise it when `to_data` changes shape."""
KEEP = 8
"""Settings files kept per version (others, for ledgers since changed, are removed)."""


def wanted(no_cache: bool) -> bool:
    """Whether a run may use the cache: not with --no-cache or LOTI_NO_CACHE=1."""
    return not no_cache and os.environ.get(OFF_ENV, "").strip() in ("", "0")


def code_digest() -> str:
    """A digest of loti's own files (name, size, time), so a changed loti never reads old answers."""
    from loti_cli import __version__

    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{__version__}:{FORMAT}".encode())
    for path in sorted(package.rglob("*.py")):
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
        self._new: dict[str, Any] = {}
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

    def get(self, digest: str) -> Any | None:
        if self.file is None:
            return None
        if self._answers is None:
            self._answers = _read(self.file)
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
        if self.file is None or not self._new:
            return
        try:
            _write(self.file, self._merged())
        except OSError:
            return  # a read-only or full folder: the run goes on without a cache

    def _merged(self) -> dict[str, Any]:
        assert self.file is not None
        merged = _read(self.file)  # what another run may have added meanwhile
        merged.update(self._new)
        if len(merged) > 4 * len(self._used) + 1000:  # mostly answers for old contents
            merged = {key: merged[key] for key in self._used if key in merged}
        return merged


def digest_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _read(file: Path) -> dict[str, Any]:
    try:
        data = json.loads(file.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return {}
    answers = data.get("answers")
    return answers if isinstance(answers, dict) else {}


def _write(file: Path, answers: Mapping[str, Any]) -> None:
    folder = file.parent
    created = not folder.exists()
    folder.mkdir(parents=True, exist_ok=True)
    if created or not (folder / ".gitignore").exists():
        (folder / ".gitignore").write_text("# written by loti: the cache is never committed\n*\n")
    text = json.dumps({"format": FORMAT, "answers": answers}, separators=(",", ":"))
    handle, temporary = tempfile.mkstemp(prefix=".answers-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        Path(temporary).replace(file)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(folder, keep=file)


def _prune(folder: Path, keep: Path) -> None:
    """Remove the answer files of other settings beyond the KEEP most recent."""
    with contextlib.suppress(OSError):
        files = sorted(
            (p for p in folder.glob("answers-*.json") if p != keep),
            key=lambda p: p.stat().st_mtime,
            reverse=True,
        )
        for old in files[KEEP - 1 :]:
            old.unlink(missing_ok=True)
