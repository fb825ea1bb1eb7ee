"""`loti proposal check --format sarif`: SARIF 2.1.0 for code scanning, every rule described."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from loti_cli import __version__
from loti_cli.core.findings import Finding, Severity
from loti_cli.pipeline.check import CheckResult
from loti_cli.report import RenderOptions
from loti_cli.rules import RULES
from loti_cli.rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"


def level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def uri(path: str) -> str:
    """A file's path as a SARIF URI: relative, forward slashes, percent-encoded."""
    posix = path.replace(os.sep, "/")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def describe(rule: Rule[Any]) -> dict[str, Any]:
    """A reportingDescriptor: what `loti rules CODE` says, in SARIF's fields."""
    examples = f"Passes:\n\n{rule.passing}\n\nFails:\n\n{rule.failing}"
    fenced = (
        f"{rule.explanation}\n\nPasses:\n\n```yaml\n{rule.passing}\n```\n\n"
        f"Fails:\n\n```yaml\n{rule.failing}\n```"
    )
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.explanation},
        "help": {"text": f"{rule.explanation}\n\n{examples}", "markdown": fenced},
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"tags": [rule.subject], "waivable": rule.waivable},
    }


def result_of(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    """A SARIF result; a waived finding carries an external suppression with its reason."""
    region: dict[str, int] = {}
    if finding.line is not None:
        region["startLine"] = finding.line
        if finding.column is not None:
            region["startColumn"] = finding.column
    physical: dict[str, Any] = {"artifactLocation": {"uri": uri(finding.path)}}
    if region:
        physical["region"] = region
    data: dict[str, Any] = {"ruleId": finding.code}
    if finding.code in index:
        data["ruleIndex"] = index[finding.code]
    data |= {
        "level": level(finding.severity),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
    }
    if finding.waived:
        data["suppressions"] = [
            {"kind": "external", "justification": finding.waiver_reason or "no reason given"}
        ]
    return data


def document(result: CheckResult, rules: Sequence[Rule[Any]]) -> dict[str, Any]:
    index = {rule.code: position for position, rule in enumerate(rules)}
    return {
        "$schema": SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "loti",
                        "version": __version__,
                        "rules": [describe(rule) for rule in rules],
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": [
                    result_of(finding, index)
                    for item in result.results
                    for finding in item.findings
                ],
            }
        ],
    }


def dumps(result: CheckResult, rules: Sequence[Rule[Any]]) -> str:
    return json.dumps(document(result, rules), indent=2, ensure_ascii=False) + "\n"


def render(result: CheckResult, options: RenderOptions) -> str:
    return dumps(result, RULES)
