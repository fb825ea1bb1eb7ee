"""Files a command writes: never over a file the run reads (without --force), one clear error."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from loti_cli.errors import LotiError
from loti_cli.io.resolve import YEAR_FILE, display_path, ledger_from_environment, proposal_files

_YAML = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class Inputs:
    """What a run reads: files, and folders where a new YAML file would be read as well."""

    files: list[tuple[Path, str]] = field(default_factory=list)
    """Each file, and what it is to the run (`the ledger in use`, `a proposal in proposals/`)."""
    folders: list[tuple[Path, bool, str]] = field(default_factory=list)
    """(folder, ledgers only, what a new file there would be): a proposals folder reads every
    `*.yaml` and `*.yml` below it; a ledgers folder reads its `YYYY-YY.yaml` files."""

    def role_of(self, target: Path) -> str | None:
        """What `target` is to the run, or None when writing it touches nothing the run reads."""
        try:
            found = target.stat()
        except OSError:  # nothing there yet: does loti look for files where it would be made?
            return self._new_role(Path(os.path.realpath(target)))
        key = (found.st_dev, found.st_ino)  # the same file by any name: a link, another case
        for path, role in self.files:
            try:
                same = path.stat()
            except OSError:
                continue
            if (same.st_dev, same.st_ino) == key:
                shown = display_path(path)
                return role if shown == os.path.normpath(target) else f"{role}: {shown}"
        return self._new_role(Path(os.path.realpath(target)))

    def _new_role(self, target: Path) -> str | None:
        """What a file made at `target` would be: a ledger or proposal that loti reads."""
        if target.suffix.lower() not in _YAML or target.name.startswith("."):
            return None
        parent = target.parent
        for folder, ledgers, role in self.folders:
            if ledgers:
                if YEAR_FILE.match(target.name.lower()) and _same_folder(parent, folder):
                    return role
                continue
            real = parent.resolve()
            for ancestor in (real, *real.parents):  # below the folder, but not a hidden folder
                if _same_folder(ancestor, folder):
                    if not any(part.startswith(".") for part in real.relative_to(ancestor).parts):
                        return role
                    break
        return None


def _same_folder(one: Path, other: Path) -> bool:
    try:
        return one.samefile(other)
    except OSError:
        return False


def workspace(
    *,
    ledgers: Iterable[Path | None] = (),
    proposals: Path | None = None,
    named: Iterable[Path | None] = (),
    cwd: Path | None = None,
) -> Inputs:
    """The inputs of a run: the ledgers in use, their actuals files and the ledgers beside
    them, every `ledgers/*.yaml` here, the files of the proposals folder, and every path
    named on the command line (a folder by the proposals in it)."""
    from loti_cli.io.actuals_file import actuals_path

    here = cwd or Path.cwd()
    inputs = Inputs()
    in_use = [path for path in ledgers if path is not None]
    from_environment = ledger_from_environment()
    if from_environment is not None:
        in_use.append(from_environment)
    for ledger in in_use:
        inputs.files.append((ledger, "the ledger in use"))
        inputs.files.append((actuals_path(ledger), "the actuals file"))
        _ledgers_in(ledger.parent, inputs, every=False)
    _ledgers_in(here / "ledgers", inputs, every=True)
    if proposals is not None:
        _proposals_in(proposals, inputs, f"a proposal in {_folder(proposals)}")
    for name in named:
        if name is None or str(name) == "-":
            continue
        if name.is_dir():
            _proposals_in(name, inputs, f"a proposal in {_folder(name)}, named on the command line")
        else:
            inputs.files.append((name, "a file named on the command line"))
    return inputs


def _folder(path: Path) -> str:
    return display_path(path).rstrip("/") + "/"


def _ledgers_in(folder: Path, inputs: Inputs, *, every: bool) -> None:
    """`YYYY-YY.yaml` ledgers in `folder` (with `every`, any `*.yaml` or `*.yml` there)."""
    if not folder.is_dir():
        return
    role = f"a ledger in {_folder(folder)}"
    for path in sorted(folder.iterdir()):
        if path.is_file() and (
            YEAR_FILE.match(path.name) or (every and path.suffix.lower() in _YAML)
        ):
            inputs.files.append((path, role))
    inputs.folders.append((folder, True, role))


def _proposals_in(folder: Path, inputs: Inputs, role: str) -> None:
    inputs.files.extend((path, role) for path in proposal_files(folder))
    inputs.folders.append((folder, False, role))


def refuse_inputs(target: Path, inputs: Inputs, *, option: str, force: bool) -> None:
    """Stop (exit 2) before `target` is written when the run reads it, unless `force`.

    `option` names the target as the user gave it, e.g. `--output ledgers/2020-21.yaml`.
    """
    if force:
        return
    role = inputs.role_of(target)
    if role is None:
        return
    if target.exists():
        raise LotiError(
            f"{option}: is an input of this run ({role}); name another file, "
            "or add --force to overwrite it"
        )
    raise LotiError(
        f"{option}: would be read as an input ({role}); name another file, "
        "or add --force to write it there"
    )


def cannot_write(path: Path | str, error: OSError) -> str:
    """`cannot write PATH: REASON; what to do`, said once."""
    reason = error.strerror or str(error)
    folder = Path(path).parent
    where = display_path(folder) if str(folder) != "." else "the current folder"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        advice = f"check that {where} can be written to, or name a file in another folder"
    elif error.errno == errno.ENOSPC:
        advice = "free some space on the disk, or name a file on another one"
    else:
        advice = "name another file"
    return f"cannot write {path}: {reason}; {advice}"


def write(path: Path, text: str) -> None:
    """Write an output file atomically (see `write_atomic`); a failure is a LotiError."""
    from loti_cli.io.files import write_atomic

    try:
        write_atomic(path, text)
    except OSError as error:
        raise LotiError(cannot_write(path, error)) from None
