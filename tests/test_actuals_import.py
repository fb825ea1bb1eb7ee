"""`loti actuals import`: an export's rows into the year's actuals, once each, and every problem
reported at its place with nothing already imported lost."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from loti_cli.core.actuals import spent_by_line, spent_by_proposal
from loti_cli.io.actuals_file import read_actuals
from loti_cli.io.load import load_ledger
from loti_cli.io.resolve import bundled_ledgers
from tests.conftest import Run

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = "ledgers/examples/finance-export-2020-12.csv"
ACTUALS = Path("ledgers/2020-21.actuals.csv")
HEADER = "Transaction No,Posting Date,Net Amount,Supplier Name,Description,Cost Centre\n"
RULES = """\
columns:
  id: Transaction No
  date: Posting Date
  amount: Net Amount
  supplier: Supplier Name
  description: Description
  cost_centre: Cost Centre
date_format: "%d/%m/%Y"
match:
  - when: {cost_centre: "41710"}
    line: Personnel
  - when: {description: "(?i)thirty3"}
    line: Thirty3 Platform
  - when: {supplier: "(?i)^camden", cost_centre: "41830"}
    proposal: CR-02
"""

Cli = Callable[..., Run]


@pytest.fixture
def project(in_tmp_path: Path) -> Path:
    """The repository's ledger, proposals and example export, with no actuals yet."""
    (in_tmp_path / "ledgers").mkdir()
    shutil.copy(ROOT / "ledgers" / "2020-21.yaml", in_tmp_path / "ledgers")
    shutil.copytree(ROOT / "ledgers" / "examples", in_tmp_path / "ledgers" / "examples")
    shutil.copytree(ROOT / "proposals", in_tmp_path / "proposals")
    (in_tmp_path / "ledgers" / "import.rules.yaml").write_text(RULES, encoding="utf-8")
    return in_tmp_path


def export(text: str, name: str = "export.csv") -> str:
    Path(name).write_text(text, encoding="utf-8", newline="")
    return name


# ---------------------------------------------------------------------------
# the bundled example


def test_the_example_export_makes_the_bundled_actuals_byte_for_byte(
    project: Path, cli: Cli
) -> None:
    shutil.copy(ROOT / "ledgers" / "import.rules.yaml", project / "ledgers")
    done = cli("actuals", "import", EXAMPLE)
    assert done.exit_code == 0, done.output
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"{EXAMPLE}:46:1: IM2 no rule matched (supplier 'CitySprint (UK) Ltd', description "
        "'Courier - assistive devices to borough offices', cost_centre '41990'); it is imported "
        "with no line or proposal (to match it, add a rule to match in "
        "ledgers/import.rules.yaml, delete the row from the actuals file and import again)",
        "imported 51 rows (£543,483.50): 50 matched, 1 unmatched (£48.60); 0 already imported",
    ]
    written = ACTUALS.read_bytes()
    assert written == (ROOT / ACTUALS).read_bytes()
    assert written == (bundled_ledgers() / "2020-21.actuals.csv").read_bytes()


def test_a_second_identical_import_adds_nothing_and_says_so(project: Path, cli: Cli) -> None:
    shutil.copy(ROOT / "ledgers" / "import.rules.yaml", project / "ledgers")
    assert cli("actuals", "import", EXAMPLE).exit_code == 0
    before = ACTUALS.stat().st_mtime_ns, ACTUALS.read_bytes()
    again = cli("actuals", "import", EXAMPLE)
    assert again.exit_code == 0, again.output
    assert again.stderr == (
        "imported 0 rows (£0.00): 0 matched, 0 unmatched (£0.00); 51 already imported; "
        "nothing new: ledgers/2020-21.actuals.csv not changed\n"
    )
    assert (ACTUALS.stat().st_mtime_ns, ACTUALS.read_bytes()) == before


def test_the_bundled_actuals_follow_slide_26_and_the_approved_proposals() -> None:
    actuals = read_actuals(ROOT / ACTUALS)
    assert actuals.valid, actuals.findings
    ledger = load_ledger(ROOT / "ledgers" / "2020-21.yaml").model
    assert ledger is not None and ledger.expenditure is not None
    by_line = spent_by_line(actuals.rows)
    for line in ledger.expenditure:
        if line.status == "paid":  # Digital DPIA tool, Thirty3 Platform, LOTI website
            assert by_line[line.name] == line.amount, line.name
        else:  # spent to the end of December (month 9), within the year's amount
            assert 0 < by_line[line.name].amount < line.amount.amount, line.name
    awards = {
        "CR-01": 5000, "CR-02": 45000, "CR-03": 60000, "CR-05": 30000, "CR-06": 5000,
        "DC-01": 35000, "DC-02": 25000, "DC-05": 20000, "SL-01": 25000,
    }  # fmt: skip
    by_proposal = spent_by_proposal(actuals.rows)
    assert set(by_proposal) == set(awards)
    over = {key for key, award in awards.items() if by_proposal[key].amount > award}
    assert over == set()  # no project is over its award (DL3 would fail the repository)
    assert max(row.date for row in actuals.rows).isoformat() == "2020-12-28"
    assert next(row for row in actuals.rows if not row.matched).supplier == "CitySprint (UK) Ltd"


