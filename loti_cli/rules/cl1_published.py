"""CL1 output-published: before closure, every gifted output says where it is published."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext


def _check(context: ProposalContext) -> Iterable[Hit]:
    proposal = context.proposal
    if proposal.status != "approved":
        return
    for index, output in enumerate(proposal.outputs or ()):
        if output.gifted is True and output.url is None:
            yield Hit(
                f"output '{output.name}' is gifted but has no url; add `url:` with where it "
                "is published",
                ("outputs", index),
            )


RULE: Rule[ProposalContext] = Rule(
    code="CL1",
    name="output-published",
    severity=Severity.ERROR,
    summary="to close a project, every gifted output has a url",
    explanation=(
        "A closure rule: `loti proposal close` and `loti proposal check --closing` report "
        "it. Every output of an approved proposal with `gifted: true` must have a `url`: "
        'where it is published. Slide 27, the funding principles: projects must "gift their '
        'outputs to LOTI for dissemination and maintenance"; an output that cannot be found '
        "cannot be reused by another borough. Fix it by publishing the output and adding its "
        "`url`."
    ),
    passing="status: approved\noutputs:\n  - {name: Directory data model, licence: OGL-UK-3.0, "
    "gifted: true, url: 'https://github.com/example/directory'}",
    failing="status: approved\noutputs:\n"
    "  - {name: Directory data model, licence: OGL-UK-3.0, gifted: true}"
    "   # CL1: output 'Directory data model' is gifted but has no url",
    check=_check,
    closing=True,
)
