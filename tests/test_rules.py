"""The proposal rules, case by case: each YAML file under tests/rules/CODE/ states its findings.

A case is a file, checked alone against the bundled 2020-21 ledger with an empty proposals
folder, or a folder, checked whole as its own proposals folder (for the rules that look
across files). Each file begins with the findings it must get, one a line:

    # expect: FP2 error 9
    # expect: PC5 warning 3 waived

A `fail-*` case must get exactly the findings it lists of its folder's rule and of every
rule it names; a `pass-*` case must get exactly the findings it lists, and none of its
folder's rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from loti_cli.io.resolve import bundled_ledgers
from loti_cli.pipeline.check import check_paths
from loti_cli.rules import PROPOSAL_RULES, RULES
from loti_cli.rules.base import Rule

CASES = Path(__file__).parent / "rules"
LEDGER = bundled_ledgers() / "2020-21.yaml"
TODAY = date(2020, 10, 15)
"""A day in 2020/21, after the October funding panel, so that waivers and dates are stable."""

_EXPECT = re.compile(
    r"^#\s*expect:\s*(?P<code>[A-Z]+\d+)\s+(?P<severity>error|warning)\s+"
    r"(?P<line>\d+)(?P<waived>\s+waived)?\s*$"
)

Expected = tuple[str, str, int | None, bool]
"""(code, severity, line, waived)."""


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


def expectations(path: Path) -> list[Expected]:
    """The `# expect:` lines at the top of a case file (read as bytes: some are not UTF-8)."""
    found: list[Expected] = []
    for raw in path.read_bytes().decode("latin-1").splitlines():
        if not raw.startswith("#"):
            break
        if "expect" not in raw:
            continue
        match = _EXPECT.match(raw.strip())
        assert match, f"{path}: malformed expectation {raw!r}"
        found.append((match["code"], match["severity"], int(match["line"]), bool(match["waived"])))
    return sorted(found)


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
    if case.path.is_dir():
        result = check_paths([str(case.path)], ledger=LEDGER, proposals=case.path, today=TODAY)
    else:
        result = check_paths([str(case.path)], ledger=LEDGER, proposals=tmp_path, today=TODAY)
    by_path = {Path(r.path).resolve(): r for r in result.results}
    assert len(by_path) == len(case.files)
    for file in case.files:
        expected = expectations(file)
        codes = {case.code} | {code for code, *_ in expected}
        findings = by_path[file.resolve()].findings
        actual = sorted(
            (f.code, f.severity.value, f.line, f.waived)
            for f in findings
            if case.passing or f.code in codes
        )
        shown = "\n".join(str(f) for f in findings)
        assert actual == expected, f"{file}:\n{shown}"
        if not case.passing:
            continue
        assert all(f.code != case.code or f.waived for f in findings), shown


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
    ("ID1", "unique-id", "error"),
    ("IN1", "invalid-yaml", "error"),
    ("IN2", "invalid-field", "error"),
    ("WV1", "invalid-waiver", "error"),
]


def test_proposal_rules_are_the_contracts_in_code_order() -> None:
    assert [(r.code, r.name, r.severity.value) for r in PROPOSAL_RULES] == SPEC
    assert isinstance(PROPOSAL_RULES, tuple)
    assert all(rule.subject == "proposal" for rule in PROPOSAL_RULES)
    assert {r.code for r in PROPOSAL_RULES if not r.waivable} == {"IN1", "IN2", "ID1", "WV1"}
    assert {r.code for r in PROPOSAL_RULES if r.check is None} == {"IN1", "IN2"}


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