# ---------------------------------------------------------------------------
# rows: money, dates, matching, ids


def test_every_bad_cell_is_reported_at_its_place_and_the_good_rows_are_imported(
    project: Path, cli: Cli
) -> None:
    name = export(
        "Finance report\n\n"
        + HEADER
        + 'GL-1,28/04/2020,"21,843.27",,Payroll,41710\n'
        + 'GL-2,29/04/2020,"1,234.567",,Payroll,41710\n'
        + "GL-3,31/04/2020,12.00abc,,Payroll,41710\n"
        + "GL-4,30/04/2020,(£3,000.00),Thirty3 Ltd,Thirty3 credit,41810\n"
        + 'GL-5,30/04/2020,"(£3,000.00)",Thirty3 Ltd,Thirty3 credit,41810\n'
    )
    Path("ledgers/import.rules.yaml").write_text("skip_rows: 2\n" + RULES, encoding="utf-8")
    done = cli("actuals", "import", name)
    assert done.exit_code == 1, done.output
    assert done.stderr.splitlines() == [
        "export.csv:5:17: IM1 amount '1,234.567' has more than two decimal places; an amount "
        "is in pounds and pence",
        "export.csv:6:6: IM1 date '31/04/2020' is not a date written %d/%m/%Y (as 01/04/2020 "
        "for 1 April 2020); correct it, or date_format in the rules file",
        "export.csv:6:17: IM1 amount '12.00abc' is not an amount; write it as 1234.56, "
        "1,234.56, £1,234.56, -1234.56 or (1,234.56)",
        "export.csv:7:56: IM1 has 7 cells; the header has 6: quote a cell that holds the "
        "delimiter ','",
        "imported 2 rows (£18,843.27): 2 matched, 0 unmatched (£0.00); 0 already imported; "
        "3 rows not imported (errors above)",
    ]
    rows = read_actuals(ACTUALS).rows
    assert [(row.id, str(row.amount.amount), row.line, row.source_row) for row in rows] == [
        ("GL-1", "21843.27", "Personnel", 1),
        ("GL-5", "-3000.00", "Thirty3 Platform", 5),
    ]


def test_a_totals_row_at_the_foot_of_the_export_is_named_as_such(project: Path, cli: Cli) -> None:
    name = export(
        HEADER
        + "GL-1,01/05/2020,10.00,,Pay,41710\n"
        + ',,"1,010.00",,Grand Total,\n'
        + "Total,,1010.00,,,\n"
        + "Totally,,5.00,,,41710\n"
        + "GL-9,31/04/2020,5.00,Total Recall Ltd,Total for 41710,41710\n"
        + ",,10.00,,Subtotals for 41710,\n"
    )
    done = cli("actuals", "import", name)
    assert done.exit_code == 1
    assert done.stderr.splitlines() == [
        "export.csv:3:1: IM1 this is the export's totals row ('Grand Total'), not a payment: "
        "delete it from the export (loti adds up the rows itself); it is not imported",
        "export.csv:4:1: IM1 this is the export's totals row ('Total'), not a payment: delete "
        "it from the export (loti adds up the rows itself); it is not imported",
        "export.csv:5:9: IM1 date is empty; every row has a date",
        "export.csv:6:6: IM1 date '31/04/2020' is not a date written %d/%m/%Y (as 01/04/2020 "
        "for 1 April 2020); correct it, or date_format in the rules file",
        "export.csv:7:1: IM1 this is the export's totals row ('Subtotals for 41710'), not a "
        "payment: delete it from the export (loti adds up the rows itself); it is not imported",
        "imported 1 row (£10.00): 1 matched, 0 unmatched (£0.00); 0 already imported; 5 rows "
        "not imported (errors above)",
    ]


def test_a_nul_character_in_a_kept_cell_is_refused(project: Path, cli: Cli) -> None:
    # Kept, it would make the actuals file binary to git (no diff), and invisible on screen.
    name = export(
        HEADER
        + "GL-1,01/05/2020,10.00,Acme\x00Ltd,Pay,41710\n"
        + "GL-2,01/05/2020,10.00,Acme,Pay,41710\x00\n"
        + "GL-3,01/05/2020,10.00,Acme,Pay,41710\n"
    )
    done = cli("actuals", "import", name)
    assert done.exit_code == 1
    assert done.stderr.splitlines() == [
        "export.csv:2:23: IM1 supplier holds a NUL character (\\x00), which text never has: "
        "the export is damaged; export the report again",
        "export.csv:3:32: IM1 cost_centre holds a NUL character (\\x00), which text never "
        "has: the export is damaged; export the report again",
        "imported 1 row (£10.00): 1 matched, 0 unmatched (£0.00); 0 already imported; 2 rows "
        "not imported (errors above)",
    ]
    assert "\x00" not in ACTUALS.read_text(encoding="utf-8")


