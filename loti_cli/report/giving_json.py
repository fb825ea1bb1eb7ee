"""`loti export 360giving --format json`: the grants as a 360Giving JSON data package.

The package is the standard's `{"grants": [...]}`, written as `json.dumps(indent=2,
ensure_ascii=False)` would write it, with amounts as exact numbers from their digits.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from loti_cli.pipeline.grants import Export
    from loti_cli.report import RenderOptions


def render(result: Export, options: RenderOptions) -> str:
    """The export's data package as JSON text."""
    return render_json(result.package)


def number_text(value: Decimal) -> str:
    """An exact JSON number for a Decimal: `5000` when whole, else its digits (`1234.56`)."""
    if not value.is_finite():
        raise ValueError(f"{value} is not a JSON number")
    if value == value.to_integral_value():
        return str(int(value))
    return format(value, "f")


def render_json(document: Any, indent: int = 2) -> str:
    """JSON text as `json.dumps(indent=2, ensure_ascii=False)` writes it, Decimals as exact numbers.

    The standard library can only write a Decimal by going through a binary
    float; 360Giving wants amounts as numbers, and a published amount must be
    the one approved to the penny, so numbers are written from their digits.
    """
    return "".join(_encode(document, indent, 0)) + "\n"


def _encode(value: Any, indent: int, level: int) -> Iterable[str]:
    if isinstance(value, Decimal):
        yield number_text(value)
    elif isinstance(value, float):
        raise TypeError("a binary float has no place in an export; use Decimal")
    elif value is None or isinstance(value, bool | int | str):
        yield json.dumps(value, ensure_ascii=False)
    elif isinstance(value, Mapping | list | tuple):
        items: Iterable[tuple[str | None, Any]]
        if isinstance(value, Mapping):
            opening, closing = "{", "}"
            items = value.items()
        else:
            opening, closing = "[", "]"
            items = ((None, item) for item in value)
        inner = "\n" + " " * (indent * (level + 1))
        first = True
        for key, item in items:
            yield (opening if first else ",") + inner
            first = False
            if key is not None:
                if not isinstance(key, str):
                    raise TypeError(f"JSON keys are text, not {type(key).__name__}")
                yield json.dumps(key, ensure_ascii=False) + ": "
            yield from _encode(item, indent, level + 1)
        yield opening + closing if first else "\n" + " " * (indent * level) + closing
    else:
        raise TypeError(f"{type(value).__name__} cannot be written as JSON")
