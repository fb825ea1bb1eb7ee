"""The import rules file: each problem an IM5 at its line and column, all of them in one read."""

from __future__ import annotations

from pathlib import Path

import pytest

from loti_cli.io.import_rules import read_rules

COLUMNS = "columns:\n  date: Posting Date\n  amount: Net Amount\n"


def problems(tmp_path: Path, text: str) -> list[tuple[int | None, int | None, str]]:
    path = tmp_path / "import.rules.yaml"
    path.write_text(text, encoding="utf-8")
    rules, found = read_rules(path, "import.rules.yaml")
    assert (rules is None) == bool(found)
    assert all(f.code == "IM5" and f.path == "import.rules.yaml" for f in found)
    return [(f.line, f.column, f.message) for f in found]


@pytest.mark.parametrize(
    ("text", "line", "column", "fragment"),
    [
        ("date_format: x\n", 1, 1, "columns is missing or empty"),
        ("columns:\n  amount: A\n", 1, 1, "columns has no date"),
        ("columns:\n  date: D\n", 1, 1, "columns has no amount"),
        ("columns:\n  date: D\n  debit: X\n", 1, 1, "or its debit and credit columns"),
        (COLUMNS + "  debit: X\n  credit: Y\n", 4, 3, "name either amount, or debit and credit"),
        (COLUMNS + "  cost centre: C\n", 4, 3, "column name 'cost centre' is not a name"),
        (COLUMNS + "  supplier:\n", 4, 12, "columns.supplier should be the header"),
        (COLUMNS + 'date_format: "%d/%m"\n', 4, 14, "does not read back the day, month and year"),
        (COLUMNS + "date_format: dd/mm/yyyy\n", 4, 14, "is not a strftime form"),
        (COLUMNS + 'delimiter: ";;"\n', 4, 12, "delimiter ';;' is not one character"),
        (COLUMNS + "skip_rows: yes\n", 4, 12, "skip_rows 'yes' is not a number of lines"),
        (COLUMNS + "skip_rows: 1.5\n", 4, 12, "skip_rows 1.5 is not a number of lines"),
        (COLUMNS + "skip_rows: true\n", 4, 12, "skip_rows true is not a number of lines"),
        (COLUMNS + "delimiter: 44\n", 4, 12, "delimiter 44 is not one character"),
        (COLUMNS + "encoding: [utf-8]\n", 4, 11, "encoding a list is not utf-8 or cp1252"),
        (COLUMNS + "match: {line: X}\n", 4, 8, "match should be a list of rules"),
        (COLUMNS + "match:\n  - line: X\n", 5, 5, "when is missing or empty"),
        (COLUMNS + "match:\n  - when: {date: x}\n", 5, 5, "a rule names one target"),
        (
            COLUMNS + "match:\n  - when: {date: x}\n    line: A\n    proposal: B\n",
            5,
            5,
            "a rule names one target",
        ),
        (COLUMNS + "match:\n  - when: {date: x}\n    lines: A\n", 6, 5, "unknown key 'lines'"),
        (COLUMNS + "match:\n  - when: {date: x}\n    line: ''\n", 6, 11, "line should name a line"),
        (COLUMNS + "match:\n  - when: {date: ''}\n    line: A\n", 5, 18, "when.date should be"),
        (COLUMNS + "match:\n  - just a string\n", 5, 5, "a rule is a mapping"),
        (COLUMNS + "columns: {}\n", 4, 1, "duplicate"),
        ("columns: [\n", 2, 1, "the file is not valid YAML"),
        ("", 1, 1, "the file is empty"),
    ],
)
def test_each_problem_is_placed(
    tmp_path: Path, text: str, line: int, column: int, fragment: str
) -> None:
    found = problems(tmp_path, text)
    assert any(
        (at_line, at_column) == (line, column) and fragment in message
        for at_line, at_column, message in found
    ), found


def test_a_valid_file_reads_with_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        COLUMNS + "  cost_centre: 41770\nmatch:\n  - when: {cost_centre: 041770}\n    line: A\n",
        encoding="utf-8",
    )
    rules, found = read_rules(path, "rules.yaml")
    assert found == [] and rules is not None
    assert (rules.date_format, rules.encoding, rules.delimiter, rules.skip_rows) == (
        "%Y-%m-%d",
        "utf-8",
        ",",
        0,
    )
    assert rules.columns == {"date": "Posting Date", "amount": "Net Amount", "cost_centre": "41770"}
    (rule,) = rules.match
    (condition,) = rule.conditions
    assert (condition.text, condition.pattern) == ("041770", None)  # as written, not 41770
    assert rule.target_at == (7, 11)


def test_a_missing_or_folder_rules_file(tmp_path: Path) -> None:
    rules, found = read_rules(tmp_path / "nope.yaml", "nope.yaml")
    assert rules is None and "cannot be read: no such rules file" in found[0].message
    rules, found = read_rules(tmp_path, "here")
    assert rules is None and "is a folder" in found[0].message
