"""Every rule's examples, as `loti rules CODE` shows them, run as real checks.

An example is YAML (an import check's: files, see `files_of`). Its keys take the place of the same keys of a complete document that
passes every rule (BASE_PROPOSAL for the proposal rules, BASE_GRANT for the 360Giving
checks, the bundled 2020-21 ledger for the ledger rules and the borough statements' checks),
and it is checked beside the
repository's proposals, whose figures the examples quote ("SL-01 approved for £25,000").
The example comes first in the document, so its lines are the document's lines.

Proposal examples are checked with the closure rules (as `loti proposal check --closing`)
and with the year's actuals of ACTUALS beside the ledger.

A monitoring check's example (MN) is a ledger's keys, as a ledger rule's, then after a line
`2020-21.actuals.csv:` the rows of the year's actuals file (without its header), indented;
it is run as `loti budget monitor` runs. Its mark may be on a row of the actuals file.

The passing example is a valid document that gets no finding of its rule. The failing
one marks the line of the finding it gets with `# CODE: part of the message`, parts
separated by `...`, and gets that finding, there, and no other of its rule.
"""

from __future__ import annotations

import re
import shutil
import textwrap
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from loti_cli.core.findings import Finding
from loti_cli.io.actuals_file import HEADER, read_actuals
from loti_cli.io.load import load_ledger, load_proposal
from loti_cli.io.resolve import LedgerChoice, LedgerSearch, bundled_ledgers
from loti_cli.io.scores_file import read_scores
from loti_cli.pipeline.calls import open_call
from loti_cli.pipeline.check import check_paths
from loti_cli.pipeline.grants import Publisher, export_grants
from loti_cli.pipeline.ledgers import LedgerBook
from loti_cli.pipeline.monitoring import PeriodChoice, monitor
from loti_cli.pipeline.ranking import rank_call
from loti_cli.pipeline.statements import statements
from loti_cli.pipeline.status import budget_status, load_portfolio
from loti_cli.pipeline.workspace import Workspace
from loti_cli.rules import RULES
from loti_cli.rules.base import Rule
from loti_cli.rules.monitoring import ACTUALS as ACTUALS_MARK

ROOT = Path(__file__).resolve().parents[1]
PROPOSALS = ROOT / "proposals"
LEDGER = bundled_ledgers() / "2020-21.yaml"
TODAY = date(2020, 10, 15)

BASE_PROPOSAL = """\
id: SL-03
title: Shared standards for referral directories
financial_year: 2020-21
pillar: Smarter London
area: Standards
status: submitted
summary: Publish borough directories of support in one shape.
outcome: Residents who need support are referred once, within a day.
boroughs:
  - {name: Camden, role: lead}
  - {name: Hackney, role: delivery}
budget:
  requested: 5000
replicability:
  standards: [Open Referral UK]
  plan: Any borough publishes its directory in the same shape.
outputs:
  - {name: Directory data model, licence: OGL-UK-3.0, gifted: true}
sustainability: Boroughs host their directories within existing budgets.
"""
"""Submitted for £5,000: with SL-01 (approved, £25,000) and SL-02 (submitted, £20,000),
Smarter London's £50,000 is exactly asked for."""

BASE_GRANT = BASE_PROPOSAL.replace("status: submitted\n", "status: approved\npanel: 2020-10-01\n")
"""The same proposal, approved at a panel: a grant to export."""

PREVIOUS_YEAR = """\
ledger: LOTI budget 2019-20
financial_year: 2019-20
currency: GBP
members: []
income:
  - {name: Grant, amount: 400000, kind: grant}
expenditure:
  - {name: Personnel, amount: 50000, status: paid}
allocations: []
"""
"""Beside the ledger under test, the year before, which leaves £350,000: what the bundled
2020-21 ledger carries forward (for LB7)."""

ACTUALS = """\
id,date,amount,line,proposal,supplier,description,source,source_row
T1,2020-10-30,2500.00,,SL-03,Open Data Co,Data model sprint,ledger.csv,1
T2,2020-11-30,3500.00,,SL-03,Open Data Co,Data model sprint,ledger.csv,2
"""
"""The year's actuals beside the ledger the proposal examples are checked against: £6,000
spent on SL-03, the base proposal (what DL3's examples quote)."""
BASE_RULES = """\
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
"""A complete import rules file, for the import checks (IM): an example's keys replace its own."""

BASE_EXPORT = """\
Transaction No,Posting Date,Net Amount,Supplier Name,Description,Cost Centre
GL-1,28/04/2020,"21,843.27",,Payroll 04/2020,41710
GL-2,12/06/2020,"(£3,000.00)",Thirty3 Ltd,Thirty3 credit note,41810
GL-3,22/10/2020,"£15,000.00",Camden Council,CR-02 sprint 1,41830
"""
"""An export the base rules import whole, for an example that does not give one."""

_FILE = re.compile(r"^(import\.rules\.yaml|export\.csv|ledgers/2020-21\.actuals\.csv):$")
_MARK = re.compile(r"\s+#\s*IM[0-9]:.*$")

