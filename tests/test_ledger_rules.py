"""The ledger rules LB1 to LB9, run on the small ledgers of tests/ledger_cases/.

Each rule has a folder `ledger_cases/<CODE>/` with case folders named `fail...`
and `pass...`. A case folder holds the ledger under test (its latest
`YYYY-YY.yaml`), and may hold the previous year's ledger (LB7) and a
`proposals/` folder (LB5, LB9). The ledger under test lists, in comments, every
finding it must produce and no other:

    # expect: CODE SEVERITY [PATH:]LINE[:COLUMN] [fragment of the message [... another fragment]]

PATH (a proposal file, as `proposals/a.yaml`) is given for a finding placed in a
proposal rather than in the ledger (LB9).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from loti_cli.core.findings import Finding
from loti_cli.io.resolve import LedgerChoice, year_files
from loti_cli.pipeline.status import budget_status, load_portfolio
from loti_cli.rules.ledger import LEDGER_RULES

CASES = Path(__file__).parent / "ledger_cases"
EXPECT = re.compile(
    r"^# expect: (?P<code>[A-Z]+\d+) (?P<severity>error|warning) "
    r"(?:(?P<path>[\w./-]+\.ya?ml):)?(?P<line>\d+)(?::(?P<column>\d+))?(?: (?P<text>.+))?$"
)
RULE_CODES = [rule.code for rule in LEDGER_RULES]


@dataclass(frozen=True)
class Expected:
    code: str
    severity: str
    line: int
    column: int | None
    fragments: tuple[str, ...]
    path: str | None = None
    """The proposal file the finding is in; None for the ledger under test."""

    def matches(self, finding: Finding) -> bool:
        return (
            (finding.code, str(finding.severity), finding.line)
            == (self.code, self.severity, self.line)
            and self.column in (None, finding.column)
            and (self.path is None or finding.path.endswith(f"/{self.path}"))
            and all(fragment in finding.message for fragment in self.fragments)
        )


def case_folders() -> list[Path]:
    return sorted(folder for folder in CASES.glob("*/*") if folder.is_dir())


def ledger_of(folder: Path) -> Path:
    """The ledger under test: the latest year in the case folder."""
    years = year_files(folder)
    assert years, f"{folder} has no YYYY-YY.yaml ledger"
    return years[max(years)]


def expectations(ledger: Path) -> list[Expected]:
    found = []
    for text in ledger.read_text(encoding="utf-8").splitlines():
        if not text.startswith("# expect:"):
            continue
        match = EXPECT.match(text)
        assert match, f"{ledger}: cannot read {text!r}"
        found.append(
            Expected(
                match["code"],
                match["severity"],
                int(match["line"]),
                int(match["column"]) if match["column"] else None,
                tuple(match["text"].split(" ... ")) if match["text"] else (),
                match["path"],
            )
        )
    return found


def run_case(folder: Path) -> list[Finding]:
    ledger = ledger_of(folder)
    proposals = folder / "proposals"
    result = budget_status(
        LedgerChoice(ledger, "--ledger"), load_portfolio(proposals if proposals.is_dir() else None)
    )
    return result.findings


def case_id(folder: Path) -> str:
    return f"{folder.parent.name}/{folder.name}"


@pytest.mark.parametrize("folder", case_folders(), ids=case_id)
def test_case_gives_exactly_the_expected_findings(folder: Path) -> None:
    expected = expectations(ledger_of(folder))
    findings = run_case(folder)
    shown = "\n".join(f"{f.code} {f.severity} {f.line}:{f.column} {f.message}" for f in findings)
    assert len(findings) == len(expected), f"found:\n{shown}"
    unmatched = list(findings)
    for expectation in expected:
        match = next((f for f in unmatched if expectation.matches(f)), None)
        assert match is not None, f"{expectation} not among:\n{shown}"
        assert expectation.path is not None or match.path.endswith(ledger_of(folder).name)
        unmatched.remove(match)


@pytest.mark.parametrize("folder", case_folders(), ids=case_id)
def test_case_is_a_fail_or_pass_case_of_its_rule(folder: Path) -> None:
    code = folder.parent.name
    assert code in RULE_CODES, f"{folder.parent} is named for no ledger rule"
    codes = [expectation.code for expectation in expectations(ledger_of(folder))]
    if folder.name.startswith("fail"):
        assert code in codes, f"{case_id(folder)} expects no {code} finding"
    else:
        assert folder.name.startswith("pass"), f"{case_id(folder)}: name it fail... or pass..."
        assert codes == [], f"{case_id(folder)} is a pass case but expects findings"


@pytest.mark.parametrize("code", RULE_CODES)
def test_every_ledger_rule_has_a_fail_case_and_a_pass_case(code: str) -> None:
    folders = [folder.name for folder in (CASES / code).glob("*") if folder.is_dir()]
    assert any(name.startswith("fail") for name in folders), f"no ledger_cases/{code}/fail*"
    assert any(name.startswith("pass") for name in folders), f"no ledger_cases/{code}/pass*"


# ---------------------------------------------------------------------------
# the registry


def test_the_registry_is_a_tuple_of_lb1_to_lb9_then_sc4_in_order() -> None:
    assert isinstance(LEDGER_RULES, tuple)
    assert [rule.code for rule in LEDGER_RULES] == [*(f"LB{n}" for n in range(1, 10)), "SC4"]


@pytest.mark.parametrize(
    ("code", "name", "severity"),
    [
        ("LB1", "stated-figure-mismatch", "error"),
        ("LB2", "membership-income-mismatch", "warning"),
        ("LB3", "over-allocated", "error"),
        ("LB4", "negative-remaining", "error"),
        ("LB5", "pillar-overcommitted", "error"),
        ("LB6", "unknown-pillar", "error"),
        ("LB7", "carry-forward-mismatch", "warning"),
        ("LB8", "invalid-ledger", "error"),
        ("LB9", "uncountable-proposal", "error"),
        ("SC4", "call-over-pillar", "error"),
    ],
)
def test_rule_names_and_severities_follow_the_contract(code: str, name: str, severity: str) -> None:
    rule = next(rule for rule in LEDGER_RULES if rule.code == code)
    assert (rule.name, str(rule.severity)) == (name, severity)
    assert rule.summary and rule.explanation and rule.passing and rule.failing
    # Loading reports LB8 (the ledger) and LB9 (proposal files the figures cannot count).
    assert (rule.check is None) == (code in ("LB8", "LB9"))
