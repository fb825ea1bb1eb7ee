"""YAML text to plain data with source positions; the only module that imports ruamel.yaml.

Reading uses libyaml's event parser (ruamel.yaml.clib) and builds the data in one
iterative pass, so that positions come from the event marks, nesting depth and
alias expansion are bounded before anything can recurse or blow up, and no tag
can construct an object. Round-trip loading, which keeps comments, is only for
editing a file in place (`edit_document`), and writes are atomic.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from loti_cli.findings import Loc

MAX_BYTES = 4 * 1024 * 1024
"""Largest file read; a ledger or proposal is a few kilobytes."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences."""
MAX_NODES = 250_000
"""Most values in one document, counting each alias expansion in full (billion laughs)."""

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")}

# The YAML 1.2 core schema, so that `no`, `on` and `0755` mean what they say.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OTHER = re.compile(r"^(?:0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")


@dataclass(frozen=True, slots=True)
class Mark:
    """A 1-based line and column in a file."""

    line: int
    column: int


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the YAML itself, at a place in the file."""

    message: str
    mark: Mark | None = None


class YamlError(Exception):
    """The file cannot be read as one YAML mapping; `problem` says why and where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


@dataclass(slots=True)
class Document:
    """A YAML mapping as plain data, with the position of every key and value.

    Numbers are never binary floats: an integer is an `int` and a decimal a
    `Decimal` read from its source text. `problems` holds what was wrong but did
    not stop the reading (duplicate keys, disallowed tags), so that a user sees
    them together with the problems of the data itself.
    """

    data: dict[str, Any]
    values: dict[Loc, Mark] = field(default_factory=dict)
    keys: dict[Loc, Mark] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def locate(self, loc: Loc, *, key: bool = False) -> Mark:
        """The position of `loc` (its key with `key=True`), or of its nearest known parent."""
        if key and loc in self.keys:
            return self.keys[loc]
        probe = tuple(loc)
        while probe:
            if probe in self.values:
                return self.values[probe]
            probe = probe[:-1]
        return self.values.get((), Mark(1, 1))


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, bounded in size; raise YamlError with the place of a bad byte."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise YamlError(Problem("is a folder, not a file")) from None
    except OSError as error:
        raise YamlError(Problem(f"cannot be read: {error.strerror or error}")) from None
    if len(raw) > MAX_BYTES:
        raise YamlError(
            Problem(f"is larger than {MAX_BYTES // (1024 * 1024)} MiB; split it or check it is YAML")
        )
    return decode(raw)


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a byte-order mark is allowed), naming the line and column of a bad byte."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise YamlError(
            Problem(
                f"is not valid UTF-8 (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
                Mark(line, column),
            )
        ) from None


def parse(text: str) -> Document:
    """Parse one YAML document whose top level is a mapping.

    Raises YamlError when the text is not YAML, is empty, holds several
    documents, is not a mapping, or exceeds the nesting or alias bounds.
    """
    builder = _Builder()
    try:
        root = builder.build(_events(text))
    except _ParseFailure as failure:
        raise YamlError(failure.problem) from None
    except Exception as error:  # the parser's own errors carry marks; nothing else escapes
        raise YamlError(_problem_of(error)) from None
    if root is _NOTHING:
        raise YamlError(Problem("is empty; a ledger or proposal is a YAML mapping of keys to values"))
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else "a single value"
        raise YamlError(
            Problem(f"is {kind}, not a mapping; the top level must be `key: value` lines", Mark(1, 1))
        )
    return Document(root, builder.values, builder.keys, builder.problems)


def load(path: Path) -> Document:
    """Read and parse a YAML file (see `read_text` and `parse`)."""
    return parse(read_text(path))


# ---------------------------------------------------------------------------
# events


