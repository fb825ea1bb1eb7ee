"""`loti report borough --all`: every member's statement into one folder, with an index page."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from loti_cli.errors import LotiError
from loti_cli.io.outputs import Inputs, refuse_inputs, write
from loti_cli.pipeline.boroughs import MemberStatement, Statements

INDEX = "index.html"
_SUFFIXES = {"html": ".html", "markdown": ".md", "json": ".json"}
_RESERVED = frozenset({"index", "con", "prn", "aux", "nul", *(f"com{n}" for n in range(10))})
"""Names a statement never takes: the index, and names Windows keeps for devices."""


@dataclass(frozen=True, slots=True)
class Folder:
    """Where --all writes, and what it must not write over."""

    path: Path
    inputs: Inputs
    force: bool


def plan(path: Path, inputs: Inputs, *, force: bool) -> Folder:
    """The --output-dir folder, checked (and its index) before anything is read."""
    if path.exists() and not path.is_dir():
        raise LotiError(f"--output-dir {path}: is a file; name a folder")
    if not path.exists() and not path.parent.is_dir():
        raise LotiError(f"--output-dir {path}: no such folder {path.parent}")
    folder = Folder(path, inputs, force)
    _refuse(folder, path / INDEX)
    return folder


def file_names(names: list[str], suffix: str) -> list[str]:
    """A file name for each member, safe in any file system and unique (case aside): the
    name in ASCII letters and digits joined by `-`, or `member-N` when none is left."""
    taken: set[str] = set()
    found = []
    for number, name in enumerate(names, start=1):
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        stem = re.sub(r"[^a-z0-9]+", "-", ascii_name.casefold()).strip("-")[:60].strip("-")
        if not stem or stem in _RESERVED:
            stem = f"member-{number}"
        unique, count = stem, 1
        while unique in taken:
            count += 1
            unique = f"{stem}-{count}"
        taken.add(unique)
        found.append(unique + suffix)
    return found


def write_all(result: Statements, folder: Folder, name: str) -> Path:
    """Every member's statement in format `name`, then the index; returns the index's path.
    Each file is checked before any is written, and each is replaced in one step."""
    from loti_cli.report import STATEMENT_REPORTERS
    from loti_cli.report.borough_index import render_index

    reporter = STATEMENT_REPORTERS[name]
    names = file_names([member.name for member in result.members], _SUFFIXES[name])
    targets = [folder.path / file for file in names]
    for target in targets:
        _refuse(folder, target)
    try:
        folder.path.mkdir(exist_ok=True)
    except OSError as error:
        raise LotiError(
            f"cannot make {folder.path}: {error.strerror or error}; name another folder"
        ) from None
    for member, target in zip(result.members, targets, strict=True):
        write(target, reporter.render(MemberStatement(result, member)))
    index = folder.path / INDEX
    write(index, render_index(result, names))
    return index


def _refuse(folder: Folder, target: Path) -> None:
    refuse_inputs(target, folder.inputs, option=f"--output-dir {target}", force=folder.force)
