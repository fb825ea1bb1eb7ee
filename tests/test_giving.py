"""Tests for the 360Giving export: schema-valid grants, exact amounts, the quality checks."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from datetime import datetime
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from loti_cli.core.model import Ledger
from loti_cli.io.load import load_ledger, load_proposal
from loti_cli.io.resolve import proposal_files
from loti_cli.pipeline.grants import (
    DEFAULT_FUNDER_NAME,
    GIVING_RULES,
    TITLE_LIMIT,
    Export,
    Publisher,
    build_grant,
    data_source_problem,
    export_grants,
    funder_id_problem,
    prefix_problem,
    slug,
)
from loti_cli.report import giving_csv
from loti_cli.report.giving_json import number_text, render_json
from tests.conftest import invoke

ROOT = Path(__file__).resolve().parent.parent
LEDGER = ROOT / "ledgers" / "2020-21.yaml"
APPROVED_2020_21 = [
    "CR-01",
    "CR-02",
    "CR-03",
    "CR-05",
    "CR-06",
    "DC-01",
    "DC-02",
    "DC-05",
    "SL-01",
]

# ---------------------------------------------------------------------------
# the 360Giving schema, as the project ships it (never read from outside the repository)

SCHEMA: dict[str, Any] = json.loads(
    (files("loti_cli") / "data" / "360-giving-schema-1.4.3.json").read_text(encoding="utf-8")
)
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:[Zz]|[+-]\d{2}:\d{2})$")

FORMATS = FormatChecker()


@FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time, as the 360Giving tools check it.

    jsonschema checks `date-time` only when rfc3339-validator is installed, and
    passes every string otherwise. This schema's dates are `oneOf` a date-time
    or a YYYY-MM-DD pattern, so without a real check "2020-10-01" would match
    both branches and fail; with it, a date matches exactly one.
    """
    if not isinstance(value, str):
        return True
    if not _RFC3339.match(value):
        return False
    try:
        datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return False
    return True


def grant_validator() -> Draft202012Validator:
    """The validator of one grant: the schema's own draft (2020-12), formats asserted.

    The schema names its draft `http://json-schema.org/draft/2020-12/schema`, with
    http where the draft's own identifier has https, so jsonschema cannot pick the
    validator from `$schema` (validator_for warns and falls back): it is named here.
    """
    Draft202012Validator.check_schema(SCHEMA)
    return Draft202012Validator(SCHEMA, format_checker=FORMATS)


PACKAGE_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["grants"],
    "properties": {
        "grants": {"type": "array", "minItems": 1, "items": {"$ref": SCHEMA["$id"]}},
    },
}
"""The 360Giving package: `grants`, a non-empty list of grants (the standard's package schema)."""


