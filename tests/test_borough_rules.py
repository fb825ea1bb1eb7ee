"""The borough statements' check BR1, run on the small ledgers and proposals of
tests/borough_cases/, as the ledger rules are (see tests/test_ledger_rules.py): each case's
ledger lists in `# expect:` comments every finding `loti report boroughs` must produce."""

from __future__ import annotations

from pathlib import Path

import pytest

from loti_cli.io.resolve import LedgerChoice
from loti_cli.pipeline.statements import statements
from loti_cli.rules import BOROUGH_RULES
from tests.test_ledger_rules import case_id, expectations, ledger_of

CASES = Path(__file__).parent / "borough_cases"


def case_folders() -> list[Path]:
    return sorted(folder for folder in CASES.glob("*/*") if folder.is_dir())


@pytest.mark.parametrize("folder", case_folders(), ids=case_id)
def test_case_gives_exactly_the_expected_findings(folder: Path) -> None:
    ledger = ledger_of(folder)
    expected = expectations(ledger)
    findings = statements(LedgerChoice(ledger, "--ledger"), folder / "proposals", None).findings
    shown = "\n".join(f"{f.code} {f.severity} {f.line}:{f.column} {f.message}" for f in findings)
    assert len(findings) == len(expected), f"found:\n{shown}"
    for expectation, finding in zip(expected, findings, strict=True):
        assert expectation.matches(finding), f"{expectation} is not:\n{shown}"
    if folder.name.startswith("pass"):
        assert expected == []
    else:
        assert folder.name.startswith("fail") and folder.parent.name in {e.code for e in expected}


@pytest.mark.parametrize("code", [rule.code for rule in BOROUGH_RULES])
def test_every_borough_rule_has_a_fail_case_and_a_pass_case(code: str) -> None:
    folders = [folder.name for folder in (CASES / code).glob("*") if folder.is_dir()]
    assert any(name.startswith("fail") for name in folders)
    assert any(name.startswith("pass") for name in folders)