def test_an_unmatched_row_says_when_a_rule_reads_its_text_as_a_regular_expression(
    project: Path, cli: Cli
) -> None:
    # "(UK)" is a group to a regular expression: the rule never matches the name as written.
    rules = RULES + '  - when: {supplier: "Acme (UK) Ltd"}\n    line: Design\n'
    Path("ledgers/import.rules.yaml").write_text(rules, encoding="utf-8")
    done = cli("actuals", "import", export(HEADER + "GL-1,01/05/2020,10.00,Acme (UK) Ltd,x,1\n"))
    assert done.exit_code == 0
    assert done.stderr.splitlines()[0] == (
        "export.csv:2:1: IM2 no rule matched (supplier 'Acme (UK) Ltd', description 'x', "
        "cost_centre '1'); it is imported with no line or proposal (to match it, add a rule "
        "to match in ledgers/import.rules.yaml, delete the row from the actuals file and import "
        "again). The rule at ledgers/import.rules.yaml:17 has supplier 'Acme (UK) Ltd', which "
        "holds regular-expression characters, so it is searched as a regular expression, and "
        "it does not find that text: to match the text as written, write it with each such "
        "character escaped, in single quotes: 'Acme \\(UK\\) Ltd'"
    )


def test_a_row_with_too_few_cells_is_not_told_to_quote_a_delimiter(project: Path, cli: Cli) -> None:
    name = export(HEADER + "GL-1,01/05/2020,10.00,,Pay\n")
    done = cli("actuals", "import", name)
    assert done.exit_code == 1
    assert done.stderr.splitlines()[0] == (
        "export.csv:2:27: IM1 has 5 cells; the header has 6: the row ends before its last "
        "cell ('Cost Centre'); complete the row, or export the report again"
    )


def test_rows_outside_the_year_are_not_imported(project: Path, cli: Cli) -> None:
    name = export(
        HEADER
        + "GL-1,31/03/2021,10.00,,Payroll,41710\n"
        + "GL-2,01/04/2021,20.00,,Payroll,41710\n"
        + "GL-3,31/03/2020,30.00,,Payroll,41710\n"
    )
    done = cli("actuals", "import", name)
    assert done.exit_code == 1
    assert (
        "export.csv:3:6: IM3 date 2021-04-01 is outside the financial year 2020-21 (1 April "
        "2020 to 31 March 2021); the row is not imported: import it into its own year's "
        "actuals with --year"
    ) in done.stderr
    assert "export.csv:4:6: IM3 date 2020-03-31 is outside" in done.stderr
    assert [row.id for row in read_actuals(ACTUALS).rows] == ["GL-1"]


def test_first_rule_wins_all_keys_must_match_and_unmatched_rows_are_kept(
    project: Path, cli: Cli
) -> None:
    name = export(
        HEADER
        + "GL-1,01/05/2020,10.00,Camden Council,CR-02 sprint,41830\n"
        + "GL-2,01/05/2020,20.00,Camden Council,CR-02 sprint,41999\n"
        + "GL-3,01/05/2020,30.00,Acme,THIRTY3 licence,41710\n"
        + "GL-4,01/05/2020,40.00,Acme,other,  41710  \n"
        + "GL-5,01/05/2020,50.00,Acme,other,417100\n"
    )
    done = cli("actuals", "import", name)
    assert done.exit_code == 0, done.output
    rows = {row.id: (row.line, row.proposal) for row in read_actuals(ACTUALS).rows}
    assert rows == {
        "GL-1": ("", "CR-02"),
        "GL-2": ("", ""),  # the cost centre does not match too
        "GL-3": ("Personnel", ""),  # both rules match; the first wins
        "GL-4": ("Personnel", ""),  # equality after trimming
        "GL-5": ("", ""),  # equality, not a search
    }
    assert "export.csv:3:1: IM2 no rule matched (supplier 'Camden Council'" in done.stderr
    assert "export.csv:6:1: IM2 no rule matched" in done.stderr
    assert done.stderr.endswith(
        "imported 5 rows (£150.00): 3 matched, 2 unmatched (£70.00); 0 already imported\n"
    )


