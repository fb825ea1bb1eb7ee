"""A finance system's export read row by row, as its rules say: actuals, and IM1 to IM3, IM6.

The file is streamed a line at a time; only the rows read are kept (as `Actual`s), so
memory grows with the rows, never with the text. An export larger than MAX_BYTES, or
with more than MAX_ROWS rows, is refused before anything is written.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from loti_cli.core.actuals import Actual
from loti_cli.core.export_cells import DateReader, read_money
from loti_cli.core.findings import Finding
from loti_cli.core.money import Money
from loti_cli.core.suggest import closest
from loti_cli.core.values import financial_year_dates
from loti_cli.errors import LotiError
from loti_cli.io.csv_cells import CsvError, CsvRow, read_rows
from loti_cli.io.import_rules import ImportRules
from loti_cli.io.resolve import display_path, missing
from loti_cli.pipeline.export_problems import (
    Utf8,
    ambiguous,
    literal_hint,
    named_twice,
    not_cp1252,
    utf8_line,
)
from loti_cli.pipeline.matcher import Matcher
from loti_cli.rules.base import Rule
from loti_cli.rules.im_import import IM1, IM2, IM3, IM6

MAX_BYTES = 64 * 1024 * 1024
"""Largest export read (about 500,000 rows of a typical report)."""
_TOTAL = re.compile(r"\s*(?:grand\s+|sub-?\s*)?totals?(?:\b.*)?", re.IGNORECASE | re.DOTALL)
"""A cell that labels a totals row (`Total`, `Grand Total`, `Totals for 41710:`), on a row
with no date."""
_READ = frozenset(("date", "amount", "debit", "credit"))
"""The columns read as a value, whose own message says when one is not (a NUL included)."""
MAX_ROWS = 250_000
"""Most data rows read from one export; each is kept in memory until it is written."""


@dataclass(slots=True)
class ExportRead:
    """What an export holds: the rows to import, and what was wrong with the others."""

    source: str
    """The export's file name, as each actual records it."""
    rows: list[Actual] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    refused: int = 0
    """Rows not imported because of an error (IM1, IM3)."""
    already: int = 0
    """Rows whose id the actuals file already has (not read again)."""


class _Undecodable(Exception):
    def __init__(self, line: int, column: int, byte: int) -> None:
        super().__init__(line)
        self.line, self.column, self.byte = line, column, byte


_BREAKS = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
"""A line with its end, as an editor counts lines: CRLF, LF, or CR alone (old Mac exports)."""


def _physical(handle: Iterable[bytes]) -> Iterator[bytes]:
    """The lines of a binary file split at LF, each split again at a CR alone."""
    for chunk in handle:
        if b"\r" in chunk[:-2] or chunk.endswith(b"\r"):
            yield from _BREAKS.findall(chunk)
        else:
            yield chunk


def _lines(path: Path, codec: str) -> Iterator[str]:
    """The file's lines, decoded one at a time (a UTF-8 byte-order mark is dropped)."""
    with path.open("rb") as handle:
        for number, raw in enumerate(_physical(handle), start=1):
            marked = number == 1 and raw.startswith(codecs.BOM_UTF8)
            if codec == "cp1252":
                problem = Utf8(1, 1, "") if marked else utf8_line(number, raw)
                if problem is not None:
                    raise problem
            chunk = raw[3:] if marked else raw
            try:
                yield chunk.decode(codec)
            except UnicodeDecodeError as error:
                good = chunk[: error.start].decode(codec, "replace")
                raise _Undecodable(number, len(good) + 1, chunk[error.start]) from None


def _opened(path: Path) -> str:
    """The export's display path, once it is known to be a file loti will read."""
    shown = display_path(path)
    problem = missing(path, "export file")
    if problem is None and path.is_dir():
        problem = "is a folder; name the CSV file exported from the finance system"
    if problem is not None:
        raise LotiError(f"{shown}: {problem}; nothing was imported")
    size = path.stat().st_size
    if size == 0:
        raise LotiError(f"{shown}: is empty; export the report again; nothing was imported")
    if size > MAX_BYTES:
        raise LotiError(
            f"{shown}: is {size / 1048576:,.0f} MiB; loti imports exports of at most "
            f"{MAX_BYTES // 1048576} MiB: export the year a month or a quarter at a time "
            "(importing is idempotent, so the parts may overlap); nothing was imported"
        )
    return shown


