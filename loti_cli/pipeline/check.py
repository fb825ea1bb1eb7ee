"""The proposal check: each file judged alone, then across the portfolio, then its waivers.

`check` is the pure core, a function of analyses already in memory (`analyse_text` makes
one from text); `check_paths` is the wrapper that reads files and folders.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TextIO, cast

from loti_cli.core.actuals import spent_by_proposal
from loti_cli.core.budget import BudgetStatus, compute_status
from loti_cli.core.entry import Entry
from loti_cli.core.findings import Finding, Severity, sort_key
from loti_cli.core.money import ZERO, Money
from loti_cli.core.suggest import did_you_mean
from loti_cli.errors import LotiError
from loti_cli.io.load import load_proposal_stream, unlisted_sources
from loti_cli.io.memo import Memo
from loti_cli.io.resolve import Listing, Unlisted, missing, scan_proposals
from loti_cli.pipeline.analyse import Analysis, analyse
from loti_cli.pipeline.check_memo import decode, encode, open_memo
from loti_cli.pipeline.ledgers import LedgerBook, Year
from loti_cli.pipeline.workspace import Workspace
from loti_cli.rules import ACROSS_RULES, PROPOSAL_RULES, find_rule
from loti_cli.rules.context import AcrossContext, Portfolio, same_id
from loti_cli.rules.wv1_waivers import RULE as WV1
from loti_cli.rules.wv1_waivers import apply_waivers

STDIN = "<stdin>"
"""How a proposal read from standard input is shown."""

_ALWAYS = frozenset(("IN1", "IN2"))
"""Loading problems: a file that is not a valid proposal is always reported."""


@dataclass(slots=True)
class ProposalResult:
    """One proposal file and its findings (an unreadable file has `proposal` None and an IN1).

    `proposal` is what the reports show of it: its Entry, not the whole model.
    """

    path: str
    proposal: Entry | None
    findings: tuple[Finding, ...] = ()
    """Sorted; a tuple, so that the many files with none share one empty tuple."""

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
    no_cache: bool = True,
    workspace: Workspace | None = None,
    closing: bool = False,
    memo: bool = False,
) -> CheckResult:
    """Check proposal files and folders ("-" is standard input) against their years' ledgers.

    `proposals` is the portfolio folder (default: proposals/ here, when it exists) whose
    proposals count for BU2, BU3 and ID1 with the checked ones. Problems in the files are
    findings; a path that does not exist, an unknown rule or a ledger that cannot be loaded
    raise LotiError. `progress(done, total)` is told each time a file has been read. The
    cache is used when `no_cache` is False (as the commands ask) or `workspace` has one.
    `closing` adds the closure rules (CL1-CL3). With `memo` (and the cache), an unchanged
    run is answered whole from a memo (check_memo), whose results keep of each proposal
    only what the check's reports show.
    """
    active = active_rules(select, ignore, closing=closing)
    listings: dict[str, Listing] = {}
    targets, empty, unlisted = expand(paths, listings)
    ws = workspace or Workspace.open(
        ledger=ledger, proposals=proposals, no_cache=no_cache, jobs=jobs, listings=listings
    )
    day = today or date.today()
    named = [target for target in targets if target is not None]
    whole = len(named) == len(targets) and not unlisted  # no standard input, nothing unlisted
    run = open_memo(ws, named, active, closing=closing, today=day) if memo and whole else None
    result = _remembered(run, strict) if run is not None else None
    if result is None:
        if run is not None:
            ws.open_memo()  # the folder's files stat'ed before they are read, for a decision
        del named, listings  # a large portfolio's paths: not needed now
        result = _judged(targets, ws, stdin, progress, active=active, strict=strict, today=day)
        if run is not None and not ws.unlisted():
            run.save(encode(result.ledger, result.results))
            ws.keep_memo()
        # A folder that cannot be listed (of those checked, or of the portfolio) is an IN1 of
        # its own, first: the checked files keep their order after it (the last is stdin).
        result.results[:0] = [
            ProposalResult(source.path, None, tuple(source.problems))
            for source in unlisted_sources([*unlisted, *ws.unlisted()])
        ]
    result.notes.extend(f"no proposals found in {name}" for name in empty)
    return result


def _judged(
    targets: list[Target],
    ws: Workspace,
    stdin: TextIO | None,
    progress: Callable[[int, int], None] | None,
    *,
    active: frozenset[str],
    strict: bool,
    today: date,
) -> CheckResult:
    """The targets read (from the cache where it can) and checked among the portfolio."""
    named = [target for target in targets if target is not None]
    files = [path for _, path in named]
    loaded = iter(ws.load(files, progress, reals=[real for real, _ in named]))
    checked: list[tuple[str | None, Analysis]] = []
    for target in targets:
        if target is None:
            source = load_proposal_stream(stdin if stdin is not None else sys.stdin, STDIN)
            checked.append((None, analyse(source, ws.book)))
        else:
            checked.append((target[0], next(loaded)))
    del targets[:], named, files, loaded  # a large portfolio's paths: not needed now
    reals = ws.folder_paths()
    same = len(reals) == len(checked) and all(
        real == mine for real, (mine, _) in zip(reals, checked, strict=True)
    )  # the folder checked whole: one list for both (a large portfolio holds many)
    folder = cast("list[tuple[str, Analysis]]", checked) if same else None
    folder = folder or [(real, ws.read[real]) for real in reals]
    return check(checked, folder, ws.book, active=active, strict=strict, today=today)


def _remembered(memo: Memo, strict: bool) -> CheckResult | None:
    """The result a memo holds for this very run, or None."""
    found = decode(memo.load())
    if found is None:
        return None
    ledger, results = found
    return CheckResult(
        ledger,
        [ProposalResult(path, entry, tuple(found)) for path, entry, found in results],
        strict,
    )


def check(
    checked: Sequence[tuple[str | None, Analysis]],
    folder: Sequence[tuple[str, Analysis]],
    book: LedgerBook,
    *,
    active: frozenset[str] | None = None,
    strict: bool = False,
    today: date | None = None,
) -> CheckResult:
    """The findings of the checked analyses among the portfolio; pure.

    Each analysis comes with its file's real path (None for text that is no file, such as
    standard input). The portfolio is the folder's files, then the checked files that are
    not among them. A checked proposal that is no file (piped in from an editor, say) is a
    new version of the folder's file with its id: it takes that file's place rather than
    clash with it (ID1) or count twice in the budget (BU2, BU3).
    """
    rules = active if active is not None else active_rules((), ())
    entries = join(checked, folder)
    portfolio = Portfolio.of(entries)
    statuses: dict[int, BudgetStatus] = {}
    day = today or date.today()
    results = []
    for _, analysis in checked:
        results.append(_finish(analysis, book, statuses, portfolio, rules, day))
    used = Counter(book.used).most_common(1)
    return CheckResult(used[0][0] if used else None, results, strict)


def join(
    checked: Sequence[tuple[str | None, Analysis]], folder: Sequence[tuple[str, Analysis]]
) -> list[Entry]:
    """The portfolio's entries: the folder's, then the checked files' not among them, each
    file once; a checked text that is no file replaces the folder's file of its id."""
    order: dict[str, Analysis] = dict(folder)
    named = {real for real, _ in checked if real is not None}
    for real, analysis in checked:
        if real is not None:
            order.setdefault(real, analysis)
    entries = [a.entry for a in order.values() if a.entry is not None]
    for real, analysis in checked:
        piped = analysis.entry
        if real is not None or piped is None:
            continue
        replaced = {
            id(a.entry)
            for real_path, a in order.items()
            if real_path not in named and a.entry is not None and same_id(a.entry, piped)
        }
        entries = [entry for entry in entries if id(entry) not in replaced]
        entries.append(piped)
    return entries


