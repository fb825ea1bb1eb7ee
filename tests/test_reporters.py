"""The reporters: one read-only registry per command, whose names are the command's formats."""

from __future__ import annotations

import importlib
import inspect
import json
import subprocess
import sys
from collections.abc import Callable, Mapping
from enum import StrEnum
from types import MappingProxyType

import pytest
from typer.testing import Result

from loti_cli.commands.budget import BudgetFormat
from loti_cli.commands.budget_monitor import MonitorFormat
from loti_cli.commands.export import GivingFormat
from loti_cli.commands.projects import ProjectsFormat
from loti_cli.commands.proposal import CheckFormat
from loti_cli.commands.proposal_rank import RankFormat
from loti_cli.commands.report import PackFormat
from loti_cli.commands.report_boroughs import BoroughsFormat, StatementFormat
from loti_cli.commands.rules import RulesFormat
from loti_cli.report import (
    BOROUGHS_REPORTERS,
    BUDGET_REPORTERS,
    CHECK_REPORTERS,
    GIVING_REPORTERS,
    MONITOR_REPORTERS,
    PANEL_REPORTERS,
    PROJECTS_REPORTERS,
    RANK_REPORTERS,
    RULES_REPORTERS,
    STATEMENT_REPORTERS,
    Reporter,
    registry,
)
from loti_cli.rules import RULES

REGISTRIES: dict[str, tuple[Mapping[str, Reporter], type[StrEnum], tuple[str, ...]]] = {
    "budget": (BUDGET_REPORTERS, BudgetFormat, ()),
    "monitor": (MONITOR_REPORTERS, MonitorFormat, ()),
    # `auto` is not a format of its own: it picks text or github (see resolve_format).
    "check": (CHECK_REPORTERS, CheckFormat, ("auto",)),
    "panel": (PANEL_REPORTERS, PackFormat, ()),
    "projects": (PROJECTS_REPORTERS, ProjectsFormat, ()),
    "rules": (RULES_REPORTERS, RulesFormat, ()),
    "rank": (RANK_REPORTERS, RankFormat, ()),
    # `both` writes every format of the registry, each to its own file.
    "giving": (GIVING_REPORTERS, GivingFormat, ("both",)),
    "statement": (STATEMENT_REPORTERS, StatementFormat, ()),
    "boroughs": (BOROUGHS_REPORTERS, BoroughsFormat, ()),
}


@pytest.mark.parametrize("command", REGISTRIES)
def test_each_format_choice_is_its_registry_and_its_documented_extras(command: str) -> None:
    reporters, choices, extras = REGISTRIES[command]
    assert [m.value for m in choices if m.value not in extras] == list(reporters)
    assert {m.value for m in choices} == set(reporters) | set(extras)
    assert not set(extras) & set(reporters)


@pytest.mark.parametrize("command", REGISTRIES)
def test_a_registry_cannot_be_extended_or_changed_at_run_time(command: str) -> None:
    reporters = REGISTRIES[command][0]
    assert isinstance(reporters, MappingProxyType)
    with pytest.raises(TypeError):
        reporters["yaml"] = reporters[next(iter(reporters))]  # type: ignore[index]
    with pytest.raises(AttributeError):
        reporters[next(iter(reporters))].name = "yaml"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("command", "name"), [(c, n) for c, (reporters, _, _) in REGISTRIES.items() for n in reporters]
)
def test_every_reporter_is_named_described_and_renders(command: str, name: str) -> None:
    item = REGISTRIES[command][0][name]
    assert item.name == name
    assert item.help and "\n" not in item.help and len(item.help) <= 72
    assert item.module.startswith("loti_cli.report.")
    render = importlib.import_module(item.module).render
    assert callable(render)
    assert list(inspect.signature(render).parameters)[:2] in (
        ["result", "options"],
        ["pack", "options"],
    )


def test_a_registry_refuses_two_reporters_of_one_name() -> None:
    one = Reporter("json", "one", "loti_cli.report.check_json", False)
    with pytest.raises(ValueError, match="same name"):
        registry(one, Reporter("json", "two", "loti_cli.report.budget_json", False))


def test_the_registries_import_no_reporter_until_one_renders() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, loti_cli.report\n"
            "print(sorted(m for m in sys.modules if m.startswith('loti_cli.report.')))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == "[]\n"
    assert done.stderr == ""


def test_the_giving_reporters_name_the_files_of_format_both() -> None:
    assert {name: item.suffix for name, item in GIVING_REPORTERS.items()} == {
        "json": ".json",
        "csv": ".csv",
    }


def test_data_formats_and_text_formats() -> None:
    people = {
        command: [name for name, item in reporters.items() if item.for_a_person]
        for command, (reporters, _, _) in REGISTRIES.items()
    }
    assert people == {
        "budget": ["table", "markdown"],
        "monitor": ["table", "markdown"],
        "check": ["text", "markdown"],
        "panel": ["markdown"],
        "projects": ["table", "markdown"],
        "rules": ["text"],
        "rank": ["table", "markdown"],
        "giving": [],
        "statement": ["markdown"],
        "boroughs": ["markdown"],
    }


# ---------------------------------------------------------------------------
# `loti rules` through its reporters


def ordered() -> list[object]:
    return sorted(RULES, key=lambda rule: rule.subject != "proposal")


def test_loti_rules_writes_what_its_text_reporter_renders(cli: Callable[..., Result]) -> None:
    result = cli("rules")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == RULES_REPORTERS["text"].render(ordered())
    assert result.stdout.startswith("Code    Name")
    assert result.stdout.endswith("\n\n`loti rules CODE` explains a rule, with examples.\n")


def test_loti_rules_json_writes_what_its_json_reporter_renders(
    cli: Callable[..., Result],
) -> None:
    result = cli("rules", "--format", "json")
    assert result.exit_code == 0
    assert result.stderr == ""
    assert result.stdout == RULES_REPORTERS["json"].render(ordered())
    listed = json.loads(result.stdout)
    assert [item["code"] for item in listed] == [rule.code for rule in ordered()]  # type: ignore[attr-defined]
    assert set(listed[0]) == {"code", "name", "severity", "summary", "waivable"}


def test_loti_rules_code_explains_the_rule_through_its_reporters(
    cli: Callable[..., Result],
) -> None:
    fp2 = next(rule for rule in RULES if rule.code == "FP2")
    text = cli("rules", "FP2")
    assert (text.exit_code, text.stderr) == (0, "")
    assert text.stdout == RULES_REPORTERS["text"].render(fp2)
    assert text.stdout.startswith(f"FP2 {fp2.name} (")
    data = cli("rules", "FP2", "--format", "json")
    assert (data.exit_code, data.stderr) == (0, "")
    assert data.stdout == RULES_REPORTERS["json"].render(fp2)
    assert json.loads(data.stdout)["explanation"] == fp2.explanation


def test_the_rules_table_is_laid_out_as_tabulate_lays_it_out() -> None:
    from tabulate import tabulate

    from loti_cli.commands import catalogue
    from loti_cli.report.rules_text import HEADERS, plain_table

    rows = [(r.code, r.name, str(r.severity), r.summary) for r in catalogue.rules()]
    rows += [
        ("X1", "a-name-longer-than-any-rule-name-so-far", "warning", "short"),
        ("Y", "", "", ""),
    ]
    expected = tabulate([list(row) for row in rows], headers=list(HEADERS), tablefmt="simple")
    assert plain_table(HEADERS, rows) == expected
