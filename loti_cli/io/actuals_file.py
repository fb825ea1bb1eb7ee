"""The year's actuals file, `ledgers/YYYY-YY.actuals.csv`: read strictly (MN6), written atomically."""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from loti_cli.core.actuals import COLUMNS, Actual, sort_key
from loti_cli.core.findings import Finding, Severity
from loti_cli.core.money import LIMIT, Money
from loti_cli.io.csv_cells import CsvRow, csv_problem
from loti_cli.io.files import write_atomic
from loti_cli.io.resolve import display_path

CODE, NAME = "MN6", "invalid-actuals"
_AMOUNT = re.compile(r"-?(?:0|[1-9][0-9]{0,12})\.[0-9]{2}")
"""Pounds and pence below LIMIT (13 digits), so that a year's sum stays exact in Decimal."""
_LARGE = re.compile(r"-?[1-9][0-9]{13,}\.[0-9]{2}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_ROW = re.compile(r"[1-9][0-9]*")
HEADER = ",".join(COLUMNS)


def actuals_path(ledger: Path) -> Path:
    """`ledgers/2020-21.yaml` -> `ledgers/2020-21.actuals.csv`: the actuals beside their ledger."""
    stem = ledger.name.removesuffix(".yaml").removesuffix(".yml")
    return ledger.with_name(f"{stem}.actuals.csv")


@dataclass(frozen=True, slots=True)
class ActualsFile:
    """What the actuals file holds: its rows, or the MN6 findings that it is not valid."""

    path: Path
    rows: tuple[Actual, ...] = ()
    findings: tuple[Finding, ...] = ()
    exists: bool = False
    raw: bytes | None = None
    """The bytes read, so that a writer can refuse to replace a file changed since."""

    @property
    def valid(self) -> bool:
        return not self.findings


def read_actuals(path: Path, read: bytes | OSError | None = None) -> ActualsFile:
    """Read the actuals file at `path`; a missing file is an empty, valid one (exists False).
    `read` is the file's bytes, or why they could not be read, when the caller has read it.

    Every problem is an MN6 finding at `path:line:column`, all of them in one read; rows
    with a problem are left out of `rows`, so a caller fails the run rather than count them.
    """
    shown = display_path(path)
    try:
        if isinstance(read, OSError):
            raise read
        raw = path.read_bytes() if read is None else read
    except FileNotFoundError:
        return ActualsFile(path)
    except IsADirectoryError:
        return ActualsFile(
            path, findings=(_finding(shown, "is a folder, not a file"),), exists=True
        )
    except OSError as error:
        message = f"cannot be read: {error.strerror or error}"
        return ActualsFile(path, findings=(_finding(shown, message),), exists=True)
    text, problem = _decoded(raw, shown)
    if problem is not None:
        return ActualsFile(path, findings=(problem,), exists=True, raw=raw)
    reading = _Reading(shown)
    # The rows hold no reference cycles: the cyclic collector, which would walk the growing
    # list again and again, is paused while a large file is read.
    collecting = gc.isenabled()
    gc.disable()
    try:
        rows = reading.rows(text)
    finally:
        if collecting:
            gc.enable()
    return ActualsFile(path, tuple(rows), tuple(reading.findings), exists=True, raw=raw)


def _decoded(raw: bytes, shown: str) -> tuple[str, Finding | None]:
    skip = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[skip:].decode("utf-8"), None
    except UnicodeDecodeError as error:
        before = raw[skip : skip + error.start]
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        message = (
            f"is not valid UTF-8 (byte 0x{raw[skip + error.start]:02x}); loti writes this file "
            "as UTF-8: undo the edit that changed it, or import the export again"
        )
        return "", _finding(shown, message, line, column)


def _pence(text: str) -> Money:
    """An amount the reader has matched as `-?digits.dd`: exact as it is, so made without
    Money's checks (a large file has a hundred thousand); a zero goes through them."""
    value = Decimal(text)
    if not value:
        return Money(value)
    money = object.__new__(Money)
    object.__setattr__(money, "amount", value)
    return money


def _finding(
    path: str, message: str, line: int | None = None, column: int | None = None
) -> Finding:
    return Finding(CODE, NAME, Severity.ERROR, message, path, line, column)


class _Reading:
    """One read of an actuals file, collecting every problem it finds."""

    def __init__(self, shown: str) -> None:
        self.shown = shown
        self.findings: list[Finding] = []
        self.seen: dict[str, int] = {}
        self.days: dict[str, date] = {}
        self.shared: dict[str, str] = {}

    def problem(self, message: str, row: CsvRow | None, index: int = 0) -> None:
        line, column = row.position(index) if row is not None else (1, 1)
        self.findings.append(_finding(self.shown, message, line, column))

    def rows(self, text: str) -> list[Actual]:
        """Every valid row; a row with a problem is read again, with its cells' places, to
        say where (a large file of valid rows is read at the speed of the csv module)."""
        found: list[Actual] = []
        # Lines as an editor counts them (not str.splitlines, which also splits at \u2028).
        lines = io.StringIO(text, newline="").readlines()
        reader = csv.reader(lines, strict=True)
        end = 0
        try:
            for values in reader:
                start, end = end + 1, reader.line_num
                if start == 1:
                    if tuple(values) != COLUMNS:
                        header = CsvRow(1, tuple(values), "".join(lines[:end]))
                        wrote = ",".join(values)
                        self.problem(f"the header is {wrote!r}; it must be {HEADER!r}", header)
                        return []
                    continue
                actual = self.quick(values, start)
                if actual is None and any(value.strip() for value in values):
                    row = CsvRow(start, tuple(values), "".join(lines[start - 1 : end]))
                    actual = self.actual(row)
                if actual is not None:
                    found.append(actual)
        except csv.Error as error:
            self.findings.append(_finding(self.shown, csv_problem(error), end + 1, 1))
            return found
        if end == 0:
            self.problem(
                f"the file is empty; it starts with the header {HEADER!r}: delete the file (no "
                "file is a year with no actuals) or undo the edit that emptied it",
                None,
            )
        return found

    def quick(self, values: list[str], start: int) -> Actual | None:
        """The row as an Actual when it has no problem at all; None otherwise (then `actual`
        reads it again and says what is wrong). Dates and the text that repeats from row to
        row (line, proposal, supplier, source) are kept once, for a large file's sake."""
        if len(values) != 9:
            return None
        ident, when, amount, line, proposal, supplier, description, source, number = values
        if not ident.strip() or ident in self.seen or (line and proposal):
            return None
        if not (number.isascii() and number.isdigit() and number[0] != "0"):
            return None
        day = self.days.get(when)
        if day is None:
            if len(when) != 10 or when[4] != "-" or when[7] != "-":
                return None
            try:
                day = self.days.setdefault(when, date.fromisoformat(when))
            except ValueError:
                return None
        if not _AMOUNT.fullmatch(amount):
            return None
        self.seen[ident] = start
        share = self.shared.setdefault
        return Actual(
            ident,
            day,
            _pence(amount),
            share(line, line) if line else line,
            share(proposal, proposal) if proposal else proposal,
            share(supplier, supplier),
            description,
            share(source, source),
            int(number),
            start,
        )

    def actual(self, row: CsvRow) -> Actual | None:
        values = row.values
        if len(values) != len(COLUMNS):
            self.problem(f"has {len(values)} cells; each row has {len(COLUMNS)}: {HEADER}", row)
            return None
        ident, when, amount, line, proposal, supplier, description, source, number = values
        before = len(self.findings)
        if not ident.strip():
            self.problem("id is empty; every row has a unique id", row, 0)
        elif ident in self.seen:
            self.problem(f"id {ident!r} is also on line {self.seen[ident]}; ids are unique", row, 0)
        else:
            self.seen[ident] = row.line
        day = self.day(when, row)
        if _LARGE.fullmatch(amount):
            self.problem(
                f"amount {amount!r} is too large: amounts are below £{LIMIT:,.0f} (the import "
                "never writes one); correct it, or import the export again",
                row,
                2,
            )
        elif not _AMOUNT.fullmatch(amount):
            self.problem(
                f"amount {amount!r} is not written with two decimals (1234.50, -80.00)", row, 2
            )
        if line and proposal:
            self.problem("names both a line and a proposal; a row is spent on one of them", row, 4)
        if not _ROW.fullmatch(number):
            self.problem(f"source_row {number!r} is not a row number (1, 2, ...)", row, 8)
        if len(self.findings) > before or day is None:
            return None
        shared = self.shared
        return Actual(
            ident,
            day,
            Money(Decimal(amount)),
            shared.setdefault(line, line),
            shared.setdefault(proposal, proposal),
            shared.setdefault(supplier, supplier),
            description,
            shared.setdefault(source, source),
            int(number),
            row.line,
        )

    def day(self, when: str, row: CsvRow) -> date | None:
        if when in self.days:
            return self.days[when]
        if _DATE.fullmatch(when):
            try:
                day = self.days[when] = date.fromisoformat(when)
                return day
            except ValueError:
                pass
        self.problem(f"date {when!r} is not a date written YYYY-MM-DD", row, 1)
        return None


def outside_year(rows: Iterable[Actual], year: str, path: str) -> list[Finding]:
    """MN6 at each actual dated outside the financial year (an import never writes one)."""
    from loti_cli.core.values import financial_year_dates
    from loti_cli.core.values import outside_year as why

    start, end = financial_year_dates(year)
    found = []
    for row in rows:
        if start <= row.date <= end:
            continue
        message = (
            f"date {why(row.date, year)}; an actual belongs to the year's file: move the row "
            "to its year's actuals file, or correct the date"
        )
        column = len(row.id) + 2 if not set(row.id) & set(',"\r\n') else None
        found.append(_finding(path, message, row.at, column))
    return found


def format_actuals(rows: Iterable[Actual]) -> str:
    """The actuals file's text: the header, then the rows by date and id, `\\n` line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    # The csv module quotes a cell holding the line terminator (\n) but not a lone \r, which
    # a reader then takes for a line end: a row with one has every cell quoted.
    quoting = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_ALL)
    writer.writerow(COLUMNS)
    for row in sorted(rows, key=sort_key):
        cells = row.cells()
        (quoting if any("\r" in cell for cell in cells) else writer).writerow(cells)
    return out.getvalue()


def write_actuals(path: Path, rows: Iterable[Actual], *, unchanged: bytes | None) -> None:
    """Replace the actuals file atomically, refusing (FileChanged) if it is no longer the
    `unchanged` bytes that were read (None: it did not exist, and must still not)."""
    text = format_actuals(rows)
    if unchanged is None:
        write_atomic(path, text, exclusive=True)
    else:
        write_atomic(path, text, unchanged=unchanged)
