"""`loti proposal decide`: the decision's lines change and nothing else; refusals; atomic writes."""

from __future__ import annotations

import difflib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from loti_cli.core.model import Ledger, Proposal
from loti_cli.core.money import Money
from loti_cli.io.yaml_edit import Edit, EditError, edit_mapping, render_scalar
from loti_cli.io.yaml_read import YamlError, parse
from loti_cli.pipeline.decide import Decision, Grant, headroom, plan_edits
from tests.conftest import WITHOUT_CALL, Run, invoke

ROOT = Path(__file__).parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "commented-proposal.yaml"
PANEL = "2020-10-01"
REASON = "Sustainability model due at the discovery show-and-tell"
APPROVED_SL_90 = (
    "approved proposals/sl-90.yaml (SL-90) at the funding panel of 2020-10-01: £15,000 from "
    "Smarter London, which has £10,000 of its £50,000 left; waived PC5\n"
)
BU3_NOTE = (
    "loti: note: proposals/sl-90.yaml:10:9: BU3 the submitted and approved proposals of "
    "Smarter London request £60,000 (approved £40,000, submitted £20,000), £10,000 more "
    "than its allocation of £50,000: the panel cannot fund them all\n"
)
"""Approving SL-90 notes that Smarter London's bids exceed it (a warning, not a refusal)."""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's ledgers, proposals and schemas, as the current folder."""
    for folder in ("ledgers", "proposals", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / folder, ignore=WITHOUT_CALL)
    shutil.copy(FIXTURE, tmp_path / "proposals" / "sl-90.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOTI_LEDGER", raising=False)
    return tmp_path


def run(*args: str) -> Run:
    return invoke("proposal", "decide", *args)


def changed_lines(before: str, after: str) -> list[str]:
    """The lines a diff removes (-) and adds (+), nothing else."""
    return [
        line.rstrip("\n")
        for line in difflib.unified_diff(before.splitlines(True), after.splitlines(True), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


# ---------------------------------------------------------------------------
# the round trip: a file full of comments keeps every byte but the decision's


def test_round_trip_changes_only_the_decision_lines(project: Path) -> None:
    path = project / "proposals" / "sl-90.yaml"
    before = path.read_text(encoding="utf-8")
    result = run(str(path), "--approve", "--panel", PANEL, "--waive", "PC5", "--reason", REASON)
    assert result.exit_code == 0, result.stderr
    after = path.read_text(encoding="utf-8")
    assert changed_lines(before, after) == [
        "-status: submitted        # the panel decides this",
        "+status: approved         # the panel decides this",
        "+panel: 2020-10-01",
        # The waiver copies the file's first block list (four-space indent, dash, three spaces),
        # and goes after the last key, before the comments that close the file.
        "+waivers:",
        "+    -   rule: PC5",
        f"+        reason: {REASON}",
        "+        approved_by: Funding panel 2020-10-01",
    ]
    # Every other line is where it was, byte for byte.
    kept = [line for line in after.splitlines() if line in before.splitlines()]
    assert len(kept) == len(before.splitlines()) - 1
    assert after.endswith("# which is why the panel is asked to waive PC5.\n")
    data = parse(after).data
    assert data["status"] == "approved"
    assert data["panel"] == PANEL
    assert data["waivers"] == [
        {"rule": "PC5", "reason": REASON, "approved_by": "Funding panel 2020-10-01"}
    ]
    assert result.stdout.startswith(
        "approved proposals/sl-90.yaml (SL-90) at the funding panel of 2020-10-01: "
        "£15,000 from Smarter London, which has £10,000 of its £50,000 left; waived PC5"
    )
    check = invoke("proposal", "check", str(path))
    assert check.exit_code == 0, check.stdout
    assert "PC5" in check.stdout
    assert "1 waived" in check.stdout
    assert check.stderr == ""


def test_round_trip_amount_edits_inside_a_flow_mapping(project: Path) -> None:
    path = project / "proposals" / "sl-90.yaml"
    before = path.read_text(encoding="utf-8")
    result = run(str(path), "--approve", "--panel", PANEL, "--amount", "£12,500.50")
    assert result.exit_code == 0, result.stderr
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        "-status: submitted        # the panel decides this",
        "+status: approved         # the panel decides this",
        "+panel: 2020-10-01",
        '-budget: {requested: 15000, external: [{source: "BID levy", amount: "£5,000"}], '
        "total_cost: 20000}",
        '+budget: {requested: 12500.50, external: [{source: "BID levy", amount: "£5,000"}], '
        "total_cost: 17500.50}",
    ]
    assert "£12,500.50 from Smarter London" in result.stdout
    # PC5 is a warning: it is noted, and does not stop the approval.
    assert "loti: note: proposals/sl-90.yaml:7:1: PC5" in result.stderr


def test_dry_run_prints_the_diff_and_writes_nothing(project: Path) -> None:
    path = project / "proposals" / "sl-90.yaml"
    before = path.read_bytes()
    result = run(str(path), "--approve", "--panel", PANEL, "--dry-run")
    assert result.exit_code == 0
    assert path.read_bytes() == before
    assert result.stdout.startswith(
        "--- a/proposals/sl-90.yaml\n+++ b/proposals/sl-90.yaml\n@@ -9,7 +9,8 @@\n"
    )
    assert "-status: submitted        # the panel decides this\n" in result.stdout
    assert "+panel: 2020-10-01\n" in result.stdout
    assert result.stderr.endswith("dry run: proposals/sl-90.yaml not changed\n")
    assert not list(path.parent.glob(".*"))


def test_reject_needs_no_checks(project: Path) -> None:
    path = project / "proposals" / "dc-03.yaml"
    before = path.read_text(encoding="utf-8")
    result = run(str(path), "--reject", "--panel", PANEL)
    assert result.exit_code == 0, result.stderr
    assert (
        result.stdout
        == "rejected proposals/dc-03.yaml (DC-03) at the funding panel of 2020-10-01\n"
    )
    assert result.stderr == ""
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        "-status: draft",
        "+status: rejected",
        "+panel: 2020-10-01",
    ]


