"""`loti proposal check --format sarif`: SARIF 2.1.0 for code scanning, every rule described.

File locations are relative to the repository's top folder (`%SRCROOT%`, the
nearest folder above the current one that holds `.git`, else the current
folder), so the document is the same whichever folder `loti` ran in, and code
scanning places each result on the file it names.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from loti_cli import HOMEPAGE, __version__
from loti_cli.core.findings import Finding, Severity
from loti_cli.io.repository import repository_top
from loti_cli.pipeline.check import STDIN, CheckResult
from loti_cli.report import RenderOptions
from loti_cli.rules import RULES
from loti_cli.rules.base import Rule

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
SRCROOT = "%SRCROOT%"
"""The uriBaseId of every file under the repository's top folder."""
RULES_HELP = f"{HOMEPAGE}#rules"
"""The README's table of rules, where each rule's row says what it checks."""


def level(severity: Severity) -> str:
    return "error" if severity is Severity.ERROR else "warning"


def uri(path: str) -> str:
    """A file's path as a SARIF URI: relative, forward slashes, percent-encoded."""
    posix = path.replace(os.sep, "/")
    if posix.startswith("/"):
        return "file://" + quote(posix, safe="/")
    return quote(posix, safe="/")


def source_root(here: Path) -> Path:
    """The folder SARIF locations start from: the repository's top folder, else `here`."""
    return repository_top(here) or here.resolve()


def folder_uri(folder: Path) -> str:
    """An absolute folder as a `file:` URI ending in `/`, as originalUriBaseIds requires."""
    text = folder.as_uri()
    return text if text.endswith("/") else f"{text}/"


def artifact(path: str, here: Path, root: Path) -> dict[str, str]:
    """An artifactLocation for a finding's `path` (shown from `here`), relative to `root`.

    A file outside `root` gets an absolute `file:` URI instead; standard input
    has no file, and keeps its name.
    """
    if path == STDIN:
        return {"uri": uri(path)}
    full = Path(os.path.normpath(here / path))
    try:
        relative = full.relative_to(root)
    except ValueError:
        return {"uri": full.as_uri()}
    return {"uri": uri(relative.as_posix()), "uriBaseId": SRCROOT}


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
        "helpUri": RULES_HELP,
        "defaultConfiguration": {"level": level(rule.severity)},
        "properties": {"tags": [rule.subject], "waivable": rule.waivable},
    }


def result_of(finding: Finding, index: dict[str, int], here: Path, root: Path) -> dict[str, Any]:
    """A SARIF result; a waived finding carries an external suppression with its reason."""
    region: dict[str, int] = {}
    if finding.line is not None:
        region["startLine"] = finding.line
        if finding.column is not None:
            region["startColumn"] = finding.column
    physical: dict[str, Any] = {"artifactLocation": artifact(finding.path, here, root)}
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


def document(
    result: CheckResult,
    rules: Sequence[Rule[Any]],
    *,
    here: Path | None = None,
    root: Path | None = None,
) -> dict[str, Any]:
    """The SARIF log; paths are shown from `here` (the current folder), URIs from `root`."""
    here = Path.cwd().resolve() if here is None else here
    root = source_root(here) if root is None else root
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
                        "informationUri": HOMEPAGE,
                        "rules": [describe(rule) for rule in rules],
                    }
                },
                "originalUriBaseIds": {SRCROOT: {"uri": folder_uri(root)}},
                "columnKind": "unicodeCodePoints",
                "results": [
                    result_of(finding, index, here, root)
                    for item in result.results
                    for finding in item.findings
                ],
            }
        ],
    }


def dumps(
    result: CheckResult,
    rules: Sequence[Rule[Any]],
    *,
    here: Path | None = None,
    root: Path | None = None,
) -> str:
    text = json.dumps(document(result, rules, here=here, root=root), indent=2, ensure_ascii=False)
    return text + "\n"


def render(result: CheckResult, options: RenderOptions) -> str:
    return dumps(result, RULES)
