"""`loti rules [CODE]`: list the rules, or explain one."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from loti_cli.commands import catalogue, complete
from loti_cli.errors import ExitCode, LotiError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from loti_cli.commands.catalogue import Facts

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


class RulesFormat(StrEnum):
    """The names of `loti_cli.report.RULES_REPORTERS` (a test keeps them the same)."""

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
    from loti_cli.report import RULES_REPORTERS

    reporter = RULES_REPORTERS[output_format.value]
    if code is None:
        reporter.write(ordered_rules(catalogue.rules()))
        raise typer.Exit(int(ExitCode.OK))
    rule = catalogue.find(code)
    if rule is None:
        from loti_cli.core.suggest import did_you_mean

        known = [word for item in catalogue.rules() for word in (item.code, item.name)]
        raise LotiError(f"no rule {code!r}{did_you_mean(code, known)} (`loti rules` lists them)")
    reporter.write(rule)
    raise typer.Exit(int(ExitCode.OK))


def ordered_rules(registry: Sequence[F]) -> list[F]:
    """Proposal rules, then ledger rules, each in the registry's order."""
    return sorted(registry, key=lambda rule: rule.subject != "proposal")