def package_validator() -> Draft202012Validator:
    resource: Resource[Any] = Resource(contents=SCHEMA, specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(SCHEMA["$id"], resource)
    return Draft202012Validator(PACKAGE_SCHEMA, registry=registry, format_checker=FORMATS)


def errors(validator: Draft202012Validator, instance: object) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


# ---------------------------------------------------------------------------
# helpers


def the_ledger() -> Ledger:
    source = load_ledger(LEDGER, "ledgers/2020-21.yaml")
    assert source.model is not None and not source.problems
    return source.model


def export(folder: Path, publisher: Publisher | None = None) -> Export:
    sources = [load_proposal(path, path.name) for path in proposal_files(folder)]
    return export_grants(the_ledger(), sources, publisher or Publisher())


def repository_export() -> Export:
    return export(ROOT / "proposals")


PROPOSAL = """\
id: {id}
title: {title}
financial_year: 2020-21
pillar: Covid Recovery
status: approved
panel: 2020-10-01
summary: >
  What the project will do.
boroughs:
  - name: Camden
    role: lead
  - name: Hackney
    role: delivery
  - name: GLA
    role: supporter
budget:
  requested: {requested}
"""


def proposal_text(id: str = "T-01", title: str = "A test grant", requested: str = "1234.56") -> str:
    """A proposal that passes every check, with the id, title and amount given."""
    return PROPOSAL.format(id=id, title=title, requested=requested)


@pytest.fixture
def folder(tmp_path: Path) -> Callable[..., Path]:
    """`folder(a="yaml", b="yaml")`: a proposals folder holding these files (a.yaml, b.yaml)."""

    def make(**texts: str) -> Path:
        target = tmp_path / "proposals"
        target.mkdir(exist_ok=True)
        for name, text in texts.items():
            (target / f"{name}.yaml").write_text(text, encoding="utf-8")
        return target

    return make


def codes(result: Export) -> list[tuple[str, str, int | None, int | None]]:
    return [(f.code, f.path, f.line, f.column) for f in result.problems]


# ---------------------------------------------------------------------------
# the real thing: the repository's proposals against the 360Giving schema


def test_the_schema_copy_is_draft_2020_12_and_the_360giving_grant_schema() -> None:
    assert SCHEMA["$schema"] == "http://json-schema.org/draft/2020-12/schema"
    assert DRAFT202012.id_of(Draft202012Validator.META_SCHEMA) == (
        "https://json-schema.org/draft/2020-12/schema"
    )
    assert SCHEMA["$id"].endswith("/1.4.3/schema/360-giving-schema.json")
    required = {frozenset(branch["required"]) for branch in SCHEMA["oneOf"]}
    assert (
        frozenset(
            {
                "id",
                "title",
                "description",
                "currency",
                "amountAwarded",
                "awardDate",
                "recipientOrganization",
                "fundingOrganization",
            }
        )
        in required
    )


def test_every_approved_proposal_of_the_repository_is_exported() -> None:
    result = repository_export()
    assert result.problems == [] and result.uncounted == [] and result.complete
    assert [grant["id"] for grant in result.grants] == [
        f"360G-loti-{proposal_id}" for proposal_id in APPROVED_2020_21
    ]


def test_the_repository_grants_validate_against_the_360giving_schema() -> None:
    validator = grant_validator()
    grants = repository_export().grants
    assert grants
    for grant in grants:
        assert errors(validator, grant) == [], grant["id"]


def test_the_written_json_package_validates_as_read_back() -> None:
    text = render_json(repository_export().package)
    package = json.loads(text)
    assert errors(package_validator(), package) == []
    validator = grant_validator()
    for grant in package["grants"]:
        assert errors(validator, grant) == []
        assert isinstance(grant["amountAwarded"], int | float)


def test_the_files_the_command_writes_validate(tmp_path: Path) -> None:
    """End to end: `loti export 360giving --format both`, then the schema on what it wrote."""
    args = ["export", "360giving", "--ledger", str(LEDGER), "--proposals", str(ROOT / "proposals")]
    args += ["--format", "both", "--output", str(tmp_path / "grants")]
    env = {"LOTI_360G_PREFIX": None, "LOTI_360G_FUNDER_ID": None, "LOTI_LEDGER": None}
    result = invoke(*args, env=env)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr.startswith(
        f"loti: wrote {tmp_path / 'grants.json'}\nloti: wrote {tmp_path / 'grants.csv'}\n"
        f"loti: exported {len(APPROVED_2020_21)} grants of {len(APPROVED_2020_21)} approved "
        "proposals for 2020-21; ledger "
    )
    package = json.loads((tmp_path / "grants.json").read_text(encoding="utf-8"))
    assert errors(package_validator(), package) == []
    assert len(package["grants"]) == len(APPROVED_2020_21)
    rows = list(csv.DictReader(io.StringIO((tmp_path / "grants.csv").read_text(encoding="utf-8"))))
    assert [row["Identifier"] for row in rows] == [grant["id"] for grant in package["grants"]]


def test_the_validator_is_not_vacuous() -> None:
    validator = grant_validator()
    grant = json.loads(render_json(repository_export().grants[0]))
    assert errors(validator, grant) == []
    for change, expected in (
        ({"amountAwarded": "5000"}, "is not of type 'number'"),
        ({"awardDate": "01/10/2020"}, "awardDate"),
        ({"currency": "GBX"}, "is not one of"),
        ({"recipientOrganization": []}, "should be non-empty"),
        ({"fundingOrganization": [{"name": "LOTI"}]}, "'id' is a required property"),
    ):
        broken = {**grant, **change}
        found = errors(validator, broken)
        assert found and any(expected in message for message in found), (change, found)
    assert errors(validator, {k: v for k, v in grant.items() if k != "description"})
    assert errors(package_validator(), {"grants": []})


def test_the_date_time_format_is_really_checked() -> None:
    assert FORMATS.conforms("2020-10-01T09:30:00Z", "date-time")
    assert FORMATS.conforms("2020-10-01T09:30:00+01:00", "date-time")
    assert not FORMATS.conforms("2020-10-01", "date-time")
    assert not FORMATS.conforms("2020-13-01T09:30:00Z", "date-time")


def test_a_grant_has_the_fields_the_issue_asks_for() -> None:
    grant = next(g for g in repository_export().grants if g["id"] == "360G-loti-CR-02")
    assert grant["title"] == "Sharing data between boroughs to support track and trace"
    assert grant["description"].startswith("Agree a pan-borough information-sharing agreement")
    assert not grant["description"].endswith("\n")
    assert grant["currency"] == "GBP"
    assert grant["amountAwarded"] == Decimal("45000")
    assert grant["awardDate"] == "2020-10-01"
    assert grant["plannedDates"] == [{"startDate": "2020-04-01", "endDate": "2021-03-31"}]
    assert grant["recipientOrganization"] == [
        {"id": "GB-LAE-CMD", "name": "London Borough of Camden"}
    ]
    assert grant["fundingOrganization"] == [
        {"id": "360G-loti-LOTI", "name": "London Office of Technology and Innovation"}
    ]
    assert grant["grantProgramme"] == [{"code": "covid-recovery", "title": "Covid Recovery"}]
    # Every London borough it names (GLA, a partner, is not a place), with its GSS code.
    assert grant["beneficiaryLocation"] == [
        {"name": name, "countryCode": "GB", "geoCode": code, "geoCodeType": "LONB"}
        for name, code in (
            ("Camden", "E09000007"),
            ("Hackney", "E09000012"),
            ("Westminster", "E09000033"),
            ("Kensington and Chelsea", "E09000020"),
        )
    ]
    assert "dataSource" not in grant


def test_the_publisher_sets_prefix_funder_and_data_source() -> None:
    publisher = Publisher(
        prefix="360G-LOTI",
        funder_id="GB-COH-01234567",
        funder_name="London Councils",
        data_source="https://example.org/loti/grants.json",
    )
    grant = export(ROOT / "proposals", publisher).grants[0]
    assert grant["id"] == "360G-LOTI-CR-01"
    assert grant["fundingOrganization"] == [{"id": "GB-COH-01234567", "name": "London Councils"}]
    assert grant["dataSource"] == "https://example.org/loti/grants.json"
    assert errors(grant_validator(), json.loads(render_json(grant))) == []
    assert Publisher(prefix="360G-abc").funder_org_id == "360G-abc-LOTI"
    assert Publisher().funder_name == DEFAULT_FUNDER_NAME


def test_only_approved_proposals_of_the_ledger_year_are_exported(
    folder: Callable[..., Path],
) -> None:
    result = export(
        folder(
            a=proposal_text(id="A-1"),
            b=proposal_text(id="B-1").replace("status: approved", "status: submitted"),
            c=proposal_text(id="C-1").replace("2020-21", "2021-22"),
            d=proposal_text(id="D-1").replace("status: approved", "status: rejected"),
        )
    )
    assert [grant["id"] for grant in result.grants] == ["360G-loti-A-1"]
    assert result.approved == ["a.yaml"] and result.complete


# ---------------------------------------------------------------------------
# exact amounts


def test_a_decimal_amount_stays_exact_in_json_and_csv(folder: Callable[..., Path]) -> None:
    result = export(folder(a=proposal_text(requested="1234.56")))
    text = render_json(result.package)
    assert '"amountAwarded": 1234.56,' in text
    assert json.loads(text, parse_float=Decimal)["grants"][0]["amountAwarded"] == Decimal("1234.56")
    rows = list(csv.DictReader(io.StringIO(giving_csv.grants_csv(result.grants))))
    assert rows[0]["Amount Awarded"] == "1234.56"


def test_amounts_written_as_money_are_exported_as_numbers(folder: Callable[..., Path]) -> None:
    result = export(
        folder(a=proposal_text(requested='"£20k"'), b=proposal_text(id="T-02", requested="0.1"))
    )
    text = render_json(result.package)
    assert '"amountAwarded": 20000,' in text
    assert '"amountAwarded": 0.10,' in text


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999.99"), places=2))
def test_number_text_is_exact(amount: Decimal) -> None:
    text = number_text(amount)
    assert Decimal(text) == amount
    assert json.loads(text, parse_float=Decimal, parse_int=Decimal) == amount
    assert "e" not in text.lower()


def test_number_text_refuses_what_json_cannot_hold() -> None:
    for value in (Decimal("NaN"), Decimal("Infinity")):
        with pytest.raises(ValueError):
            number_text(value)
    with pytest.raises(TypeError):
        render_json({"amount": 1.5})
    with pytest.raises(TypeError):
        render_json({1: "a"})
    with pytest.raises(TypeError):
        render_json({"when": object()})


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@given(_JSON)
def test_render_json_writes_what_json_dumps_writes(document: Any) -> None:
    assert render_json(document) == json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------------------
# the quality checks: each has a failing and a passing case


def test_gv1_title_at_most_140_characters(folder: Callable[..., Path]) -> None:
    long, limit = "x" * (TITLE_LIMIT + 1), "y" * TITLE_LIMIT
    result = export(folder(a=proposal_text(title=long), b=proposal_text(id="T-02", title=limit)))
    assert codes(result) == [("GV1", "a.yaml", 2, 8)]
    assert "141 characters" in result.problems[0].message
    assert [grant["title"] for grant in result.grants] == [limit]
    assert result.left_out == ["a.yaml"]


def test_gv2_no_whitespace_in_identifiers(folder: Callable[..., Path]) -> None:
    result = export(
        folder(
            a=proposal_text(id="CR 99"),
            b=proposal_text(id='"CR-98\\nX"'),
            c=proposal_text(id="CR-97"),
        )
    )
    assert codes(result) == [("GV2", "a.yaml", 1, 5), ("GV2", "b.yaml", 1, 5)]
    assert "contains a space" in result.problems[0].message
    assert "contains a line break" in result.problems[1].message
    assert [grant["id"] for grant in result.grants] == ["360G-loti-CR-97"]


def test_gv3_award_date_present(folder: Callable[..., Path]) -> None:
    result = export(
        folder(a=proposal_text().replace("panel: 2020-10-01\n", ""), b=proposal_text(id="T-02"))
    )
    assert codes(result) == [("GV3", "a.yaml", 5, 9)]
    assert "no panel date" in result.problems[0].message
    assert [grant["awardDate"] for grant in result.grants] == ["2020-10-01"]


def test_gv4_amount_above_zero(folder: Callable[..., Path]) -> None:
    result = export(
        folder(a=proposal_text(requested="0"), b=proposal_text(id="T-02", requested="0.01"))
    )
    assert codes(result) == [("GV4", "a.yaml", 17, 14)]
    assert "above zero" in result.problems[0].message
    assert [grant["amountAwarded"] for grant in result.grants] == [Decimal("0.01")]


def test_gv5_recipient_is_one_lead_london_borough(folder: Callable[..., Path]) -> None:
    no_lead = proposal_text(id="A-1").replace("role: lead", "role: delivery")
    partner_lead = (
        proposal_text(id="B-1")
        .replace("  - name: GLA\n    role: supporter", "  - name: GLA\n    role: lead")
        .replace("  - name: Camden\n    role: lead", "  - name: Camden\n    role: delivery")
    )
    two_leads = proposal_text(id="C-1").replace("role: delivery", "role: lead")
    alias_lead = proposal_text(id="D-1").replace("name: Camden", "name: LB of Camden")
    same_borough_twice = proposal_text(id="E-1").replace(
        "  - name: GLA\n    role: supporter", "  - name: Camden Council\n    role: lead"
    )
    result = export(
        folder(a=no_lead, b=partner_lead, c=two_leads, d=alias_lead, e=same_borough_twice)
    )
    assert codes(result) == [
        ("GV5", "a.yaml", 10, 3),
        ("GV5", "b.yaml", 14, 11),
        ("GV5", "c.yaml", 13, 11),
    ]
    assert "no borough has role: lead" in result.problems[0].message
    assert "'GLA' is not a London borough" in result.problems[1].message
    assert "second lead" in result.problems[2].message
    assert [grant["recipientOrganization"] for grant in result.grants] == [
        [{"id": "GB-LAE-CMD", "name": "London Borough of Camden"}]
    ] * 2
    assert [len(grant["beneficiaryLocation"]) for grant in result.grants] == [2, 2]


def test_gv6_grant_identifiers_unique(folder: Callable[..., Path]) -> None:
    result = export(
        folder(a=proposal_text(id="T-01"), b=proposal_text(id="T-01"), c=proposal_text(id="T-02"))
    )
    assert codes(result) == [("GV6", "a.yaml", 1, 5), ("GV6", "b.yaml", 1, 5)]
    assert "also that of b.yaml" in result.problems[0].message
    assert "also that of a.yaml" in result.problems[1].message
    assert [grant["id"] for grant in result.grants] == ["360G-loti-T-02"]


def test_gv7_description_present(folder: Callable[..., Path]) -> None:
    no_summary = proposal_text().replace("summary: >\n  What the project will do.\n", "")
    empty = proposal_text(id="T-03").replace("summary: >\n  What the project will do.", "summary:")
    result = export(folder(a=no_summary, b=proposal_text(id="T-02"), c=empty))
    # Missing, it is reported at the top of the file; written empty, at its key.
    assert codes(result) == [("GV7", "a.yaml", 1, 1), ("GV7", "c.yaml", 7, 9)]
    assert result.problems[1].message == (
        "has no summary, which is the grant's description that 360Giving requires; add summary: "
        "with a few sentences on what the project will do"
    )
    assert [grant["description"] for grant in result.grants] == ["What the project will do."]


def test_a_proposal_with_problems_of_its_own_is_left_out(folder: Callable[..., Path]) -> None:
    result = export(
        folder(a=proposal_text() + "notes: an unknown key\n", b=proposal_text(id="T-02"))
    )
    assert codes(result) == [("IN2", "a.yaml", 18, 1)]
    assert result.left_out == ["a.yaml"] and len(result.grants) == 1


def test_every_problem_of_a_proposal_is_reported_at_once(folder: Callable[..., Path]) -> None:
    bad = proposal_text(id="X 1", title="z" * 141, requested="0")
    result = export(folder(a=bad))
    assert [f.code for f in result.problems] == ["GV2", "GV1", "GV4"]
    assert result.grants == [] and result.left_out == ["a.yaml"]


def test_a_file_that_cannot_be_read_leaves_the_export_incomplete(
    folder: Callable[..., Path],
) -> None:
    result = export(folder(a="id: [unclosed\n", b=proposal_text()))
    assert [(f.code, f.path, f.line) for f in result.uncounted] == [("LB9", "a.yaml", 2)]
    assert result.uncounted[0].message.startswith("may be an approved proposal of 2020-21")
    assert result.problems == [] and not result.complete and len(result.grants) == 1


def test_a_grant_is_only_built_from_a_checked_proposal(folder: Callable[..., Path]) -> None:
    path = folder(a=proposal_text().replace("panel: 2020-10-01\n", "")) / "a.yaml"
    proposal = load_proposal(path).model
    assert proposal is not None
    with pytest.raises(ValueError, match="has not passed the 360Giving checks"):
        build_grant(proposal, "2020-21", "GBP", Publisher())


def test_the_rules_have_stable_unique_codes_and_explanations() -> None:
    assert [rule.code for rule in GIVING_RULES] == [f"GV{n}" for n in range(1, 8)]
    assert len({rule.name for rule in GIVING_RULES}) == len(GIVING_RULES)
    for rule in GIVING_RULES:
        assert rule.check is not None and not rule.waivable
        assert rule.summary and rule.explanation and rule.passing and rule.failing


# ---------------------------------------------------------------------------
# options


@pytest.mark.parametrize("prefix", ["360G-loti", "360G-LOTI", "360G-london_councils-2"])
def test_a_360g_prefix_is_accepted(prefix: str) -> None:
    assert prefix_problem(prefix) is None


@pytest.mark.parametrize(
    ("prefix", "says"),
    [
        ("loti", "start with 360G-"),
        ("360g-loti", "start with 360G-"),
        ("360G-", "letters, digits"),
        ("360G-lo ti", "letters, digits"),
        ("360G-lo/ti", "letters, digits"),
    ],
)
def test_a_prefix_that_is_not_360g_is_refused(prefix: str, says: str) -> None:
    problem = prefix_problem(prefix)
    assert problem is not None and says in problem


@pytest.mark.parametrize(
    "org_id", ["GB-COH-01234567", "GB-LAE-CMD", "GB-CHC-1070468", "360G-loti-LOTI"]
)
def test_an_org_id_is_accepted(org_id: str) -> None:
    assert funder_id_problem(org_id) is None


@pytest.mark.parametrize(
    "org_id", ["XI-LOTI", "LOTI", "GB-COH", "gb-coh-123", "GB-COH-12 34", "360G-loti"]
)
def test_what_is_not_an_org_id_is_refused(org_id: str) -> None:
    assert funder_id_problem(org_id) is not None


def test_a_data_source_is_a_web_link() -> None:
    assert data_source_problem("https://loti.london/360giving.json") is None
    for bad in ("loti.london/data.json", "ftp://x.org/a", "https:// x.org", "https://"):
        assert data_source_problem(bad) is not None


def test_slug() -> None:
    assert slug("Covid Recovery") == "covid-recovery"
    assert slug("Digital Leadership & Skills") == "digital-leadership-skills"
    assert slug("  Smarter London! ") == "smarter-london"


# ---------------------------------------------------------------------------
# the flat CSV


def _schema_title(path: list[str]) -> str:
    """The 360Giving column title of a path of JSON keys: the schema's titles joined with `:`."""
    node: dict[str, Any] = SCHEMA
    titles = []
    for key in path:
        node = node["properties"][key]
        if "$ref" in node:
            node = SCHEMA["$defs"][node["$ref"].split("/")[-1]] | node
        titles.append(node["title"])
        if node.get("type") == "array":
            items = node["items"]
            node = SCHEMA["$defs"][items["$ref"].split("/")[-1]]
    return ":".join(titles)


def test_every_csv_column_title_is_the_schemas() -> None:
    for key, title, fields in giving_csv.COLUMNS:
        assert _schema_title([key]) == title, key
        for name, sub_title in (fields or {}).items():
            assert _schema_title([key, name]) == f"{title}:{sub_title}", (key, name)


def test_the_csv_header_uses_the_standards_column_titles() -> None:
    header = next(csv.reader(io.StringIO(giving_csv.grants_csv(repository_export().grants))))
    assert header[:12] == [
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Planned Dates:Start Date",
        "Planned Dates:End Date",
        "Actual Dates:Start Date",  # the repository's approved projects have delivery dates
        "Actual Dates:End Date",  # CR-01 is closed
        "Recipient Org:Identifier",
        "Recipient Org:Name",
    ]
    # Up to four boroughs per grant, so beneficiary locations are numbered from 0.
    assert header[12:16] == [
        "Beneficiary Location:0:Name",
        "Beneficiary Location:0:Country Code",
        "Beneficiary Location:0:Geographic Code",
        "Beneficiary Location:0:Geographic Code Type",
    ]
    assert "Beneficiary Location:3:Geographic Code" in header
    assert "Beneficiary Location:4:Name" not in header
    assert header[-4:] == [
        "Funding Org:Identifier",
        "Funding Org:Name",
        "Grant Programme:Code",
        "Grant Programme:Title",
    ]


def _flatten(grant: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """What each CSV cell of a grant must hold, worked out independently of the writer."""
    titles = {key: (title, fields) for key, title, fields in giving_csv.COLUMNS}
    for key, value in grant.items():
        title, fields = titles[key]
        if fields is None:
            yield title, number_text(value) if isinstance(value, Decimal) else str(value)
            continue
        for index, item in enumerate(value):
            for name, sub in fields.items():
                if name in item:
                    numbered = key == "beneficiaryLocation"
                    heading = f"{title}:{index}:{sub}" if numbered else f"{title}:{sub}"
                    yield heading, str(item[name])


def test_the_csv_rows_match_the_json() -> None:
    grants = repository_export().grants
    rows = list(csv.DictReader(io.StringIO(giving_csv.grants_csv(grants))))
    assert len(rows) == len(grants)
    for row, grant in zip(rows, grants, strict=True):
        expected = dict(_flatten(grant))
        assert {title: cell for title, cell in row.items() if cell} == expected


def test_a_single_location_is_rolled_up_without_a_number(folder: Callable[..., Path]) -> None:
    single = proposal_text().replace("  - name: Hackney\n    role: delivery\n", "")
    result = export(folder(a=single, b=proposal_text(id="T-02").replace("Hackney", "Camden")))
    header = next(csv.reader(io.StringIO(giving_csv.grants_csv(result.grants))))
    assert "Beneficiary Location:Geographic Code" in header
    assert not any(":0:" in title for title in header)


def test_a_csv_cell_cannot_start_a_spreadsheet_formula(folder: Callable[..., Path]) -> None:
    result = export(folder(a=proposal_text(title='"=HYPERLINK(1)"')))
    assert result.grants[0]["title"] == "=HYPERLINK(1)"
    row = next(csv.DictReader(io.StringIO(giving_csv.grants_csv(result.grants))))
    assert row["Title"] == "'=HYPERLINK(1)"


def test_the_csv_refuses_a_field_it_has_no_column_for() -> None:
    grant = dict(repository_export().grants[0])
    with pytest.raises(ValueError, match="fromOpenCall"):
        giving_csv.grants_csv([{**grant, "fromOpenCall": "No"}])
    with pytest.raises(ValueError, match="department"):
        giving_csv.grants_csv(
            [{**grant, "fundingOrganization": [{"id": "x", "name": "y", "department": "z"}]}]
        )
