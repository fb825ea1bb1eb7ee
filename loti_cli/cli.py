"""The `loti` command: a thin Typer app that joins the command groups and maps errors to exit codes.

A LotiError stops a command in one place, `commands.boundary`; `main` handles what is left.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from functools import cache
from typing import Annotated

import typer

from loti_cli import __version__
from loti_cli.commands import branch
from loti_cli.commands.boundary import Loti
from loti_cli.errors import ExitCode

try:
    from loti_cli.commands import plain_values
except ImportError:  # pragma: no cover - a Typer that does not convert values with pydantic
    pass
else:
    plain_values.install()

HELP = """\
Budget status and funding-principle checks for LOTI, the London Office of
Technology and Innovation.

Examples:

\b
  loti budget status               the year's money at a glance
  loti proposal check proposals/   which funding principles each proposal meets
  loti projects                    how each approved project is delivering
  loti rules FP2                   what a rule checks, and why
"""

# Each command's module is imported only when the command line names it (`loti
# --help` and a command line that names none import them all): every import adds to
# the start-up of `loti rules` and of each TAB press.


def _budget(app: typer.Typer) -> None:
    from loti_cli.commands import budget

    app.add_typer(budget.app, name="budget")


@cache
def _proposal_group() -> typer.Typer:
    from loti_cli.commands import proposal, proposal_edit, proposal_rank

    proposal_edit.register(proposal.app)
    proposal_rank.register(proposal.app)
    return proposal.app


def _proposal(app: typer.Typer) -> None:
    app.add_typer(_proposal_group(), name="proposal")


def _actuals(app: typer.Typer) -> None:
    from loti_cli.commands import actuals

    app.add_typer(actuals.app, name="actuals")


def _projects(app: typer.Typer) -> None:
    from loti_cli.commands import projects

    app.command("projects", help=projects.HELP)(projects.projects)


@cache
def _report_group() -> typer.Typer:
    from loti_cli.commands import report, report_boroughs

    report_boroughs.register(report.app)
    return report.app


def _report(app: typer.Typer) -> None:
    app.add_typer(_report_group(), name="report")


def _export(app: typer.Typer) -> None:
    from loti_cli.commands import export

    app.add_typer(export.app, name="export")


def _schema(app: typer.Typer) -> None:
    from loti_cli.commands import schema

    app.add_typer(schema.app, name="schema")


def _rules(app: typer.Typer) -> None:
    from loti_cli.commands import rules

    app.command("rules", help=rules.HELP)(rules.rules)


COMMANDS: dict[str, Callable[[typer.Typer], None]] = {
    "budget": _budget,
    "proposal": _proposal,
    "actuals": _actuals,
    "projects": _projects,
    "report": _report,
    "export": _export,
    "schema": _schema,
    "rules": _rules,
}
"""Each command of `loti`, in the order `loti --help` lists them, with what adds it to the app."""


def build(only: str | None = None) -> typer.Typer:
    """The `loti` app with every command, or with only the command named `only`."""
    app = typer.Typer(
        name="loti",
        help=HELP,
        no_args_is_help=True,
        add_completion=True,
        cls=Loti,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(_main)
    for name, add in COMMANDS.items():
        if only in (None, name):
            add(app)
    return app


@cache
def __getattr__(name: str) -> typer.Typer:
    """`loti_cli.cli.app`: the app with every command (built once, when first asked for)."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return build()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"loti {__version__}")
        raise typer.Exit()


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
        words = branch.typed_words()
        named = words[0] if words and words[0] in COMMANDS else None
        if words[:1] in (["--version"], ["-V"]):
            named = ""  # the version is all it asks: no command is built
        branch.evaluate(branch.branch(build(only=named), words))()
    except BrokenPipeError:  # `loti ... | head` closed the pipe: stop quietly
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)
    except OSError as error:  # a disk or a permission: not a bug in loti
        from loti_cli.core.findings import visible

        where = f": {error.filename}" if error.filename else ""
        print(f"loti: error: {visible(f'{error.strerror or error}{where}')}", file=sys.stderr)
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
