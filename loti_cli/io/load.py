"""Files to models: read YAML, validate against the models, and place every problem at path:line:column."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from loti_cli.core.boroughs import roster
from loti_cli.core.findings import Finding, Hit, Loc, Severity
from loti_cli.core.model import LEDGER_REQUIRED, PROPOSAL_REQUIRED, Ledger, Proposal
from loti_cli.core.money import Money, format_money, total
from loti_cli.core.suggest import did_you_mean, one_of
from loti_cli.core.values import looks_like_amount, outside_year
from loti_cli.io import files, yaml_read
from loti_cli.io.resolve import Unlisted, display_path, missing
from loti_cli.io.validate import describe, missing_required, validate

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, slots=True)
class Codes:
    """The finding codes a kind of file uses for problems with its YAML and with its fields."""

    yaml: tuple[str, str]
    field: tuple[str, str]


LEDGER_CODES = Codes(("LB8", "invalid-ledger"), ("LB8", "invalid-ledger"))
PROPOSAL_CODES = Codes(("IN1", "invalid-yaml"), ("IN2", "invalid-field"))


@dataclass(slots=True)
class Source(Generic[M]):
    """A loaded file: its model (None when it could not be read at all), and its problems.

    `place` turns a rule's Hit, whose `loc` is a path into the model, into a
    Finding at the line and column of the file.
    """

    path: str
    model: M | None
    document: yaml_read.Document | None = None
    problems: list[Finding] = field(default_factory=list)
    _origins: dict[int, list[int]] = field(default_factory=dict)
    _pruned: Any = None

    @property
    def ok(self) -> bool:
        return not self.problems

    def place(
        self, code: str, rule: str, severity: Severity, hit: Hit, *, in_file: bool = False
    ) -> Finding:
        """`in_file=True`: `hit.loc` is a path into the file's data, not the (pruned) model's."""
        line = column = None
        if self.document is not None:
            loc = hit.loc if in_file else self.original_loc(hit.loc)
            mark = self.document.locate(loc, key=hit.at_key)
            line, column = mark.line, mark.column
        return Finding(
            code=code,
            rule=rule,
            severity=hit.severity or severity,
            message=hit.message,
            path=self.path,
            line=line,
            column=column,
        )

    def dropped(self, loc: Loc) -> bool:
        """Whether validation dropped items of the list at `loc` (each one an IN2 finding)."""
        node = self._pruned
        for part in loc:
            if isinstance(node, dict):
                node = node.get(part)
            elif isinstance(node, list) and isinstance(part, int) and part < len(node):
                node = node[part]
            else:
                return False
        return isinstance(node, list) and id(node) in self._origins

    def original_loc(self, loc: Loc) -> Loc:
        """Map a location in the validated data back to the file, where invalid list items were dropped."""
        if not self._origins:
            return loc
        result: list[str | int] = []
        node = self._pruned
        for part in loc:
            if isinstance(part, int) and isinstance(node, list):
                origins = self._origins.get(id(node))
                result.append(origins[part] if origins and part < len(origins) else part)
                node = node[part] if part < len(node) else None
            else:
                result.append(part)
                node = node.get(part) if isinstance(node, dict) else None
        return tuple(result)


def load_ledger(
    path: Path, display: str | None = None, *, raw: bytes | None = None
) -> Source[Ledger]:
    """Load a ledger (from `raw`, its bytes, when already read); every problem is an LB8 finding."""
    read = (lambda: files.decode(raw)) if raw is not None else (lambda: _read(path))
    source = _from_text(read, display or str(path), Ledger, LEDGER_REQUIRED, LEDGER_CODES)
    if source.document is not None:
        # Members are read from the file as written, so that one whose kind is invalid
        # still has its fee and name checked (every problem in one run).
        for hit in check_members(source.document.data):
            source.problems.append(
                source.place("LB8", "invalid-ledger", Severity.ERROR, hit, in_file=True)
            )
    if source.model is not None:
        for hit in check_ledger_values(source.model, path):
            source.problems.append(source.place("LB8", "invalid-ledger", Severity.ERROR, hit))
    source.problems.sort(key=lambda f: (f.line or 0, f.column or 0))
    return source


def load_proposal(path: Path, display: str | None = None) -> Source[Proposal]:
    """Load a proposal; YAML problems are IN1 findings, field problems IN2."""
    source = _load(path, display or str(path), Proposal, PROPOSAL_REQUIRED, PROPOSAL_CODES)
    return _without_data(_with_values(source))


def load_proposal_text(text: str, display: str) -> Source[Proposal]:
    """Load a proposal from text (standard input)."""
    source = _from_text(lambda: text, display, Proposal, PROPOSAL_REQUIRED, PROPOSAL_CODES)
    return _without_data(_with_values(source))


def _with_values(source: Source[Proposal]) -> Source[Proposal]:
    """Cross-field problems of a proposal (IN2): a panel's date outside its financial year."""
    proposal = source.model
    if proposal is not None and proposal.panel is not None and proposal.financial_year:
        problem = outside_year(proposal.panel, proposal.financial_year)
        if problem is not None:
            hit = Hit(
                f"panel {problem}; write the date of the funding panel that decided it", ("panel",)
            )
            source.problems.append(source.place("IN2", "invalid-field", Severity.ERROR, hit))
    return source