class _ParseFailure(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def _events(text: str) -> Iterator[Any]:
    try:
        from _ruamel_yaml import CParser  # libyaml, 3 to 4 times faster
    except ImportError:  # pragma: no cover - only where ruamel.yaml.clib cannot be installed
        from ruamel.yaml import YAML

        yield from YAML(typ="safe", pure=True).parse(text)
        return
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            yield event
            if type(event).__name__ == "StreamEndEvent":
                return
    finally:
        parser.dispose()


def _mark(event: Any) -> Mark:
    mark = event.start_mark
    return Mark(mark.line + 1, mark.column + 1)


def _problem_of(error: Exception) -> Problem:
    """Turn a ruamel/libyaml error into one readable line at its place."""
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None)
    context = getattr(error, "context", None)
    if problem:
        text = str(problem)
        if context:
            text = f"{text} ({context})"
    else:
        text = str(error).splitlines()[0] if str(error) else type(error).__name__
    where = Mark(mark.line + 1, mark.column + 1) if mark is not None else None
    return Problem(f"is not valid YAML: {text}", where)


class _Nothing:
    pass


_NOTHING: Any = _Nothing()


@dataclass(slots=True)
class _Frame:
    container: dict[str, Any] | list[Any]
    loc: Loc
    anchor: str | None
    nodes_before: int
    key: str | None = None
    key_mark: Mark | None = None
    key_done: bool = False
    skip_value: bool = False
    """The key of this entry could not be used (not a scalar); drop its value."""


class _Builder:
    """Builds data and positions from parser events without recursion."""

    def __init__(self) -> None:
        self.values: dict[Loc, Mark] = {}
        self.keys: dict[Loc, Mark] = {}
        self.problems: list[Problem] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.open_anchors: set[str] = set()
        self.nodes = 0

    def build(self, events: Iterator[Any]) -> Any:
        stack: list[_Frame] = []
        root: Any = _NOTHING
        documents = 0
        for event in events:
            kind = type(event).__name__
            if kind == "DocumentStartEvent":
                documents += 1
                if documents > 1:
                    raise _ParseFailure(
                        Problem(
                            "holds more than one YAML document (a second `---`); keep one per file",
                            _mark(event),
                        )
                    )
                continue
            if kind in ("StreamStartEvent", "DocumentEndEvent", "StreamEndEvent"):
                continue
            if kind in ("MappingEndEvent", "SequenceEndEvent"):
                frame = stack.pop()
                if frame.anchor is not None:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (frame.container, self.nodes - frame.nodes_before)
                continue

            parent = stack[-1] if stack else None
            # A mapping alternates key and value events; a key is a scalar.
            if isinstance(parent, _Frame) and isinstance(parent.container, dict) and not parent.key_done:
                self._take_key(parent, event, kind)
                continue

            loc = self._child_loc(parent)
            mark = _mark(event)
            self._count(1, mark)
            value: Any
            if kind == "AliasEvent":
                value = self._alias(event, mark)
                self._place(parent, value, loc, mark)
            elif kind == "ScalarEvent":
                value = self._scalar(event, mark)
                if event.anchor is not None:
                    self.anchors[event.anchor] = (value, 1)
                self._place(parent, value, loc, mark)
            else:  # MappingStartEvent or SequenceStartEvent
                self._check_tag(event.tag, "map" if kind == "MappingStartEvent" else "seq", mark)
                if len(stack) >= MAX_DEPTH:
                    raise _ParseFailure(
                        Problem(f"nests deeper than {MAX_DEPTH} levels; flatten it", mark)
                    )
                container: dict[str, Any] | list[Any] = {} if kind == "MappingStartEvent" else []
                value = container
                self._place(parent, container, loc, mark)
                if event.anchor is not None:
                    self.open_anchors.add(event.anchor)
                stack.append(_Frame(container, loc, event.anchor, self.nodes))
            if parent is None:
                root = stack[0].container if stack else value
        return root

    def _child_loc(self, parent: _Frame | None) -> Loc:
        if parent is None:
            return ()
        if isinstance(parent.container, list):
            return (*parent.loc, len(parent.container))
        return (*parent.loc, parent.key if parent.key is not None else "?")

    def _take_key(self, frame: _Frame, event: Any, kind: str) -> None:
        mark = _mark(event)
        frame.key_done = True
        frame.key_mark = mark
        frame.skip_value = False
        if kind != "ScalarEvent":
            if kind == "AliasEvent":
                self.problems.append(Problem("uses an alias as a key; write the key out", mark))
                frame.skip_value = True
                return
            # A complex key: consume nothing here; its events are dropped by marking skip.
            raise _ParseFailure(Problem("uses a list or mapping as a key; keys must be plain text", mark))
        self._check_tag(event.tag, "str", mark)
        key = event.value
        loc = (*frame.loc, key)
        container = frame.container
        assert isinstance(container, dict)
        if key in container:
            first = self.keys.get(loc)
            where = f" (first at line {first.line})" if first else ""
            self.problems.append(Problem(f"duplicate key '{key}'{where}; keep one", mark))
            frame.skip_value = True
        else:
            self.keys[loc] = mark
        frame.key = key

    def _place(self, parent: _Frame | None, value: Any, loc: Loc, mark: Mark) -> None:
        if parent is None:
            self.values[loc] = mark
            return
        if isinstance(parent.container, list):
            parent.container.append(value)
            self.values[loc] = mark
            return
        if not parent.skip_value and parent.key is not None:
            parent.container[parent.key] = value
            self.values[loc] = mark
        parent.key_done = False
        parent.key = None

    def _count(self, nodes: int, mark: Mark) -> None:
        self.nodes += nodes
        if self.nodes > MAX_NODES:
            raise _ParseFailure(
                Problem(
                    f"expands to more than {MAX_NODES:,} values (aliases repeated too often); "
                    "write the values out",
                    mark,
                )
            )

    def _alias(self, event: Any, mark: Mark) -> Any:
        name = event.anchor
        if name in self.open_anchors:
            raise _ParseFailure(Problem(f"alias *{name} refers to itself", mark))
        if name not in self.anchors:
            raise _ParseFailure(Problem(f"alias *{name} has no anchor &{name} before it", mark))
        value, size = self.anchors[name]
        self._count(size, mark)
        return value

    def _check_tag(self, tag: str | None, expected: str, mark: Mark) -> bool:
        if tag is None or tag == "!" or tag in _ALLOWED_TAGS:
            return True
        shown = tag.replace(_CORE, "!!")
        self.problems.append(
            Problem(f"tag {shown} is not allowed; remove it (plain values need no tag)", mark)
        )
        return False

    def _scalar(self, event: Any, mark: Mark) -> Any:
        value: str = event.value
        tag: str | None = event.tag
        if tag is not None and tag != "!":
            if not self._check_tag(tag, "str", mark):
                return value
            return _convert_tagged(tag, value, mark, self.problems)
        if not event.implicit[0]:  # quoted or block scalar: always text
            return value
        return _resolve_plain(value)


