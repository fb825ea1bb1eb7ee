"""The import rules file (`ledgers/import.rules.yaml`): read with positions, every problem an IM5."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from loti_cli.core.findings import Finding, Loc, Severity
from loti_cli.core.numerals import source_of
from loti_cli.core.suggest import did_you_mean, one_of
from loti_cli.io import yaml_read
from loti_cli.io.files import read_text
from loti_cli.io.resolve import missing

CODE, NAME = "IM5", "invalid-rules"
TOP_KEYS = ("columns", "date_format", "encoding", "delimiter", "skip_rows", "match")
RULE_KEYS = ("when", "line", "proposal")
ENCODINGS = {"utf-8": "utf-8", "utf8": "utf-8", "cp1252": "cp1252", "windows-1252": "cp1252"}
REGEX_CHARACTERS = frozenset(".^$*+?{}[]\\|()")
"""A `when` value with one of these is a regular expression searched in the cell."""
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SAMPLES = (date(2020, 4, 1), date(2021, 3, 31), date(2020, 12, 25))


def _as_written(value: object) -> str:
    """A value of the rules file as its YAML writes it (`1.5`, `true`), not as Python's repr."""
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool) or value is None:
        return "nothing" if value is None else str(value).lower()
    if isinstance(value, int | Decimal):
        return source_of(value) or str(value)
    return "a list" if isinstance(value, list) else "a mapping"


@dataclass(frozen=True, slots=True)
class Condition:
    """One key of a rule's `when`: the column it reads and what its cell must be."""

    column: str
    text: str
    pattern: re.Pattern[str] | None
    """None: the cell, trimmed, must equal `text`; else the pattern is searched in it."""

    def matches(self, cell: str) -> bool:
        cell = cell.strip()
        if self.pattern is None:
            return cell == self.text
        return self.pattern.search(cell) is not None


@dataclass(frozen=True, slots=True)
class MatchRule:
    """`when: {...}` then `line:` or `proposal:`; `target_at` is where the target is written."""

    conditions: tuple[Condition, ...]
    line: str
    proposal: str
    target_at: tuple[int, int]


@dataclass(frozen=True, slots=True)
class ImportRules:
    """What an export's columns mean and which line or proposal each row belongs to."""

    path: str
    columns: dict[str, str]
    """Column name (`date`, `cost_centre`...) -> its header in the export."""
    column_at: dict[str, tuple[int, int]]
    """Column name -> where its header is written in the rules file."""
    date_format: str = "%Y-%m-%d"
    encoding: str = "utf-8"
    delimiter: str = ","
    skip_rows: int = 0
    match: tuple[MatchRule, ...] = ()


def default_rules(ledger: Path) -> Path:
    """`import.rules.yaml` beside the ledger."""
    return ledger.with_name("import.rules.yaml")


def read_rules(path: Path, shown: str) -> tuple[ImportRules | None, list[Finding]]:
    """The rules at `path`, or None with every IM5 problem found (all of them, each placed)."""
    problem = missing(path, "rules file")
    if problem is None and path.is_dir():
        problem = "is a folder; name a rules file such as ledgers/import.rules.yaml"
    if problem is not None:
        return None, [_finding(shown, f"cannot be read: {problem}", (1, 1))]
    try:
        document = yaml_read.parse(read_text(path))
    except yaml_read.YamlError as error:
        mark = error.problem.mark
        where = (mark.line, mark.column) if mark else (1, 1)
        return None, [_finding(shown, f"the file {error.problem.message}", where)]
    reading = _Reading(shown, document)
    rules = reading.rules()
    reading.findings.sort(key=lambda finding: (finding.line or 0, finding.column or 0))
    return (rules if not reading.findings else None), reading.findings


def _finding(path: str, message: str, at: tuple[int, int]) -> Finding:
    return Finding(CODE, NAME, Severity.ERROR, message, path, at[0], at[1])


