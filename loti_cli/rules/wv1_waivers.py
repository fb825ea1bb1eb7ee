"""WV1 invalid-waiver: waivers that are incomplete, name no rule, cannot apply or are unused."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from loti_cli.core.entry import WaiverNote
from loti_cli.core.findings import Finding, Hit, Severity

if TYPE_CHECKING:
    from loti_cli.core.model import Waiver
from loti_cli.core.suggest import did_you_mean
from loti_cli.rules.base import Rule
from loti_cli.rules.context import ProposalContext

if TYPE_CHECKING:  # annotations only: `loti rules` and completion import no models
    from loti_cli.core.model import Waiver


@dataclass(frozen=True, slots=True)
class Granted:
    """A complete waiver of a waivable proposal rule: the first one for that rule."""

    index: int
    code: str
    waiver: Waiver | WaiverNote

    @property
    def reason(self) -> str:
        reason = " ".join((self.waiver.reason or "").split())
        return f"{reason} (approved by {self.waiver.approved_by})"

    def expired(self, today: date) -> bool:
        return self.waiver.expires is not None and self.waiver.expires < today


def _proposal_rules() -> tuple[Rule[Any], ...]:
    from loti_cli.rules import PROPOSAL_RULES  # the registry imports this module

    return PROPOSAL_RULES


def _find(name: str) -> Rule[Any] | None:
    from loti_cli.rules import find_rule

    return find_rule(name)


def _review(waivers: Sequence[Waiver | WaiverNote]) -> tuple[list[Granted], list[Hit]]:
    """The waivers that apply (expired or not), and the problems with the others."""
    granted: dict[str, Granted] = {}
    hits: list[Hit] = []
    for index, waiver in enumerate(waivers):
        rule = _find(waiver.rule)
        if rule is None:
            names = [n for r in _proposal_rules() for n in (r.code, r.name)]
            hits.append(
                Hit(
                    f"waiver names rule '{waiver.rule}', which does not exist"
                    f"{did_you_mean(waiver.rule, names)}",
                    ("waivers", index, "rule"),
                )
            )
            continue
        if rule.subject != "proposal":
            hits.append(
                Hit(
                    f"{rule.kind}; a proposal cannot waive it",
                    ("waivers", index, "rule"),
                )
            )
            continue
        if not rule.waivable:
            hits.append(
                Hit(
                    f"{rule.code} ({rule.name}) cannot be waived; fix what it reports instead",
                    ("waivers", index, "rule"),
                )
            )
            continue
        missing = [key for key in ("reason", "approved_by") if getattr(waiver, key) is None]
        if missing:
            hits.append(
                Hit(
                    f"waiver of {rule.code} has no {' and no '.join(missing)}; a waiver needs "
                    "the reason and who approved it (the funding panel and its date)",
                    ("waivers", index),
                )
            )
            continue
        if rule.code in granted:
            hits.append(
                Hit(
                    f"{rule.code} is already waived by waiver {granted[rule.code].index + 1}; "
                    "keep one",
                    ("waivers", index, "rule"),
                    severity=Severity.WARNING,
                )
            )
            continue
        granted[rule.code] = Granted(index, rule.code, waiver)
    return list(granted.values()), hits


def _check(context: ProposalContext) -> Iterable[Hit]:
    return _review(context.proposal.waivers)[1]


def apply_waivers(
    waivers: Sequence[WaiverNote], findings: list[Finding], *, ran: Collection[str], today: date
) -> tuple[list[Finding], list[Hit]]:
    """Mark the findings that a waiver covers, and report waivers of rules that raised nothing.

    `ran` holds the codes of the rules that were run, so that a waiver of a rule that was
    not selected is not called unused. An expired waiver no longer applies: its rule's
    findings stay unwaived and say when it expired.
    """
    granted, _ = _review(waivers)
    unused: list[Hit] = []
    result = list(findings)
    for grant in granted:
        matched = [i for i, finding in enumerate(result) if finding.code == grant.code]
        if not matched and grant.code in ran:
            unused.append(
                Hit(
                    f"unused waiver: {grant.code} raised nothing here; remove the waiver",
                    ("waivers", grant.index, "rule"),
                    severity=Severity.WARNING,
                )
            )
        expires = grant.waiver.expires
        for i in matched:
            finding = result[i]
            if grant.expired(today):
                note = f" (its waiver expired on {expires})"
                result[i] = replace(finding, message=finding.message + note)
            else:
                result[i] = finding.as_waived(grant.reason)
    return result, unused


RULE: Rule[ProposalContext] = Rule(
    code="WV1",
    name="invalid-waiver",
    severity=Severity.ERROR,
    summary="a waiver lacks a reason or approver, names no waivable rule, or is unused",
    explanation=(
        "A funding panel may grant an exception to a rule with a waiver: `rule` (its code or "
        "name), `reason`, `approved_by` and, optionally, `expires`. A waived finding is still "
        "reported, marked waived, and does not fail the check; after `expires` the waiver no "
        "longer applies and the finding says when it expired. Errors: a waiver without "
        "`reason` or `approved_by` (it does not apply), a rule that does not exist, and IN1, "
        "IN2, ID1 or WV1, which cannot be waived. Warnings: a waiver whose rule raised "
        "nothing (unused waiver) and a second waiver of the same rule. The funding "
        'principles of slide 27 apply to "any project funded by LOTI": an exception is a '
        "panel's recorded decision, not an author's. Fix it by completing the waiver or "
        "removing it."
    ),
    passing="sustainability:   # empty for now: PC5 is waived below\nwaivers:\n  - rule: PC5\n"
    "    reason: Sustainability model agreed at show-and-tell\n"
    "    approved_by: Funding panel 2020-10-01",
    failing="waivers:\n  - rule: PC5   # WV1: waiver of PC5 has no reason and no approved_by",
    check=_check,
    waivable=False,
)
