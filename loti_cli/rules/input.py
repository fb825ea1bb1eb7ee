"""IN1 invalid-yaml and IN2 invalid-field: problems that loading a proposal reports."""

from __future__ import annotations

from loti_cli.core.findings import Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext

IN1: Rule[ProposalContext] = Rule(
    code="IN1",
    name="invalid-yaml",
    severity=Severity.ERROR,
    summary="the file is not valid YAML, not UTF-8, empty, or not a mapping",
    explanation=(
        "A proposal is one UTF-8 YAML document whose top level is a mapping of keys to "
        "values. A file that cannot be read that way gets this finding at the place of the "
        "problem, and no other rule can judge it; the other files are still checked. It "
        "cannot be waived. Fix the YAML at the line and column given."
    ),
    passing="id: CR-02\ntitle: Sharing data between boroughs",
    failing="id: CR-02\ntitle: Sharing data between boroughs\n"
    "title: Sharing data   # IN1: duplicate key 'title' (first at line 2); keep one",
    check=None,
    waivable=False,
)

IN2: Rule[ProposalContext] = Rule(
    code="IN2",
    name="invalid-field",
    severity=Severity.ERROR,
    summary="a required key is missing, a key is unknown, or a value has the wrong type",
    explanation=(
        "A proposal must have `id`, `title`, `financial_year`, `pillar`, `status`, "
        "`boroughs` and `budget.requested`; every key must be one of the proposal format's "
        '(an unknown key gets a "did you mean"), and every value of the right type and form '
        "(statuses and roles from their lists, amounts as in the ledger format, dates as "
        "2020-10-01). The proposal's financial year must also have a ledger, and the date "
        "of its `panel` fall within that year (1 April to 31 March): it is the grant's award "
        "date. Every problem is reported at once, and the rules still judge the rest of the "
        "file. It cannot be waived. Fix the key or value named."
    ),
    passing="status: submitted\nbudget: {requested: 45000}",
    failing="status: submited   # IN2: status 'submited' is not one of draft, submitted, "
    "approved, rejected or withdrawn; did you mean 'submitted'?",
    check=None,
    waivable=False,
)
