"""Shared fixtures: run `loti` in-process through its real entry point, in a tmp folder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loti_cli.cli import main

WITHOUT_CALL = shutil.ignore_patterns("cif-*.yaml", "scores")
"""`copytree(..., ignore=WITHOUT_CALL)`: the repository's proposals without the Covid
Innovation Fund's eight bids and their scores, for tests about the rest of the portfolio
(the bids' £285,000 of pipeline takes Covid Recovery's whole pipeline past its allocation)."""

CLEAN_ENV: dict[str, str | None] = {
    "LOTI_LEDGER": None,
    "LOTI_DEBUG": None,
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "COLUMNS": None,
    "LOTI_NO_CACHE": None,
}
"""Variables that change what `loti` does, unset for every run unless a test sets them."""

Env = Mapping[str, str | None]


@dataclass(frozen=True, slots=True)
class Run:
    """What a run of `loti` did: its exit code and what it wrote on each stream."""

    exit_code: int
    stdout_bytes: bytes
    stderr_bytes: bytes
    output_bytes: bytes
    """stdout and stderr as a terminal shows them, interleaved."""

    @property
    def stdout(self) -> str:
        return _text(self.stdout_bytes)

    @property
    def stderr(self) -> str:
        return _text(self.stderr_bytes)

    @property
    def output(self) -> str:
        return _text(self.output_bytes)


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace").replace("\r\n", "\n")


def invoke(*args: str, env: Env | None = None, input: str | bytes | None = None) -> Run:
    """Run `loti ARGS` in-process through its real entry point, `loti_cli.cli.main`, as a
    user's command line would: with `input` on stdin and `env` over the environment."""
    with CliRunner().isolation(input=input, env={**CLEAN_ENV, **(env or {})}) as streams:
        stdout, stderr, output = streams
        argv = sys.argv
        sys.argv = ["loti", *args]
        code: int | str | None = 0
        try:
            main()
        except SystemExit as stop:
            code = stop.code
        finally:
            sys.argv = argv
        sys.stdout.flush()
        sys.stderr.flush()
        assert isinstance(code, int | None), f"exit with a message instead of a code: {code!r}"
        return Run(code or 0, stdout.getvalue(), stderr.getvalue(), output.getvalue())


@pytest.fixture
def cli() -> Callable[..., Run]:
    """`cli("budget", "status", env={...}, input="...")`: `loti` run in-process through its
    real entry point (see `invoke`); the one way tests run the command line in-process."""
    return invoke


@pytest.fixture
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty temporary folder (its path is returned)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


CHECK_JSON = [sys.executable, "-m", "loti_cli", "proposal", "check", "--format", "json"]
"""`loti proposal check --format json` as a real process."""


def process_env() -> dict[str, str]:
    """The environment for loti as a real process: this one, without any LOTI_ setting."""
    return {k: v for k, v in os.environ.items() if not k.startswith("LOTI_")}


def started(command: list[str], cwd: Path, count: int) -> list[subprocess.Popen[bytes]]:
    """`count` real processes of `command` in `cwd`, started together (process_env)."""
    return [
        subprocess.Popen(
            command, cwd=cwd, env=process_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE
        )
        for _ in range(count)
    ]


def ran(command: list[str], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """`command` run once to its end in `cwd` (process_env)."""
    return subprocess.run(command, cwd=cwd, env=process_env(), capture_output=True, check=False)
