"""CSV rows with where they are: each row's first line, and each cell's line and column."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


class CsvError(ValueError):
    """A CSV file that cannot be split into rows, at `line` (1-based)."""

    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True, slots=True)
class CsvRow:
    """One row of a CSV file: its cells, the line it starts on, and its text as written."""

    line: int
    """The 1-based line of the file the row starts on (every line counts, as an editor's)."""
    values: tuple[str, ...]
    raw: str
    """The row's text with its line ending(s); a quoted cell may span lines."""
    delimiter: str = ","

    def position(self, index: int) -> tuple[int, int]:
        """The 1-based (line, column) where cell `index` starts; past the last cell, the end
        of the row (where a missing cell would have been written)."""
        offset = _cell_offsets(self.raw, self.delimiter, index)
        before = self.raw[:offset]
        breaks = before.count("\n")
        column = offset - (before.rfind("\n") + 1) + 1 if breaks else offset + 1
        return self.line + breaks, column

    def column(self, index: int) -> int:
        """The 1-based column where cell `index` starts, on the line it starts on."""
        return self.position(index)[1]

    @property
    def blank(self) -> bool:
        """True for an empty line, or a row of empty cells (`,,,`)."""
        return not any(value.strip() for value in self.values)


def _cell_offsets(raw: str, delimiter: str, index: int) -> int:
    """The offset in `raw` where cell `index` starts (RFC 4180 quoting)."""
    quoted = False
    cell = 0
    for offset, char in enumerate(raw):
        if cell == index:
            return offset
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            cell += 1
            if cell == index:
                return offset + 1
    return len(raw.rstrip("\r\n"))


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def text_lines(text: str) -> Iterator[str]:
    """The physical lines of `text` with their endings (CRLF, CR or LF), one at a time: what
    `io.StringIO(text, newline="")` yields, without a second copy of the whole text."""
    return (match[0] for match in _LINE.finditer(text))


def read_rows(
    lines: Iterable[str], *, delimiter: str = ",", first_line: int = 1
) -> Iterator[CsvRow]:
    """The rows of CSV text given as physical lines with their endings (a file opened with
    `newline=""`, or `io.StringIO(text, newline="")`), numbered from `first_line`.

    Raises CsvError where the text cannot be split (a quote left open, a cell too large).
    """
    taken: list[str] = []

    def physical() -> Iterator[str]:
        for line in lines:
            taken.append(line)
            yield line

    reader = csv.reader(physical(), delimiter=delimiter, strict=True)
    start = first_line
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise CsvError(csv_problem(error), start) from None
        raw = taken[0] if len(taken) == 1 else "".join(taken)
        yield CsvRow(start, tuple(values), raw, delimiter)
        start += len(taken)
        taken.clear()


def csv_problem(error: csv.Error) -> str:
    """What a csv.Error means, and what to do."""
    text = str(error)
    if "field larger than field limit" in text:
        return f"a cell is larger than {csv.field_size_limit():,} characters; is this a CSV file?"
    if "unexpected end of data" in text or "EOF" in text:
        return (
            'a quoted cell is never closed: add the closing " (a quote inside a cell is written "")'
        )
    return f"cannot split this line into cells ({text}); quote a cell that holds the delimiter"
