"""YAML text to plain data with source positions, within bounds on size, depth and aliases.

Reading uses libyaml's event parser (ruamel.yaml.clib) and builds the data in one
iterative pass, so that positions come from the event marks, nesting depth and
alias expansion are bounded before anything can recurse or blow up, and no tag
can construct an object. Editing a file in place is `yaml_edit`; reading and
writing the bytes of a file is `files`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from loti_cli.core.findings import Loc
from loti_cli.core.numerals import written

MAX_BYTES = 4 * 1024 * 1024
"""Largest file read; a ledger or proposal is a few kilobytes."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and sequences."""
MAX_NODES = 250_000
"""Most values in one document, counting each alias expansion in full (billion laughs)."""

_CORE = "tag:yaml.org,2002:"
_ALLOWED_TAGS = {f"{_CORE}{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")}

# YAML 1.2 core schema: `no`, `on`, `0755` mean what they say; no Decimal holds a 1e(18 digits).
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^[-+]?[0-9]+$")
_INT_OTHER = re.compile(r"^(?:0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(r"^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]{1,17})?$")
_SPECIAL_FLOAT = re.compile(r"^(?:[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$")

_LONE_BREAK = re.compile(r"\r(?!\n)|[\x85\u2028\u2029]")


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

    Numbers are `int` or `Decimal`, never binary floats (`numerals`: `0x10` keeps its
    text). `problems` holds what was wrong but did not stop the reading (duplicate keys,
    disallowed tags), so that a user sees them together with the problems of the data.
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
        raise YamlError(_problem_of(error, text)) from None
    if root is _NOTHING:
        raise YamlError(
            Problem("is empty; a ledger or proposal is a YAML mapping of keys to values")
        )
    if not isinstance(root, dict):
        kind = "a list" if isinstance(root, list) else "a single value"
        raise YamlError(
            Problem(
                f"is {kind}, not a mapping; the top level must be `key: value` lines", Mark(1, 1)
            )
        )
    return Document(root, builder.values, builder.keys, builder.problems)


def load(path: Path) -> Document:
    """Read and parse a YAML file (see `files.read_text` and `parse`)."""
    from loti_cli.io.files import read_text

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


_MARKS: dict[tuple[int, int], Mark] = {}
_LOCS: dict[Loc, Loc] = {}


def _mark(event: Any) -> Mark:
    # Marks and locations repeat from file to file; sharing them keeps a large
    # portfolio's positions small in memory.
    start = event.start_mark
    key = (start.line + 1, start.column + 1)
    mark = _MARKS.get(key)
    if mark is None:
        mark = _MARKS[key] = Mark(*key)
    return mark


def _shared(loc: Loc) -> Loc:
    return _LOCS.setdefault(loc, loc)


def _problem_of(error: Exception, text: str) -> Problem:
    """Turn a ruamel/libyaml error into one readable line at its place."""
    position = getattr(error, "position", None)
    if isinstance(position, int) and getattr(error, "character", None) is not None:
        # A reader error (a control character YAML does not allow) has an offset, no mark.
        flat = _LONE_BREAK.sub("\n", text)  # every line break, one character each
        line = flat.count("\n", 0, position) + 1
        column = position - (flat.rfind("\n", 0, position) + 1) + 1
        character = error.character  # type: ignore[attr-defined]
        code = ord(character) if isinstance(character, str) else int(character)
        return Problem(
            f"is not valid YAML: character U+{code:04X} is not allowed in YAML text; "
            "remove it or write it as an escape in a double-quoted string",
            Mark(line, column),
        )
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
                self._close(stack.pop())
                continue

            parent = stack[-1] if stack else None
            # A mapping alternates key and value events; a key is a scalar.
            if (
                isinstance(parent, _Frame)
                and isinstance(parent.container, dict)
                and not parent.key_done
            ):
                self._take_key(parent, event, kind)
                continue

            value = self._node(event, kind, parent, stack)
            if parent is None:
                root = stack[0].container if stack else value
        return root

    def _close(self, frame: _Frame) -> None:
        """The end of a mapping or sequence: an anchor on it can now be used."""
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, self.nodes - frame.nodes_before)

    def _node(self, event: Any, kind: str, parent: _Frame | None, stack: list[_Frame]) -> Any:
        """A value placed in its parent; a mapping or sequence is opened on `stack`."""
        loc = self._child_loc(parent)
        mark = _mark(event)
        self._count(1, mark)
        if kind == "AliasEvent":
            value = self._alias(event, mark)
            self._place(parent, value, loc, mark)
            return value
        if kind == "ScalarEvent":
            value = self._scalar(event, mark)
            if event.anchor is not None:
                self.anchors[event.anchor] = (value, 1)
            self._place(parent, value, loc, mark)
            return value
        # MappingStartEvent or SequenceStartEvent
        self._check_tag(event.tag, mark)
        if len(stack) >= MAX_DEPTH:
            raise _ParseFailure(Problem(f"nests deeper than {MAX_DEPTH} levels; flatten it", mark))
        container: dict[str, Any] | list[Any] = {} if kind == "MappingStartEvent" else []
        self._place(parent, container, loc, mark)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        stack.append(_Frame(container, loc, event.anchor, self.nodes))
        return container

    def _child_loc(self, parent: _Frame | None) -> Loc:
        if parent is None:
            return ()
        if isinstance(parent.container, list):
            return (*parent.loc, len(parent.container))
        return (*parent.loc, parent.key if parent.key is not None else "?")

    def _take_key(self, frame: _Frame, event: Any, kind: str) -> None:
        mark = _mark(event)
        frame.key_done = True
        frame.skip_value = False
        if kind != "ScalarEvent":
            if kind == "AliasEvent":
                self.problems.append(Problem("uses an alias as a key; write the key out", mark))
                frame.skip_value = True
                return
            # A complex key (`? [a, b]`): no key of ours can be one, so stop here.
            raise _ParseFailure(
                Problem("uses a list or mapping as a key; keys must be plain text", mark)
            )
        self._check_tag(event.tag, mark)
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
            self.keys[_shared(loc)] = mark
        frame.key = key

    def _place(self, parent: _Frame | None, value: Any, loc: Loc, mark: Mark) -> None:
        if parent is None:
            self.values[_shared(loc)] = mark
            return
        if isinstance(parent.container, list):
            parent.container.append(value)
            self.values[_shared(loc)] = mark
            return
        if not parent.skip_value and parent.key is not None:
            parent.container[parent.key] = value
            self.values[_shared(loc)] = mark
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

    def _check_tag(self, tag: str | None, mark: Mark) -> bool:
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
            if not self._check_tag(tag, mark):
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
        # Python will not convert more than 4,300 digits to int; such a number stays exact anyway.
        return written(int(value) if len(value) <= 4000 else Decimal(value), value)
    if _INT_OTHER.match(value):
        return written(int(value, 0), value)
    if _FLOAT.match(value):
        return written(Decimal(value), value)
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
        return written(Decimal(resolved), value) if name == "float" else resolved
    problems.append(Problem(f"'{value}' is not a valid !!{name}", mark))
    return value
