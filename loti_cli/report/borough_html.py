"""`loti report borough`: one member's statement as a self-contained page that prints on A4.

The panel pack's conventions (panel_html): inline style and inline SVG only, no
script, nothing fetched; every text from a file escaped; tables that show one
card per row on a phone. A link to an output is made only for an http(s) address.
"""

from __future__ import annotations

from decimal import Decimal

from loti_cli.core.money import Money, format_money
from loti_cli.pipeline.boroughs import MemberStatement, Project, Reusable, Statement, Statements
from loti_cli.pipeline.panel import long_date
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions
from loti_cli.report.panel_html import COLOURS, STYLE
from loti_cli.report.panel_html import _table as table
from loti_cli.report.svg import Bar, Group, bar_chart, escape

NO_ACTUALS = "no actuals"
"""What stands for spend to date when the year has no actuals file (never £0)."""

ROLE_NAMES = {"lead": "leads", "delivery": "delivers", "supporter": "supports"}


def render(result: MemberStatement, options: RenderOptions | None = None) -> str:
    """The whole page."""
    year, member = result.year, result.member
    body = [
        _header(year, member),
        "<main>",
        _summary(year, member),
        _part(member),
        _projects(member),
        _pipeline(member),
        _outputs(year),
        "</main>",
        footer(year),
    ]
    return page(f"{member.name}: LOTI membership {year.financial_year}", body)


def page(title: str, body: list[str]) -> str:
    """A page with the panel pack's style sheet around the parts of `body`."""
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n"
        f"<style>\n{STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + "\n</body>\n</html>\n"
    )


def header(year: Statements, kicker: str, title: str) -> str:
    """The heading of a statement or of the index: what, which year, from which ledger."""
    facts = []
    if year.ledger_name:
        facts.append(escape(year.ledger_name))
    if year.as_of:
        facts.append(f"figures as of {long_date(year.as_of)}")
    facts.append(f"ledger <code>{escape(year.ledger_path)}</code>")
    lines = [
        "<header>",
        f'<p class="kicker">{escape(kicker)} · financial year {escape(year.financial_year)}</p>',
        f"<h1>{escape(title)}</h1>",
        f'<p class="meta">{" · ".join(facts)}</p>',
    ]
    if year.uncounted:
        lines.append(f'<p class="sev-error">{escape(incomplete_note(year.uncounted))}</p>')
    lines.append("</header>")
    return "\n".join(lines)


def _header(year: Statements, member: Statement) -> str:
    kind = "Member statement" if member.kind == "borough" else "Partner statement"
    return header(year, kind, member.name)


def spent_text(member: Statement) -> str:
    return format_money(member.spent_to_date) if member.spent_to_date is not None else NO_ACTUALS


def _summary(year: Statements, member: Statement) -> str:
    fee_note = f"GSS code {member.gss}; excluding VAT" if member.gss else "a partner's contribution"
    spent_note = f"from {year.actuals}" if year.actuals else "the year has no actuals file yet"
    cards = [
        ("fee", "Membership fee", format_money(member.fee), fee_note),
        (
            "funding",
            "LOTI funding in its projects",
            format_money(member.loti_funding),
            "approved projects it leads or delivers",
        ),
        (
            "value",
            "Total value of its projects",
            format_money(member.total_value),
            "LOTI and external funding",
        ),
        ("spent", "Spent to date", spent_text(member), spent_note),
        (
            "outputs",
            "Outputs it can reuse",
            str(len(year.outputs)),
            "gifted by every approved project",
        ),
    ]
    items = "\n".join(
        f'<div class="figure figure-{key}"><dt>{escape(label)}</dt>'
        f'<dd class="amount">{escape(value)}</dd><dd class="note">{escape(note)}</dd></div>'
        for key, label, value, note in cards
    )
    lead = (
        '<p class="lead">LOTI pools its members\' fees: every member shares in what every '
        "project makes. This statement shows what this member takes part in and what it can "
        "reuse, not a return on its fee.</p>"
    )
    return (
        f'<section id="summary">\n<h2>The year at a glance</h2>\n{lead}\n'
        f'<dl class="figures">\n{items}\n</dl>\n</section>'
    )


