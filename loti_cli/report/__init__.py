"""Output formats: one module per format, looked up by name, imported only when used."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """How a person's terminal wants the output: colour, and width in columns."""

    color: bool = False
    width: int = 100


BUDGET_REPORTERS: dict[str, str] = {
    "table": "loti_cli.report.budget_table",
    "json": "loti_cli.report.budget_json",
    "csv": "loti_cli.report.budget_csv",
    "markdown": "loti_cli.report.budget_markdown",
}
"""`loti budget status --format NAME`: the module whose `render(result, options)` writes it."""

CHECK_REPORTERS: dict[str, str] = {
    "text": "loti_cli.report.check_text",
    "json": "loti_cli.report.check_json",
    "github": "loti_cli.report.check_github",
    "junit": "loti_cli.report.check_junit",
    "sarif": "loti_cli.report.check_sarif",
    "markdown": "loti_cli.report.check_markdown",
}
"""`loti proposal check --format NAME`: the module whose `render(result, options)` writes it."""


PANEL_REPORTERS: dict[str, str] = {
    "html": "loti_cli.report.panel_html",
    "markdown": "loti_cli.report.panel_markdown",
}
"""`loti report --format NAME`: the module whose `render(pack, options)` writes the pack."""


def reporter(table: dict[str, str], name: str) -> Callable[[Any, RenderOptions], str]:
    """The `render` function of format `name` in `table`."""
    module = importlib.import_module(table[name])
    render: Callable[[Any, RenderOptions], str] = module.render
    return render
