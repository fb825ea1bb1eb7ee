"""The proposal-check pipeline: files and folders, ledgers by year, waivers, rule selection."""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from loti_cli.errors import LotiError
from loti_cli.io.resolve import bundled_ledgers
from loti_cli.pipeline.check import CheckResult, ProposalResult, check_paths

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).parent / "rules"
LEDGER = bundled_ledgers() / "2020-21.yaml"
TODAY = date(2020, 10, 15)

PROPOSAL = """\
id: T-01
title: Shared referral directory
financial_year: 2020-21
pillar: Covid Recovery
area: Identifying Needs
status: submitted
summary: Publish borough directories of support in one shape.
outcome: Residents who need support are referred once, within a day.
boroughs:
  - name: Camden
    role: lead
  - name: Hackney
    role: delivery
budget:
  requested: 10000
replicability:
  standards: [Open Referral UK]
  plan: Any borough publishes its directory in the same shape.
outputs:
  - name: Directory data model
    licence: OGL-UK-3.0
    gifted: true
sustainability: Boroughs host their directories within existing budgets.
"""

THIN = "financial_year: 2020-21\nstatus: draft\n"


@pytest.fixture(autouse=True)
def _no_ledger_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOTI_LEDGER", raising=False)


@pytest.fixture
def empty(tmp_path: Path) -> Path:
    folder = tmp_path / "portfolio"
    folder.mkdir()
    return folder


def codes(result: ProposalResult) -> list[str]:
    return [finding.code for finding in result.findings]


def only(result: CheckResult) -> ProposalResult:
    assert len(result.results) == 1
    return result.results[0]


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------------------
# the repository's own proposals


