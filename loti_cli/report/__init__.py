"""Output formats: reporters looked up by name, one read-only registry per command.

A `Reporter` names its format, says in one line what it is and who reads it, and
renders a command's result with `render(result, options)`. Its module is imported
on the first render, so a registry costs nothing to import (`loti rules` and shell
completion stay fast) and a command loads only the format it writes. Each
command's `--format` choices are its registry's names (tests/test_reporters.py).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How a person's terminal wants the output: colour, and width in columns."""

    color: bool = False
    width: int = 100


@dataclass(frozen=True, slots=True)
class Reporter:
    """One output format: its name, what it is, who reads it, and the module that renders it."""

    name: str
    help: str
    """What the format is, in one line."""
    module: str
    """The module whose `render(result, options)` writes the format, imported on first use."""
    for_a_person: bool
    """Text a person reads (written in what the terminal can show), not data for programs
    (written as UTF-8 bytes whatever the locale; see `emit`)."""
    suffix: str = ""
    """The file name ending of a file in this format, where the command names the file."""

    def render(self, result: Any, options: RenderOptions | None = None) -> str:
        """The format's text for `result`."""
        module = importlib.import_module(self.module)
        render: Callable[[Any, RenderOptions], str] = module.render
        return render(result, options or RenderOptions())

    def write(self, result: Any, options: RenderOptions | None = None) -> None:
        """Render `result` on standard output: as text for a person, or as UTF-8 data."""
        from loti_cli.report import emit

        emit.output(lambda: self.render(result, options), for_a_person=self.for_a_person)


def registry(*reporters: Reporter) -> Mapping[str, Reporter]:
    """The reporters by name, in this order; read-only, so no format is added at run time."""
    by_name = {item.name: item for item in reporters}
    if len(by_name) != len(reporters):
        raise ValueError("two reporters have the same name")
    return MappingProxyType(by_name)


def _text(name: str, help: str, module: str) -> Reporter:
    """A format a person reads, rendered by `loti_cli.report.<module>`."""
    return Reporter(name, help, f"{__name__}.{module}", for_a_person=True)


def _data(name: str, help: str, module: str, suffix: str = "") -> Reporter:
    """A format programs read, rendered by `loti_cli.report.<module>`."""
    return Reporter(name, help, f"{__name__}.{module}", for_a_person=False, suffix=suffix)


BUDGET_REPORTERS = registry(
    _text("table", "the budget as tables for a terminal", "budget_table"),
    _data("json", "the budget as JSON (docs/formats/output-contract.md)", "budget_json"),
    _data("csv", "the budget as CSV, one row per line, safe in a spreadsheet", "budget_csv"),
    _text("markdown", "the budget as markdown tables", "budget_markdown"),
)
"""`loti budget status` and `loti budget what-if --format NAME`: render a `StatusResult`."""

MONITOR_REPORTERS = registry(
    _text("table", "actuals against the budget as a table for a terminal", "monitor_table"),
    _data("json", "actuals against the budget as JSON (monitoring-format.md)", "monitor_json"),
    _data("csv", "actuals against the budget as CSV, one row per line", "monitor_csv"),
    _text("markdown", "actuals against the budget as markdown tables", "monitor_markdown"),
)
"""`loti budget monitor --format NAME`: render a `MonitorResult`."""

CHECK_REPORTERS = registry(
    _text("text", "findings as text for a terminal", "check_text"),
    _data("json", "findings as JSON (docs/formats/output-contract.md)", "check_json"),
    _data("github", "GitHub Actions workflow annotations", "check_github"),
    _data("junit", "JUnit XML, one test case per proposal", "check_junit"),
    _data("sarif", "SARIF 2.1.0 for code scanning", "check_sarif"),
    _text("markdown", "findings as markdown, for a pull request or job summary", "check_markdown"),
)
"""`loti proposal check --format NAME` and `--output NAME=FILE`: render a `CheckResult`."""

PANEL_REPORTERS = registry(
    _data("html", "the panel pack as one self-contained printable page", "panel_html"),
    _text("markdown", "the panel pack as markdown", "panel_markdown"),
)
"""`loti report --format NAME`: render a `PanelPack`."""

STATEMENT_REPORTERS = registry(
    _data("html", "a member's statement as one self-contained printable page", "borough_html"),
    _text("markdown", "a member's statement as markdown", "borough_markdown"),
    _data("json", "a member's statement as JSON", "borough_json"),
)
"""`loti report borough --format NAME`: render a `MemberStatement`."""

BOROUGHS_REPORTERS = registry(
    _data("csv", "one row per member, safe in a spreadsheet", "boroughs_csv"),
    _data("json", "one entry per member as JSON", "boroughs_json"),
    _text("markdown", "one row per member as a markdown table", "boroughs_markdown"),
)
"""`loti report boroughs --format NAME`: render `Statements`."""

RULES_REPORTERS = registry(
    _text("text", "the rules as a table, or one rule explained", "rules_text"),
    _data("json", "the rules, or one rule, as JSON", "rules_json"),
)
"""`loti rules --format NAME`: render the rules listed (a sequence) or one rule explained."""

PROJECTS_REPORTERS = registry(
    _text("table", "the year's projects as tables for a terminal", "projects_table"),
    _data("json", "the projects as JSON (docs/formats/delivery-format.md)", "projects_json"),
    _data("csv", "the projects as CSV, one row per project, safe in a spreadsheet", "projects_csv"),
    _text("markdown", "the projects as a markdown table", "projects_markdown"),
)
"""`loti projects --format NAME`: render a `ProjectsResult`."""

RANK_REPORTERS = registry(
    _text("table", "the ranking as a table for a terminal", "rank_table"),
    _data("json", "the ranking as JSON (docs/formats/panel-scoring-format.md)", "rank_json"),
    _data("csv", "the ranking as CSV, one row per bid, safe in a spreadsheet", "rank_csv"),
    _text("markdown", "the ranking as markdown, for a panel paper", "rank_markdown"),
)
"""`loti proposal rank --format NAME`: render a `Ranking`."""

GIVING_REPORTERS = registry(
    _data("json", "a 360Giving JSON data package", "giving_json", ".json"),
    _data("csv", "360Giving's flat CSV, one row per grant", "giving_csv", ".csv"),
)
"""`loti export 360giving --format NAME`: render an `Export`'s grants."""
