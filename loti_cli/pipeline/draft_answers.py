"""Each answer to `loti proposal new` checked against the ledger, with "did you mean"; InvalidAnswer says why."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from loti_cli.core.money import Money

if TYPE_CHECKING:
    from loti_cli.core.model import Ledger

ROLES = ("lead", "delivery", "supporter")
"""A borough's role; lead and delivery count for FP2."""


class InvalidAnswer(Exception):
    """An answer that cannot be used; the message says why (a terminal asks again)."""


def clean_text(value: str) -> str:
    """Text as given, its spacing evened out (line breaks kept when there are some)."""
    text = " ".join(value.split()) if "\n" not in value else value.strip()
    if not text:
        raise InvalidAnswer("is empty")
    return text


def choose(value: str, options: list[str], what: str) -> str:
    """`value` as one of `options` (exactly, or by letter case or number), else did-you-mean."""
    from loti_cli.core.suggest import did_you_mean, one_of

    text = value.strip()
    if text.isascii() and text.isdigit() and 1 <= int(text) <= len(options):  # 0-9 only
        return options[int(text) - 1]
    for option in options:
        if option.casefold() == text.casefold():
            return option
    article = "an" if what[:1].lower() in "aeiou" else "a"
    raise InvalidAnswer(
        f"'{text}' is not {article} {what} ({one_of(options)}){did_you_mean(text, options)}"
    )


def next_id(pillar: str, ids: dict[str, str]) -> str:
    """The pillar's initials and the next free number: CR-07 after CR-06."""
    import re

    prefix = "".join(word[0] for word in re.findall(r"[A-Za-z]+", pillar)).upper() or "P"
    pattern = re.compile(rf"^{re.escape(prefix.casefold())}-([0-9]+)$")
    numbers = [int(match[1]) for key in ids if (match := pattern.match(key))]
    return f"{prefix}-{max(numbers, default=0) + 1:02d}"


def check_id(value: str, ids: dict[str, str], suggested: str | None) -> str:
    """A new id: not empty, and not one of `ids` (case-folded id -> the file that has it)."""
    text = value.strip()
    if not text:
        raise InvalidAnswer("is empty")
    if text.casefold() in ids:
        hint = f"; the next free one is {suggested}" if suggested else ""
        raise InvalidAnswer(f"is already the id of {ids[text.casefold()]}{hint}")
    return text


def file_name(proposal_id: str) -> str:
    """`cr-07.yaml` for CR-07: the id, lower case, safe as a file name."""
    import re

    stem = re.sub(r"[^a-z0-9._-]+", "-", proposal_id.casefold()).strip(".-") or "proposal"
    return f"{stem}.yaml"


def amount_of(value: str) -> Money:
    """What is asked of LOTI, in any of the money forms; more than nothing."""
    from loti_cli.core.money import MoneyError, parse_money

    try:
        money = parse_money(value.strip())
    except MoneyError as error:
        raise InvalidAnswer(str(error)) from None
    if not money:
        raise InvalidAnswer("is £0; ask LOTI for something")
    return money


def borough_of(
    spec: str, ledger: Ledger, index: int, chosen: Sequence[tuple[str, str]]
) -> tuple[str, str]:
    """`NAME[:ROLE]` as (the ledger's or roster's name, role)."""
    from loti_cli.core.boroughs import normalise, roster
    from loti_cli.core.suggest import did_you_mean, one_of

    name, colon, role = spec.rpartition(":")
    if not colon:
        name, role = spec, ""
    name, role = name.strip(), role.strip().casefold()
    if not role:
        role = "lead" if index == 0 else "delivery"
    if role not in ROLES:
        raise InvalidAnswer(
            f"role '{role}' is not one of {one_of(ROLES)}{did_you_mean(role, ROLES)}"
        )
    found = roster().lookup(name)
    members = ledger.members or ()
    if found is not None:
        # The ledger's spelling of a member, else the roster's canonical name.
        canonical = next(
            (m.name for m in members if m.kind == "borough" and roster().lookup(m.name) == found),
            found.name,
        )
    else:
        partners = {normalise(m.name): m.name for m in members if m.kind == "partner"}
        partner = partners.get(normalise(name))
        if partner is None:
            suggestion = roster().suggest(name)
            hint = (
                f"; did you mean '{suggestion}'?"
                if suggestion
                else did_you_mean(name, list(partners.values()))
            )
            raise InvalidAnswer(f"'{name}' is not a London borough nor a LOTI partner{hint}")
        canonical = partner
    if any(canonical == other for other, _ in chosen):
        raise InvalidAnswer(f"{canonical} is already listed")
    return canonical, role


def too_few(chosen: Sequence[tuple[str, str]], ledger: Ledger) -> str | None:
    """Why these boroughs fail FP2, if they do."""
    from loti_cli.core.boroughs import roster

    members = {
        found.gss_code
        for m in ledger.members or ()
        if m.kind == "borough" and (found := roster().lookup(m.name)) is not None
    }
    counted = []
    for name, role in chosen:
        found = roster().lookup(name)
        if role in ("lead", "delivery") and found is not None and found.gss_code in members:
            counted.append(name)
    if len(counted) >= 2:
        return None
    listed = f" ({', '.join(counted)})" if counted else ""
    return (
        f"only {len(counted)} member borough(s) lead or deliver{listed}; slide 27 asks for at "
        f"least two LOTI boroughs in {ledger.financial_year} (FP2)"
    )


def output_of(spec: str) -> tuple[str, str]:
    """`NAME:LICENCE` as (name, the open licence's SPDX spelling), else did-you-mean."""
    from loti_cli.core.licences import closest_licence, open_licence

    name, colon, licence = spec.rpartition(":")
    if not colon or not name.strip() or not licence.strip():
        raise InvalidAnswer("write it as NAME:LICENCE, e.g. 'Toolkit:OGL-UK-3.0'")
    canonical = open_licence(licence)
    if canonical is None:
        suggestion = closest_licence(licence)
        hint = f"did you mean '{suggestion}'?" if suggestion else "use e.g. OGL-UK-3.0 or MIT"
        raise InvalidAnswer(f"'{licence.strip()}' is not an open licence ({hint})")
    return clean_text(name), canonical
