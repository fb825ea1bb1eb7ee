"""`loti actuals import`: an export's rows checked, matched and merged into the year's actuals."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from loti_cli.core.actuals import Actual
from loti_cli.core.findings import Finding, one_line
from loti_cli.core.money import Money
from loti_cli.core.suggest import did_you_mean
from loti_cli.errors import LotiError
from loti_cli.io.actuals_file import ActualsFile, actuals_path, read_actuals, write_actuals
from loti_cli.io.files import FileChanged
from loti_cli.io.import_rules import ImportRules, default_rules, read_rules
from loti_cli.io.resolve import choose_ledger, display_path
from loti_cli.pipeline.export_read import read_export
from loti_cli.pipeline.workspace import Workspace
from loti_cli.rules.im_import import IM4, IM7


class RulesUnusable(LotiError):
    """The rules file cannot be used (IM5, IM4): nothing is imported; `findings` say why."""

    def __init__(self, message: str, findings: list[Finding], details: tuple[str, ...]) -> None:
        super().__init__(message, details=details)
        self.findings = findings


@dataclass(frozen=True, slots=True)
class Options:
    """What the command line asked for."""

    export: Path
    rules: Path | None = None
    ledger: Path | None = None
    year: str | None = None
    proposals: Path | None = None
    dry_run: bool = False


@dataclass(slots=True)
class Imported:
    """What an import did (or, with --dry-run, would do)."""

    export: str
    actuals: str
    """The actuals file, as a user should see it."""
    added: list[Actual] = field(default_factory=list)
    already: int = 0
    findings: list[Finding] = field(default_factory=list)
    refused: int = 0
    written: bool = False

    @property
    def matched(self) -> list[Actual]:
        return [row for row in self.added if row.matched]

    @property
    def unmatched(self) -> list[Actual]:
        return [row for row in self.added if not row.matched]


def run_import(options: Options, note: Callable[[str], None]) -> Imported:
    """Read the rules, then the actuals file and the export, and add the export's new rows
    to the file. From reading the file to writing it, the lock of its folder is held, so
    that two imports at once never lose a row."""
    from contextlib import nullcontext

    from loti_cli.io.lock import folder_lock

    ledger_path, year, targets = _year(options)
    rules = _rules(options.rules or _default(ledger_path), targets)
    path = actuals_path(ledger_path)
    result = Imported(display_path(options.export), display_path(path))
    held = (
        nullcontext()
        if options.dry_run
        else folder_lock(
            path.parent,
            waiting=note,
            command="loti actuals import",
            why="The actuals are merged under this lock so that two imports at once lose no row",
        )
    )
    try:
        with held:
            existing = read_usable(path)
            known = {row.id: row for row in existing.rows}
            export = read_export(options.export, rules, year, known, result.actuals)
            del known
            result.added, result.already = export.rows, export.already
            result.refused = export.refused
            result.findings.extend(export.findings)
            result.findings.extend(repeated(export.rows, existing.rows, result.export))
            if not options.dry_run and result.added:
                _write(result, existing)
    except KeyboardInterrupt:  # Ctrl-C: the file is written in one step, or not at all
        done = f"{result.actuals} was written" if result.written else "nothing was written"
        print(f"loti: interrupted; {done}", file=sys.stderr)
        raise
    return result


@dataclass(slots=True)
class Targets:
    """What a rule may name: the year's expenditure lines and its proposals' ids."""

    year: str
    lines: tuple[str, ...]
    workspace: Workspace
    found: tuple[tuple[str, ...], tuple[str, ...]] | None = None

    def proposals(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The ids of the year's proposals, and the proposal files that cannot be read (one
        may have the id a rule names): read when a rule first names a proposal."""
        if self.found is None:
            ids: list[str] = []
            unreadable: list[str] = []
            for analysis in self.workspace.counted():
                entry = analysis.entry
                if entry is None:
                    unreadable.append(analysis.path)
                elif entry.financial_year == self.year and entry.id:
                    ids.append(entry.id)
            self.found = tuple(ids), tuple(unreadable)
        return self.found


def _year(options: Options) -> tuple[Path, str, Targets]:
    choice = choose_ledger(options.ledger, options.year)
    if choice.origin == "bundled":
        raise LotiError(
            f"the ledger in use is {choice.description}; actuals are kept beside the year's "
            "ledger, so run from the folder that holds ledgers/YYYY-YY.yaml, or pass --ledger"
        )
    workspace = Workspace.open(ledger=options.ledger, proposals=options.proposals)
    ledger = workspace.book.load(choice.path).ledger
    year = ledger.financial_year
    assert year is not None  # a ledger that loads has one
    if options.year is not None and year != options.year:
        raise LotiError(f"--year {options.year} but the ledger {choice.display} is for {year}")
    lines = tuple(line.name for line in ledger.expenditure or ())
    return choice.path, year, Targets(year, lines, workspace)


