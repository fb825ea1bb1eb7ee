"""The commented proposal `loti proposal new` writes: each section says what a panel looks for.

The comments quote the strategy where it is the reason for a section (slide 23's
question for the outcome, slide 27's funding principles for the boroughs,
replicability and outputs, slide 10 for sustainability). A section the author
has not written yet is still there, empty, with a `TODO` saying what to write,
and the rules report it until it is filled in: PC1 (warning) for `outcome`, FP3
(error) for `replicability`, FP4 (error) for `outputs`, PC5 (warning) for
`sustainability`. Nothing about LOTI's pillars or members is written here: they
come from the ledger the command read, against which `drafting` checks each
answer before it becomes a Draft.
"""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass

from loti_cli.core.money import Money
from loti_cli.io.yaml_edit import render_scalar
from loti_cli.io.yaml_read import YamlError, parse
from loti_cli.pipeline.schema_line import SCHEMA, SchemaLine

WIDTH = 88
"""Longest line of wrapped text."""

OUTCOME_QUESTION = (
    "Which specific people do we want to be better off in which specific ways because we acted?"
)


@dataclass(frozen=True, slots=True)
class Draft:
    """What the author told `loti proposal new`; `None` and `()` are sections still to write."""

    id: str
    title: str
    financial_year: str
    pillar: str
    status: str
    boroughs: tuple[tuple[str, str], ...]
    """(name, role) pairs, role being lead, delivery or supporter."""
    requested: Money
    area: str | None = None
    areas: tuple[str, ...] = ()
    """The pillar's areas in the ledger, listed in a comment when no area is chosen."""
    summary: str | None = None
    outcome: str | None = None
    standards: tuple[str, ...] = ()
    plan: str | None = None
    outputs: tuple[tuple[str, str], ...] = ()
    """(name, licence) pairs; each is written gifted: true."""
    sustainability: str | None = None
    dpia: str | None = None
    """A DPIA reference: the project processes personal data."""


def render_proposal(draft: Draft, schema: SchemaLine) -> str:
    """The proposal file's text, starting with its `$schema=` line when the project has a schema."""
    lines = [*_opening(draft, schema), *_area(draft), *_asks(draft), *_promises(draft)]
    text = "\n".join(lines) + "\n"
    parse(text)  # a template that does not read back is a bug here, not the author's
    return text


def _opening(draft: Draft, schema: SchemaLine) -> list[str]:
    """The schema line, what the file is, and the id, title, year and pillar."""
    lines: list[str] = []
    if schema.ref is not None:
        lines.append(f"# yaml-language-server: $schema={schema.ref}")
    else:
        lines += [
            "# For completion and checking as you type, save the proposal schema in the",
            f"# project's top folder (`loti schema proposal > {SCHEMA.as_posix()}`)",
            "# and make this the first line:",
            f"# # yaml-language-server: $schema={schema.would_be}",
        ]
    lines += [
        "#",
        f"# {draft.id}: a proposal to a LOTI funding panel, written by `loti proposal new`.",
        "# Each section says what the panel looks for, in the words of the LOTI Year 2",
        "# Strategy. `loti proposal check` on this file lists what is still missing, and",
        "# `loti rules CODE` explains a finding. Sections marked TODO are yours to write.",
        "",
        "# Unique across the proposals folder.",
        f"id: {_scalar(draft.id)}",
        f"title: {_scalar(draft.title)}",
        "# The UK financial year (1 April to 31 March) whose ledger funds the project.",
        f"financial_year: {_scalar(draft.financial_year)}",
        "",
        '# Slide 27: any project funded by LOTI must "be aligned with our core objectives":',
        "# the pillar is one of the ledger's allocations, and the area one of its areas. (FP1)",
        f"pillar: {_scalar(draft.pillar)}",
    ]
    return lines


def _area(draft: Draft) -> list[str]:
    """The area, or a comment naming the pillar's areas to choose from."""
    lines: list[str] = []
    if draft.area is not None:
        lines.append(f"area: {_scalar(draft.area)}")
    elif draft.areas:
        lines += _comment(f"area: optional, one of {', '.join(draft.areas)}")
    return lines


def _asks(draft: Draft) -> list[str]:
    """The status, what the project will do and for whom, its boroughs and its budget."""
    return [
        "# draft while you write it, submitted when it is ready for the panel; the panel",
        "# records its decision with `loti proposal decide`.",
        f"status: {draft.status}",
        "",
        "# What the project will do, in a few sentences.",
        *_text("summary", draft.summary, "TODO: what the project will do."),
        "",
        "# Slide 23, where LOTI's outcomes-based methodology starts:",
        f'# "{OUTCOME_QUESTION}"',
        "# Name the people and the change in their lives, not the technology. (PC1)",
        *_text(
            "outcome",
            draft.outcome,
            "TODO: who will be better off, and how. Until it is written, PC1 warns.",
        ),
        "",
        '# Slide 27: any project funded by LOTI must "be supported and delivered by at least',
        '# two LOTI boroughs": two member boroughs with role lead or delivery. Supporters and',
        "# partners (the GLA, London Councils) are welcome but do not count. (FP2)",
        "boroughs:",
        *(f"  - name: {_scalar(name)}\n    role: {role}" for name, role in draft.boroughs),
        "",
        "# What the project asks of LOTI, in pounds. It must fit the pillar's headroom: its",
        "# allocation less what approved proposals already take. (BU1, BU2)",
        "# Co-funding goes under `external`; `total_cost`, when given, is requested + external:",
        "#   external:",
        "#     - source: Name of the co-funder",
        "#       amount: 60000",
        "budget:",
        f"  requested: {_amount(draft.requested)}",
        "",
    ]


