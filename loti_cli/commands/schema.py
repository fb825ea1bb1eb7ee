"""`loti schema ...`: the JSON Schemas that let editors complete and validate the YAML files."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from loti_cli.core.schema import Kind

HELP = """\
JSON Schemas (draft-07) of the proposal and ledger files, for editors.

The schemas are generated from the same models `loti` checks with; schemas/ in
the repository holds committed copies, which the YAML language server (VS Code's
YAML extension and others) reads from the first line of each file:

  # yaml-language-server: $schema=../schemas/proposal.schema.json

Examples:

\b
  loti schema proposal > schemas/proposal.schema.json
  loti schema ledger > schemas/ledger.schema.json
"""

PROPOSAL_HELP = """\
Print the JSON Schema (draft-07) of a proposal file.

Editors that read it complete the keys, list the allowed statuses and roles,
and flag unknown keys and wrong types as you type. The keys the proposal format
calls required are marked required; the funding rules themselves (two member
boroughs, open licences, headroom) are for `loti proposal check`.

Examples:

  loti schema proposal > schemas/proposal.schema.json

  loti schema proposal | jq '.properties | keys'
"""

LEDGER_HELP = """\
Print the JSON Schema (draft-07) of a ledger file.

Examples:

  loti schema ledger > schemas/ledger.schema.json

  loti schema ledger | jq .required
"""

app = typer.Typer(help=HELP, no_args_is_help=True)


@app.command("proposal", help=PROPOSAL_HELP)
def proposal() -> None:
    _print("proposal")


@app.command("ledger", help=LEDGER_HELP)
def ledger() -> None:
    _print("ledger")


def _print(kind: Kind) -> None:
    from loti_cli.core.schema import render_schema
    from loti_cli.report import emit

    emit.data(render_schema(kind))
