"""The 33 London local authorities (32 boroughs and the City of London) and name matching."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

__all__ = ["Borough", "Roster", "normalise", "roster"]

_DATA_FILE = "london-boroughs.csv"
_COLUMNS = ("gss_code", "lae_code", "org_id", "name", "official_name", "la_type")

# Words that may come before or after a borough's name without changing which borough it is.
# Stripped one at a time, shortest change first, only after the text as given failed to match,
# so "City of London Council" still reaches "city of london" rather than "london".
_PREFIXES = (
    "the",
    "london borough of",
    "royal borough of",
    "borough of",
    "lb of",
    "rb of",
    "lb",
    "rb",
)
_SUFFIXES = (
    "council",
    "london borough council",
    "borough council",
    "london borough",
    "borough",
    "lb",
    "rb",
)

# Short forms in common use, keyed by register (LAE) code. "City" on its own is left out: too
# ambiguous. Spellings are normalised before use, so "H&F" and "h and f" are the same entry.
_ALIASES: dict[str, tuple[str, ...]] = {
    "LND": ("City of London Corporation", "Corporation of London", "City of London"),
    "BDG": ("Barking", "LBBD"),
    "GRE": ("Royal Greenwich",),
    "HMF": ("LBHF", "H&F", "Hammersmith"),
    "KEC": ("RBKC", "K&C", "Kensington"),
    "KTT": ("Kingston",),
    "RIC": ("Richmond", "LBRuT"),
    "TWH": ("LBTH",),
    "WFT": ("LBWF",),
    "WSM": ("Westminster City",),
}

# Below this difflib ratio a suggestion would be a guess rather than a likely typo.
_SUGGEST_CUTOFF = 0.8

_DROPPED = frozenset("'’‘`´.")


@dataclass(frozen=True, slots=True)
class Borough:
    """One London local authority as listed in the packaged roster."""

    gss_code: str
    lae_code: str
    org_id: str
    name: str
    official_name: str
    la_type: str


def normalise(name: str) -> str:
    """The matching key for `name`: case-folded, `&` as `and`, punctuation and spacing evened out.

    Apostrophes and full stops vanish ("L.B." is "lb"); other punctuation and symbols
    (hyphens, commas, brackets, slashes) become spaces; runs of whitespace become one space.
    """
    text = unicodedata.normalize("NFKC", name).casefold()
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if char in _DROPPED or category == "Cf":
            continue
        if char == "&":
            out.append(" and ")
        elif category[0] in "PSZC":
            out.append(" ")
        else:
            out.append(char)
    return " ".join("".join(out).split())


def _variants(key: str) -> list[str]:
    """`key`, then the keys left by stripping accepted prefixes and suffixes, fewest first."""
    seen = [key]
    index = 0
    while index < len(seen):
        current = seen[index]
        index += 1
        for prefix in _PREFIXES:
            if current.startswith(prefix + " "):
                shorter = current[len(prefix) + 1 :]
                if shorter not in seen:
                    seen.append(shorter)
        for suffix in _SUFFIXES:
            if current.endswith(" " + suffix):
                shorter = current[: -len(suffix) - 1]
                if shorter not in seen:
                    seen.append(shorter)
    return seen


def _spellings(borough: Borough) -> list[str]:
    """Every name (not code) accepted for `borough`, before normalising."""
    names = [borough.name, borough.official_name, *_ALIASES.get(borough.lae_code, ())]
    # "Kensington Chelsea", "Hammersmith-Fulham": the `and` is often dropped.
    names += [name.replace(" and ", " ") for name in names if " and " in name]
    return names


class Roster:
    """The London local authorities, with lookup by any accepted spelling or code."""

    __slots__ = ("_by_code", "_by_name", "boroughs")

    boroughs: tuple[Borough, ...]
    _by_name: dict[str, Borough]
    _by_code: dict[str, Borough]

    def __init__(self, boroughs: Iterable[Borough]) -> None:
        self.boroughs = tuple(boroughs)
        self._by_name = {}
        self._by_code = {}
        for borough in self.boroughs:
            codes = (borough.gss_code, borough.lae_code, borough.org_id)
            for index, spellings in ((self._by_code, codes), (self._by_name, _spellings(borough))):
                for spelling in spellings:
                    key = normalise(spelling)
                    other = index.setdefault(key, borough)
                    if other != borough:
                        raise ValueError(
                            f"{spelling!r} would match both {other.name} and {borough.name}"
                        )
        clash = self._by_name.keys() & self._by_code.keys()
        if clash:
            raise ValueError(f"names that are also codes: {sorted(clash)}")

    def __iter__(self) -> Iterator[Borough]:
        return iter(self.boroughs)

    def __len__(self) -> int:
        return len(self.boroughs)

    def __repr__(self) -> str:
        return f"Roster({len(self.boroughs)} boroughs)"

    def lookup(self, name: str) -> Borough | None:
        """The borough `name` means (a name, short form, GSS code, register code or org id)."""
        key = normalise(name)
        if not key:
            return None
        found = self._by_code.get(key)
        if found is not None:
            return found
        for variant in _variants(key):
            found = self._by_name.get(variant)
            if found is not None:
                return found
        return None

    def suggest(self, name: str) -> str | None:
        """The canonical name `name` most probably meant, for a "did you mean", else None.

        Only names are fuzzy-matched, never codes: a near-miss GSS code such as
        E09000034 is a different code, not a typo for E09000033.
        """
        import difflib  # only needed on the error path

        found = self.lookup(name)
        if found is not None:
            return found.name
        key = normalise(name)
        if not key:
            return None
        best: Borough | None = None
        best_ratio = 0.0
        spellings = list(self._by_name)
        for variant in _variants(key):
            for match in difflib.get_close_matches(variant, spellings, n=1, cutoff=_SUGGEST_CUTOFF):
                ratio = difflib.SequenceMatcher(None, variant, match).ratio()
                if ratio > best_ratio:
                    best, best_ratio = self._by_name[match], ratio
        return best.name if best is not None else None


def _read() -> tuple[Borough, ...]:
    """The boroughs in the packaged CSV, in file order."""
    # Imported here so that importing this module stays cheap until the roster is needed.
    import csv
    from importlib.resources import files

    resource = files("loti_cli") / "data" / _DATA_FILE
    reader = csv.DictReader(resource.read_text(encoding="utf-8-sig").splitlines())
    if tuple(reader.fieldnames or ()) != _COLUMNS:
        raise ValueError(f"{_DATA_FILE}: expected columns {_COLUMNS}, got {reader.fieldnames}")
    return tuple(
        Borough(**{column: (row[column] or "").strip() for column in _COLUMNS}) for row in reader
    )


@cache
def roster() -> Roster:
    """The roster of all 33 London local authorities, read from the package once per process."""
    return Roster(_read())
