"""Pydantic models of the ledger and the proposal, as the format contracts describe them.

The models check shape and types only. Keys that the contracts call required are
optional here and checked by `load` (see LEDGER_REQUIRED and PROPOSAL_REQUIRED),
so that a file with a missing key still yields a model and every other problem
in it is found in the same run.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

from loti_cli.core.money import Money
from loti_cli.core.values import (
    Date,
    FeeRef,
    FinancialYear,
    Number,
    Profile,
    SignedMoney,
    Text,
    Threshold,
    Weight,
)


class Model(BaseModel):
    """Frozen, no unknown keys, and every field checked."""

    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=False)


# ---------------------------------------------------------------------------
# the ledger

IncomeKind = Literal["membership", "grant", "carry_forward", "other"]
SpendStatus = Literal["estimated", "committed", "paid"]
MemberKind = Literal["borough", "partner"]
SPEND_STATUSES: tuple[SpendStatus, ...] = ("estimated", "committed", "paid")


class Member(Model):
    name: Text
    kind: MemberKind
    fee: FeeRef


class IncomeLine(Model):
    name: Text
    amount: Money
    kind: IncomeKind


class ExpenditureLine(Model):
    name: Text
    amount: Money
    status: SpendStatus
    pillar: Text | None = None
    profile: Profile | None = None
    """None is `even`: the amount spread evenly over the twelve months."""
    forecast: Money | None = None
    """The expected outturn, when someone has forecast it (budget monitor)."""


class Allocation(Model):
    pillar: Text
    amount: Money
    areas: list[Text] = Field(default_factory=list)


class Stated(Model):
    """Figures as published; each one given is recomputed and compared (LB1, LB2)."""

    total_income: Money | None = None
    recurring_income: Money | None = None
    total_committed: Money | None = None
    remaining: Money | None = None
    total_allocated: Money | None = None
    member_boroughs: Annotated[int, Field(ge=0, strict=True)] | None = None
    """How many member boroughs the source states (compared with `members` by LB2)."""


class Criterion(Model):
    """A prioritisation criterion a panel scores bids against (slide 10)."""

    id: Text
    name: Text
    weight: Weight = Field(default=Decimal(1), json_schema_extra={"default": 1})


class Lot(Model):
    """A ring-fenced part of a call."""

    name: Text
    amount: Money


class Call(Model):
    """A competitive call for bids, ring-fenced inside a pillar's allocation."""

    name: Text
    pillar: Text
    amount: Money
    closes: Date | None = None
    lots: list[Lot] = Field(default_factory=list)

    def lot(self, name: str) -> Lot | None:
        for lot in self.lots:
            if lot.name == name:
                return lot
        return None


class Monitoring(Model):
    """RAG thresholds for `loti budget monitor`; a key left out takes its default."""

    amber: Threshold | None = None
    red: Threshold | None = None

    @property
    def thresholds(self) -> tuple[Decimal, Decimal]:
        """(amber, red) as fractions, the defaults where a key is left out."""
        return (
            self.amber if self.amber is not None else DEFAULT_AMBER,
            self.red if self.red is not None else DEFAULT_RED,
        )


DEFAULT_AMBER = Decimal("0.05")
DEFAULT_RED = Decimal("0.10")


class Ledger(Model):
    """One financial year: its money, and the policy facts the checks read."""

    ledger: Text | None = None
    financial_year: FinancialYear | None = None
    currency: Literal["GBP"] | None = None
    as_of: Date | None = None
    source: Text | None = None
    fees: Annotated[dict[str, Money], BeforeValidator(lambda v: {} if v is None else v)] = Field(
        default_factory=dict
    )
    """An empty `fees:` is no fees."""
    members: list[Member] | None = None
    income: list[IncomeLine] | None = None
    expenditure: list[ExpenditureLine] | None = None
    allocations: list[Allocation] | None = None
    stated: Stated | None = None
    criteria: list[Criterion] | None = None
    calls: list[Call] | None = None
    monitoring: Monitoring | None = None

    def fee_of(self, member: Member) -> Money | None:
        """The fee a member pays, or None when it names no key of `fees`."""
        if isinstance(member.fee, Money):
            return member.fee
        return self.fees.get(member.fee)

    def allocation(self, pillar: str) -> Allocation | None:
        for allocation in self.allocations or ():
            if allocation.pillar == pillar:
                return allocation
        return None

    def call(self, name: str) -> Call | None:
        for call in self.calls or ():
            if call.name == name:
                return call
        return None


