"""`loti report`: the panel pack as one self-contained HTML page that prints on A4.

Inline style and inline SVG only: no script, no link, no font or image is
fetched, so the file can be mailed, archived and opened offline. Every piece of
text that comes from a file goes through `escape` (html.escape with quotes,
control characters dropped); the output depends only on its input, so that a
golden file can pin it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from importlib.resources import files

from loti_cli.core.findings import Finding, Severity
from loti_cli.core.money import Money, format_money
from loti_cli.pipeline.panel import PanelPack, ProposalEntry, WaiverEntry, long_date
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions, panel_ranking, participation
from loti_cli.report.panel_delivery import html_section as delivery_html
from loti_cli.report.panel_monitoring import html_section as monitoring_html
from loti_cli.report.svg import Bar, Group, bar_chart, escape

COLOURS = {
    "allocated": "#1d3557",
    "approved": "#2a6f97",
    "pipeline": "#e09f3e",
    "headroom": "#2d936c",
    "negative": "#b42318",
    "estimated": "#8d99ae",
    "committed": "#2a6f97",
    "paid": "#1d3557",
    "total": "#4a5561",
}
"""Bar colours; each bar is labelled in text too, so the chart reads without them."""

STYLE = files("loti_cli.report").joinpath("panel.css").read_text(encoding="utf-8")
"""The page's style sheet, panel.css beside this module: screen, phone and A4 print."""


def render(pack: PanelPack, options: RenderOptions | None = None) -> str:
    """The whole page."""
    body = [
        _header(pack),
        "<main>",
        _summary(pack),
        _pillars(pack),
        _expenditure(pack),
        monitoring_html(pack, _table),
        _lines(pack),
        _ledger_findings(pack),
        _proposals(pack),
        participation.html(pack.participation),
        panel_ranking.html_section(pack.ranking, _table) if pack.ranking else "",
        delivery_html(pack),
        _details(pack),
        "</main>",
        _footer(pack),
    ]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(pack.title)}</title>\n"
        f"<style>\n{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def _header(pack: PanelPack) -> str:
    kicker = "Funding panel pack"
    if pack.financial_year:
        kicker += f" · financial year {pack.financial_year}"
    facts = []
    if pack.ledger_name:
        facts.append(escape(pack.ledger_name))
    if pack.as_of:
        facts.append(f"figures as of {long_date(pack.as_of)}")
    facts.append(f"ledger <code>{escape(pack.ledger_path)}</code>")
    lines = [
        "<header>",
        f'<p class="kicker">{escape(kicker)}</p>',
        f"<h1>{escape(pack.title)}</h1>",
        f'<p class="meta">{" · ".join(facts)}</p>',
    ]
    if pack.source:
        lines.append(f'<p class="meta">Source: {escape(pack.source)}</p>')
    if pack.prepared:
        lines.append(f'<p class="meta">Pack date: {long_date(pack.prepared)}</p>')
    if pack.uncounted:
        lines.append(f'<p class="sev-error">{escape(incomplete_note(pack.uncounted))}</p>')
    lines.append("</header>")
    return "\n".join(lines)


_KEY_FIGURES = frozenset(("income", "remaining", "unallocated"))


def _summary(pack: PanelPack) -> str:
    cards = []
    for figure in pack.figures:
        classes = ["figure", f"figure-{figure.key}"]
        if figure.key in _KEY_FIGURES:
            classes.append("key")
        if figure.amount.amount < 0:
            classes.append("negative")
        note = f'<dd class="note">{escape(figure.note)}</dd>' if figure.note else ""
        cards.append(
            f'<div class="{" ".join(classes)}"><dt>{escape(figure.label)}</dt>'
            f'<dd class="amount">{format_money(figure.amount)}</dd>{note}</div>'
        )
    return (
        '<section id="summary">\n<h2>Budget summary</h2>\n<dl class="figures">\n'
        + "\n".join(cards)
        + "\n</dl>\n</section>"
    )


