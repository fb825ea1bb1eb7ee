"""A call's scores file (`proposal,scorer,criterion,score,comment`): every bad cell an SC1
finding at its line and column, all in one read; a file that cannot be read stops the run."""

from __future__ import annotations

import io
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from loti_cli.core.boroughs import normalise, roster
from loti_cli.core.findings import Finding, Severity
from loti_cli.core.suggest import did_you_mean, one_of
from loti_cli.errors import LotiError
from loti_cli.io.csv_cells import CsvError, CsvRow, read_rows
from loti_cli.rules.context import id_key

COLUMNS = ("proposal", "scorer", "criterion", "score", "comment")
HEADER = ",".join(COLUMNS)
CODE, NAME = "SC1", "invalid-score"
_SCORE = re.compile(r"[0-9]+")
LOWEST, HIGHEST = 0, 5


@dataclass(frozen=True, slots=True)
class Score:
    """One scorer's score of one bid on one criterion, and the line it is on."""

    proposal: str
    scorer: str
    """The scorer's GSS code (any spelling of a borough is one scorer)."""
    criterion: str
    score: int
    line: int
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Expected:
    """What the cells may name: the call's bids, the ledger's criteria and member boroughs."""

    call: str
    year: str
    bids: Collection[str]
    criteria: Collection[str]
    members: Mapping[str, str]
    """GSS code -> name of each member borough of the year."""
    partners: Collection[str] = ()
    """The names of the year's partner members (not boroughs, so not scorers)."""
    criterion_names: Mapping[str, str] = field(default_factory=dict)
    """Criterion id -> name, to tell a scorer who wrote a criterion's name its id."""


@dataclass(slots=True)
class ScoreSheet:
    """The scores that count, the SC1 findings, and who scored (GSS code -> name)."""

    path: str
    scores: list[Score] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    scorers: dict[str, str] = field(default_factory=dict)
    """The panel: every borough with a score in the file, in the order they first appear."""


def read_scores(path: Path, shown: str, expected: Expected) -> ScoreSheet:
    """Read and check the scores file; LotiError (exit 2) when it cannot be read at all: no
    such file, not UTF-8, empty, or a header that is not the contract's."""
    from loti_cli.io import files
    from loti_cli.io.resolve import missing
    from loti_cli.io.yaml_read import YamlError

    problem = missing(path, "scores file")
    if problem is not None:
        raise LotiError(f"--scores {shown}: {problem}")
    try:
        text = files.decode(files.read_bytes(path))
    except YamlError as error:
        mark = error.problem.mark
        where = f"{shown}:{mark.line}:{mark.column}" if mark else f"--scores {shown}"
        hint = (
            " (a spreadsheet may offer it as CSV UTF-8)" if "UTF-8" in error.problem.message else ""
        )
        raise LotiError(f"{where}: the scores file {error.problem.message}{hint}") from None
    return _Reading(shown, expected).sheet(text)


