"""`loti rules --format json`: every rule's code, name, severity and summary, or all of one rule."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loti_cli.commands.catalogue import Explained, Facts
    from loti_cli.report import RenderOptions


def render(result: Sequence[Facts] | Explained, options: RenderOptions) -> str:
    """A list of the rules in brief (a sequence, in order), or one rule with its explanation."""
    if isinstance(result, Sequence):
        document: Any = [brief(rule) for rule in result]
    else:
        document = brief(result) | {
            "subject": result.subject,
            "explanation": result.explanation,
            "passing": result.passing,
            "failing": result.failing,
        }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def brief(rule: Facts) -> dict[str, Any]:
    """What the listing says of a rule."""
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": str(rule.severity),
        "summary": rule.summary,
        "waivable": rule.waivable,
    }