def test_without_an_id_column_identical_rows_stay_distinct_and_import_once(
    project: Path, cli: Cli
) -> None:
    Path("ledgers/import.rules.yaml").write_text(
        RULES.replace("  id: Transaction No\n", ""), encoding="utf-8"
    )
    rows = "GL-1,01/05/2020,10.00,,Payroll,41710\n" * 2 + "GL-1,01/05/2020,10.00,,Pay,41710\n"
    name = export(HEADER + rows)
    first = cli("actuals", "import", name)
    assert first.exit_code == 0, first.output
    ids = [row.id for row in read_actuals(ACTUALS).rows]
    assert len(ids) == 3 and len(set(ids)) == 3 and all(i.startswith("h-") for i in ids)
    again = cli("actuals", "import", name)
    assert "imported 0 rows (£0.00): 0 matched, 0 unmatched (£0.00); 3 already" in again.stderr
    export(HEADER + rows.replace("\n", "\r\n"))  # line endings are not in a row's id
    assert "3 already imported" in cli("actuals", "import", name).stderr


def test_the_same_rows_in_another_layout_are_reported_before_they_count_twice(
    project: Path, cli: Cli
) -> None:
    hashed = RULES.replace("  id: Transaction No\n", "")
    Path("ledgers/import.rules.yaml").write_text(hashed, encoding="utf-8")
    rows = "GL-1,01/05/2020,10.00,,Payroll,41710\nGL-2,02/05/2020,7.50,,Pay,41710\n"
    assert cli("actuals", "import", export(HEADER + rows, "april.csv")).exit_code == 0
    # The finance system's id is mapped now: the same two rows get other ids.
    Path("ledgers/import.rules.yaml").write_text(RULES, encoding="utf-8")
    again = cli("actuals", "import", export(HEADER + rows, "april-again.csv"))
    assert again.exit_code == 0  # a warning: they may be other payments
    assert again.stderr.splitlines()[0].startswith(
        "april-again.csv:2:1: IM7 2 new rows look like rows imported from april.csv under "
        "another id (the same date, amount, supplier and description; this one is h-"
    )
    assert "delete the rows imported from it from the actuals file and import again" in (
        again.stderr
    )
    # Two equal payments in one export are two payments: no IM7.
    ACTUALS.unlink()
    twice = "GL-1,01/05/2020,10.00,,Payroll,41710\nGL-9,01/05/2020,10.00,,Payroll,41710\n"
    fresh = cli("actuals", "import", export(HEADER + twice, "may.csv"))
    assert fresh.exit_code == 0 and "IM7" not in fresh.stderr, fresh.stderr
    assert len(read_actuals(ACTUALS).rows) == 2


def test_a_row_already_imported_with_other_content_is_kept_and_reported(
    project: Path, cli: Cli
) -> None:
    assert (
        cli("actuals", "import", export(HEADER + "GL-1,01/05/2020,10.00,,Pay,41710\n")).exit_code
        == 0
    )
    kept = ACTUALS.read_bytes()
    done = cli("actuals", "import", export(HEADER + "GL-1,02/05/2020,12.50,,Pay,41999\n"))
    assert done.exit_code == 0, done.output
    assert done.stderr.splitlines() == [
        "export.csv:2:1: IM6 id 'GL-1' is already imported (ledgers/2020-21.actuals.csv:2) "
        "with other content: date '2020-05-01' there, '2020-05-02' here; amount '10.00' "
        "there, '12.50' here; line 'Personnel' there, '' here. The imported row is kept; to "
        "take this one, delete that row and import again",
        "imported 0 rows (£0.00): 0 matched, 0 unmatched (£0.00); 1 already imported; "
        "nothing new: ledgers/2020-21.actuals.csv not changed",
    ]
    assert ACTUALS.read_bytes() == kept


def test_an_id_twice_in_one_export_is_an_error_on_the_second(project: Path, cli: Cli) -> None:
    name = export(HEADER + "GL-1,01/05/2020,10.00,,Pay,41710\nGL-1,02/05/2020,11.00,,Pay,41710\n")
    done = cli("actuals", "import", name)
    assert done.exit_code == 1
    assert "export.csv:3:1: IM1 id 'GL-1' is also that of the row on line 2" in done.stderr
    assert [row.amount.amount for row in read_actuals(ACTUALS).rows] == [10]


def test_debit_and_credit_columns(project: Path, cli: Cli) -> None:
    Path("ledgers/import.rules.yaml").write_text(
        RULES.replace("amount: Net Amount", "debit: Debit\n  credit: Credit"), encoding="utf-8"
    )
    header = HEADER.replace("Net Amount", "Debit,Credit")
    name = export(
        header
        + "GL-1,01/05/2020,100.00,,,Pay,41710\n"
        + 'GL-2,01/05/2020,,"1,000.50",,Pay,41710\n'
        + "GL-3,01/05/2020,,,,Pay,41710\n"
    )
    done = cli("actuals", "import", name)
    assert done.exit_code == 1
    assert "export.csv:4:17: IM1 debit and credit are both empty" in done.stderr
    amounts = [str(row.amount.amount) for row in read_actuals(ACTUALS).rows]
    assert amounts == ["100.00", "-1000.50"]


