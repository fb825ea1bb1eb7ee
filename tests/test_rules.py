"""The proposal rules, case by case: each YAML file under tests/rules/CODE/ states its findings.

A case is a file, checked alone against the bundled 2020-21 ledger with an empty proposals
folder, or a folder, checked whole as its own proposals folder (for the rules that look
across files). Each file begins with every finding it must get, one a line, and gets no
other:

    # expect: CODE SEVERITY LINE:COLUMN [waived] FRAGMENT [... FRAGMENT]
    # expect: FP2 error 14:11 'Islington' (not a LOTI member in 2020-21)
    # expect: PC5 warning 3:1 waived no sustainability

The place is the finding's line and column; `waived` marks a finding a waiver covers; the
fragments (separated by ` ... `) are parts of its message, in any order. A `pass-*` case
gets no unwaived finding of its folder's rule.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from loti_cli.core.findings import Finding, one_line
from loti_cli.io.resolve import bundled_ledgers
from loti_cli.pipeline.check import check_paths
from loti_cli.rules import PROPOSAL_RULES, RULES
from loti_cli.rules.base import Rule

CASES = Path(__file__).parent / "rules"
LEDGER = bundled_ledgers() / "2020-21.yaml"
ACTUALS = "2020-21.actuals.csv"
TODAY = date(2020, 10, 15)
"""A day in 2020/21, after the October funding panel, so that waivers and dates are stable."""

_EXPECT = re.compile(
    r"^#\s*expect:\s*(?P<code>[A-Z]+\d+)\s+(?P<severity>error|warning)\s+"
    r"(?P<line>\d+)(?::(?P<column>\d+))?(?P<waived>\s+waived(?=\s|$))?"
    r"(?:\s+(?P<text>\S.*?))?\s*$"
)


@dataclass(frozen=True)
class Expected:
    """One `# expect:` line: a finding the case must get."""

    code: str
    severity: str
    line: int
    column: int | None
    waived: bool
    fragments: tuple[str, ...]

    def matches(self, finding: Finding) -> bool:
        return (
            (finding.code, finding.severity.value, finding.line, finding.waived)
            == (self.code, self.severity, self.line, self.waived)
            and self.column in (None, finding.column)
            and all(fragment in finding.message for fragment in self.fragments)
        )

    @property
    def pinned(self) -> bool:
        """Whether it states the column and a part of the message, as every case must."""
        return self.column is not None and bool(self.fragments)


@dataclass(frozen=True)
class Case:
    code: str
    path: Path

    @property
    def passing(self) -> bool:
        return self.path.name.startswith("pass-")

    @property
    def files(self) -> list[Path]:
        if self.path.is_dir():
            return sorted(p for p in self.path.rglob("*") if p.suffix in (".yaml", ".yml"))
        return [self.path]

    def __str__(self) -> str:
        return f"{self.code}/{self.path.name}"


def expected_line(finding: Finding) -> str:
    """The `# expect:` line that pins `finding` whole (shown when a case fails)."""
    waived = " waived" if finding.waived else ""
    return (
        f"# expect: {finding.code} {finding.severity.value} {finding.line}:{finding.column}"
        f"{waived} {one_line(finding.message)}"
    )


def expectations(path: Path) -> list[Expected]:
    """The `# expect:` lines at the top of a case file (some files are not UTF-8 further on)."""
    found: list[Expected] = []
    for raw in path.read_bytes().splitlines():
        if not raw.startswith(b"#"):
            break
        text = raw.decode("utf-8", errors="replace")
        if "expect" not in text:
            continue
        match = _EXPECT.match(text.strip())
        assert match, f"{path}: malformed expectation {text!r}"
        found.append(
            Expected(
                match["code"],
                match["severity"],
                int(match["line"]),
                int(match["column"]) if match["column"] else None,
                bool(match["waived"]),
                tuple(match["text"].split(" ... ")) if match["text"] else (),
            )
        )
    return found


def all_cases() -> list[Case]:
    return [
        Case(folder.name, path)
        for folder in sorted(CASES.iterdir())
        if folder.is_dir()
        for path in sorted(folder.iterdir())
        if path.name.startswith(("pass-", "fail-"))
    ]


@pytest.mark.parametrize("case", all_cases(), ids=str)
def test_case(case: Case, tmp_path: Path) -> None:
    # A closure rule's case is checked as `--closing` checks it; a folder case with the
    # year's actuals file has them beside (a copy of) the ledger.
    closing = case.code.startswith("CL")
    ledger = LEDGER
    actuals = case.path / ACTUALS
    if actuals.is_file():
        ledger = tmp_path / LEDGER.name
        shutil.copyfile(LEDGER, ledger)
        shutil.copyfile(actuals, tmp_path / ACTUALS)
    folder = case.path if case.path.is_dir() else tmp_path
    result = check_paths(
        [str(case.path)], ledger=ledger, proposals=folder, today=TODAY, closing=closing
    )
    by_path = {Path(r.path).resolve(): r for r in result.results}
    assert len(by_path) == len(case.files)
    for file in case.files:
        findings = by_path[file.resolve()].findings
        shown = "\n".join(expected_line(f) for f in findings) or "(none)"
        unmatched = list(findings)
        for expected in expectations(file):
            match = next((f for f in unmatched if expected.matches(f)), None)
            assert match is not None, f"{file}: {expected} is not among what it got:\n{shown}"
            unmatched.remove(match)
        assert not unmatched, f"{file} gets findings it does not list; it got:\n{shown}"
        if case.passing:
            assert all(f.code != case.code or f.waived for f in findings), shown


def test_every_expectation_pins_its_place_and_message() -> None:
    for case in all_cases():
        for file in case.files:
            for expected in expectations(file):
                assert expected.pinned, f"{file}: give {expected} a line:column and a message part"


def test_every_case_file_states_what_it_expects() -> None:
    for case in all_cases():
        if case.passing:
            continue
        for file in case.files:
            if case.path.is_dir() and not expectations(file):
                continue  # a folder case may hold files that are only there to count
            assert expectations(file), f"{file}: a fail- case lists the findings it must get"
        assert any(expectations(file) for file in case.files), str(case)


SPEC = [
    ("FP1", "aligned-with-objectives", "error"),
    ("FP2", "two-member-boroughs", "error"),
    ("FP3", "replicable", "error"),
    ("FP4", "outputs-gifted", "error"),
    ("BU1", "valid-amounts", "error"),
    ("BU2", "within-pillar-headroom", "error"),
    ("BU3", "pipeline-exceeds-pillar", "warning"),
    ("PC1", "outcome-stated", "warning"),
    ("PC5", "financially-sustainable", "warning"),
    ("IG1", "dpia-for-personal-data", "error"),
    ("SC5", "not-in-call", "error"),
    ("SC6", "past-closing", "warning"),
    ("ID1", "unique-id", "error"),
    ("IN1", "invalid-yaml", "error"),
    ("IN2", "invalid-field", "error"),
    ("WV1", "invalid-waiver", "error"),
    ("DL1", "invalid-delivery", "error"),
    ("DL2", "milestone-overdue", "warning"),
    ("DL3", "overspent-award", "error"),
    ("CL1", "output-published", "error"),
    ("CL2", "outcome-measured", "error"),
    ("CL3", "milestones-done", "error"),
]


def test_proposal_rules_are_the_contracts_in_code_order() -> None:
    assert [(r.code, r.name, r.severity.value) for r in PROPOSAL_RULES] == SPEC
    assert isinstance(PROPOSAL_RULES, tuple)
    assert all(rule.subject == "proposal" for rule in PROPOSAL_RULES)
    assert {r.code for r in PROPOSAL_RULES if not r.waivable} == {"IN1", "IN2", "ID1", "WV1"}
    assert {r.code for r in PROPOSAL_RULES if r.check is None} == {"IN1", "IN2"}
    assert {r.code for r in PROPOSAL_RULES if r.closing} == {"CL1", "CL2", "CL3"}
    assert {r.code for r in PROPOSAL_RULES if r.across} >= {"DL2", "DL3"}


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.code)
def test_every_rule_is_documented(rule: Rule[Any]) -> None:
    assert rule.summary and "\n" not in rule.summary
    assert len(rule.explanation) > 80, "say what it checks, why, and how to fix it"
    assert rule.passing.strip()
    assert rule.failing.strip()
    assert rule.code in rule.failing, "the failing example shows the finding it gets"


@pytest.mark.parametrize("rule", PROPOSAL_RULES, ids=lambda rule: rule.code)
def test_every_proposal_rule_has_cases(rule: Rule[Any]) -> None:
    folder = CASES / rule.code
    names = [path.name for path in folder.iterdir()] if folder.is_dir() else []
    assert any(n.startswith("pass-") for n in names), f"add a passing case to {folder}"
    assert any(n.startswith("fail-") for n in names), f"add a failing case to {folder}"


@pytest.mark.parametrize("rule", PROPOSAL_RULES, ids=lambda rule: rule.code)
def test_every_proposal_rule_explains_why_in_the_strategys_words(rule: Rule[Any]) -> None:
    if rule.code in ("IN1", "IN2", "ID1"):
        return  # about the file itself, not a principle of the strategy
    assert "slide" in rule.explanation.casefold()
    assert '"' in rule.explanation, "quote the strategy"
