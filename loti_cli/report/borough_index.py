"""`loti report borough --all`: the index page that links every member's statement."""

from __future__ import annotations

from urllib.parse import quote

from loti_cli.core.money import format_money
from loti_cli.pipeline.boroughs import Statements
from loti_cli.report.borough_html import footer, header, page, spent_text
from loti_cli.report.panel_html import _table as table
from loti_cli.report.svg import escape


def render_index(result: Statements, files: list[str]) -> str:
    """A table of the members, each linked to its file (names from `file_names`)."""
    rows = [
        [
            f'<a href="{escape(quote(file))}">{escape(member.name)}</a>',
            escape(member.kind),
            format_money(member.fee),
            str(len(member.leads)),
            str(len(member.delivers)),
            str(len(member.supports)),
            format_money(member.loti_funding),
            escape(spent_text(member)),
            str(len(member.pipeline)),
        ]
        for member, file in zip(result.members, files, strict=True)
    ]
    idle = sum(1 for member in result.members if member.idle)
    note = (
        f'<p class="sev-warning">{idle} member{"s" if idle != 1 else ""} with no approved or '
        "submitted project (BR1).</p>\n"
        if idle
        else ""
    )
    body = [
        header(result, "Member statements", f"What each member gets, {result.financial_year}"),
        "<main>",
        '<section id="members">\n<h2>Members</h2>\n'
        f'<p class="lead">{len(result.members)} members; their fees add up to '
        f"{format_money(result.expected_membership)}. Each name opens its statement.</p>\n"
        + note
        + table(
            [
                "Member",
                "Kind",
                "Fee",
                "Leads",
                "Delivers",
                "Supports",
                "LOTI funding",
                "Spent to date",
                "Pipeline",
            ],
            rows,
            "Members",
            numeric={2, 3, 4, 5, 6, 7, 8},
            css="stack",
        )
        + "\n</section>",
        "</main>",
        footer(result),
    ]
    return page(f"Member statements {result.financial_year}", body)