def load_proposal_bytes(raw: bytes, display: str) -> Source[Proposal]:
    """Load a proposal from a file's bytes; bytes that are not UTF-8 are an IN1 finding."""
    source = _from_text(
        lambda: files.decode(raw), display, Proposal, PROPOSAL_REQUIRED, PROPOSAL_CODES
    )
    return _without_data(_with_values(source))


def load_proposal_stream(stream: Any, display: str) -> Source[Proposal]:
    """Load a proposal from standard input, its bytes read and decoded as a file's are
    (bounded in size; a byte that is not UTF-8 is an IN1 finding at its line, column and
    offset). A text stream with no bytes underneath (a test's StringIO) is taken as it is."""

    def read() -> str:
        raw = getattr(stream, "buffer", stream).read(yaml_read.MAX_BYTES + 1)
        return raw if isinstance(raw, str) else files.decode(raw)

    source = _from_text(read, display, Proposal, PROPOSAL_REQUIRED, PROPOSAL_CODES)
    return _without_data(source)


def unlisted_sources(folders: Iterable[Unlisted]) -> list[Source[Proposal]]:
    """Folders whose proposals cannot be seen, each once, as files that cannot be read (IN1,
    at the folder's path with a trailing /): they may hold any proposal, so every command
    treats them as it treats an unreadable file."""
    code, rule = PROPOSAL_CODES.yaml
    found: dict[str, Source[Proposal]] = {}
    for folder in folders:
        # Not resolved: a link is shown as itself, not as the folder it leads to.
        parent = display_path(folder.path.parent).rstrip("/")
        shown = (f"{parent}/" if parent != "." else "") + f"{folder.path.name}/"
        problem = Finding(code, rule, Severity.ERROR, folder.message, shown)
        found.setdefault(os.path.realpath(folder.path), Source(shown, None, None, [problem]))
    return list(found.values())


def _without_data(source: Source[Proposal]) -> Source[Proposal]:
    # The model holds what the rules read: a large portfolio stays small in memory.
    if source.document is not None:
        source.document.data = {}
    return source


def _load(
    path: Path, display: str, model: type[M], required: Sequence[str], codes: Codes
) -> Source[M]:
    return _from_text(lambda: _read(path), display, model, required, codes)


def _read(path: Path) -> str:
    """The file's text; a path that leads to no file says why (a symbolic link loop...)."""
    problem = missing(path)
    if problem is not None:
        raise yaml_read.YamlError(yaml_read.Problem(f"cannot be read: {problem}"))
    return files.read_text(path)


def _from_text(
    read: Any, display: str, model: type[M], required: Sequence[str], codes: Codes
) -> Source[M]:
    yaml_code, yaml_rule = codes.yaml
    try:
        document = yaml_read.parse(read())
    except yaml_read.YamlError as error:
        mark = error.problem.mark
        finding = Finding(
            code=yaml_code,
            rule=yaml_rule,
            severity=Severity.ERROR,
            message=f"the file {error.problem.message}",
            path=display,
            line=mark.line if mark else 1,
            column=mark.column if mark else 1,
        )
        return Source(display, None, None, [finding])
    source: Source[M] = Source(display, None, document)
    for problem in document.problems:
        mark = problem.mark or yaml_read.Mark(1, 1)
        source.problems.append(
            Finding(
                yaml_code,
                yaml_rule,
                Severity.ERROR,
                problem.message,
                display,
                mark.line,
                mark.column,
            )
        )
    field_code, field_rule = codes.field
    hits = list(missing_required(document.data, required))
    validated, errors, pruned = validate(model, document.data)
    if pruned is not None:
        source._pruned, source._origins = pruned.data, pruned.origins
    hits.extend(describe(error, model, document.data) for error in errors)
    source.model = validated
    # These hits point into the file's data as written, not into the pruned data of the model.
    source.problems.extend(
        source.place(field_code, field_rule, Severity.ERROR, hit, in_file=True) for hit in hits
    )
    return source


# ---------------------------------------------------------------------------
# ledger values the models cannot check alone

_YEAR_FILE = re.compile(r"^([0-9]{4}-[0-9]{2})$")


