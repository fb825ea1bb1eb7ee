"""The actuals file read fast and strictly alike: a valid row is taken as it is, a row with a
problem is read again to place it, and line numbers count every line as an editor does."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from loti_cli.core.actuals import Actual
from loti_cli.core.money import Money
from loti_cli.io.actuals_file import HEADER, format_actuals, read_actuals


def read(tmp_path: Path, text: str) -> tuple[list[tuple[str, int]], list[str]]:
    path = tmp_path / "2020-21.actuals.csv"
    path.write_bytes(text.encode("utf-8"))
    found = read_actuals(path)
    return [(row.id, row.at) for row in found.rows], [
        f"{f.line}:{f.column} {f.message}" for f in found.findings
    ]


def test_a_cell_over_two_lines_and_a_line_separator_keep_the_count(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        'a1,2020-05-01,10.00,Design,,S,"two\nlines",f.csv,1\n'
        "a2,2020-05-01,10.00,Design,,S,one\u2028line,f.csv,2\r\n"
        "a3,2020-05-01,10.0,Design,,S,D,f.csv,3\n"
        "a4,2020-05-01,10.00,Design,,S,D,f.csv,4\n"
    )
    rows, problems = read(tmp_path, text)
    assert rows == [("a1", 2), ("a2", 4), ("a4", 6)]
    assert problems == ["5:15 amount '10.0' is not written with two decimals (1234.50, -80.00)"]


def test_each_problem_is_found_as_the_strict_reading_finds_it(tmp_path: Path) -> None:
    text = (
        f"{HEADER}\n"
        "a1,2020-05-01,10.00,Design,,S,D,f.csv,1\n"
        "a1,2020-02-30,10.00,Design,CR-01,S,D,f.csv,01\n"
        ",2020-05-01,10.00,,,S,D,f.csv,1\n"
        "\n"
        "a5,2020-05-01,10.00,Design\n"
    )
    rows, problems = read(tmp_path, text)
    assert rows == [("a1", 2)]
    assert problems == [
        "3:1 id 'a1' is also on line 2; ids are unique",
        "3:4 date '2020-02-30' is not a date written YYYY-MM-DD",
        "3:28 names both a line and a proposal; a row is spent on one of them",
        "3:44 source_row '01' is not a row number (1, 2, ...)",
        "4:1 id is empty; every row has a unique id",
        "6:1 has 4 cells; each row has 9: " + HEADER,
    ]


def test_a_quote_left_open_is_placed_at_its_row(tmp_path: Path) -> None:
    text = f'{HEADER}\na1,2020-05-01,10.00,Design,,S,D,f.csv,1\na2,2020-05-01,"10.00\n'
    rows, problems = read(tmp_path, text)
    assert rows == [("a1", 2)]
    assert len(problems) == 1 and problems[0].startswith("3:1 a quoted cell is never closed")


# Any text but NUL (which no CSV reader takes) and surrogates (which UTF-8 cannot hold):
# line breaks of every kind, a lone carriage return among them, quotes and commas.
cells = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=12
)


@settings(max_examples=60)
@given(st.lists(st.tuples(cells, cells, st.integers(-(10**9), 10**9)), max_size=8))
def test_what_is_written_is_read_back_exactly(
    tmp_path_factory: object, rows: list[tuple[str, str, int]]
) -> None:
    from datetime import date
    from decimal import Decimal

    made = [
        Actual(
            f"t{n}",
            date(2020, 4 + n % 9, 1 + n),
            Money(Decimal(pence) / 100),
            "Design" if n % 2 else "",
            "" if n % 2 else "CR-01",
            supplier,
            description,
            "f.csv",
            n + 1,
        )
        for n, (supplier, description, pence) in enumerate(rows)
    ]
    assert hasattr(tmp_path_factory, "mktemp")
    folder = tmp_path_factory.mktemp("actuals")  # type: ignore[attr-defined]
    path = folder / "2020-21.actuals.csv"
    path.write_text(format_actuals(made), encoding="utf-8", newline="")
    found = read_actuals(path)
    assert found.findings == ()
    key = [(a.id, a.date, a.amount, a.line, a.proposal, a.supplier, a.description) for a in made]
    got = [
        (a.id, a.date, a.amount, a.line, a.proposal, a.supplier, a.description) for a in found.rows
    ]
    assert sorted(got) == sorted(key)
