"""JSON Schemas (draft-07) of the proposal and the ledger, generated from the models, for editors.

The YAML language server in VS Code (and most editors that use it) understands
draft-07, not the 2020-12 dialect pydantic writes, so pydantic's schema is
post-processed: `$defs` become `definitions`, the keys the format contracts call
required are marked required (the models leave them optional so that `load` can
report every problem at once), descriptions quote the contracts and the strategy,
and regular expressions are written so that both JavaScript and Python accept them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, Literal, get_args

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import core_schema

from loti_cli.core.model import LEDGER_REQUIRED, PROPOSAL_REQUIRED, Ledger, Proposal
from loti_cli.core.money import Money
from loti_cli.core.values import (
    Date,
    FeeRef,
    FinancialYear,
    Number,
    Profile,
    Text,
    Threshold,
    Weight,
)

Kind = Literal["proposal", "ledger"]
KINDS: tuple[Kind, ...] = ("proposal", "ledger")
DRAFT_07 = "http://json-schema.org/draft-07/schema#"

_TEXT: JsonSchemaValue = {"type": "string", "minLength": 1, "pattern": "\\S"}
_FINANCIAL_YEAR: JsonSchemaValue = {
    "type": "string",
    "pattern": "^[0-9]{4}-[0-9]{2}$",
    "description": "A UK financial year (1 April to 31 March), written 2020-21.",
}
_DATE: JsonSchemaValue = {
    "type": "string",
    "format": "date",
    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "description": "A date, written 2020-10-01.",
}

_THRESHOLD: JsonSchemaValue = {
    "description": "A percentage such as 5% or a fraction such as 0.05; more than 0, at most 100%.",
    "anyOf": [
        {"type": "string", "pattern": "^\\s*(0|[1-9][0-9]*)(\\.[0-9]+)?%?\\s*$"},
        {"type": "number", "exclusiveMinimum": 0, "maximum": 1},
    ],
}


def _money() -> JsonSchemaValue:
    return dict(Money.__get_pydantic_json_schema__(None, None))


def _validator(annotated: Any) -> Callable[..., Any]:
    """The function of the PlainValidator in an `Annotated[...]` alias of the models."""
    function: Callable[..., Any] = next(
        arg.func for arg in get_args(annotated)[1:] if hasattr(arg, "func")
    )
    return function


class _Generator(GenerateJsonSchema):
    """pydantic's generator, taught what the models' plain validators accept."""

    def function_plain_schema(
        self, schema: core_schema.PlainValidatorFunctionSchema
    ) -> JsonSchemaValue:
        function = schema["function"]["function"]
        known: dict[Any, Callable[[], JsonSchemaValue]] = {
            _validator(Text): lambda: dict(_TEXT),
            _validator(FinancialYear): lambda: dict(_FINANCIAL_YEAR),
            _validator(Date): lambda: dict(_DATE),
            _validator(Weight): lambda: {
                "type": "number",
                "exclusiveMinimum": 0,
                "default": 1,
                "description": "A number above 0 (default 1).",
            },
            _validator(Number): lambda: {"type": "number"},
            _validator(FeeRef): lambda: {
                "description": "A key of `fees`, or an amount.",
                "anyOf": [dict(_TEXT), _money()],
            },
            _validator(Threshold): lambda: dict(_THRESHOLD),
            _validator(Profile): lambda: {
                "anyOf": [
                    {"type": "string", "enum": ["even"]},
                    {"type": "array", "items": _money(), "minItems": 12, "maxItems": 12},
                ]
            },
        }
        make = known.get(function)
        return make() if make is not None else super().function_plain_schema(schema)


# ---------------------------------------------------------------------------
# what editors show on hover: the contracts' words, and the strategy's where it is the reason

_SLIDE_27 = (
    "Slide 27 of the LOTI Year 2 Strategy (funding principles): any project funded by LOTI must "
)

DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Proposal": {
        "id": "Unique across the proposals folder, e.g. CR-02.",
        "title": "What the project is, in one line.",
        "financial_year": "The financial year whose ledger funds it "
        "(ledgers/<financial_year>.yaml).",
        "pillar": "One of the ledger's allocations (slide 13: the core pillars). FP1.",
        "area": "Optional; one of that pillar's areas in the ledger. FP1.",
        "status": "draft | submitted | approved | rejected | withdrawn. Approved proposals count "
        "against their pillar's allocation; submitted ones are the pipeline.",
        "panel": "Optional: the date of the funding panel that decided it.",
        "summary": "What the project will do.",
        "outcome": 'Slide 23: "Which specific people do we want to be better off in which '
        'specific ways because we acted?" PC1.',
        "boroughs": _SLIDE_27 + '"be supported and delivered by at least two LOTI boroughs": '
        "at least two member boroughs with role lead or delivery. FP2.",
        "budget": "What the project asks of LOTI, and its other funding.",
        "replicability": _SLIDE_27 + '"be replicable by other LOTI boroughs (designed with '
        'wider adoption in mind, based on common standards/principles)". FP3.',
        "outputs": _SLIDE_27 + '"gift their outputs to LOTI for dissemination and '
        'maintenance": each output gifted, under an open licence. FP4.',
        "sustainability": 'Optional; who pays once LOTI funding ends. Slide 10: "compatible with '
        "the financial reality our members face - we strive to develop financially sustainable "
        'models". PC5.',
        "personal_data": "Optional, default false: whether the project processes personal data.",
        "dpia": "The data protection impact assessment reference; required when personal_data "
        "is true. IG1.",
        "waivers": "Optional; exceptions granted by a funding panel "
        "(loti proposal decide --waive).",
        "call": "Optional: the name of the ledger's call the proposal is a bid in. SC5.",
        "lot": "The lot of that call the bid is for; required when the call has lots. SC5.",
        "submitted": "Optional: the day the bid came in; after the call closes it is late. SC6.",
        "delivery": "Optional until approved: the project's phase, dates, milestones and "
        "how its outcome is measured (the delivery format). DL1-DL3, CL2, CL3.",
    },
    "Delivery": {
        "phase": "initiation | discovery | alpha | beta | live | closed. DL1.",
        "start": "When delivery starts.",
        "end": "The planned end; past it by more than 30 days and not closed is red.",
        "closed": "When the project was closed (loti proposal close sets it).",
        "milestones": "What is delivered by when; one overdue is DL2, all done is CL3.",
        "measures": "How the outcome is measured (slides 21 to 23); each measured to close, CL2.",
    },
    "Milestone": {
        "name": "What is delivered.",
        "due": "When it is due.",
        "done": "When it was done; absent: not done.",
    },
    "Measure": {
        "name": "What is measured.",
        "unit": "Optional: its unit, e.g. days.",
        "baseline": "The value before the project.",
        "target": "The value the project aims for. DL1.",
        "actual": "The latest value; absent: not measured yet.",
        "measured": "When the actual was measured.",
    },
    "BoroughEntry": {
        "name": "A London borough by name, common variant or GSS code, or a partner (GLA, "
        "London Councils).",
        "role": "lead | delivery | supporter; only lead and delivery count for FP2.",
    },
    "Budget": {
        "requested": "What is asked of LOTI.",
        "external": "Optional co-funding.",
        "total_cost": "Optional; when given, must equal requested + external. BU1.",
    },
    "ExternalFunding": {"source": "Who co-funds it.", "amount": "How much they give."},
    "Replicability": {
        "standards": "The common standards or principles the work is built on (at least one).",
        "plan": "How another LOTI borough would adopt it.",
    },
    "Output": {
        "name": "What is produced.",
        "licence": "An open licence by its SPDX-style identifier, e.g. OGL-UK-3.0, CC-BY-4.0, MIT.",
        "gifted": "true: gifted to LOTI for dissemination and maintenance.",
        "url": "Where the gifted output is published, for other boroughs to find it (shown on "
        "borough statements); needed to close the project (CL1).",
    },
    "Waiver": {
        "rule": "The rule waived, by code (PC5) or name.",
        "reason": "Why the panel granted it.",
        "approved_by": "Who granted it, e.g. Funding panel 2020-10-01.",
        "expires": "Optional: the date after which the waiver no longer applies.",
    },
    "Ledger": {
        "ledger": "The ledger's name, e.g. LOTI budget 2020/21.",
        "financial_year": "The UK financial year (1 April to 31 March) the file describes; "
        "the file is named after it.",
        "currency": "GBP.",
        "as_of": "Optional: the date the figures describe.",
        "source": "Optional: where the figures come from.",
        "fees": "Optional: annual membership fees, excluding VAT, by name.",
        "members": "Who belongs to LOTI this year.",
        "income": "The year's income lines.",
        "expenditure": "The year's expenditure lines, whatever their status.",
        "allocations": "The allocation of the funds that remain, one per pillar.",
        "stated": "Optional: figures as published; each one given is recomputed and compared.",
        "criteria": "Optional: the prioritisation criteria a panel scores bids against "
        "(slide 10), each with an id the scores file uses.",
        "calls": "Optional: competitive calls for bids, each ring-fenced inside a pillar's "
        "allocation (loti proposal rank).",
        "monitoring": "Optional: the RAG thresholds of loti budget monitor "
        "(default amber 5%, red 10%).",
    },
    "Criterion": {
        "id": "A short id, used in the scores file's criterion column, e.g. matters.",
        "name": "The criterion in the strategy's words.",
        "weight": "Optional: its weight in a proposal's score.",
    },
    "Call": {
        "name": "The call's name, as proposals name it in call.",
        "pillar": "The pillar whose allocation funds it. SC4.",
        "amount": "The money ring-fenced for the call: at most the pillar's allocation. SC4.",
        "closes": "Optional: the last day bids are accepted. SC6.",
        "lots": "Optional: ring-fenced parts of the call; their amounts add up to the call's. SC4.",
    },
    "Lot": {
        "name": "The lot's name, as proposals name it in lot.",
        "amount": "The money ring-fenced for the lot.",
    },
    "Monitoring": {
        "amber": "Amber from an overspend of this share of the budget (default 5%).",
        "red": "Red from an overspend of this share of the budget, and amber from an "
        "underspend of it (default 10%); at least amber.",
    },
    "Member": {
        "name": "A London borough (canonical name) or a partner organisation.",
        "kind": "borough | partner.",
        "fee": "A key of fees, or an amount.",
    },
    "IncomeLine": {
        "name": "What the income is.",
        "amount": "How much.",
        "kind": "membership | grant | carry_forward | other.",
    },
    "ExpenditureLine": {
        "name": "What the spending is.",
        "amount": "How much.",
        "status": "estimated | committed | paid.",
        "pillar": "Optional: the pillar the spending belongs to.",
        "profile": "Optional: even (the default), or 12 monthly amounts from April to March "
        "that add up to the amount; what loti budget monitor expects spent by each month.",
        "forecast": "Optional: the expected outturn (default: the larger of the amount and "
        "the actual spend to date).",
    },
    "Allocation": {
        "pillar": "A core pillar (slide 13).",
        "amount": "The pillar's allocation.",
        "areas": "Optional: the pillar's areas.",
    },
    "Stated": {
        "total_income": "The sum of income.",
        "recurring_income": "Income other than carry_forward.",
        "total_committed": "All expenditure, whatever its status.",
        "remaining": "Total income - total committed.",
        "total_allocated": "The sum of allocations.",
        "member_boroughs": "How many member boroughs the source states.",
    },
}

TITLES: dict[Kind, tuple[str, str]] = {
    "proposal": (
        "LOTI proposal",
        "A project proposal to a LOTI funding panel (the proposal format contract). "
        "Check it with `loti proposal check FILE`.",
    ),
    "ledger": (
        "LOTI ledger",
        "One financial year of LOTI's money and the policy facts the checks read (the "
        "ledger format contract). Check it with `loti budget status --ledger FILE`.",
    ),
}

_MODELS: dict[Kind, tuple[type[BaseModel], tuple[str, ...]]] = {
    "proposal": (Proposal, PROPOSAL_REQUIRED),
    "ledger": (Ledger, LEDGER_REQUIRED),
}


def generate_schema(kind: Kind) -> dict[str, Any]:
    """The draft-07 JSON Schema of a proposal or a ledger."""
    model, required = _MODELS[kind]
    raw = model.model_json_schema(schema_generator=_Generator, mode="validation")
    found = raw.pop("$defs", {})
    definitions = {name: found[name] for name in sorted(found)}
    root_name = model.__name__
    raw.pop("title", None)
    raw.pop("description", None)
    definitions = {root_name: raw, **definitions}
    for name, definition in definitions.items():
        _describe(name, definition)
    for dotted in required:
        _require(definitions, root_name, dotted.split("."))
    root = definitions.pop(root_name)
    title, description = TITLES[kind]
    schema: dict[str, Any] = {
        "$schema": DRAFT_07,
        "title": title,
        "description": description,
        **root,
    }
    if definitions:
        schema["definitions"] = definitions
    result: dict[str, Any] = _ordered(_draft_07(schema))
    return result


def render_schema(kind: Kind) -> str:
    """The schema as `loti schema KIND` prints it: stable JSON, ASCII, ending with a newline."""
    return json.dumps(generate_schema(kind), indent=2, ensure_ascii=True) + "\n"


def _describe(name: str, definition: dict[str, Any]) -> None:
    texts = DESCRIPTIONS.get(name, {})
    for key, prop in definition.get("properties", {}).items():
        prop.pop("title", None)
        if prop.get("default", 0) is None:
            prop.pop("default")  # `null` is what leaving the key out means; no need to insert it
        if key in texts:
            prop["description"] = _joined(texts[key], prop.get("description"))


def _joined(first: str | None, second: str | None) -> str | None:
    """A field's description, then its type's ("What is asked of LOTI. An amount in ...")."""
    if first and second and second not in first:
        return f"{first} {second}"
    return first or second


def _require(definitions: dict[str, Any], name: str, parts: list[str]) -> None:
    """Mark `parts` (a dotted key) required, following references into nested definitions."""
    definition = definitions[name]
    key = parts[0]
    prop = definition["properties"][key]
    if len(parts) == 1:
        required = definition.setdefault("required", [])
        if key not in required:
            required.append(key)
        definition["properties"][key] = _without_null(prop)
        return
    target = _ref_in(prop)
    if target is None:  # pragma: no cover - the contracts name only nested models
        raise ValueError(f"{name}.{key} is not a model")
    _require(definitions, target, parts[1:])


def _ref_in(prop: dict[str, Any]) -> str | None:
    if "$ref" in prop:
        return str(prop["$ref"]).rsplit("/", 1)[-1]
    for option in prop.get("anyOf", ()):
        found = _ref_in(option)
        if found is not None:
            return found
    return None


def _without_null(prop: dict[str, Any]) -> dict[str, Any]:
    """A required key may not be empty: drop the `null` branch pydantic adds for `X | None`."""
    options = prop.get("anyOf")
    if not options:
        return prop
    kept = [option for option in options if option != {"type": "null"}]
    rest = {key: value for key, value in prop.items() if key != "anyOf"}
    if len(kept) == 1:
        merged = {**kept[0], **rest}
        description = _joined(rest.get("description"), kept[0].get("description"))
        if description:
            merged["description"] = description
        return merged
    return {**rest, "anyOf": kept}


def _draft_07(node: Any) -> Any:
    """`$defs` -> `definitions`; `$ref` alone in its object (draft-07 ignores its siblings)."""
    if isinstance(node, list):
        return [_draft_07(item) for item in node]
    if not isinstance(node, dict):
        return node
    result: dict[str, Any] = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            result[key] = value.replace("#/$defs/", "#/definitions/")
        else:
            result["definitions" if key == "$defs" else key] = _draft_07(value)
    if "$ref" in result and len(result) > 1:
        ref = {"$ref": result.pop("$ref")}
        result = {**result, "allOf": [ref]}
    # A nested anyOf with nothing beside it adds a level editors show as "one of one of".
    options = result.get("anyOf")
    if isinstance(options, list):
        flat: list[Any] = []
        for option in options:
            nested = isinstance(option, dict) and "anyOf" in option
            if nested and set(option) <= {"anyOf", "description"}:
                flat.extend(option["anyOf"])
                # "What is asked of LOTI." and then "An amount in pounds: ...".
                description = _joined(result.get("description"), option.get("description"))
                if description:
                    result["description"] = description
            else:
                flat.append(option)
        result["anyOf"] = flat
    return result


_ORDER = (
    "$schema",
    "$ref",
    "title",
    "description",
    "type",
    "const",
    "enum",
    "format",
    "pattern",
    "minLength",
    "minimum",
    "exclusiveMinimum",
    "default",
    "items",
    "properties",
    "additionalProperties",
    "required",
    "anyOf",
    "allOf",
    "definitions",
)
_RANK = {key: index for index, key in enumerate(_ORDER)}


def _ordered(node: Any, *, names: bool = False) -> Any:
    """Keywords in one fixed order, whatever order pydantic wrote them in; property names
    keep the models' order (the order of the contracts) and definitions are sorted."""
    if isinstance(node, list):
        return [_ordered(item) for item in node]
    if not isinstance(node, dict):
        return node
    if names:
        return {key: _ordered(value) for key, value in node.items()}
    keys = sorted(node, key=lambda key: (_RANK.get(key, len(_RANK)), key))
    result: dict[str, Any] = {}
    for key in keys:
        value = node[key]
        if key == "properties":
            result[key] = _ordered(value, names=True)
        elif key == "definitions":
            result[key] = {name: _ordered(value[name]) for name in sorted(value)}
        else:
            result[key] = _ordered(value)
    return result
