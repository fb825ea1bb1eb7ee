"""Every way of writing an amount gets the same verdict in a file and after --amount.

One parser reads money text: a string in a file, a YAML number as it was written
(`0x10` is not sixteen pounds), and the value of `loti proposal new --amount` and
`loti proposal decide --amount`. Each form below goes through all of them.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti_cli.core.money import (
    ACCEPTED_FORMS,
    Money,
    MoneyError,
    format_money,
    parse_money,
    to_json,
)
from loti_cli.io import yaml_edit, yaml_read
from loti_cli.io.load import load_proposal
from loti_cli.pipeline.decide import yaml_amount

ROOT = Path(__file__).parents[1]

ACCEPTED = [
    # (as written in a YAML file, as typed after --amount, pounds)
    ("264000", "264000", "264000"),
    ("264000.50", "264000.50", "264000.50"),
    ("264000.5", "264000.5", "264000.50"),
    ('"£264,000"', "£264,000", "264000"),
    ('"£264k"', "£264k", "264000"),
    ("£264k", "£264k", "264000"),
    ('"£264K"', "£264K", "264000"),
    ('"£1.2m"', "£1.2m", "1200000"),
    ('"£1.2M"', "£1.2M", "1200000"),
    ('"264,000.50"', "264,000.50", "264000.50"),
    ('"£1,000,000.00"', "£1,000,000.00", "1000000"),
    ('"264000"', "264000", "264000"),
    ("0.05", "0.05", "0.05"),
    ('"£0.05"', "£0.05", "0.05"),
    ('"£1.25k"', "£1.25k", "1250"),
    ("'  £20k  '", "  £20k  ", "20000"),
    ("20000", "20000", "20000"),
    ('"£9,999,999,999,999.99"', "£9,999,999,999,999.99", "9999999999999.99"),
]

NOT_AN_AMOUNT = "is not an amount"

REJECTED = [
    # (as written in a YAML file, as typed after --amount, why)
    ("0x10", "0x10", "'0x10' is not an amount (a hexadecimal number)"),
    ("0X10", "0X10", "'0X10' is not an amount (a hexadecimal number)"),
    ("0o17", "0o17", "'0o17' is not an amount (an octal number)"),
    ("1e3", "1e3", "'1e3' is not an amount (a number with an exponent)"),
    ("1E+3", "1E+3", "'1E+3' is not an amount (a number with an exponent)"),
    ("2.5e4", "2.5e4", "'2.5e4' is not an amount (a number with an exponent)"),
    ("1e2000000000000000000", "1e2000000000000000000", "(a number with an exponent)"),
    (".5", ".5", "'.5' is not an amount (a number without a digit before the point)"),
    ("5.", "5.", "'5.' is not an amount (a number without a digit after the point)"),
    ("+5", "+5", "'+5' is not an amount (a number with a plus sign)"),
    ("007", "007", "'007' is not an amount (a number with a leading zero)"),
    ("'0,001'", "0,001", "'0,001' is not an amount (a misplaced thousands separator)"),
    ('"1,00"', "1,00", "'1,00' is not an amount (a misplaced thousands separator)"),
    ('"12,34,567"', "12,34,567", "'12,34,567' is not an amount (a misplaced thousands"),
    ('"£ 264 k"', "£ 264 k", "'£ 264 k' is not an amount;"),
    ('"£1.2mm"', "£1.2mm", "'£1.2mm' is not an amount;"),
    ("1_000", "1_000", "'1_000' is not an amount;"),
    ('"$5"', "$5", "'$5' is not an amount;"),
    ('"١٢٣"', "١٢٣", "'١٢٣' is not an amount;"),  # Arabic-Indic digits
    ('"£２６４"', "£２６４", "'£２６４' is not an amount;"),  # full-width digits
    ('"nan"', "nan", "'nan' is not an amount;"),
    ('"lots"', "lots", "'lots' is not an amount;"),
    ("-5", "-5", "'-5' is negative; amounts are zero or more"),
    ('"-£5k"', "-£5k", "'-£5k' is negative; amounts are zero or more"),
    ("-10.005", "-10.005", "'-10.005' is negative; amounts are zero or more"),
    ("10.005", "10.005", "'10.005' has more than two decimal places; round it to whole pence"),
    ('"£1.234567k"', "£1.234567k", "'£1.234567k' has more than two decimal places"),
    ("10000000000000", "10000000000000", "'10000000000000' is too large"),
]

PROPOSAL = """\
id: CR-50
title: Shared referral directory
financial_year: 2020-21
pillar: Covid Recovery
status: submitted
boroughs:
  - {{name: Camden, role: lead}}
  - {{name: Hackney, role: delivery}}
budget:
  requested: 10000
  external:
    - source: BID levy
      amount: {amount}