# ---------------------------------------------------------------------------
# which rules


def active_rules(
    select: Sequence[str], ignore: Sequence[str], *, closing: bool = False
) -> frozenset[str]:
    """The codes of the proposal rules to run: `select` (default all; the closure rules only
    when `closing`) less `ignore`."""
    chosen = {_code(name, "--select", closing) for name in select} or {
        r.code for r in PROPOSAL_RULES if closing or not r.closing
    }
    for name in ignore:
        code = _code(name, "--ignore", closing=True)
        if code in _ALWAYS:
            raise LotiError(
                f"--ignore {name}: {code} cannot be ignored; a file that is not a valid "
                "proposal is always reported"
            )
        chosen.discard(code)
    return frozenset(chosen | _ALWAYS)


def _code(name: str, option: str, closing: bool) -> str:
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
    if rule.closing and not closing:
        raise LotiError(
            f"{option} {name}: {rule.code} ({rule.name}) is a closure rule, which loti proposal "
            "close reports; add --closing to check it"
        )
    return rule.code


# ---------------------------------------------------------------------------
# which files


Target = tuple[str, str] | None
"""A file to check, as (real path, path as named); None stands for standard input."""


def expand(
    paths: Sequence[str], listings: dict[str, Listing] | None = None
) -> tuple[list[Target], list[str], list[Unlisted]]:
    """The files to check, in order, each once (however it was named), the folders that
    hold none, and those that cannot be listed; only when there is nothing at all to check
    is that an error."""
    found: list[Target] = []
    empty: list[str] = []
    unlisted: list[Unlisted] = []
    seen: set[str | None] = set()
    for name in paths:
        if name == "-":
            if None not in seen:
                seen.add(None)
                found.append(None)
            continue
        path = Path(name)
        if path.is_dir():
            listing = scan_proposals(path)
            if listings is not None:  # the workspace lists its folder once
                listings[os.path.realpath(path)] = listing
            named = list(zip(listing.reals, listing.files, strict=True))
            unlisted.extend(listing.unlisted)
            if not named and not listing.unlisted:
                empty.append(name)
        elif (problem := missing(path, "file or folder")) is None:
            named = [(os.path.realpath(path), str(path))]
        else:
            raise LotiError(f"{name}: {problem}")
        for target in named:
            if target[0] not in seen:
                seen.add(target[0])
                found.append(target)
    if not found and not unlisted and empty:
        raise LotiError(f"no proposals found in {', '.join(empty)} (no *.yaml or *.yml files)")
    return found, empty, unlisted


