"""The monitoring checks MN1 to MN6: spend against budget, as `loti budget monitor` reports it.

Their examples are a ledger's keys (taking the place of the bundled 2020-21 ledger's)
and, after a line `2020-21.actuals.csv:`, rows of its actuals file (after the header);
tests/test_rule_examples.py runs them.
"""

from __future__ import annotations

from loti_cli.core.findings import Severity
from loti_cli.rules.base import Rule

ACTUALS = "2020-21.actuals.csv:"
"""The line of an example after which the rows of its actuals file come."""

MN1: Rule[object] = Rule(
    code="MN1",
    name="over-budget",
    severity=Severity.ERROR,
    summary="a line's or approved proposal's actual spend to date exceeds its budget",
    explanation=(
        "The actuals to the end of the period (the sum of the actuals file's rows for the "
        "line or proposal) are more than the line's amount or the proposal's "
        "budget.requested: money has been spent that the budget does not hold. Raise the "
        "budget (a ledger change, or a panel decision for a proposal), or correct the "
        "actuals if a row was matched to the wrong line."
    ),
    passing="expenditure:\n  - {name: Design, amount: 20000, status: estimated}\n"
    f"{ACTUALS}\n  a1,2020-05-12,15000.00,Design,,Studio,Design sprint,export.csv,1",
    failing="expenditure:\n  - {name: Design, amount: 20000, status: estimated}"
    "   # MN1: 'Design' has spent £25,000 to date, £5,000 more than its budget of £20,000\n"
    f"{ACTUALS}\n  a1,2020-05-12,25000.00,Design,,Studio,Design sprint,export.csv,1",
    waivable=False,
    subject="monitoring",
)

MN2: Rule[object] = Rule(
    code="MN2",
    name="unmatched-actuals",
    severity=Severity.WARNING,
    summary="actuals that belong to no line or proposal of the year",
    explanation=(
        "An actual with an empty line and proposal (no import rule matched it), or naming a "
        "line the ledger does not have, is spend the budget cannot place. It is counted in "
        "the Unmatched row, so that it still reduces what is forecast to be left, and the "
        "finding gives the rows' number and total. Add a rule to the import rules and import "
        "again, or correct the row."
    ),
    passing=f"{ACTUALS}\n  a1,2020-05-12,300.00,Design,,Studio,Workshop,export.csv,1",
    failing=f"{ACTUALS}\n  a1,2020-05-12,300.00,,,Studio,Workshop,export.csv,1"
    "   # MN2: 1 actual (£300) to ... names no line or proposal",
    waivable=False,
    subject="monitoring",
)

MN3: Rule[object] = Rule(
    code="MN3",
    name="paid-line-differs",
    severity=Severity.WARNING,
    summary="a paid line's actuals differ from its amount",
    explanation=(
        "A line whose status is `paid` has been paid in full, so its actuals, when there "
        "are any, should add up to its amount. A difference means the ledger's figure or "
        "the actuals are wrong. Correct the amount (or the status, if it is not yet all "
        "paid), or the actuals."
    ),
    passing=f"{ACTUALS}\n  a1,2020-05-12,57000.00,Thirty3 Platform,,Thirty3,Licence,export.csv,1",
    failing="expenditure:\n  - {name: Thirty3 Platform, amount: 57000, status: paid}"
    "   # MN3: 'Thirty3 Platform' is paid at £57,000 but its actuals to date add up to "
    "£50,000\n"
    f"{ACTUALS}\n  a1,2020-05-12,50000.00,Thirty3 Platform,,Thirty3,Licence,export.csv,1",
    waivable=False,
    subject="monitoring",
)

MN4: Rule[object] = Rule(
    code="MN4",
    name="spend-without-approval",
    severity=Severity.ERROR,
    summary="actuals name a proposal that is not approved",
    explanation=(
        "Money is spent on a proposal only once a funding panel has approved it. Actuals "
        "naming a proposal that is submitted, a draft, rejected, withdrawn, of another year "
        "or not in the proposals folder are counted in the Unmatched row and reported at the "
        "actuals file's line. Record the panel's decision (loti proposal decide), or correct "
        "the row."
    ),
    passing=f"{ACTUALS}\n  a1,2020-05-12,1000.00,,CR-02,Acme,Discovery,export.csv,1",
    failing=f"{ACTUALS}\n  a1,2020-05-12,1000.00,,CR-04,Acme,Discovery,export.csv,1"
    "   # MN4: CR-04 is submitted, not approved",
    waivable=False,
    subject="monitoring",
)

MN5: Rule[object] = Rule(
    code="MN5",
    name="red-forecast",
    severity=Severity.WARNING,
    summary="a line or approved proposal is red: its forecast outturn is over the red threshold",
    explanation=(
        "A line or approved proposal is red when its forecast outturn is over its budget by "
        "at least the ledger's red threshold (`monitoring: {red: 10%}`, the default). The "
        "forecast is the line's `forecast:`, or the larger of its budget and its actual to "
        "date. Act on it, or revise the budget; `--strict` makes this warning fail the run."
    ),
    passing="expenditure:\n  - {name: Design, amount: 20000, status: estimated, forecast: 20500}",
    failing="expenditure:\n"
    "  - {name: Design, amount: 20000, status: estimated, forecast: 23000}"
    "   # MN5: 'Design' is red: its forecast outturn £23,000 is £3,000 (15.0%) over",
    waivable=False,
    subject="monitoring",
)

MN6: Rule[object] = Rule(
    code="MN6",
    name="invalid-actuals",
    severity=Severity.ERROR,
    summary="the actuals file is not in the monitoring format",
    explanation=(
        "The year's actuals file (ledgers/YYYY-YY.actuals.csv) has the columns "
        "id,date,amount,line,proposal,supplier,description,source,source_row; each row a "
        "unique id, an ISO date within the financial year, an amount with two decimals, a "
        "line or a proposal (or neither) and its export's row. Every problem is reported at "
        "its line and column, and the command exits 2: no figure is made from a file that "
        "cannot be trusted. Undo the edit, or import the export again."
    ),
    passing=f"{ACTUALS}\n  a1,2020-05-12,300.00,Design,,Studio,Workshop,export.csv,1",
    failing=f"{ACTUALS}\n  a1,2021-05-12,300.00,Design,,Studio,Workshop,export.csv,1"
    "   # MN6: 2021-05-12 is outside the financial year 2020-21",
    waivable=False,
    subject="monitoring",
)

MONITORING_RULES: tuple[Rule[object], ...] = (MN1, MN2, MN3, MN4, MN5, MN6)
