"""360Giving: the year's approved proposals as 360Giving grants, and checks that keep bad ones out.

Pure: reads loaded models, returns data and findings, never prints or touches files.
The grants follow the 360Giving Data Standard 1.4.3 (`loti_cli/data/360-giving-schema-1.4.3.json`,
which the tests validate every export against); the package around them is the
standard's `{"grants": [...]}`.

A grant is built from one approved proposal of the year:

| 360Giving field | from |
|---|---|
| `id` | `<prefix>-<proposal id>` (the publisher's registered `360G-` prefix) |
| `title`, `description` | `title`, `summary` |
| `currency`, `amountAwarded` | the ledger's currency (GBP), `budget.requested` as an exact number |
| `awardDate` | `panel`, the date of the funding panel that approved it |
| `plannedDates` | the financial year: 1 April to 31 March |
| `actualDates` | `delivery.start`, and for a closed project `delivery.closed` as the end |
| `amountDisbursed` | the year's actuals for the project, when the year has an actuals file |
| `recipientOrganization` | the lead borough: its `GB-LAE-` org id and official name |
| `fundingOrganization` | LOTI (see `Publisher`) |
| `grantProgramme` | the pillar: a slug as code, the pillar's name as title |
| `beneficiaryLocation` | every London borough the proposal names, with its GSS code (`LONB`) |

Each approved proposal is checked first (GIVING_RULES, GV1 to GV7: the 360Giving
Data Quality Tool's checks that can be applied here, and the fields the schema
requires); one that fails a check, or has problems of its own (IN1, IN2), is left
out and its findings say why, at path:line:column. A file that may be an approved
proposal of the year but cannot be counted as one (LB9: not readable, an invalid
status, a pillar that is not one of the ledger's) is not exported either, and
leaves the export incomplete.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from loti_cli.core.boroughs import Borough, roster
from loti_cli.core.findings import Finding, sort_key
from loti_cli.core.money import ZERO
from loti_cli.core.values import financial_year_dates
from loti_cli.pipeline.analyse import analysis_of
from loti_cli.pipeline.uncounted import uncounted
from loti_cli.rules.gv_360giving import GIVING_RULES, TITLE_LIMIT, GrantContext

if TYPE_CHECKING:
    from loti_cli.core.model import Ledger, Proposal
    from loti_cli.core.money import Money
    from loti_cli.io.load import Source

__all__ = [
    "DEFAULT_FUNDER_NAME",
    "DEFAULT_PREFIX",
    "FUNDER_ID_ENV",
    "GEO_CODE_TYPE",
    "GIVING_RULES",
    "PREFIX_ENV",
    "TITLE_LIMIT",
    "Export",
    "GrantContext",
    "Publisher",
    "build_grant",
    "data_source_problem",
    "export_grants",
    "funder_id_problem",
    "prefix_problem",
    "slug",
]

PREFIX_ENV = "LOTI_360G_PREFIX"
"""Environment variable that sets the publisher's 360Giving prefix."""
FUNDER_ID_ENV = "LOTI_360G_FUNDER_ID"
"""Environment variable that sets the funding organisation's identifier."""
DEFAULT_PREFIX = "360G-loti"
DEFAULT_FUNDER_NAME = "London Office of Technology and Innovation"
FUNDER_INTERNAL_ID = "LOTI"
"""LOTI's own identifier under its prefix: the default funder id is `<prefix>-LOTI`."""
GEO_CODE_TYPE = "LONB"
"""The 360Giving geoCodeType for London boroughs (ONS entity E09), which every GSS code here is."""

_PREFIX = re.compile(r"^360G-[A-Za-z0-9][A-Za-z0-9_-]*$")
# org-id.guide identifiers are `<list code>-<identifier>`, the list code being a country (or XI/XM)
# and a register name, as in GB-COH-01234567 or GB-LAE-CMD; 360Giving also accepts an identifier
# minted under the publisher's 360G- prefix for an organisation that has no registration.
_ORG_ID = re.compile(r"^(?:[A-Z]{2}-[A-Z0-9]+-[^\s/\\]+|360G-[^\s/\\]+-[^\s/\\]+)$")


# ---------------------------------------------------------------------------
# the publisher


