"""Shell completion of rule codes, pillar names and ledger years, quoted for each shell."""

from __future__ import annotations

import io
import itertools
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from contextlib import redirect_stderr
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from pathlib import Path

    from loti_cli.commands.catalogue import Facts

Offer = list[tuple[str, str]]
"""What a completion offers: each word with its one-line summary."""


class Asked(Protocol):
    """What a completion reads of the command line: the values given so far, by parameter
    name (Typer's context, or the fast answer's own); Typer passes it by the name `ctx`."""

    @property
    def params(self) -> Mapping[str, Any]: ...


def rule_codes(incomplete: str) -> Offer:
    """Every rule's code and name (for `loti rules`) that starts with what has been typed."""
    return _words(_catalogue(), incomplete)


def rules_to_select(ctx: Asked, incomplete: str) -> Offer:
    """`proposal check --select`: the proposal rules, for the last of a comma-separated list;
    the closure rules (CL) only once `--closing` is on the line, as they run only with it."""
    rules = [rule for rule in _proposal_rules() if ctx.params.get("closing") or not rule.closing]
    return _rule_list(rules, incomplete, ctx.params.get("select"))


def rules_to_ignore(ctx: Asked, incomplete: str) -> Offer:
    """`proposal check --ignore`: as --select, less the loading rules, which always run."""
    rules = [rule for rule in _proposal_rules() if rule.code not in ("IN1", "IN2")]
    return _rule_list(rules, incomplete, ctx.params.get("ignore"))


def rules_to_waive(ctx: Asked, incomplete: str) -> Offer:
    """`proposal decide --waive` (one rule each): the waivable proposal rules not yet waived."""
    waived = _codes(ctx.params.get("waive") or [])
    rules = [r for r in _proposal_rules() if r.waivable and r.code not in waived]
    return _words(rules, incomplete)


def _catalogue() -> Sequence[Facts]:
    """The rules' codes, names and summaries, read without importing the rules."""
    from loti_cli.commands import catalogue

    return catalogue.rules()


def _proposal_rules() -> list[Facts]:
    return [rule for rule in _catalogue() if rule.subject == "proposal"]


def _rule_list(rules: Iterable[Facts], incomplete: str, earlier: Sequence[str] | None) -> Offer:
    """The rules for the last item of `A,B,<incomplete>`, each offered with the items before
    it (the shell replaces the whole word); rules listed already, here or in an earlier
    use of the option, are left out."""
    before, _, last = incomplete.rpartition(",")
    prefix = f"{before}," if before else ""
    listed = _codes([before, *(earlier or [])])
    offer = _words([rule for rule in rules if rule.code not in listed], last)
    return [(prefix + word, summary) for word, summary in offer]


def _codes(lists: Iterable[str]) -> set[str]:
    """The codes of the rules named in comma-separated lists (unknown names are skipped)."""
    names = {word.casefold(): rule.code for rule in _catalogue() for word in (rule.code, rule.name)}
    found = (names.get(name.strip().casefold()) for text in lists for name in text.split(","))
    return {code for code in found if code is not None}


def _words(rules: Iterable[Facts], typed: str) -> Offer:
    return [
        (word, rule.summary)
        for rule in rules
        for word in (rule.code, rule.name)
        if word.startswith(typed)
    ]


def ledger_years(incomplete: str) -> list[str]:
    """Financial years that have a ledger here (ledgers/) or in the package."""
    from loti_cli.io.resolve import known_years

    with redirect_stderr(io.StringIO()):  # a warning would garble the shell's line
        years = known_years()
    return sorted(year for year in years if year.startswith(incomplete))


def pillar_names(incomplete: str) -> list[str]:
    """Pillars of the ledger a command would use, for `--pillar` (read as YAML, not
    validated), kept in `.loti_cache/` while the ledger is unchanged, so that a TAB after
    the first does not import the YAML reader."""
    from pathlib import Path

    from loti_cli.io import notes
    from loti_cli.io.resolve import choose_ledger

    try:
        with redirect_stderr(io.StringIO()):  # nor print on it
            path = choose_ledger().path
            here = Path.cwd()
            root = here if (here / "ledgers").is_dir() else None
            pillars = notes.noted(root, "pillars", path) if root is not None else None
            if not (isinstance(pillars, list) and all(isinstance(p, str) for p in pillars)):
                pillars = _pillars(path)
                if root is not None:
                    notes.note(root, "pillars", path, pillars)
    except Exception:  # completion must never break the shell
        return []
    return [p for p in pillars if p.casefold().startswith(incomplete.casefold())]