def _default(ledger: Path) -> Path:
    path = default_rules(ledger)
    if not path.exists():
        raise LotiError(
            f"no rules file {display_path(path)}: write one (see `loti actuals import --help` "
            "and the README's Actual spend) or name it with --rules; nothing was imported"
        )
    return path


def _rules(path: Path, targets: Targets) -> ImportRules:
    """The rules at `path`; LotiError with every IM5 and IM4 problem when they cannot be used."""
    shown = display_path(path)
    rules, problems = read_rules(path, shown)
    if rules is not None:
        problems.extend(_unknown_targets(rules, targets))
    if problems:
        count = len(problems)
        raise RulesUnusable(
            f"the rules file {shown} cannot be used:",
            problems,
            (
                *(str(problem) for problem in problems),
                f"{count} problem{'s' if count != 1 else ''}; fix them and import again "
                "(nothing was imported)",
            ),
        )
    assert rules is not None
    return rules


def _unknown_targets(rules: ImportRules, targets: Targets) -> Iterable[Finding]:
    for rule in rules.match:
        if rule.line and rule.line not in targets.lines:
            message = (
                f"line {rule.line!r} is not an expenditure line of the {targets.year} ledger"
                f"{did_you_mean(rule.line, targets.lines)}; name one of its lines exactly"
            )
        elif rule.proposal and rule.proposal not in (ids := targets.proposals())[0]:
            unread = (
                f" ({len(ids[1])} proposal file(s) cannot be read: {', '.join(ids[1])})"
                if ids[1]
                else ""
            )
            message = (
                f"proposal {rule.proposal!r} is not the id of a proposal of {targets.year}"
                f"{unread}{did_you_mean(rule.proposal, ids[0])}"
            )
        else:
            continue
        line, column = rule.target_at
        yield Finding(IM4.code, IM4.name, IM4.severity, message, rules.path, line, column)


def read_usable(path: Path) -> ActualsFile:
    """The actuals file, refused (exit 2, with its MN6 findings) when it is not valid: an
    invalid file is never written over."""
    found = read_actuals(path)
    if not found.valid:
        count = len(found.findings)
        raise LotiError(
            f"the actuals file {display_path(path)} is not valid, so nothing was imported "
            "(it is never written over while it is not):",
            details=(
                *(str(finding) for finding in found.findings),
                f"{count} problem{'s' if count != 1 else ''}; correct the file (git diff shows "
                "what changed since it was committed) and import again",
            ),
        )
    return found


def _write(result: Imported, existing: ActualsFile) -> None:
    """The file's rows and the new ones, written in one step (refused if the file changed)."""
    try:
        write_actuals(existing.path, [*existing.rows, *result.added], unchanged=existing.raw)
    except FileChanged:
        raise LotiError(
            f"{result.actuals} was changed by another program while the export was imported; "
            "nothing was written: import again"
        ) from None
    except OSError as error:  # a read-only folder, a full disk
        import errno

        folder = display_path(existing.path.parent)
        denied = error.errno in (errno.EACCES, errno.EPERM, errno.EROFS)
        fix = f"make {folder} writable" if denied else "correct that"
        raise LotiError(
            f"{result.actuals} cannot be written: {error.strerror or error}; nothing was "
            f"imported: {fix} and import again (--dry-run shows the rows without writing)"
        ) from None
    result.written = True


def repeated(added: Sequence[Actual], earlier: Sequence[Actual], export: str) -> list[Finding]:
    """IM7, at the first of the new rows with the date, amount, supplier and description of
    a row imported from another export (which another layout of the same export would
    give other ids), with how many there are."""
    source = added[0].source if added else ""
    seen: dict[tuple[object, ...], Actual] = {}
    for row in earlier:
        if row.source != source:
            seen.setdefault((row.date, row.amount, row.supplier, row.description), row)
    repeats = [
        (row, seen[key])
        for row in added
        if (key := (row.date, row.amount, row.supplier, row.description)) in seen
    ]
    if not repeats:
        return []
    first, old = repeats[0]
    count = len(repeats)
    message = (
        f"{count} new row{'s' if count != 1 else ''} "
        f"look{'s' if count == 1 else ''} like "
        f"{'a row' if count == 1 else 'rows'} imported from {one_line(old.source)} under another "
        f"id (the same date, amount, supplier and description; this one is "
        f"{one_line(old.id)} there): if this export repeats that one, delete the rows imported "
        "from it from the actuals file and import again; if they are other payments, nothing "
        "is wrong"
    )
    return [Finding(IM7.code, IM7.name, IM7.severity, message, export, first.at, 1)]


def total(rows: Iterable[Actual]) -> Money:
    """The exact sum of the rows' amounts."""
    return Money(sum((row.amount.amount for row in rows), Decimal(0)))


def note(text: str) -> None:
    print(f"loti: note: {text}", file=sys.stderr)
