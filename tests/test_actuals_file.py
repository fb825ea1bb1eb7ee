"""The actuals file: every invalid cell an MN6 finding at its line and column, in one read."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti_cli.core.actuals import Actual, spent_by_line, spent_by_proposal
from loti_cli.core.money import Money
from loti_cli.io.actuals_file import actuals_path, format_actuals, read_actuals, write_actuals
from loti_cli.io.csv_cells import CsvError, read_rows
from loti_cli.io.files import FileChanged

HEADER = "id,date,amount,line,proposal,supplier,description,source,source_row\n"


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "2020-21.actuals.csv"
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def _where(path: Path) -> list[str]:
    return [f"{f.code} {f.line}:{f.column} {f.message}" for f in read_actuals(path).findings]


def test_actuals_live_beside_their_ledger() -> None:
    assert actuals_path(Path("ledgers/2020-21.yaml")) == Path("ledgers/2020-21.actuals.csv")


def test_a_missing_file_is_an_empty_valid_year(tmp_path: Path) -> None:
    found = read_actuals(tmp_path / "2020-21.actuals.csv")
    assert (found.exists, found.rows, found.findings) == (False, (), ())


def test_rows_are_read_exactly(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + 'T1,2020-05-01,1234.56,Personnel,,"Acme, Ltd",Salary,gl.csv,1\n'
        "T2,2020-05-02,-80.00,,SL-01,,Credit note,gl.csv,2\n",
    )
    found = read_actuals(path)
    assert found.valid and found.exists
    first, second = found.rows
    assert first.amount == Money(Decimal("1234.56")) and first.supplier == "Acme, Ltd"
    assert (first.at, second.at) == (2, 3)
    assert second.amount == Money(Decimal("-80.00")) and second.proposal == "SL-01"


def test_every_bad_cell_is_reported_at_its_place_in_one_read(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + "T1,2020-13-01,12.5,Personnel,SL-01,,,gl.csv,0\n"
        "T1,2020-05-01,1.00,,,,,gl.csv,2\n"
        "T3,2020-05-01\n",
    )
    found = _where(path)
    assert [f.split(" ")[1] for f in found] == ["2:4", "2:15", "2:30", "2:45", "3:1", "4:1"]
    assert "date '2020-13-01' is not a date" in found[0]
    assert "two decimals" in found[1]
    assert "both a line and a proposal" in found[2]
    assert "source_row '0'" in found[3]
    assert "also on line 2" in found[4]
    assert "has 2 cells" in found[5]
    assert read_actuals(path).rows == ()


def test_an_amount_too_large_to_add_exactly_is_placed_not_a_crash(tmp_path: Path) -> None:
    # An edited file: 29 digits cannot be summed exactly in Decimal's 28, so the monitor
    # would round them silently (or stop with an internal error); the import never writes one.
    path = _write(
        tmp_path,
        HEADER + "T1,2020-05-01,12345678901234567890123456789.01,Personnel,,,,g,1\n"
        "T2,2020-05-01,9999999999999.99,Personnel,,,,g,2\n"
        "T3,2020-05-01,-10000000000000.00,Personnel,,,,g,3\n",
    )
    found = _where(path)
    assert [f.split(" ")[1] for f in found] == ["2:15", "4:15"]
    assert "amount '12345678901234567890123456789.01' is too large" in found[0]
    assert "below £10,000,000,000,000" in found[1]
    assert [row.id for row in read_actuals(path).rows] == ["T2"]


def test_an_emptied_file_says_how_to_start_again(tmp_path: Path) -> None:
    (finding,) = _where(_write(tmp_path, ""))
    assert finding == (
        f"MN6 1:1 the file is empty; it starts with the header {HEADER.strip()!r}: delete the "
        "file (no file is a year with no actuals) or undo the edit that emptied it"
    )


def test_a_wrong_header_names_the_expected_one(tmp_path: Path) -> None:
    (finding,) = _where(_write(tmp_path, "id,date,amount\nT1,2020-05-01,1.00\n"))
    assert finding.startswith("MN6 1:1 the header is 'id,date,amount'; it must be 'id,date,")


def test_a_bad_byte_is_named_with_its_place(tmp_path: Path) -> None:
    (finding,) = _where(_write(tmp_path, HEADER.encode() + b"T1,2020-05-01,1.00,,,Caf\xe9,,g,1\n"))
    assert finding.startswith("MN6 2:25 is not valid UTF-8 (byte 0xe9)")


def test_an_open_quote_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    (finding,) = _where(_write(tmp_path, HEADER + 'T1,2020-05-01,1.00,,,"Acme,,g,1\n'))
    assert finding.startswith("MN6 2:1 a quoted cell is never closed")


def test_a_quoted_cell_across_lines_keeps_later_lines_counted(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        HEADER + 'T1,2020-05-01,1.00,,,,"two\nlines",g,1\nT2,2020-05-01,x,,,,,g,2\n',
    )
    (finding,) = _where(path)
    assert finding.startswith("MN6 4:15 amount 'x'")


def test_cell_positions_follow_quotes_and_line_breaks() -> None:
    (row,) = read_rows(io.StringIO('a,"b,\nc",d\n', newline=""), first_line=5)
    assert row.values == ("a", "b,\nc", "d")
    assert [row.position(i) for i in range(4)] == [(5, 1), (5, 3), (6, 4), (6, 5)]


def test_an_unclosed_quote_raises_with_its_line() -> None:
    with pytest.raises(CsvError) as raised:
        list(read_rows(io.StringIO('a\n"b\n', newline="")))
    assert raised.value.line == 2


def _actual(
    ident: str, day: int, pence: int, *, line: str = "", proposal: str = "", **text: str
) -> Actual:
    return Actual(
        ident,
        date(2020, 5, day),
        Money(Decimal(pence) / 100),
        line,
        proposal,
        text.get("supplier", ""),
        text.get("description", ""),
        source_row=1,
    )


def test_the_file_is_sorted_by_date_then_id_with_hostile_text_kept(tmp_path: Path) -> None:
    rows = [
        _actual("b", 2, 100, description='Say "hi",\nthen\u2028go'),
        _actual("a", 2, -5, line="Personnel"),
        _actual("c", 1, 1, proposal="SL-01", supplier="=cmd|' /C calc'!A0"),
    ]
    path = tmp_path / "2020-21.actuals.csv"
    write_actuals(path, rows, unchanged=None)
    text = path.read_text(encoding="utf-8")
    assert [line.split(",")[0] for line in text.splitlines()[1:4]] == ["c", "a", "b"]
    back = read_actuals(path)
    assert back.valid and [r.id for r in back.rows] == ["c", "a", "b"]
    assert {r.id: r.description for r in back.rows}["b"] == 'Say "hi",\nthen\u2028go'
    assert back.rows[0].supplier == "=cmd|' /C calc'!A0"


def test_a_file_changed_since_it_was_read_is_not_replaced(tmp_path: Path) -> None:
    path = _write(tmp_path, HEADER)
    read = read_actuals(path)
    path.write_text(HEADER + "T9,2020-05-01,1.00,,,,,g,1\n", encoding="utf-8")
    with pytest.raises(FileChanged):
        write_actuals(path, [_actual("a", 1, 1)], unchanged=read.raw)
    assert "T9" in path.read_text(encoding="utf-8")
    with pytest.raises(FileChanged):
        write_actuals(path, [_actual("a", 1, 1)], unchanged=None)


pence = st.integers(min_value=-(10**9), max_value=10**9)


@given(st.lists(st.tuples(st.sampled_from(["A", "B", ""]), st.integers(1, 28), pence), max_size=40))
def test_sums_are_exact_and_survive_the_file(entries: list[tuple[str, int, int]]) -> None:
    rows = [
        _actual(f"r{i}", day, amount, proposal=target)
        for i, (target, day, amount) in enumerate(entries)
    ]
    until = date(2020, 5, 14)
    expected: dict[str, Decimal] = {}
    for target, day, amount in entries:
        if target and day <= 14:
            expected[target] = expected.get(target, Decimal(0)) + Decimal(amount) / 100
    assert spent_by_proposal(rows, until) == {k: Money(v) for k, v in expected.items()}
    assert spent_by_line(rows) == {}
    text = format_actuals(rows)
    reread = read_rows(io.StringIO(text, newline=""))
    assert len(list(reread)) == len(rows) + 1


def test_a_workspace_reads_each_years_actuals_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loti_cli.pipeline import ledgers as ledgers_module
    from loti_cli.pipeline.workspace import Workspace

    ledger = tmp_path / "ledgers" / "2020-21.yaml"
    ledger.parent.mkdir()
    ledger.write_text("financial_year: 2020-21\n", encoding="utf-8")
    _write(tmp_path / "ledgers", HEADER + "T1,2020-05-01,1.00,,SL-01,,,g,1\n")
    reads: list[Path] = []
    real = ledgers_module.read_actuals

    def counting(path: Path, read: bytes | OSError | None = None) -> object:
        reads.append(path)
        return real(path, read)

    monkeypatch.setattr(ledgers_module, "read_actuals", counting)
    workspace = Workspace.open(ledger=ledger, no_cache=True)
    first = workspace.actuals(ledger)
    again = workspace.actuals(tmp_path / "ledgers" / ".." / "ledgers" / "2020-21.yaml")
    assert first is again and [r.id for r in first.rows] == ["T1"]
    assert reads == [tmp_path / "ledgers" / "2020-21.actuals.csv"]