def test_an_existing_panel_date_is_replaced_in_place(project: Path) -> None:
    path = project / "proposals" / "cr-02.yaml"
    before = path.read_text(encoding="utf-8")
    result = run(str(path), "--reject", "--panel", "2020-11-05")
    assert result.exit_code == 0
    assert result.stdout == (
        "rejected proposals/cr-02.yaml (CR-02) at the funding panel of 2020-11-05\n"
    )
    assert result.stderr == (
        "loti: note: CR-02 was approved at the panel of 2020-10-01; this records the new decision\n"
    )
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        "-status: approved",
        "-panel: 2020-10-01",
        "+status: rejected",
        "+panel: 2020-11-05",
    ]


def test_the_same_decision_again_changes_nothing(project: Path) -> None:
    path = project / "proposals" / "cr-02.yaml"
    before = path.read_bytes()
    result = run(str(path), "--approve", "--panel", PANEL)
    assert result.exit_code == 0
    assert result.stdout == (
        "proposals/cr-02.yaml (CR-02) already records this decision; nothing to change\n"
    )
    assert result.stderr == ""
    assert path.read_bytes() == before


def test_a_second_waiver_of_the_same_rule_updates_the_first(project: Path) -> None:
    path = project / "proposals" / "sl-90.yaml"
    first = run(str(path), "--approve", "--panel", PANEL, "--waive", "PC5", "--reason", "x")
    assert first.exit_code == 0
    assert first.stdout == APPROVED_SL_90
    assert first.stderr == BU3_NOTE
    before = path.read_text(encoding="utf-8")
    result = run(
        str(path),
        "--approve",
        "--panel",
        PANEL,
        "--waive",
        "financially-sustainable",
        "--reason",
        "Agreed later",
        "--approved-by",
        "Chair of the panel",
        "--expires",
        "2021-03-31",
    )
    assert result.exit_code == 0, result.stderr
    assert changed_lines(before, path.read_text(encoding="utf-8")) == [
        "-        reason: x",
        "-        approved_by: Funding panel 2020-10-01",
        "+        reason: Agreed later",
        "+        approved_by: Chair of the panel",
        "+        expires: 2021-03-31",
    ]
    assert result.stdout == APPROVED_SL_90
    # The waiver expired long before today, so PC5 is noted again.
    assert result.stderr == (
        "loti: note: proposals/sl-90.yaml:7:1: PC5 no sustainability: say who pays to run and "
        "maintain the work once LOTI funding ends (its waiver expired on 2021-03-31)\n" + BU3_NOTE
    )


