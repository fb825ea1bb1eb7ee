"""The borough statements' run: the year's ledger and proposals read once, counted as the budget
counts them, with the year's actuals and the BR1 check; nothing printed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from loti_cli.core.findings import Finding, Hit, sort_key
from loti_cli.core.model import Ledger, Proposal
from loti_cli.core.money import Money
from loti_cli.errors import LotiError
from loti_cli.io.load import Source
from loti_cli.io.resolve import LedgerChoice
from loti_cli.pipeline.analyse import analysis_of
from loti_cli.pipeline.boroughs import Statements, gather
from loti_cli.pipeline.status import budget_status
from loti_cli.pipeline.uncounted import COUNTED
from loti_cli.pipeline.workspace import Workspace
from loti_cli.rules.br1_participation import RULE as BR1
from loti_cli.rules.br1_participation import ParticipationContext
from loti_cli.rules.ledger import LB9


def statements(choice: LedgerChoice, folder: Path | None, year: str | None) -> Statements:
    """Every member's statement for the year of `choice`, from the proposals in `folder`.

    Raises LotiError (exit 2) when the ledger cannot be loaded, is not for `year`, or the
    year's actuals file is not valid. A proposal file that may count but cannot be read
    is in `uncounted` (LB9): the statements are then incomplete, and the command says so.
    """
    read = Workspace.open(ledger=choice.path, proposals=folder, no_cache=True)
    # The statements read whole proposals (boroughs, costs, outputs): each file once, in full.
    sources = read.sources()
    status = budget_status(choice, [analysis_of(source) for source in sources], book=read.book)
    if status.status is None:
        raise LotiError(
            f"the ledger {choice.description} cannot be loaded:",
            details=tuple(str(finding) for finding in status.findings),
        )
    ledger = status.status.ledger
    if year is not None and ledger.financial_year != year:
        raise LotiError(
            f"--year {year} but the ledger {choice.display} is for {ledger.financial_year}"
        )
    spent, actuals = year_actuals(read, choice.path)
    proposals = [source.model for source in sources if source.model is not None]
    result = gather(ledger, choice.display, proposals, spent=spent, actuals=actuals)
    unread = sorted([*status.uncounted, *unread_roles(sources, ledger)], key=sort_key)
    found = [*unread, *participation_findings(result, status.source)]
    return replace(result, findings=tuple(sorted(found, key=sort_key)), uncounted=tuple(unread))


def unread_roles(sources: Sequence[Source[Proposal]], ledger: Ledger) -> list[Finding]:
    """LB9 for each approved or submitted proposal of the year whose list of boroughs lost an
    entry that could not be read (a role misspelt, a name missing): its members' part in it
    would be left out of their statements without a word."""
    year = ledger.financial_year
    found = []
    for source in sources:
        model = source.model
        if model is None or model.status not in COUNTED or model.financial_year != year:
            continue
        if source.dropped(("boroughs",)):
            hit = Hit(
                f"is {'an' if model.status == 'approved' else 'a'} {model.status} proposal of "
                f"{year} whose boroughs cannot all be read, so a member's part in it is left "
                "out of the statements: correct the entries proposal check reports (IN2)",
                ("boroughs",),
            )
            found.append(source.place(LB9.code, LB9.name, LB9.severity, hit))
    return found


def participation_findings(result: Statements, ledger: Source[Ledger]) -> list[Finding]:
    """BR1: the members no approved or submitted proposal of the year names, counted."""
    idle = tuple(member.name for member in result.members if member.idle)
    context = ParticipationContext(result.financial_year, idle)
    assert BR1.check is not None
    return [ledger.place(BR1.code, BR1.name, BR1.severity, hit) for hit in BR1.check(context)]


def year_actuals(read: Workspace, ledger: Path) -> tuple[dict[str, Money] | None, str | None]:
    """What is spent on each proposal to date, from the year's actuals file beside the ledger,
    and that file as a user sees it; (None, None) when the year has none. An actuals file
    that is not valid (MN6) stops the run: its figures cannot be trusted."""
    from loti_cli.core.actuals import spent_by_proposal
    from loti_cli.io.resolve import display_path

    found = read.trusted_actuals(ledger)
    if not found.exists:
        return None, None
    shown = display_path(found.path)
    return spent_by_proposal(found.rows), shown
