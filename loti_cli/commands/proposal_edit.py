"""Placeholder, being written."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add `proposal new` and `proposal decide` to the proposal group."""
