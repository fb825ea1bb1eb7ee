"""`loti budget monitor` for a person: each line's month in figures, RAG in colour and in words."""

from __future__ import annotations

from rich.text import Text

from loti_cli.core.findings import one_line
from loti_cli.core.money import format_money
from loti_cli.core.monitoring import Row
from loti_cli.io.load import percent
from loti_cli.pipeline.monitoring import MonitorResult
from loti_cli.pipeline.uncounted import incomplete_note
from loti_cli.report import RenderOptions
from loti_cli.report.budget_table import print_findings
from loti_cli.report.console import recording_console
from loti_cli.report.fitted_table import Column, fitted_table
from loti_cli.report.fitted_table import Row as Cells
from loti_cli.report.monitor_rows import pct

RAG_STYLES = {"green": "bold green", "amber": "bold yellow", "red": "bold red"}

TO_DATE = [
    Column("Line"),
    Column("Pillar", optional=True),
    Column("Budget", money=True),
    Column("Profile", money=True),
    Column("Actual", money=True),
    Column("Variance", money=True),
]
OUTTURN = [
    Column("Line"),
    Column("Forecast", money=True),
    Column("Variance", money=True),
    Column("Var %", money=True),
    Column("RAG", money=True),
]
"""Two tables, so that each fits a narrow terminal whole: the month to date, and the year's
forecast outturn. RAG is a word (GREEN, AMBER, RED) as well as a colour, and never cut."""


def _name(row: Row, bold: bool) -> Text:
    name = one_line(row.name)
    if row.kind == "total" and row.pillar is not None:
        name = f"{name} proposals"
    return Text(name, style="bold" if bold else "")


def _to_date(row: Row, *, bold: bool = False) -> Cells:
    style = "bold" if bold else ""
    pillar = one_line(row.pillar or "") if row.kind != "total" else ""
    money = (row.budget, row.profile_to_date, row.actual_to_date, row.variance_to_date)
    return (_name(row, bold), pillar, *(Text(format_money(m), style=style) for m in money))


def _outturn(row: Row, *, bold: bool = False) -> Cells:
    style = "bold" if bold else ""
    rag = Text((row.rag or "").upper(), style=RAG_STYLES.get(row.rag or "", ""))
    share = pct(row.variance_pct)
    return (
        _name(row, bold),
        Text(format_money(row.forecast_outturn), style=style),
        Text(format_money(row.variance), style=style),
        f"{share}%" if share else "",
        rag,
    )


def render(result: MonitorResult, options: RenderOptions) -> str:
    report = result.report
    assert report is not None
    status = result.status.status
    assert status is not None
    console, buffer = recording_console(options)
    period = report.period
    heading = Text(one_line(status.ledger.ledger or "Budget"), style="bold")
    heading.append(f"  {period.financial_year}  {period.label} ({period.name})")
    console.print(heading, overflow="fold")
    console.print(
        Text(
            f"Ledger: {one_line(result.status.choice.description)}; actuals: "
            f"{one_line(result.actuals_path)} to {period.end.isoformat()}",
            style="dim",
        ),
        overflow="fold",
    )
    if result.uncounted:
        note = Text(one_line(incomplete_note(result.uncounted)), style="bold red")
        console.print(note, overflow="fold")
    rows = [*report.lines, report.unmatched]
    totals = [*report.pillars, report.lines_total, report.proposals_total]
    for title, columns, cells in (
        (f"To date: {period.label}, to {period.end.isoformat()}", TO_DATE, _to_date),
        ("Forecast outturn for the year", OUTTURN, _outturn),
    ):
        sections = [
            [cells(row) for row in rows],
            [cells(row) for row in totals],
            [cells(report.total, bold=True)],
        ]
        console.print()
        console.print(fitted_table(title, columns, sections, options.width))
    console.print()
    _year_end(console, result, options.width)
    return buffer.getvalue()


def _year_end(console: object, result: MonitorResult, width: int) -> None:
    from rich.console import Console

    assert isinstance(console, Console)
    report = result.report
    assert report is not None
    unspent = report.forecast_unspent
    console.print(
        fitted_table(
            "Year end",
            [Column("Figure"), Column("Amount", money=True)],
            [
                [
                    ("Total income", format_money(report.total_income)),
                    (
                        "Forecast unspent",
                        Text(
                            format_money(unspent),
                            style="bold red" if unspent.amount < 0 else "bold",
                        ),
                    ),
                    ("Planned unspent", format_money(report.planned_unspent)),
                ]
            ],
            width,
        )
    )
    console.print(
        Text(
            f"RAG: RED from an overspend of {percent(report.red)}; AMBER from "
            f"{percent(report.amber)}, or an underspend of {percent(report.red)}; else GREEN.",
            style="dim",
        ),
        overflow="fold",
    )
    console.print()
    print_findings(console, result.findings)
