"""The panel pack's monitoring section, in HTML and markdown: the month's actual spend against
its profile per pillar, the forecast outturn, and a chart of cumulative spend by month."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from loti_cli.core.money import format_money
from loti_cli.core.monitoring import Monitor, Row
from loti_cli.core.values import MONTH_NAMES
from loti_cli.pipeline.panel import PanelPack, long_date
from loti_cli.report.mdtext import cell, table
from loti_cli.report.svg import escape
from loti_cli.report.svg_spend import spend_chart

HEADER = ["", "Budget", "Profile", "Actual", "Forecast", "Variance"]
"""Short headings, which label each figure when a phone shows a row as a card."""
MEANING = (
    "Profile: what the plan expects spent by the end of the month. Actual: spent to date. "
    "Forecast: the expected outturn for the year (a line's forecast, or the larger of its "
    "budget and its actual). Variance: forecast less budget."
)


def _groups(report: Monitor) -> list[tuple[str, Row]]:
    """What a panel compares: the lines, each pillar's approved proposals, the actuals that
    matched nothing, and everything."""
    rows = [("Ledger lines", report.lines_total)]
    rows.extend((f"{row.name} proposals", row) for row in report.pillars)
    rows.append(("Unmatched actuals", report.unmatched))
    rows.append(("Total", report.total))
    return rows


def _figures(row: Row) -> list[str]:
    share = f" ({row.variance_pct:.1f}%)" if row.variance_pct is not None and row.variance else ""
    return [
        format_money(row.budget),
        format_money(row.profile_to_date),
        format_money(row.actual_to_date),
        format_money(row.forecast_outturn),
        format_money(row.variance) + share,
    ]


def _flagged(report: Monitor) -> list[Row]:
    """The lines and approved proposals at amber or red, red first."""
    order = {"red": 0, "amber": 1}
    found = [row for row in report.lines if row.rag in order]
    return sorted(found, key=lambda row: order[row.rag or ""])


def _lead(pack: PanelPack, report: Monitor) -> str:
    period = report.period
    return (
        f"{period.label} ({period.name}): actual spend to {long_date(period.end)}, from "
        f"{pack.actuals_path or 'the actuals file'}. Forecast unspent at year end "
        f"{format_money(report.forecast_unspent)}; planned unspent "
        f"{format_money(report.planned_unspent)}."
    )


def html_section(pack: PanelPack, table_html: Callable[..., str]) -> str:
    """The section; empty when the year has no actuals (an invalid file stops the pack).
    `table_html` lays out a table as the rest of the pack does."""
    head = '<section id="monitoring">\n<h2>Spend to date</h2>\n'
    report = pack.monitoring
    if report is None:
        return ""
    chart = spend_chart(
        "spend-chart", "Cumulative actual spend against profile, by month", report.cumulative
    )
    parts = [
        head,
        f'<p class="lead">{escape(_lead(pack, report))} {escape(MEANING)}</p>\n',
        _html_groups(report, table_html),
        f'<figure class="chart">{chart}<figcaption>Dashed: the cumulative profile, what the '
        "plan expects spent by the end of each month. Solid, with dots: the cumulative actual "
        "spend.</figcaption></figure>\n",
        _html_months(report, table_html),
        _html_flagged(report, table_html),
        "</section>",
    ]
    return "".join(parts)


def _html_groups(report: Monitor, table_html: Callable[..., str]) -> str:
    rows = [
        [f"<strong>{escape(name)}</strong>" if name == "Total" else escape(name), *_figures(row)]
        for name, row in _groups(report)
    ]
    return table_html(HEADER, rows, "Spend to date", numeric={1, 2, 3, 4, 5}, css="stack") + "\n"


def _html_months(report: Monitor, table_html: Callable[..., str]) -> str:
    months = [
        [
            escape(MONTH_NAMES[index]),
            format_money(planned),
            format_money(spent) if spent is not None else "—",
        ]
        for index, (planned, spent) in enumerate(report.cumulative)
    ]
    header = ["Month", "Profile", "Actual"]
    label = "Cumulative spend by month"
    return table_html(header, months, label, numeric={1, 2}, css="lines") + "\n"


def _html_flagged(report: Monitor, table_html: Callable[..., str]) -> str:
    flagged = _flagged(report)
    if not flagged:
        return ""
    rows = [
        [
            escape(row.name),
            format_money(row.forecast_outturn),
            _figures(row)[4],
            f'<span class="rag rag-{row.rag}">{(row.rag or "").upper()}</span>',
        ]
        for row in flagged
    ]
    header = ["At amber or red", "Forecast", "Variance", "RAG"]
    label = "Lines and proposals at amber or red"
    return table_html(header, rows, label, numeric={1, 2}, css="stack") + "\n"


def markdown_section(pack: PanelPack) -> str:
    """The section in markdown; empty when the year has no actuals."""
    report = pack.monitoring
    if report is None:
        return ""
    parts = ["## Spend to date\n", f"{cell(_lead(pack, report))} {MEANING}\n"]
    body = [[cell(name), *_figures(row)] for name, row in _groups(report)]
    parts.append(table(["Group", *HEADER[1:]], body, "lrrrrr"))
    months = [
        [
            MONTH_NAMES[index],
            format_money(planned),
            format_money(spent) if spent is not None else "—",
        ]
        for index, (planned, spent) in enumerate(report.cumulative)
    ]
    parts.append(table(["Month (cumulative)", "Profile", "Actual"], months, "lrr"))
    flagged: Sequence[Row] = _flagged(report)
    if flagged:
        body = [
            [
                cell(row.name),
                format_money(row.forecast_outturn),
                _figures(row)[4],
                (row.rag or "").upper(),
            ]
            for row in flagged
        ]
        parts.append(table(["At amber or red", "Forecast", "Variance", "RAG"], body, "lrrl"))
    return "\n".join(parts)
