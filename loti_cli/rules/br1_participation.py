"""BR1 members-without-projects: every member of the year takes part in a project."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from loti_cli.core.findings import Hit, Severity, one_line
from loti_cli.rules.base import Rule


@dataclass(frozen=True, slots=True)
class ParticipationContext:
    """A year's members, and those no approved or submitted proposal names."""

    year: str
    idle: tuple[str, ...]
    """The names of members with no approved or submitted project, in the ledger's order."""


def _check(context: ParticipationContext) -> Iterable[Hit]:
    count = len(context.idle)
    if not count:
        return
    shown = [one_line(name) for name in context.idle]
    names = f"{', '.join(shown[:-1])} and {shown[-1]}" if count > 1 else shown[0]
    members = "member has" if count == 1 else "members have"
    yield Hit(
        f"{count} {members} no approved or submitted project of {context.year}: {names}; "
        "their statements show the fee and the outputs they can reuse, and no project",
        ("members",),
        at_key=True,
    )


RULE: Rule[ParticipationContext] = Rule(
    code="BR1",
    name="members-without-projects",
    severity=Severity.WARNING,
    summary="a member of the year has no approved or submitted project",
    explanation=(
        "`loti report boroughs` lists every member of the ledger, and counts those that no "
        "approved or submitted proposal of the year names in any role (lead, delivery or "
        "supporter). LOTI's model is pooling: slide 5 lists the members, slide 25 the fee "
        "each pays, and a member that takes part in nothing still gets the outputs every "
        "project gifts, but has little to show for its membership inside the borough. It is "
        "a warning: such a member is listed with zeros, never left out. Fix it by bringing "
        "the member into a proposal (as lead, delivery partner or supporter), or check the "
        "spelling of its name in the proposals."
    ),
    passing="members:\n"
    "  - {name: Camden, kind: borough, fee: borough}\n"
    "  - {name: Hackney, kind: borough, fee: borough}",
    failing="members:   # BR1: 1 member has no approved or submitted project of 2020-21: "
    "Islington\n"
    "  - {name: Camden, kind: borough, fee: borough}\n"
    "  - {name: Islington, kind: borough, fee: borough}",
    check=_check,
    waivable=False,
    subject="boroughs",
)
