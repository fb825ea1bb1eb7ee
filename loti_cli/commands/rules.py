"""`loti rules [CODE]`: list the rules, or explain one."""

from __future__ import annotations

import textwrap
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from loti_cli.commands import catalogue, complete
from loti_cli.errors import ExitCode, LotiError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from loti_cli.commands.catalogue import Facts
    from loti_cli.rules.base import Rule

F = TypeVar("F", bound="Facts")

HELP = """\
List every rule, or explain one: what it checks, why (in the strategy's words),
how to fix it, and an example that passes and one that fails.

Rules are named by code or by name, in any case. Proposal rules come first,
then the ledger rules that `loti budget status` applies.

Examples:

  loti rules

  loti rules FP2

  loti rules two-member-boroughs

  loti rules --format json
"""

WIDTH = 79
"""Explanations are wrapped to this width, the same on every terminal and in a pipe."""


class RulesFormat(StrEnum):
    text = "text"
    json = "json"


def rules(
    code: Annotated[
        str | None,
        typer.Argument(
            help="A rule's code or name, e.g. FP2 or two-member-boroughs.",
            metavar="CODE",
            show_default=False,
            autocompletion=complete.rule_codes,
        ),
    ] = None,
    output_format: Annotated[
        RulesFormat, typer.Option("--format", "-f", help="Output format.")
    ] = RulesFormat.text,
) -> None:
    from loti_cli.report import emit

    if code is None:
        ordered = ordered_rules(catalogue.rules())
        if output_format is RulesFormat.json:
            import json

            text = json.dumps([brief(rule) for rule in ordered], indent=2, ensure_ascii=False)
            emit.data(text + "\n")
        else:
            emit.text(lambda: listing(ordered))
        raise typer.Exit(int(ExitCode.OK))
    from loti_cli.core.suggest import did_you_mean
    from loti_cli.rules import RULES, find_rule

    rule = find_rule(code)
    if rule is None:
        known = [word for item in RULES for word in (item.code, item.name)]
        raise LotiError(f"no rule {code!r}{did_you_mean(code, known)} (`loti rules` lists them)")
    if output_format is RulesFormat.json:
        import json

        details = brief(rule) | {
            "subject": rule.subject,
            "explanation": rule.explanation,
            "passing": rule.passing,
            "failing": rule.failing,
        }
        emit.data(json.dumps(details, indent=2, ensure_ascii=False) + "\n")
    else:
        emit.text(lambda: explain(rule))
    raise typer.Exit(int(ExitCode.OK))


def ordered_rules(registry: Sequence[F]) -> list[F]:
    """Proposal rules, then ledger rules, each in the registry's order."""
    return sorted(registry, key=lambda rule: rule.subject != "proposal")


def brief(rule: Facts) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": str(rule.severity),
        "summary": rule.summary,
        "waivable": rule.waivable,
    }


def listing(ordered: Sequence[Facts]) -> str:
    """The rules as a plain table, then how to read one."""
    from tabulate import tabulate

    rows = [[rule.code, rule.name, str(rule.severity), rule.summary] for rule in ordered]
    table = tabulate(rows, headers=["Code", "Name", "Severity", "Summary"], tablefmt="simple")
    return f"{table}\n\n`loti rules CODE` explains a rule, with examples.\n"


def explain(rule: Rule[Any]) -> str:
    """Everything `loti rules CODE` says about one rule."""
    waivable = "can be waived by a funding panel" if rule.waivable else "cannot be waived"
    parts = [
        f"{rule.code} {rule.name} ({rule.severity}, {rule.subject} rule; {waivable})",
        textwrap.fill(rule.summary[:1].upper() + rule.summary[1:] + ".", WIDTH),
        "\n\n".join(
            textwrap.fill(paragraph, WIDTH) for paragraph in rule.explanation.split("\n\n")
        ),
        "Passes:\n\n" + textwrap.indent(rule.passing, "    "),
        "Fails:\n\n" + textwrap.indent(rule.failing, "    "),
    ]
    return "\n\n".join(parts) + "\n"
