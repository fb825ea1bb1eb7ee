"""Files: reading bytes and UTF-8 text within the size bound, and atomic writes of any output."""

from __future__ import annotations

import codecs
import os
import tempfile
from pathlib import Path

from loti_cli.io.yaml_read import MAX_BYTES, Mark, Problem, YamlError


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, bounded in size; raise YamlError with the place of a bad byte."""
    return decode(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """Read a file, bounded in size; raise YamlError when it cannot be read or is too large."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise YamlError(Problem("is a folder, not a file")) from None
    except OSError as error:
        raise YamlError(Problem(f"cannot be read: {error.strerror or error}")) from None
    _bounded(raw)
    return raw


def _bounded(raw: bytes) -> None:
    if len(raw) > MAX_BYTES:
        raise YamlError(
            Problem(
                f"is larger than {MAX_BYTES // (1024 * 1024)} MiB; split it or check it is YAML"
            )
        )


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a byte-order mark is allowed), naming the line and column of a bad byte
    and its offset from the start; too many bytes is a problem too."""
    _bounded(raw)
    skip = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[skip : skip + error.start]  # valid UTF-8, up to the bad byte
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        offset = skip + error.start
        raise YamlError(
            Problem(
                f"is not valid UTF-8 (byte 0x{raw[offset]:02x}) at byte offset {offset}; "
                "save the file as UTF-8",
                Mark(line, column),
            )
        ) from None


class FileChanged(Exception):
    """The file is not as it was read, or exists where none was; nothing was written."""


def write_atomic(
    path: Path, text: str, *, unchanged: bytes | None = None, exclusive: bool = False
) -> None:
    """Replace `path` with `text` so that a reader sees the old file or the new one, never half.

    The text goes to a temporary file in the same folder, is flushed to disk, then
    renamed over the original (an atomic step on one file system). With `unchanged`
    (the bytes the file held when it was read), the file is compared with them just
    before the rename, and FileChanged is raised if another program changed it
    meanwhile. With `exclusive`, the file is only created: FileChanged if it exists.
    """
    named = path
    path = Path(os.path.realpath(path))  # through a symlink to the file it names
    folder = path.parent
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:  # name the file the user asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(named)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).chmod(mode)
        if unchanged is not None and _current(path, len(unchanged)) != unchanged:
            raise FileChanged(f"{path} changed since it was read")
        if exclusive:
            _create(Path(temporary), path)
        else:
            Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)  # gone already once it is renamed
    if hasattr(os, "O_DIRECTORY"):
        directory = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _current(path: Path, size: int) -> bytes | None:
    """The file's bytes now (one more than `size` at most, enough to tell), None if it is gone."""
    try:
        with path.open("rb") as handle:
            return handle.read(size + 1)
    except FileNotFoundError:
        return None


def _create(temporary: Path, path: Path) -> None:
    """Give the written file its name unless a file has it: a hard link never replaces one."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise FileChanged(f"{path} exists") from None
    except OSError:  # a file system without hard links: create it exclusively instead
        try:
            with path.open("xb") as out:
                out.write(temporary.read_bytes())
                out.flush()
                os.fsync(out.fileno())
        except FileExistsError:
            raise FileChanged(f"{path} exists") from None


def replace_edited(path: Path, shown: str, read: bytes, edited: str, *, doing: str) -> None:
    """Write `edited` over a file loti read as `read` and edited in memory (a decision, a
    closure), keeping the byte-order mark it had, unless it has changed since it was read
    (an editor saved it meanwhile): then it is left as it is. `doing` says what was being
    recorded, for the message; raises LotiError (exit 2) when nothing could be written."""
    from loti_cli.errors import LotiError

    bom = read.startswith(codecs.BOM_UTF8)
    try:
        write_atomic(path, ("\ufeff" if bom else "") + edited, unchanged=read)
    except FileChanged:
        raise LotiError(
            f"{shown} changed while {doing} was being recorded (saved from an editor?); it "
            "was left as it is now and nothing was written. Run the command again to record "
            f"{doing} in the file as it is now"
        ) from None
    except OSError as error:
        raise LotiError(f"cannot write {shown}: {error.strerror or error}") from None