def test_crlf_and_byte_order_mark_are_kept(project: Path) -> None:
    path = project / "proposals" / "sl-90.yaml"
    text = FIXTURE.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    result = run(str(path), "--approve", "--panel", PANEL, "--waive", "PC5", "--reason", REASON)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == APPROVED_SL_90
    assert result.stderr == BU3_NOTE
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf# yaml-language-server")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert b"status: approved         # the panel decides this\r\npanel: 2020-10-01\r\n" in raw


# ---------------------------------------------------------------------------
# refusals


def test_approval_refused_while_an_error_is_unwaived(project: Path) -> None:
    path = project / "proposals" / "sl-90.yaml"
    text = FIXTURE.read_text(encoding="utf-8").replace(
        "    licence: MIT\n", "    licence: Proprietary\n"
    )
    path.write_text(text, encoding="utf-8")
    result = run(str(path), "--approve", "--panel", PANEL)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0] == "loti: cannot approve proposals/sl-90.yaml (SL-90):"
    # The finding is placed at the line of the file as it is now (the edit would add one above).
    assert lines[1].startswith(
        "  proposals/sl-90.yaml:42:14: FP4 output 'Sensor dashboard (source code)'"
    )
    assert "--waive CODE --reason TEXT" in lines[-1]
    assert path.read_text(encoding="utf-8") == text
    waived = run(str(path), "--approve", "--panel", PANEL, "--waive", "FP4", "--reason", "Agreed")
    assert waived.exit_code == 0, waived.stderr
    assert "waived FP4" in waived.stdout
    assert waived.stderr.startswith("loti: note: proposals/sl-90.yaml:7:1: PC5 no sustainability")


def test_approval_refused_past_the_pillar_allocation(project: Path) -> None:
    path = project / "proposals" / "cr-04.yaml"
    before = path.read_bytes()
    result = run(str(path), "--approve", "--panel", PANEL, "--amount", "£60k")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "loti: cannot approve proposals/cr-04.yaml (CR-04):\n"
        "  approving CR-04 for £60,000 would take Covid Recovery past its allocation: "
        "allocated £200,000, already approved £145,000, headroom £55,000; £5,000 short. "
        "Approve at most £55,000 with --amount, or change the pillar's allocation in the "
        "ledger first\n"
    )
    assert path.read_bytes() == before
    # A waiver of BU2 does not move money that the ledger does not have.
    waived = run(
        str(path),
        "--approve",
        "--panel",
        PANEL,
        "--amount",
        "£60k",
        "--waive",
        "BU2",
        "--reason",
        "x",
    )
    assert waived.exit_code == 1
    assert waived.stdout == ""
    assert waived.stderr == result.stderr
    fits = run(str(path), "--approve", "--panel", PANEL, "--amount", "£55k")
    assert fits.exit_code == 0, fits.stderr
    assert "which has £0 of its £200,000 left" in fits.stdout
    assert fits.stderr == ""


def test_withdrawn_proposals_are_not_decided(project: Path) -> None:
    path = project / "proposals" / "sl-90.yaml"
    path.write_text(
        FIXTURE.read_text(encoding="utf-8").replace("status: submitted", "status: withdrawn")
    )
    result = run(str(path), "--reject", "--panel", PANEL)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        "loti: cannot decide proposals/sl-90.yaml: SL-90 is withdrawn; set its status to "
        "submitted first if its boroughs have put it forward again\n"
    )


