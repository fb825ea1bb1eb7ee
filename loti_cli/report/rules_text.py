"""`loti rules` as text: every rule in a table, or everything said about one rule."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from loti_cli.commands.catalogue import Explained, Facts
    from loti_cli.report import RenderOptions

WIDTH = 79
"""Explanations are wrapped to this width, the same on every terminal and in a pipe."""


def render(result: Sequence[Facts] | Explained, options: RenderOptions) -> str:
    """The rules listed (a sequence, in order), or one rule explained."""
    if isinstance(result, Sequence):
        return listing(result)
    return explain(result)


HEADERS = ("Code", "Name", "Severity", "Summary")


def listing(ordered: Sequence[Facts]) -> str:
    """The rules as a plain table, then how to read one."""
    rows = [(rule.code, rule.name, str(rule.severity), rule.summary) for rule in ordered]
    return f"{plain_table(HEADERS, rows)}\n\n`loti rules CODE` explains a rule, with examples.\n"


def plain_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Text in columns as tabulate's "simple" format lays it out (left-aligned, two spaces
    between columns, the header underlined), without importing tabulate, whose import is a
    fifth of what `loti rules` costs. Cells are one line each (rule names and summaries);
    no line ends in spaces."""
    widths = [
        max(len(header) + 2, *(len(row[index]) for row in rows))
        for index, header in enumerate(headers)
    ]

    def line(cells: Sequence[str]) -> str:
        padded = (cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
        return "  ".join(padded).rstrip()

    ruled = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers), ruled, *(line(row) for row in rows)])


def explain(rule: Explained) -> str:
    """Everything `loti rules CODE` says about one rule."""
    waivable = "can be waived by a funding panel" if rule.waivable else "cannot be waived"
    parts = [
        f"{rule.code} {rule.name} ({rule.severity}, {rule.subject} rule; {waivable})",
        textwrap.fill(rule.summary[:1].upper() + rule.summary[1:] + ".", WIDTH),
        "\n\n".join(
            textwrap.fill(paragraph, WIDTH) for paragraph in rule.explanation.split("\n\n")
        ),
        "Passes:\n\n" + textwrap.indent(rule.passing, "    "),
        "Fails:\n\n" + textwrap.indent(rule.failing, "    "),
    ]
    return "\n\n".join(parts) + "\n"
