"""The `$schema=` line of a new proposal: the project's own schema, as a path from the file."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from loti_cli.io.repository import repository_top

SCHEMA = Path("schemas") / "proposal.schema.json"
"""Where a project keeps the proposal schema, relative to its top folder."""


@dataclass(frozen=True, slots=True)
class SchemaLine:
    """What follows `$schema=` in a new proposal, or how to make it possible."""

    ref: str | None
    """The schema's path from the file's folder; None when the project has no schema."""
    save_to: str
    """Where `loti schema proposal >` would save the schema, from the current folder."""
    would_be: str
    """The `$schema=` path the file would have once the schema is saved there."""


def _relative(path: Path, start: Path) -> str | None:
    """`path` from `start`, with `/`; None when there is no relative path (another drive)."""
    try:
        return Path(os.path.relpath(path, start)).as_posix()
    except ValueError:
        return None


def schema_line(target: Path | None) -> SchemaLine:
    """The schema line of a proposal written to `target` (None: printed, for the current folder).

    The nearest `schemas/proposal.schema.json` at or above the file's folder,
    within its git repository when it is in one, as a path relative to the file;
    never an absolute path or the copy inside the installed package, since the
    line is committed with the file and read on other machines.
    """
    here = Path.cwd().resolve()
    base = target.parent.resolve() if target is not None else here
    top = repository_top(base)
    for folder in (base, *base.parents):
        ref = _relative(folder / SCHEMA, base) if (folder / SCHEMA).is_file() else None
        if ref is not None:
            return SchemaLine(ref, str(SCHEMA), ref)
        if folder == top:
            break
    root = top or (here if here == base or here in base.parents else base)
    related = root == here or root in here.parents or here in root.parents
    save = (_relative(root / SCHEMA, here) if related else None) or str(root / SCHEMA)
    return SchemaLine(None, save, _relative(root / SCHEMA, base) or str(SCHEMA))
