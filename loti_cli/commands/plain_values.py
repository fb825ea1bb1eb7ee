"""Typer's conversion of option values, done without pydantic for the plain values loti takes.

Typer converts every parameter's value, even a default or one left unset,
through a pydantic TypeAdapter, so that any command, `--help` of a command and
every shell-completion request would import pydantic and its plugin loader: more
time than loti spends on the rest of `loti rules` or of a TAB press. `install`
lets Typer build that adapter only when it is needed: text, choices (enums), paths and lists of them are
converted here exactly as Typer's adapters convert them, and anything else, or
any value that does not convert, goes to Typer's own conversion, so that results
and error messages stay Typer's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, get_args

import typer.core
from typer._click import Context
from typer._click.exceptions import BadParameter
from typer._coercion import RuntimeParam, TypeDescriptor, build_runtime_param
from typer._param_types import choice_coercion_annotation, coerce_cli_choice, coerce_cli_path
from typer.models import ParameterInfo

_TYPERS = object()
"""Returned when Typer's own conversion must decide."""


class PlainFirst(RuntimeParam):
    """Converts plain values itself; builds Typer's (pydantic) conversion for the rest.

    (Not a dataclass of its own: creating one costs start-up time.)
    """

    def __init__(self, descriptor: TypeDescriptor) -> None:
        super().__init__(descriptor.parameter_info, descriptor.annotation)
        self.descriptor = descriptor
        self.typers: list[RuntimeParam] = []

    def _coerce_value(self, value: Any, param: typer.core._TyperParameter, ctx: Context) -> Any:
        try:
            converted = plain(self.descriptor, value, param, ctx)
        except (ValueError, AssertionError, BadParameter):
            converted = _TYPERS  # Typer's conversion fails too, with its own message
        if converted is not _TYPERS:
            return converted
        if not self.typers:
            self.typers.append(build_runtime_param(self.descriptor))
        return self.typers[0]._coerce_value(value, param=param, ctx=ctx)


def plain(
    descriptor: TypeDescriptor, value: Any, param: typer.core._TyperParameter, ctx: Context
) -> Any:
    """`value` converted as Typer's adapter would, or _TYPERS when this is not a plain case."""
    info = descriptor.parameter_info
    annotation = descriptor.annotation
    if descriptor.file_annotation is not None or info.parser is not None:
        return _TYPERS
    if descriptor.is_list:
        (item,) = get_args(annotation)
        values = value if isinstance(value, list | tuple) else [value]
        items = [_leaf(item, info, one, param, ctx) for one in values]
        return _TYPERS if any(one is _TYPERS for one in items) else items
    return _leaf(annotation, info, value, param, ctx)


def _leaf(
    annotation: Any,
    info: ParameterInfo,
    value: Any,
    param: typer.core._TyperParameter,
    ctx: Context,
) -> Any:
    if annotation is str:
        return value if type(value) is str else _TYPERS
    choice = choice_coercion_annotation(annotation, info)
    if choice is not None:
        choices, case_sensitive = choice
        return coerce_cli_choice(value, choices=choices, case_sensitive=case_sensitive, ctx=ctx)
    if annotation is Path and info.path_type is None:
        if isinstance(value, str):
            value = Path(value)  # what pydantic makes of text, before Typer's checks
        if not isinstance(value, Path):
            return _TYPERS
        return coerce_cli_path(value, info, path_type=Path, param=param, ctx=ctx)
    return _TYPERS


def _build(descriptor: TypeDescriptor) -> RuntimeParam:
    return PlainFirst(descriptor)


def install() -> None:
    """Have Typer convert parameters with `PlainFirst` (harmless to repeat).

    Typer's parameters look the builder up in `typer.core` when they first convert a
    value; if a Typer version builds them otherwise, nothing changes.
    """
    namespace = vars(typer.core)
    if namespace.get("build_runtime_param") is build_runtime_param:
        namespace["build_runtime_param"] = _build