def _pillars(pack: PanelPack) -> str:
    if not pack.pillars:
        return (
            '<section id="pillars">\n<h2>Allocation by pillar</h2>\n'
            "<p>No allocations.</p>\n</section>"
        )
    groups = []
    described = []
    for pillar in pack.pillars:
        headroom = pillar.headroom
        over = headroom.amount < 0
        groups.append(
            Group(
                pillar.pillar,
                (
                    _bar("Allocated", pillar.allocated, COLOURS["allocated"]),
                    _bar("Approved", pillar.approved, COLOURS["approved"]),
                    _bar("Pipeline", pillar.pipeline, COLOURS["pipeline"]),
                    _bar(
                        "Headroom",
                        headroom,
                        COLOURS["negative" if over else "headroom"],
                        "over-committed" if over else "",
                    ),
                ),
            )
        )
        described.append(
            f"{pillar.pillar}: allocated {format_money(pillar.allocated)}, approved "
            f"{format_money(pillar.approved)}, pipeline {format_money(pillar.pipeline)}, "
            f"headroom {format_money(headroom)}."
        )
    chart = bar_chart(
        "pillar-chart",
        "Allocation by pillar: allocated, approved, pipeline and headroom",
        " ".join(described),
        groups,
    )
    allocated = pack.figure("allocated").amount
    remaining = pack.figure("remaining").amount
    unallocated = pack.figure("unallocated").amount
    caption = (
        f"Allocated {format_money(allocated)} of the {format_money(remaining)} remaining; "
        f"unallocated {format_money(unallocated)}."
    )
    return (
        '<section id="pillars">\n<h2>Allocation by pillar</h2>\n'
        '<p class="lead">Approved: what approved proposals request. Pipeline: what submitted '
        "proposals request. Headroom: the allocation less what is approved.</p>\n"
        f'<figure class="chart">{chart}<figcaption>{escape(caption)}</figcaption></figure>\n'
        "</section>"
    )


def _expenditure(pack: PanelPack) -> str:
    bars = [
        _bar(name.capitalize(), amount, COLOURS.get(name, COLOURS["total"]))
        for name, amount in pack.by_status
    ]
    bars.append(_bar("Total committed", pack.total_committed, COLOURS["total"]))
    description = "; ".join(f"{bar.label} {bar.text}" for bar in bars) + "."
    chart = bar_chart(
        "expenditure-chart", "Expenditure by status", description, [Group("", tuple(bars))]
    )
    caption = (
        "Estimated: budgeted, not yet contracted. Committed: contracted, not yet paid. Paid: spent."
    )
    return (
        '<section id="expenditure">\n<h2>Expenditure by status</h2>\n'
        f'<figure class="chart">{chart}<figcaption>{caption}</figcaption></figure>\n'
        "</section>"
    )


def _lines(pack: PanelPack) -> str:
    income = [
        [escape(line.name), escape(line.kind), format_money(line.amount)] for line in pack.income
    ]
    income.append(
        ["<strong>Total income</strong>", "", f"<strong>{_money(pack, 'income')}</strong>"]
    )
    spend = [
        [
            escape(line.name),
            escape(line.kind),
            escape(line.pillar) if line.pillar else "—",
            format_money(line.amount),
        ]
        for line in pack.expenditure
    ]
    spend.append(
        [
            "<strong>Total committed</strong>",
            "",
            "",
            f"<strong>{_money(pack, 'total_committed')}</strong>",
        ]
    )
    return (
        '<section id="lines">\n<h2>Income and expenditure</h2>\n'
        + _table(["Income", "Kind", "Amount"], income, "Income", numeric={2}, css="lines")
        + "\n"
        + _table(
            ["Expenditure", "Status", "Pillar", "Amount"],
            spend,
            "Expenditure",
            numeric={3},
            css="lines",
        )
        + "\n</section>"
    )


def _money(pack: PanelPack, key: str) -> str:
    return format_money(pack.figure(key).amount)


def _bar(label: str, amount: Money, colour: str, note: str = "") -> Bar:
    return Bar(label, Decimal(amount.amount), format_money(amount), colour, note)


