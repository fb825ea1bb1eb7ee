"""The panel pack's delivery section: each approved project's phase, spend against award, RAG
and measures, in HTML (a bar per project, as inline SVG) and in markdown."""

from __future__ import annotations

from decimal import Decimal

from loti_cli.core.money import format_money
from loti_cli.core.projects import Project
from loti_cli.pipeline.panel import PanelPack, long_date
from loti_cli.report.mdtext import cell, table
from loti_cli.report.projects_cells import ON_TARGET, RAG_WORDS, measure_line, of, pct
from loti_cli.report.svg import escape

SPENT, OVER, TRACK, TIME = "#2a6f97", "#b42318", "#e4e7eb", "#1b1f24"
"""The bar's colours: spend, spend past the award, the award, and the time elapsed mark."""

RULES = (
    "Red: spent more than the award, a milestone overdue by more than 30 days, or not closed "
    "more than 30 days after its end. Amber: spent % ahead of time elapsed % by more than 20 "
    "points, or a milestone overdue. Green otherwise."
)


def _lead(pack: PanelPack) -> str:
    day = f" at {long_date(pack.delivery_day)}" if pack.delivery_day else ""
    return f"The year's approved projects{day}: spend against the award, time, milestones and "


def html_section(pack: PanelPack) -> str:
    """`<section id="delivery">`: a table (a card per project on a phone), or a sentence."""
    from loti_cli.report.panel_html import _table

    head = '<section id="delivery">\n<h2>Delivery</h2>\n'
    if not pack.delivery:
        return head + "<p>No approved projects in this year.</p>\n</section>"
    rows = [
        [
            f"<code>{escape(item.id)}</code> {escape(item.title)}",
            escape(item.phase or "—"),
            _spend(item),
            f"{of(item.milestones_done, item.milestones_total)} done"
            + (
                f', <span class="sev-warning">{len(item.overdue)} overdue</span>'
                if item.overdue
                else ""
            ),
            _rag(item),
            _measures(item),
        ]
        for item in pack.delivery
    ]
    lead = (
        f'<p class="lead">{escape(_lead(pack))}measures (baseline → actual → target). The bar '
        "is the award, filled with what is spent of it; its mark is the time elapsed. "
        f"{escape(RULES)} {escape(ON_TARGET)}</p>\n"
    )
    grid = _table(
        ["Project", "Phase", "Spent of award", "Milestones", "RAG", "Measures"],
        rows,
        "Delivery",
        css="delivery stack",
        columns=("project", "phase", "spend", "milestones", "rag", "measures"),
    )
    return head + lead + grid + "\n</section>"


def _spend(item: Project) -> str:
    """A bar of the award with what is spent of it and a mark at the time elapsed, then the
    same in words (the bar is an image with that text as its name)."""
    share = item.spent_pct if item.spent_pct is not None else Decimal(0)
    over = item.spent > item.award
    width = min(max(share, Decimal(0)), Decimal(100))
    words = f"{format_money(item.spent)} of {format_money(item.award)} ({pct(item.spent_pct)})"
    label = f"Spent {words}"
    mark = ""
    if item.elapsed_pct is not None:
        label += f"; {pct(item.elapsed_pct)} of the time elapsed"
        x = item.elapsed_pct
        mark = f'<line x1="{x}" y1="0" x2="{x}" y2="10" stroke="{TIME}" stroke-width="1.5"/>'
    return (
        f'<svg class="spend-bar" viewBox="0 0 100 10" preserveAspectRatio="none" role="img" '
        f'aria-label="{escape(label)}"><rect width="100" height="10" fill="{TRACK}"/>'
        f'<rect width="{width}" height="10" fill="{OVER if over else SPENT}"/>{mark}</svg>'
        f'<span class="spend-text{" sev-error" if over else ""}">{escape(words)}</span>'
    )


def _rag(item: Project) -> str:
    why = f'<span class="counts">{escape("; ".join(item.why))}</span>' if item.why else ""
    return f'<span class="rag rag-{item.rag}">{RAG_WORDS[item.rag]}</span>{why}'


def _measures(item: Project) -> str:
    if not item.measures:
        return "—"
    return "".join(
        f'<span class="measure">{escape(m.name)}: {escape(measure_line(m))}'
        f"{' (on target)' if m.on_target else ''}</span>"
        for m in item.measures
    )


def markdown_section(pack: PanelPack) -> str:
    """`## Delivery` and a table of the approved projects."""
    head = "## Delivery\n"
    if not pack.delivery:
        return head + "\nNo approved projects in this year.\n"
    body = [
        [
            f"{cell(item.id)} {cell(item.title)}",
            cell(item.phase or "—"),
            f"{format_money(item.spent)} of {format_money(item.award)} ({pct(item.spent_pct)})",
            pct(item.elapsed_pct),
            f"{of(item.milestones_done, item.milestones_total)} done, {len(item.overdue)} overdue",
            f"**{RAG_WORDS[item.rag]}**" + (f": {cell('; '.join(item.why))}" if item.why else ""),
            "; ".join(
                cell(f"{m.name}: {measure_line(m)}{' (on target)' if m.on_target else ''}")
                for m in item.measures
            )
            or "—",
        ]
        for item in pack.delivery
    ]
    header = ["Project", "Phase", "Spent of award", "Time", "Milestones", "RAG", "Measures"]
    return (
        f"{head}\n{_lead(pack)}measures (baseline → actual → target). {RULES} {ON_TARGET}\n\n"
        + table(header, body, "lllrlll")
    )
