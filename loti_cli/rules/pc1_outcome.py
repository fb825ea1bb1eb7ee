"""PC1 outcome-stated: the proposal says who will be better off, and how."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext

QUESTION = (
    "Which specific people do we want to be better off in which specific ways because we acted?"
)


def _check(context: ProposalContext) -> Iterable[Hit]:
    if context.proposal.outcome is None:
        yield Hit(f'no outcome: add one that answers "{QUESTION}"', ("outcome",))


RULE: Rule[ProposalContext] = Rule(
    code="PC1",
    name="outcome-stated",
    severity=Severity.WARNING,
    summary="the outcome says who will be better off, and how",
    explanation=(
        '`outcome` must be present. Slide 10, the prioritisation criteria: "The work matters '
        '- the intended outcome is important, meaningful and supports our strategic goals"; '
        "slides 21 to 23, LOTI's outcomes-based methodology, start every project with the "
        f'question "{QUESTION}" It is a warning because a panel may still discuss an early '
        "idea. Fix it by naming the people and the difference the project makes to them."
    ),
    passing="outcome: >\n  Residents who are self-isolating get support within a day.",
    failing='outcome:   # PC1: no outcome: add one that answers "Which specific people do we '
    'want to be better off ...?"',
    check=_check,
)