_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:")


def document(example: str, base: str) -> str:
    """The example, then the base's top-level keys that the example does not write."""
    written = {match[1] for line in example.splitlines() if (match := _TOP_KEY.match(line))}
    kept: list[str] = []
    skipping = False
    for line in base.splitlines():
        if match := _TOP_KEY.match(line):
            skipping = match[1] in written
        if not skipping or line.startswith("#"):
            kept.append(line)
    return example.rstrip("\n") + "\n" + "\n".join(kept) + "\n"


def mark(rule: Rule[Any], example: str) -> tuple[int, tuple[str, ...]] | None:
    """The line marked `# CODE: ...` in an example, and the parts of the message it names."""
    found = [
        (number, match["text"])
        for number, line in enumerate(example.splitlines(), start=1)
        if (match := re.search(rf"#\s*{rule.code}:\s*(?P<text>.*)$", line))
    ]
    if not found:
        return None
    assert len(found) == 1, f"{rule.code}: mark one line of the example"
    number, text = found[0]
    parts = tuple(part.strip() for part in text.split("...") if part.strip())
    return number, parts


def in_portfolio(example: str) -> tuple[str, str] | None:
    """A ledger rule's example about a proposal file, written `proposals/NAME.yaml:` then the
    file's keys indented: (NAME.yaml, the file's keys)."""
    first, _, rest = example.partition("\n")
    if not (first.startswith("proposals/") and first.endswith(":")):
        return None
    return first[len("proposals/") : -1], textwrap.dedent(rest)


def files_of(example: str) -> dict[str, str]:
    """An import check's example: each file named on a line of its own (`export.csv:`), then
    its text indented by two spaces below it."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in example.splitlines():
        if match := _FILE.match(line):
            current = found.setdefault(match[1], [])
        else:
            assert current is not None and line.startswith("  "), f"not in a file: {line!r}"
            current.append(line[2:])
    return {name: "\n".join(lines) + "\n" for name, lines in found.items()}


def import_findings(example: str, folder: Path) -> list[Finding]:
    """What importing the example's export with its rules (and actuals) finds."""
    from loti_cli.pipeline.actuals_import import Options, RulesUnusable, run_import

    files = files_of(example)
    (folder / "ledgers").mkdir()
    ledger = folder / "ledgers" / "2020-21.yaml"
    shutil.copy(LEDGER, ledger)
    rules = folder / "ledgers" / "import.rules.yaml"
    rules.write_text(document(files.get("import.rules.yaml", ""), BASE_RULES), encoding="utf-8")
    export = folder / "export.csv"
    export.write_text(_MARK.sub("", files.get("export.csv", BASE_EXPORT)), encoding="utf-8")
    if "ledgers/2020-21.actuals.csv" in files:
        (folder / "ledgers" / "2020-21.actuals.csv").write_text(
            files["ledgers/2020-21.actuals.csv"], encoding="utf-8"
        )
    try:
        options = Options(export, rules, ledger, proposals=PROPOSALS)
        return run_import(options, lambda note: None).findings
    except RulesUnusable as unusable:
        return unusable.findings


def marked(rule: Rule[Any]) -> tuple[int, tuple[str, ...]] | None:
    """The failing example's marked line and message parts; for an import check, the line in
    the file of the example that is marked."""
    if rule.subject == "import":
        for text in files_of(rule.failing).values():
            if (found := mark(rule, text)) is not None:
                return found
        return None
    portfolio = in_portfolio(rule.failing)
    return mark(rule, portfolio[1] if portfolio is not None else rule.failing)


def scores_findings(example: str, folder: Path) -> list[Finding]:
    """A scores rule's example is a call's scores file, its marks taken out: ranked against
    the bundled ledger's Covid Innovation Fund, with the repository's bids it names."""
    text = re.sub(r"[ \t]+#\s*SC\d:.*$", "", example, flags=re.MULTILINE) + "\n"
    (folder / "proposals").mkdir()
    for bid in sorted(PROPOSALS.glob("cif-*.yaml")):
        if bid.stem.upper() in text:
            shutil.copy(bid, folder / "proposals" / bid.name)
    path = folder / "scores.csv"
    path.write_text(text, encoding="utf-8")
    setup = open_call(
        "Covid Innovation Fund", ledger=LEDGER, proposals=folder / "proposals", no_cache=True
    )
    ranking = rank_call(setup, read_scores(path, str(path), setup.expected()))
    return [f for f in ranking.findings if f.path == str(path)]


def with_actuals(example: str) -> tuple[str, list[str]]:
    """A monitoring example's ledger keys, and its actuals rows (their marks taken off)."""
    ledger, _, rows = example.partition(ACTUALS_MARK)
    kept = [re.sub(r"\s+#.*$", "", line) for line in textwrap.dedent(rows).splitlines()]
    return ledger, [line for line in kept if line]


