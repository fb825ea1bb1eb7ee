"""The panel pack's participation matrix: members by approved projects, with each one's role.

A table, compact enough for a phone: one row per member, one narrow column per
approved proposal (its id written upwards), and in each cell the member's role
as a letter (L lead, D delivery, S supporter) with the word for assistive
technology. Every text from a file is escaped.
"""

from __future__ import annotations

from loti_cli.pipeline.boroughs import Participation
from loti_cli.report.mdtext import cell, table
from loti_cli.report.svg import escape

LETTERS = {"lead": "L", "delivery": "D", "supporter": "S"}
LEGEND = "L: leads, D: delivers, S: supports"


def html(matrix: Participation | None) -> str:
    """The matrix as a section of the pack ("" when there is no matrix to show)."""
    if matrix is None:
        return ""
    head = '<section id="participation">\n<h2>Who takes part in the approved projects</h2>\n'
    if not matrix.projects or not matrix.members:
        return head + "<p>No approved project yet.</p>\n</section>"
    columns = "".join(
        f'<th scope="col" class="pid"><span title="{escape(title)}">{escape(ident)}</span></th>'
        for ident, title in matrix.projects
    )
    rows = []
    for row, member in enumerate(matrix.members):
        cells = []
        for column in range(len(matrix.projects)):
            role = matrix.roles.get((row, column))
            if role is None:
                cells.append('<td class="role"></td>')
            else:
                letter = LETTERS.get(role, "?")
                cells.append(
                    f'<td class="role role-{escape(role)}">'
                    f'<abbr title="{escape(role)}">{letter}</abbr></td>'
                )
        rows.append(f'<tr><th scope="row">{escape(member)}</th>{"".join(cells)}</tr>')
    return (
        head
        + f'<p class="lead">Each member\'s role in each approved proposal: {LEGEND}.</p>\n'
        + '<div class="table-wrap" role="region" aria-label="Participation" tabindex="0">\n'
        + '<table class="matrix">\n'
        + f'<thead><tr><th scope="col">Member</th>{columns}</tr></thead>\n<tbody>\n'
        + "\n".join(rows)
        + "\n</tbody>\n</table>\n</div>\n</section>"
    )


def markdown(matrix: Participation | None) -> str:
    """The matrix as a markdown table ("" when there is no matrix to show)."""
    if matrix is None:
        return ""
    heading = "## Who takes part in the approved projects\n"
    if not matrix.projects or not matrix.members:
        return heading + "\nNo approved project yet.\n"
    body = [
        [
            cell(member),
            *(
                LETTERS.get(matrix.roles.get((row, column), ""), "")
                for column in range(len(matrix.projects))
            ),
        ]
        for row, member in enumerate(matrix.members)
    ]
    header = ["Member", *(cell(ident) for ident, _ in matrix.projects)]
    return f"{heading}\n{LEGEND}.\n\n" + table(header, body, "l" + "c" * len(matrix.projects))
