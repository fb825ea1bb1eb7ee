"""Markdown escaping, so that text from a file cannot break a table or start formatting."""

from __future__ import annotations

import re

_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")


def cell(text: object) -> str:
    """Text for one markdown table cell: specials escaped, line breaks folded."""
    value = "" if text is None else str(text)
    value = _SPECIAL.sub(r"\\\1", value)
    return " ".join(value.split())


def table(header: list[str], body: list[list[str]], align: str = "") -> str:
    """A markdown table; `align` holds one of l, r per column (default left)."""
    marks = [("---:" if (align[i : i + 1] == "r") else "---") for i in range(len(header))]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(marks) + " |"]
    lines.extend("| " + " | ".join(row) + " |" for row in body)
    return "\n".join(lines) + "\n"
