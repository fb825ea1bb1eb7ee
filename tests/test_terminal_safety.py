"""Text from a file never drives or deceives the terminal: controls, bidi and zero-width
characters are shown as escapes in every format a person reads (text, table, github, markdown).
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti_cli.core.findings import one_line, visible
from loti_cli.report import check_github
from tests.conftest import Run

Cli = Callable[..., Run]

HIDDEN = {
    "\x1b": "\\x1b",
    "\x9b": "\\x9b",  # the one-byte CSI of C1
    "\x7f": "\\x7f",
    "\x07": "\\x07",
    "\u202e": "\\u202e",
    "\u202a": "\\u202a",
    "\u2066": "\\u2066",
    "\u2069": "\\u2069",
    "\u200e": "\\u200e",
    "\u200f": "\\u200f",
    "\u061c": "\\u061c",
    "\u200b": "\\u200b",
    "\u200d": "\\u200d",
    "\u2060": "\\u2060",
    "\ufeff": "\\ufeff",
    "\U000e0041": "\\U000e0041",  # an invisible tag character
}


def _unsafe(text: str) -> set[str]:
    """Characters a terminal would obey or hide, other than tab and the line breaks."""
    return {
        char
        for char in text
        if char not in "\t\n\r" and unicodedata.category(char) in {"Cc", "Cf", "Zl", "Zp"}
    }


@pytest.mark.parametrize(("char", "shown"), HIDDEN.items())
def test_one_line_shows_each_hidden_character_as_an_escape(char: str, shown: str) -> None:
    assert one_line(f"a{char}b") == f"a{shown}b"


def test_every_format_character_is_shown() -> None:
    """Every character of Unicode category Cf (bidi, zero-width, tags...) and every control."""
    hidden = [
        chr(code)
        for code in range(sys.maxunicode + 1)
        if unicodedata.category(chr(code)) in {"Cc", "Cf"} and chr(code) not in "\t\n\r"
    ]
    missed = [f"U+{ord(char):04X}" for char in hidden if visible(char) == char]
    assert missed == []


def test_ordinary_text_is_left_alone() -> None:
    text = "Café £45,000 – “quoted” 日本 Ωmega, tab\there"
    assert visible(text) == text


@given(st.text())
def test_one_line_leaves_nothing_to_obey_or_hide(text: str) -> None:
    shown = one_line(text)
    assert _unsafe(shown) == set()
    assert len(shown.splitlines()) <= 1


@given(st.text())
def test_github_annotations_leave_nothing_to_obey_or_hide(text: str) -> None:
    assert _unsafe(check_github.escape_data(text)) == set()
    assert _unsafe(check_github.escape_property(text)) == set()


# ---------------------------------------------------------------------------
# through the command line

TITLE = (
    r"Invoice \u202eexe.pdf\u202c \u2066iso\u2069 zero\u200bwidth \e[2J clear"
    r" \x9b31m csi \u200f\u061c\ufeff\u2060 end"
)
BOROUGH = r"Hack\u202eney\e]0;pwned\x07"

PROPOSAL = f"""\
id: CR-02
title: "{TITLE}"
financial_year: 2020-21
pillar: Covid Recovery
area: Identifying Needs
status: submitted
summary: Share contact data between boroughs.
outcome: Residents asked to self-isolate get support within a day.
boroughs:
  - {{name: Camden, role: lead}}
  - {{name: "{BOROUGH}", role: delivery}}
budget:
  requested: 45000
replicability:
  standards: [Open Referral UK]
  plan: Another borough adopts the agreement template.
outputs:
  - {{name: Data-sharing agreement template, licence: OGL-UK-3.0, gifted: true}}
