"""The money and dates of a finance system's export, read exactly: each cell to a value or a reason."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from loti_cli.core.money import LIMIT

FORMS = "1234.56, 1,234.56, £1,234.56, -1234.56 or (1,234.56)"
"""Every form of money an export may use, for a message about one it does not."""

_MONEY = re.compile(
    r"(?P<minus>-)?(?P<open>\()?£?"
    r"(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<pence>[0-9]+))?(?P<close>\))?"
)


def read_money(cell: str) -> Decimal | str:
    """The exact amount a cell holds (brackets: negative), or why it holds none."""
    text = cell.strip()
    match = _MONEY.fullmatch(text)
    if (
        match is None
        or bool(match["open"]) != bool(match["close"])
        or (match["minus"] and match["open"])
    ):
        if not text:
            return "is empty; every row has an amount"
        return f"{text!r} is not an amount; write it as {FORMS}"
    pence = match["pence"]
    if pence is not None and len(pence) > 2:
        return f"{text!r} has more than two decimal places; an amount is in pounds and pence"
    value = Decimal(match["whole"].replace(",", "") + (f".{pence}" if pence else ""))
    if value >= LIMIT:
        return f"{text!r} is not an amount of spend: amounts are below £{LIMIT:,.0f}"
    return -value if match["minus"] or match["open"] else value


class DateReader:
    """Reads an export's dates in its `date_format`, remembering each text once read
    (an export repeats the same few hundred dates)."""

    def __init__(self, form: str) -> None:
        self.form = form
        self.example = date(2020, 4, 1).strftime(form)
        self.seen: dict[str, date | str] = {}

    def read(self, cell: str) -> date | str:
        """The date a cell holds, or why it holds none."""
        found = self.seen.get(cell)
        if found is None:
            found = self.seen[cell] = self._parse(cell)
        return found

    def _parse(self, cell: str) -> date | str:
        text = cell.strip()
        if not text:
            return "is empty; every row has a date"
        try:
            return datetime.strptime(text, self.form).date()
        except ValueError:
            return (
                f"{text!r} is not a date written {self.form} (as {self.example} for 1 April "
                "2020); correct it, or date_format in the rules file"
            )
