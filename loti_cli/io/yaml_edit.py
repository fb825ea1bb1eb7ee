"""The comment-keeping editor: changes to a YAML mapping that leave every other byte as written.

ruamel.yaml's round-trip composer gives every key and value with its exact span
in the text, and only those spans are rewritten. A full round-trip dump would
also normalise what it was not asked to touch (spacing inside `{ }` and `[ ]`,
a file whose lists are indented two different ways, long lines), and a panel's
edit must leave every other byte as the proposal's authors wrote it. New lines
copy the file's own indentation and line endings, and the result is read back
and compared with the intended data before it is returned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from loti_cli.core.findings import Loc
from loti_cli.io.yaml_read import (
    _LONE_BREAK,
    Problem,
    YamlError,
    _problem_of,
    _resolve_plain,
    parse,
)

_BREAK = re.compile(r"\r\n|[\r\n\x85\u2028\u2029]")
"""A line break, as `parse` (libyaml, YAML 1.1) reads one: NEL, U+2028 and U+2029 too."""
_BREAKS = "\r\n\x85\u2028\u2029"


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
                    if key is not None and self._is_empty(parent):  # `key:` or `key: ~`
                        value = [edit.value] if edit.append else edit.value
                        return self._replace(key, parent, _nested(edit.path[depth:], value))
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
        if isinstance(part, str) and node.get(part) is None:
            node[part] = {}
        node = node[part]
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