def monitored(example: str, folder: Path) -> list[Finding]:
    """What `loti budget monitor` finds in a ledger and actuals file made of the example."""
    keys, rows = with_actuals(example)
    path = folder / "2020-21.yaml"
    path.write_text(document(keys, LEDGER.read_text(encoding="utf-8")), encoding="utf-8")
    actuals = folder / "2020-21.actuals.csv"
    actuals.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    status = budget_status(LedgerChoice(path, "--ledger"), load_portfolio(PROPOSALS))
    assert status.loaded, "\n".join(str(f) for f in status.findings)
    result = monitor(status, read_actuals(actuals), PeriodChoice())
    return [*result.invalid, *result.findings]


def marked_line(rule: Rule[Any], example: str) -> tuple[int, tuple[str, ...], str] | None:
    """The marked line of a monitoring example, in its file, the parts of the message, and
    which file it is in (the ledger's suffix `.yaml` or the actuals' `.csv`)."""
    keys, _, rows = example.partition(ACTUALS_MARK)
    in_ledger = mark(rule, keys)
    if in_ledger is not None:
        return (*in_ledger, ".yaml")
    in_rows = mark(rule, textwrap.dedent(rows).strip("\n"))
    if in_rows is None:
        return None
    line, parts = in_rows
    return line + 1, parts, ".csv"  # after the header


def findings(rule: Rule[Any], example: str, folder: Path) -> list[Finding]:
    """What checking the example as its rule's subject finds in it."""
    if rule.subject == "import":
        return import_findings(example, folder)
    if rule.subject == "scores":
        return scores_findings(example, folder)
    if rule.subject == "monitoring":
        return monitored(example, folder)
    portfolio = in_portfolio(example)
    if rule.subject == "ledger" and portfolio is not None:
        name, keys = portfolio
        shutil.copytree(PROPOSALS, folder / "proposals")
        (folder / "proposals" / name).write_text(document(keys, BASE_PROPOSAL), encoding="utf-8")
        choice = LedgerChoice(LEDGER, "--ledger")
        return budget_status(choice, load_portfolio(folder / "proposals")).findings
    if rule.subject == "boroughs":
        # The members' statements of the example's ledger, beside the repository's proposals.
        path = folder / "2020-21.yaml"
        path.write_text(document(example, LEDGER.read_text(encoding="utf-8")), encoding="utf-8")
        return statements(LedgerChoice(path, "--ledger"), PROPOSALS, None).findings
    if rule.subject == "ledger":
        (folder / "2019-20.yaml").write_text(PREVIOUS_YEAR, encoding="utf-8")
        path = folder / "2020-21.yaml"
        path.write_text(document(example, LEDGER.read_text(encoding="utf-8")), encoding="utf-8")
        result = budget_status(LedgerChoice(path, "--ledger"), load_portfolio(PROPOSALS))
        return result.findings
    path = folder / "example.yaml"
    if rule.subject == "360giving":
        path.write_text(document(example, BASE_GRANT), encoding="utf-8")
        ledger = load_ledger(LEDGER).model
        assert ledger is not None
        portfolio = Workspace(LedgerBook(LedgerSearch.here()), PROPOSALS).sources()
        sources = [*portfolio, load_proposal(path, str(path))]
        return [
            f for f in export_grants(ledger, sources, Publisher()).problems if f.path == str(path)
        ]
    path.write_text(document(example, BASE_PROPOSAL), encoding="utf-8")
    ledger = folder / "2020-21.yaml"
    shutil.copyfile(LEDGER, ledger)
    (folder / "2020-21.actuals.csv").write_text(ACTUALS, encoding="utf-8")
    (result,) = check_paths(
        [str(path)], ledger=ledger, proposals=PROPOSALS, today=TODAY, closing=True
    ).results
    return result.findings


INVALID = {"IN1", "IN2", "LB8", "IM5"}
"""The codes of a document that cannot be read or whose fields are invalid."""


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_passing_example_passes(rule: Rule[Any], tmp_path: Path) -> None:
    assert mark(rule, rule.passing) is None, "the passing example names no finding"
    found = findings(rule, rule.passing, tmp_path)
    shown = "\n".join(str(f) for f in found)
    assert not [f for f in found if f.code == rule.code or f.code in INVALID], shown


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_failing_example_gets_the_finding_it_names(rule: Rule[Any], tmp_path: Path) -> None:
    suffix = ""
    if rule.subject == "monitoring":
        placed = marked_line(rule, rule.failing)
        assert placed is not None, f"mark the line of the finding with # {rule.code}: ..."
        line, parts, suffix = placed
    else:
        found_mark = marked(rule)
        assert found_mark is not None, f"mark the line of the finding with # {rule.code}: ..."
        line, parts = found_mark
    assert parts, f"# {rule.code}: say what the finding says"
    found = findings(rule, rule.failing, tmp_path)
    shown = "\n".join(str(f) for f in found)
    own = [f for f in found if f.code == rule.code]
    assert len(own) == 1, f"one {rule.code} finding, not {len(own)}, among:\n{shown or '(none)'}"
    (finding,) = own
    assert finding.line == line, shown
    assert finding.path.endswith(suffix), shown
    for part in parts:
        assert part in finding.message, shown