@dataclass(frozen=True, slots=True)
class Publisher:
    """Who publishes the grants: the 360Giving prefix, and the funding organisation.

    LOTI is not a registered body of its own (London Councils hosts it), so it
    has no Companies House, charity or local-authority number to build an
    org-id from. 360Giving's identifier guidance says an organisation without
    one gets an identifier made of the publisher's prefix and an internal
    identifier: the default funder id is therefore `<prefix>-LOTI`
    (`360G-loti-LOTI`). Set `funder_id` to a registered org-id (such as the
    host's `GB-COH-...`) if LOTI's grants are to be published under it.
    """

    prefix: str = DEFAULT_PREFIX
    funder_id: str | None = None
    funder_name: str = DEFAULT_FUNDER_NAME
    data_source: str | None = None
    """A web link to where the data is published (the grant's dataSource), if known."""

    @property
    def funder_org_id(self) -> str:
        return self.funder_id or f"{self.prefix}-{FUNDER_INTERNAL_ID}"


def prefix_problem(prefix: str) -> str | None:
    """Why `prefix` cannot be a 360Giving prefix, or None when it can."""
    if _PREFIX.match(prefix):
        return None
    if not prefix.startswith("360G-"):
        return (
            f"'{prefix}' is not a 360Giving prefix: registered prefixes start with 360G- "
            f"(as in {DEFAULT_PREFIX})"
        )
    return (
        f"'{prefix}' is not a usable 360Giving prefix: after 360G- use letters, digits, "
        "_ and - only (no spaces, line breaks or slashes)"
    )


def funder_id_problem(org_id: str) -> str | None:
    """Why `org_id` cannot be an organisation identifier, or None when it can."""
    if _ORG_ID.match(org_id):
        return None
    return (
        f"'{org_id}' is not an organisation identifier: use an org-id.guide list code and "
        "the organisation's number in that list (as in GB-COH-01234567 or GB-LAE-CMD), or "
        "an identifier under your 360G- prefix (as in 360G-loti-LOTI), with no spaces"
    )


def data_source_problem(url: str) -> str | None:
    """Why `url` cannot be a dataSource (a web link), or None when it can."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc and not re.search(r"\s", url):
        return None
    return f"'{url}' is not a web link; give the http:// or https:// address of the published data"


"""The checks an approved proposal passes before it is published as a 360Giving grant."""


# ---------------------------------------------------------------------------
# grants


def slug(text: str) -> str:
    """`covid-recovery` for "Covid Recovery": lower case, runs of other characters as one `-`."""
    return re.sub(r"[^a-z0-9]+", "-", text.casefold()).strip("-")


def grant_id(prefix: str, proposal_id: str) -> str:
    return f"{prefix}-{proposal_id}"


def named_boroughs(proposal: Proposal) -> list[Borough]:
    """The London boroughs a proposal names, in its order, each once (partners left out)."""
    found: dict[str, Borough] = {}
    known = roster()
    for entry in proposal.boroughs or ():
        borough = known.lookup(entry.name)
        if borough is not None:
            found.setdefault(borough.gss_code, borough)
    return list(found.values())


def lead_borough(proposal: Proposal) -> Borough | None:
    known = roster()
    for entry in proposal.boroughs or ():
        if entry.role == "lead" and (borough := known.lookup(entry.name)) is not None:
            return borough
    return None


def actual_dates(proposal: Proposal) -> list[dict[str, str]] | None:
    """When the project actually ran, where that is known: from its delivery `start`, and for
    a closed project to its closing date (an event without a start is none)."""
    delivery = proposal.delivery
    if delivery is None or delivery.start is None:
        return None
    event = {"startDate": delivery.start.isoformat()}
    if delivery.phase == "closed" and delivery.closed is not None:
        event["endDate"] = delivery.closed.isoformat()
    return [event]


def build_grant(
    proposal: Proposal,
    year: str,
    currency: str,
    publisher: Publisher,
    disbursed: Money | None = None,
) -> dict[str, Any]:
    """One 360Giving grant, for a proposal that passed GIVING_RULES; amounts stay Decimal.
    `disbursed` is what the year's actuals record as paid for it (None: no actuals file)."""
    requested = proposal.budget.requested if proposal.budget is not None else None
    recipient = lead_borough(proposal)
    if (
        proposal.id is None
        or proposal.title is None
        or proposal.summary is None
        or proposal.pillar is None
        or proposal.panel is None
        or requested is None
        or recipient is None
    ):
        raise ValueError(f"proposal {proposal.id!r} has not passed the 360Giving checks")
    start, end = financial_year_dates(year)
    grant: dict[str, Any] = {
        "id": grant_id(publisher.prefix, proposal.id),
        "title": proposal.title.strip(),
        "description": proposal.summary.strip(),
        "currency": currency,
        "amountAwarded": requested.amount,
        "awardDate": proposal.panel.isoformat(),
        "plannedDates": [{"startDate": start.isoformat(), "endDate": end.isoformat()}],
    }
    if disbursed is not None:
        grant["amountDisbursed"] = disbursed.amount
    actual = actual_dates(proposal)
    if actual is not None:
        grant["actualDates"] = actual
    grant |= {
        "recipientOrganization": [{"id": recipient.org_id, "name": recipient.official_name}],
        "fundingOrganization": [{"id": publisher.funder_org_id, "name": publisher.funder_name}],
        "grantProgramme": [{"code": slug(proposal.pillar), "title": proposal.pillar}],
        "beneficiaryLocation": [
            {
                "name": borough.name,
                "countryCode": "GB",
                "geoCode": borough.gss_code,
                "geoCodeType": GEO_CODE_TYPE,
            }
            for borough in named_boroughs(proposal)
        ],
    }
    if publisher.data_source:
        grant["dataSource"] = publisher.data_source
    return grant


