"""The proposal-check pipeline: load proposals and their ledgers, run the rules, apply waivers."""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TextIO

from loti_cli.core.budget import BudgetStatus, compute_status
from loti_cli.core.findings import Finding, Hit, Loc, Severity, sort_key
from loti_cli.core.model import Ledger, Proposal
from loti_cli.core.suggest import did_you_mean
from loti_cli.errors import LotiError
from loti_cli.io import yamlio
from loti_cli.io.load import (
    Source,
    load_ledger,
    load_proposal,
    load_proposal_stream,
    unlisted_sources,
)
from loti_cli.io.resolve import (
    LEDGER_ENV,
    YEAR_FILE,
    Listing,
    Unlisted,
    bundled_ledgers,
    choose_ledger,
    default_proposals,
    display_path,
    missing,
    scan_proposals,
    year_files,
)
from loti_cli.pipeline.workers import count, pool
from loti_cli.rules import PROPOSAL_RULES, find_rule
from loti_cli.rules.context import Membership, Portfolio, ProposalContext, id_key
from loti_cli.rules.input import IN2
from loti_cli.rules.wv1_waivers import RULE as WV1
from loti_cli.rules.wv1_waivers import apply_waivers

STDIN = "<stdin>"
"""How a proposal read from standard input is shown."""

PARALLEL_FROM = 300
"""With `jobs` left automatic, below this many files one process is faster than several."""

_ALWAYS = frozenset(("IN1", "IN2"))
"""Loading problems: a file that is not a valid proposal is always reported."""


@dataclass(slots=True)
class ProposalResult:
    """One proposal file and its findings (an unreadable file has `proposal` None and an IN1).

    `proposal` is the checked proposal without its long parts (summary, outcome,
    boroughs, replicability, outputs, sustainability), which the reports do not show;
    load the file for those.
    """

    path: str
    proposal: Proposal | None
    findings: list[Finding] = field(default_factory=list)

    def passed(self, *, strict: bool = False) -> bool:
        return not any(f.fails or (strict and not f.waived) for f in self.findings)


@dataclass(slots=True)
class Summary:
    proposals: int
    passed: int
    failed: int
    errors: int
    warnings: int
    waived: int


@dataclass(slots=True)
class CheckResult:
    """Everything `loti proposal check` found, for the reporters to write."""

    ledger: str | None
    """The ledger used (display path); None when no proposal could be matched to one."""
    results: list[ProposalResult]
    strict: bool = False
    notes: list[str] = field(default_factory=list)
    """What a person should know that is no finding (a folder with no proposals)."""

    def summary(self) -> Summary:
        findings = [f for r in self.results for f in r.findings]
        passed = sum(1 for r in self.results if r.passed(strict=self.strict))
        return Summary(
            proposals=len(self.results),
            passed=passed,
            failed=len(self.results) - passed,
            errors=sum(1 for f in findings if f.severity is Severity.ERROR and not f.waived),
            warnings=sum(1 for f in findings if f.severity is Severity.WARNING and not f.waived),
            waived=sum(1 for f in findings if f.waived),
        )

    @property
    def failed(self) -> bool:
        return any(not r.passed(strict=self.strict) for r in self.results)


