"""`loti actuals ...`: the year's actual spend, imported from the finance system's export."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from loti_cli.commands.options import LedgerOption, ProposalsOption, YearOption
from loti_cli.errors import ExitCode

app = typer.Typer(
    help="The year's actual spend, imported from the finance system's CSV export."
    "\n\nExamples:\n\n\b\n  loti actuals import export.csv\n"
    "  loti actuals import export.csv --dry-run",
    no_args_is_help=True,
)

IMPORT_HELP = """\
Import the rows of a finance system's CSV export into the year's actuals,
ledgers/YYYY-YY.actuals.csv beside the ledger (then see loti budget monitor).

The rules file (default: import.rules.yaml beside the ledger) says which columns
mean what and which expenditure line or proposal each row belongs to: the first
rule that matches wins. Importing is idempotent: a row whose id is already in
the actuals file is skipped, so the same export (or an overlapping one) can be
imported again. A row no rule matches is imported with no line or proposal
(IM2, a warning); a row with a cell that cannot be read (IM1) or dated outside
the financial year (IM3) is not imported, and the others are. The file is
written atomically, sorted by date then id, under a lock of its folder.

Exits 0 when every row was imported or was already there, 1 when some rows had
errors (the others are imported), 2 when nothing could be imported: a missing
or unreadable export, invalid rules (IM5) or rules naming a line or proposal
the year does not have (IM4), a header without the rules' columns (or with
one twice), or an actuals file that is not valid (MN6).

Examples:

\b
  loti actuals import ledgers/examples/finance-export-2020-12.csv
  loti actuals import export.csv --dry-run
  loti actuals import export.csv --rules ledgers/oracle.rules.yaml --year 2020-21
"""


@app.command("import", help=IMPORT_HELP)
def import_(
    export: Annotated[
        Path,
        typer.Argument(help="The CSV export of the finance system.", metavar="EXPORT.csv"),
    ],
    rules: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            help="The import rules file (default: import.rules.yaml beside the ledger).",
            dir_okay=False,
        ),
    ] = None,
    year: YearOption = None,
    ledger: LedgerOption = None,
    proposals: ProposalsOption = None,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Print the rows that would be imported; write nothing."),
    ] = False,
) -> None:
    from loti_cli.core.findings import fails, sort_key
    from loti_cli.pipeline.actuals_import import Options, note, run_import
    from loti_cli.report import emit
    from loti_cli.report.actuals_import import summary, table

    options = Options(export, rules, ledger, year, proposals, dry_run)
    result = run_import(options, note)
    if dry_run:
        emit.text(lambda: table(result.added, emit.pound_sign()))
    for finding in sorted(result.findings, key=sort_key):
        print(finding, file=sys.stderr)
    print(summary(result, dry_run=dry_run, sign=emit.pound_sign(sys.stderr)), file=sys.stderr)
    raise typer.Exit(int(ExitCode.FINDINGS if fails(result.findings) else ExitCode.OK))
