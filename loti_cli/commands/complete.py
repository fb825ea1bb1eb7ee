"""Shell completion of rule codes, pillar names and ledger years (bash, zsh and fish via Typer)."""

from __future__ import annotations

from pathlib import Path


def rule_codes(incomplete: str) -> list[tuple[str, str]]:
    """Rule codes and names that start with what has been typed, with their one-line summary."""
    from loti_cli.commands import catalogue

    typed = incomplete.casefold()
    found: list[tuple[str, str]] = []
    for rule in catalogue.rules():
        for word in (rule.code, rule.name):
            if word.casefold().startswith(typed):
                found.append((word, rule.summary))
    return found


def ledger_years(incomplete: str) -> list[str]:
    """Financial years that have a ledger here (ledgers/) or in the package."""
    from loti_cli.io.resolve import bundled_ledgers, year_files

    years = set(year_files(Path.cwd() / "ledgers")) | set(year_files(bundled_ledgers()))
    return sorted(year for year in years if year.startswith(incomplete))


def pillar_names(incomplete: str) -> list[str]:
    """Pillars of the ledger a command would use, for `--pillar` (read as YAML, not validated)."""
    from loti_cli.io import yamlio
    from loti_cli.io.resolve import choose_ledger

    try:
        allocations = yamlio.load(choose_ledger().path).data.get("allocations")
    except Exception:  # completion must never break the shell
        return []
    pillars = [
        item["pillar"]
        for item in (allocations if isinstance(allocations, list) else ())
        if isinstance(item, dict) and isinstance(item.get("pillar"), str) and item["pillar"].strip()
    ]
    return [p for p in pillars if p.casefold().startswith(incomplete.casefold())]