def test_the_repository_portfolio_passes_with_cr05_sustainability_waived(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    result = check_paths(["proposals"], today=TODAY)
    assert result.ledger == "ledgers/2020-21.yaml"
    assert not result.failed
    assert len(result.results) == 21
    findings = [f for r in result.results for f in r.findings]
    # The eight bids to the Covid Innovation Fund (£285,000) join Covid Recovery's pipeline,
    # which then asks for more than its allocation: BU3 warns on each of its 14 proposals.
    pipeline = [f for f in findings if f.code == "BU3"]
    assert len(pipeline) == 14
    assert {f.path[len("proposals/") :][:3] for f in pipeline} == {"cif", "cr-"}
    assert "request £465,000 (approved £145,000, submitted £320,000)" in pipeline[0].message
    # CR-05's PC5 is waived by the panel; DC-03, a draft, has no sustainability yet.
    others = [(f.path, f.code, f.severity, f.waived) for f in findings if f.code != "BU3"]
    assert others == [
        ("proposals/cr-05.yaml", "PC5", "warning", True),
        ("proposals/dc-03.yaml", "PC5", "warning", False),
    ]
    waived = next(f for f in findings if f.waived)
    assert waived.waiver_reason is not None
    assert "Funding panel 2020-10-01" in waived.waiver_reason
    summary = result.summary()
    assert (summary.proposals, summary.passed, summary.errors, summary.warnings) == (21, 21, 0, 15)
    assert summary.waived == 1


# ---------------------------------------------------------------------------
# paths


def test_files_are_checked_in_the_order_given_each_once(tmp_path: Path, empty: Path) -> None:
    b = write(tmp_path, "b.yaml", PROPOSAL.replace("T-01", "T-02"))
    a = write(tmp_path, "a.yml", PROPOSAL)
    result = check_paths([str(b), str(a), str(tmp_path / "." / "b.yaml")], proposals=empty)
    assert [r.path for r in result.results] == [str(b), str(a)]


def test_a_folder_is_searched_for_yaml_and_yml_files(tmp_path: Path, empty: Path) -> None:
    write(tmp_path / "in", "one.yaml", PROPOSAL)
    write(tmp_path / "in" / "sub", "two.yml", PROPOSAL.replace("T-01", "T-02"))
    write(tmp_path / "in", "notes.txt", "not a proposal")
    result = check_paths([str(tmp_path / "in")], ledger=LEDGER, proposals=empty)
    assert [Path(r.path).name for r in result.results] == ["one.yaml", "two.yml"]
    assert not result.failed


def test_a_missing_path_stops_the_command(tmp_path: Path) -> None:
    with pytest.raises(LotiError, match=r"nowhere\.yaml: no such file or folder"):
        check_paths([str(tmp_path / "nowhere.yaml")])


def test_a_folder_without_proposals_stops_the_command(tmp_path: Path, empty: Path) -> None:
    with pytest.raises(LotiError, match="no proposals found in"):
        check_paths([str(empty)])


def test_standard_input_is_shown_as_stdin(empty: Path) -> None:
    text = PROPOSAL.replace("    role: delivery\n", "    role: supporter\n")
    result = check_paths(["-"], stdin=io.StringIO(text), ledger=LEDGER, proposals=empty)
    proposal = only(result)
    assert proposal.path == "<stdin>"
    assert proposal.proposal is not None and proposal.proposal.id == "T-01"
    assert [(f.code, f.line, f.path) for f in proposal.findings] == [("FP2", 12, "<stdin>")]


def test_standard_input_is_part_of_the_portfolio(tmp_path: Path) -> None:
    folder = tmp_path / "proposals"
    write(folder, "t-01.yaml", PROPOSAL)
    other = PROPOSAL.replace("T-01", "T-02")
    result = check_paths(["-"], stdin=io.StringIO(other), ledger=LEDGER, proposals=folder)
    assert only(result).findings == ()
    # Checked beside the folder's file, the other file with the same id is a clash.
    write(folder, "t-02.yaml", other)
    clash = check_paths(
        [str(folder / "t-01.yaml"), "-"],
        stdin=io.StringIO(PROPOSAL),
        ledger=LEDGER,
        proposals=folder,
    )
    (finding,) = clash.results[1].findings
    assert finding.code == "ID1"
    assert "t-01.yaml (line 1)" in finding.message


def test_standard_input_takes_the_place_of_the_folders_file_with_its_id(tmp_path: Path) -> None:
    # An editor pipes in a new version of proposals/t-01.yaml: it is that proposal, so it
    # neither clashes with the file (ID1) nor counts twice against its pillar (BU2, BU3).
    folder = tmp_path / "proposals"
    approved = PROPOSAL.replace("status: submitted", "status: approved")
    write(folder, "t-01.yaml", approved.replace("requested: 10000", "requested: 150000"))
    edited = approved.replace("requested: 10000", "requested: 150000")
    result = check_paths(["-"], stdin=io.StringIO(edited), ledger=LEDGER, proposals=folder)
    assert codes(only(result)) == []


def test_unreadable_standard_input_is_an_in1(empty: Path) -> None:
    result = check_paths(["-"], stdin=io.StringIO("- a list\n"), ledger=LEDGER, proposals=empty)
    proposal = only(result)
    assert proposal.proposal is None
    assert codes(proposal) == ["IN1"]
    assert result.failed


# ---------------------------------------------------------------------------
# ledgers


def test_each_proposal_is_checked_against_the_ledger_of_its_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    ledger = LEDGER.read_text(encoding="utf-8").replace("2020-21", "2021-22")
    write(tmp_path / "ledgers", "2021-22.yaml", ledger.replace("Smarter London", "Smart Cities"))
    write(tmp_path / "in", "a.yaml", PROPOSAL)
    write(tmp_path / "in", "b.yaml", PROPOSAL.replace("2020-21", "2021-22").replace("T-01", "T-2"))
    write(tmp_path / "in", "c.yaml", PROPOSAL.replace("2020-21", "2021-22").replace("T-01", "T-3"))
    smarter = PROPOSAL.replace("Covid Recovery", "Smarter London").replace(
        "Identifying Needs", "Practice"
    )
    write(tmp_path / "in", "d.yaml", smarter.replace("T-01", "T-4"))
    write(tmp_path / "in", "e.yaml", smarter.replace("2020-21", "2021-22").replace("T-01", "T-5"))
    result = check_paths(["in"], proposals=tmp_path / "in")
    assert result.ledger == "ledgers/2021-22.yaml", "used by three of the five"
    assert [codes(r) for r in result.results] == [[], [], [], [], ["FP1"]]
    assert "not one of the 2021-22 allocations" in result.results[4].findings[0].message


def test_a_year_without_a_ledger_is_an_in2_on_financial_year(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "p.yaml", PROPOSAL.replace("2020-21", "2023-24"))
    result = check_paths([str(path)], proposals=empty)
    (finding,) = only(result).findings
    assert (finding.code, finding.line) == ("IN2", 3)
    assert finding.message == "no ledger for 2023-24; add ledgers/2023-24.yaml"
    assert result.ledger is None


def test_loti_ledgers_folder_is_searched_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, empty: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    ledger = LEDGER.read_text(encoding="utf-8").replace("2020-21", "2023-24")
    write(elsewhere, "2023-24.yaml", ledger)
    write(elsewhere, "budget.yaml", LEDGER.read_text(encoding="utf-8"))
    monkeypatch.setenv("LOTI_LEDGER", str(elsewhere / "budget.yaml"))
    monkeypatch.chdir(tmp_path)
    path = write(tmp_path, "p.yaml", PROPOSAL.replace("2020-21", "2023-24"))
    assert not check_paths([str(path)], proposals=empty).failed
    result = check_paths([str(write(tmp_path, "q.yaml", PROPOSAL))], proposals=empty)
    assert result.ledger == "elsewhere/budget.yaml"


def test_a_given_ledger_of_another_year_is_an_in2(tmp_path: Path, empty: Path) -> None:
    path = write(tmp_path, "p.yaml", PROPOSAL.replace("2020-21", "2021-22"))
    result = check_paths([str(path)], ledger=LEDGER, proposals=empty)
    (finding,) = only(result).findings
    assert (finding.code, finding.line) == ("IN2", 3)
    assert "is for 2020-21" in finding.message


def test_a_broken_ledger_stops_the_command_with_its_problems(tmp_path: Path, empty: Path) -> None:
    ledger = write(tmp_path, "2020-21.yaml", "ledger: x\nfinancial_year: 2020-21\ncurrency: EUR\n")
    path = write(tmp_path, "p.yaml", PROPOSAL)
    with pytest.raises(LotiError, match="cannot be loaded") as caught:
        check_paths([str(path)], ledger=ledger, proposals=empty)
    assert any("LB8" in detail and ":3:" in detail for detail in caught.value.details)


def test_a_missing_ledger_file_stops_the_command(tmp_path: Path, empty: Path) -> None:
    path = write(tmp_path, "p.yaml", PROPOSAL)
    with pytest.raises(LotiError, match="no such file"):
        check_paths([str(path)], ledger=tmp_path / "none.yaml", proposals=empty)


# ---------------------------------------------------------------------------
# selecting rules


def test_select_and_ignore_take_codes_or_names(tmp_path: Path, empty: Path) -> None:
    path = write(tmp_path, "thin.yaml", THIN)
    everything = codes(only(check_paths([str(path)], ledger=LEDGER, proposals=empty)))
    assert set(everything) == {"IN2", "FP3", "FP4", "PC1", "PC5"}
    selected = check_paths(
        [str(path)], ledger=LEDGER, proposals=empty, select=["fp3", "outcome-stated"]
    )
    assert set(codes(only(selected))) == {"IN2", "FP3", "PC1"}, "IN1 and IN2 always show"
    ignored = check_paths(
        [str(path)], ledger=LEDGER, proposals=empty, ignore=["PC1", "Financially-Sustainable"]
    )
    assert set(codes(only(ignored))) == {"IN2", "FP3", "FP4"}


def test_an_unknown_rule_gets_a_did_you_mean(tmp_path: Path) -> None:
    with pytest.raises(LotiError, match=r"--select FP7: no such rule; did you mean 'FP\d'"):
        check_paths([str(tmp_path)], select=["FP7"])
    with pytest.raises(LotiError, match=r"did you mean 'replicable'"):
        check_paths([str(tmp_path)], ignore=["replicabel"])


def test_loading_problems_and_ledger_rules_cannot_be_deselected(tmp_path: Path) -> None:
    with pytest.raises(LotiError, match="IN2 cannot be ignored"):
        check_paths([str(tmp_path)], ignore=["invalid-field"])
    with pytest.raises(LotiError, match="ledger rule"):
        check_paths([str(tmp_path)], select=["LB1"])


def test_a_waiver_of_a_rule_that_did_not_run_is_not_unused(tmp_path: Path, empty: Path) -> None:
    text = PROPOSAL + (
        "waivers:\n  - rule: PC1\n    reason: To be defined\n    approved_by: Panel 2020-10-01\n"
    )
    path = write(tmp_path, "p.yaml", text)
    assert codes(only(check_paths([str(path)], ledger=LEDGER, proposals=empty))) == ["WV1"]
    ignored = check_paths([str(path)], ledger=LEDGER, proposals=empty, ignore=["PC1"])
    assert codes(only(ignored)) == []
    selected = check_paths([str(path)], ledger=LEDGER, proposals=empty, select=["FP1"])
    assert codes(only(selected)) == []


# ---------------------------------------------------------------------------
# findings and messages


def test_findings_are_sorted_by_line_column_and_code(tmp_path: Path, empty: Path) -> None:
    path = write(tmp_path, "thin.yaml", THIN)
    findings = only(check_paths([str(path)], ledger=LEDGER, proposals=empty)).findings
    keys = [(f.line or 0, f.column or 0, f.code) for f in findings]
    assert keys == sorted(keys)


def test_fp2_says_why_each_name_did_not_count(empty: Path) -> None:
    path = CASES / "FP2" / "fail-every-reason.yaml"
    result = check_paths([str(path)], ledger=LEDGER, proposals=empty, today=TODAY)
    (finding,) = only(result).findings
    assert finding.message == (
        "only 1 LOTI member borough leads or delivers the project (Hackney); at least 2 must; "
        "not counted: 'GLA' (a partner, not a borough); 'Islington' (not a LOTI member in "
        "2020-21); 'LB Hackney' (the same borough as entry 1); 'Camden' (a supporter only); "
        "'Westmnster' (unknown borough, did you mean 'Westminster'?)"
    )


def test_bu2_names_the_pillar_its_allocation_and_the_shortfall() -> None:
    folder = CASES / "BU2" / "fail-over-headroom"
    result = check_paths([str(folder)], ledger=LEDGER, proposals=folder, today=TODAY)
    (bu2,) = [f for r in result.results for f in r.findings if f.code == "BU2"]
    assert bu2.message == (
        "requests £20,000 but Smarter London has £10,000 of headroom: allocated £50,000, "
        "other approved proposals already take £40,000; £10,000 short"
    )


def test_fp1_and_fp4_suggest_what_was_meant(tmp_path: Path, empty: Path) -> None:
    text = PROPOSAL.replace("pillar: Covid Recovery", "pillar: Covid Recovry")
    text = text.replace("licence: OGL-UK-3.0", "licence: OGL-3.0")
    path = write(tmp_path, "p.yaml", text)
    messages = [
        f.message for f in only(check_paths([str(path)], ledger=LEDGER, proposals=empty)).findings
    ]
    assert any(m.endswith("did you mean 'Covid Recovery'?") for m in messages)
    assert any("did you mean 'OGL-UK-3.0'?" in m for m in messages)


def test_id1_names_the_first_file_and_its_line() -> None:
    folder = CASES / "ID1" / "fail-duplicate"
    result = check_paths([str(folder / "c.yaml")], ledger=LEDGER, proposals=folder, today=TODAY)
    (finding,) = only(result).findings
    assert finding.message.startswith("id 'CR-01' is already the id of ")
    assert finding.message.endswith("fail-duplicate/a.yaml (line 2); give each proposal its own id")


def test_a_checked_file_outside_the_folder_is_the_duplicate(tmp_path: Path) -> None:
    folder = tmp_path / "proposals"
    write(folder, "z.yaml", PROPOSAL)
    new = write(tmp_path, "a.yaml", PROPOSAL)
    result = check_paths([str(new), str(folder)], ledger=LEDGER, proposals=folder)
    assert [codes(r) for r in result.results] == [["ID1"], []]


def test_a_new_proposal_counts_against_the_portfolio_headroom(tmp_path: Path) -> None:
    folder = tmp_path / "proposals"
    approved = PROPOSAL.replace("status: submitted", "status: approved")
    write(folder, "a.yaml", approved.replace("requested: 10000", "requested: 150000"))
    bid = write(tmp_path, "bid.yaml", PROPOSAL.replace("T-01", "T-2").replace("10000", "60000"))
    result = check_paths([str(bid)], ledger=LEDGER, proposals=folder)
    assert sorted(codes(only(result))) == ["BU2", "BU3"]


def test_a_waiver_expires_after_its_date(tmp_path: Path, empty: Path) -> None:
    text = PROPOSAL.replace(
        "sustainability: Boroughs host their directories within existing budgets.\n", ""
    )
    text += (
        "waivers:\n  - rule: PC5\n    reason: To be agreed\n    approved_by: Panel\n"
        "    expires: 2020-10-15\n"
    )
    path = write(tmp_path, "p.yaml", text)
    on_the_day = only(check_paths([str(path)], ledger=LEDGER, proposals=empty, today=TODAY))
    assert [(f.code, f.waived) for f in on_the_day.findings] == [("PC5", True)]
    day_after = only(
        check_paths([str(path)], ledger=LEDGER, proposals=empty, today=date(2020, 10, 16))
    )
    assert [(f.code, f.waived) for f in day_after.findings] == [("PC5", False)]
    assert "expired on 2020-10-15" in day_after.findings[0].message


def test_summary_counts_waived_findings_apart(tmp_path: Path, empty: Path) -> None:
    good = write(tmp_path, "good.yaml", PROPOSAL)
    thin = write(tmp_path, "thin.yaml", THIN)
    result = check_paths([str(good), str(thin)], ledger=LEDGER, proposals=empty)
    summary = result.summary()
    assert (summary.proposals, summary.passed, summary.failed) == (2, 1, 1)
    assert summary.errors == sum(1 for f in result.results[1].findings if f.fails)
    assert summary.warnings == 2
    assert result.failed


# ---------------------------------------------------------------------------
# several processes


def test_several_processes_give_the_same_findings(tmp_path: Path) -> None:
    folder = tmp_path / "proposals"
    folder.mkdir()
    for case in sorted(CASES.glob("*/*.yaml")):
        shutil.copy(case, folder / f"{case.parent.name}-{case.name}")
    # An invalid output is dropped before the rules run; FP4's finding on the next one must
    # still point at that one's line when the file was loaded in another process.
    outputs = PROPOSAL.replace(
        "outputs:\n",
        "outputs:\n  - licence: MIT\n    gifted: true\n"
        "  - name: Closed tool\n    licence: Proprietary\n    gifted: true\n",
    )
    write(folder, "dropped.yaml", outputs.replace("T-01", "T-DROPPED"))
    one = check_paths([str(folder)], ledger=LEDGER, proposals=folder, today=TODAY, jobs=1)
    two = check_paths([str(folder)], ledger=LEDGER, proposals=folder, today=TODAY, jobs=2)
    assert one.results == two.results
    dropped = next(r for r in two.results if r.path.endswith("dropped.yaml"))
    shown = [(f.code, f.line) for f in dropped.findings if f.code in ("IN2", "FP4")]
    assert shown == [("IN2", 20), ("FP4", 23)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_progress_is_told_of_every_file_in_order(tmp_path: Path, jobs: int) -> None:
    folder = tmp_path / "proposals"
    folder.mkdir()
    for number in range(5):
        write(folder, f"p{number}.yaml", PROPOSAL.replace("T-01", f"T-{number:02d}"))
    told: list[tuple[int, int]] = []
    check_paths(
        [str(folder)],
        ledger=LEDGER,
        proposals=folder,
        today=TODAY,
        jobs=jobs,
        progress=lambda done, total: told.append((done, total)),
    )
    assert told == [(done, 5) for done in range(1, 6)]


def test_a_broken_ledger_in_a_worker_stops_the_run_with_its_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The ledger is found by year, so the worker processes are the first to load it.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOTI_LEDGER", raising=False)
    folder = tmp_path / "proposals"
    folder.mkdir()
    for number in range(3):
        write(folder, f"p{number}.yaml", PROPOSAL.replace("T-01", f"T-{number:02d}"))
    ledgers = tmp_path / "ledgers"
    ledgers.mkdir()
    (ledgers / "2020-21.yaml").write_text("ledger: x\nfinancial_year: 2020-21\nbogus: 1\n")
    with pytest.raises(LotiError) as raised:
        check_paths([str(folder)], proposals=folder, jobs=2)
    assert "cannot be loaded" in raised.value.message
    assert any("unknown key 'bogus'" in detail for detail in raised.value.details)


def test_rules_across_the_portfolio_read_no_file_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Clean files keep only the positions BU2, BU3, ID1 and the waivers point at.
    folder = tmp_path / "proposals"
    folder.mkdir()
    write(folder, "a.yaml", PROPOSAL)
    write(folder, "b.yaml", PROPOSAL)

    def reread(path: Path) -> None:
        raise AssertionError(f"{path} was read again")

    monkeypatch.setattr("loti_cli.io.yaml_read.load", reread)
    result = check_paths([str(folder)], ledger=LEDGER, proposals=folder, today=TODAY)
    (finding,) = [f for r in result.results for f in r.findings if f.code == "ID1"]
    assert finding.path.endswith("b.yaml")
    assert finding.line == 1
    assert "a.yaml (line 1)" in finding.message