def _text(value: object) -> str | None:
    """A scalar as the text it was written as (`41770`, `007`), or None when it is not one."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return source_of(value) or str(value)
    return None


class _Reading:
    """One read of a rules document, collecting every problem it finds."""

    def __init__(self, shown: str, document: yaml_read.Document) -> None:
        self.shown = shown
        self.document = document
        self.findings: list[Finding] = [
            _finding(shown, problem.message, _at(problem.mark)) for problem in document.problems
        ]

    def at(self, loc: Loc, *, key: bool = False) -> tuple[int, int]:
        return _at(self.document.locate(loc, key=key))

    def problem(self, message: str, loc: Loc, *, key: bool = False) -> None:
        self.findings.append(_finding(self.shown, message, self.at(loc, key=key)))

    def rules(self) -> ImportRules:
        data = self.document.data
        for key in data:
            if key not in TOP_KEYS:
                self.problem(
                    f"unknown key {key!r}{did_you_mean(str(key), TOP_KEYS)}; a rules file has "
                    f"{one_of(TOP_KEYS)}",
                    (key,),
                    key=True,
                )
        columns = self.columns(data.get("columns"))
        return ImportRules(
            self.shown,
            columns,
            {name: self.at(("columns", name)) for name in columns},
            self.date_format(data.get("date_format", "%Y-%m-%d")),
            self.encoding(data.get("encoding", "utf-8")),
            self.delimiter(data.get("delimiter", ",")),
            self.skip_rows(data.get("skip_rows", 0)),
            self.matches(data.get("match"), columns),
        )

    def columns(self, value: object) -> dict[str, str]:
        if not isinstance(value, dict) or not value:
            self.problem(
                "columns is missing or empty: map date, amount (or debit and credit) and any "
                "other column to its header in the export, e.g. `date: Posting Date`",
                ("columns",) if "columns" in self.document.data else (),
            )
            return {}
        found: dict[str, str] = {}
        for name, header in value.items():
            text = _text(header)
            if not isinstance(name, str) or not _NAME.fullmatch(name):
                self.problem(
                    f"column name {name!r} is not a name: write letters, digits and _",
                    ("columns", name),
                    key=True,
                )
            elif text is None or not text.strip():
                self.problem(
                    f"columns.{name} should be the header of a column of the export",
                    ("columns", name),
                )
            else:
                found[name] = text.strip()
        self.required_columns(found)
        return found

    def required_columns(self, found: dict[str, str]) -> None:
        where = ("columns",)
        if "date" not in found:
            self.problem(
                "columns has no date: name the export's date column (`date: ...`)", where, key=True
            )
        debit, credit = "debit" in found, "credit" in found
        if "amount" in found and (debit or credit):
            self.problem(
                "columns has amount and debit/credit; name either amount, or debit and credit",
                ("columns", "debit" if debit else "credit"),
                key=True,
            )
        elif "amount" not in found and not (debit and credit):
            self.problem(
                "columns has no amount: name the export's amount column (`amount: ...`), "
                "or its debit and credit columns (amount = debit - credit)",
                where,
                key=True,
            )

    def date_format(self, value: object) -> str:
        if not isinstance(value, str) or "%" not in value:
            self.problem(
                f'date_format {_as_written(value)} is not a strftime form such as "%d/%m/%Y"',
                ("date_format",),
            )
            return "%Y-%m-%d"
        try:
            read = [datetime.strptime(day.strftime(value), value).date() for day in _SAMPLES]
        except ValueError:
            read = []
        if read != list(_SAMPLES):
            self.problem(
                f"date_format {value!r} does not read back the day, month and year it writes "
                '(e.g. "%d/%m/%Y" for 31/03/2021, "%Y-%m-%d" for 2021-03-31)',
                ("date_format",),
            )
        return value

    def encoding(self, value: object) -> str:
        text = _text(value)
        codec = ENCODINGS.get(text.strip().casefold()) if text is not None else None
        if codec is None:
            self.problem(f"encoding {_as_written(value)} is not utf-8 or cp1252", ("encoding",))
            return "utf-8"
        return codec

    def delimiter(self, value: object) -> str:
        if not isinstance(value, str) or len(value) != 1 or value in '"\r\n':
            self.problem(
                f'delimiter {_as_written(value)} is not one character (",", ";", "\\t", "|")',
                ("delimiter",),
            )
            return ","
        return value

    def skip_rows(self, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.problem(
                f"skip_rows {_as_written(value)} is not a number of lines (0, 1, 2...)",
                ("skip_rows",),
            )
            return 0
        return int(value)

    def matches(self, value: object, columns: dict[str, str]) -> tuple[MatchRule, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(
                "match should be a list of rules (`- when: {...}` then line: or proposal:)",
                ("match",),
            )
            return ()
        found = [self.match_rule(item, index, columns) for index, item in enumerate(value)]
        return tuple(rule for rule in found if rule is not None)

    def match_rule(self, item: object, index: int, columns: dict[str, str]) -> MatchRule | None:
        loc: Loc = ("match", index)
        if not isinstance(item, dict):
            self.problem("a rule is a mapping: `- when: {...}` then line: or proposal:", loc)
            return None
        before = len(self.findings)
        for key in item:
            if key not in RULE_KEYS:
                self.problem(
                    f"unknown key {key!r}{did_you_mean(str(key), RULE_KEYS)}; a rule has when, "
                    "and line or proposal",
                    (*loc, key),
                    key=True,
                )
        conditions = self.conditions(item.get("when"), loc, columns)
        targets = [key for key in ("line", "proposal") if key in item]
        if len(targets) != 1:
            self.problem(
                "a rule names one target: line: (an expenditure line) or proposal: (an id)", loc
            )
            return None
        target = _text(item[targets[0]])
        if target is None or not target.strip():
            self.problem(f"{targets[0]} should name a {targets[0]}", (*loc, targets[0]))
            return None
        if len(self.findings) > before:
            return None
        line, proposal = (target.strip(), "") if targets[0] == "line" else ("", target.strip())
        return MatchRule(conditions, line, proposal, self.at((*loc, targets[0])))

    def conditions(self, when: object, loc: Loc, columns: dict[str, str]) -> tuple[Condition, ...]:
        if not isinstance(when, dict) or not when:
            self.problem(
                "when is missing or empty: give the column and the value it must have, e.g. "
                '`when: {cost_centre: "41770"}`',
                (*loc, "when") if isinstance(when, dict | list) else loc,
            )
            return ()
        found: list[Condition] = []
        for name, value in when.items():
            at: Loc = (*loc, "when", name)
            if name not in columns:
                self.problem(
                    f"when names column {name!r}, which columns does not define"
                    f"{did_you_mean(str(name), columns)}; add `{name}: <its header>` to columns",
                    at,
                    key=True,
                )
                continue
            condition = self.condition(str(name), value, at)
            if condition is not None:
                found.append(condition)
        return tuple(found)

    def condition(self, name: str, value: object, at: Loc) -> Condition | None:
        text = _text(value)
        if text is None or not text.strip():
            self.problem(f"when.{name} should be the text its cell must have", at)
            return None
        text = text.strip()
        if not REGEX_CHARACTERS.intersection(text):
            return Condition(name, text, None)
        try:
            return Condition(name, text, re.compile(text))
        except re.error as error:
            self.problem(
                f"when.{name} {text!r} is a regular expression that cannot be read ({error}); "
                "write \\ before a character meant literally, e.g. \\( or \\.",
                at,
            )
            return None


def _at(mark: yaml_read.Mark | None) -> tuple[int, int]:
    return (mark.line, mark.column) if mark is not None else (1, 1)