def _resolve_plain(value: str) -> Any:
    """A plain scalar under the YAML 1.2 core schema, numbers kept exact."""
    if _NULL.match(value):
        return None
    if _BOOL.match(value):
        return value[0] in "tT"
    if _INT.match(value):
        return int(value)
    if _INT_OTHER.match(value):
        return int(value, 0)
    if _FLOAT.match(value):
        return Decimal(value)
    if _SPECIAL_FLOAT.match(value):
        return Decimal(value.replace(".", "").lower().replace("nan", "NaN"))
    return value


def _convert_tagged(tag: str, value: str, mark: Mark, problems: list[Problem]) -> Any:
    name = tag.removeprefix(_CORE)
    if name == "str":
        return value
    resolved = _resolve_plain(value)
    expected: dict[str, Callable[[Any], bool]] = {
        "null": lambda v: v is None,
        "bool": lambda v: isinstance(v, bool),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, Decimal | int) and not isinstance(v, bool),
    }
    check = expected.get(name)
    if check is not None and check(resolved):
        return Decimal(resolved) if name == "float" else resolved
    problems.append(Problem(f"'{value}' is not a valid !!{name}", mark))
    return value


def decimal_of(text: str) -> Decimal | None:
    """A Decimal from text, or None when the text is not a number."""
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


# ---------------------------------------------------------------------------
# writing


def write_atomic(path: Path, text: str) -> None:
    """Replace `path` with `text` so that a reader sees the old file or the new one, never half.

    The text goes to a temporary file in the same folder, is flushed to disk, then
    renamed over the original (an atomic step on one file system).
    """
    folder = path.parent
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):
        directory = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
