"""YAML text to plain data with source positions; the only module that imports ruamel.yaml.

Reading uses libyaml's event parser (ruamel.yaml.clib) and builds the data in one
iterative pass, so that positions come from the event marks, nesting depth and
alias expansion are bounded before anything can recurse or blow up, and no tag
can construct an object. Round-trip loading, which keeps comments, is only for
editing a file in place (`edit_mapping`), and writes are atomic.
"""

from __future__ import annotations

import codecs
import os
import re
import tempfile
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

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
"""A line break, as `parse` (libyaml, YAML 1.1) reads one: NEL, U+2028 and U+2029 too."""
_LONE_BREAK = re.compile(r"\r(?!\n)|[\x85\u2028\u2029]")
_BREAKS = "\r\n\x85\u2028\u2029"


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


def read_text(path: Path) -> str:
    """Read a file as UTF-8 text, bounded in size; raise YamlError with the place of a bad byte."""
    return decode(read_bytes(path))


def read_bytes(path: Path) -> bytes:
    """Read a file, bounded in size; raise YamlError when it cannot be read or is too large."""
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        raise YamlError(Problem("is a folder, not a file")) from None
    except OSError as error:
        raise YamlError(Problem(f"cannot be read: {error.strerror or error}")) from None
    _bounded(raw)
    return raw


def _bounded(raw: bytes) -> None:
    if len(raw) > MAX_BYTES:
        raise YamlError(
            Problem(
                f"is larger than {MAX_BYTES // (1024 * 1024)} MiB; split it or check it is YAML"
            )
        )


