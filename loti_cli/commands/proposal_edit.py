"""Joins `loti proposal new`, `decide` and `close` to the proposal group."""

from __future__ import annotations

import typer

from loti_cli.commands import proposal_close, proposal_decide, proposal_new


def register(app: typer.Typer) -> None:
    """Add `proposal new`, `proposal decide` and `proposal close` to the proposal group."""
    app.command("new", help=proposal_new.HELP)(proposal_new.new)
    app.command("decide", help=proposal_decide.HELP)(proposal_decide.decide)
    app.command("close", help=proposal_close.HELP)(proposal_close.close)