# ---------------------------------------------------------------------------
# dry run and terminal safety


def test_dry_run_prints_the_rows_and_writes_nothing(project: Path, cli: Cli) -> None:
    done = cli(
        "actuals",
        "import",
        export(HEADER + 'GL-1,01/05/2020,"(1,234.50)",Acme,Refund,41710\n'),
        "--dry-run",
    )
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["row", "date", "amount", "line", "or", "proposal", "supplier",
                                "description"]  # fmt: skip
    assert lines[2].split() == ["1", "2020-05-01", "-£1,234.50", "Personnel", "Acme", "Refund"]
    assert done.stderr == (
        "would import 1 row (-£1,234.50): 1 matched, 0 unmatched (£0.00); 0 already imported; "
        "dry run: ledgers/2020-21.actuals.csv not changed\n"
    )
    assert not ACTUALS.exists()


def test_hostile_text_is_shown_escaped_and_kept_as_data(project: Path, cli: Cli) -> None:
    evil = "Evil\x1b[31m Ltd\u202e"
    name = export(HEADER + f'GL-1,01/05/2020,10.00,"{evil}",desc\x07,41999\n')
    done = cli("actuals", "import", name, "--dry-run")
    assert "\x1b" not in done.output and "\u202e" not in done.output and "\x07" not in done.output
    assert "Evil\\x1b[31m Ltd\\u202e" in done.stdout
    assert "supplier 'Evil\\x1b[31m Ltd\\u202e', description 'desc\\x07'" in done.stderr
    real = cli("actuals", "import", name)
    assert "\x1b" not in real.output
    assert read_actuals(ACTUALS).rows[0].supplier == evil


# ---------------------------------------------------------------------------
# bad input: nothing imported, nothing lost


def test_a_header_without_the_rules_columns_stops_the_import(project: Path, cli: Cli) -> None:
    name = export(HEADER.replace("Posting Date", "Post Date") + "GL-1,01/05/2020,1.00,,x,1\n")
    done = cli("actuals", "import", name)
    assert done.exit_code == 2
    assert done.stderr == (
        "loti: error: export.csv:1: the header row has no column date: 'Posting Date' (did you "
        "mean 'Post Date'?). Its columns are 'Transaction No', 'Post Date', 'Net Amount', "
        "'Supplier Name', 'Description', 'Cost Centre'; the rules file ledgers/import.rules.yaml "
        "expects 'Transaction No', 'Posting Date', 'Net Amount', 'Supplier Name', "
        "'Description', 'Cost Centre'. Correct columns (or skip_rows) in the rules file; "
        "nothing was imported\n"
    )
    assert not ACTUALS.exists()


def test_a_column_the_rules_name_twice_in_the_header_stops_the_import(
    project: Path, cli: Cli
) -> None:
    # Which "Net Amount" is the spend? Taking the first in silence would import wrong figures.
    name = export(
        "Report\n"
        + HEADER.replace("\n", ",Net Amount,VAT\n")
        + "GL-1,01/05/2020,1.00,,x,41710,9.00,0\n"
    )
    Path("ledgers/import.rules.yaml").write_text("skip_rows: 1\n" + RULES, encoding="utf-8")
    done = cli("actuals", "import", name)
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        "loti: error: export.csv:2:78: the header row has the column 'Net Amount' (amount) "
        "twice, at columns 3 and 7, so which one to read is unclear: rename or remove one in "
        "the export, or name another column in the rules file ledgers/import.rules.yaml; "
        "nothing was imported\n"
    )
    assert not ACTUALS.exists()


def test_a_rule_naming_a_line_the_year_lacks_is_im4_at_its_line(project: Path, cli: Cli) -> None:
    Path("ledgers/import.rules.yaml").write_text(
        RULES.replace("line: Personnel", "line: Personel")
        + '  - when: {cost_centre: "1"}\n    proposal: CR-04\n'  # submitted: allowed
        + '  - when: {cost_centre: "2"}\n    proposal: CR-99\n',
        encoding="utf-8",
    )
    assert cli("actuals", "import", export(HEADER + "GL-1,01/05/2020,1.00,,x,1\n")).exit_code == 2
    done = cli("actuals", "import", "export.csv")
    assert done.stderr.splitlines() == [
        "loti: error: the rules file ledgers/import.rules.yaml cannot be used:",
        "ledgers/import.rules.yaml:11:11: IM4 line 'Personel' is not an expenditure line of the "
        "2020-21 ledger; did you mean 'Personnel'?; name one of its lines exactly",
        "ledgers/import.rules.yaml:19:15: IM4 proposal 'CR-99' is not the id of a proposal of "
        "2020-21; did you mean 'CR-06'?",
        "2 problems; fix them and import again (nothing was imported)",
    ]
    assert not ACTUALS.exists()


