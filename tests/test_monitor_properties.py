"""Properties of the month's report over generated ledgers, proposals and actuals: planned
unspent is budget status's remaining less what is approved, totals are exact sums, and every
actual to date is counted once (in its line, its proposal, or the unmatched row)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from loti_cli.core.actuals import Actual
from loti_cli.core.budget import compute_status
from loti_cli.core.entry import Entry
from loti_cli.core.model import Ledger
from loti_cli.core.money import Money, total
from loti_cli.core.period import month_period
from loti_cli.pipeline.monitor_findings import Spend
from loti_cli.pipeline.monitoring import build

PILLARS = ("Covid Recovery", "Smarter London")
pence = st.integers(0, 10**9).map(lambda n: Money(Decimal(n) / 100))


@st.composite
def years(draw: st.DrawFn) -> tuple[Ledger, list[Entry], list[Actual], int]:
    lines = [f"Line {n}" for n in range(draw(st.integers(1, 6)))]
    data: dict[str, Any] = {
        "ledger": "Generated",
        "financial_year": "2020-21",
        "currency": "GBP",
        "members": [],
        "income": [{"name": "Grant", "amount": draw(pence).amount, "kind": "grant"}],
        "expenditure": [
            {"name": name, "amount": draw(pence).amount, "status": "estimated"} for name in lines
        ],
        "allocations": [{"pillar": p, "amount": draw(pence).amount} for p in PILLARS],
    }
    ledger = Ledger.model_validate(data)
    entries = [
        Entry(
            path=f"p{n}.yaml",
            id=f"P-{n}",
            financial_year="2020-21",
            pillar=draw(st.sampled_from(PILLARS)),
            status=draw(st.sampled_from(["approved", "submitted", "draft"])),
            panel=draw(st.none() | st.dates(date(2020, 4, 1), date(2021, 3, 31))),
            requested=draw(pence),
        )
        for n in range(draw(st.integers(0, 5)))
    ]
    targets = [(name, "") for name in lines] + [("", f"P-{n}") for n in range(6)] + [("", "")]
    actuals = [
        Actual(
            f"a{n}",
            draw(st.dates(date(2020, 4, 1), date(2021, 3, 31))),
            Money(Decimal(draw(st.integers(-(10**6), 10**8))) / 100),
            *draw(st.sampled_from(targets)),
            at=n + 2,
        )
        for n in range(draw(st.integers(0, 30)))
    ]
    return ledger, entries, actuals, draw(st.integers(1, 12))


@settings(max_examples=150, deadline=None)
@given(years())
def test_the_report_adds_up(year: tuple[Ledger, list[Entry], list[Actual], int]) -> None:
    ledger, entries, actuals, month = year
    status = compute_status(ledger, entries)
    approved = [e for e in entries if e.status == "approved"]
    period = month_period("2020-21", month)
    spend = Spend.of(actuals, period, ledger, approved)
    report = build(status, period, approved, spend)
    # planned unspent: budget status's remaining less what approved proposals take
    taken = total(pillar.approved for pillar in status.pillars)
    assert report.planned_unspent == status.remaining - taken
    assert report.planned_unspent == status.total_income - (status.total_committed + taken)
    # every actual to date counted once
    to_date = total(a.amount for a in actuals if a.date <= period.end)
    assert report.total.actual_to_date == to_date
    assert report.cumulative[month - 1][1] == to_date
    # totals are the exact sums of their rows
    rows = [*report.lines, report.unmatched]
    for key in ("budget", "profile_to_date", "actual_to_date", "forecast_outturn", "variance"):
        assert getattr(report.total, key) == total(getattr(row, key) for row in rows)
    assert report.forecast_unspent == status.total_income - report.total.forecast_outturn
    # the year's profile comes to the budget of every line and approved proposal
    assert report.cumulative[-1][0] == report.total.budget