def test_a_file_that_is_not_yaml_is_not_edited(project: Path) -> None:
    path = project / "proposals" / "broken.yaml"
    path.write_text("id: X\ntitle: [unclosed\n", encoding="utf-8")
    result = run(str(path), "--reject", "--panel", PANEL)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: proposals/broken.yaml cannot be edited until its YAML is fixed\n"
        "proposals/broken.yaml:3:1: IN1 the file is not valid YAML: did not find expected ',' "
        "or ']' (while parsing a flow sequence)\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--panel", PANEL], "give exactly one of --approve or --reject"),
        (["--approve", "--reject", "--panel", PANEL], "give exactly one of --approve or --reject"),
        (["--approve"], "--panel DATE is required"),
        (["--approve", "--panel", "1/10/2020"], "--panel '1/10/2020' is not a date"),
        (
            ["--approve", "--panel", PANEL, "--amount", "lots"],
            "--amount 'lots': 'lots' is not an amount",
        ),
        (["--approve", "--panel", PANEL, "--waive", "PC5"], "1 --waive but 0 --reason"),
        (
            ["--approve", "--panel", PANEL, "--waive", "PC9", "--reason", "x"],
            "--waive PC9: no such",
        ),
        (
            ["--approve", "--panel", PANEL, "--waive", "ID1", "--reason", "x"],
            "ID1 (unique-id) cannot be waived",
        ),
        (
            ["--approve", "--panel", PANEL, "--waive", "LB1", "--reason", "x"],
            "--waive LB1: LB1 (stated-figure-mismatch) is a ledger rule, which loti budget "
            "status reports; a proposal cannot waive it",
        ),
        (["--reject", "--panel", PANEL, "--amount", "5"], "go with --approve"),
        (["--approve", "--panel", PANEL, "--approved-by", "Me"], "describe waivers"),
        (
            [
                "--approve",
                "--panel",
                PANEL,
                "--waive",
                "PC5",
                "--reason",
                "x",
                "--expires",
                "2020-01-01",
            ],
            "--expires 2020-01-01 is before the panel",
        ),
        (
            [
                "--approve",
                "--panel",
                PANEL,
                "--waive",
                "PC5",
                "--reason",
                "a",
                "--waive",
                "PC1",
                "--reason",
                "b",
                "--approved-by",
                "A",
                "--approved-by",
                "B",
                "--approved-by",
                "C",
            ],
            "--approved-by is given 3 times for 2 --waive",
        ),
    ],
)
def test_bad_options_exit_2_before_reading_the_file(
    project: Path, args: list[str], message: str
) -> None:
    path = project / "proposals" / "sl-90.yaml"
    before = path.read_bytes()
    result = run(str(path), *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("loti: error: ")
    assert message in result.stderr
    assert path.read_bytes() == before


def test_a_missing_file_is_a_usage_error(project: Path) -> None:
    result = run("proposals/nope.yaml", "--approve", "--panel", PANEL)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Invalid value for 'FILE': proposals/nope.yaml: no such file" in result.stderr


# ---------------------------------------------------------------------------
# the pure parts


def test_plan_edits_touches_only_what_differs() -> None:
    data = parse(FIXTURE.read_text(encoding="utf-8")).data
    decision = Decision(approve=True, panel=date(2020, 10, 1), amount=Money(15000))
    assert plan_edits(data, decision) == [
        Edit(("status",), "approved"),
        Edit(("panel",), date(2020, 10, 1), after="status"),
    ]
    grant = Grant("PC5", "Later", "Funding panel 2020-10-01")
    edits = plan_edits(data, Decision(True, date(2020, 10, 1), Money("12500.50"), (grant,)))
    assert edits[2:] == [
        Edit(("budget", "requested"), Decimal("12500.50")),
        Edit(("budget", "total_cost"), Decimal("17500.50")),
        Edit(
            ("waivers",),
            {"rule": "PC5", "reason": "Later", "approved_by": "Funding panel 2020-10-01"},
            append=True,
        ),
    ]


def test_headroom() -> None:
    ledger = Ledger.model_validate(
        {"financial_year": "2020-21", "allocations": [{"pillar": "P", "amount": 100}]}
    )

    def proposal(status: str, amount: int, pillar: str = "P") -> Proposal:
        return Proposal.model_validate(
            {
                "financial_year": "2020-21",
                "pillar": pillar,
                "status": status,
                "budget": {"requested": amount},
            }
        )

    others = [proposal("approved", 60), proposal("submitted", 90), proposal("approved", 50, "Q")]
    room = headroom(proposal("approved", 40), ledger, others)
    assert room is not None and not room.exceeded and room.after == Money(0)
    room = headroom(proposal("approved", 41), ledger, others)
    assert room is not None and room.exceeded
    assert "£1 short" in room.refusal("X")
    assert headroom(proposal("approved", 500, "Nowhere"), ledger, others) is None


# ---------------------------------------------------------------------------
# the editor on its own


EDGE_CASES = [
    # (text, edits, expected text)
    ("a: 1\nb: 2\n", [Edit(("a",), 3)], "a: 3\nb: 2\n"),
    ("a: 'x'  # c\n", [Edit(("a",), "yy")], "a: 'yy' # c\n"),
    ('a: "x"\n', [Edit(("a",), "it's")], 'a: "it\'s"\n'),
    ("a: x\n", [Edit(("a",), "true")], 'a: "true"\n'),
    ("a: x\n", [Edit(("a",), "b: c")], 'a: "b: c"\n'),
    ("a:\nb: 1\n", [Edit(("a",), 5)], "a: 5\nb: 1\n"),
    ("a: 1\n", [Edit(("n",), {"k": 1})], "a: 1\nn:\n  k: 1\n"),
    ("a: 1", [Edit(("b",), 2)], "a: 1\nb: 2\n"),
    ("a: 1\n", [Edit(("w",), {"x": 1}, append=True)], "a: 1\nw:\n  - x: 1\n"),
    ("w: []  # none\n", [Edit(("w",), "x", append=True)], "w: [x]  # none\n"),
    ("w: [ a ]\n", [Edit(("w",), "b, c", append=True)], 'w: [ a, "b, c" ]\n'),
    ("w:\n- a\n", [Edit(("w",), "b", append=True)], "w:\n- a\n- b\n"),
    ("s: >\n  text\n\n\nz: 1\n", [Edit(("s",), "short")], "s: short\n\n\nz: 1\n"),
    ("s: |+\n  kept\n\nz: 1\n", [Edit(("w",), 1, after="s")], "s: |+\n  kept\n\nw: 1\nz: 1\n"),
    ("m: {a: 1}\n", [Edit(("m", "b"), 2, after="a")], "m: {a: 1, b: 2}\n"),
    ("m: {}\n", [Edit(("m", "b"), 2)], "m: {b: 2}\n"),
    (
        "l:\n  - a: 1\n    b: 2\n",
        [Edit(("l", 0, "c"), 3, after="a")],
        "l:\n  - a: 1\n    c: 3\n    b: 2\n",
    ),
]


@pytest.mark.parametrize(("text", "edits", "expected"), EDGE_CASES)
def test_edit_mapping(text: str, edits: list[Edit], expected: str) -> None:
    assert edit_mapping(text, edits) == expected


@pytest.mark.parametrize(
    ("text", "edit", "message"),
    [
        ("a: 1\n", Edit(("a", "b"), 1), "a is not a mapping"),
        ("a: [1]\n", Edit(("a", 3), 1), "a has no item 4"),
        ("a: {b: 1}\n", Edit(("a",), 1), "a is a mapping, not one value"),
        ("a: 1\n", Edit(("a",), 2, append=True), "a is not a list"),
        ("x: &s 1\ny: *s\n", Edit(("x",), 2), "anchor"),
    ],
)
def test_edits_that_cannot_be_made(text: str, edit: Edit, message: str) -> None:
    with pytest.raises(EditError, match=message):
        edit_mapping(text, [edit])


def test_text_that_is_not_a_mapping() -> None:
    with pytest.raises(YamlError):
        edit_mapping("- a\n", [Edit(("a",), 1)])


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=40))
def test_any_text_is_written_so_that_it_reads_back(value: str) -> None:
    for flow in (False, True):
        scalar = render_scalar(value, flow=flow)
        document = f"k: {scalar}\n" if not flow else f"k: [{scalar}]\n"
        read: Any = parse(document).data["k"]
        assert (read if not flow else read[0]) == value


