"""Loading a ledger: every bad input is an LB8 finding at path:line:column, and the CLI exits 2."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from loti_cli.core.money import Money
from loti_cli.io.load import load_ledger
from loti_cli.io.resolve import bundled_ledgers
from tests.conftest import Run

VALID = """\
ledger: Test ledger
financial_year: 2020-21
currency: GBP
fees:
  borough: 30000
members:
  - {name: Camden, kind: borough, fee: borough}
  - {name: Hackney, kind: borough, fee: 30000}
income:
  - name: Borough contributions
    amount: 60000
    kind: membership
expenditure:
  - name: Personnel
    amount: 20000
    status: estimated
allocations:
  - pillar: Covid Recovery
    amount: 40000
"""
"""A small ledger with no finding at all; each case below breaks it in one way."""


def edit(old: str, new: str, text: str = VALID) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


BILLION_LAUGHS = VALID + "".join(
    f"x{n}: &x{n} [{', '.join([f'*x{n - 1}'] * 9) if n else ', '.join(['lol'] * 9)}]\n"
    for n in range(10)
)

Expected = list[tuple[int, int, str]]
"""(line, column, a fragment of the message) for each LB8 finding, in file order."""

CASES: list[tuple[str, str | bytes, Expected]] = [
    (
        "malformed YAML",
        edit("currency: GBP\n", "currency: - GBP\n"),
        [(3, 11, "is not valid YAML")],
    ),
    (
        "tab indentation",
        edit("  borough: 30000\n", "\tborough: 30000\n"),
        [(5, 1, "is not valid YAML")],
    ),
    (
        "duplicate keys",
        VALID + "currency: GBP\nfees: {}\ncurrency: EUR\n",
        [
            (20, 1, "duplicate key 'currency' (first at line 3)"),
            (21, 1, "duplicate key 'fees' (first at line 4)"),
            (22, 1, "duplicate key 'currency' (first at line 3)"),
        ],
    ),
    (
        "duplicate key in a line",
        edit("    status: estimated\n", "    status: estimated\n    amount: 5\n"),
        [(17, 5, "duplicate key 'amount' (first at line 15)")],
    ),
    (
        "python object tag",
        edit("ledger: Test ledger", "ledger: !!python/object/apply:os.system [echo]"),
        [
            (1, 9, "tag !!python/object/apply:os.system is not allowed"),
            (1, 9, "ledger should be text, not a list"),
        ],
    ),
    (
        "custom tag",
        edit("    amount: 20000", "    amount: !pounds 20000"),
        [(15, 13, "tag !pounds is not allowed")],
    ),
    (
        "recursive alias",
        VALID + "stated: &s\n  total_income: *s\n",
        [(21, 17, "alias *s refers to itself")],
    ),
    (
        "undefined alias",
        edit("    amount: 40000", "    amount: *forty"),
        [(19, 13, "alias *forty has no anchor &forty before it")],
    ),
    ("empty file", "", [(1, 1, "the file is empty")]),
    ("comments only", "# a ledger\n# to be written\n", [(1, 1, "the file is empty")]),
    ("list at top level", "- ledger: Test\n- currency: GBP\n", [(1, 1, "the file is a list")]),
    ("several documents", VALID + "---\n" + VALID, [(20, 1, "more than one YAML document")]),
    (
        "invalid UTF-8",
        edit("ledger: Test ledger", "ledger: Test l\xe9dger").encode("latin-1"),
        [(1, 15, "is not valid UTF-8 (byte 0xe9)")],
    ),
    (
        "missing required key",
        edit("currency: GBP\n", ""),
        [(1, 1, "missing required key 'currency'; add it")],
    ),
    (
        "required key without a value",
        edit("currency: GBP\n", "currency:\n"),
        [(3, 10, "'currency' has no value")],
    ),
    (
        "unknown key",
        edit("expenditure:\n", "expenditre:\n"),
        [
            (1, 1, "missing required key 'expenditure'"),
            (13, 1, "unknown key 'expenditre'; did you mean 'expenditure'?"),
        ],
    ),
    (
        "unknown key in a line",
        edit("    status: estimated\n", "    status: estimated\n    pilar: Covid Recovery\n"),
        [(17, 5, "unknown key 'pilar'; did you mean 'pillar'?")],
    ),
    (
        "misspelt status",
        edit("status: estimated", "status: estimted"),
        [
            (
                16,
                13,
                "'estimted' is not one of estimated, committed or paid; did you mean 'estimated'?",
            )
        ],
    ),
    (
        "misspelt income kind",
        edit("kind: membership", "kind: Membership"),
        [(12, 11, "did you mean 'membership'?")],
    ),
    (
        "wrong type of amount",
        edit("amount: 20000", "amount: [1]"),
        [(15, 13, "a list is not an amount")],
    ),
    (
        "wrong type of a list",
        edit(
            "allocations:\n  - pillar: Covid Recovery\n    amount: 40000\n",
            "allocations: {pillar: Covid Recovery, amount: 40000}\n",
        ),
        [(17, 14, "allocations should be a list (lines starting with '- '), not a mapping")],
    ),
    (
        "bad amount string",
        edit("amount: 20000", 'amount: "£26x"'),
        [(15, 13, "'£26x' is not an amount; write it as 264000")],
    ),
    ("negative amount", edit("amount: 20000", "amount: -20000"), [(15, 13, "is negative")]),
    (
        "more than two decimal places",
        edit("amount: 20000", "amount: 10.005"),
        [(15, 13, "'10.005' has more than two decimal places")],
    ),
    ("NaN amount", edit("amount: 20000", "amount: .nan"), [(15, 13, "is not an amount")]),
    ("infinite amount", edit("amount: 20000", "amount: .inf"), [(15, 13, "is not an amount")]),
    (
        "boolean amount",
        edit("amount: 20000", "amount: true"),
        [(15, 13, "'true' is not an amount")],
    ),
    ("empty amount", edit("amount: 20000", 'amount: ""'), [(15, 13, "an empty string is not")]),
    (
        "float-tagged amount",
        edit("amount: 40000", "amount: !!float 1e30"),
        [(19, 13, "'1e30' is not an amount (a number with an exponent); write it as 264000,")],
    ),
    (
        "too large amount",
        edit("amount: 40000", "amount: 10000000000000"),
        [(19, 13, "'10000000000000' is too large")],
    ),
    (
        "member not a London borough",
        edit("name: Hackney,", "name: Hackny,"),
        [
            (
                8,
                12,
                "member 'Hackny' of kind borough is not a London borough; did you mean 'Hackney'?",
            )
        ],
    ),
    (
        "member far from any borough",
        edit("name: Hackney,", "name: Paris,"),
        [(8, 12, "member 'Paris' of kind borough is not a London borough (use kind: partner")],
    ),
    (
        "same borough twice via an alias",
        edit(
            "  - {name: Camden, kind: borough, fee: borough}\n",
            "  - {name: LBHF, kind: borough, fee: borough}\n"
            "  - {name: Camden, kind: borough, fee: borough}\n"
            "  - {name: Hammersmith & Fulham, kind: borough, fee: borough}\n",
        ),
        [(9, 12, "'Hammersmith & Fulham' is Hammersmith and Fulham, already listed as member 1")],
    ),
    (
        "same borough twice via its GSS code",
        edit("name: Hackney,", "name: E09000007,"),
        [(8, 12, "'E09000007' is Camden, already listed as member 1")],
    ),
    (
        "fee naming no key of fees",
        edit("fee: borough}", "fee: boro}"),
        [
            (
                7,
                40,
                "fee 'boro' is not a key of fees (borough) nor an amount; did you mean 'borough'?",
            )
        ],
    ),
    (
        "financial_year disagrees with the file name",
        edit("financial_year: 2020-21", "financial_year: 2021-22"),
        [(2, 17, "financial_year is 2021-22 but the file is named 2020-21.yaml")],
    ),
    (
        "financial_year that is no year",
        edit("financial_year: 2020-21", "financial_year: 2020-22"),
        [(2, 17, "'2020-22' is not a financial year")],
    ),
    (
        # its March would be in the year 10000, which no date has: every command stopped
        "financial_year past the calendar",
        edit("financial_year: 2020-21", "financial_year: 9999-00"),
        [
            (
                2,
                17,
                "'9999-00' is not a financial year loti can date; write one from 0001-02 to 9998-99",
            )
        ],
    ),
    (
        "pillar allocated twice",
        VALID + "  - pillar: Covid Recovery\n    amount: 1\n",
        [(20, 13, "pillar 'Covid Recovery' is allocated twice")],
    ),
    (
        "unknown key under stated",
        VALID + "stated:\n  total_incom: 60000\n",
        [(21, 3, "unknown key 'total_incom'; did you mean 'total_income'?")],
    ),
    (
        # a bad item before a good one must not shift the good one's findings (or its own)
        "findings after a dropped line keep their place",
        edit(
            "  - {name: Camden, kind: borough, fee: borough}\n"
            "  - {name: Hackney, kind: borough, fee: 30000}\n",
            "  - {name: Camden, kind: bourough, fee: borough}\n"
            "  - {name: Paris, kind: borough, fee: 30000}\n",
        ),
        [
            (7, 26, "'bourough' is not one of borough or partner; did you mean 'borough'?"),
            (8, 12, "member 'Paris' of kind borough is not a London borough"),
        ],
    ),
]


@pytest.fixture
def ledger_file(in_tmp_path: Path) -> Callable[[str | bytes], Path]:
    def write(content: str | bytes, name: str = "2020-21.yaml") -> Path:
        path = Path(name)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


def test_the_valid_ledger_loads_cleanly(ledger_file: Callable[[str], Path]) -> None:
    source = load_ledger(ledger_file(VALID))
    assert source.problems == []
    assert source.model is not None
    assert source.model.fees == {"borough": Money(30000)}


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_bad_input_is_an_lb8_finding_at_its_place(
    ledger_file: Callable[[str | bytes], Path], content: str | bytes, expected: Expected
) -> None:
    source = load_ledger(ledger_file(content), "ledgers/2020-21.yaml")
    found = [(f.line, f.column, f.message) for f in source.problems]
    assert [(line, column) for line, column, _ in found] == [
        (line, column) for line, column, _ in expected
    ]
    for (_, _, message), (_, _, fragment) in zip(found, expected, strict=True):
        assert fragment in message
    for finding in source.problems:
        assert (finding.code, finding.rule, str(finding.severity)) == (
            "LB8",
            "invalid-ledger",
            "error",
        )
        assert finding.path == "ledgers/2020-21.yaml"


@pytest.mark.parametrize(("content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_cli_prints_each_problem_and_exits_2(
    cli: Callable[..., Run],
    ledger_file: Callable[[str | bytes], Path],
    content: str | bytes,
    expected: Expected,
) -> None:
    path = ledger_file(content)
    result = cli("budget", "status", "--ledger", str(path), "--format", "json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    located = [line for line in lines if line.startswith(f"{path}:")]
    assert [line.split(": LB8 ")[0] for line in located] == [
        f"{path}:{line}:{column}" for line, column, _ in expected
    ]
    for line, (_, _, fragment) in zip(located, expected, strict=True):
        assert fragment in line


def test_a_file_over_the_size_bound(
    cli: Callable[..., Run], ledger_file: Callable[[bytes], Path]
) -> None:
    path = ledger_file(VALID.encode() + b"#" + b"x" * (4 * 1024 * 1024) + b"\n")
    [finding] = load_ledger(path).problems
    assert (finding.code, finding.line, finding.column) == ("LB8", 1, 1)
    assert "larger than 4 MiB" in finding.message
    result = cli("budget", "status", "--ledger", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"{path}:1:1: LB8 the file is larger than 4 MiB" in result.stderr


def test_a_billion_laughs_finishes_fast(
    cli: Callable[..., Run], ledger_file: Callable[[str], Path]
) -> None:
    path = ledger_file(BILLION_LAUGHS)
    start = time.perf_counter()
    result = cli("budget", "status", "--ledger", str(path))
    assert time.perf_counter() - start < 5
    assert result.exit_code == 2
    assert result.stdout == ""
    [located] = [line for line in result.stderr.splitlines() if line.startswith(f"{path}:")]
    line = int(located.split(":")[1])
    assert 20 <= line <= 29  # inside the alias lines
    assert "aliases repeated too often" in located


def test_all_problems_of_a_file_are_reported_in_one_run(ledger_file: Callable[[str], Path]) -> None:
    text = VALID
    text = edit("currency: GBP\n", "currency: GBP\ncurency: GBP\n", text)  # unknown key
    text = edit("fee: borough}", "fee: boro}", text)  # no such fee
    text = edit("name: Hackney,", "name: Hackny,", text)  # not a borough
    text = edit("amount: 60000", 'amount: "£6ok"', text)  # bad amount
    text = edit("status: estimated", "status: estimted", text)  # misspelt status
    source = load_ledger(ledger_file(text))
    assert [(f.code, f.line) for f in source.problems] == [
        ("LB8", 4),
        ("LB8", 8),
        ("LB8", 9),
        ("LB8", 12),
        ("LB8", 17),
    ]
    messages = " | ".join(f.message for f in source.problems)
    for fragment in ("'curency'", "'boro'", "'Hackny'", "'£6ok'", "'estimted'"):
        assert fragment in messages


def test_the_bundled_ledger_loads_without_problems() -> None:
    source = load_ledger(bundled_ledgers() / "2020-21.yaml")
    assert source.problems == []
    assert source.model is not None
    assert source.model.financial_year == "2020-21"
    assert len(source.model.members or ()) == 21


# ---------------------------------------------------------------------------
# end to end, in a fresh interpreter: no traceback, whatever the input


def run_loti(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "loti_cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


def test_nesting_100000_deep_exits_2_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "2020-21.yaml").write_text("ledger: " + "[" * 100_000 + "]" * 100_000 + "\n")
    done = run_loti("budget", "status", "--ledger", "2020-21.yaml", cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert "2020-21.yaml:1:72: LB8 the file nests deeper than 64 levels" in done.stderr
    assert done.stdout == ""


def test_a_broken_ledger_exits_2_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "2020-21.yaml").write_bytes(b"ledger: x\n\xff\xfe: !!python/object:os.system\n")
    done = run_loti(
        "budget", "status", "--ledger", "2020-21.yaml", "--format", "json", cwd=tmp_path
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "2020-21.yaml:2:1: LB8 the file is not valid UTF-8 (byte 0xff)" in done.stderr
    assert done.stdout == ""