def read_export(
    path: Path,
    rules: ImportRules,
    year: str,
    known: Mapping[str, Actual] | None = None,
    actuals: str = "",
) -> ExportRead:
    """Read the export at `path` as `rules` say, keeping the rows dated within `year` whose
    id is not `known` (the rows of the actuals file, shown as `actuals`): one known with
    other content is reported (IM6) and the file's row kept.

    Raises LotiError (nothing can be imported) for a file that cannot be read, text
    that is not in the rules' encoding, a header without the rules' columns, or too
    many rows. A row with a problem is a finding and is left out; the others are read.
    """
    shown = _opened(path)
    with path.open("rb") as handle:
        if handle.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise LotiError(
                f'{shown}: is UTF-16 text (Excel\'s "Unicode text"); save or export it as '
                "CSV (UTF-8, or Windows-1252 with `encoding: cp1252`); nothing was imported"
            )
    reader = _Reader(shown, path.name, rules, year)
    reader.known, reader.actuals = known or {}, actuals
    try:
        reader.read(_lines(path, rules.encoding))
    except _Undecodable as bad:
        hint = (
            "; the export is probably in Windows-1252: add `encoding: cp1252` to the rules file"
            if rules.encoding == "utf-8"
            else ""
        )
        raise LotiError(
            f"{shown}:{bad.line}:{bad.column}: byte 0x{bad.byte:02x} is not {rules.encoding} "
            f"text, the encoding the rules file {rules.path} gives{hint}; nothing was imported"
        ) from None
    except Utf8 as bad:
        raise LotiError(not_cp1252(shown, bad, rules.path)) from None
    except OSError as error:
        raise LotiError(f"{shown}: cannot be read: {error.strerror or error}") from None
    return reader.result


