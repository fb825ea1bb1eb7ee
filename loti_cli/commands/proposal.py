"""`loti proposal ...`: check proposals against the funding principles."""

from __future__ import annotations

import os
import sys
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from loti_cli.commands import complete
from loti_cli.commands.options import (
    Color,
    ColorOption,
    ForceOption,
    LedgerOption,
    NoCacheOption,
    NoColorOption,
    ProposalsOption,
    StrictOption,
    color_choice,
)
from loti_cli.errors import ExitCode, LotiError

if TYPE_CHECKING:
    from loti_cli.pipeline.check import CheckResult

app = typer.Typer(
    help="Proposals to funding panels: check, draft, and record the panel's decision."
    "\n\nExamples:\n\n\b\n  loti proposal check proposals/\n  loti proposal new"
    "\n  loti proposal decide proposals/cr-04.yaml --approve --panel 2020-11-05",
    no_args_is_help=True,
)

CHECK_HELP = """\
Check proposal files against the funding principles and the ledger of their
financial year.

Give files or folders (every .yaml and .yml below a folder is checked, and a
folder that cannot be listed is an IN1 error), or - to read one proposal from
standard input; with no PATH, proposals/ is checked.
Each finding names the file, line and column, the rule's code and what to fix;
`loti rules CODE` explains a rule. Exits 0 when no proposal has an unwaived
error (warnings allowed), 1 when one has (with --strict, a warning too), 2 when
the check cannot run (a path or ledger that does not exist, a bad option).
--output never replaces a file the check reads (a proposal, the ledger, a file
named here) unless --force is given. DL3 compares an approved project's actuals
(ledgers/YYYY-YY.actuals.csv) with its award; --closing adds the closure rules
CL1 to CL3 that loti proposal close applies.

Examples:

  loti proposal check

  loti proposal check proposals/cr-02.yaml --strict

  loti proposal check proposals/ --format github --output sarif=loti.sarif

  loti proposal check proposals/ --format junit > report.xml

  loti proposal check proposals/ --select FP2,BU2 --ignore PC5

  loti proposal check proposals/cr-03.yaml --closing

  cat proposals/cr-02.yaml | loti proposal check -
"""


class CheckFormat(StrEnum):
    """The names of `loti_cli.report.CHECK_REPORTERS`, and `auto` to choose one (a test keeps
    them the same)."""

    auto = "auto"
    text = "text"
    json = "json"
    github = "github"
    junit = "junit"
    sarif = "sarif"
    markdown = "markdown"


PROGRESS_THRESHOLD = 20
"""More files than this, on a terminal, and a progress display goes to standard error."""

STEP_SUMMARY = "GITHUB_STEP_SUMMARY"


@app.command("check", help=CHECK_HELP)
def check(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Proposal files or folders; - reads one proposal from standard input "
            "(default: proposals/).",
            metavar="PATH",
            show_default=False,
        ),
    ] = None,
    *,
    ledger: LedgerOption = None,
    proposals: ProposalsOption = None,
    output_format: Annotated[
        CheckFormat,
        typer.Option(
            "--format",
            "-f",
            help="Output format on standard output; auto is text, or github when not on a "
            "terminal and GITHUB_ACTIONS is set.",
        ),
    ] = CheckFormat.auto,
    outputs: Annotated[
        list[str] | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FORMAT=FILE",
            help="Also write FORMAT to FILE in the same run, e.g. --output junit=report.xml; "
            "may be repeated. Never a proposal or ledger the check reads, unless --force.",
            show_default=False,
        ),
    ] = None,
    force: ForceOption = False,
    strict: StrictOption = False,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="CODES",
            help="Run only these rules: codes or names, comma-separated; may be repeated.",
            show_default=False,
            autocompletion=complete.rules_to_select,
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="CODES",
            help="Skip these rules: codes or names, comma-separated; may be repeated.",
            show_default=False,
            autocompletion=complete.rules_to_ignore,
        ),
    ] = None,
    jobs: Annotated[
        int | None,
        typer.Option(
            "--jobs",
            "-j",
            min=1,
            metavar="N",
            help="Check files in N parallel workers, at most one per file and per CPU "
            "(default: loti chooses).",
        ),
    ] = None,
    closing: Annotated[
        bool,
        typer.Option(
            "--closing",
            help="Also run the closure rules (CL1-CL3) that loti proposal close applies.",
        ),
    ] = False,
    color: ColorOption = Color.auto,
    no_color: NoColorOption = False,
    no_cache: NoCacheOption = False,
) -> None:
    code = _check(
        paths or [],
        ledger=ledger,
        proposals=proposals,
        output_format=output_format,
        outputs=outputs or [],
        force=force,
        strict=strict,
        select=select or [],
        ignore=ignore or [],
        jobs=jobs,
        color=color_choice(color, no_color),
        no_cache=no_cache,
        closing=closing,
    )
    raise typer.Exit(int(code))


