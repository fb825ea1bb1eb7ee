"""Shell completion of rule codes, pillar names and ledger years, quoted for each shell."""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, MutableMapping, Sequence
from contextlib import redirect_stderr
from typing import TYPE_CHECKING, Any

import typer
from typer.core import TyperGroup

if TYPE_CHECKING:
    from loti_cli.commands.catalogue import Facts

Offer = list[tuple[str, str]]
"""What a completion offers: each word with its one-line summary."""


def rule_codes(incomplete: str) -> Offer:
    """Every rule's code and name (for `loti rules`) that starts with what has been typed."""
    return _words(_catalogue(), incomplete)


def rules_to_select(ctx: typer.Context, incomplete: str) -> Offer:
    """`proposal check --select`: the proposal rules, for the last of a comma-separated list."""
    return _rule_list(_proposal_rules(), incomplete, ctx.params.get("select"))


def rules_to_ignore(ctx: typer.Context, incomplete: str) -> Offer:
    """`proposal check --ignore`: as --select, less the loading rules, which always run."""
    rules = [rule for rule in _proposal_rules() if rule.code not in ("IN1", "IN2")]
    return _rule_list(rules, incomplete, ctx.params.get("ignore"))


def rules_to_waive(ctx: typer.Context, incomplete: str) -> Offer:
    """`proposal decide --waive` (one rule each): the waivable proposal rules not yet waived."""
    waived = _codes(ctx.params.get("waive") or [])
    rules = [r for r in _proposal_rules() if r.waivable and r.code not in waived]
    return _words(rules, incomplete)


def _catalogue() -> Sequence[Facts]:
    """The rules' codes, names and summaries, read without importing the rules."""
    from loti_cli.commands import catalogue

    return catalogue.rules()


def _proposal_rules() -> list[Facts]:
    return [rule for rule in _catalogue() if rule.subject == "proposal"]


def _rule_list(rules: Iterable[Facts], incomplete: str, earlier: Sequence[str] | None) -> Offer:
    """The rules for the last item of `A,B,<incomplete>`, each offered with the items before
    it (the shell replaces the whole word); rules listed already, here or in an earlier
    use of the option, are left out."""
    before, _, last = incomplete.rpartition(",")
    prefix = f"{before}," if before else ""
    listed = _codes([before, *(earlier or [])])
    offer = _words([rule for rule in rules if rule.code not in listed], last)
    return [(prefix + word, summary) for word, summary in offer]


def _codes(lists: Iterable[str]) -> set[str]:
    """The codes of the rules named in comma-separated lists (unknown names are skipped)."""
    names = {word.casefold(): rule.code for rule in _catalogue() for word in (rule.code, rule.name)}
    found = (names.get(name.strip().casefold()) for text in lists for name in text.split(","))
    return {code for code in found if code is not None}


def _words(rules: Iterable[Facts], typed: str) -> Offer:
    return [
        (word, rule.summary)
        for rule in rules
        for word in (rule.code, rule.name)
        if word.startswith(typed)
    ]


def ledger_years(incomplete: str) -> list[str]:
    """Financial years that have a ledger here (ledgers/) or in the package."""
    from loti_cli.io.resolve import known_years

    with redirect_stderr(io.StringIO()):  # a warning would garble the shell's line
        years = known_years()
    return sorted(year for year in years if year.startswith(incomplete))


def pillar_names(incomplete: str) -> list[str]:
    """Pillars of the ledger a command would use, for `--pillar` (read as YAML, not validated)."""
    from loti_cli.io import yaml_read
    from loti_cli.io.resolve import choose_ledger

    try:
        with redirect_stderr(io.StringIO()):  # nor print on it
            allocations = yaml_read.load(choose_ledger().path).data.get("allocations")
    except Exception:  # completion must never break the shell
        return []
    pillars = [
        item["pillar"]
        for item in (allocations if isinstance(allocations, list) else ())
        if isinstance(item, dict) and isinstance(item.get("pillar"), str) and item["pillar"].strip()
    ]
    return [p for p in pillars if p.casefold().startswith(incomplete.casefold())]


def period_months(incomplete: str) -> list[str]:
    """`budget monitor --period`: the months of the ledger's year, April to March (YYYY-MM)."""
    import re

    from loti_cli.io import yaml_read
    from loti_cli.io.resolve import choose_ledger

    try:
        with redirect_stderr(io.StringIO()):
            year = yaml_read.load(choose_ledger().path).data.get("financial_year")
    except Exception:  # completion must never break the shell
        return []
    if not isinstance(year, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}", year):
        return []
    start = int(year[:4])
    months = [f"{start}-{month:02d}" for month in range(4, 13)]
    months += [f"{start + 1}-{month:02d}" for month in range(1, 4)]
    return [month for month in months if month.startswith(incomplete)]


# ---------------------------------------------------------------------------
# what the shells are given


_BASH_PLAIN = re.compile(r"[\w@%+=:,./-]")
"""Characters bash takes as they are within a word (others are escaped with a backslash)."""


def bash_word(value: str) -> str:
    """`value` as bash must be given it: bash inserts a completion exactly as given, so
    `Covid Recovery` must come as `Covid\\ Recovery` to stay one word."""
    return "".join(c if _BASH_PLAIN.fullmatch(c) else f"\\{c}" for c in value)


def powershell_word(value: str) -> str:
    """`value` as PowerShell must be given it: in single quotes unless it is plain (a comma
    is PowerShell's array operator, so a list of codes is quoted)."""
    if re.fullmatch(r"[\w.:/+-]+", value) and not value.startswith("-"):
        return value
    return "'" + value.replace("'", "''") + "'"


class Group(TyperGroup):
    """The `loti` command group: Typer's completion, with words quoted for the shells that
    insert completions unquoted (bash, PowerShell); zsh and fish quote them themselves."""

    def _main_shell_completion(
        self, ctx_args: MutableMapping[str, Any], prog_name: str, complete_var: str | None = None
    ) -> None:
        _quote_for_shells()
        super()._main_shell_completion(ctx_args, prog_name, complete_var)


def _quote_for_shells() -> None:
    # Typer registers its shell classes each time it builds the command, so this runs just
    # before the completion is written.
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import BashComplete, PowerShellComplete

    add_completion_class(_quoting(BashComplete, bash_word), "bash")
    for name in ("powershell", "pwsh"):
        add_completion_class(_quoting(PowerShellComplete, powershell_word), name)


def _quoting(base: type[Any], quote: Callable[[str], str]) -> type[Any]:
    def format_completion(self: Any, item: Any) -> str:
        item.value = quote(str(item.value))
        return str(base.format_completion(self, item))

    return type(f"Quoting{base.__name__}", (base,), {"format_completion": format_completion})