def _ledger_findings(pack: PanelPack) -> str:
    head = '<section id="ledger-findings">\n<h2>Ledger findings</h2>\n'
    if not pack.ledger_findings:
        return (
            head + '<p class="ok-note">No findings: every published figure adds up.</p>\n</section>'
        )
    return head + _findings_table(pack.ledger_findings, "Ledger findings") + "\n</section>"


def _proposals(pack: PanelPack) -> str:
    head = '<section id="proposals">\n<h2>Proposals</h2>\n'
    if not pack.proposals:
        where = f" in <code>{escape(pack.proposals_path)}</code>" if pack.proposals_path else ""
        return (
            head + f"<p>No proposals for this year{where}.</p>\n" + _left_out(pack) + "</section>"
        )
    count = len(pack.proposals)
    summary = (
        f"<p>{count} proposal{'s' if count != 1 else ''} checked against the funding "
        f'principles: <span class="passed">{pack.passed} passed</span>, '
        f'<span class="{"failed" if pack.failed else "passed"}">{pack.failed} failed</span>.</p>'
    )
    rows = [_proposal_row(index, entry) for index, entry in enumerate(pack.proposals, 1)]
    table = _table(
        ["Proposal", "Title", "Pillar", "Area", "Requested", "Status", "Result"],
        rows,
        "Proposals",
        numeric={4},
        css="proposals stack",
        columns=("id", "title", "pillar", "area", "requested", "status", "result"),
    )
    return head + summary + "\n" + table + "\n" + _left_out(pack) + "</section>"


def _left_out(pack: PanelPack) -> str:
    if not pack.other_years:
        return ""
    count = len(pack.other_years)
    files = ", ".join(f"<code>{escape(path)}</code>" for path in pack.other_years)
    return (
        f'<p class="lead">Not shown: {count} proposal{"s" if count != 1 else ""} of other '
        f"financial years ({files}).</p>\n"
    )


def _proposal_row(index: int, entry: ProposalEntry) -> list[str]:
    name = f"<code>{escape(entry.name)}</code>"
    if _has_details(entry):
        name = f'<a href="#proposal-{index}">{name}</a>'
    title = escape(entry.title) if entry.title else '<span class="waived">cannot be read</span>'
    status = (
        f'<span class="status status-{escape(entry.status)}">{escape(entry.status)}</span>'
        if entry.status
        else "—"
    )
    verdict = "passed" if entry.passed else "failed"
    result = f'<span class="result {verdict}">{verdict.capitalize()}</span>'
    if entry.findings:
        result += f'<span class="counts">{escape(entry.counts)}</span>'
    return [
        name,
        title,
        escape(entry.pillar) if entry.pillar else "—",
        escape(entry.area) if entry.area else "—",
        format_money(entry.requested) if entry.requested is not None else "—",
        status,
        result,
    ]


def _has_details(entry: ProposalEntry) -> bool:
    return bool(entry.findings or entry.waivers)


