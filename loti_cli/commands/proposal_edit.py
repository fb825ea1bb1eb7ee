"""Joins `loti proposal new` and `loti proposal decide` to the proposal group."""

from __future__ import annotations

import typer

from loti_cli.commands import proposal_decide, proposal_new


def register(app: typer.Typer) -> None:
    """Add `proposal new` and `proposal decide` to the proposal group."""
    app.command("new", help=proposal_new.HELP)(proposal_new.new)
    app.command("decide", help=proposal_decide.HELP)(proposal_decide.decide)
