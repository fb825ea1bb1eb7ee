"""Every rule's examples, as `loti rules CODE` shows them, run as real checks.

An example is YAML. Its keys take the place of the same keys of a complete document that
passes every rule (BASE_PROPOSAL for the proposal rules, BASE_GRANT for the 360Giving
checks, the bundled 2020-21 ledger for the ledger rules), and it is checked beside the
repository's proposals, whose figures the examples quote ("SL-01 approved for £25,000").
The example comes first in the document, so its lines are the document's lines.

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
from loti_cli.pipeline.check import check_paths
from loti_cli.pipeline.grants import Publisher, export_grants
from loti_cli.pipeline.ledgers import LedgerBook
from loti_cli.pipeline.monitoring import PeriodChoice, monitor
from loti_cli.pipeline.status import budget_status, load_portfolio
from loti_cli.pipeline.workspace import Workspace
from loti_cli.rules import RULES
from loti_cli.rules.base import Rule
from loti_cli.rules.monitoring import ACTUALS

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


def with_actuals(example: str) -> tuple[str, list[str]]:
    """A monitoring example's ledger keys, and its actuals rows (their marks taken off)."""
    ledger, _, rows = example.partition(ACTUALS)
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
    keys, _, rows = example.partition(ACTUALS)
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
    if rule.subject == "monitoring":
        return monitored(example, folder)
    portfolio = in_portfolio(example)
    if rule.subject == "ledger" and portfolio is not None:
        name, keys = portfolio
        shutil.copytree(PROPOSALS, folder / "proposals")
        (folder / "proposals" / name).write_text(document(keys, BASE_PROPOSAL), encoding="utf-8")
        choice = LedgerChoice(LEDGER, "--ledger")
        return budget_status(choice, load_portfolio(folder / "proposals")).findings
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
    (result,) = check_paths([str(path)], ledger=LEDGER, proposals=PROPOSALS, today=TODAY).results
    return result.findings


INVALID = {"IN1", "IN2", "LB8"}
"""The codes of a document that cannot be read or whose fields are invalid."""


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_passing_example_passes(rule: Rule[Any], tmp_path: Path) -> None:
    assert mark(rule, rule.passing) is None, "the passing example names no finding"
    found = findings(rule, rule.passing, tmp_path)
    shown = "\n".join(str(f) for f in found)
    assert not [f for f in found if f.code == rule.code or f.code in INVALID], shown


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_the_failing_example_gets_the_finding_it_names(rule: Rule[Any], tmp_path: Path) -> None:
    portfolio = in_portfolio(rule.failing)
    suffix = ""
    if rule.subject == "monitoring":
        placed = marked_line(rule, rule.failing)
        assert placed is not None, f"mark the line of the finding with # {rule.code}: ..."
        line, parts, suffix = placed
    else:
        marked = mark(rule, portfolio[1] if portfolio is not None else rule.failing)
        assert marked is not None, f"mark the line of the finding with # {rule.code}: ..."
        line, parts = marked
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