# ---------------------------------------------------------------------------
# one proposal, across the portfolio


def _finish(
    analysis: Analysis,
    book: LedgerBook,
    statuses: dict[int, BudgetStatus],
    portfolio: Portfolio,
    active: frozenset[str],
    today: date,
) -> ProposalResult:
    """The rules that look across the portfolio, then the waivers."""
    findings = [f for f in analysis.own if f.code in active]
    entry = analysis.entry
    if entry is None:
        return ProposalResult(analysis.path, None, tuple(sorted(findings, key=sort_key)))
    year, _ = book.of(entry.financial_year)
    if year is not None:
        book.used.append(year.display)
    context = AcrossContext(
        entry,
        year.ledger if year else None,
        _status(year, statuses, portfolio) if year else None,
        portfolio,
        today,
        _spent(entry, year, book) if year and "DL3" in active else None,
    )
    findings.extend(
        entry.place(rule.code, rule.name, rule.severity, hit)
        for rule in ACROSS_RULES
        if rule.check is not None and rule.code in active
        for hit in rule.check(context)
    )
    findings, unused = apply_waivers(entry.waivers, findings, ran=active, today=today)
    if WV1.code in active:
        findings.extend(entry.place(WV1.code, WV1.name, WV1.severity, hit) for hit in unused)
    return ProposalResult(analysis.path, entry, tuple(sorted(findings, key=sort_key)))


def _spent(entry: Entry, year: Year, book: LedgerBook) -> Money | None:
    """What the year's actuals record as spent on an approved proposal of the ledger's year
    (None: the year has no actuals file); an actuals file that is not valid stops the run."""
    if entry.status != "approved" or entry.id is None:
        return None
    if entry.financial_year != year.ledger.financial_year:
        return None
    actuals = book.trusted_actuals(year)
    if not actuals.exists:
        return None
    return spent_by_proposal(actuals.rows).get(entry.id, ZERO)


def _status(year: Year, statuses: dict[int, BudgetStatus], portfolio: Portfolio) -> BudgetStatus:
    """Each ledger's budget, computed once with the portfolio's proposals."""
    key = id(year.ledger)
    if key not in statuses:
        statuses[key] = compute_status(year.ledger, portfolio.entries)
    return statuses[key]
