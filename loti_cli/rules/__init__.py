"""The registry of rules: every proposal, ledger and 360Giving export rule, in a fixed order."""

from __future__ import annotations

from typing import Any

from loti_cli.rules import (
    br1_participation,
    bu1_amounts,
    bu2_headroom,
    bu3_pipeline,
    cl1_published,
    cl2_measured,
    cl3_milestones,
    dl1_delivery,
    dl2_overdue,
    dl3_overspent,
    fp1_aligned,
    fp2_boroughs,
    fp3_replicable,
    fp4_outputs,
    id1_unique,
    ig1_dpia,
    input,
    pc1_outcome,
    pc5_sustainable,
    sc_calls,
    wv1_waivers,
)
from loti_cli.rules.base import Rule
from loti_cli.rules.context import AcrossContext, ProposalContext
from loti_cli.rules.gv_360giving import GIVING_RULES
from loti_cli.rules.im_import import IMPORT_RULES
from loti_cli.rules.ledger import LEDGER_RULES
from loti_cli.rules.monitoring import MONITORING_RULES
from loti_cli.rules.sc_scores import SCORE_RULES

PROPOSAL_RULES: tuple[Rule[Any], ...] = (
    fp1_aligned.RULE,
    fp2_boroughs.RULE,
    fp3_replicable.RULE,
    fp4_outputs.RULE,
    bu1_amounts.RULE,
    bu2_headroom.RULE,
    bu3_pipeline.RULE,
    pc1_outcome.RULE,
    pc5_sustainable.RULE,
    ig1_dpia.RULE,
    sc_calls.SC5,
    sc_calls.SC6,
    id1_unique.RULE,
    input.IN1,
    input.IN2,
    wv1_waivers.RULE,
    dl1_delivery.RULE,
    dl2_overdue.RULE,
    dl3_overspent.RULE,
    cl1_published.RULE,
    cl2_measured.RULE,
    cl3_milestones.RULE,
)
"""Proposal rules, FP1 ... WV1, then the delivery (DL) and closure (CL) rules, in the order
of the proposal format's table and the delivery format's."""

CLOSING_CODES: frozenset[str] = frozenset(r.code for r in PROPOSAL_RULES if r.closing)
"""The closure rules (CL1-CL3): run only by `proposal close` and `proposal check --closing`."""

FILE_RULES: tuple[Rule[ProposalContext], ...] = tuple(r for r in PROPOSAL_RULES if not r.across)
"""The proposal rules that judge one file alone, as soon as it is read."""

ACROSS_RULES: tuple[Rule[AcrossContext], ...] = tuple(r for r in PROPOSAL_RULES if r.across)
"""The proposal rules that look across the portfolio and the budget, once every file is read."""

BOROUGH_RULES: tuple[Rule[Any], ...] = (br1_participation.RULE,)
"""The checks of `loti report boroughs` (BR)."""

RULES: tuple[Rule[Any], ...] = (
    *PROPOSAL_RULES,
    *LEDGER_RULES,
    *MONITORING_RULES,
    *SCORE_RULES,
    *GIVING_RULES,
    *IMPORT_RULES,
    *BOROUGH_RULES,
)
"""Every rule `loti rules` lists: proposal rules, ledger rules (LB, SC4), monitoring checks
(MN), the scores rules of `loti proposal rank` (SC1 to SC3), export checks (GV), the checks
of an import of actual spend (IM), the borough statements' checks (BR)."""


def find_rule(code_or_name: str) -> Rule[Any] | None:
    """A rule by its code (`FP2`, any case) or its name (`two-member-boroughs`)."""
    wanted = code_or_name.strip().casefold()
    for rule in RULES:
        if wanted in (rule.code.casefold(), rule.name.casefold()):
            return rule
    return None
