"""yaml_read and files: YAML text to plain data with positions, and every hostile input refused at its place."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti_cli.core.numerals import source_of
from loti_cli.io import files, yaml_read
from loti_cli.io.yaml_read import MAX_BYTES, MAX_DEPTH, Mark, YamlError

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def refused(text: str) -> yaml_read.Problem:
    with pytest.raises(YamlError) as caught:
        yaml_read.parse(text)
    return caught.value.problem


# ---------------------------------------------------------------------------
# data and positions


def test_positions_of_keys_and_values_are_one_based() -> None:
    document = yaml_read.parse("a: 1\nb:\n  c: [x, y]\n  d:\n    - e: 2\n")
    assert document.data == {"a": 1, "b": {"c": ["x", "y"], "d": [{"e": 2}]}}
    assert document.keys[("a",)] == Mark(1, 1)
    assert document.values[("a",)] == Mark(1, 4)
    assert document.keys[("b", "c")] == Mark(3, 3)
    assert document.values[("b", "c", 1)] == Mark(3, 10)
    assert document.values[("b", "d", 0, "e")] == Mark(5, 10)
    assert document.problems == []


def test_locate_falls_back_to_the_nearest_parent() -> None:
    document = yaml_read.parse("a: 1\nb:\n  c: 2\n")
    assert document.locate(("b", "c")) == Mark(3, 6)
    assert document.locate(("b", "c"), key=True) == Mark(3, 3)
    assert document.locate(("b", "missing")) == Mark(3, 3)  # the mapping under b starts there
    assert document.locate(("nowhere", 3)) == Mark(1, 1)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1", 1),
        ("-7", -7),
        ("0o17", 15),
        ("0x1F", 31),
        ("1.50", Decimal("1.50")),
        ("264000.50", Decimal("264000.50")),
        ("1e3", Decimal("1e3")),
        ("true", True),
        ("False", False),
        ("~", None),
        ("null", None),
        ("", None),
        # YAML 1.2 core schema: these are text, not booleans, octal or dates
        ("no", "no"),
        ("on", "on"),
        ("yes", "yes"),
        ("2020-21", "2020-21"),
        ("2020-07-31", "2020-07-31"),
        ('"1"', "1"),
        ("'true'", "true"),
        ("!!str 5", "5"),
        ("!!float 2", Decimal(2)),
        ("£264k", "£264k"),
    ],
)
def test_scalars_follow_the_core_schema(text: str, value: object) -> None:
    parsed = yaml_read.parse(f"a: {text}\n").data["a"]
    assert parsed == value
    assert isinstance(parsed, type(value))
    assert type(parsed) is type(value) or source_of(parsed) == text


@pytest.mark.parametrize(
    ("text", "kind", "source"),
    [
        ("0x10", int, "0x10"),
        ("0o17", int, "0o17"),
        ("+5", int, "+5"),
        ("007", int, "007"),
        ("-0", int, "-0"),
        ("1e3", Decimal, "1e3"),
        ("1E+3", Decimal, "1E+3"),
        (".5", Decimal, ".5"),
        ("5.", Decimal, "5."),
        ("!!float .5", Decimal, ".5"),
        ("!!float 0x10", Decimal, "0x10"),
        ("!!int 0x10", int, "0x10"),
        ("264000", int, None),
        ("-7", int, None),
        ("264000.50", Decimal, None),
        ("0.05", Decimal, None),
        ("!!float 2", Decimal, None),
    ],
)
def test_numbers_not_in_plain_digits_keep_their_text(
    text: str, kind: type, source: str | None
) -> None:
    # So that an amount is judged as written: 0x10 is not 16 pounds, and .5 not 0.5.
    parsed = yaml_read.parse(f"a: {text}\n").data["a"]
    assert isinstance(parsed, kind)
    assert source_of(parsed) == source
    if source is None:
        assert type(parsed) is kind
    # The text survives the copies loading makes.
    assert source_of(copy.deepcopy(parsed)) == source
    assert source_of(pickle.loads(pickle.dumps(parsed))) == source
    assert copy.deepcopy(parsed) == parsed


def test_special_floats_become_decimals_not_floats() -> None:
    data = yaml_read.parse("a: .inf\nb: -.inf\nc: .nan\n").data
    assert data["a"] == Decimal("Infinity")
    assert data["b"] == Decimal("-Infinity")
    assert type(data["c"]) is Decimal
    assert data["c"].is_nan()


def test_a_number_too_long_for_int_stays_exact() -> None:
    digits = "1" * 5000
    assert yaml_read.parse(f"a: {digits}\n").data["a"] == Decimal(digits)


@given(
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False).map(str),
        st.integers().map(str),
        st.floats(allow_nan=False, allow_infinity=False).map(repr),
    )
)
def test_no_number_is_ever_a_float(text: str) -> None:
    value = yaml_read.parse(f"a: {text}\n").data["a"]
    assert not isinstance(value, float)
    if not isinstance(value, str):
        assert isinstance(value, int | Decimal)


# ---------------------------------------------------------------------------
# problems that do not stop the reading


def test_each_duplicate_key_is_reported_with_the_first_line() -> None:
    document = yaml_read.parse("a: 1\na: 2\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert [(p.message, p.mark) for p in document.problems] == [
        ("duplicate key 'a' (first at line 1); keep one", Mark(2, 1)),
        ("duplicate key 'c' (first at line 4); keep one", Mark(5, 3)),
        ("duplicate key 'a' (first at line 1); keep one", Mark(6, 1)),
    ]
    assert document.data == {"a": 1, "b": {"c": 1}}


@pytest.mark.parametrize(
    ("text", "mark", "shown"),
    [
        ("a: !!python/object:os.system x\n", Mark(1, 4), "!!python/object:os.system"),
        ("a: !!python/object/apply:os.system [echo]\n", Mark(1, 4), "!!python/object/apply"),
        ("a: !!python/name:os.system\n", Mark(1, 4), "!!python/name:os.system"),
        ("a: 1\nb: !custom x\n", Mark(2, 4), "!custom"),
        ("a: !Ref {x: 1}\n", Mark(1, 4), "!Ref"),
        ("a: !!binary aGk=\n", Mark(1, 4), "!!binary"),
    ],
)
def test_tags_are_refused_and_construct_nothing(text: str, mark: Mark, shown: str) -> None:
    document = yaml_read.parse(text)
    [problem] = document.problems
    assert problem.mark == mark
    assert shown in problem.message
    assert "not allowed" in problem.message

    def plain(value: object) -> bool:
        if isinstance(value, dict):
            return all(plain(v) for v in value.values())
        if isinstance(value, list):
            return all(plain(v) for v in value)
        return value is None or isinstance(value, str | int | Decimal | bool)

    assert plain(document.data)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!int x\n", "'x' is not a valid !!int"),
        ("a: !!bool maybe\n", "'maybe' is not a valid !!bool"),
        ("a: !!null x\n", "'x' is not a valid !!null"),
    ],
)
def test_core_tags_must_fit_their_value(text: str, message: str) -> None:
    [problem] = yaml_read.parse(text).problems
    assert problem.message == message
    assert problem.mark == Mark(1, 4)


def test_an_alias_as_a_key_is_reported() -> None:
    document = yaml_read.parse("a: &x k\n*x : 2\n")
    assert [(p.message, p.mark) for p in document.problems] == [
        ("uses an alias as a key; write the key out", Mark(2, 1))
    ]


def test_small_aliases_are_expanded() -> None:
    data = yaml_read.parse("base: &b {x: 1}\nother: *b\nn: &n 5\nm: *n\n").data
    assert data["other"] == {"x": 1}
    assert data["m"] == 5


# ---------------------------------------------------------------------------
# problems that stop the reading, each at its place


@pytest.mark.parametrize(
    ("text", "mark", "message"),
    [
        ("a: 1\n\tb: 2\n", Mark(2, 1), "is not valid YAML: "),
        ("a: - 1\n", Mark(1, 4), "is not valid YAML: "),
        ("a: 1\n b: 2\n", Mark(2, 3), "is not valid YAML: "),
        ('a: "x\nb: 1\n', Mark(3, 1), "is not valid YAML: "),
        ("- 1\n- 2\n", Mark(1, 1), "is a list, not a mapping"),
        ("just text\n", Mark(1, 1), "is a single value, not a mapping"),
        ("a: 1\n---\nb: 2\n", Mark(2, 1), "holds more than one YAML document"),
        ("a: &x 1\nb: *y\n", Mark(2, 4), "alias *y has no anchor &y before it"),
        ("a: &x\n  b: *x\n", Mark(2, 6), "alias *x refers to itself"),
        ("a: &x [1, *x]\n", Mark(1, 11), "alias *x refers to itself"),
        ("? [a]\n: 1\n", Mark(1, 3), "uses a list or mapping as a key"),
    ],
)
def test_unreadable_documents_say_where(text: str, mark: Mark, message: str) -> None:
    problem = refused(text)
    assert problem.mark == mark
    assert problem.message.startswith(message), problem.message


@pytest.mark.parametrize("text", ["", "\n\n", "# only\n# comments\n", "  # indented comment\n"])
def test_empty_and_comment_only_documents_are_empty(text: str) -> None:
    assert refused(text).message.startswith("is empty")


def test_billion_laughs_is_refused_quickly() -> None:
    start = time.perf_counter()
    problem = refused(BILLION_LAUGHS)
    assert time.perf_counter() - start < 2
    assert "aliases repeated too often" in problem.message
    assert problem.mark is not None
    assert problem.mark.line <= 9


def test_nesting_is_bounded() -> None:
    # the top-level mapping and MAX_DEPTH - 1 lists: as deep as allowed
    allowed = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    value = yaml_read.parse(allowed).data["a"]
    depth = 0
    while isinstance(value, list):
        depth += 1
        value = value[0] if value else None
    assert depth == MAX_DEPTH - 1
    too_deep = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    problem = refused(too_deep)
    assert problem.message == f"nests deeper than {MAX_DEPTH} levels; flatten it"
    assert problem.mark == Mark(1, 3 + MAX_DEPTH)


def test_nesting_100000_deep_does_not_crash_the_interpreter(tmp_path: Path) -> None:
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    script = (
        "import sys\nfrom pathlib import Path\nfrom loti_cli.io import yaml_read\n"
        "try:\n    yaml_read.load(Path(sys.argv[1]))\n"
        "except yaml_read.YamlError as error:\n"
        "    print(error.problem.mark.line, error.problem.mark.column, error.problem.message)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"1 {3 + MAX_DEPTH} nests deeper than {MAX_DEPTH} levels; flatten it\n"


# ---------------------------------------------------------------------------
# files: size, encoding


def test_a_file_over_the_size_bound_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n#" + b"x" * (MAX_BYTES - 6) + b"\n")
    assert path.stat().st_size == MAX_BYTES + 1
    with pytest.raises(YamlError, match="larger than 4 MiB"):
        files.read_text(path)


def test_a_file_at_the_size_bound_is_read(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n#" + b"x" * (MAX_BYTES - 7) + b"\n")
    assert path.stat().st_size == MAX_BYTES
    assert yaml_read.load(path).data == {"a": 1}


@pytest.mark.parametrize(
    ("raw", "mark", "byte"),
    [
        (b"\xff: 1\n", Mark(1, 1), "0xff"),
        (b"a: 1\nb: caf\xe9\n", Mark(2, 7), "0xe9"),
        (b"a: 1\nb: \xc3\n", Mark(2, 4), "0xc3"),  # a truncated two-byte sequence
        (b"a: \xe2\x82\n", Mark(1, 4), "0xe2"),
    ],
)
def test_invalid_utf8_names_the_line_and_column_of_the_byte(
    raw: bytes, mark: Mark, byte: str
) -> None:
    with pytest.raises(YamlError) as caught:
        files.decode(raw)
    assert caught.value.problem.mark == mark
    assert f"is not valid UTF-8 (byte {byte})" in caught.value.problem.message


def test_a_byte_order_mark_is_allowed() -> None:
    assert files.decode("\ufeffa: 1\n".encode()) == "a: 1\n"
    assert files.decode("a: £1\n".encode()) == "a: £1\n"


def test_a_folder_or_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(YamlError, match="is a folder"):
        files.read_text(tmp_path)
    with pytest.raises(YamlError, match="cannot be read"):
        files.read_text(tmp_path / "missing.yaml")


# ---------------------------------------------------------------------------
# writing


def test_write_atomic_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    files.write_atomic(path, "new: £1\r\n")
    assert path.read_bytes() == "new: £1\r\n".encode()
    assert path.stat().st_mode & 0o777 == 0o640
    assert [child.name for child in tmp_path.iterdir()] == ["ledger.yaml"]


def test_write_atomic_creates_a_new_file(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    files.write_atomic(path, "a: 1\n")
    assert yaml_read.load(path).data == {"a": 1}
