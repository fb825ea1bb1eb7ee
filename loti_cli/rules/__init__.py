"""The registry of rules: every ledger and proposal rule, by code, in a fixed order."""

from __future__ import annotations

from typing import Any

from loti_cli.rules.base import Rule
from loti_cli.rules.ledger import LEDGER_RULES

PROPOSAL_RULES: tuple[Rule[Any], ...] = ()
"""Proposal rules (FP1 ... WV1), filled in by the proposal-check work."""

RULES: tuple[Rule[Any], ...] = (*PROPOSAL_RULES, *LEDGER_RULES)


def find_rule(code_or_name: str) -> Rule[Any] | None:
    """A rule by its code (`FP2`, any case) or its name (`two-member-boroughs`)."""
    wanted = code_or_name.strip().casefold()
    for rule in RULES:
        if wanted in (rule.code.casefold(), rule.name.casefold()):
            return rule
    return None
