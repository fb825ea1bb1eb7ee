"""Output where the locale is not UTF-8, in real processes: data formats go out as UTF-8
bytes, text for people in plain ASCII forms, and nothing ends in an encoding error.

Standard input that is not UTF-8 is an IN1 finding at its byte, as a file is.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from loti_cli.io import files, yaml_read
from loti_cli.io.yaml_read import Mark, YamlError
from loti_cli.report import emit

ROOT = Path(__file__).parent.parent

LOCALES = {
    "ascii": {"PYTHONIOENCODING": "ascii"},
    "C": {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"},
}
UTF8 = {"PYTHONIOENCODING": "utf-8", "PYTHONUTF8": "1"}

DATA = {
    "budget json": ["budget", "status", "--format", "json"],
    "budget csv": ["budget", "status", "--format", "csv"],
    "check json": ["proposal", "check", "--format", "json"],
    "check sarif": ["proposal", "check", "--format", "sarif"],
    "check junit": ["proposal", "check", "--format", "junit"],
    "check github": ["proposal", "check", "--format", "github"],
    "report html": ["report", "--date", "2020-10-01"],
    "rules json": ["rules", "BU1", "--format", "json"],
    "schema": ["schema", "proposal"],
}
TEXT = {
    "budget table": ["budget", "status"],
    "budget markdown": ["budget", "status", "--format", "markdown"],
    "check text": ["proposal", "check", "--format", "text"],
    "check markdown": ["proposal", "check", "--format", "markdown"],
    "report markdown": ["report", "--format", "markdown", "--date", "2020-10-01"],
    "rules BU1": ["rules", "BU1"],
}

# One proposal over its pillar, so that the findings name amounts in pounds.
OVER = (ROOT / "proposals" / "cr-04.yaml").read_text(encoding="utf-8")
OVER_AND_ACCENTED = OVER.replace("requested: 35000", "requested: 350000").replace(
    "title: ", "title: Café – ", 1
)


def run(
    args: list[str], env: dict[str, str], cwd: Path, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "loti_cli", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        timeout=120,
        check=False,
        env=_env(env, cwd),
    )


def _env(env: dict[str, str], cwd: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(cwd),
        "COLUMNS": "120",
    } | env


# Runs each command through `main` in one process whose standard output and error are
# files (as for a pipe), so that many commands cost one start of Python.
DRIVER = """
import json, os, sys
from loti_cli.cli import main
results = []
commands, folder = json.loads(sys.argv[1]), sys.argv[2]
for index, args in enumerate(commands):
    with open(f"{folder}/{index}.out", "wb") as out, open(f"{folder}/{index}.err", "wb") as err:
        os.dup2(out.fileno(), 1)
        os.dup2(err.fileno(), 2)
        sys.argv = ["loti", *args]
        try:
            main()
            code = 0
        except SystemExit as stop:
            code = stop.code or 0
        sys.stdout.flush()
        sys.stderr.flush()
    results.append(code)
with open(f"{folder}/codes.json", "w") as codes:
    json.dump(results, codes)