def test_every_problem_of_the_rules_file_is_reported_in_one_run(project: Path, cli: Cli) -> None:
    Path("ledgers/import.rules.yaml").write_text(
        RULES.replace("date_format", "date_formt")
        .replace('"(?i)thirty3"', '"(?i)thirty3("')
        .replace("{supplier:", "{suplier:")
        + "encoding: latin-1\nskip_rows: -1\n",
        encoding="utf-8",
    )
    done = cli("actuals", "import", export(HEADER))
    assert done.exit_code == 2
    lines = done.stderr.splitlines()
    assert lines[0] == "loti: error: the rules file ledgers/import.rules.yaml cannot be used:"
    assert lines[1:] == [
        "ledgers/import.rules.yaml:8:1: IM5 unknown key 'date_formt'; did you mean "
        "'date_format'?; a rules file has columns, date_format, encoding, delimiter, "
        "skip_rows or match",
        "ledgers/import.rules.yaml:12:25: IM5 when.description '(?i)thirty3(' is a regular "
        "expression that cannot be read (missing ), unterminated subpattern at position 11); "
        "write \\ before a character meant literally, e.g. \\( or \\.",
        "ledgers/import.rules.yaml:14:12: IM5 when names column 'suplier', which columns does "
        "not define; did you mean 'supplier'?; add `suplier: <its header>` to columns",
        "ledgers/import.rules.yaml:16:11: IM5 encoding 'latin-1' is not utf-8 or cp1252",
        "ledgers/import.rules.yaml:17:12: IM5 skip_rows -1 is not a number of lines (0, 1, 2...)",
        "5 problems; fix them and import again (nothing was imported)",
    ]


def test_an_invalid_actuals_file_is_never_written_over(project: Path, cli: Cli) -> None:
    name = export(HEADER + "GL-1,01/05/2020,10.00,,Pay,41710\n")
    assert cli("actuals", "import", name).exit_code == 0
    broken = ACTUALS.read_text(encoding="utf-8").replace("10.00", "10.0")
    ACTUALS.write_text(broken, encoding="utf-8")
    done = cli("actuals", "import", export(HEADER + "GL-2,02/05/2020,1.00,,Pay,41710\n"))
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [
        "loti: error: the actuals file ledgers/2020-21.actuals.csv is not valid, so nothing "
        "was imported (it is never written over while it is not):",
        "ledgers/2020-21.actuals.csv:2:17: MN6 amount '10.0' is not written with two decimals "
        "(1234.50, -80.00)",
        "1 problem; correct the file (git diff shows what changed since it was committed) and "
        "import again",
    ]
    assert ACTUALS.read_text(encoding="utf-8") == broken


def test_a_cp1252_export_needs_its_encoding_declared(project: Path, cli: Cli) -> None:
    Path("export.csv").write_bytes(
        (HEADER + 'GL-1,01/05/2020,"£1,000.00",Caf\xe9 Ltd,Pay,41710\n').encode("cp1252")
    )
    done = cli("actuals", "import", "export.csv")
    assert done.exit_code == 2
    assert done.stderr == (
        "loti: error: export.csv:2:18: byte 0xa3 is not utf-8 text, the encoding the rules file "
        "ledgers/import.rules.yaml gives; the export is probably in Windows-1252: add "
        "`encoding: cp1252` to the rules file; nothing was imported\n"
    )
    Path("ledgers/import.rules.yaml").write_text(RULES + "encoding: cp1252\n", encoding="utf-8")
    done = cli("actuals", "import", "export.csv")
    assert done.exit_code == 0, done.output
    (row,) = read_actuals(ACTUALS).rows
    assert (row.amount.amount, row.supplier) == (1000, "Café Ltd")


def test_a_utf8_export_is_not_read_as_cp1252_into_mojibake(project: Path, cli: Cli) -> None:
    # Read as cp1252, 'Café' would be kept as 'CafÃ©' in the actuals file, in silence.
    Path("ledgers/import.rules.yaml").write_text(RULES + "encoding: cp1252\n", encoding="utf-8")
    name = export(HEADER + "GL-1,01/05/2020,1000.00,Café Ltd,Pay,41710\n")
    done = cli("actuals", "import", name)
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        "loti: error: export.csv:2:28: the bytes 0xc3 0xa9 are 'é' in UTF-8 (and 'Ã©' in "
        "cp1252, the encoding the rules file ledgers/import.rules.yaml gives): the export is "
        "probably in UTF-8: write `encoding: utf-8` in the rules file; nothing was imported\n"
    )
    assert not ACTUALS.exists()
    Path(name).write_bytes(b"\xef\xbb\xbf" + Path(name).read_bytes().replace(b"\xc3\xa9", b"e"))
    done = cli("actuals", "import", name)
    assert done.exit_code == 2
    assert done.stderr.startswith(
        "loti: error: export.csv:1:1: the export starts with a UTF-8 byte-order mark, so it is "
        "UTF-8 text, not cp1252"
    )


