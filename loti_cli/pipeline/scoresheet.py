"""The empty scores file of a call: a row per member borough, submitted bid and criterion,
with no row where the borough leads, delivers or supports the bid; pure."""

from __future__ import annotations

from loti_cli.pipeline.calls import CallSetup

SheetRow = tuple[str, str, str, str, str]


def sheet_rows(setup: CallSetup) -> list[SheetRow]:
    """Scorer by scorer (the ledger's order), bid by bid (file order), criterion by
    criterion (the ledger's order); score and comment left empty."""
    rows: list[SheetRow] = []
    for gss, name in setup.members.items():
        for bid in setup.ranked:
            if bid.conflict(gss) is not None:
                continue
            rows.extend((bid.id, name, criterion.id, "", "") for criterion in setup.criteria)
    return rows
