"""Pydantic models of the ledger and the proposal, as the format contracts describe them.

The models check shape and types only. Keys that the contracts call required are
optional here and checked by `load` (see LEDGER_REQUIRED and PROPOSAL_REQUIRED),
so that a file with a missing key still yields a model and every other problem
in it is found in the same run.
"""

from __future__ import annotations

import re
from calendar import monthrange
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, StrictBool

from loti_cli.core.money import Money, MoneyError, parse_money

_YEAR = re.compile(r"([0-9]{4})-([0-9]{2})")
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_MONTHS = "January February March April May June July August September October November December"


def _financial_year(value: object) -> str:
    if not isinstance(value, str) or not (match := _YEAR.fullmatch(value)):
        raise ValueError(f"'{value}' is not a financial year; write it as 2020-21")
    start, end = int(match[1]), int(match[2])
    if (start + 1) % 100 != end:
        raise ValueError(
            f"'{value}' is not a financial year; the second part is the year after the first, "
            f"as in {start}-{(start + 1) % 100:02d}"
        )
    return value


def parse_date(value: object) -> date:
    """A `2020-10-01` date (a date object passes through); ValueError otherwise, saying
    whether the text is not written as a date or names a day that does not exist."""
    if isinstance(value, date):
        return value
    text = value.strip() if isinstance(value, str) else ""
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"'{value}' is not a date; write it as 2020-10-01")
    year, month, day = (int(part) for part in match.groups())
    impossible = None
    if year < 1:
        impossible = "there is no year 0000"
    elif not 1 <= month <= 12:
        impossible = f"there is no month {match[2]} (months are 01 to 12)"
    elif day == 0:
        impossible = "there is no day 00"
    elif day > (days := monthrange(year, month)[1]):
        impossible = f"{_MONTHS.split()[month - 1]} {year} has {days} days"
    if impossible is not None:
        raise ValueError(f"'{text}' is not a date: {impossible}")
    return date(year, month, day)


def financial_year_dates(year: str) -> tuple[date, date]:
    """1 April and 31 March of a financial year such as 2020-21."""
    start = int(year[:4])
    return date(start, 4, 1), date(start + 1, 3, 31)


def outside_year(day: date, year: str, *, whose: str = "the") -> str | None:
    """Why `day` cannot be the panel's date for a proposal of `year` (None when it can):
    the panel that decides a proposal sits within its financial year, and its date is
    the grant's award date. `whose` begins the year's name: `CR-04's financial year`."""
    start, end = financial_year_dates(year)
    if start <= day <= end:
        return None
    return (
        f"{day.isoformat()} is outside {whose} financial year {year}, which runs from "
        f"1 April {start.year} to 31 March {end.year}"
    )


def _text(value: object) -> str:
    if isinstance(value, str):
        if not value.strip():
            raise ValueError("is empty; write some text or remove the key")
        return value
    kind = "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else None
    if kind is None:
        kind = "true/false" if isinstance(value, bool) else "a number"
    raise ValueError(f"should be text, not {kind}; put it in quotes if it is meant as text")


def _fee(value: object) -> str | Money:
    if isinstance(value, str) and not looks_like_amount(value):
        return _text(value)
    try:
        return parse_money(value)
    except MoneyError as error:
        raise ValueError(str(error)) from None


def looks_like_amount(text: str) -> bool:
    """Whether a fee names an amount (`"£30k"`) rather than a key of `fees`."""
    return bool(re.match(r"^\s*-?\s*£?\s*[0-9.,]", text))


def _signed_money(value: object) -> Money:
    try:
        return parse_money(value, signed=True)
    except MoneyError as error:
        raise ValueError(str(error)) from None


_PERCENT = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?%")
_FRACTION = re.compile(r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
MONTH_NAMES = tuple(_MONTHS.split()[3:] + _MONTHS.split()[:3])
"""The months of a financial year, April (month 1) to March (month 12)."""


def _threshold(value: object) -> Decimal:
    """A RAG threshold: `5%` or the fraction `0.05`, more than 0 and at most 100%."""
    if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
        raise ValueError(f"{value!r} is not a threshold; write a percentage such as 5% or 0.05")
    text = str(value).strip()
    try:
        if _PERCENT.fullmatch(text):
            fraction = Decimal(text[:-1]) / 100
        elif _FRACTION.fullmatch(text):
            fraction = Decimal(text)
        else:
            raise InvalidOperation
    except InvalidOperation:
        raise ValueError(
            f"'{text}' is not a threshold; write a percentage such as 5% or a fraction such as 0.05"
        ) from None
    if not 0 < fraction <= 1:
        raise ValueError(f"'{text}' is not a threshold; it is more than 0% and at most 100%")
    return fraction


def _profile(value: object) -> str | tuple[Money, ...]:
    """`even`, or twelve monthly amounts from April to March."""
    if value == "even":
        return "even"
    if not isinstance(value, list):
        raise ValueError(
            f"should be even or a list of 12 monthly amounts, April to March; {value!r} is neither"
        )
    if len(value) != 12:
        raise ValueError(
            f"has {len(value)} monthly amounts; a profile has 12, one for each month "
            "from April to March"
        )
    amounts: list[Money] = []
    for month, item in zip(MONTH_NAMES, value, strict=True):
        try:
            amounts.append(parse_money(item))
        except MoneyError as error:
            raise ValueError(f"the amount for {month}: {error}") from None
    return tuple(amounts)


FinancialYear = Annotated[str, PlainValidator(_financial_year)]
SignedMoney = Annotated[Money, PlainValidator(_signed_money, json_schema_input_type=Money)]
"""An amount that may be negative, for a figure a rule judges rather than loading."""
Date = Annotated[date, PlainValidator(parse_date)]
Text = Annotated[str, PlainValidator(_text)]
FeeRef = Annotated[str | Money, PlainValidator(_fee)]
"""A key of the ledger's `fees`, or an amount."""
Threshold = Annotated[Decimal, PlainValidator(_threshold)]
"""A RAG threshold as a fraction: `5%` and `0.05` are both Decimal("0.05")."""
Profile = Annotated[str | tuple[Money, ...], PlainValidator(_profile)]
"""How a line's amount is spread over the year: "even", or twelve monthly amounts."""


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