def test_crlf_and_a_byte_order_mark_are_read(project: Path, cli: Cli) -> None:
    text = "\ufeff" + (HEADER + 'GL-1,01/05/2020,"1,234.50",,Pay,41710\n').replace("\n", "\r\n")
    Path("export.csv").write_bytes(text.encode("utf-8"))
    done = cli("actuals", "import", "export.csv")
    assert done.exit_code == 0, done.output
    assert "imported 1 row (£1,234.50): 1 matched" in done.stderr
    assert read_actuals(ACTUALS).rows[0].id == "GL-1"


def test_an_export_with_old_mac_line_ends_is_read_line_by_line(project: Path, cli: Cli) -> None:
    # "CSV (Macintosh)" ends lines with CR alone; an editor counts them as lines too.
    text = (
        "Report\r\r" + HEADER + "GL-1,01/05/2020,10.00,,Pay,41710\nGL-2,01/05/2020,x,,Pay,41710\n"
    )
    Path("export.csv").write_bytes(text.replace("\n", "\r").encode("utf-8"))
    Path("ledgers/import.rules.yaml").write_text("skip_rows: 2\n" + RULES, encoding="utf-8")
    done = cli("actuals", "import", "export.csv")
    assert done.exit_code == 1
    assert done.stderr.splitlines() == [
        "export.csv:5:17: IM1 amount 'x' is not an amount; write it as 1234.56, 1,234.56, "
        "£1,234.56, -1234.56 or (1,234.56)",
        "imported 1 row (£10.00): 1 matched, 0 unmatched (£0.00); 0 already imported; 1 row "
        "not imported (errors above)",
    ]
    assert [(row.id, row.at) for row in read_actuals(ACTUALS).rows] == [("GL-1", 2)]


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "loti: error: export.csv: no such export file; nothing was imported\n"),
        (
            "folder",
            "loti: error: export.csv: is a folder; name the CSV file exported from the finance "
            "system; nothing was imported\n",
        ),
        (
            "empty",
            "loti: error: export.csv: is empty; export the report again; nothing was imported\n",
        ),
    ],
)
def test_an_export_that_cannot_be_read(project: Path, cli: Cli, setup: str, message: str) -> None:
    if setup == "folder":
        Path("export.csv").mkdir()
    elif setup == "empty":
        Path("export.csv").write_bytes(b"")
    done = cli("actuals", "import", "export.csv")
    assert (done.exit_code, done.stdout, done.stderr) == (2, "", message)
    assert not ACTUALS.exists()


def test_a_folder_that_cannot_be_written_says_so_and_what_to_do(
    project: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only ledgers/ (root ignores the mode bits, so the refusal is made here).
    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(kwargs.get("dir")))

    monkeypatch.setattr("loti_cli.io.files.tempfile.mkstemp", refuse)
    done = cli("actuals", "import", export(HEADER + "GL-1,01/05/2020,10.00,,Pay,41710\n"))
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        "loti: error: ledgers/2020-21.actuals.csv cannot be written: Permission denied; "
        "nothing was imported: make ledgers writable and import again (--dry-run shows the "
        "rows without writing)\n"
    )
    assert not ACTUALS.exists()


def test_an_export_with_only_title_lines_has_no_header(project: Path, cli: Cli) -> None:
    Path("ledgers/import.rules.yaml").write_text("skip_rows: 3\n" + RULES, encoding="utf-8")
    done = cli("actuals", "import", export("Report\nLOTI\n"))
    assert done.exit_code == 2
    assert done.stderr == (
        "loti: error: export.csv: has no header row: it has 2 line(s), and the rules file "
        "ledgers/import.rules.yaml skips 3 before the header; nothing was imported\n"
    )


def test_a_header_and_no_rows_imports_nothing(project: Path, cli: Cli) -> None:
    done = cli("actuals", "import", export(HEADER))
    assert (done.exit_code, done.stderr) == (
        0,
        "imported 0 rows (£0.00): 0 matched, 0 unmatched (£0.00); 0 already imported; "
        "nothing new: ledgers/2020-21.actuals.csv not changed\n",
    )


