"""Pieces shared by the JSON reporters: version, money and findings as the contract writes them."""

from __future__ import annotations

import json
from typing import Any

from loti_cli.core.findings import Finding
from loti_cli.core.money import Money, to_json

VERSION = 1


def money(value: Money) -> str:
    return to_json(value)


def finding(item: Finding, *, waived: bool = False) -> dict[str, Any]:
    """A finding as the JSON contract shows it (`waived` only where the contract has it)."""
    data: dict[str, Any] = {"code": item.code, "rule": item.rule, "severity": str(item.severity)}
    if waived:
        data["waived"] = item.waived
    data |= {"message": item.message, "path": item.path, "line": item.line, "column": item.column}
    return data


def dump(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