def _details(pack: PanelPack) -> str:
    detailed = [(i, e) for i, e in enumerate(pack.proposals, 1) if _has_details(e)]
    if not pack.proposals:
        return ""
    parts = ['<section id="details" class="details">', "<h2>Findings and waivers by proposal</h2>"]
    for index, entry in detailed:
        parts.append(_article(index, entry))
    clean = [e for e in pack.proposals if not _has_details(e)]
    if clean:
        names = ", ".join(f"<code>{escape(e.name)}</code>" for e in clean)
        parts.append(f'<p class="ok-note plain-list">No findings and no waivers: {names}.</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _article(index: int, entry: ProposalEntry) -> str:
    heading = f"<code>{escape(entry.name)}</code>"
    if entry.title:
        heading += f" {escape(entry.title)}"
    verdict = "passed" if entry.passed else "failed"
    facts = [f"<code>{escape(entry.path)}</code>"]
    if entry.status:
        facts.append(escape(entry.status))
    facts.append(f'<span class="{verdict}">{verdict}</span> ({escape(entry.counts)})')
    parts = [
        f'<article class="proposal" id="proposal-{index}">',
        f"<h3>{heading}</h3>",
        f'<p class="meta">{" · ".join(facts)}</p>',
    ]
    if entry.findings:
        parts.append("<h4>Findings</h4>")
        parts.append(_findings_table(entry.findings, f"Findings of {entry.name}"))
    if entry.waivers:
        parts.append("<h4>Waivers</h4>")
        parts.append(_waivers_table(entry.waivers, f"Waivers of {entry.name}"))
    parts.append("</article>")
    return "\n".join(parts)


def _findings_table(findings: Iterable[Finding], label: str) -> str:
    rows = []
    for finding in findings:
        severity = str(finding.severity)
        css = "sev-error" if finding.severity is Severity.ERROR else "sev-warning"
        message = escape(finding.message)
        if finding.waived:
            css = "waived"
            severity += ", waived"
            reason = finding.waiver_reason or "no reason given"
            message += f'<span class="waiver-note">Waived: {escape(reason)}</span>'
        rows.append(
            [
                f"<code>{escape(finding.code)}</code>",
                f'<span class="rule-name">{escape(finding.rule)}</span>',
                f'<span class="{css} nowrap">{escape(severity)}</span>',
                message,
                str(finding.line) if finding.line is not None else "—",
            ]
        )
    return _table(
        ["Code", "Rule", "Severity", "Message", "Line"], rows, label, numeric={4}, css="stack"
    )


def _waivers_table(waivers: Iterable[WaiverEntry], label: str) -> str:
    rows = [
        [
            f"<code>{escape(waiver.rule)}</code>",
            escape(waiver.reason) if waiver.reason else "—",
            escape(waiver.approved_by) if waiver.approved_by else "—",
            waiver.expires.isoformat() if waiver.expires else "—",
        ]
        for waiver in waivers
    ]
    return _table(
        ["Rule", "Reason", "Approved by", "Expires"], rows, label, nowrap={3}, css="stack"
    )


def _table(
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    label: str,
    *,
    numeric: frozenset[int] | set[int] = frozenset(),
    nowrap: frozenset[int] | set[int] = frozenset(),
    css: str = "",
    columns: Sequence[str] = (),
) -> str:
    """A table whose cells are already escaped HTML; `numeric` columns align right.

    `label` names it for assistive technology: it sits in a region of that name that
    scrolls sideways when the table is wider than the screen. `css` is the table's
    class ("stack" shows each row as a card on a narrow screen, each cell labelled
    with its column's heading) and `columns` names its <col>s, for column widths.
    """
    stack = "stack" in css.split()

    def attrs(column: int, cell: bool = False) -> str:
        names = "num" if column in numeric else "nowrap" if column in nowrap else ""
        text = f' class="{names}"' if names else ""
        if cell and stack:
            text += f' data-label="{escape(header[column])}"'
        return text

    head = "".join(f'<th{attrs(i)} scope="col">{escape(h)}</th>' for i, h in enumerate(header))
    body = "\n".join(
        "<tr>"
        + "".join(f"<td{attrs(i, cell=True)}>{cell}</td>" for i, cell in enumerate(row))
        + "</tr>"
        for row in rows
    )
    opening = (
        f'<div class="table-wrap" role="region" aria-label="{escape(label)}" tabindex="0">\n'
        + (f'<table class="{css}">' if css else "<table>")
    )
    if columns:
        opening += "<colgroup>" + "".join(f'<col class="c-{c}">' for c in columns) + "</colgroup>"
    return f"{opening}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>\n</div>"


def _footer(pack: PanelPack) -> str:
    where = f"the ledger <code>{escape(pack.ledger_path)}</code>"
    if pack.proposals_path:
        where += f" and the proposals in <code>{escape(pack.proposals_path)}</code>"
    return (
        f"<footer>Prepared with loti from {where}. Every figure is recomputed from the "
        "ledger's lines; every proposal is checked against the funding principles "
        "(<code>loti rules CODE</code> explains a finding).</footer>"
    )