def check_members(data: dict[str, Any]) -> Iterable[Hit]:
    """Members as the file writes them: fee keys that name no fee, boroughs that are not
    London boroughs or are listed twice. Locations are the file's, not the model's."""
    raw_fees = data.get("fees")
    fees = [str(key) for key in raw_fees] if isinstance(raw_fees, dict) else []
    members = data.get("members")
    seen: dict[str, int] = {}
    known = roster()
    for index, member in enumerate(members if isinstance(members, list) else ()):
        if not isinstance(member, dict):
            continue
        fee, name = member.get("fee"), member.get("name")
        if isinstance(fee, str) and not looks_like_amount(fee) and fee.strip() and fee not in fees:
            listed = f"({one_of(fees)})" if fees else "(there are none)"
            yield Hit(
                f"fee '{fee}' is not a key of fees {listed} nor an amount{did_you_mean(fee, fees)}",
                ("members", index, "fee"),
            )
        if member.get("kind") != "borough" or not isinstance(name, str) or not name.strip():
            continue
        borough = known.lookup(name)
        if borough is None:
            suggestion = known.suggest(name)
            hint = f"; did you mean '{suggestion}'?" if suggestion else ""
            yield Hit(
                f"member '{name}' of kind borough is not a London borough{hint} "
                "(use kind: partner for other organisations)",
                ("members", index, "name"),
            )
        elif borough.gss_code in seen:
            yield Hit(
                f"member '{name}' is {borough.name}, already listed as member "
                f"{seen[borough.gss_code] + 1}; list each borough once",
                ("members", index, "name"),
            )
        else:
            seen[borough.gss_code] = index


def check_ledger_values(ledger: Ledger, path: Path | None = None) -> Iterable[Hit]:
    """Cross-field checks of a ledger's model: unique pillars, and the file's year."""
    pillars: dict[str, int] = {}
    for index, allocation in enumerate(ledger.allocations or ()):
        if allocation.pillar in pillars:
            yield Hit(
                f"pillar '{allocation.pillar}' is allocated twice (also allocation "
                f"{pillars[allocation.pillar] + 1}); merge the two",
                ("allocations", index, "pillar"),
            )
        pillars.setdefault(allocation.pillar, index)
    yield from _twice(ledger)
    match = _YEAR_FILE.match(path.stem) if path is not None else None
    if match and ledger.financial_year and match[1] != ledger.financial_year:
        assert path is not None
        yield Hit(
            f"financial_year is {ledger.financial_year} but the file is named {path.name}; "
            "make them agree",
            ("financial_year",),
        )
    yield from _monitoring_values(ledger)


def _monitoring_values(ledger: Ledger) -> Iterable[Hit]:
    """Budget monitoring's keys: amber at most red, and each profile adding up to its line."""
    monitoring = ledger.monitoring
    if monitoring is not None:
        amber, red = monitoring.thresholds
        if amber > red:
            amber_said = "" if monitoring.amber is not None else " (the default)"
            red_said = "" if monitoring.red is not None else " (the default)"
            yield Hit(
                f"monitoring amber {percent(amber)}{amber_said} is above red {percent(red)}"
                f"{red_said}; amber is the lower threshold: make amber at most red",
                ("monitoring", "amber" if monitoring.amber is not None else "red"),
            )
    for index, line in enumerate(ledger.expenditure or ()):
        if not isinstance(line.profile, tuple):
            continue
        profiled = total(line.profile)
        if profiled != line.amount:
            gap = profiled - line.amount
            yield Hit(
                f"the profile of '{line.name}' adds up to {format_money(profiled)}, "
                f"{format_money(abs(gap))} {'more' if gap > Money(0) else 'less'} than its "
                f"amount {format_money(line.amount)}; make the twelve months add up to the amount",
                ("expenditure", index, "profile"),
            )


def percent(fraction: Decimal) -> str:
    """`0.05` as `5%`, `0.125` as `12.5%`: a threshold as the ledger may write it."""
    text = f"{(fraction * 100).normalize():f}"
    return f"{text}%"


def _twice(ledger: Ledger) -> Iterable[Hit]:
    """Criteria, calls and a call's lots are named once each (scores and proposals name them)."""
    lists: list[tuple[str, Loc, list[str]]] = [
        ("criterion", ("criteria",), [c.id for c in ledger.criteria or ()]),
        ("call", ("calls",), [c.name for c in ledger.calls or ()]),
    ]
    for index, call in enumerate(ledger.calls or ()):
        lists.append(("lot", ("calls", index, "lots"), [lot.name for lot in call.lots]))
    for what, loc, names in lists:
        seen: dict[str, int] = {}
        for index, name in enumerate(names):
            if name in seen:
                key = "id" if what == "criterion" else "name"
                yield Hit(
                    f"{what} '{name}' is listed twice (also {what} {seen[name] + 1}); "
                    f"give each {what} its own {key}",
                    (*loc, index, key),
                )
            seen.setdefault(name, index)
