"""The cells every `loti projects` format shares: percentages, counts, measures, why, RAG words."""

from __future__ import annotations

from decimal import Decimal

from loti_cli.core.delivery import MeasureNote
from loti_cli.core.projects import Project
from loti_cli.pipeline.projects import ProjectsResult

ON_TARGET = (
    "A measure is on target when its actual is at or past its target, in the direction from "
    "its baseline to its target (a falling target is reached at or below it)."
)
"""What `measures on target` counts, said under every format a person reads."""

RAG_WORDS = {"red": "Red", "amber": "Amber", "green": "Green"}


def pct(value: Decimal | None) -> str:
    """`45.2` as `45.2%`; `-` when not known."""
    return f"{value}%" if value is not None else "-"


def pct_json(value: Decimal | None) -> str | None:
    """A percentage as the JSON writes it: a string with one decimal, or null."""
    return f"{value:.1f}" if value is not None else None


def of(done: int, whole: int) -> str:
    return f"{done}/{whole}"


DIGITS = 20
"""A measure's value is written out in full up to this many digits either side of the point."""


def number(value: Decimal | None) -> str:
    """A measure's value as written (`14`, `3.5`), `?` when absent."""
    if value is None:
        return "?"
    if not -DIGITS <= value.adjusted() <= DIGITS:  # too long to write out digit by digit
        return str(value)  # 1E+99999999, as Decimal writes it
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def measure_line(measure: MeasureNote) -> str:
    """`baseline → actual → target unit`: where a measure started, is, and aims to be."""
    unit = f" {measure.unit}" if measure.unit else ""
    actual = number(measure.actual) if measure.actual is not None else "not measured"
    return f"{number(measure.baseline)} → {actual} → {number(measure.target)}{unit}"


def period_label(result: ProjectsResult) -> str:
    """`Month 6 (to 30 September 2020)`."""
    return f"Month {result.month} (to {result.end.day} {result.end:%B %Y})"


def counts(projects: list[Project]) -> str:
    """`9 projects: 6 green, 2 amber, 1 red`."""
    tally = {rag: sum(1 for p in projects if p.rag == rag) for rag in ("green", "amber", "red")}
    noun = "project" if len(projects) == 1 else "projects"
    return f"{len(projects)} {noun}: " + ", ".join(f"{n} {rag}" for rag, n in tally.items())
