"""Shared fixtures: run `loti` in-process (via Typer's runner or `main`), in a tmp folder."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from loti_cli.cli import app, main

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
    """What a run of the real entry point did."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli() -> Callable[..., Result]:
    """`cli("budget", "status", env={...})`: Typer's runner on the app, exceptions not caught.

    stdout and stderr are kept apart (`result.stdout`, `result.stderr`).
    """
    runner = CliRunner()

    def run(*args: str, env: Env | None = None) -> Result:
        return runner.invoke(
            app, list(args), env={**CLEAN_ENV, **(env or {})}, catch_exceptions=False
        )

    return run


@pytest.fixture
def loti(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., Run]:
    """`loti("budget", "status")`: the real entry point `loti_cli.cli.main`, in-process.

    Unlike `cli`, this goes through `main()`, which turns a LotiError (a missing
    file, an unknown year) into its message and exit code 2.
    """

    def run(*args: str, env: Env | None = None) -> Run:
        for name, value in {**CLEAN_ENV, **(env or {})}.items():
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        monkeypatch.setattr(sys, "argv", ["loti", *args])
        capsys.readouterr()
        code: int | str | None = 0
        try:
            main()
        except SystemExit as stop:
            code = stop.code
        out, err = capsys.readouterr()
        assert isinstance(code, int | None), f"exit with a message instead of a code: {code!r}"
        return Run(code or 0, out, err)

    return run


@pytest.fixture
def in_tmp_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run the test from an empty temporary folder (its path is returned)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