def _promises(draft: Draft) -> list[str]:
    """What the panel looks for beyond the money: replicability, outputs, sustainability, data."""
    return [
        '# Slide 27: any project funded by LOTI must "be replicable by other LOTI boroughs',
        '# (designed with wider adoption in mind, based on common standards/principles)":',
        "# the standards the work is built on, and how another borough would adopt it. (FP3)",
        "replicability:",
        *_standards(draft.standards),
        *_text(
            "plan",
            draft.plan,
            "TODO: how another LOTI borough would adopt the work. FP3 fails until it is written.",
            indent=2,
        ),
        "",
        '# Slide 27: any project funded by LOTI must "gift their outputs to LOTI for',
        '# dissemination and maintenance": every output under an open licence (OGL-UK-3.0,',
        "# CC-BY-4.0, MIT, ...) with gifted: true. (FP4)",
        *_outputs(draft.outputs),
        "",
        "# Slide 10: LOTI's work must be \"compatible with the financial reality our members",
        '# face - we strive to develop financially sustainable models". Who pays to run and',
        "# maintain it once LOTI funding ends? (PC5)",
        *_text(
            "sustainability",
            draft.sustainability,
            "TODO: who pays once LOTI funding ends. Until it is written, PC5 warns.",
        ),
        "",
        *_personal_data(draft.dpia),
        "",
        *_delivery(draft.financial_year),
    ]


def _scalar(value: str) -> str:
    return render_scalar(value)


def _amount(money: Money) -> str:
    value = money.amount
    return str(int(value)) if value == value.to_integral_value() else f"{value:.2f}"


def _comment(text: str, indent: int = 0) -> list[str]:
    pad = " " * indent
    return [f"{pad}# {line}" for line in textwrap.wrap(text, WIDTH - indent - 2)]


def _text(key: str, value: str | None, todo: str, indent: int = 0) -> list[str]:
    """`key: >` with the text folded, or an empty key under a TODO comment."""
    pad = " " * indent
    if value is None:
        return [*_comment(todo, indent), f"{pad}{key}:"]
    body = textwrap.wrap(value, WIDTH - indent - 2, break_long_words=False, break_on_hyphens=False)
    folded = [f"{pad}{key}: >", *(f"{pad}  {line}" for line in body)]
    if _reads_back(folded, key, indent, value):
        return folded
    # Text that folding would change (several spaces in a row, line breaks): keep it exact.
    return [f"{pad}{key}: {json.dumps(value, ensure_ascii=False)}"]


def _reads_back(lines: list[str], key: str, indent: int, value: str) -> bool:
    snippet = "\n".join(line[indent:] for line in lines) + "\n"
    try:
        read = parse(snippet).data.get(key)
    except YamlError:
        return False
    return isinstance(read, str) and read.rstrip("\n") == value


def _standards(standards: tuple[str, ...]) -> list[str]:
    if not standards:
        return [
            *_comment(
                "TODO: at least one common standard or principle the work is built on, such as "
                "Open Referral UK or the Data Ethics Framework. FP3 fails until there is one.",
                indent=2,
            ),
            "  standards: []",
        ]
    return ["  standards:", *(f"    - {_scalar(standard)}" for standard in standards)]


def _outputs(outputs: tuple[tuple[str, str], ...]) -> list[str]:
    if not outputs:
        return [
            *_comment(
                "TODO: at least one output, as `- name: ...`, `licence: OGL-UK-3.0` and "
                "`gifted: true`. FP4 fails until there is one. Once it is published, add its "
                "`url:` (needed to close the project, CL1)."
            ),
            "outputs: []",
        ]
    lines = ["outputs:"]
    for name, licence in outputs:
        lines += [
            f"  - name: {_scalar(name)}",
            f"    licence: {_scalar(licence)}",
            "    gifted: true",
            "    # url: where it is published, once it is (needed to close the project, CL1)",
        ]
    return lines


def _delivery(year: str) -> list[str]:
    """The delivery section, commented out: what to fill in once the panel approves."""
    first = year[:4]
    end = f"{int(first) + 1}-03-31"
    return [
        "# Once the panel approves it: where the project is, what it delivers by when, and how",
        "# its outcome is measured (`loti projects` shows them; DL1 to DL3 check them, and",
        "# `loti proposal close` asks that every milestone is done and every measure taken).",
        "# delivery:",
        "#   phase: discovery          # initiation | discovery | alpha | beta | live | closed",
        f"#   start: {first}-10-01",
        f"#   end: {end}            # the planned end",
        "#   milestones:",
        "#     - name: Discovery report",
        f"#       due: {first}-12-18",
        "#       # done: the day it was done",
        "#   measures:                 # how the outcome is measured",
        "#     - name: Days from referral to first contact",
        "#       unit: days",
        "#       baseline: 14",
        "#       target: 3",
        "#       # actual: the latest value, and measured: the day it was measured",
    ]


def _personal_data(dpia: str | None) -> list[str]:
    if dpia is not None:
        return [
            "# The project processes personal data, under this data protection impact",
            "# assessment. (IG1)",
            "personal_data: true",
            f"dpia: {_scalar(dpia)}",
        ]
    return [
        "# If the project processes personal data, say so and give the reference of its data",
        "# protection impact assessment (IG1):",
        "# personal_data: true",
        "# dpia: DPIA-2020-000",
    ]
