"""What `loti` imports where nothing is validated: `loti rules`, help and shell completion.

Each case runs the installed `loti` script in a fresh interpreter and reports, when
it exits, which of the heavy modules were imported: pydantic and the models cost
more than the rest of such a run, so these paths must never load them.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pytest
import typer
import typer.core
from typer.testing import CliRunner

from tests.conftest import Run, invoke

ROOT = Path(__file__).parents[1]
LOTI = str(Path(sys.executable).with_name("loti"))
WATCHED = ("pydantic", "loti_cli.core.model", "loti_cli.io.load", "ruamel.yaml")
MARK = "imported-heavy:"

WRAPPER = f"""
import atexit, json, runpy, sys
watched = {WATCHED!r}
atexit.register(
    lambda: print({MARK!r} + json.dumps([m for m in watched if m in sys.modules]), file=sys.stderr)
)
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def run(args: list[str], cwd: Path = ROOT, **env: str) -> tuple[int, str, str, list[str]]:
    """Run `loti ARGS`; exit code, stdout, stderr (without the report) and the heavy imports."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("LOTI_", "_LOTI"))}
    done = subprocess.run(
        [sys.executable, "-c", WRAPPER, LOTI, *args],
        cwd=cwd,
        env={**environment, "NO_COLOR": "1", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    *rest, report = done.stderr.rstrip("\n").split("\n")
    assert report.startswith(MARK), done.stderr
    return done.returncode, done.stdout, "\n".join(rest), json.loads(report[len(MARK) :])


def complete(words: str, shell: str = "bash", cwd: Path = ROOT) -> tuple[list[str], list[str]]:
    """What the shell would offer for `words`, and the heavy modules that answer imported."""
    cword = str(len(words.split()) - (0 if words.endswith(" ") else 1))
    code, stdout, stderr, heavy = run(
        [],
        cwd,
        _LOTI_COMPLETE=f"complete_{shell}",
        COMP_WORDS=words,
        COMP_CWORD=cword,
        _TYPER_COMPLETE_ARGS=words,
    )
    assert (code, stderr) == (0, "")
    return stdout.splitlines(), heavy


def test_rules_lists_without_pydantic() -> None:
    code, stdout, stderr, heavy = run(["rules"])
    assert (code, stderr, heavy) == (0, "", [])
    assert stdout.startswith("Code")
    assert re.search(r"^FP2 +two-member-boroughs +error ", stdout, re.MULTILINE)
    assert "`loti rules CODE` explains a rule, with examples." in stdout


@pytest.mark.parametrize("args", [["rules", "FP2"], ["rules", "two-member-boroughs"]])
def test_rules_explains_without_pydantic(args: list[str]) -> None:
    code, stdout, stderr, heavy = run(args)
    assert (code, stderr, heavy) == (0, "", [])
    assert stdout.startswith("FP2 two-member-boroughs (error, proposal rule;")
    assert "Fails:" in stdout


@pytest.mark.parametrize("args", [["rules", "--format", "json"], ["rules", "-f", "json", "fp2"]])
def test_rules_as_json_without_pydantic(args: list[str]) -> None:
    code, stdout, stderr, heavy = run(args)
    assert (code, stderr, heavy) == (0, "", [])
    data = json.loads(stdout)
    first = data[0] if isinstance(data, list) else data
    assert first["code"] in ("FP1", "FP2")


def test_an_unknown_rule_says_so_without_pydantic() -> None:
    code, stdout, stderr, heavy = run(["rules", "FP9"])
    assert (code, stdout, heavy) == (2, "", [])
    assert stderr.startswith("loti: error: no rule 'FP9'")


def test_a_bad_choice_still_gets_typers_message() -> None:
    code, stdout, stderr, _ = run(["rules", "--format", "xml"])
    assert (code, stdout) == (2, "")
    assert "Invalid value for '--format' / '-f'" in stderr
    assert "'xml' is not one of 'text', 'json'" in stderr


@pytest.mark.parametrize(
    "args",
    [["--help"], ["rules", "--help"], ["proposal", "check", "--help"], ["budget", "--help"]],
)
def test_help_without_pydantic(args: list[str]) -> None:
    code, stdout, stderr, heavy = run(args)
    assert (code, stderr, heavy) == (0, "", [])
    assert "Usage: loti" in stdout


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("loti rules FP", ["FP1", "FP2", "FP3", "FP4"]),
        ("loti rules two", ["two-member-boroughs"]),
        ("loti proposal check --select two", ["two-member-boroughs"]),
        ("loti proposal check proposals --ignore FP", ["FP1", "FP2", "FP3", "FP4"]),
        ("loti proposal check --format json --select FP", ["FP1", "FP2", "FP3", "FP4"]),
        ("loti proposal check --closing --select C", ["CL1", "CL2", "CL3"]),
        ("loti budget status --year 20", ["2020-21"]),
        ("loti report --year 20", ["2020-21"]),
        ("loti export 360giving --ledger ledgers/2020-21.yaml --year 20", ["2020-21"]),
    ],
)
def test_completion_without_pydantic_or_yaml(words: str, expected: list[str]) -> None:
    offered, heavy = complete(words)
    assert offered == expected
    assert heavy == []


def test_the_closure_rules_are_offered_only_with_closing() -> None:
    offered, _ = complete("loti proposal check --select ")
    assert "FP1" in offered and not [word for word in offered if word.startswith("CL")]
    offered, _ = complete("loti proposal check --closing --select ")
    assert {"FP1", "CL1", "CL2", "CL3"} <= set(offered)


def test_completion_of_pillars_reads_the_ledger_without_the_models(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    ledger = tmp_path / "ledgers" / "2020-21.yaml"
    os.utime(ledger, (time.time() - 60, time.time() - 60))  # older than a racy edit
    offered, heavy = complete("loti proposal new --pillar Cov", cwd=tmp_path)
    assert offered == ["Covid\\ Recovery"]  # bash takes it as one word
    assert heavy == ["ruamel.yaml"]
    assert (tmp_path / ".loti_cache" / ".gitignore").read_text().endswith("*\n")
    # The next TAB answers from the cache, without the YAML reader.
    assert complete("loti proposal new --pillar Sma", cwd=tmp_path) == (["Smarter\\ London"], [])
    # A changed ledger is read again: a pillar renamed is offered at once.
    text = ledger.read_text(encoding="utf-8").replace("Smarter London", "Smarter Londoners")
    ledger.write_text(text, encoding="utf-8")
    offered, heavy = complete("loti proposal new --pillar Sma", cwd=tmp_path)
    assert (offered, heavy) == (["Smarter\\ Londoners"], ["ruamel.yaml"])
    # A corrupt cache is ignored, and written anew.
    (tmp_path / ".loti_cache" / "pillars.json").write_text("{not json", encoding="utf-8")
    code, stdout, _, heavy = run([], tmp_path, **_completion_env("loti proposal new --pillar D"))
    assert (code, stdout.splitlines(), heavy) == (0, ["Developing\\ Capabilities"], ["ruamel.yaml"])


def _completion_env(words: str) -> dict[str, str]:
    return {
        "_LOTI_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
        "_TYPER_COMPLETE_ARGS": words,
    }


def test_zsh_completion_without_pydantic() -> None:
    offered, heavy = complete("loti rules FP2", "zsh")
    assert '"FP2":"at least two LOTI member boroughs lead or deliver the project"' in offered[0]
    assert heavy == []


# ---------------------------------------------------------------------------
# values converted without pydantic are converted exactly as Typer converts them


class Kind(StrEnum):
    text = "text"
    json = "json"


probe = typer.Typer()


@probe.command()
def show(
    paths: Annotated[list[Path] | None, typer.Argument()] = None,
    name: Annotated[str | None, typer.Option()] = None,
    kind: Annotated[Kind, typer.Option(case_sensitive=False)] = Kind.text,
    strict_kind: Annotated[Kind | None, typer.Option()] = None,
    code: Annotated[list[str] | None, typer.Option()] = None,
    kinds: Annotated[list[Kind] | None, typer.Option("--kinds")] = None,
    ledger: Annotated[Path | None, typer.Option(dir_okay=False)] = None,
    existing: Annotated[Path | None, typer.Option(exists=True)] = None,
    folder: Annotated[Path | None, typer.Option(file_okay=False)] = None,
    jobs: Annotated[int | None, typer.Option("-j", min=1)] = None,
) -> None:
    values = [paths, name, kind, strict_kind, code, kinds, ledger, existing, folder, jobs]
    print(repr(values), [type(value).__name__ for value in values])


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["--name", " x "],
        ["--name", ""],
        ["--kind", "JSON"],
        ["--kind", "xml"],
        ["--strict-kind", "json"],
        ["--strict-kind", "JSON"],
        ["--code", "FP1", "--code", "two-member-boroughs"],
        ["--kinds", "json", "--kinds", "text"],
        ["--kinds", "json", "--kinds", "yaml"],
        ["--ledger", "ledgers/2020-21.yaml"],
        ["--ledger", "ledgers/"],
        ["--ledger", "./nowhere/x.yaml"],
        ["--existing", "nowhere.yaml"],
        ["--existing", "ledgers//"],
        ["--folder", "pyproject.toml"],
        ["--folder", ""],
        ["proposals/", "./README.md", "-"],
        ["-j", "2"],
        ["-j", "0"],
    ],
)
def test_plain_values_convert_as_typer_does(
    args: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer._coercion import build_runtime_param

    import loti_cli.cli  # noqa: F401 - installs the plain conversion
    from loti_cli.commands import plain_values

    runner = CliRunner()
    monkeypatch.chdir(ROOT)
    assert vars(typer.core)["build_runtime_param"] is plain_values._build
    plain = runner.invoke(probe, args)
    monkeypatch.setitem(vars(typer.core), "build_runtime_param", build_runtime_param)
    typers = runner.invoke(probe, args)
    assert (plain.exit_code, plain.stdout, plain.stderr) == (
        typers.exit_code,
        typers.stdout,
        typers.stderr,
    )
    assert plain.exception is None or isinstance(plain.exception, SystemExit)


# ---------------------------------------------------------------------------
# the rule catalogue that `loti rules` and completion read instead of the registry


def facts(rule: Any) -> tuple[str, str, str, str, bool, bool, str]:
    return (
        rule.code,
        rule.name,
        str(rule.severity),
        rule.subject,
        rule.waivable,
        rule.closing,
        rule.summary,
    )


def test_the_rule_catalogue_is_current() -> None:
    from loti_cli.commands import catalogue
    from loti_cli.rules import RULES

    text = catalogue.write(RULES)
    if os.environ.get("LOTI_UPDATE_GOLDEN") == "1":
        catalogue.PATH.write_text(text, encoding="utf-8")
    assert catalogue.PATH.read_text(encoding="utf-8") == text, (
        "loti_cli/data/rules.tsv was written from other rules than loti_cli/rules/ now holds; "
        "run `LOTI_UPDATE_GOLDEN=1 uv run pytest tests/test_startup.py` and commit it"
    )
    entries = catalogue.read()
    assert entries is not None
    assert [facts(entry) for entry in entries] == [facts(rule) for rule in RULES]
    assert [facts(entry) for entry in catalogue.rules()] == [facts(rule) for rule in RULES]
    assert all(type(entry) is catalogue.Entry for entry in catalogue.rules())


def test_a_catalogue_older_than_the_rules_is_not_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loti_cli.commands import catalogue
    from loti_cli.rules import RULES

    rules = tmp_path / "rules"
    rules.mkdir()
    for source in (catalogue.PACKAGE / "rules").glob("*.py"):
        (rules / source.name).write_bytes(source.read_bytes())
    monkeypatch.setattr(catalogue, "PACKAGE", tmp_path)
    monkeypatch.setattr(catalogue, "PATH", tmp_path / "rules.tsv")
    catalogue.PATH.write_text(catalogue.write(RULES), encoding="utf-8")
    assert [facts(entry) for entry in catalogue.read() or []] == [facts(r) for r in RULES]

    fp2 = rules / "fp2_boroughs.py"
    fp2.write_text(fp2.read_text().replace("at least two LOTI", "at least 2 LOTI"))
    assert catalogue.read() is None
    assert catalogue.rules() is RULES


@pytest.mark.parametrize(
    "text",
    [
        "",
        "source\t00000000\ncode\tname\n",
        "# only a comment\n",
        "source\t{sum}\ncode\tname\tseverity\tsubject\twaivable\tsummary\nFP1\tx\terror\n",
        "source\t{sum}\ncode\tname\tseverity\tsubject\twaivable\tsummary\nFP1\tx\terror\tp\tmaybe\ts\n",
        "source\t{sum}\ncode\tname\tseverity\twaivable\tsubject\tsummary\n",
    ],
)
def test_a_malformed_catalogue_is_not_used(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loti_cli.commands import catalogue
    from loti_cli.rules import RULES

    path = tmp_path / "rules.tsv"
    path.write_text(text.replace("{sum}", catalogue.checksum()), encoding="utf-8")
    monkeypatch.setattr(catalogue, "PATH", path)
    assert catalogue.read(path) is None
    assert catalogue.rules() is RULES


def test_a_stale_catalogue_still_lists_every_rule(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from loti_cli.commands import catalogue

    stale = catalogue.PATH.read_text(encoding="utf-8").replace("FP2\t", "FP9\t")
    stale = stale.replace(f"source\t{catalogue.checksum()}", "source\t00000000")
    (tmp_path / "rules.tsv").write_text(stale, encoding="utf-8")
    monkeypatch.setattr(catalogue, "PATH", tmp_path / "rules.tsv")
    result = invoke("rules")
    assert result.exit_code == 0
    assert "FP2 " in result.stdout
    assert "FP9" not in result.stdout


# ---------------------------------------------------------------------------
# only the command a command line names is built; what it says does not change


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["budgte"],
        ["rules", "--bogus"],
        ["rules", "--format", "xml"],
        ["proposal"],
        ["proposal", "--help"],
        ["proposal", "chek"],
        ["proposal", "check", "--help"],
        ["proposal", "check", "--select"],
        ["budget", "status", "--ledger", "ledgers"],
        ["schema", "ledger", "--help"],
    ],
)
def test_a_narrowed_app_says_what_the_whole_app_says(
    args: list[str], cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    from loti_cli.commands import branch

    narrowed = cli(*args)
    monkeypatch.setattr(branch, "typed_words", list)  # no words: the whole app
    whole = cli(*args)
    assert (narrowed.exit_code, narrowed.stdout, narrowed.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )
    assert whole.stdout or whole.stderr


def test_the_branch_holds_only_the_named_commands() -> None:
    from loti_cli.cli import app, build
    from loti_cli.commands.branch import branch

    narrowed = branch(build(only="proposal"), ["proposal", "check", "proposals/", "--select"])
    [group] = narrowed.registered_groups
    assert (group.name, narrowed.registered_commands) == ("proposal", [])
    assert group.typer_instance is not None
    assert [c.name for c in group.typer_instance.registered_commands] == ["check"]
    whole = [
        c.name
        for g in app.registered_groups
        if g.name == "proposal"
        for c in g.typer_instance.registered_commands
    ]  # type: ignore[union-attr]
    assert {"check", "new", "decide"} <= set(whole)  # the app itself is untouched


@pytest.mark.parametrize(
    "words",
    [[], ["--version"], ["nosuch", "check"], ["proposal", "--strict", "check"]],
)
def test_no_branch_where_no_command_is_named(words: list[str]) -> None:
    from loti_cli.cli import app
    from loti_cli.commands.branch import branch

    narrowed = branch(app, words)
    if words and words[0] == "proposal":
        [group] = narrowed.registered_groups
        assert group.typer_instance is next(
            g.typer_instance for g in app.registered_groups if g.name == "proposal"
        )
    else:
        assert narrowed is app


@pytest.mark.parametrize(
    ("env", "argv", "expected"),
    [
        ({}, ["loti", "proposal", "check", "x.yaml"], ["proposal", "check", "x.yaml"]),
        (
            {
                "_LOTI_COMPLETE": "complete_bash",
                "COMP_WORDS": "loti proposal check --se",
                "COMP_CWORD": "3",
            },
            ["loti"],
            ["proposal", "check"],
        ),
        (
            {"_LOTI_COMPLETE": "bash_complete", "COMP_WORDS": "loti rules F a", "COMP_CWORD": "2"},
            ["loti"],
            ["rules"],
        ),
        (
            {"_LOTI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "loti proposal check --se"},
            ["loti"],
            ["proposal", "check"],
        ),
        (
            {"_LOTI_COMPLETE": "complete_fish", "_TYPER_COMPLETE_ARGS": "loti 'proposal"},
            ["loti"],
            [],
        ),
        (
            {"_LOTI_COMPLETE": "complete_bash", "COMP_WORDS": "loti rules", "COMP_CWORD": "x"},
            ["loti"],
            [],
        ),
    ],
)
def test_the_words_that_name_the_command(
    env: dict[str, str], argv: list[str], expected: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from loti_cli.commands.branch import typed_words

    for name in ("_LOTI_COMPLETE", "COMP_WORDS", "COMP_CWORD", "_TYPER_COMPLETE_ARGS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "argv", argv)
    assert typed_words() == expected


def test_evaluated_annotations_make_the_same_commands() -> None:
    code = """
import json, typer.main
from loti_cli.cli import build
from loti_cli.commands.branch import evaluate

def describe(command, path=()):
    rows = [[*path, p.name, p.opts, p.secondary_opts, repr(p.default), p.required, p.multiple,
             p.nargs, getattr(p, "help", None), repr(p.type_descriptor.annotation)]
            for p in command.params]
    for name, sub in getattr(command, "commands", {}).items():
        rows += describe(sub, (*path, name))
    return rows

before = describe(typer.main.get_command(build()))
after = describe(typer.main.get_command(evaluate(build())))
print(json.dumps([before == after, len(before)]))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    same, count = json.loads(done.stdout)
    assert same and count > 60