def decode(raw: bytes) -> str:
    """Decode UTF-8 (a byte-order mark is allowed), naming the line and column of a bad byte
    and its offset from the start; too many bytes is a problem too."""
    _bounded(raw)
    skip = len(codecs.BOM_UTF8) if raw.startswith(codecs.BOM_UTF8) else 0
    try:
        return raw[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[skip : skip + error.start]  # valid UTF-8, up to the bad byte
        line = before.count(b"\n") + 1
        column = len(before[before.rfind(b"\n") + 1 :].decode("utf-8")) + 1
        offset = skip + error.start
        raise YamlError(
            Problem(
                f"is not valid UTF-8 (byte 0x{raw[offset]:02x}) at byte offset {offset}; "
                "save the file as UTF-8",
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
                frame = stack.pop()
                if frame.anchor is not None:
                    self.open_anchors.discard(frame.anchor)
                    self.anchors[frame.anchor] = (frame.container, self.nodes - frame.nodes_before)
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
                self._check_tag(event.tag, mark)
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


# ---------------------------------------------------------------------------
# writing


class FileChanged(Exception):
    """The file is not as it was read, or exists where none was; nothing was written."""


def write_atomic(
    path: Path, text: str, *, unchanged: bytes | None = None, exclusive: bool = False
) -> None:
    """Replace `path` with `text` so that a reader sees the old file or the new one, never half.

    The text goes to a temporary file in the same folder, is flushed to disk, then
    renamed over the original (an atomic step on one file system). With `unchanged`
    (the bytes the file held when it was read), the file is compared with them just
    before the rename, and FileChanged is raised if another program changed it
    meanwhile. With `exclusive`, the file is only created: FileChanged if it exists.
    """
    named = path
    path = Path(os.path.realpath(path))  # through a symlink to the file it names
    folder = path.parent
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:  # name the file the user asked for, not the temporary one
        raise OSError(error.errno, error.strerror, str(named)) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).chmod(mode)
        if unchanged is not None and _current(path, len(unchanged)) != unchanged:
            raise FileChanged(f"{path} changed since it was read")
        if exclusive:
            _create(Path(temporary), path)
        else:
            Path(temporary).replace(path)
    finally:
        Path(temporary).unlink(missing_ok=True)  # gone already once it is renamed
    if hasattr(os, "O_DIRECTORY"):
        directory = os.open(folder, os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _current(path: Path, size: int) -> bytes | None:
    """The file's bytes now (one more than `size` at most, enough to tell), None if it is gone."""
    try:
        with path.open("rb") as handle:
            return handle.read(size + 1)
    except FileNotFoundError:
        return None


def _create(temporary: Path, path: Path) -> None:
    """Give the written file its name unless a file has it: a hard link never replaces one."""
    try:
        os.link(temporary, path)
    except FileExistsError:
        raise FileChanged(f"{path} exists") from None
    except OSError:  # a file system without hard links: create it exclusively instead
        try:
            with path.open("xb") as out:
                out.write(temporary.read_bytes())
                out.flush()
                os.fsync(out.fileno())
        except FileExistsError:
            raise FileChanged(f"{path} exists") from None


# ---------------------------------------------------------------------------
# round-trip editing: BEGIN (owned by `loti proposal decide`; keep this section last)
#
# ruamel.yaml's round-trip composer gives every key and value with its exact span
# in the text, and only those spans are rewritten. A full round-trip dump would
# also normalise what it was not asked to touch (spacing inside `{ }` and `[ ]`,
# a file whose lists are indented two different ways, long lines), and a panel's
# edit must leave every other byte as the proposal's authors wrote it. New lines
# copy the file's own indentation and line endings, and the result is read back
# and compared with the intended data before it is returned.


@dataclass(frozen=True, slots=True)
class Edit:
    """One change to a YAML mapping.

    Sets the value at `path` (keys, and indexes of existing list items), or with
    `append` adds `value` to the end of the list at `path` (creating the list). A
    missing key is added after the key `after` of its mapping (last when None or
    absent), with any missing mappings on the way.
    """

    path: Loc
    value: Any
    append: bool = False
    after: str | None = None


class EditError(ValueError):
    """An edit that cannot be made to this text; the message says why."""


def edit_mapping(text: str, edits: list[Edit] | tuple[Edit, ...]) -> str:
    """Apply `edits` to the YAML mapping in `text`, changing only the lines they touch.

    Comments, key order, quoting, flow or block style, indentation and line endings
    of everything else are kept byte for byte. Raises YamlError when `text` is not a
    YAML mapping, and EditError when an edit cannot be made (its path runs through a
    value that is not a mapping or a list, or the edited text would not read back as
    the intended data, as when the value is shared through an anchor).
    """
    import copy

    expected = copy.deepcopy(parse(text).data)
    newline = line_ending(text)
    result = text
    for edit in edits:
        result = _Editor(result, newline).apply(edit)
        _edit_data(expected, edit)
    try:
        got = parse(result).data
    except YamlError as error:  # pragma: no cover - a bug in the editor
        raise EditError(f"the edit would break the file ({error.problem.message})") from None
    if got != _as_read(expected):
        raise EditError(
            "the edit cannot be made without changing other values (is the value shared "
            "through an anchor?); edit the file by hand"
        )
    return result


def render_scalar(value: Any, *, style: str | None = None, flow: bool = False) -> str:
    """`value` as a YAML scalar that reads back as the same value.

    Text is written plain when that is safe, else in double quotes; `style` (`'` or
    `"`) keeps the quotes a value already had, and `flow` is for inside `[ ]`/`{ }`.
    """
    import datetime
    import json

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if not isinstance(value, str):
        raise EditError(f"cannot write a {type(value).__name__} as a YAML value")
    if style == "'" and value.isprintable():
        return "'" + value.replace("'", "''") + "'"
    if style == '"' or not _plain_ok(value, flow=flow):
        quoted = json.dumps(value, ensure_ascii=False)
        # JSON leaves DEL, NEL and other unprintables raw; YAML needs them escaped.
        return "".join(char if char.isprintable() else _escape(char) for char in quoted)
    return value


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_SPECIAL = frozenset(",[]{}?:#")


def _plain_ok(value: str, *, flow: bool) -> bool:
    """Whether `value` reads back as this very text when written without quotes."""
    if not value or value != value.strip() or not value.isprintable():
        return False
    if value[0] in _INDICATORS or ": " in value or " #" in value or value.endswith(":"):
        return False
    if flow and _FLOW_SPECIAL & set(value):
        return False
    if not isinstance(_resolve_plain(value), str):
        return False
    # The rules above are the common cases; the parser has the last word on the rest.
    probe = f"k: [{value}]\n" if flow else f"k: {value}\n"
    try:
        read = parse(probe).data["k"]
    except YamlError:
        return False
    return bool((read[0] if flow and isinstance(read, list) and len(read) == 1 else read) == value)


def _kind(node: Any) -> str:
    return type(node).__name__.removesuffix("Node")


def _dotted(path: Loc) -> str:
    return ".".join(str(part) for part in path) or "the file"


@dataclass(frozen=True, slots=True)
class _Indent:
    """How the file indents what is nested, measured from the file itself."""

    mapping: int = 2
    """Columns a nested mapping's keys sit right of its parent key."""
    sequence: int = 2
    """Columns a list's `-` sits right of its parent key."""
    offset: int = 2
    """Columns an item's content sits right of its `-`."""


def line_ending(text: str) -> str:
    """The line break `text` uses most (the first of a tie); `\\n` when it has none."""
    from collections import Counter

    counts = Counter(match[0] for match in _BREAK.finditer(text))
    return max(counts, key=counts.__getitem__) if counts else "\n"


class _Editor:
    """One edit of one text: find the nodes, then splice new text in at their spans.

    `flat` is the text as `parse` reads its structure: every line break ends in `\\n` (a
    lone CR, NEL, U+2028 and U+2029 become one; CRLF stays) and a tab is a space. It
    has the same length, so that its positions are the text's, for the round-trip
    composer and for finding lines. Edits are made to `text`, and new lines end with
    `newline`, the file's own line break.
    """

    def __init__(self, text: str, newline: str) -> None:
        from ruamel.yaml import YAML

        # A tab is a space where libyaml allows one (between a key's colon and its value,
        # before a comment) and the round-trip composer does not.
        flat = _LONE_BREAK.sub("\n", text).replace("\t", " ")
        try:
            root = YAML(typ="rt").compose(flat)
        except Exception as error:
            raise YamlError(_problem_of(error, flat)) from None
        if root is None or _kind(root) != "Mapping":
            raise YamlError(Problem("is not a mapping; the top level must be `key: value` lines"))
        self.text = text
        self.flat = flat
        self.root: Any = root
        self.newline = newline
        self.indent = self._detect_indent()

    # -- finding -----------------------------------------------------------

    def apply(self, edit: Edit) -> str:
        parent: Any = self.root
        key: Any = None
        node: Any = self.root
        for depth, part in enumerate(edit.path):
            here = _dotted(edit.path[:depth])
            if isinstance(part, int):
                if _kind(parent) != "Sequence" or not 0 <= part < len(parent.value):
                    raise EditError(f"{here} has no item {part + 1}")
                key, node = None, parent.value[part]
            else:
                if _kind(parent) != "Mapping":
                    raise EditError(f"{here} is not a mapping, so it cannot hold '{part}'")
                pair = self._pair(parent, part)
                if pair is None:
                    value = [edit.value] if edit.append else edit.value
                    value = _nested(edit.path[depth + 1 :], value)
                    last = depth == len(edit.path) - 1
                    return self._insert_key(parent, part, value, edit.after if last else None)
                key, node = pair
            parent = node
        if edit.append:
            if _kind(node) == "Sequence":
                return self._append_item(node, edit.value)
            if self._is_empty(node):
                return self._replace(key, node, [edit.value])
            raise EditError(f"{_dotted(edit.path)} is not a list")
        if _kind(node) != "Scalar" and not isinstance(edit.value, dict | list):
            raise EditError(f"{_dotted(edit.path)} is a {_kind(node).lower()}, not one value")
        return self._replace(key, node, edit.value)

    @staticmethod
    def _pair(mapping: Any, name: str) -> tuple[Any, Any] | None:
        for pair in mapping.value:
            if _kind(pair[0]) == "Scalar" and pair[0].value == name:
                return (pair[0], pair[1])
        return None

    @staticmethod
    def _is_empty(node: Any) -> bool:
        return _kind(node) == "Scalar" and str(node.tag).endswith(":null")

    # -- positions ---------------------------------------------------------

    def _line_start(self, index: int) -> int:
        return self.flat.rfind("\n", 0, index) + 1

    def _line_end(self, index: int) -> int:
        """Just past the newline of the line holding `index` (the end of the text if none)."""
        found = self.flat.find("\n", index)
        return len(self.flat) if found == -1 else found + 1

    def _column(self, index: int) -> int:
        return index - self._line_start(index)

    def _dash(self, item: Any) -> int | None:
        """The index of the `-` that starts a block list item."""
        index = item.start_mark.index - 1
        while index >= 0 and self.flat[index] in " \t\r\n":
            index -= 1
        return index if index >= 0 and self.text[index] == "-" else None

    def _content_end(self, node: Any, key: Any = None) -> int:
        """Where `node`'s own text ends: not the comments after a block collection, nor a
        block scalar's trailing blank lines (unless it keeps them with `+`)."""
        while _kind(node) != "Scalar" and not node.flow_style and node.value:
            last = node.value[-1]
            key, node = last if isinstance(last, tuple) else (None, last)
        end: int = node.end_mark.index
        if key is not None and self._is_empty(node) and node.start_mark.index == end:
            # `key:` with nothing after it: its empty value is marked at the next token.
            return int(key.end_mark.index)
        if _is_block_scalar(node):
            start = node.start_mark.index
            header = self.text[start : self._line_end(start)].split("#", 1)[0]
            if "+" not in header:
                while end > start:
                    line = self._line_start(end - 1)
                    if self.flat[line:end].strip():
                        break
                    end = line
        return end

    def _after(self, node: Any, key: Any = None) -> int:
        """Where a line added after `node` goes: the start of the line after its content."""
        end = self._content_end(node, key)
        if end > 0 and self.flat[end - 1] == "\n":
            return end
        return self._line_end(end)

    def _inside_flow(self, node: Any) -> bool:
        before = self.text[self._line_start(node.start_mark.index) : node.start_mark.index]
        return before.count("{") + before.count("[") > before.count("}") + before.count("]")

    def _detect_indent(self) -> _Indent:
        """The file's own steps: of its first nested block mapping and its first block list."""
        mapping: int | None = None
        sequence: tuple[int, int] | None = None
        queue: list[Any] = [self.root]
        while queue and (mapping is None or sequence is None):
            node = queue.pop(0)
            if _kind(node) == "Sequence":
                queue.extend(node.value)
            if _kind(node) != "Mapping" or node.flow_style:
                continue
            for key, value in node.value:
                queue.append(value)
                if _kind(value) == "Scalar" or value.flow_style or not value.value:
                    continue
                column = key.start_mark.column
                if mapping is None and _kind(value) == "Mapping":
                    mapping = value.value[0][0].start_mark.column - column
                dash = self._dash(value.value[0]) if _kind(value) == "Sequence" else None
                if sequence is None and dash is not None:
                    item = value.value[0].start_mark
                    same_line = self._line_start(dash) == self._line_start(item.index)
                    offset = item.column - self._column(dash) if same_line else 2
                    sequence = (self._column(dash) - column, offset)
        default = _Indent()
        steps, offset = sequence or (default.sequence, default.offset)
        return _Indent(
            mapping if mapping is not None and mapping > 0 else default.mapping,
            max(steps, 0),
            max(offset, 2),
        )

    # -- writing -----------------------------------------------------------

    def _lines(self, value: Any, column: int, indent: _Indent | None = None) -> list[str]:
        """Block lines for a mapping (its keys at `column`) or a list (its dashes there)."""
        indent = indent or self.indent
        pad = " " * column
        lines: list[str] = []
        if isinstance(value, dict):
            for key, item in value.items():
                name = render_scalar(key)
                if isinstance(item, dict) and item:
                    lines += [f"{pad}{name}:", *self._lines(item, column + indent.mapping)]
                elif isinstance(item, list) and item:
                    lines += [f"{pad}{name}:", *self._lines(item, column + indent.sequence)]
                else:
                    lines.append(f"{pad}{name}: {_flow(item)}")
            return lines
        dash = f"{pad}-{' ' * (indent.offset - 1)}"
        for item in value:
            if isinstance(item, dict | list) and item:
                inner = self._lines(item, column + indent.offset)
                lines += [dash + inner[0].lstrip(" "), *inner[1:]]
            else:
                lines.append(dash + _flow(item))
        return lines

    def _insert_lines(self, index: int, lines: list[str]) -> str:
        block = "".join(line + self.newline for line in lines)
        if index > 0 and self.flat[index - 1] != "\n":
            block = self.newline + block
        return self.text[:index] + block + self.text[index:]

    def _splice(self, start: int, end: int, new: str) -> str:
        return self.text[:start] + new + self.text[end:]

    def _insert_key(self, mapping: Any, key: str, value: Any, after: str | None) -> str:
        pairs = mapping.value
        anchor = next((p for p in pairs if after and p[0].value == after), None)
        if anchor is None and pairs:
            anchor = pairs[-1]
        if mapping.flow_style:
            entry = f"{render_scalar(key, flow=True)}: {_flow(value)}"
            if anchor is None:
                index = mapping.start_mark.index + 1
                return self._splice(index, index, entry)
            index = anchor[1].end_mark.index
            return self._splice(index, index, ", " + entry)
        if anchor is None:  # pragma: no cover - a block mapping has at least one key
            raise EditError("cannot add a key to an empty mapping")
        column = pairs[0][0].start_mark.column
        return self._insert_lines(
            self._after(anchor[1], anchor[0]), self._lines({key: value}, column)
        )

    def _append_item(self, sequence: Any, item: Any) -> str:
        items = sequence.value
        if sequence.flow_style:
            if not items:
                index = sequence.start_mark.index + 1
                return self._splice(index, index, _flow(item))
            index = items[-1].end_mark.index
            return self._splice(index, index, ", " + _flow(item))
        last = items[-1]
        dash = self._dash(last)
        if dash is None:  # pragma: no cover - a block list item always follows a dash
            raise EditError("cannot find where the list's items start")
        column = self._column(dash)
        same_line = self._line_start(dash) == self._line_start(last.start_mark.index)
        offset = last.start_mark.column - column if same_line else self.indent.offset
        indent = _Indent(self.indent.mapping, self.indent.sequence, max(offset, 2))
        return self._insert_lines(self._after(sequence), self._lines([item], column, indent))

    def _replace(self, key: Any, node: Any, value: Any) -> str:
        start, end = node.start_mark.index, node.end_mark.index
        if self._is_empty(node) and start == end and key is not None:
            # An empty value is marked where the next token starts; it belongs after the colon.
            start = end = self.text.index(":", key.end_mark.index) + 1
        if _is_block_scalar(node):
            end = self._content_end(node)
        if isinstance(value, dict | list) and value:
            if key is None or _kind(node) != "Scalar":
                raise EditError("only a single value can be replaced by a list or mapping")
            step = self.indent.mapping if isinstance(value, dict) else self.indent.sequence
            lines = self._lines(value, key.start_mark.column + step)
            # `key: ~  # comment` becomes `key:  # comment` with the lines below it.
            head = self.text[:start].rstrip(" ")
            rest = self.text[end : self._line_end(end)].rstrip(_BREAKS)
            block = "".join(self.newline + line for line in lines) + self.newline
            return head + rest + block + self.text[self._line_end(end) :]
        quotes = node.style if node.style in ("'", '"') else None
        if isinstance(value, dict | list):
            new = _flow(value)
        else:
            new = render_scalar(value, style=quotes, flow=self._inside_flow(node))
        if start == end and self.text[start - 1 : start] == ":":
            new = " " + new
        if _is_block_scalar(node):
            return self._splice(start, end, new + self.newline)
        rest = _realigned(self.text[end:], len(new) - (end - start))
        return self.text[:start] + new + rest


def _is_block_scalar(node: Any) -> bool:
    return _kind(node) == "Scalar" and node.style in ("|", ">")


def _nested(path: Loc, value: Any) -> Any:
    for part in reversed(path):
        if isinstance(part, int):
            raise EditError("a list item to edit must already exist")
        value = {part: value}
    return value


def _flow(value: Any) -> str:
    """`value` on one line: `{a: 1, b: [x, y]}`."""
    if isinstance(value, dict):
        entries = (f"{render_scalar(k, flow=True)}: {_flow(v)}" for k, v in value.items())
        return "{" + ", ".join(entries) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(item) for item in value) + "]"
    return render_scalar(value, flow=True)


_COMMENT_GAP = re.compile(r"^([ \t]+)#")


def _realigned(rest: str, grown: int) -> str:
    """Keep an inline comment in its column when the value before it changed length."""
    match = _COMMENT_GAP.match(rest)
    if match is None or grown == 0 or "\t" in match[1]:
        return rest
    gap = max(1, len(match[1]) - grown)
    return " " * gap + rest[len(match[1]) :]


def _edit_data(data: dict[str, Any], edit: Edit) -> None:
    """The same edit on plain data, to check that the new text says what was meant."""
    node: Any = data
    for part in edit.path[:-1]:
        node = node.setdefault(part, {}) if isinstance(part, str) else node[part]
    last = edit.path[-1]
    if not edit.append:
        node[last] = edit.value
    elif isinstance(node, dict) and node.get(last) is None:
        node[last] = [edit.value]
    else:
        node[last].append(edit.value)


def _as_read(value: Any) -> Any:
    """Data as `parse` reads it back: dates are text (YAML 1.2 has no date type)."""
    import datetime

    if isinstance(value, dict):
        return {key: _as_read(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_read(item) for item in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


# round-trip editing: END
