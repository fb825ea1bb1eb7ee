"""FP4 outputs-gifted: every output is gifted to LOTI under an open licence."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from loti_cli.core.findings import Hit, Loc, Severity
from loti_cli.core.licences import closest_licence, open_licence
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext

if TYPE_CHECKING:  # annotations only: `loti rules` and completion import no models
    from loti_cli.core.model import Output


def _problems(index: int, output: Output) -> tuple[list[str], Loc]:
    """What is wrong with one output, and where to point: its licence first, then `gifted`."""
    problems: list[str] = []
    where: Loc | None = None
    if output.licence is None:
        problems.append("it has no licence (add an open one such as OGL-UK-3.0 or MIT)")
        where = ("outputs", index)
    elif open_licence(output.licence) is None:
        suggestion = closest_licence(output.licence)
        hint = f"did you mean '{suggestion}'?" if suggestion else "use e.g. OGL-UK-3.0 or MIT"
        problems.append(f"licence '{output.licence}' is not an open licence ({hint})")
        where = ("outputs", index, "licence")
    if output.gifted is not True:
        state = "gifted: false" if output.gifted is False else "no gifted: true"
        problems.append(f"it is not gifted to LOTI ({state}; set gifted: true)")
        if where is None:
            where = ("outputs", index, "gifted") if output.gifted is False else ("outputs", index)
    return problems, where or ("outputs", index)


def _check(context: ProposalContext) -> Iterable[Hit]:
    outputs = context.proposal.outputs
    if not outputs:
        yield Hit(
            "no outputs: list at least one, each with an open licence and gifted: true",
            ("outputs",),
            at_key=outputs is not None,
        )
        return
    for index, output in enumerate(outputs):
        problems, where = _problems(index, output)
        if problems:
            yield Hit(f"output '{output.name}': " + "; and ".join(problems), where)


RULE: Rule[ProposalContext] = Rule(
    code="FP4",
    name="outputs-gifted",
    severity=Severity.ERROR,
    summary="at least one output, each gifted to LOTI under an open licence",
    explanation=(
        "`outputs` must list at least one output, and every output must have `gifted: true` "
        "and an open licence: OGL-UK-3.0, OGL-UK-2.0, CC-BY-4.0, CC-BY-SA-4.0, CC0-1.0, the "
        "Open Data Commons licences, or any OSI-approved licence by its SPDX identifier "
        "(MIT, Apache-2.0, BSD-3-Clause, MPL-2.0, GPL-3.0-or-later, AGPL-3.0-or-later, ...), "
        "in any letter case. Each output that falls short is one finding, at its licence or "
        "its `gifted` line. Slide 27, the funding principles: any project funded by LOTI must "
        '"gift their outputs to LOTI for dissemination and maintenance"; an open licence is '
        "what lets every other borough reuse them. Fix it by choosing an open licence and "
        "setting `gifted: true`."
    ),
    passing="outputs:\n  - {name: Data-sharing agreement template, licence: OGL-UK-3.0, "
    "gifted: true}",
    failing="outputs:\n  - {name: Referral prototype, licence: Proprietary, gifted: true}"
    "   # FP4: output 'Referral prototype': licence 'Proprietary' is not an open licence",
    check=_check,
)