def _pillars(path: Path) -> list[str]:
    from loti_cli.io import yaml_read

    allocations = yaml_read.load(path).data.get("allocations")
    return [
        item["pillar"]
        for item in (allocations if isinstance(allocations, list) else ())
        if isinstance(item, dict) and isinstance(item.get("pillar"), str) and item["pillar"].strip()
    ]


def member_names(ctx: Asked, incomplete: str) -> list[str]:
    """Members of the year's ledger (--ledger, --year, else the default), for `loti report
    borough NAME`: read as YAML, not validated, and kept in `.loti_cache/` as the pillars
    are, while the ledger is unchanged."""
    from pathlib import Path

    from loti_cli.io import notes
    from loti_cli.io.resolve import choose_ledger

    ledger, year = ctx.params.get("ledger"), ctx.params.get("year")
    try:
        with redirect_stderr(io.StringIO()):  # nor print on it
            path = choose_ledger(Path(ledger) if ledger else None, year).path
            here = Path.cwd()
            root = here if (here / "ledgers").is_dir() else None
            names = notes.noted(root, "members", path) if root is not None else None
            if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
                names = _members(path)
                if root is not None:
                    notes.note(root, "members", path, names)
    except Exception:  # completion must never break the shell
        return []
    typed = incomplete.casefold()
    return [name for name in names if name.casefold().startswith(typed)]


def _members(path: Path) -> list[str]:
    from loti_cli.io import yaml_read

    members = yaml_read.load(path).data.get("members")
    return [
        item["name"]
        for item in (members if isinstance(members, list) else ())
        if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip()
    ]


def call_names(incomplete: str) -> list[str]:
    """Calls of the ledger a command would use, for `--call` (read as YAML, not validated)."""
    from loti_cli.io import yaml_read
    from loti_cli.io.resolve import choose_ledger

    try:
        with redirect_stderr(io.StringIO()):  # a warning would garble the shell's line
            calls = yaml_read.load(choose_ledger().path).data.get("calls")
    except Exception:  # completion must never break the shell
        return []
    names = [
        item["name"]
        for item in (calls if isinstance(calls, list) else ())
        if isinstance(item, dict) and isinstance(item.get("name"), str) and item["name"].strip()
    ]
    return [name for name in names if name.casefold().startswith(incomplete.casefold())]


def period_months(incomplete: str) -> list[str]:
    """`budget monitor --period`: the months of the ledger's year, April to March (YYYY-MM)."""
    import re

    from loti_cli.io import yaml_read
    from loti_cli.io.resolve import choose_ledger

    try:
        with redirect_stderr(io.StringIO()):
            year = yaml_read.load(choose_ledger().path).data.get("financial_year")
    except Exception:  # completion must never break the shell
        return []
    if not isinstance(year, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}", year):
        return []
    start = int(year[:4])
    months = [f"{start}-{month:02d}" for month in range(4, 13)]
    months += [f"{start + 1}-{month:02d}" for month in range(1, 4)]
    return [month for month in months if month.startswith(incomplete)]


# ---------------------------------------------------------------------------
# what the shells are given


_BASH_PLAIN = re.compile(r"[\w@%+=:,./-]")
"""Characters bash takes as they are within a word (others are escaped with a backslash)."""


def bash_word(value: str) -> str:
    """`value` as bash must be given it: bash inserts a completion exactly as given, so
    `Covid Recovery` must come as `Covid\\ Recovery` to stay one word."""
    return "".join(c if _BASH_PLAIN.fullmatch(c) else f"\\{c}" for c in value)


