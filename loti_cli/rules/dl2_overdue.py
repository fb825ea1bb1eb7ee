"""DL2 milestone-overdue: an approved project's milestone past its due date and not done."""

from __future__ import annotations

from collections.abc import Iterable

from loti_cli.core.findings import Hit, Severity
from loti_cli.rules.base import Rule
from loti_cli.rules.context import AcrossContext


def _check(context: AcrossContext) -> Iterable[Hit]:
    entry, today = context.entry, context.today
    if entry.status != "approved" or entry.delivery is None or today is None:
        return
    for index, milestone in enumerate(entry.delivery.milestones):
        late = milestone.overdue_at(today)
        if late:
            yield Hit(
                f"milestone '{milestone.name}' was due {milestone.due.isoformat()} and is not "
                f"done ({late} day{'s' if late != 1 else ''} overdue); record `done:` when it "
                "is, or agree a new due date",
                ("delivery", "milestones", index, "due"),
            )


RULE: Rule[AcrossContext] = Rule(
    code="DL2",
    name="milestone-overdue",
    severity=Severity.WARNING,
    summary="an approved project's milestone is past its due date and not done",
    explanation=(
        "For an approved proposal, each milestone under `delivery.milestones` whose `due` "
        "date has passed (as of the day of the check) without a `done` date is a warning at "
        'its due date. Slide 10, the prioritisation criteria: "The work matters - the '
        'intended outcome is important, meaningful and supports our strategic goals"; members '
        "and funders ask after a panel which projects are on track, and an overdue milestone is the first sign one is not (`loti projects` shows it amber, and "
        "red once it is more than 30 days overdue). It is a warning, as a late milestone is "
        "news rather than a broken rule; --strict makes it fail. Fix it by recording "
        "`done: DATE` when the milestone is met, or by agreeing a new due date."
    ),
    passing="status: approved\ndelivery:\n  milestones:\n"
    "    - {name: Referral record v1 published, due: 2020-10-09, done: 2020-10-08}",
    failing="status: approved\ndelivery:\n  milestones:\n"
    "    - {name: Referral record v1 published, due: 2020-10-09}"
    "   # DL2: milestone 'Referral record v1 published' was due 2020-10-09 ... 6 days overdue",
    check=_check,
    across=True,
)
