"""FP2 two-member-boroughs: at least two member boroughs lead or deliver the project."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.boroughs import normalise, roster
from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext, gss_code

MINIMUM = 2
"""Slide 27: "supported and delivered by at least two LOTI boroughs"."""

_COUNTING_ROLES = ("lead", "delivery")


def _check(context: ProposalContext) -> Iterable[Hit]:
    boroughs, members = context.proposal.boroughs, context.members
    if boroughs is None or members is None:
        return
    codes = [gss_code(entry.name) for entry in boroughs]
    counted: dict[str, int] = {}
    for index, (entry, code) in enumerate(zip(boroughs, codes, strict=True)):
        if entry.role in _COUNTING_ROLES and code in members.boroughs and code not in counted:
            counted[code] = index
    if len(counted) >= MINIMUM:
        return
    reasons: list[tuple[int, str]] = []
    for index, (entry, code) in enumerate(zip(boroughs, codes, strict=True)):
        if counted.get(code or "") == index:
            continue
        if normalise(entry.name) in members.partners:
            why = "a partner, not a borough"
        elif code is None:
            suggestion = roster().suggest(entry.name)
            why = "unknown borough" + (f", did you mean '{suggestion}'?" if suggestion else "")
        elif code not in members.boroughs:
            why = f"not a LOTI member in {members.year}"
        elif code in counted:
            why = f"the same borough as entry {context.entry('boroughs', counted[code])}"
        else:
            why = "a supporter only"
        reasons.append((index, f"'{entry.name}' ({why})"))
    leading = ", ".join(boroughs[index].name for index in sorted(counted.values()))
    count = len(counted)
    if count:
        plural = "s lead or deliver" if count > 1 else " leads or delivers"
        message = f"only {count} LOTI member borough{plural} the project ({leading})"
    else:
        message = "no LOTI member borough leads or delivers the project"
    message += f"; at least {MINIMUM} must"
    if reasons:
        message += "; not counted: " + "; ".join(text for _, text in reasons)
    if reasons:
        yield Hit(message, ("boroughs", reasons[0][0], "name"))
    else:
        yield Hit(message, ("boroughs",), at_key=True)


RULE: Rule[ProposalContext] = Rule(
    code="FP2",
    name="two-member-boroughs",
    severity=Severity.ERROR,
    summary="at least two LOTI member boroughs lead or deliver the project",
    explanation=(
        "`boroughs` must name at least two distinct boroughs that are members in the ledger "
        "of the proposal's year, with role `lead` or `delivery`. A borough may be written by "
        "its name, a common short form or its GSS code; two spellings of one borough count "
        "once. Partners (members of kind partner, such as the GLA and London Councils), "
        "London boroughs that are not members that year, unknown names and supporters do not "
        "count, and the finding says which names did not count and why. Slide 27, the "
        'funding principles: any project funded by LOTI must "be supported and delivered by '
        'at least two LOTI boroughs"; slide 10 asks for "clear added value from '
        'collaboration". Fix it by recruiting a second member borough to lead or deliver '
        "(a supporter alone is not enough), or by correcting a misspelt name."
    ),
    passing="boroughs:\n  - {name: Camden, role: lead}\n  - {name: LBHF, role: delivery}",
    failing="boroughs:\n  - {name: Camden, role: lead}\n  - {name: GLA, role: delivery}"
    "   # FP2: only 1 LOTI member borough leads or delivers the project (Camden); at least "
    "2 must; "
    "not counted: 'GLA' (a partner, not a borough)",
    check=_check,
)