def _part(member: Statement) -> str:
    counts = [
        ("Leads", len(member.leads)),
        ("Delivers", len(member.delivers)),
        ("Supports", len(member.supports)),
        ("Pipeline", len(member.pipeline)),
    ]
    colours = (COLOURS["allocated"], COLOURS["approved"], COLOURS["estimated"], COLOURS["pipeline"])
    bars = tuple(
        Bar(label, Decimal(count), _proposals(count), colour)
        for (label, count), colour in zip(counts, colours, strict=True)
    )
    description = "; ".join(f"{label}: {_proposals(count)}" for label, count in counts) + "."
    chart = bar_chart(
        "part-chart", f"{member.name}'s part in the year's projects", description, [Group("", bars)]
    )
    caption = (
        "Leads, delivers, supports: approved proposals with this member in that role. "
        "Pipeline: submitted proposals that name it."
    )
    if member.idle:
        caption = (
            "No approved or submitted proposal of the year names this member (BR1). " + caption
        )
    parts = [f'<figure class="chart">{chart}<figcaption>{escape(caption)}</figcaption></figure>']
    funded = member.funded
    if funded:
        groups = [
            Group(
                f"{p.id} {p.title}",
                (
                    _bar("LOTI funding", p.requested, COLOURS["approved"]),
                    _bar("Total value", p.total_cost, COLOURS["allocated"]),
                ),
            )
            for p in funded
        ]
        text = " ".join(
            f"{p.id}: LOTI funding {format_money(p.requested)}, total value "
            f"{format_money(p.total_cost)}."
            for p in funded
        )
        chart = bar_chart("value-chart", "The projects it leads or delivers", text, groups)
        parts.append(
            f'<figure class="chart">{chart}<figcaption>LOTI funding and the total value '
            "(LOTI and external funding) of each approved project it leads or delivers."
            "</figcaption></figure>"
        )
    return (
        '<section id="part">\n<h2>Its part in the year\'s projects</h2>\n'
        + "\n".join(parts)
        + "\n</section>"
    )


def _bar(label: str, amount: Money, colour: str) -> Bar:
    return Bar(label, Decimal(amount.amount), format_money(amount), colour)


def _proposals(count: int) -> str:
    return f"{count} proposal{'s' if count != 1 else ''}"


def _projects(member: Statement) -> str:
    head = '<section id="projects">\n<h2>Approved projects</h2>\n'
    projects = [*member.leads, *member.delivers, *member.supports]
    if not projects:
        return (
            head
            + "<p>It leads, delivers and supports no approved project this year.</p>\n</section>"
        )
    rows = [_row(p, ROLE_NAMES.get(p.role, p.role)) for p in projects]
    return (
        head + '<p class="lead">Its figures count the projects it leads or delivers; a project it '
        "supports is shown with its amounts, which its figures do not count.</p>\n"
        + table(
            ["Proposal", "Title", "Pillar", "Role", "LOTI funding", "Total value"],
            rows,
            "Approved projects",
            numeric={4, 5},
            css="stack",
        )
        + "\n</section>"
    )


def _row(project: Project, role: str) -> list[str]:
    return [
        f"<code>{escape(project.id)}</code>",
        escape(project.title),
        escape(project.pillar) if project.pillar else "—",
        escape(role),
        format_money(project.requested),
        format_money(project.total_cost),
    ]


def _pipeline(member: Statement) -> str:
    head = '<section id="pipeline">\n<h2>Pipeline</h2>\n'
    if not member.pipeline:
        return head + "<p>No submitted proposal names it.</p>\n</section>"
    rows = [_row(p, ROLE_NAMES.get(p.role, p.role)) for p in member.pipeline]
    return (
        head
        + '<p class="lead">Submitted proposals that name it, waiting for a funding panel.</p>\n'
        + table(
            ["Proposal", "Title", "Pillar", "Role", "Requested", "Total value"],
            rows,
            "Pipeline",
            numeric={4, 5},
            css="stack",
        )
        + "\n</section>"
    )


def _outputs(year: Statements) -> str:
    head = '<section id="outputs">\n<h2>Outputs it can reuse</h2>\n'
    if not year.outputs:
        return head + "<p>No approved project of the year has gifted an output yet.</p>\n</section>"
    rows = [_output_row(output) for output in year.outputs]
    return (
        head + '<p class="lead">Every approved project of the year gifts its outputs to LOTI '
        "under an open licence, for every member to reuse.</p>\n"
        + table(
            ["Output", "Licence", "Where", "From"],
            rows,
            "Outputs it can reuse",
            nowrap={1},
            css="stack",
        )
        + "\n</section>"
    )


def _output_row(output: Reusable) -> list[str]:
    url = output.url
    if url and url.startswith(("https://", "http://")):
        where = f'<a href="{escape(url)}">{escape(url)}</a>'
    else:
        where = escape(url) if url else "—"
    return [
        escape(output.name),
        f"<code>{escape(output.licence)}</code>" if output.licence else "—",
        where,
        f"<code>{escape(output.proposal)}</code> {escape(output.title)}",
    ]


def footer(year: Statements) -> str:
    return (
        f"<footer>Prepared with loti from the ledger <code>{escape(year.ledger_path)}</code> "
        "and the year's proposals"
        + (f" and actuals <code>{escape(year.actuals)}</code>" if year.actuals else "")
        + ". Fees are the ledger's; every amount is recomputed from the proposals.</footer>"
    )