"""
AMOUNT_AT = (13, 15)
"""Line and column of the amount in PROPOSAL."""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The repository's ledgers and SL-90 (submitted, £15,000, no other proposal), as the cwd."""
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copy(ROOT / "tests" / "fixtures" / "commented-proposal.yaml", tmp_path / "sl-90.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def in_file(cli: Callable[..., Any], project: Path, written: str) -> tuple[Money | None, str]:
    """The amount `loti proposal check` reads from a file, or its IN2 message at the amount."""
    path = project / "forms.yaml"
    path.write_text(PROPOSAL.format(amount=written), encoding="utf-8")
    run = cli("proposal", "check", "forms.yaml", "--format", "json")
    [checked] = json.loads(run.stdout)["proposals"]
    invalid = [f for f in checked["findings"] if f["code"] == "IN2"]
    if not invalid:
        model = load_proposal(path).model
        assert model is not None and model.budget is not None
        return model.budget.external[0].amount, ""
    [finding] = invalid
    assert run.exit_code == 1
    assert (finding["line"], finding["column"]) == AMOUNT_AT
    assert finding["message"].startswith("budget.external[1].amount: ")
    return None, finding["message"].removeprefix("budget.external[1].amount: ")


def after_new(cli: Callable[..., Any], typed: str) -> tuple[Money | None, str]:
    """The amount `loti proposal new --amount` writes, or the message refusing it."""
    run = cli(
        "proposal",
        "new",
        "-",
        "--no-input",
        "--title",
        "Shared sensors",
        "--pillar",
        "Smarter London",
        "--borough",
        "Camden:lead",
        "--borough",
        "Hackney:delivery",
        f"--amount={typed}",
    )
    if run.exit_code == 2:
        assert run.stdout == ""
        return None, refusal(run.stderr, typed)
    written = yaml_read.parse(run.stdout).data["budget"]["requested"]
    return parse_money(written), ""


def after_decide(cli: Callable[..., Any], typed: str) -> tuple[Money | None, str]:
    """The amount `loti proposal decide --amount` approves (or refuses for the pillar's
    headroom, naming it), or the message refusing the amount itself."""
    run = cli(
        "proposal",
        "decide",
        "sl-90.yaml",
        "--approve",
        "--panel",
        "2020-10-01",
        "--dry-run",
        f"--amount={typed}",
    )
    out, err = run.stdout, run.stderr
    if run.exit_code == 2:
        return None, refusal(err, typed)
    for line in out.splitlines():
        if line.startswith("+budget:"):
            requested = yaml_read.parse(line[1:] + "\n").data["budget"]["requested"]
            return parse_money(requested), ""
    assert run.exit_code == 1, err
    shown = err.split("approving SL-90 for ", 1)[1].split(" would take", 1)[0]
    return parse_money(shown), ""


def refusal(stderr: str, typed: str) -> str:
    prefix = f"loti: error: --amount {typed!r}: "
    assert stderr.startswith(prefix), stderr
    assert stderr.count("\n") == 1, stderr
    return stderr.removeprefix(prefix).rstrip("\n")


@pytest.mark.parametrize(("written", "typed", "pounds"), ACCEPTED)
def test_an_accepted_form_is_the_same_amount_in_a_file_and_after_amount(
    cli: Callable[..., Any], project: Path, written: str, typed: str, pounds: str
) -> None:
    expected = Money(Decimal(pounds))
    assert in_file(cli, project, written) == (expected, "")
    assert after_new(cli, typed) == (expected, "")
    assert after_decide(cli, typed) == (expected, "")
    assert parse_money(typed) == expected


@pytest.mark.parametrize(("written", "typed", "why"), REJECTED)
def test_a_refused_form_is_refused_alike_in_a_file_and_after_amount(
    cli: Callable[..., Any], project: Path, written: str, typed: str, why: str
) -> None:
    _, in_the_file = in_file(cli, project, written)
    assert why in in_the_file
    if NOT_AN_AMOUNT in why:  # and what to write instead
        assert in_the_file.endswith(f"; write it as {ACCEPTED_FORMS}")
    # The very same words, whichever way the amount came in.
    assert after_new(cli, typed) == (None, in_the_file)
    assert after_decide(cli, typed) == (None, in_the_file)


# ---------------------------------------------------------------------------
# properties

LIMIT_PENCE = 10**15 - 1


@st.composite
def amounts(draw: st.DrawFn) -> Money:
    """A non-negative amount with 0, 1 or 2 decimal places, below the limit."""
    places = draw(st.sampled_from([0, 1, 2]))
    units = draw(st.integers(min_value=0, max_value=LIMIT_PENCE // 10 ** (2 - places)))
    return Money(Decimal(units).scaleb(-places))


def from_yaml(scalar: str) -> Money:
    return parse_money(yaml_read.parse(f"amount: {scalar}\n").data["amount"])


@given(amounts())
def test_a_printed_amount_reads_back_as_itself_typed_or_in_a_file(money: Money) -> None:
    for printed in (format_money(money), to_json(money)):
        assert parse_money(printed) == money
        assert from_yaml(yaml_edit.render_scalar(printed)) == money
    # as `loti proposal decide` writes an approved amount into a file
    assert from_yaml(yaml_edit.render_scalar(yaml_amount(money))) == money
    assert from_yaml(to_json(money)) == money  # a plain YAML number


NUMBERS = st.one_of(
    st.from_regex(yaml_read._INT, fullmatch=True),
    st.from_regex(yaml_read._INT_OTHER, fullmatch=True),
    st.from_regex(yaml_read._FLOAT, fullmatch=True),
)


def verdict(read: Callable[[], Money]) -> Money | str:
    try:
        return read()
    except MoneyError as error:
        return str(error)


@given(NUMBERS.filter(lambda text: len(text) < 40))
def test_a_yaml_number_gets_the_verdict_of_its_text(text: str) -> None:
    # A plain number in a file is judged as it is written, as if typed after --amount.
    assert verdict(lambda: from_yaml(text)) == verdict(lambda: parse_money(text))