@settings(max_examples=100, deadline=None)
@given(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30),
    st.sampled_from(["a: 1  # note\n", "a: 'q'\n", 'a: "q"   # x\n', "a:\n", "a: {b: 1}\n"]),
)
def test_setting_a_value_changes_one_line(value: str, text: str) -> None:
    path = ("a", "b") if "{" in text else ("a",)
    document = "# head\n" + text + "z: [1, 2]   # tail\n"
    assume(not (value == "q" and "q" in text))  # the value it already has changes nothing
    edited = edit_mapping(document, [Edit(path, value)])
    assert len(changed_lines(document, edited)) == 2
    assert edited.startswith("# head\n") and edited.endswith("z: [1, 2]   # tail\n")


# ---------------------------------------------------------------------------
# atomic writes: a run killed mid-write leaves the old file or the new one


HOOKED_WRITER = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from loti_cli.io import files
    target, stage = Path(sys.argv[1]), sys.argv[2]

    def pause(*args):
        print("paused", flush=True)
        time.sleep(60)

    if stage == "write":
        real_fdopen = os.fdopen

        class Slow:
            def __init__(self, handle):
                self.handle = handle
            def __enter__(self):
                return self
            def __exit__(self, *exc):
                return self.handle.__exit__(*exc)
            def write(self, text):
                half = len(text) // 2
                self.handle.write(text[:half])
                self.handle.flush()
                pause()
            def __getattr__(self, name):
                return getattr(self.handle, name)

        os.fdopen = lambda *a, **k: Slow(real_fdopen(*a, **k))
    elif stage == "fsync":
        os.fsync = pause
    else:
        os.replace = pause
    files.write_atomic(target, "new: line\\n" * 200_000)
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
@pytest.mark.parametrize("stage", ["write", "fsync", "replace"])
def test_killed_mid_write_leaves_the_old_file(tmp_path: Path, stage: str) -> None:
    target = tmp_path / "cr-04.yaml"
    old = (ROOT / "proposals" / "cr-04.yaml").read_bytes()
    target.write_bytes(old)
    process = subprocess.Popen(
        [sys.executable, "-c", HOOKED_WRITER, str(target), stage],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None
    assert process.stdout.readline() == "paused\n"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    process.stdout.close()
    assert target.read_bytes() == old
    leftovers = sorted(path.name for path in tmp_path.iterdir() if path != target)
    # At most the temporary file, named so that no proposal check picks it up.
    assert len(leftovers) <= 1
    assert all(name.startswith(".cr-04.yaml.") and name.endswith(".tmp") for name in leftovers)


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_decide_killed_at_any_moment_leaves_the_old_or_the_new_file(project: Path) -> None:
    path = project / "proposals" / "sl-90.yaml"
    old = path.read_bytes()
    command = [
        sys.executable,
        "-m",
        "loti_cli",
        "proposal",
        "decide",
        str(path),
        "--approve",
        "--panel",
        PANEL,
        "--waive",
        "PC5",
        "--reason",
        REASON,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    subprocess.run(command, check=True, capture_output=True, env=env, cwd=project)
    duration = time.monotonic() - started
    new = path.read_bytes()
    assert new != old
    for step in range(8):
        path.write_bytes(old)
        process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=project
        )
        time.sleep(duration * (0.55 + step * 0.07))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        content = path.read_bytes()
        assert content in (old, new)
        for leftover in path.parent.glob(".sl-90.yaml.*.tmp"):
            leftover.unlink()
    # Nothing is left behind but the (empty) lock file, which no run holds any more.
    assert [p.name for p in path.parent.iterdir() if p.name.startswith(".")] == [".loti.lock"]
