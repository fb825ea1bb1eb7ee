"""The `loti` command: a thin Typer app that joins the command groups and maps errors to exit codes."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from loti_cli import __version__
from loti_cli.commands import budget, export, proposal, proposal_edit, report, rules, schema
from loti_cli.commands.complete import Group
from loti_cli.errors import ExitCode, LotiError

HELP = """\
Budget status and funding-principle checks for LOTI, the London Office of
Technology and Innovation.

Examples:

\b
  loti budget status               the year's money at a glance
  loti proposal check proposals/   which funding principles each proposal meets
  loti rules FP2                   what a rule checks, and why
"""

app = typer.Typer(
    name="loti",
    help=HELP,
    no_args_is_help=True,
    add_completion=True,
    cls=Group,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.add_typer(budget.app, name="budget")
app.add_typer(proposal.app, name="proposal")
proposal_edit.register(proposal.app)
app.add_typer(report.app, name="report")
app.add_typer(export.app, name="export")
app.add_typer(schema.app, name="schema")
app.command("rules", help=rules.HELP)(rules.rules)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"loti {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", "-V", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Budget status and funding-principle checks for LOTI."""


def main() -> None:
    """Run the command; a user never sees a traceback (set LOTI_DEBUG=1 to see one)."""
    from loti_cli.report import emit

    emit.plain_streams()  # an ASCII terminal gets plain forms, never an encoding error
    try:
        app()
    except LotiError as error:
        print(f"loti: error: {error.message}", file=sys.stderr)
        for detail in error.details:
            print(detail, file=sys.stderr)
        sys.exit(int(error.exit_code))
    except BrokenPipeError:  # `loti ... | head` closed the pipe: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as error:  # a disk or a permission: not a bug in loti
        where = f": {error.filename}" if error.filename else ""
        print(f"loti: error: {error.strerror or error}{where}", file=sys.stderr)
        sys.exit(int(ExitCode.FAILURE))
    except KeyboardInterrupt:
        print("loti: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as error:  # the one place that catches everything
        if os.environ.get("LOTI_DEBUG"):
            raise
        print(
            f"loti: internal error ({type(error).__name__}: {error}); this is a bug in loti, "
            "please report it with the command you ran (LOTI_DEBUG=1 shows the details)",
            file=sys.stderr,
        )
        sys.exit(int(ExitCode.FAILURE))