def powershell_word(value: str) -> str:
    """`value` as PowerShell must be given it: in single quotes unless it is plain (a comma
    is PowerShell's array operator, so a list of codes is quoted)."""
    if re.fullmatch(r"[\w.:/+-]+", value) and not value.startswith("-"):
        return value
    return "'" + value.replace("'", "''") + "'"


_PLAIN = re.compile(r"[ !#-Z\\^-~]*")
"""Printable ASCII but `[` and `]` (rich's markup) and `"`: with no emoji code (below), text
that rich shows as it is, only wrapped to the console's width."""
_EMOJI = re.compile(r":\S*?:")
"""What each of rich's emoji codes (`:smile:`) matches: a colon alone is shown as it is."""
_WORD = re.compile(r"\s*\S+\s*")
_UNTOLD = ("TTY_COMPATIBLE", "TTY_INTERACTIVE", "JUPYTER_COLUMNS", "FORCE_COLOR", "PY_COLORS")
"""Settings under which rich's console may choose another width: rich renders then."""


def help_text(text: str) -> str:
    """A summary as zsh and fish show it: what Typer's `rich_render_text` makes of it (rich
    markup removed, lines wrapped to the console's width), without importing Typer's help
    renderer (markdown, tables, tracebacks), which costs three times the rest of a
    completion request. Plain text is wrapped here as rich wraps it; anything else is
    rendered by rich, from a console built as Typer builds its own."""
    width = _console_width()
    if width is not None and _PLAIN.fullmatch(text) and not _EMOJI.search(text):
        return _wrapped(text, width)
    from rich.console import Console

    given = os.getenv("TERMINAL_WIDTH")
    force = bool(os.getenv("GITHUB_ACTIONS") or os.getenv("FORCE_COLOR") or os.getenv("PY_COLORS"))
    console = Console(
        width=int(given) if given else None,
        force_terminal=False if os.getenv("_TYPER_FORCE_DISABLE_TERMINAL") else (force or None),
    )
    return "".join(segment.text for segment in console.render(text)).rstrip("\n")


def _console_width() -> int | None:
    """The width rich's console takes here (Typer's TERMINAL_WIDTH, else the terminal's or
    COLUMNS, else 80), or None where rich might take another (a dumb terminal, forced
    colour, Windows): rich is asked then."""
    given = os.getenv("TERMINAL_WIDTH")
    if given:
        return int(given) if given.isdigit() and int(given) > 0 else None
    term = os.getenv("TERM", "").lower()
    if os.name == "nt" or term in ("dumb", "unknown") or any(map(os.getenv, _UNTOLD)):
        return None
    if os.getenv("GITHUB_ACTIONS") or os.getenv("_TYPER_FORCE_DISABLE_TERMINAL"):
        return None
    width = 0
    for descriptor in (0, 1, 2):
        try:
            width = os.get_terminal_size(descriptor).columns
        except (OSError, ValueError):
            continue
        break
    columns = os.getenv("COLUMNS", "")
    return (int(columns) if columns.isdigit() else width) or 80


def _wrapped(text: str, width: int) -> str:
    """Plain ASCII text wrapped as rich's `Text.wrap` wraps it: at spaces, a word longer
    than the width folded, each line's spaces past the width dropped."""
    breaks: list[int] = []
    offset = 0
    for match in _WORD.finditer(text):
        start, word = match.start(), match[0]
        length = len(word.rstrip())
        if width - offset >= length:
            offset += len(word)
        elif length > width:
            chunks = [word[i : i + width] for i in range(0, len(word), width)]
            for chunk in chunks[:-1]:
                if start:
                    breaks.append(start)
                start += len(chunk)
            if start:
                breaks.append(start)
            offset = len(chunks[-1])
        elif offset and start:
            breaks.append(start)
            offset = len(word)
    edges = [0, *breaks, len(text)]
    lines = (text[a:b] for a, b in itertools.pairwise(edges))
    return "\n".join(_fitted(line, width) for line in lines)


def _fitted(line: str, width: int) -> str:
    excess = len(line) - width
    if excess > 0:
        spaces = len(line) - len(line.rstrip())
        line = line[: len(line) - min(spaces, excess)]
    return line[:width]
