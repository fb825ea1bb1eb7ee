"""IM1 to IM6: the checks `loti actuals import` makes of an export, its rules and what it adds.

The import reports them itself (they read files, not a model), so none has a `check`.
An example is one or more files, each named on a line of its own and indented below:
`import.rules.yaml:` (keys in place of those of a complete rules file), `export.csv:`
(the whole export) or `ledgers/2020-21.actuals.csv:` (the actuals already imported).
"""

from __future__ import annotations

from typing import Any

from loti_cli.core.findings import Severity
from loti_cli.rules.base import Rule

_EXPORT = (
    "export.csv:\n  Transaction No,Posting Date,Net Amount,Supplier Name,Description,Cost Centre\n"
)


def _rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    explanation: str,
    passing: str,
    failing: str,
) -> Rule[Any]:
    return Rule(
        code=code,
        name=name,
        severity=severity,
        summary=summary,
        explanation=explanation,
        passing=passing,
        failing=failing,
        waivable=False,
        subject="import",
    )


IM1 = _rule(
    "IM1",
    "invalid-row",
    Severity.ERROR,
    "every cell of an export's row can be read: its money, its date, its columns",
    "Money in an export is exact, written 1234.56, 1,234.56, £1,234.56, -1234.56 or "
    "(1,234.56) (brackets: a credit note); more than two decimal places, or anything else, "
    "is an error at the cell's line and column, counting every line of the file as an "
    "editor does. So is a date not in the rules' date_format, a row with more or fewer cells "
    "than the header, an empty id or one that another row has. The row is not imported; the "
    "others are, and the command exits 1. Correct the export (or the rules) and import it "
    "again: the rows already imported are skipped.",
    _EXPORT + '  GL-1,28/04/2020,"£21,843.27",,Payroll 04/2020,41710\n'
    '  GL-2,12/06/2020,"(3,000.00)",Thirty3 Ltd,Thirty3 credit note,41810',
    _EXPORT + '  GL-1,28/04/2020,"£21,843.275",,Payroll 04/2020,41710'
    "   # IM1: amount '£21,843.275' has more than two decimal places",
)
IM2 = _rule(
    "IM2",
    "unmatched-row",
    Severity.WARNING,
    "a rule of the rules file matches every row imported",
    "The rules file's `match` says which expenditure line or proposal each row is spent on; "
    "the first rule whose `when` matches wins. A row that no rule matches is still imported, "
    "never dropped, with no line or proposal, and loti budget monitor shows it as "
    "Unmatched. To match it, add a rule, delete the row from the actuals file and import "
    "again.",
    _EXPORT + '  GL-1,28/04/2020,"21,843.27",,Payroll 04/2020,41710',
    _EXPORT + "  GL-1,03/12/2020,48.60,CitySprint,Courier,41990"
    "   # IM2: no rule matched (supplier 'CitySprint', description 'Courier', cost_centre '41990')",
)
IM3 = _rule(
    "IM3",
    "outside-year",
    Severity.ERROR,
    "a row imported is dated within the ledger's financial year",
    "Each year's actuals sit beside its ledger, and a financial year runs from 1 April to "
    "31 March. A row dated outside it is not imported into this year's actuals (the others "
    "are, and the command exits 1): import it into its own year's with --year.",
    _EXPORT + '  GL-1,31/03/2021,"1,250.00",,Payroll 03/2021,41710',
    _EXPORT + '  GL-1,01/04/2021,"1,250.00",,Payroll 04/2021,41710'
    "   # IM3: date 2021-04-01 is outside the financial year 2020-21",
)
IM4 = _rule(
    "IM4",
    "unknown-target",
    Severity.ERROR,
    "a rule names an expenditure line of the year's ledger, or the id of one of its proposals",
    "A rule's `line:` is the name of an expenditure line of the year's ledger, exactly; its "
    "`proposal:` is the id of a proposal of the year. A proposal that exists but is not "
    "approved is allowed: its spend is reported by loti budget monitor (MN4). A rule naming "
    "anything else would put spend where no report can find it, so nothing is imported "
    "(exit 2) until the rule is corrected.",
    'import.rules.yaml:\n  match:\n    - when: {cost_centre: "41710"}\n      line: Personnel\n'
    '    - when: {description: "^CR-04"}\n      proposal: CR-04',
    'import.rules.yaml:\n  match:\n    - when: {cost_centre: "41710"}\n      line: Personel'
    "   # IM4: line 'Personel' is not an expenditure line of the 2020-21 ledger; did you "
    "mean 'Personnel'?",
)
IM5 = _rule(
    "IM5",
    "invalid-rules",
    Severity.ERROR,
    "the import rules file is valid: its columns, formats and match rules",
    "The rules file maps the export's columns (date, amount or debit and credit; id, "
    "supplier, description and any other name optional), gives date_format (strftime), "
    "encoding (utf-8 or cp1252), delimiter and skip_rows, and lists match rules, each a "
    "`when` of columns it defines and one `line:` or `proposal:`. A `when` value with a "
    "regular expression character (. ^ $ * + ? { } [ ] \\ | ( )) is a regular expression "
    "searched in the cell; any other is compared with the cell, spaces trimmed. Every "
    "problem is reported at its line, and nothing is imported (exit 2) until they are fixed.",
    'import.rules.yaml:\n  match:\n    - when: {cost_centre: "41710", description: "(?i)payroll"}'
    "\n      line: Personnel",
    'import.rules.yaml:\n  match:\n    - when: {costcentre: "41710"}'
    "   # IM5: when names column 'costcentre', which columns does not define\n"
    "      line: Personnel",
)
IM6 = _rule(
    "IM6",
    "changed-row",
    Severity.WARNING,
    "a row already imported is exported again as it was imported",
    "A row whose id is already in the actuals file is not imported again. When the export "
    "now says something else of it (a corrected amount or date, or a rule that now matches "
    "it to another line), the actuals file keeps the row as it was imported, and the "
    "difference is reported: the file changes only by adding rows. To take the new row, "
    "delete the old one from the actuals file and import again.",
    "ledgers/2020-21.actuals.csv:\n"
    "  id,date,amount,line,proposal,supplier,description,source,source_row\n"
    "  GL-1,2020-04-28,21843.27,Personnel,,,Payroll 04/2020,export.csv,1\n"
    + _EXPORT
    + '  GL-1,28/04/2020,"21,843.27",,Payroll 04/2020,41710',
    "ledgers/2020-21.actuals.csv:\n"
    "  id,date,amount,line,proposal,supplier,description,source,source_row\n"
    "  GL-1,2020-04-28,21843.00,Personnel,,,Payroll 04/2020,export.csv,1\n"
    + _EXPORT
    + '  GL-1,28/04/2020,"21,843.27",,Payroll 04/2020,41710'
    "   # IM6: amount '21843.00' there, '21843.27' here",
)

