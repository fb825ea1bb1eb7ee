"""Shell completion of rule codes, pillar names and ledger years (bash, zsh and fish via Typer)."""

from __future__ import annotations

from pathlib import Path


def rule_codes(incomplete: str) -> list[tuple[str, str]]:
    """Rule codes and names that start with what has been typed, with their one-line summary."""
    from loti_cli.rules import RULES

    typed = incomplete.casefold()
    found: list[tuple[str, str]] = []
    for rule in RULES:
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
    """Pillars of the ledger a command would use, for `--pillar`."""
    from loti_cli.io.load import load_ledger
    from loti_cli.io.resolve import choose_ledger

    try:
        source = load_ledger(choose_ledger().path)
    except Exception:  # completion must never break the shell
        return []
    if source.model is None:
        return []
    pillars = [allocation.pillar for allocation in source.model.allocations or ()]
    return [p for p in pillars if p.casefold().startswith(incomplete.casefold())]
