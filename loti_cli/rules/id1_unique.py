"""ID1 unique-id: no two proposal files share an id."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import AcrossContext, id_key


def _check(context: AcrossContext) -> Iterable[Hit]:
    proposal_id = context.entry.id
    if proposal_id is None:
        return
    first = context.portfolio.first_by_id.get(id_key(proposal_id))
    if first is None or first is context.entry:
        return
    where = f"{first.path} (line {first.locate(('id',))[0]})" if first.marks else first.path
    yield Hit(
        f"id '{proposal_id}' is already the id of {where}; give each proposal its own id",
        ("id",),
    )


RULE: Rule[AcrossContext] = Rule(
    code="ID1",
    name="unique-id",
    severity=Severity.ERROR,
    summary="no two proposal files share an id",
    explanation=(
        "Every proposal in the proposals folder and among the checked files must have its own "
        "`id` (compared without regard to letter case). The first file with an id keeps it; "
        "each later file gets this finding, naming the first. Panels, the budget and reports "
        "refer to proposals by id, so a shared one makes the record ambiguous. It cannot be "
        "waived. Fix it by renumbering the later proposal."
    ),
    passing="id: CR-07   # no other file in proposals/ has this id",
    failing="id: CR-01   # ID1: id 'CR-01' is already the id of proposals/cr-01.yaml (line 3)",
    check=_check,
    across=True,
    waivable=False,
)