class _Reading:
    """One read of a scores file, collecting every problem it finds."""

    def __init__(self, shown: str, expected: Expected) -> None:
        self.shown = shown
        self.expected = expected
        self.result = ScoreSheet(shown)
        self.seen: dict[tuple[str, str, str], int] = {}
        self.bids = {id_key(bid): bid for bid in expected.bids}

    def problem(self, message: str, row: CsvRow, index: int = 0) -> None:
        line, column = row.position(index)
        self.result.findings.append(
            Finding(CODE, NAME, Severity.ERROR, message, self.shown, line, column)
        )

    def sheet(self, text: str) -> ScoreSheet:
        rows = read_rows(io.StringIO(text, newline=""))
        try:
            header = next(rows, None)
            _check_header(header, self.shown)
            for row in rows:
                if not row.blank:
                    self.row(row)
        except CsvError as error:
            self.result.findings.append(
                Finding(CODE, NAME, Severity.ERROR, error.message, self.shown, error.line, 1)
            )
        return self.result

    def row(self, row: CsvRow) -> None:
        values = row.values
        if len(values) not in (len(COLUMNS) - 1, len(COLUMNS)):
            quote = "; a comment with a comma in it goes in double quotes"
            self.problem(
                f"has {len(values)} cells; each row has {len(COLUMNS)}: {HEADER} "
                f"(the comment may be left out{quote if len(values) > len(COLUMNS) else ''})",
                row,
                min(len(values), len(COLUMNS)),
            )
            return
        before = len(self.result.findings)
        proposal = self.proposal(_live(values[0].strip()), row)
        scorer = self.scorer(values[1].strip(), row)
        criterion = self.criterion(_live(values[2].strip()), row)
        if not values[3].strip():  # left blank, as on the score sheet: not scored
            return
        score = self.score(values[3].strip(), row)
        if len(self.result.findings) > before:
            return
        assert proposal is not None and scorer is not None and criterion is not None
        assert score is not None
        key = (id_key(proposal), scorer, criterion)
        if key in self.seen:
            name = self.expected.members[scorer]
            self.problem(
                f"{name} already scored {proposal} on {criterion} on line {self.seen[key]}; "
                "keep one of the two rows",
                row,
            )
            return
        self.seen[key] = row.line
        self.result.scorers.setdefault(scorer, self.expected.members[scorer])
        comment = values[4] if len(values) == len(COLUMNS) else ""
        self.result.scores.append(Score(proposal, scorer, criterion, score, row.line, comment))

    def proposal(self, text: str, row: CsvRow) -> str | None:
        found = self.bids.get(id_key(text))
        if found is not None:
            return found
        bids = sorted(self.expected.bids)
        what = f"proposal {text!r}" if text else "the proposal is empty;"
        self.problem(
            f"{what} is not a bid in {self.expected.call} ({one_of(bids) or 'it has none'})"
            f"{did_you_mean(text, bids)}"
            if text
            else f"{what} write the id of a bid in {self.expected.call}",
            row,
            0,
        )
        return None

    def scorer(self, text: str, row: CsvRow) -> str | None:
        borough = roster().lookup(text) if text else None
        if borough is not None and borough.gss_code in self.expected.members:
            return borough.gss_code
        year = self.expected.year
        if not text:
            why = "the scorer is empty; write the member borough that scored"
        elif borough is not None:
            why = f"scorer {text!r} ({borough.name}) is not a LOTI member borough in {year}"
        elif normalise(text) in {normalise(name) for name in self.expected.partners}:
            why = f"scorer {text!r} is a partner, not a member borough; scorers are boroughs"
        else:
            suggestion = roster().suggest(text)
            hint = f"; did you mean '{suggestion}'?" if suggestion else ""
            why = f"scorer {text!r} is not a London borough{hint}"
        self.problem(why, row, 1)
        return None

    def criterion(self, text: str, row: CsvRow) -> str | None:
        criteria = list(self.expected.criteria)
        if text in criteria:
            return text
        folded = {c.casefold(): c for c in criteria}
        if text.casefold() in folded:
            return folded[text.casefold()]
        named = {n.strip().casefold(): c for c, n in self.expected.criterion_names.items()}
        by_name = named.get(text.casefold())
        hint = (
            f"; it is the name of criterion '{by_name}': write its id, {by_name}"
            if by_name is not None
            else did_you_mean(text, criteria)
        )
        self.problem(
            f"criterion {text!r} is not one of the ledger's criteria ({one_of(criteria)}){hint}",
            row,
            2,
        )
        return None

    def score(self, text: str, row: CsvRow) -> int | None:
        if _SCORE.fullmatch(text) and LOWEST <= int(text) <= HIGHEST:
            return int(text)
        self.problem(f"score {text!r} is not a whole number from {LOWEST} to {HIGHEST}", row, 3)
        return None


def _live(text: str) -> str:
    """A cell as written before a spreadsheet-safe `'` was put before its `=`, `+`, `-`, `@`
    (loti proposal scoresheet writes such ids so)."""
    return text[1:] if text[:1] == "'" and text[1:2] in ("=", "+", "-", "@") else text


def _check_header(header: CsvRow | None, shown: str) -> None:
    if header is None:
        raise LotiError(f"{shown}: the scores file is empty; its first line is the header {HEADER}")
    names = tuple(value.strip().casefold() for value in header.values)
    if names not in (COLUMNS, COLUMNS[:-1]):  # the comment column may be left out
        wrote = ",".join(header.values)
        other = next((d for d in (";", "\t") if len(wrote.split(d)) >= len(COLUMNS) - 1), None)
        hint = (
            f"; its cells are separated by {'tabs' if other == chr(9) else repr(other)}: save "
            "the sheet as CSV with commas (CSV UTF-8)"
            if other is not None and len(header.values) == 1
            else ""
        )
        raise LotiError(
            f"{shown}:{header.line}:1: the header is {wrote!r}; it must be {HEADER} "
            f"(one row per scorer, proposal and criterion; loti proposal scoresheet writes one){hint}"
        )
