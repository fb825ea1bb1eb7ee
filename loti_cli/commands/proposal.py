"""`loti proposal ...`: check proposals against the funding principles."""

from __future__ import annotations

import typer

app = typer.Typer(help="Proposals to funding panels.", no_args_is_help=True)