class _Reader:
    """One read of an export: the header's columns found, then every data row judged."""

    def __init__(self, shown: str, source: str, rules: ImportRules, year: str) -> None:
        self.shown = shown
        self.rules = rules
        self.result = ExportRead(source)
        self.dates = DateReader(rules.date_format)
        self.start, self.end = financial_year_dates(year)
        self.year = year
        self.ids: dict[str, int] = {}
        self.occurrences: dict[bytes, int] = {}
        self.index: dict[str, int] = {}
        self.width = 0
        self.titles: list[str] = []
        self.matcher = Matcher((), {})
        self.known: Mapping[str, Actual] = {}
        self.actuals = ""
        self.texts: dict[str, str] = {}
        """Each supplier's name once, however many rows name it."""

    def read(self, lines: Iterator[str]) -> None:
        skipped = 0
        for _ in range(self.rules.skip_rows):
            if next(lines, None) is None:
                break
            skipped += 1
        rows = read_rows(lines, delimiter=self.rules.delimiter, first_line=skipped + 1)
        try:
            header = next(rows, None)
        except CsvError as error:
            raise LotiError(
                f"{self.shown}:{error.line}: the header row cannot be read: {error.message}; "
                "nothing was imported"
            ) from None
        if header is None:
            raise LotiError(
                f"{self.shown}: has no header row: it has {skipped} line(s), and the rules "
                f"file {self.rules.path} skips {self.rules.skip_rows} before the header; "
                "nothing was imported"
            )
        self.columns(header)
        try:
            self.rows(rows)
        except CsvError as error:
            self.result.findings.append(
                self.finding(
                    IM1, f"{error.message}; the rows from here on are not imported", (error.line, 1)
                )
            )
            self.result.refused += 1

    def columns(self, header: CsvRow) -> None:
        found = [cell.strip() for cell in header.values]
        self.width, self.titles = len(found), found
        wanted = self.rules.columns
        absent = [name for name, title in wanted.items() if title not in found]
        if absent:
            raise LotiError(
                _wrong_header(self.shown, header.line, found, wanted, absent, self.rules)
            )
        twice = named_twice(found, wanted)
        if twice:
            raise LotiError(ambiguous(self.shown, header, twice, self.rules.path))
        self.index = {name: found.index(title) for name, title in wanted.items()}
        self.matcher = Matcher(self.rules.match, self.index)

    def finding(self, rule: Rule[Any], message: str, at: tuple[int, int]) -> Finding:
        return Finding(rule.code, rule.name, rule.severity, message, self.shown, at[0], at[1])

    def rows(self, rows: Iterator[CsvRow]) -> None:
        for number, row in enumerate(rows, start=1):
            if number > MAX_ROWS:
                raise LotiError(
                    f"{self.shown}: has more than {MAX_ROWS:,} rows; import it a month or a "
                    "quarter at a time (importing is idempotent, so the parts may overlap); "
                    "nothing was imported"
                )
            actual = self.row(row, number)
            if actual is not None:
                self.result.rows.append(actual)

    def row(self, row: CsvRow, number: int) -> Actual | None:
        values = row.values
        if len(values) != self.width:
            if row.blank:
                return None
            self.refuse(row, [(min(len(values), self.width), self.width_problem(len(values)))])
            return None
        if not values[self.index["date"]].strip() and row.blank:
            return None
        problems = self.nuls(values)
        day = self.day(values, problems)
        amount = self.amount(values, problems)
        ident = self.ident(values, row, problems)
        if problems or day is None or amount is None:
            self.refuse(row, problems)
            return None
        if not self.start <= day <= self.end:
            at = row.position(self.index["date"])
            self.result.findings.append(self.finding(IM3, _outside(day, self.year), at))
            self.result.refused += 1
            return None
        line, proposal = self.matcher.match(values)
        supplier = self.cell(values, "supplier")
        description = self.cell(values, "description")
        held = self.known.get(ident)
        if held is not None:
            self.result.already += 1
            same = (held.date, held.amount.amount, held.line, held.proposal, held.supplier)
            if same != (day, amount, line, proposal, supplier) or held.description != description:
                new = Actual(ident, day, Money(amount), line, proposal, supplier, description)
                changed = _changed(held, new, self.actuals)
                self.result.findings.append(self.finding(IM6, changed, (row.line, 1)))
            return None
        if not (line or proposal):
            self.result.findings.append(self.finding(IM2, self.unmatched(values), (row.line, 1)))
        return Actual(
            ident,
            day,
            Money(amount),
            line,
            proposal,
            self.texts.setdefault(supplier, supplier),
            description,
            self.result.source,
            number,
            row.line,
        )

    def width_problem(self, cells: int) -> str:
        """Why a row with another number of cells than the header is not read."""
        said = f"has {cells} cells; the header has {self.width}"
        if cells > self.width:
            return f"{said}: quote a cell that holds the delimiter {self.rules.delimiter!r}"
        lost = self.titles[cells:]
        names = ", ".join(repr(title) for title in lost)  # the export's text, escaped
        which = "its last cell" if len(lost) == 1 else f"its last {len(lost)} cells"
        return (
            f"{said}: the row ends before {which} ({names}); complete the row, or export the "
            "report again"
        )

    def nuls(self, values: tuple[str, ...]) -> list[tuple[int, str]]:
        """A NUL in a cell loti keeps or matches: kept, it would make the actuals file binary
        to git, and it is never seen on screen."""
        return [
            (
                index,
                f"{name} holds a NUL character (\\x00), which text never has: the export "
                "is damaged; export the report again",
            )
            for name, index in self.index.items()
            if "\x00" in values[index] and name not in _READ
        ]

    def refuse(self, row: CsvRow, problems: list[tuple[int, str]]) -> None:
        dated = len(row.values) > self.index["date"] and row.values[self.index["date"]].strip()
        label = next((c.strip() for c in row.values if _TOTAL.fullmatch(c)), None)
        if label is not None and not dated:  # one finding for the row, rather than a cell's
            problems = [
                (
                    0,
                    f"this is the export's totals row ({label!r}), not a payment: delete it "
                    "from the export (loti adds up the rows itself); it is not imported",
                )
            ]
        for index, message in problems:
            self.result.findings.append(self.finding(IM1, message, row.position(index)))
        self.result.refused += 1

    def cell(self, values: tuple[str, ...], name: str) -> str:
        index = self.index.get(name)
        return values[index].strip() if index is not None else ""

    def day(self, values: tuple[str, ...], problems: list[tuple[int, str]]) -> date | None:
        index = self.index["date"]
        found = self.dates.read(values[index])
        if isinstance(found, str):
            problems.append((index, f"date {found}"))
            return None
        return found

    def amount(self, values: tuple[str, ...], problems: list[tuple[int, str]]) -> Decimal | None:
        if "amount" in self.index:
            return self.money(values, "amount", problems)
        debit, credit = self.index["debit"], self.index["credit"]
        if not values[debit].strip() and not values[credit].strip():
            problems.append((debit, "debit and credit are both empty; a row has an amount"))
            return None
        spent = self.money(values, "debit", problems, empty=True)
        back = self.money(values, "credit", problems, empty=True)
        return spent - back if spent is not None and back is not None else None

    def money(
        self,
        values: tuple[str, ...],
        name: str,
        problems: list[tuple[int, str]],
        *,
        empty: bool = False,
    ) -> Decimal | None:
        index = self.index[name]
        if empty and not values[index].strip():
            return Decimal(0)
        found = read_money(values[index])
        if isinstance(found, str):
            problems.append((index, f"{name} {found}"))
            return None
        return found

    def ident(self, values: tuple[str, ...], row: CsvRow, problems: list[tuple[int, str]]) -> str:
        index = self.index.get("id")
        if index is None:
            return self.hashed(values)
        ident = values[index].strip()
        if not ident:
            problems.append((index, "id is empty; every row has its own id"))
        elif ident in self.ids:
            problems.append(
                (
                    index,
                    f"id {ident!r} is also that of the row on line {self.ids[ident]}; ids are unique "
                    "per row (if a transaction has several rows, leave id out of the rules' columns, "
                    "and loti makes an id from each row)",
                )
            )
        else:
            self.ids[ident] = row.line
        return ident

    def hashed(self, values: tuple[str, ...]) -> str:
        """An id from the whole row and how many identical rows came before it."""
        whole = "\x1f".join(values).encode("utf-8", "surrogatepass")
        digest = hashlib.blake2b(whole, digest_size=16).digest()
        count = self.occurrences[digest] = self.occurrences.get(digest, 0) + 1
        return "h-" + hashlib.blake2b(digest + str(count).encode(), digest_size=8).hexdigest()

    def unmatched(self, values: tuple[str, ...]) -> str:
        used = {c.column for rule in self.rules.match for c in rule.conditions}
        shown = ", ".join(
            f"{name} {values[self.index[name]].strip()!r}"
            for name in self.index
            if name in used or name in ("supplier", "description")
        )
        return (
            f"no rule matched ({shown or 'no column to match'}); it is imported with no line "
            f"or proposal (to match it, add a rule to match in {self.rules.path}, delete the "
            "row from the actuals file and import again)"
            + literal_hint(self.rules.path, self.rules.match, self.index, values)
        )


