"""`loti actuals import`: an export's rows checked, matched and merged into the year's actuals."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from loti_cli.core.actuals import Actual
from loti_cli.core.findings import Finding
from loti_cli.core.money import Money
from loti_cli.core.suggest import did_you_mean
from loti_cli.errors import LotiError
from loti_cli.io.actuals_file import ActualsFile, actuals_path, read_actuals, write_actuals
from loti_cli.io.files import FileChanged
from loti_cli.io.import_rules import ImportRules, default_rules, read_rules
from loti_cli.io.resolve import choose_ledger, display_path
from loti_cli.pipeline.export_read import read_export
from loti_cli.pipeline.workspace import Workspace
from loti_cli.rules.im_import import IM4, IM6


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
    """Read the rules and the export, then merge the new rows into the actuals file (under
    the lock of its folder, so that two imports at once never lose a row)."""
    from loti_cli.io.lock import folder_lock

    ledger_path, year, targets = _year(options)
    rules = _rules(options.rules or _default(ledger_path), targets)
    export = read_export(options.export, rules, year)
    path = actuals_path(ledger_path)
    result = Imported(display_path(options.export), display_path(path), refused=export.refused)
    result.findings.extend(export.findings)
    if options.dry_run:
        _merge(result, read_usable(path), export.rows, write=False)
        return _unmatched(result, export.unmatched)
    with folder_lock(
        path.parent,
        waiting=note,
        command="loti actuals import",
        why="The actuals are merged under this lock so that two imports at once lose no row",
    ):
        _merge(result, read_usable(path), export.rows, write=True)
    return _unmatched(result, export.unmatched)


def _unmatched(result: Imported, found: dict[str, Finding]) -> Imported:
    """IM2 for each unmatched row imported now (one imported before was reported then)."""
    result.findings.extend(found[row.id] for row in result.added if row.id in found)
    return result


@dataclass(frozen=True, slots=True)
class Targets:
    """What a rule may name: the year's expenditure lines and its proposals' ids."""

    year: str
    lines: tuple[str, ...]
    proposals: tuple[str, ...]
    unreadable: tuple[str, ...] = ()
    """Proposal files that cannot be read (one of them may have the id a rule names)."""


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
    ids: list[str] = []
    unreadable: list[str] = []
    for analysis in workspace.counted():
        entry = analysis.entry
        if entry is None:
            unreadable.append(analysis.path)
        elif entry.financial_year == year and entry.id:
            ids.append(entry.id)
    lines = tuple(line.name for line in ledger.expenditure or ())
    return choice.path, year, Targets(year, lines, tuple(ids), tuple(unreadable))


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
        elif rule.proposal and rule.proposal not in targets.proposals:
            unread = (
                f" ({len(targets.unreadable)} proposal file(s) cannot be read: "
                f"{', '.join(targets.unreadable)})"
                if targets.unreadable
                else ""
            )
            message = (
                f"proposal {rule.proposal!r} is not the id of a proposal of {targets.year}"
                f"{did_you_mean(rule.proposal, targets.proposals)}{unread}"
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


def _merge(result: Imported, existing: ActualsFile, rows: list[Actual], *, write: bool) -> None:
    """Add the rows whose id the file does not have; a row it has with other content is kept
    as the file has it, and reported (IM6)."""
    known = {row.id: row for row in existing.rows}
    for row in rows:
        held = known.get(row.id)
        if held is None:
            result.added.append(row)
            known[row.id] = row
            continue
        result.already += 1
        if _content(held) != _content(row):
            result.findings.append(_changed(result, held, row))
    if write and result.added:
        try:
            write_actuals(existing.path, [*existing.rows, *result.added], unchanged=existing.raw)
        except FileChanged:
            raise LotiError(
                f"{result.actuals} was changed by another program while the export was "
                "imported; nothing was written: import again"
            ) from None
        result.written = True


def _content(row: Actual) -> tuple[object, ...]:
    return (row.date, row.amount, row.line, row.proposal, row.supplier, row.description)


def _shown(row: Actual) -> tuple[str, ...]:
    """The compared cells as the actuals file writes them."""
    cells = row.cells()
    return (cells[1], cells[2], cells[3], cells[4], cells[5], cells[6])


def _changed(result: Imported, held: Actual, row: Actual) -> Finding:
    names = ("date", "amount", "line", "proposal", "supplier", "description")
    differs = [
        f"{name} {old!r} there, {new!r} here"
        for name, old, new in zip(names, _shown(held), _shown(row), strict=True)
        if old != new
    ]
    return Finding(
        IM6.code,
        IM6.name,
        IM6.severity,
        f"id {row.id!r} is already imported ({result.actuals}:{held.at}) with other content: "
        f"{'; '.join(differs)}. The imported row is kept; to take this one, delete that row "
        "and import again",
        result.export,
        row.at or None,
        1 if row.at else None,
    )


def total(rows: Iterable[Actual]) -> Money:
    """The exact sum of the rows' amounts."""
    return Money(sum((row.amount.amount for row in rows), Decimal(0)))


def note(text: str) -> None:
    print(f"loti: note: {text}", file=sys.stderr)
