"""`loti rules [CODE]`: list the rules, or explain one."""

from __future__ import annotations

HELP = "List every rule, or explain one."


def rules() -> None:
    raise NotImplementedError
