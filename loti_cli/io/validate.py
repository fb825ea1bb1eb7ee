"""Validation that keeps going past bad values; pydantic errors as messages a person can act on."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from typing import Any, NamedTuple, TypeVar

from pydantic import BaseModel, ValidationError

from loti_cli.core.findings import Hit, Loc
from loti_cli.core.model import model_fields_at
from loti_cli.core.suggest import did_you_mean, one_of

M = TypeVar("M", bound=BaseModel)

_REMOVED = object()


class Pruned(NamedTuple):
    """The data a model was found from, bad values dropped, and where each list item came from."""

    data: Any
    origins: dict[int, list[int]]


# ---------------------------------------------------------------------------
# validation that keeps going


def validate(model: type[M], data: dict[str, Any]) -> tuple[M | None, list[Any], Pruned | None]:
    """Validate `data`; on errors, drop the offending values and validate again.

    The first pass's errors are the ones reported (pydantic reports them all at
    once); the later passes only find a model for the rules to check, so that a
    file with a bad value still gets every other finding. When that model is found
    from pruned data, the Pruned data comes with it, else None.
    """
    try:
        return model.model_validate(data), [], None
    except ValidationError as error:
        first = error.errors(include_url=False)
    pruned = copy.deepcopy(data)
    origins: dict[int, list[int]] = {}
    errors = first
    for _ in range(4):
        for problem in errors:
            _mark_removed(pruned, tuple(problem["loc"]), problem["type"])
        _sweep(pruned, origins)
        try:
            validated = model.model_validate(pruned)
        except ValidationError as error:
            errors = error.errors(include_url=False)
            continue
        return validated, first, Pruned(pruned, origins)
    return None, first, None


def _mark_removed(data: Any, loc: Loc, kind: str) -> None:
    # A missing key inside a list item: drop the item; elsewhere drop the bad value.
    target = loc[:-1] if kind == "missing" else loc
    if kind == "missing":
        while target and not isinstance(target[-1], int):
            target = target[:-1]
        if not target:
            return
    parent: Any = data
    for part in target[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return
    last = target[-1] if target else None
    in_dict = isinstance(parent, dict) and last in parent
    in_list = isinstance(parent, list) and isinstance(last, int) and last < len(parent)
    if in_dict or in_list:
        parent[last] = _REMOVED


def _sweep(node: Any, origins: dict[int, list[int]]) -> None:
    if isinstance(node, dict):
        for key in [key for key, value in node.items() if value is _REMOVED]:
            del node[key]
        for value in node.values():
            _sweep(value, origins)
    elif isinstance(node, list):
        before = origins.get(id(node), list(range(len(node))))
        kept = [
            (index, item) for index, item in zip(before, node, strict=False) if item is not _REMOVED
        ]
        if len(kept) != len(node):
            node[:] = [item for _, item in kept]
            origins[id(node)] = [index for index, _ in kept]
        for item in node:
            _sweep(item, origins)


def missing_required(data: dict[str, Any], required: Iterable[str]) -> Iterable[Hit]:
    for dotted in required:
        parts = dotted.split(".")
        parent: Any = data
        for part in parts[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        if not isinstance(parent, dict):
            continue
        name = parts[-1]
        where = tuple(parts[:-1])
        if name not in parent:
            inside = f" in '{'.'.join(where)}'" if where else ""
            yield Hit(f"missing required key '{name}'{inside}; add it", where, at_key=bool(where))
        elif parent[name] is None:
            yield Hit(f"'{dotted}' has no value; fill it in", tuple(parts))


# ---------------------------------------------------------------------------
# pydantic errors as messages a person can act on

_QUOTED = re.compile(r"'([^']*)'")


def describe(error: Any, model: type[BaseModel], data: dict[str, Any]) -> Hit:
    """Turn one pydantic error into a Hit with a message that says what to write."""
    loc: Loc = tuple(part for part in error["loc"] if isinstance(part, str | int))
    kind: str = error["type"]
    name = _name(loc)
    value = error.get("input")
    if kind == "extra_forbidden":
        key = str(loc[-1])
        allowed = model_fields_at(model, loc[:-1])
        hint = did_you_mean(key, allowed)
        if not hint and allowed:
            hint = f"; allowed keys here are {one_of(allowed)}"
        return Hit(f"unknown key '{key}'{hint}", loc, at_key=True)
    if kind == "missing":
        return Hit(f"{_name(loc[:-1]) or 'the entry'} is missing '{loc[-1]}'; add it", loc[:-1])
    if kind == "literal_error":
        options = _QUOTED.findall(error.get("ctx", {}).get("expected", ""))
        shown = _show(value)
        hint = did_you_mean(str(value), options) if isinstance(value, str) else ""
        return Hit(f"{name} {shown} is not one of {one_of(options)}{hint}", loc)
    if kind == "value_error":
        message = str(error.get("ctx", {}).get("error", error["msg"]))
        if message.startswith(("is ", "should ", "has ")):
            return Hit(f"{name} {message}", loc)
        return Hit(f"{name}: {message}", loc)
    if kind in ("list_type",):
        return Hit(f"{name} should be a list (lines starting with '- '), not {_kind(value)}", loc)
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return Hit(f"{name} should be a mapping of keys to values, not {_kind(value)}", loc)
    if kind in ("bool_type", "bool_parsing"):
        return Hit(f"{name} should be true or false, not {_show(value)}", loc)
    if kind in ("string_type",):
        return Hit(f"{name} should be text, not {_kind(value)}", loc)
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return Hit(f"{name} should be a whole number, not {_show(value)}", loc)
    if kind == "greater_than_equal":
        return Hit(f"{name} should be zero or more, not {_show(value)}", loc)
    return Hit(f"{name}: {error['msg']}", loc)


def _name(loc: Loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _show(value: object) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, dict | list):
        return _kind(value)
    return f"'{value}'"


def _kind(value: object) -> str:
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float) or type(value).__name__ == "Decimal":
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__
