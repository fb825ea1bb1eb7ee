"""`loti proposal check --format junit`: JUnit XML, one test case per proposal, one failure listing its errors.

Built with xml.etree, which escapes `<`, `&` and quotes; characters that XML 1.0
cannot hold at all (NUL, ESC and the other C0 controls) are replaced, so that a
hostile proposal still yields a document every CI parser accepts.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from loti_cli.core.findings import Finding
from loti_cli.pipeline.check import CheckResult, ProposalResult
from loti_cli.report import RenderOptions
from loti_cli.report.check_text import finding_text

SUITE = "loti proposal check"

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """`text` with every character XML 1.0 forbids replaced by U+FFFD, and CR as LF.

    (A raw CR would be read back as LF by any parser; saying so here keeps the
    document and what a reader sees the same.)
    """
    return _NOT_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


def failing(finding: Finding, *, strict: bool) -> bool:
    """A failure: an unwaived error, or with --strict an unwaived warning."""
    return finding.fails or (strict and not finding.waived)


def testcase(item: ProposalResult, *, strict: bool) -> ET.Element:
    """A test case for one file: one <failure> listing every failing finding, the first as its message.

    One element, not one per finding: viewers such as junit2html show only one
    <failure> of a test case, and would hide the others.
    """
    name = (item.proposal.id if item.proposal is not None else None) or item.path
    case = ET.Element("testcase", {"name": xml_text(name), "classname": xml_text(item.path)})
    failures = [finding for finding in item.findings if failing(finding, strict=strict)]
    if failures:
        first = failures[0]
        failure = ET.SubElement(
            case,
            "failure",
            {
                "message": xml_text(f"{first.code} {first.message}"),
                "type": f"{first.code} {first.rule}",
            },
        )
        failure.text = "\n".join(xml_text(finding_text(finding)) for finding in failures)
    others: list[str] = []
    for finding in item.findings:
        if not failing(finding, strict=strict):
            label = "" if finding.waived else f" ({finding.severity})"
            others.append(xml_text(finding_text(finding)) + label)
    if others:
        ET.SubElement(case, "system-out").text = "\n".join(others)
    return case


def render(result: CheckResult, options: RenderOptions) -> str:
    cases = [testcase(item, strict=result.strict) for item in result.results]
    # `failures` counts the test cases that failed (at most `tests`), as JUnit defines
    # it; a case with several failing findings has one <failure> that lists them all.
    counts = {
        "tests": str(len(cases)),
        "failures": str(sum(1 for case in cases if case.find("failure") is not None)),
        "errors": "0",
        "skipped": "0",
    }
    root = ET.Element("testsuites", {"name": "loti", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts})
    suite.extend(cases)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"
