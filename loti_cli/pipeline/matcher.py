"""The import rules' `match`, compiled once for an export's columns: a row to its line or proposal.

Equality conditions are looked up in one dictionary per column, so that a row is
tried only against the rules whose equalities all hold (typically those of its cost
centre), in the rules' order; their regular expressions are then searched in turn.
The first rule that matches wins, as the rules file says.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from loti_cli.io.import_rules import MatchRule

_Search = Callable[[str], object]


class Matcher:
    """`match(values)`: the (line, proposal) of the first rule that matches, or ("", "")."""

    def __init__(self, rules: tuple[MatchRule, ...], index: Mapping[str, int]) -> None:
        self.targets = [(rule.line, rule.proposal) for rule in rules]
        self.needed = [0] * len(rules)
        """How many equality conditions each rule has."""
        self.always: list[int] = []
        """The rules with no equality condition: tried for every row."""
        self.searches: list[list[tuple[int, _Search]]] = []
        by_column: dict[int, dict[str, list[int]]] = {}
        for number, rule in enumerate(rules):
            searches: list[tuple[int, _Search]] = []
            for condition in rule.conditions:
                column = index[condition.column]
                if condition.pattern is None:
                    by_column.setdefault(column, {}).setdefault(condition.text, []).append(number)
                    self.needed[number] += 1
                else:
                    searches.append((column, condition.pattern.search))
            self.searches.append(searches)
            if not self.needed[number]:
                self.always.append(number)
        self.equalities = [
            (column, {text: tuple(numbers) for text, numbers in table.items()})
            for column, table in by_column.items()
        ]
        self.single = len(self.equalities) <= 1 and all(n <= 1 for n in self.needed)

    def candidates(self, values: tuple[str, ...]) -> list[int]:
        """The rules whose equality conditions all hold for the row, in the rules' order."""
        if self.single:  # each rule has at most one equality, all on one column
            found = list(self.always)
            for column, table in self.equalities:
                found.extend(table.get(values[column].strip(), ()))
            return sorted(found) if self.always else found
        hits: dict[int, int] = {}
        for column, table in self.equalities:
            for number in table.get(values[column].strip(), ()):
                hits[number] = hits.get(number, 0) + 1
        found = [number for number, count in hits.items() if count == self.needed[number]]
        return sorted(found + self.always)

    def match(self, values: tuple[str, ...]) -> tuple[str, str]:
        for number in self.candidates(values):
            for column, search in self.searches[number]:
                if search(values[column].strip()) is None:
                    break
            else:
                return self.targets[number]
        return "", ""
