"""What stops an export before its rows are read, said with where and what to do: text in
another encoding than the rules give, a column of the rules that the header writes twice."""

from __future__ import annotations

from collections.abc import Mapping

from loti_cli.io.csv_cells import CsvRow
from loti_cli.io.import_rules import REGEX_CHARACTERS, MatchRule


class Utf8(Exception):
    """A line of an export said to be cp1252 that is UTF-8 text: read as cp1252, its
    letters would be kept as mojibake (`Café` as `CafÃ©`)."""

    def __init__(self, line: int, column: int, text: str) -> None:
        super().__init__(line)
        self.line, self.column, self.text = line, column, text


def utf8_line(number: int, raw: bytes) -> Utf8 | None:
    """`raw` as a reason to stop when it is UTF-8 text with a letter beyond ASCII (cp1252
    text with one is almost never valid UTF-8); None otherwise."""
    if raw.isascii():
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    at = next(index for index, char in enumerate(text) if not char.isascii())
    return Utf8(number, at + 1, text[at])


def not_cp1252(shown: str, bad: Utf8, rules: str) -> str:
    """Why an export said to be cp1252 is refused: it is UTF-8 text."""
    where = f"{shown}:{bad.line}:{bad.column}"
    fix = "write `encoding: utf-8` in the rules file; nothing was imported"
    if not bad.text:
        return (
            f"{where}: the export starts with a UTF-8 byte-order mark, so it is UTF-8 text, not "
            f"cp1252 as the rules file {rules} says: {fix}"
        )
    raw = bad.text.encode("utf-8")
    return (
        f"{where}: the bytes {' '.join(f'0x{byte:02x}' for byte in raw)} are {bad.text!r} in "
        f"UTF-8 (and {raw.decode('cp1252', 'replace')!r} in cp1252, the encoding the rules file "
        f"{rules} gives): the export is probably in UTF-8: {fix}"
    )


def named_twice(found: list[str], wanted: dict[str, str]) -> list[tuple[str, str, list[int]]]:
    """Each column of the rules whose header the export writes more than once, with the
    0-based places of its cells."""
    places = [
        (name, title, [index for index, cell in enumerate(found) if cell == title])
        for name, title in wanted.items()
    ]
    return [(name, title, where) for name, title, where in places if len(where) > 1]


def ambiguous(
    shown: str, header: CsvRow, twice: list[tuple[str, str, list[int]]], rules: str
) -> str:
    """Why an export whose header writes a column of the rules twice is refused."""
    line, column = header.position(twice[0][2][1])
    said = "; ".join(
        f"the column {title!r} ({name}) {'twice' if len(where) == 2 else f'{len(where)} times'}"
        f", at columns {', '.join(str(i + 1) for i in where[:-1])} and {where[-1] + 1}"
        for name, title, where in twice
    )
    return (
        f"{shown}:{line}:{column}: the header row has {said}, so which one to read is unclear: "
        f"rename or remove one in the export, or name another column in the rules file {rules}; "
        "nothing was imported"
    )


def literal_hint(
    rules: str, match: tuple[MatchRule, ...], index: Mapping[str, int], values: tuple[str, ...]
) -> str:
    """For a row no rule matched: the first rule whose `when` value is the cell's very text,
    read as a regular expression that does not find it (`Acme (UK) Ltd`: the brackets are a
    group), and how to write it; "" when there is none."""
    for rule in match:
        for condition in rule.conditions:
            cell = values[index[condition.column]].strip()
            if condition.pattern is None or cell != condition.text or not cell.isprintable():
                continue
            if condition.pattern.search(cell) is not None:
                continue
            escaped = "".join(f"\\{c}" if c in REGEX_CHARACTERS else c for c in cell)
            return (
                f". The rule at {rules}:{rule.target_at[0]} has {condition.column} "
                f"{condition.text!r}, which holds regular-expression characters, so it is "
                "searched as a regular expression, and it does not find that text: to match the "
                "text as written, write it with each such character escaped, in single quotes: "
                f"'{escaped.replace(chr(39), chr(39) * 2)}'"
            )
    return ""
