"""Inline SVG bar charts, by hand: every text escaped, labelled for print and screen readers.

A chart is a list of groups (a pillar, say), each a few horizontal bars (its
allocation, what is approved, ...). Every bar carries its own label and its
value as text beside it, so the chart reads in black and white on paper and
needs no legend; each bar also has a <title> (a tooltip, and what a screen
reader announces), and the chart a <title> and <desc>. Nothing is fetched,
nothing runs: no scripts, no links, no external fonts.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

WIDTH = 700
"""Drawing width in CSS pixels: about the 180 mm between A4 margins of 15 mm."""

LABEL_WIDTH = 132
VALUE_WIDTH = 150
BAR_HEIGHT = 16
BAR_GAP = 6
HEADING_HEIGHT = 22
GROUP_GAP = 10
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"

_STEP = Decimal("0.1")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def escape(text: object) -> str:
    """Text from anywhere, safe in SVG and HTML text and attributes (control characters dropped)."""
    return html.escape(_CONTROL.sub("", "" if text is None else str(text)), quote=True)


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar: what it is, how long, and the value printed beside it."""

    label: str
    """Shown left of the bar, e.g. "Approved"."""
    value: Decimal
    """Its length; a negative value (an over-commitment) is drawn as long as its size."""
    text: str
    """The value as a reader sees it, e.g. "£145,000"."""
    colour: str
    """A hex colour such as #2a6f97."""
    note: str = ""
    """Added to the bar's tooltip and accessible name, e.g. "over-committed"."""


@dataclass(frozen=True, slots=True)
class Group:
    """Bars that belong together, under a heading (none when `label` is empty)."""

    label: str
    bars: tuple[Bar, ...]


def bar_chart(ident: str, title: str, description: str, groups: Sequence[Group]) -> str:
    """An accessible horizontal bar chart as one <svg> element.

    `ident` makes the ids of its <title> and <desc> unique on the page; it must be
    a plain name (letters, digits, `-`).
    """
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9-]*", ident):
        raise ValueError(f"chart ident {ident!r} is not a plain name")
    values = [abs(bar.value) for group in groups for bar in group.bars]
    scale = max(values, default=Decimal(0))
    plot = Decimal(WIDTH - LABEL_WIDTH - VALUE_WIDTH)
    body: list[str] = []
    y = 0
    for group in groups:
        if group.label:
            body.append(
                f'<text x="0" y="{y + 15}" font-size="13" font-weight="600" fill="#1b1f24">'
                f"{escape(_shorten(group.label, 90))}</text>"
            )
            y += HEADING_HEIGHT
        top = y
        for bar in group.bars:
            body.append(_bar(bar, group.label, y, scale, plot))
            y += BAR_HEIGHT + BAR_GAP
        if group.bars:
            # The zero line, beside this group's bars only (not through its heading).
            body.append(
                f'<line x1="{LABEL_WIDTH}" y1="{top - 2}" x2="{LABEL_WIDTH}" '
                f'y2="{y - BAR_GAP + 2}" stroke="#9aa4af" stroke-width="1"/>'
            )
        y += GROUP_GAP
    height = max(y - GROUP_GAP - BAR_GAP + 2, 1)
    return (
        f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{escape(FONT)}" font-size="12">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _bar(bar: Bar, group: str, y: int, scale: Decimal, plot: Decimal) -> str:
    if not _COLOUR.match(bar.colour):
        raise ValueError(f"bar colour {bar.colour!r} is not a hex colour")
    length = (abs(bar.value) / scale * plot).quantize(_STEP) if scale else Decimal(0)
    if bar.value and length < 1:
        length = Decimal(1)  # a small amount is still visible, not mistaken for nothing
    middle = y + BAR_HEIGHT / 2
    name = f"{group}: " if group else ""
    note = f" ({bar.note})" if bar.note else ""
    tip = f"{name}{bar.label} {bar.text}{note}"
    value_fill = "#b42318" if bar.value < 0 else "#1b1f24"
    return (
        "<g>"
        f"<title>{escape(tip)}</title>"
        f'<text x="{LABEL_WIDTH - 8}" y="{middle}" text-anchor="end" dominant-baseline="central" '
        f'fill="#3d4752">{escape(_shorten(bar.label, 20))}</text>'
        f'<rect x="{LABEL_WIDTH}" y="{y}" width="{length}" height="{BAR_HEIGHT}" rx="2" '
        f'fill="{bar.colour}"/>'
        f'<text x="{LABEL_WIDTH + length + Decimal(6)}" y="{middle}" dominant-baseline="central" '
        f'font-weight="600" fill="{value_fill}">{escape(bar.text + note)}</text>'
        "</g>"
    )


def _shorten(text: str, limit: int) -> str:
    """At most `limit` characters, so a long name cannot run off the chart (its title has all)."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
