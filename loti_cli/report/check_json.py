"""`loti proposal check --format json`: the contract's document, version 1."""

from __future__ import annotations

from typing import Any

from loti_cli.pipeline.check import CheckResult, ProposalResult
from loti_cli.report import RenderOptions
from loti_cli.report.jsonout import VERSION, dump, finding, money


def proposal(item: ProposalResult, *, strict: bool) -> dict[str, Any]:
    """One proposal file; the fields of a file that could not be read are null."""
    model = item.proposal
    requested = model.requested if model is not None else None
    return {
        "path": item.path,
        "id": model.id if model is not None else None,
        "title": model.title if model is not None else None,
        "pillar": model.pillar if model is not None else None,
        "status": model.status if model is not None else None,
        "requested": money(requested) if requested is not None else None,
        "passed": item.passed(strict=strict),
        "findings": [finding(f, waived=True) for f in item.findings],
    }


def document(result: CheckResult) -> dict[str, Any]:
    summary = result.summary()
    return {
        "version": VERSION,
        "ledger": result.ledger,
        "proposals": [proposal(item, strict=result.strict) for item in result.results],
        "summary": {
            "proposals": summary.proposals,
            "passed": summary.passed,
            "failed": summary.failed,
            "errors": summary.errors,
            "warnings": summary.warnings,
            "waived": summary.waived,
        },
    }


def render(result: CheckResult, options: RenderOptions) -> str:
    return dump(document(result))
