"""Did-you-mean suggestions for misspelt keys, statuses, pillars and names."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, options: Iterable[str], *, cutoff: float = 0.6) -> str | None:
    """The option `word` most probably meant: same letters in another case, or a close spelling."""
    choices = [option for option in options if option]
    folded = word.casefold().strip()
    for option in choices:
        if option.casefold() == folded:
            return option
    by_fold = {option.casefold(): option for option in choices}
    matches = difflib.get_close_matches(folded, list(by_fold), n=1, cutoff=cutoff)
    return by_fold[matches[0]] if matches else None


def did_you_mean(word: str, options: Iterable[str]) -> str:
    """`; did you mean 'x'?` when an option is close to `word`, else the empty string."""
    match = closest(word, options)
    return f"; did you mean '{match}'?" if match is not None and match != word else ""


def one_of(options: Iterable[str]) -> str:
    """`a, b or c` for a message listing what is allowed."""
    items = [str(option) for option in options]
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} or {items[-1]}"
