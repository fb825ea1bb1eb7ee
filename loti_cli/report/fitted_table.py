"""Rich tables that fit the terminal without cutting money: other columns give way first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

Cell = str | Text
Row = Sequence[Cell]

NAME_WIDTH = 10
"""The narrowest a name column may get before optional columns are left out."""


@dataclass(frozen=True, slots=True)
class Column:
    """A column: money is never wrapped or cut; an optional one is left out when room runs short."""

    header: str
    money: bool = False
    optional: bool = False


def _plain(cell: Cell) -> str:
    return cell.plain if isinstance(cell, Text) else cell


def _natural(index: int, column: Column, rows: Sequence[Row]) -> int:
    """The width of the column's widest cell, its header included."""
    return max([cell_len(column.header), *(cell_len(_plain(row[index])) for row in rows)])


def _needed(columns: Sequence[Column], rows: Sequence[Row], keep: Sequence[int]) -> int:
    """Columns at their least width, plus one space each side and a rule between them."""
    total = 3 * len(keep) - 1
    for index in keep:
        column = columns[index]
        natural = _natural(index, column, rows)
        total += natural if column.money or column.optional else min(natural, NAME_WIDTH)
    return total


def fitted_table(
    title: str, columns: Sequence[Column], sections: Sequence[Sequence[Row]], width: int
) -> Table:
    """A table of `sections` (rules between them) no wider than `width` where money allows.

    Every money figure is shown whole. When the table is too wide, optional
    columns are left out (the rightmost first, and a caption says which); when
    even that is not enough, each row is stacked as label and figures.
    """
    rows = [row for section in sections for row in section]
    keep = list(range(len(columns)))
    optional = [index for index, column in enumerate(columns) if column.optional]
    left_out: list[str] = []
    while _needed(columns, rows, keep) > width and optional:
        index = optional.pop()
        keep.remove(index)
        left_out.insert(0, columns[index].header)
    if _needed(columns, rows, keep) > width:
        return _stacked(title, columns, sections)
    caption = f"{', '.join(left_out)} not shown: the terminal is too narrow" if left_out else None
    table = Table(
        title=title,
        title_justify="left",
        caption=caption,
        caption_justify="left",
        show_edge=False,
    )
    for index in keep:
        column = columns[index]
        natural = _natural(index, column, rows)
        if column.money:
            table.add_column(column.header, justify="right", no_wrap=True, min_width=natural)
        elif column.optional:
            table.add_column(column.header, no_wrap=True, min_width=natural)
        else:
            table.add_column(column.header, overflow="fold", min_width=min(natural, NAME_WIDTH))
    for number, section in enumerate(sections):
        if number:
            table.add_section()
        for row in section:
            table.add_row(*(row[index] for index in keep))
    return table


def _stacked(title: str, columns: Sequence[Column], sections: Sequence[Sequence[Row]]) -> Table:
    """One row per figure: the row's label, then each non-empty cell under its column's name."""
    table = Table(title=title, title_justify="left", show_edge=False, show_header=False)
    table.add_column(overflow="fold")
    values = [
        _plain(row[index])
        for section in sections
        for row in section
        for index in range(1, len(row))
    ]
    table.add_column(justify="right", no_wrap=True, min_width=max(map(cell_len, values), default=0))
    grouped = False  # the previous row was stacked: a rule after it
    for number, section in enumerate(sections):
        for row_number, row in enumerate(section):
            filled = [index for index in range(1, len(row)) if _plain(row[index])]
            stack = len(filled) > 1
            if table.row_count and (grouped or stack or (number and not row_number)):
                table.add_section()
            grouped = stack
            if not stack:
                table.add_row(row[0], row[filled[0]] if filled else "")
                continue
            label = row[0] if isinstance(row[0], Text) else Text(row[0], style="bold")
            table.add_row(label, "")
            for index in filled:
                table.add_row(f"  {columns[index].header}", row[index])
    return table