def check_paths(
    paths: Sequence[str],
    *,
    ledger: Path | None = None,
    proposals: Path | None = None,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    strict: bool = False,
    stdin: TextIO | None = None,
    today: date | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> CheckResult:
    """Check proposal files and folders ("-" is standard input) against their years' ledgers.

    `proposals` is the portfolio folder (default: proposals/ here, when it exists) whose
    proposals count for BU2, BU3 and ID1 with the checked ones. Problems in the files are
    findings; a path that does not exist, an unknown rule or a ledger that cannot be loaded
    raise LotiError. `progress(done, total)` is told each time a file has been read.
    """
    active = active_rules(select, ignore)
    targets, empty, unlisted = expand(paths)
    folder = default_proposals(proposals)
    ledgers = _Ledgers(ledger)
    listing = scan_proposals(folder) if folder else Listing([], [])
    checked, portfolio = _load_all(targets, listing.files, stdin, jobs, ledgers, active, progress)
    statuses = _Statuses(portfolio)
    day = today or date.today()
    # A folder that cannot be listed (of those checked, or of the portfolio) is an IN1 of its
    # own, first: the checked files keep their order after it (the last is standard input).
    results = [
        ProposalResult(source.path, None, list(source.problems))
        for source in unlisted_sources([*unlisted, *listing.unlisted])
    ]
    results.extend(_finish(item, ledgers, statuses, portfolio, active, day) for item in checked)
    used = Counter(ledgers.used).most_common(1)
    notes = [f"no proposals found in {name}" for name in empty]
    return CheckResult(used[0][0] if used else None, results, strict, notes)


# ---------------------------------------------------------------------------
# which rules


def active_rules(select: Sequence[str], ignore: Sequence[str]) -> frozenset[str]:
    """The codes of the proposal rules to run: `select` (default all) less `ignore`."""
    chosen = {_code(name, "--select") for name in select} or {r.code for r in PROPOSAL_RULES}
    for name in ignore:
        code = _code(name, "--ignore")
        if code in _ALWAYS:
            raise LotiError(
                f"--ignore {name}: {code} cannot be ignored; a file that is not a valid "
                "proposal is always reported"
            )
        chosen.discard(code)
    return frozenset(chosen | _ALWAYS)


def _code(name: str, option: str) -> str:
    rule = find_rule(name)
    if rule is None:
        names = [n for r in PROPOSAL_RULES for n in (r.code, r.name)]
        raise LotiError(
            f"{option} {name}: no such rule{did_you_mean(name, names)} (loti rules lists them)"
        )
    if rule.subject != "proposal":
        raise LotiError(
            f"{option} {name}: {rule.kind}; loti proposal check cannot select or ignore it"
        )
    return rule.code


# ---------------------------------------------------------------------------
# which files


Target = tuple[str, Path] | None
"""A file to check, as (real path, path as named); None stands for standard input."""


def expand(paths: Sequence[str]) -> tuple[list[Target], list[str], list[Unlisted]]:
    """The files to check, in order, each once (however it was named), the folders that
    hold none, and those that cannot be listed; only when there is nothing at all to check
    is that an error."""
    found: list[Target] = []
    empty: list[str] = []
    unlisted: list[Unlisted] = []
    seen: set[str | None] = set()
    for name in paths:
        if name == "-":
            files: list[Path | None] = [None]
        else:
            path = Path(name)
            if path.is_dir():
                listing = scan_proposals(path)
                files = list(listing.files)
                unlisted.extend(listing.unlisted)
                if not files and not listing.unlisted:
                    empty.append(name)
            elif (problem := missing(path, "file or folder")) is None:
                files = [path]
            else:
                raise LotiError(f"{name}: {problem}")
        for file in files:
            target = (os.path.realpath(file), file) if file is not None else None
            key = target[0] if target is not None else None
            if key not in seen:
                seen.add(key)
                found.append(target)
    if not found and not unlisted and empty:
        raise LotiError(f"no proposals found in {', '.join(empty)} (no *.yaml or *.yml files)")
    return found, empty, unlisted


@dataclass(slots=True)
class _Loaded:
    """A file after its first stage: its source (model slimmed) and the findings so far."""

    source: Source[Proposal]
    findings: list[Finding]


def _load_all(
    targets: list[Target],
    folder: list[Path],
    stdin: TextIO | None,
    jobs: int | None,
    ledgers: _Ledgers,
    active: frozenset[str],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[_Loaded], Portfolio]:
    """Load every checked and portfolio file once; the portfolio is the folder, then the rest.

    Each checked file is judged by the rules that read it alone while its full model and
    positions are at hand; what is kept for the rules that look across the portfolio is
    the slim model, so a large folder stays small in memory.
    """
    order: dict[str, Path] = {}
    for path in folder:
        order.setdefault(os.path.realpath(path), path)
    for target in targets:
        if target is not None:
            order.setdefault(*target)
    wanted = {target[0] for target in targets if target is not None}
    files = load_files(order, wanted, ledgers, active, jobs)
    loaded: dict[str, _Loaded] = {}
    for done, (real, item) in enumerate(zip(order, files, strict=True), start=1):
        loaded[real] = item
        if progress is not None:
            progress(done, len(order))
    stdin_item: list[_Loaded] = []
    if None in targets:
        source = load_proposal_stream(stdin if stdin is not None else sys.stdin, STDIN)
        stdin_item.append(_first_stage(source, ledgers, active))
    checked = [loaded[t[0]] if t is not None else stdin_item[0] for t in targets]
    sources = [item.source for item in loaded.values()]
    if stdin_item:
        # A proposal piped in (from an editor, say) is a new version of the folder's file
        # with its id: it takes that file's place rather than clash with it (ID1) or count
        # twice in the budget (BU2, BU3).
        piped = stdin_item[0].source
        sources = [
            item.source
            for real, item in loaded.items()
            if real in wanted or not same_id(item.source, piped)
        ]
        sources.append(piped)
    return checked, Portfolio.of(sources)


def same_id(one: Source[Proposal], other: Source[Proposal]) -> bool:
    """Whether two loaded proposals have the same id (compared as ID1 compares them)."""
    a, b = one.model, other.model
    return bool(a and b and a.id and b.id and id_key(a.id) == id_key(b.id))


def load_files(
    files: dict[str, Path],
    checked: set[str],
    ledgers: _Ledgers,
    active: frozenset[str],
    jobs: int | None = None,
) -> Iterator[_Loaded]:
    """Load files (real path -> path as named) and judge the `checked` ones alone, in
    several processes when there are many; one by one, in order, as they are ready."""
    cwd = os.path.realpath(Path.cwd()).rstrip(os.sep) + os.sep
    # As resolve.display_path shows them, without resolving each path again.
    items = [
        (str(path), real[len(cwd) :] if real.startswith(cwd) else str(path), real in checked)
        for real, path in files.items()
    ]
    workers = count(jobs, len(items), automatic_from=PARALLEL_FROM)
    if workers <= 1:
        yield from (_load_item(item, ledgers, active) for item in items)
        return
    # fork starts workers fastest and needs no import guard in __main__; elsewhere the default.
    method = "fork" if sys.platform == "linux" else None
    chunk = max(1, len(items) // (workers * 4))
    done = 0
    try:
        with pool(workers, _start_worker, (ledgers.given_path, active), method=method) as executor:
            for packed in executor.map(_work, items, chunksize=chunk):
                yield _unpack(packed)
                done += 1
            return
    except (OSError, BrokenProcessPool):  # no processes to be had here: do the rest alone
        pass
    yield from (_load_item(item, ledgers, active) for item in items[done:])


def _load_item(item: tuple[str, str, bool], ledgers: _Ledgers, active: frozenset[str]) -> _Loaded:
    path, display, checked = item
    source = load_proposal(Path(path), display)
    loaded = _first_stage(source, ledgers, active) if checked else _Loaded(source, [])
    if _clean(source) and source.document is not None:
        values, keys = _across_positions(source.document)
        source.document = _RereadDocument(path, values, keys)
    source.model = _slim(source.model)
    return loaded


def _clean(source: Source[Proposal]) -> bool:
    """A file that loaded without a problem: its positions can be read again when needed."""
    return source.document is not None and not source.problems and not source._origins


_LONG = ("summary", "outcome", "boroughs", "replicability", "outputs", "sustainability")
"""What no rule across the portfolio and no report reads once a file has been judged."""


def _slim(proposal: Proposal | None) -> Proposal | None:
    if proposal is None:
        return None
    return proposal.model_copy(update=dict.fromkeys(_LONG))


# A worker judges its files alone and sends back plain data: the slim model, the findings
# so far, and positions only for files that had problems (the others are read again if a
# later finding needs a line). The positions of list items dropped by validation are keyed
# by object identity, which pickling does not keep, so they travel by location.
_Positions = dict[Loc, tuple[int, int]]
_Packed = tuple[
    bool,
    str,
    str,
    Proposal | None,
    list[Finding],
    list[Finding],
    list[tuple[Loc, list[int]]],
    Any,
    _Positions,
    _Positions,
]
_WORKER: dict[str, Any] = {}


def _start_worker(given: Path | None, active: frozenset[str]) -> None:
    _WORKER["ledgers"] = _Ledgers(given)
    _WORKER["active"] = active


def _work(item: tuple[str, str, bool]) -> _Packed | LotiError:
    try:
        loaded = _load_item(item, _WORKER["ledgers"], _WORKER["active"])
    except LotiError as error:  # a broken ledger: the parent stops the run with it
        return error
    source = loaded.source
    document = source.document
    values: _Positions = {}
    keys: _Positions = {}
    if document is not None:
        values = {loc: (m.line, m.column) for loc, m in document.values.items()}
        keys = {loc: (m.line, m.column) for loc, m in document.keys.items()}
    return (
        isinstance(document, _RereadDocument),
        item[0],
        source.path,
        source.model,
        source.problems,
        loaded.findings,
        _origins_by_loc(source),
        source._pruned,
        values,
        keys,
    )


def _unpack(packed: _Packed | LotiError) -> _Loaded:
    if isinstance(packed, LotiError):
        raise packed
    reread, real, path, model, problems, findings, origins, pruned, values, keys = packed
    document: yamlio.Document | None = None
    if reread:
        document = _RereadDocument(real, _marks(values), _marks(keys))
    elif values:
        document = _LazyDocument(values, keys)
    source: Source[Proposal] = Source(path, model, document, problems)
    if origins:
        source._pruned = pruned
        source._origins = {id(_node_at(pruned, loc)): kept for loc, kept in origins}
    return _Loaded(source, findings)


def _origins_by_loc(source: Source[Proposal]) -> list[tuple[Loc, list[int]]]:
    if not source._origins:
        return []
    found: list[tuple[Loc, list[int]]] = []
    stack: list[tuple[Loc, Any]] = [((), source._pruned)]
    while stack:
        loc, node = stack.pop()
        if isinstance(node, list):
            if id(node) in source._origins:
                found.append((loc, source._origins[id(node)]))
            stack.extend(((*loc, index), item) for index, item in enumerate(node))
        elif isinstance(node, dict):
            stack.extend(((*loc, key), value) for key, value in node.items())
    return found


def _node_at(data: Any, loc: Loc) -> Any:
    for part in loc:
        data = data[part]
    return data


class _LazyDocument(yamlio.Document):
    """A document's positions as plain pairs, made into marks only when a finding needs one."""

    __slots__ = ("_packed",)

    def __init__(self, values: _Positions, keys: _Positions) -> None:
        super().__init__({}, {}, {}, [])
        self._packed: tuple[_Positions, _Positions] | None = (values, keys)

    def locate(self, loc: Loc, *, key: bool = False) -> yamlio.Mark:
        if self._packed is not None:
            values, keys = self._packed
            self.values = {at: yamlio.Mark(*mark) for at, mark in values.items()}
            self.keys = {at: yamlio.Mark(*mark) for at, mark in keys.items()}
            self._packed = None
        return super().locate(loc, key=key)


def _across_positions(
    document: yamlio.Document,
) -> tuple[dict[Loc, yamlio.Mark], dict[Loc, yamlio.Mark]]:
    """The positions BU2, BU3, ID1 and the waivers point at; the rest can be read again."""

    def kept(loc: Loc) -> bool:
        return loc[:1] in _ACROSS_KEYS or loc[:2] == ("budget", "requested") or len(loc) < 1

    return (
        {loc: mark for loc, mark in document.values.items() if kept(loc)},
        {loc: mark for loc, mark in document.keys.items() if kept(loc)},
    )


_ACROSS_KEYS = {("id",), ("pillar",), ("budget",), ("waivers",)}


def _marks(positions: _Positions) -> dict[Loc, yamlio.Mark]:
    return {loc: yamlio.Mark(*mark) for loc, mark in positions.items()}


class _RereadDocument(yamlio.Document):
    """The positions of a file that loaded cleanly, read again only if a finding needs one.

    Most files of a large portfolio have no finding, so holding every file's
    positions for the whole run would cost memory for nothing.
    """

    __slots__ = ("_path", "_read")

    def __init__(
        self, path: str, values: dict[Loc, yamlio.Mark], keys: dict[Loc, yamlio.Mark]
    ) -> None:
        super().__init__({}, values, keys, [])
        self._path = path
        self._read = False

    def locate(self, loc: Loc, *, key: bool = False) -> yamlio.Mark:
        # The places the rules across the portfolio point at are kept (see
        # _across_positions), so those rules never read a file again.
        known = self.keys if key else self.values
        if loc in known:
            return known[loc]
        if not self._read:
            self._read = True
            try:
                document = yamlio.load(Path(self._path))
            except yamlio.YamlError:  # changed since it was checked: place at the top
                document = yamlio.Document({})
            self.values, self.keys = document.values, document.keys
        return super().locate(loc, key=key)


# ---------------------------------------------------------------------------
# which ledger


@dataclass(frozen=True, slots=True)
class Year:
    """A ledger with what the rules read of it, prepared once per run."""

    display: str
    ledger: Ledger
    members: Membership


class _Ledgers:
    """Finds, loads and caches the ledger of each financial year (or the one given)."""

    def __init__(self, given: Path | None) -> None:
        self.given_path = given
        self.by_path: dict[str, Year] = {}
        self.by_year: dict[str, Year | None] = {}
        self.given = self.load(choose_ledger(given).path) if given is not None else None
        self.used: list[str] = []

    def of(self, proposal: Proposal) -> tuple[Year | None, Hit | None]:
        """The ledger a proposal is checked against, or the IN2 problem that there is none."""
        year = proposal.financial_year
        problem = None
        if self.given is not None:
            found: Year | None = self.given
            if year is not None and self.given.ledger.financial_year != year:
                problem = Hit(
                    f"financial_year is {year} but the ledger {self.given.display} is for "
                    f"{self.given.ledger.financial_year}; check it against ledgers/{year}.yaml "
                    "or correct the year",
                    ("financial_year",),
                )
        elif year is None:
            return None, None
        else:
            if year not in self.by_year:
                path = self.find(year)
                self.by_year[year] = self.load(path) if path is not None else None
            found = self.by_year[year]
            if found is None:
                problem = Hit(f"no ledger for {year}; add ledgers/{year}.yaml", ("financial_year",))
        return found, problem

    def find(self, year: str) -> Path | None:
        """LOTI_LEDGER's folder (or that file, whatever its name), ./ledgers, then bundled."""
        folders = [Path.cwd() / "ledgers", bundled_ledgers()]
        if os.environ.get(LEDGER_ENV):
            named = choose_ledger().path  # raises when LOTI_LEDGER names no file
            if not YEAR_FILE.match(named.name) and self.load(named).ledger.financial_year == year:
                return named
            folders.insert(0, named.parent)
        for folder in folders:
            path = year_files(folder).get(year)
            if path is not None:
                return path
        return None

    def load(self, path: Path) -> Year:
        """Load a ledger once; raise if it is broken."""
        key = os.path.realpath(path)
        if key not in self.by_path:
            source = load_ledger(path, display_path(path))
            if source.problems or source.model is None:
                raise LotiError(
                    f"the ledger {source.path} cannot be loaded: {len(source.problems)} "
                    f"problem(s); run loti budget status --ledger {source.path}",
                    details=tuple(str(problem) for problem in source.problems),
                )
            ledger = source.model
            self.by_path[key] = Year(source.path, ledger, Membership.of(ledger))
        return self.by_path[key]


class _Statuses:
    """Each ledger's budget, computed once with the portfolio's proposals."""

    def __init__(self, portfolio: Portfolio) -> None:
        self.proposals = portfolio.proposals
        self.computed: dict[int, BudgetStatus] = {}

    def of(self, year: Year) -> BudgetStatus:
        key = id(year.ledger)
        if key not in self.computed:
            self.computed[key] = compute_status(year.ledger, self.proposals)
        return self.computed[key]


# ---------------------------------------------------------------------------
# one proposal, in two stages


def _first_stage(source: Source[Proposal], ledgers: _Ledgers, active: frozenset[str]) -> _Loaded:
    """The loading problems and the findings of the rules that judge a file alone."""
    findings = list(source.problems)
    proposal = source.model
    if proposal is not None:
        year, problem = ledgers.of(proposal)
        if problem is not None:
            findings.append(source.place(IN2.code, IN2.name, IN2.severity, problem))
        context = ProposalContext(
            proposal,
            source,
            year.ledger if year else None,
            None,
            Portfolio(),
            year.members if year else None,
        )
        findings.extend(_run(context, active, across=False))
    return _Loaded(source, findings)


def _finish(
    item: _Loaded,
    ledgers: _Ledgers,
    statuses: _Statuses,
    portfolio: Portfolio,
    active: frozenset[str],
    today: date,
) -> ProposalResult:
    """The rules that look across the portfolio, then the waivers."""
    source, findings = item.source, list(item.findings)
    proposal = source.model
    if proposal is None:
        return ProposalResult(source.path, None, sorted(findings, key=sort_key))
    year, _ = ledgers.of(proposal)
    if year is not None:
        ledgers.used.append(year.display)
    context = ProposalContext(
        proposal,
        source,
        year.ledger if year else None,
        statuses.of(year) if year else None,
        portfolio,
        year.members if year else None,
    )
    findings.extend(_run(context, active, across=True))
    findings, unused = apply_waivers(proposal, findings, ran=active, today=today)
    if WV1.code in active:
        findings.extend(source.place(WV1.code, WV1.name, WV1.severity, hit) for hit in unused)
    return ProposalResult(source.path, proposal, sorted(findings, key=sort_key))


def _run(context: ProposalContext, active: frozenset[str], *, across: bool) -> list[Finding]:
    source = context.source
    return [
        source.place(rule.code, rule.name, rule.severity, hit)
        for rule in PROPOSAL_RULES
        if rule.check is not None and rule.code in active and rule.across is across
        for hit in rule.check(context)
    ]