def _changed(held: Actual, row: Actual, actuals: str) -> str:
    """What the export now says of a row the actuals file has, differently."""
    names = ("date", "amount", "line", "proposal", "supplier", "description")
    differs = [
        f"{name} {old!r} there, {new!r} here"
        for name, old, new in zip(names, held.cells()[1:7], row.cells()[1:7], strict=True)
        if old != new
    ]
    return (
        f"id {row.id!r} is already imported ({actuals}:{held.at}) with other content: "
        f"{'; '.join(differs)}. The imported row is kept; to take this one, delete that row "
        "and import again"
    )


def _outside(day: date, year: str) -> str:
    start, end = financial_year_dates(year)
    return (
        f"date {day.isoformat()} is outside the financial year {year} ({start.day} {start:%B %Y} to "
        f"{end.day} {end:%B %Y}); the row is not imported: import it into its own year's actuals "
        "with --year"
    )


def _wrong_header(
    shown: str,
    line: int,
    found: list[str],
    wanted: dict[str, str],
    absent: list[str],
    rules: ImportRules,
) -> str:
    lacking = "; ".join(
        f"{name}: {wanted[name]!r}"
        + (f" (did you mean {near!r}?)" if (near := closest(wanted[name], found)) else "")
        for name in absent
    )
    return (
        f"{shown}:{line}: the header row has no column {lacking}. Its columns are "
        f"{', '.join(repr(title) for title in found)}; the rules file {rules.path} expects "
        f"{', '.join(repr(title) for title in wanted.values())}"
        + (f" after skipping {rules.skip_rows} line(s)" if rules.skip_rows else "")
        + ". Correct columns (or skip_rows) in the rules file; nothing was imported"
    )
