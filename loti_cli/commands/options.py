"""Options shared by several commands."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from loti_cli.commands import complete


class Color(StrEnum):
    auto = "auto"
    always = "always"
    never = "never"


LedgerOption = Annotated[
    Path | None,
    typer.Option(
        "--ledger",
        help="Ledger file to use (default: $LOTI_LEDGER, the latest ledgers/YYYY-YY.yaml, "
        "or the ledger bundled with loti).",
        dir_okay=False,
    ),
]
ProposalsOption = Annotated[
    Path | None,
    typer.Option(
        "--proposals",
        help="Folder of proposals that count against the budget (default: proposals/ if present).",
        file_okay=False,
    ),
]
YearOption = Annotated[
    str | None,
    typer.Option(
        "--year",
        "-y",
        help="Financial year whose ledger to use, e.g. 2020-21.",
        autocompletion=complete.ledger_years,
    ),
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Warnings fail the run too.")]
ColorOption = Annotated[
    Color, typer.Option("--color", help="Colour the output: auto (on a terminal), always, never.")
]
NoColorOption = Annotated[bool, typer.Option("--no-color", help="Never colour the output.")]
NoCacheOption = Annotated[
    bool,
    typer.Option(
        "--no-cache",
        help="Judge every proposal file again rather than answer unchanged ones from "
        ".loti_cache/ (also LOTI_NO_CACHE=1).",
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Write --output even over a file this run reads (the ledger, a ledger in ledgers/, "
        "a proposal, a file named here), which is otherwise refused.",
    ),
]


def color_choice(color: Color, no_color: bool) -> str:
    return "never" if no_color else color.value


def date_value(text: str) -> date:
    """A `--date` as model.parse_date reads it, refused with its reason as a usage error."""
    from loti_cli.core.values import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise typer.BadParameter(str(error)) from None
