"""Reading files for loti: bounded in size, every failure a Problem the user can act on."""

from __future__ import annotations

from pathlib import Path

from loti_cli.io.yamlio import MAX_BYTES, Problem, YamlError


def read_bytes(path: Path) -> bytes:
    """A file's bytes, at most MAX_BYTES; raise YamlError saying why it cannot be read."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise YamlError(Problem("is a folder, not a file")) from None
    except OSError as error:
        raise YamlError(Problem(f"cannot be read: {error.strerror or error}")) from None
    if len(raw) > MAX_BYTES:
        raise YamlError(
            Problem(
                f"is larger than {MAX_BYTES // (1024 * 1024)} MiB; split it or check it is YAML"
            )
        )
    return raw
