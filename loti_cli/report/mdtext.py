"""Markdown escaping, so that text from a file cannot break a table or start formatting."""

from __future__ import annotations

import re

from loti_cli.core.findings import one_line

_SPECIAL = re.compile(r"([\\`*_\[\]<>|&])")


def cell(text: object) -> str:
    """Text from a file for one table cell: one printable line, markdown specials escaped.

    (`&` too, so that an entity such as `&#124;` in a title shows as written.)
    """
    value = _SPECIAL.sub(r"\\\1", one_line(text))
    return " ".join(value.split())


def table(header: list[str], body: list[list[str]], align: str = "") -> str:
    """A markdown table; `align` holds one of l, r per column (default left)."""
    marks = [("---:" if (align[i : i + 1] == "r") else "---") for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in body)
    return "\n".join(lines) + "\n"