def test_too_large_an_export_is_refused_before_anything_is_written(
    project: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loti_cli.pipeline import export_read

    name = export(HEADER + "GL-1,01/05/2020,10.00,,Pay,41710\n" * 3)
    monkeypatch.setattr(export_read, "MAX_BYTES", 100)
    done = cli("actuals", "import", name)
    assert done.exit_code == 2
    assert "export.csv: is 0 MiB; loti imports exports of at most 0 MiB" in done.stderr
    monkeypatch.setattr(export_read, "MAX_BYTES", 10_000)
    monkeypatch.setattr(export_read, "MAX_ROWS", 2)
    done = cli("actuals", "import", name)
    assert done.exit_code == 2
    assert done.stderr == (
        "loti: error: export.csv: has more than 2 rows; import it a month or a quarter at a "
        "time (importing is idempotent, so the parts may overlap); nothing was imported\n"
    )
    assert not ACTUALS.exists()


def test_the_bundled_ledger_is_not_imported_into(in_tmp_path: Path, cli: Cli) -> None:
    done = cli("actuals", "import", export(HEADER))
    assert done.exit_code == 2
    assert "the ledger in use is" in done.stderr
    assert "bundled with loti" in done.stderr
    assert "run from the folder that holds ledgers/YYYY-YY.yaml, or pass --ledger" in done.stderr


def test_a_missing_rules_file_says_where_it_was_looked_for(project: Path, cli: Cli) -> None:
    Path("ledgers/import.rules.yaml").unlink()
    done = cli("actuals", "import", export(HEADER))
    assert done.exit_code == 2
    assert done.stderr.startswith(
        "loti: error: no rules file ledgers/import.rules.yaml: write one (see `loti actuals "
        "import --help`"
    )
    done = cli("actuals", "import", "export.csv", "--rules", "other.yaml")
    assert done.stderr.startswith(
        "loti: error: the rules file other.yaml cannot be used:\nother.yaml:1:1: IM5 cannot "
        "be read: no such rules file"
    )


def test_year_must_be_the_ledgers(project: Path, cli: Cli) -> None:
    done = cli(
        "actuals", "import", export(HEADER), "--ledger", "ledgers/2020-21.yaml", "--year", "2021-22"
    )
    assert done.exit_code == 2
    assert "--year 2021-22 but the ledger ledgers/2020-21.yaml is for 2020-21" in done.stderr


def test_a_200_mb_export_is_refused_before_it_is_read(project: Path, cli: Cli) -> None:
    with Path("export.csv").open("wb") as out:  # sparse: 200 MB long, nothing on disk
        out.write(HEADER.encode())
        out.truncate(200 * 1024 * 1024)
    done = cli("actuals", "import", "export.csv")
    assert (done.exit_code, done.stdout) == (2, "")
    assert done.stderr == (
        "loti: error: export.csv: is 200 MiB; loti imports exports of at most 64 MiB: export "
        "the year a month or a quarter at a time (importing is idempotent, so the parts may "
        "overlap); nothing was imported\n"
    )
    assert not ACTUALS.exists()


@pytest.mark.parametrize("width", ["60", "80"])
def test_a_narrow_terminal_never_cuts_money(project: Path, cli: Cli, width: str) -> None:
    name = export(
        HEADER
        + 'GL-1,01/05/2020,"£1,234,567.89",A supplier with a long name,'
        + "x" * 90
        + ",41710\n"
    )
    done = cli("actuals", "import", name, "--dry-run", env={"COLUMNS": width})
    assert done.exit_code == 0, done.output
    assert "£1,234,567.89" in done.stdout
    assert "would import 1 row (£1,234,567.89)" in done.stderr


def test_the_rules_reader_names_im5_as_the_registry_does() -> None:
    from loti_cli.io import import_rules
    from loti_cli.rules.im_import import IM5

    assert (IM5.code, IM5.name) == (import_rules.CODE, import_rules.NAME)


def test_a_utf16_export_or_an_unreadable_header_is_named(project: Path, cli: Cli) -> None:
    Path("export.csv").write_bytes((HEADER + "GL-1,01/05/2020,1.00,,x,1\n").encode("utf-16"))
    done = cli("actuals", "import", "export.csv")
    assert (done.exit_code, done.stderr) == (
        2,
        'loti: error: export.csv: is UTF-16 text (Excel\'s "Unicode text"); save or export it '
        "as CSV (UTF-8, or Windows-1252 with `encoding: cp1252`); nothing was imported\n",
    )
    done = cli("actuals", "import", export('Transaction No,"Posting Date\n'))
    assert done.exit_code == 2
    assert done.stderr.startswith(
        "loti: error: export.csv:1: the header row cannot be read: a quoted cell is never closed"
    )


def test_an_unknown_proposal_names_the_proposal_files_that_cannot_be_read(
    project: Path, cli: Cli
) -> None:
    Path("proposals/broken.yaml").write_text("id: [CR-99\n", encoding="utf-8")
    Path("ledgers/import.rules.yaml").write_text(
        RULES + '  - when: {cost_centre: "2"}\n    proposal: CR-99\n', encoding="utf-8"
    )
    done = cli("actuals", "import", export(HEADER))
    assert done.exit_code == 2
    assert (
        "ledgers/import.rules.yaml:17:15: IM4 proposal 'CR-99' is not the id of a proposal of "
        "2020-21 (1 proposal file(s) cannot be read: proposals/broken.yaml); did you mean "
        "'CR-06'?"
    ) in done.stderr