IM7 = _rule(
    "IM7",
    "repeated-row",
    Severity.WARNING,
    "a new row is not one imported before, from another export, under another id",
    "A row is new when its id is not in the actuals file. An export of the same rows in "
    "another layout (the id column mapped where it was not, dates or amounts written "
    "otherwise, which change the hashed ids) makes new ids for old rows, and importing it "
    "would count them twice. So a new row with the date, amount, supplier and description "
    "of a row imported from another export is reported, with how many there are: if the "
    "export repeats the earlier one, delete the earlier rows from the actuals file and "
    "import again; if they are distinct payments, nothing is wrong.",
    "ledgers/2020-21.actuals.csv:\n"
    "  id,date,amount,line,proposal,supplier,description,source,source_row\n"
    "  h-0123456789abcdef,2020-04-28,21843.27,Personnel,,,Payroll 04/2020,old.csv,1\n"
    + _EXPORT
    + '  GL-1,28/05/2020,"21,843.27",,Payroll 05/2020,41710',
    "ledgers/2020-21.actuals.csv:\n"
    "  id,date,amount,line,proposal,supplier,description,source,source_row\n"
    "  h-0123456789abcdef,2020-04-28,21843.27,Personnel,,,Payroll 04/2020,old.csv,1\n"
    + _EXPORT
    + '  GL-1,28/04/2020,"21,843.27",,Payroll 04/2020,41710'
    "   # IM7: 1 new row looks like a row imported from old.csv ... h-0123456789abcdef",
)

IMPORT_RULES: tuple[Rule[Any], ...] = (IM1, IM2, IM3, IM4, IM5, IM6, IM7)
"""The import's checks, in code order."""
