"""An inline SVG line chart of cumulative actual spend against cumulative profile, by month.

Drawn 480 pixels wide, so that it is shown at its own size on a 400-pixel phone (scaled
to fit) and larger on A4. The profile is a dashed line and the actual a solid line with
a dot each month, so the chart reads in black and white; each line is also named in
text, each dot has a <title>, and the chart a <title> and <desc> that give its figures.
Nothing is fetched and nothing runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal

from loti_cli.core.money import Money, format_money
from loti_cli.core.values import MONTH_NAMES
from loti_cli.report.svg import FONT, escape

WIDTH = 480
HEIGHT = 250
LEFT = 56
RIGHT = 12
TOP = 30
BOTTOM = 26
Place = Callable[[int], Decimal]
Height = Callable[[Decimal], Decimal]
PROFILE = "#5b6b7b"
ACTUAL = "#1d3557"


def _top(values: Sequence[Decimal]) -> Decimal:
    """The axis' top: 1, 2 or 5 times a power of ten, at least the largest value."""
    largest = max([*values, Decimal(1)])
    step = Decimal(1)
    while True:
        for factor in (1, 2, 5):
            if step * factor >= largest:
                return step * factor
        step *= 10


def short(value: Decimal) -> str:
    """`£1.2m`, `£400k`, `£750`: an axis label (the figures themselves are in the table)."""
    if value >= 1_000_000:
        return f"£{(value / 1_000_000).normalize():f}m"
    if value >= 1000:
        return f"£{(value / 1000).normalize():f}k"
    return f"£{value.normalize():f}"


def spend_chart(ident: str, title: str, months: Sequence[tuple[Money, Money | None]]) -> str:
    """Cumulative profile (every month) and actual (months with a figure) as one <svg>."""
    profile = [planned.amount for planned, _ in months]
    actual = [spent.amount for _, spent in months if spent is not None]
    top = _top([*profile, *(abs(value) for value in actual)])
    plot_w = Decimal(WIDTH - LEFT - RIGHT)
    plot_h = Decimal(HEIGHT - TOP - BOTTOM)
    step = plot_w / max(len(months) - 1, 1)

    def x(index: int) -> Decimal:
        return (LEFT + step * index).quantize(Decimal("0.1"))

    def y(value: Decimal) -> Decimal:
        return (TOP + plot_h - plot_h * max(value, Decimal(0)) / top).quantize(Decimal("0.1"))

    body = [_axes(top, x, y, len(months))]
    body.append(_line(profile, x, y, PROFILE, dashed=True))
    body.append(_line(actual, x, y, ACTUAL, dashed=False))
    for index, value in enumerate(actual):
        month = MONTH_NAMES[index]
        tip = f"{month}: actual {format_money(Money(value))}, profile {format_money(months[index][0])}"
        body.append(
            f'<circle cx="{x(index)}" cy="{y(value)}" r="3.5" fill="{ACTUAL}">'
            f"<title>{escape(tip)}</title></circle>"
        )
    body.append(_legend())
    latest = len(actual)
    description = (
        f"Cumulative spend by month against the cumulative profile. {_said(months, latest)}"
    )
    return (
        f'<svg class="chart spend-chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" aria-labelledby="{ident}-title {ident}-desc" '
        f'font-family="{escape(FONT)}" font-size="11">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _said(months: Sequence[tuple[Money, Money | None]], latest: int) -> str:
    """The figures of the chart in words, month by month up to the latest actual."""
    parts = []
    for index, (planned, spent) in enumerate(months[:latest]):
        assert spent is not None
        parts.append(
            f"{MONTH_NAMES[index]}: actual {format_money(spent)}, profile {format_money(planned)}."
        )
    parts.append(f"Profile for the year: {format_money(months[-1][0])}." if months else "")
    return " ".join(part for part in parts if part)


def _axes(top: Decimal, x: Place, y: Height, count: int) -> str:
    parts = []
    for value in (Decimal(0), top / 2, top):
        at = y(value)
        parts.append(
            f'<line x1="{LEFT}" y1="{at}" x2="{WIDTH - RIGHT}" y2="{at}" stroke="#d5dbe1" '
            'stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{at}" text-anchor="end" dominant-baseline="central" '
            f'fill="#3d4752">{escape(short(value))}</text>'
        )
    for index in range(count):
        parts.append(
            f'<text x="{x(index)}" y="{HEIGHT - 8}" text-anchor="middle" fill="#3d4752">'
            f"{escape(MONTH_NAMES[index][:3])}</text>"
        )
    return "".join(parts)


def _line(values: Sequence[Decimal], x: Place, y: Height, colour: str, *, dashed: bool) -> str:
    if not values:
        return ""
    points = " ".join(f"{x(index)},{y(value)}" for index, value in enumerate(values))
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    return (
        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"'
        f'{dash} stroke-linejoin="round"/>'
    )


def _legend() -> str:
    return (
        f'<line x1="{LEFT}" y1="12" x2="{LEFT + 26}" y2="12" stroke="{PROFILE}" '
        'stroke-width="2.5" stroke-dasharray="6 4"/>'
        f'<text x="{LEFT + 32}" y="12" dominant-baseline="central" fill="#1b1f24">'
        "Profile (plan)</text>"
        f'<line x1="{LEFT + 140}" y1="12" x2="{LEFT + 166}" y2="12" stroke="{ACTUAL}" '
        'stroke-width="2.5"/>'
        f'<circle cx="{LEFT + 153}" cy="12" r="3.5" fill="{ACTUAL}"/>'
        f'<text x="{LEFT + 172}" y="12" dominant-baseline="central" fill="#1b1f24">'
        "Actual</text>"
    )