@dataclass(slots=True)
class Export:
    """A year's grants, the approved proposals left out (with why), and files not read."""

    year: str
    grants: list[dict[str, Any]] = field(default_factory=list)
    approved: list[str] = field(default_factory=list)
    """Paths of the year's approved proposals, exported or not."""
    left_out: list[str] = field(default_factory=list)
    """Paths of approved proposals that were not exported; `problems` says why."""
    problems: list[Finding] = field(default_factory=list)
    uncounted: list[Finding] = field(default_factory=list)
    """LB9: files that may be approved proposals of the year but cannot be read as one (their
    status or year unknown, or their pillar or amount not one the budget can count)."""

    @property
    def package(self) -> dict[str, Any]:
        """The 360Giving data package: `{"grants": [...]}`."""
        return {"grants": self.grants}

    @property
    def complete(self) -> bool:
        """True when every approved proposal of the year was exported, and no file may be one."""
        return not self.left_out and not self.uncounted


def export_grants(
    ledger: Ledger,
    proposals: Sequence[Source[Proposal]],
    publisher: Publisher,
    spent: Mapping[str, Money] | None = None,
) -> Export:
    """The approved proposals of the ledger's year as 360Giving grants, checked first.
    `spent` is the year's actuals by proposal id (None when the year has no actuals file)."""
    year = ledger.financial_year
    if year is None:
        raise ValueError("the ledger has no financial_year")
    result = Export(year)
    # Files that may be approved proposals of the year but cannot be counted as one: not
    # exported, and the export is incomplete (the command fails) until they are fixed.
    result.uncounted = uncounted([analysis_of(s) for s in proposals], ledger, ("approved",))
    unknown = {finding.path for finding in result.uncounted}
    chosen: list[Source[Proposal]] = []
    for source in proposals:
        proposal = source.model
        if proposal is None or source.path in unknown:
            continue
        if proposal.status == "approved" and proposal.financial_year == year:
            chosen.append(source)
    ids: dict[str, list[str]] = {}
    for source in chosen:
        assert source.model is not None
        if source.model.id is not None:
            ids.setdefault(grant_id(publisher.prefix, source.model.id), []).append(source.path)
    currency = ledger.currency or "GBP"
    for source in chosen:
        proposal = source.model
        assert proposal is not None
        result.approved.append(source.path)
        own = grant_id(publisher.prefix, proposal.id) if proposal.id is not None else None
        others = {} if own is None else {own: tuple(p for p in ids[own] if p != source.path)}
        context = GrantContext(proposal, own, others)
        findings = list(source.problems) + [
            source.place(rule.code, rule.name, rule.severity, hit)
            for rule in GIVING_RULES
            if rule.check is not None
            for hit in rule.check(context)
        ]
        if findings:
            result.left_out.append(source.path)
            result.problems.extend(findings)
        else:
            paid = None if spent is None else spent.get(proposal.id or "", ZERO)
            result.grants.append(build_grant(proposal, year, currency, publisher, paid))
    result.problems.sort(key=sort_key)
    return result
