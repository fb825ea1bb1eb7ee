"""The JSON Schemas for editors: generated from the models, valid draft-07, committed up to date."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from loti_cli.core.model import LEDGER_REQUIRED, PROPOSAL_REQUIRED
from loti_cli.core.schema import DRAFT_07, KINDS, Kind, generate_schema, render_schema
from loti_cli.io.resolve import YEAR_FILE
from loti_cli.io.yaml_read import parse
from tests.conftest import invoke

ROOT = Path(__file__).parents[1]
SCHEMAS = ROOT / "schemas"
PROPOSALS = sorted((ROOT / "proposals").glob("*.yaml"))
LEDGERS = sorted(p for p in (ROOT / "ledgers").glob("*.yaml") if YEAR_FILE.match(p.name))
"""The ledgers (ledgers/ also holds the import rules, import.rules.yaml)."""
BUNDLED = sorted((ROOT / "loti_cli" / "ledgers").glob("*.yaml"))


def plain(value: Any) -> Any:
    """YAML data as JSON data: Decimals (which loti keeps exact) as numbers, for the validator."""
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def validator(kind: Kind) -> Draft7Validator:
    return Draft7Validator(generate_schema(kind))


def errors(kind: Kind, data: dict[str, Any]) -> list[str]:
    return sorted(error.message for error in validator(kind).iter_errors(data))


# ---------------------------------------------------------------------------
# the committed copies


@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_up_to_date(kind: Kind) -> None:
    committed = SCHEMAS / f"{kind}.schema.json"
    assert committed.is_file(), (
        f"{committed} is missing; run loti schema {kind} > {committed.relative_to(ROOT)}"
    )
    assert committed.read_text(encoding="utf-8") == render_schema(kind), (
        f"schemas/{kind}.schema.json is out of date with the models; "
        f"run `loti schema {kind} > schemas/{kind}.schema.json` and commit it"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_the_package_ships_the_same_schema(kind: Kind) -> None:
    # The bundled ledger's `$schema=../schemas/...` line resolves inside the package.
    shipped = ROOT / "loti_cli" / "schemas" / f"{kind}.schema.json"
    assert shipped.read_text(encoding="utf-8") == render_schema(kind), (
        f"run `cp schemas/{kind}.schema.json loti_cli/schemas/` after regenerating"
    )


@pytest.mark.parametrize("kind", KINDS)
def test_cli_prints_the_schema(kind: Kind) -> None:
    result = invoke("schema", kind)
    assert result.exit_code == 0
    assert result.stdout == render_schema(kind)
    assert result.stdout.endswith("}\n")
    assert result.stderr == ""


def test_schema_without_a_kind_is_a_usage_error_that_shows_help() -> None:
    result = invoke("schema")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: loti schema [OPTIONS] COMMAND [ARGS]...\n")
    assert "  proposal  Print the JSON Schema (draft-07) of a proposal file.\n" in result.stderr
    assert "  ledger    Print the JSON Schema (draft-07) of a ledger file.\n" in result.stderr


def test_unknown_kind_is_a_usage_error() -> None:
    result = invoke("schema", "budget")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.endswith("Error: No such command 'budget'.\n")


def test_output_is_deterministic() -> None:
    for kind in KINDS:
        assert render_schema(kind) == render_schema(kind)
        assert render_schema(kind).isascii()


# ---------------------------------------------------------------------------
# draft-07, as the YAML language server needs


@pytest.mark.parametrize("kind", KINDS)
def test_schema_is_valid_draft_07(kind: Kind) -> None:
    schema = generate_schema(kind)
    assert schema["$schema"] == DRAFT_07
    Draft7Validator.check_schema(schema)
    text = json.dumps(schema)
    assert "$defs" not in text
    assert "#/definitions/" in text
    assert "(?P<" not in text  # Python-only regex syntax breaks editors' JavaScript regexes
    assert "prefixItems" not in text


def test_every_ref_resolves_and_stands_alone() -> None:
    for kind in KINDS:
        schema = generate_schema(kind)

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if "$ref" in node:
                    assert set(node) == {"$ref"}, f"draft-07 ignores keys beside $ref: {node}"
                    name = node["$ref"].removeprefix("#/definitions/")
                    assert name in schema["definitions"]  # noqa: B023
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for item in node:
                    walk(item)

        walk(schema)


def test_required_keys_follow_the_contracts() -> None:
    proposal = generate_schema("proposal")
    top = [key for key in PROPOSAL_REQUIRED if "." not in key]
    assert proposal["required"] == top
    assert proposal["definitions"]["Budget"]["required"] == ["requested"]
    ledger = generate_schema("ledger")
    assert ledger["required"] == list(LEDGER_REQUIRED)
    # A required key may not be left empty, so its `null` branch is gone.
    assert proposal["properties"]["id"]["type"] == "string"
    assert {"type": "null"} in proposal["properties"]["area"]["anyOf"]


def test_statuses_and_roles_are_enums_with_descriptions() -> None:
    proposal = generate_schema("proposal")
    status = proposal["properties"]["status"]
    assert status["enum"] == ["draft", "submitted", "approved", "rejected", "withdrawn"]
    role = proposal["definitions"]["BoroughEntry"]["properties"]["role"]
    assert role["enum"] == ["lead", "delivery", "supporter"]
    outcome = proposal["properties"]["outcome"]["description"]
    assert "Which specific people do we want to be better off" in outcome
    assert proposal["title"] == "LOTI proposal"
    ledger = generate_schema("ledger")
    kinds = ledger["definitions"]["IncomeLine"]["properties"]["kind"]["enum"]
    assert kinds == ["membership", "grant", "carry_forward", "other"]


# ---------------------------------------------------------------------------
# the shipped files validate; broken ones do not


@pytest.mark.parametrize("path", PROPOSALS, ids=lambda path: path.name)
def test_every_proposal_validates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/proposal.schema.json\n")
    assert errors("proposal", plain(parse(text).data)) == []


@pytest.mark.parametrize("path", LEDGERS + BUNDLED, ids=lambda path: str(path.parent.name))
def test_every_ledger_validates(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert errors("ledger", plain(parse(text).data)) == []


def test_the_schema_line_of_the_repository_ledger_resolves() -> None:
    for path in LEDGERS:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        target = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == (SCHEMAS / "ledger.schema.json").resolve()


GOOD_PROPOSAL: dict[str, Any] = {
    "id": "CR-99",
    "title": "A test",
    "financial_year": "2020-21",
    "pillar": "Covid Recovery",
    "status": "submitted",
    "boroughs": [{"name": "Camden", "role": "lead"}, {"name": "Hackney", "role": "delivery"}],
    "budget": {"requested": "£45k", "external": [{"source": "MHCLG", "amount": 100.5}]},
    "outputs": [{"name": "Guide", "licence": "OGL-UK-3.0", "gifted": True}],
    "waivers": [{"rule": "PC5", "reason": "Agreed later", "approved_by": "Panel"}],
}


def test_a_good_proposal_validates() -> None:
    assert errors("proposal", GOOD_PROPOSAL) == []
    # Pence are fine, whatever binary floating point makes of them.
    assert errors("proposal", {**GOOD_PROPOSAL, "budget": {"requested": 0.29}}) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"status": "aproved"}, "is not one of"),
        ({"colour": "red"}, "Additional properties are not allowed"),
        ({"id": None}, "is not of type 'string'"),
        ({"id": "  "}, "does not match"),
        ({"financial_year": "2020"}, "does not match"),
        ({"budget": {"total_cost": 5}}, "'requested' is a required property"),
        ({"budget": {"requested": -5}}, "is not valid under any of the given schemas"),
        ({"budget": {"requested": "lots"}}, "is not valid under any of the given schemas"),
        ({"boroughs": [{"name": "Camden", "role": "sponsor"}]}, "is not one of"),
        ({"outputs": [{"name": "Guide", "gifted": "yes"}]}, "is not valid under any"),
        ({"personal_data": "yes"}, "is not of type 'boolean'"),
        ({"panel": "1 October 2020"}, "is not valid under any"),
    ],
)
def test_a_broken_proposal_fails(change: dict[str, Any], expected: str) -> None:
    found = errors("proposal", {**GOOD_PROPOSAL, **change})
    assert any(expected in message for message in found), found


def test_a_missing_required_key_fails() -> None:
    for key in ("id", "title", "financial_year", "pillar", "status", "boroughs", "budget"):
        data = {name: value for name, value in GOOD_PROPOSAL.items() if name != key}
        assert errors("proposal", data) == [f"'{key}' is a required property"]


def test_a_broken_ledger_fails() -> None:
    text = (ROOT / "ledgers" / "2020-21.yaml").read_text(encoding="utf-8")
    data = plain(parse(text).data)
    assert errors("ledger", {**data, "currency": "EUR"}) == ["'GBP' was expected"]
    assert errors("ledger", {k: v for k, v in data.items() if k != "members"}) == [
        "'members' is a required property"
    ]
    broken = {**data, "income": [{"name": "GLA", "amount": 1, "kind": "gift"}]}
    assert any("is not one of" in message for message in errors("ledger", broken))