def _check(
    paths: list[Path],
    *,
    ledger: Path | None,
    proposals: Path | None,
    output_format: CheckFormat,
    outputs: list[str],
    strict: bool,
    select: list[str],
    ignore: list[str],
    jobs: int | None,
    color: str,
    no_cache: bool,
    force: bool = False,
    closing: bool = False,
) -> ExitCode:
    from loti_cli.core.findings import fails
    from loti_cli.pipeline.check import check_paths
    from loti_cli.report import CHECK_REPORTERS, RenderOptions
    from loti_cli.report.terminal import terminal_width, wants_color

    # --output is checked before any file is read, so a typo costs nothing; check_paths
    # checks the paths, the rule codes and the ledger the same way, before reading.
    extra = parse_outputs(outputs)
    targets = check_targets(paths)
    _refuse_inputs(extra, targets, ledger=ledger, proposals=proposals, force=force)
    output_format = resolve_format(output_format)
    with _progress(targets) as bar:
        result = check_paths(
            targets,
            ledger=ledger,
            proposals=proposals,
            select=split_codes(select),
            ignore=split_codes(ignore),
            strict=strict,
            stdin=sys.stdin if "-" in targets else None,
            jobs=jobs,
            progress=bar.update if bar is not None else None,
            no_cache=no_cache,
            closing=closing,
            memo=True,
        )

    for note in result.notes:
        print(f"loti: note: {note}", file=sys.stderr)
    plain = RenderOptions(color=False, width=100)
    written = {path: CHECK_REPORTERS[name].render(result, plain) for name, path in extra.items()}
    for path, text in written.items():
        _write(path, text)
    if output_format is CheckFormat.github or "github" in extra:
        _append_step_summary(result)
    options = plain
    if output_format is CheckFormat.text:
        options = RenderOptions(color=wants_color(color), width=terminal_width())
    CHECK_REPORTERS[output_format.value].write(result, options)
    findings = [finding for item in result.results for finding in item.findings]
    return ExitCode.FINDINGS if fails(findings, strict=strict) else ExitCode.OK


def resolve_format(chosen: CheckFormat) -> CheckFormat:
    """`auto`: github annotations in GitHub Actions when output is not a terminal, else text."""
    if chosen is not CheckFormat.auto:
        return chosen
    if not sys.stdout.isatty() and os.environ.get("GITHUB_ACTIONS") == "true":
        return CheckFormat.github
    return CheckFormat.text


