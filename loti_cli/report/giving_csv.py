"""`loti export 360giving --format csv`: the grants as 360Giving's flat CSV, one row per grant.

Column titles are the schema's field titles joined with `:`, as 360Giving's
spreadsheet template and flatten-tool (which the Data Quality Tool uses to read
a CSV back) write them: `Amount Awarded`, `Recipient Org:Identifier`. A list
that holds one item in every grant is rolled up without a number; a list that
holds more than one in some grant is numbered from 0 (`Beneficiary
Location:0:Name`, `Beneficiary Location:1:Name`), as 360Giving's guidance on
multiple beneficiary locations shows. Amounts are written with the same exact
digits as in the JSON.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from loti_cli.report.budget_csv import inert
from loti_cli.report.giving_json import number_text

if TYPE_CHECKING:
    from loti_cli.pipeline.grants import Export
    from loti_cli.report import RenderOptions

_ORGANIZATION = {"id": "Identifier", "name": "Name"}
_LOCATION = {
    "name": "Name",
    "countryCode": "Country Code",
    "geoCode": "Geographic Code",
    "geoCodeType": "Geographic Code Type",
}

COLUMNS: tuple[tuple[str, str, Mapping[str, str] | None], ...] = (
    ("id", "Identifier", None),
    ("title", "Title", None),
    ("description", "Description", None),
    ("currency", "Currency", None),
    ("amountAwarded", "Amount Awarded", None),
    ("amountDisbursed", "Amount Disbursed", None),
    ("awardDate", "Award Date", None),
    ("plannedDates", "Planned Dates", {"startDate": "Start Date", "endDate": "End Date"}),
    ("actualDates", "Actual Dates", {"startDate": "Start Date", "endDate": "End Date"}),
    ("recipientOrganization", "Recipient Org", _ORGANIZATION),
    ("beneficiaryLocation", "Beneficiary Location", _LOCATION),
    ("fundingOrganization", "Funding Org", _ORGANIZATION),
    ("grantProgramme", "Grant Programme", {"code": "Code", "title": "Title"}),
    ("dataSource", "Data Source", None),
)
"""Each grant field written: its JSON key, its schema title, and the titles of an item's fields.

The order is that of 360Giving's spreadsheet template.
"""

Getter = Callable[[Mapping[str, Any]], Any]


def render(result: Export, options: RenderOptions) -> str:
    """The export's grants as CSV text."""
    return grants_csv(result.grants)


def grants_csv(grants: Sequence[Mapping[str, Any]]) -> str:
    """The CSV text: a header of 360Giving column titles, then one row per grant."""
    columns = _columns(grants)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(title for title, _ in columns)
    for grant in grants:
        writer.writerow(_cell(get(grant)) for _, get in columns)
    return out.getvalue()


def _columns(grants: Sequence[Mapping[str, Any]]) -> list[tuple[str, Getter]]:
    _refuse_unknown(grants)
    columns: list[tuple[str, Getter]] = []
    for key, title, fields in COLUMNS:
        present = [grant[key] for grant in grants if key in grant]
        if not present:
            continue
        if fields is None:
            columns.append((title, _value(key)))
            continue
        most = max(len(items) for items in present)
        for index in range(most):
            for name, sub_title in fields.items():
                if not any(index < len(items) and name in items[index] for items in present):
                    continue
                heading = f"{title}:{sub_title}" if most == 1 else f"{title}:{index}:{sub_title}"
                columns.append((heading, _item_value(key, index, name)))
    return columns


def _refuse_unknown(grants: Sequence[Mapping[str, Any]]) -> None:
    """Fail loudly on a field without a column, rather than publish a CSV that drops it."""
    known = {key: fields for key, _, fields in COLUMNS}
    for grant in grants:
        for key, value in grant.items():
            if key not in known:
                raise ValueError(f"grant field {key!r} has no 360Giving CSV column here")
            fields = known[key]
            if fields is not None:
                for item in value:
                    extra = set(item) - set(fields)
                    if extra:
                        raise ValueError(f"{key} fields {sorted(extra)} have no CSV column here")


def _value(key: str) -> Getter:
    return lambda grant: grant.get(key)


def _item_value(key: str, index: int, name: str) -> Getter:
    def get(grant: Mapping[str, Any]) -> Any:
        items = grant.get(key) or ()
        return items[index].get(name) if index < len(items) else None

    return get


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number_text(value)
    if isinstance(value, str):
        return inert(value)
    return str(value)