"""


def run_many(
    commands: list[list[str]], env: dict[str, str], cwd: Path, out: Path
) -> list[subprocess.CompletedProcess[bytes]]:
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, json.dumps(commands), str(out)],
        cwd=cwd,
        capture_output=True,
        timeout=300,
        check=False,
        env=_env(env, cwd),
    )
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    codes = json.loads((out / "codes.json").read_text())
    return [
        subprocess.CompletedProcess(
            args, codes[i], (out / f"{i}.out").read_bytes(), (out / f"{i}.err").read_bytes()
        )
        for i, args in enumerate(commands)
    ]


@pytest.fixture(scope="module")
def runs(
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[tuple[str, str], subprocess.CompletedProcess[bytes]]:
    """Every command of DATA and TEXT in every locale, and in UTF-8."""
    names = [*DATA, *TEXT]
    commands = [{**DATA, **TEXT}[name] for name in names]
    found: dict[tuple[str, str], subprocess.CompletedProcess[bytes]] = {}
    # One folder for every locale, so that documents naming it (SARIF) can be compared.
    folder = tmp_path_factory.mktemp("encodings") / "project"
    for locale, env in {**LOCALES, "utf-8": UTF8}.items():
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(ROOT / "ledgers", folder / "ledgers")
        shutil.copytree(ROOT / "proposals", folder / "proposals")
        (folder / "proposals" / "cr-04.yaml").write_text(OVER_AND_ACCENTED, encoding="utf-8")
        results = run_many(commands, env, folder, tmp_path_factory.mktemp(f"out-{locale}"))
        found |= {(locale, name): result for name, result in zip(names, results, strict=True)}
    return found


def no_crash(result: subprocess.CompletedProcess[bytes]) -> None:
    stderr = result.stderr.decode("ascii", "replace")
    assert "internal error" not in stderr
    assert "Traceback" not in stderr
    assert result.returncode in (0, 1), stderr


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", DATA)
def test_data_formats_are_utf8_bytes_whatever_the_locale(
    runs: dict[tuple[str, str], subprocess.CompletedProcess[bytes]], locale: str, name: str
) -> None:
    result = runs[locale, name]
    no_crash(result)
    assert result.stdout == runs["utf-8", name].stdout
    result.stdout.decode("utf-8")  # strict: every byte is UTF-8
    if name not in ("schema", "budget csv"):
        assert "£".encode() in result.stdout
    if name == "check json":
        assert "Café – ".encode() in result.stdout


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("name", TEXT)
def test_text_falls_back_to_plain_forms(
    runs: dict[tuple[str, str], subprocess.CompletedProcess[bytes]], locale: str, name: str
) -> None:
    result = runs[locale, name]
    no_crash(result)
    text = result.stdout.decode("ascii")  # strict: ASCII only
    assert result.returncode == runs["utf-8", name].returncode
    assert "\\u00a3" not in text and "\\xa3" not in text
    if name.startswith(("budget", "report")):
        assert "GBP 450,000" in text
    if name.startswith("check"):
        assert "GBP 350,000" in text
    if name == "check text":
        assert "Caf\\u00e9 - " in text
    if name == "rules BU1":
        assert "total_cost GBP 60,000 differs from requested GBP 5,000" in text
    utf8 = runs["utf-8", name].stdout.decode("utf-8")
    assert len(text.splitlines()) == len(utf8.splitlines())


@pytest.mark.parametrize("locale", LOCALES)
def test_the_budget_table_keeps_its_columns(
    runs: dict[tuple[str, str], subprocess.CompletedProcess[bytes]], locale: str
) -> None:
    text = runs[locale, "budget table"].stdout.decode("ascii")
    rows = [line for line in text.splitlines() if " | " in line]
    assert rows
    for table in ("Line ", "Pillar "):
        start = next(i for i, row in enumerate(rows) if row.lstrip().startswith(table))
        block = [row for row in rows[start:] if row.count("|") == rows[start].count("|")]
        bars = {tuple(i for i, char in enumerate(row) if char == "|") for row in block[:4]}
        assert len(bars) == 1, block[:4]
    assert "#" in text  # the bar of each pillar, in plain characters
    assert "-+-" in text


@pytest.mark.parametrize("locale", LOCALES)
def test_messages_in_pounds_are_plain_on_stderr_too(tmp_path: Path, locale: str) -> None:
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    (tmp_path / "p.yaml").write_text(
        OVER.replace("requested: 35000", "requested: 350000"), encoding="utf-8"
    )
    result = run(["budget", "what-if", "p.yaml"], LOCALES[locale], tmp_path)
    no_crash(result)
    text = result.stdout.decode("ascii")
    assert "GBP " in text
    result.stderr.decode("ascii")


@pytest.mark.parametrize("locale", LOCALES)
def test_standard_input_that_is_not_utf8_is_in1(tmp_path: Path, locale: str) -> None:
    text = b"id: CR-09\ntitle: Caf\xe9 culture\n"
    result = run(["proposal", "check", "-"], LOCALES[locale], tmp_path, stdin=text)
    assert result.returncode == 1
    stdout = result.stdout.decode("ascii")
    assert (
        "<stdin>:2:11: IN1 the file is not valid UTF-8 (byte 0xe9) at byte offset 20; "
        "save the file as UTF-8\n"
    ) in stdout
    assert result.stderr == b""


def test_standard_input_is_read_as_bytes_as_a_file_is(tmp_path: Path) -> None:
    good = (ROOT / "proposals" / "cr-02.yaml").read_bytes()
    for stdin in (b"\xef\xbb\xbf" + good, good.replace(b"\n", b"\r\n")):
        result = run(["proposal", "check", "-"], LOCALES["C"], tmp_path, stdin=stdin)
        assert result.returncode == 0, result.stdout
        assert b"1 checked, 1 passed" in result.stdout


# ---------------------------------------------------------------------------
# the pieces


class _Stream(io.TextIOWrapper):
    def __init__(self, encoding: str) -> None:
        super().__init__(io.BytesIO(), encoding=encoding, newline="")

    def value(self) -> bytes:
        self.flush()
        assert isinstance(self.buffer, io.BytesIO)
        return self.buffer.getvalue()


def test_text_takes_plain_forms_only_where_the_stream_needs_them() -> None:
    sample = "£45,000 – “x” … ┃━╇ ███▒░ é 😀"
    ascii_stream = _Stream("ascii")
    emit.text(lambda: sample, ascii_stream)
    assert ascii_stream.value() == b'GBP 45,000 - "x" ... |-+ ###=. \\u00e9 \\U0001f600'
    latin = _Stream("latin-1")
    emit.text(lambda: sample, latin)
    assert latin.value().decode("latin-1").startswith("£45,000 - ")
    utf8 = _Stream("utf-8")
    emit.text(lambda: sample, utf8)
    assert utf8.value().decode("utf-8") == sample


def test_money_rendered_for_an_ascii_stream_says_gbp() -> None:
    from loti_cli.core.money import Money, format_money

    stream = _Stream("ascii")
    emit.text(lambda: format_money(Money(-1500)), stream)
    assert stream.value() == b"-GBP 1,500"
    assert format_money(Money(-1500)) == "-£1,500"  # only while rendering for that stream


def test_data_is_utf8_bytes_on_an_ascii_stream() -> None:
    stream = _Stream("ascii")
    emit.data('{"amount": "£5"}\n', stream)
    assert stream.value() == '{"amount": "£5"}\n'.encode()


@pytest.mark.parametrize(
    ("raw", "mark", "offset"),
    [
        (b"\xef\xbb\xbfa: caf\xe9\n", Mark(1, 7), 9),  # after a byte-order mark
        (b"a: 1\nb: \xc3\xa9\xff\n", Mark(2, 5), 10),  # the column counts characters
    ],
)
def test_a_bad_byte_is_named_with_its_place_and_offset(raw: bytes, mark: Mark, offset: int) -> None:
    with pytest.raises(YamlError) as caught:
        files.decode(raw)
    assert caught.value.problem.mark == mark
    byte = raw[offset]
    assert caught.value.problem.message == (
        f"is not valid UTF-8 (byte 0x{byte:02x}) at byte offset {offset}; save the file as UTF-8"
    )


def test_standard_input_is_bounded_in_size_as_a_file_is(tmp_path: Path) -> None:
    from loti_cli.pipeline.check import check_paths

    big = io.TextIOWrapper(io.BytesIO(b"a: " + b"x" * yaml_read.MAX_BYTES), encoding="ascii")
    result = check_paths(["-"], stdin=big, proposals=tmp_path)
    [finding] = result.results[0].findings
    assert (finding.code, finding.path) == ("IN1", "<stdin>")
    assert finding.message == "the file is larger than 4 MiB; split it or check it is YAML"