def parse_outputs(values: list[str]) -> dict[str, Path]:
    """`--output FORMAT=FILE` values as {format: file}; a bad one stops the run (exit 2)."""
    from loti_cli.core.suggest import did_you_mean
    from loti_cli.report import CHECK_REPORTERS

    names = list(CHECK_REPORTERS)
    usage = f"write it as FORMAT=FILE, e.g. --output junit=report.xml (formats: {', '.join(names)})"
    found: dict[str, Path] = {}
    files: set[Path] = set()
    for value in values:
        name, equals, file = value.partition("=")
        name = name.strip().lower()
        if not equals or not name or not file:
            raise LotiError(f"--output {value!r}: {usage}")
        if name not in CHECK_REPORTERS:
            raise LotiError(
                f"--output {value!r}: unknown format {name!r}{did_you_mean(name, names)} "
                f"(formats: {', '.join(names)})"
            )
        path = Path(file)
        if file == "-":
            raise LotiError(
                f"--output {value!r}: standard output is for --format; name a file instead"
            )
        if name in found:
            raise LotiError(
                f"--output {value!r}: format {name!r} is already written to {found[name]}"
            )
        if path in files:
            raise LotiError(f"--output {value!r}: {file} is already the target of another --output")
        if path.is_dir():
            raise LotiError(f"--output {value!r}: {file} is a folder; name a file")
        parent = path.parent
        if not parent.is_dir():
            raise LotiError(f"--output {value!r}: folder {parent} does not exist")
        found[name] = path
        files.add(path)
    return found


def _refuse_inputs(
    extra: dict[str, Path],
    targets: list[str],
    *,
    ledger: Path | None,
    proposals: Path | None,
    force: bool,
) -> None:
    """No --output over a file the check reads, unless --force (exit 2 before any reading)."""
    if not extra or force:
        return
    from loti_cli.io.outputs import refuse_inputs, workspace
    from loti_cli.io.resolve import default_proposals

    inputs = workspace(
        ledgers=[ledger],
        proposals=default_proposals(proposals),
        named=[Path(name) for name in targets],
    )
    for name, path in extra.items():
        refuse_inputs(path, inputs, option=f"--output {name}={path}", force=force)


def split_codes(values: list[str]) -> tuple[str, ...]:
    """Rule codes or names from every use of --select or --ignore, each comma-separated."""
    return tuple(word for value in values for word in (p.strip() for p in value.split(",")) if word)


def check_targets(paths: list[Path]) -> list[str]:
    """The paths to check, as given (- is standard input), or proposals/ when none are."""
    if paths:
        return [str(path) for path in paths]
    if not Path("proposals").is_dir():
        raise LotiError(
            "no PATH given and there is no proposals/ folder here; "
            "name the proposal files or folders to check"
        )
    return ["proposals"]


def _count_files(targets: list[str]) -> int:
    from loti_cli.io.resolve import proposal_files

    return sum(len(proposal_files(Path(name))) if Path(name).is_dir() else 1 for name in targets)


def _progress(targets: list[str]) -> AbstractContextManager[_Bar | None]:
    """A progress bar on standard error: only on a terminal, and only for many files."""
    if not sys.stderr.isatty():
        return nullcontext()
    count = _count_files(targets)
    return _Bar(count) if count > PROGRESS_THRESHOLD else nullcontext()


class _Bar:
    """rich.progress on standard error while the files are read; gone when it ends."""

    def __init__(self, count: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

        self.progress = Progress(
            "checking",
            BarColumn(),
            MofNCompleteColumn(),
            "proposal files",
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task("check", total=count)

    def update(self, done: int, total: int) -> None:
        self.progress.update(self.task, completed=done, total=total)

    def __enter__(self) -> _Bar:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()


def _write(path: Path, text: str) -> None:
    from loti_cli.io.outputs import write

    write(path, text)


def _append_step_summary(result: CheckResult) -> None:
    """Append the markdown report to the job summary GitHub shows for this step."""
    target = os.environ.get(STEP_SUMMARY)
    if not target:
        return
    from loti_cli.report import CHECK_REPORTERS

    text = CHECK_REPORTERS["markdown"].render(result)
    try:
        with Path(target).open("a", encoding="utf-8") as summary:
            summary.write(text + "\n")
    except OSError as error:
        # The job summary is a nicety; the check's own result must not depend on it.
        print(
            f"loti: warning: cannot append to ${STEP_SUMMARY} ({target}): "
            f"{error.strerror or error}",
            file=sys.stderr,
        )