sustainability: Boroughs pay for hosting from April 2021.
"""

SHOWN_TITLE = (
    "Invoice \\u202eexe.pdf\\u202c \\u2066iso\\u2069 zero\\u200bwidth \\x1b[2J clear"
    " \\x9b31m csi \\u200f\\u061c\\ufeff\\u2060 end"
)
SHOWN_BOROUGH = "Hack\\u202eney\\x1b]0;pwned\\x07"


@pytest.fixture
def hostile(in_tmp_path: Path) -> Path:
    path = in_tmp_path / "cr-02.yaml"
    path.write_text(PROPOSAL, encoding="utf-8")
    return path


def test_text_shows_hostile_title_and_borough_as_escapes(cli: Cli, hostile: Path) -> None:
    result = cli("proposal", "check", "cr-02.yaml", "--format", "text")
    assert result.exit_code == 1
    assert _unsafe(result.stdout) == set()
    assert f"CR-02 {SHOWN_TITLE}: failed\n" in result.stdout
    assert f"not counted: '{SHOWN_BOROUGH}' (unknown borough)" in result.stdout
    assert result.stderr == ""


def test_github_shows_hostile_text_as_escapes(cli: Cli, hostile: Path) -> None:
    result = cli("proposal", "check", "cr-02.yaml", "--format", "github")
    assert result.exit_code == 1
    assert _unsafe(result.stdout) == set()
    fp2 = [line for line in result.stdout.splitlines() if "title=FP2" in line]
    assert len(fp2) == 1
    assert fp2[0].startswith("::error file=cr-02.yaml,line=11,col=")
    assert fp2[0].endswith(f"not counted: '{SHOWN_BOROUGH}' (unknown borough)")


def test_markdown_shows_hostile_title_as_escapes(cli: Cli, hostile: Path) -> None:
    result = cli("proposal", "check", "cr-02.yaml", "--format", "markdown")
    assert result.exit_code == 1
    assert _unsafe(result.stdout) == set()
    # Markdown escapes the backslash of each escape, so that it shows as written.
    assert "zero\\\\u200bwidth \\\\x1b\\[2J clear" in result.stdout


def test_budget_table_and_markdown_show_hostile_names_as_escapes(
    cli: Cli, in_tmp_path: Path
) -> None:
    ledger = (Path(__file__).parent.parent / "ledgers" / "2020-21.yaml").read_text("utf-8")
    ledger = ledger.replace("ledger: ", 'ledger: "\\u202eevil\\e[2J" #', 1)
    (in_tmp_path / "ledgers").mkdir()
    (in_tmp_path / "ledgers" / "2020-21.yaml").write_text(ledger, encoding="utf-8")
    for name in ("table", "markdown"):
        result = cli("budget", "status", "--format", name, env={"COLUMNS": "200"})
        assert result.exit_code in (0, 1), result.stderr
        assert _unsafe(result.stdout) == set(), name
        assert "\\u202eevil\\x1b" in result.stdout.replace("\\\\", "\\").replace("\\[", "["), name


@pytest.mark.parametrize(
    "args",
    [
        ("proposal", "rank", "--call", "Covid Innovation Fund", "--scores", "s\x1b[2J\u202e.csv"),
        ("report", "borough", "Camden", "-o", "no\x1b]0;pwned\x07/x.html"),
        ("projects", "--ledger", "l\x1b[2J.yaml"),
        ("proposal", "scoresheet", "--call", "Covid Innovation Fund", "-o", "n\x9b2J/x.csv"),
    ],
)
def test_an_error_naming_a_hostile_path_shows_it_as_escapes(
    cli: Cli, in_tmp_path: Path, args: tuple[str, ...]
) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith("loti: error: ")
    assert _unsafe(result.stderr) == set(), result.stderr
    assert any(shown in result.stderr for shown in ("\\x1b[2J", "\\x1b]0;pwned\\x07", "\\x9b2J"))


def test_a_note_naming_a_hostile_path_shows_it_as_escapes(cli: Cli, in_tmp_path: Path) -> None:
    import shutil

    root = Path(__file__).parent.parent
    for folder in ("ledgers", "proposals"):
        shutil.copytree(root / folder, in_tmp_path / folder)
    closable = root / "tests" / "fixtures" / "closable.yaml"
    shutil.copy(closable, in_tmp_path / "proposals" / "c\x1b[2J.yaml")
    runs = [
        cli("report", "borough", "Camden", "-o", "b\x1b[2J.html"),
        cli("report", "boroughs", "-o", "m\x1b[2J.csv"),
        cli("proposal", "scoresheet", "--call", "Covid Innovation Fund", "-o", "s\x1b[2J.csv"),
        cli("proposal", "close", "proposals/c\x1b[2J.yaml", "--date", "2021-03-05"),
        cli("proposal", "close", "proposals/c\x1b[2J.yaml", "--date", "2021-03-05"),
    ]
    for run in runs:
        assert run.exit_code == 0, run.output
        assert _unsafe(run.output) == set(), run.output
        assert "\\x1b[2J" in run.output
    assert runs[3].stdout.startswith("closed proposals/c\\x1b[2J.yaml (CR-77) on 2021-03-05")