LEDGER_REQUIRED: tuple[str, ...] = (
    "ledger",
    "financial_year",
    "currency",
    "members",
    "income",
    "expenditure",
    "allocations",
)


# ---------------------------------------------------------------------------
# the proposal

ProposalStatus = Literal["draft", "submitted", "approved", "rejected", "withdrawn"]
Role = Literal["lead", "delivery", "supporter"]


class BoroughEntry(Model):
    name: Text
    role: Role


class ExternalFunding(Model):
    source: Text
    amount: Money


class Budget(Model):
    requested: SignedMoney | None = None
    """A negative amount is read, and BU1 (valid-amounts) reports it."""
    external: list[ExternalFunding] = Field(default_factory=list)
    total_cost: Money | None = None


class Replicability(Model):
    standards: list[Text] | None = None
    plan: Text | None = None


class Output(Model):
    name: Text
    licence: Text | None = None
    gifted: StrictBool | None = None
    url: Text | None = None
    """Where the gifted output is published (CL1: needed to close the project)."""


class Milestone(Model):
    name: Text
    due: Date
    done: Date | None = None
    """Absent: not done."""


class Measure(Model):
    """How the outcome is measured: from `baseline` towards `target`."""

    name: Text
    unit: Text | None = None
    baseline: Number | None = None
    target: Number | None = None
    actual: Number | None = None
    """The latest value; absent: not measured yet."""
    measured: Date | None = None


class Delivery(Model):
    """From approval to closure: the project's phase, dates, milestones and measures."""

    phase: Text | None = None
    """One of core.delivery.PHASES; text here so that DL1 names an unknown one with a "did you mean"."""
    start: Date | None = None
    end: Date | None = None
    """The planned end."""
    closed: Date | None = None
    """When the project was closed (`loti proposal close`)."""
    milestones: list[Milestone] = Field(default_factory=list)
    measures: list[Measure] = Field(default_factory=list)


class Waiver(Model):
    rule: Text
    reason: Text | None = None
    approved_by: Text | None = None
    expires: Date | None = None


class Proposal(Model):
    """A project proposal to a funding panel."""

    id: Text | None = None
    title: Text | None = None
    financial_year: FinancialYear | None = None
    pillar: Text | None = None
    area: Text | None = None
    status: ProposalStatus | None = None
    panel: Date | None = None
    summary: Text | None = None
    outcome: Text | None = None
    boroughs: list[BoroughEntry] | None = None
    budget: Budget | None = None
    replicability: Replicability | None = None
    outputs: list[Output] | None = None
    sustainability: Text | None = None
    personal_data: StrictBool = False
    dpia: Text | None = None
    waivers: list[Waiver] = Field(default_factory=list)
    call: Text | None = None
    lot: Text | None = None
    submitted: Date | None = None
    delivery: Delivery | None = None

    @property
    def requested(self) -> Money | None:
        """What it asks of LOTI (`budget.requested`), as the budget reads it."""
        return self.budget.requested if self.budget is not None else None


PROPOSAL_REQUIRED: tuple[str, ...] = (
    "id",
    "title",
    "financial_year",
    "pillar",
    "status",
    "boroughs",
    "budget",
    "budget.requested",
)


def model_fields_at(model: type[BaseModel], loc: tuple[str | int, ...]) -> tuple[str, ...]:
    """The keys a mapping at `loc` may have, for "did you mean" on an unknown key."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return ()
        field = current.model_fields.get(part)
        if field is None:
            return ()
        current = _model_in(field.annotation)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return tuple(current.model_fields)
    return ()


def _model_in(annotation: Any) -> Any:
    """The BaseModel inside `X | None`, `list[X]` or `Annotated[...]`, if there is one."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in getattr(annotation, "__args__", ()):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
