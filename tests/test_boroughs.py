"""Tests for the London borough roster and its name matching."""

from __future__ import annotations

import subprocess
import sys
from importlib.resources import files

import pytest
from hypothesis import given
from hypothesis import strategies as st

from loti_cli.core.boroughs import Borough, Roster, normalise, roster

CANONICAL = [
    ("E09000001", "City of London"),
    ("E09000002", "Barking and Dagenham"),
    ("E09000003", "Barnet"),
    ("E09000004", "Bexley"),
    ("E09000005", "Brent"),
    ("E09000006", "Bromley"),
    ("E09000007", "Camden"),
    ("E09000008", "Croydon"),
    ("E09000009", "Ealing"),
    ("E09000010", "Enfield"),
    ("E09000011", "Greenwich"),
    ("E09000012", "Hackney"),
    ("E09000013", "Hammersmith and Fulham"),
    ("E09000014", "Haringey"),
    ("E09000015", "Harrow"),
    ("E09000016", "Havering"),
    ("E09000017", "Hillingdon"),
    ("E09000018", "Hounslow"),
    ("E09000019", "Islington"),
    ("E09000020", "Kensington and Chelsea"),
    ("E09000021", "Kingston upon Thames"),
    ("E09000022", "Lambeth"),
    ("E09000023", "Lewisham"),
    ("E09000024", "Merton"),
    ("E09000025", "Newham"),
    ("E09000026", "Redbridge"),
    ("E09000027", "Richmond upon Thames"),
    ("E09000028", "Southwark"),
    ("E09000029", "Sutton"),
    ("E09000030", "Tower Hamlets"),
    ("E09000031", "Waltham Forest"),
    ("E09000032", "Wandsworth"),
    ("E09000033", "Westminster"),
]

ALL = list(roster())


def _name(text: str) -> str | None:
    found = roster().lookup(text)
    return found.name if found is not None else None


# --- the roster itself -------------------------------------------------------------------------


def test_roster_has_exactly_the_33_london_authorities() -> None:
    boroughs = roster()
    assert len(boroughs) == 33
    assert [b.gss_code for b in boroughs] == [f"E090000{n:02d}" for n in range(1, 34)]
    assert [(b.gss_code, b.name) for b in boroughs] == CANONICAL
    assert boroughs.boroughs == tuple(boroughs)


def test_roster_is_cached() -> None:
    assert roster() is roster()


def test_roster_fields_are_consistent() -> None:
    for borough in roster():
        assert borough.org_id == f"GB-LAE-{borough.lae_code}"
        assert len(borough.lae_code) == 3
        assert borough.lae_code.isupper()
        assert borough.la_type == ("CC" if borough.gss_code == "E09000001" else "LBO")
        assert borough.official_name
        assert borough.name == borough.name.strip()


def test_hammersmith_record() -> None:
    hf = roster().lookup("E09000013")
    assert hf == Borough(
        gss_code="E09000013",
        lae_code="HMF",
        org_id="GB-LAE-HMF",
        name="Hammersmith and Fulham",
        official_name="London Borough of Hammersmith & Fulham",
        la_type="LBO",
    )


def test_borough_is_frozen() -> None:
    hf = ALL[12]
    with pytest.raises(AttributeError):
        hf.name = "Fulham"  # type: ignore[misc]


def test_data_file_ships_inside_the_package() -> None:
    assert (files("loti_cli") / "data" / "london-boroughs.csv").is_file()


def test_import_stays_light() -> None:
    code = (
        "import sys, loti_cli.core.boroughs as b; b.roster().lookup('Camden'); b.roster().suggest('x');"
        "heavy = [m for m in ('pydantic', 'ruamel', 'rich', 'tabulate') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


def test_duplicate_spellings_are_rejected() -> None:
    hf = ALL[12]
    twin = Borough("E09999999", "XXX", "GB-LAE-XXX", "Fulham", hf.official_name, "LBO")
    with pytest.raises(ValueError, match="would match both"):
        Roster([hf, twin])


# --- lookup ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("gss", "name"), CANONICAL)
def test_canonical_names_and_codes(gss: str, name: str) -> None:
    borough = roster().lookup(name)
    assert borough is not None
    assert borough.gss_code == gss
    assert borough.name == name
    assert roster().lookup(gss) is borough
    assert roster().lookup(gss.lower()) is borough
    assert roster().lookup(name.upper()) is borough
    assert roster().lookup(name.lower()) is borough


@pytest.mark.parametrize("borough", ALL, ids=[b.lae_code for b in ALL])
def test_every_official_name_and_code(borough: Borough) -> None:
    r = roster()
    for text in (
        borough.official_name,
        borough.official_name.upper(),
        borough.lae_code,
        borough.lae_code.lower(),
        borough.org_id,
        borough.org_id.lower(),
        f"  {borough.gss_code} ",
        f"{borough.name} Council",
        f"{borough.official_name}.",
    ):
        assert r.lookup(text) is borough, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # canonical, official, case and whitespace
        ("Hammersmith and Fulham", "Hammersmith and Fulham"),
        ("hammersmith AND fulham", "Hammersmith and Fulham"),
        ("  Hammersmith \t and\n Fulham  ", "Hammersmith and Fulham"),
        ("London Borough of Hammersmith & Fulham", "Hammersmith and Fulham"),
        ("London Borough of Hammersmith and Fulham", "Hammersmith and Fulham"),
        ("\u00a0London Borough of Hammersmith\u00a0&\u00a0Fulham", "Hammersmith and Fulham"),
        # & for and, and the reverse
        ("Hammersmith & Fulham", "Hammersmith and Fulham"),
        ("Hammersmith&Fulham", "Hammersmith and Fulham"),
        ("Barking & Dagenham", "Barking and Dagenham"),
        ("Kensington & Chelsea", "Kensington and Chelsea"),
        ("Royal Borough of Kensington & Chelsea", "Kensington and Chelsea"),
        ("Kensington Chelsea", "Kensington and Chelsea"),
        # prefixes
        ("London Borough of Camden", "Camden"),
        ("london borough of camden", "Camden"),
        ("Royal Borough of Greenwich", "Greenwich"),
        ("Royal Borough of Kingston upon Thames", "Kingston upon Thames"),
        ("Royal Borough of Kensington and Chelsea", "Kensington and Chelsea"),
        ("Royal Greenwich", "Greenwich"),
        ("LB Camden", "Camden"),
        ("LB of Camden", "Camden"),
        ("L.B. Camden", "Camden"),
        ("RB Greenwich", "Greenwich"),
        ("RB Kingston upon Thames", "Kingston upon Thames"),
        ("The London Borough of Barnet", "Barnet"),
        ("The Royal Borough of Kensington and Chelsea", "Kensington and Chelsea"),
        ("Borough of Brent", "Brent"),
        # City of ...
        ("City of Westminster", "Westminster"),
        ("The City of Westminster", "Westminster"),
        ("Westminster City Council", "Westminster"),
        ("City of Westminster Council", "Westminster"),
        ("City of London", "City of London"),
        ("The City of London", "City of London"),
        ("City of London Corporation", "City of London"),
        ("The City of London Corporation", "City of London"),
        ("Corporation of London", "City of London"),
        ("City of London Council", "City of London"),
        # suffixes
        ("Camden Council", "Camden"),
        ("Camden London Borough Council", "Camden"),
        ("Camden Borough Council", "Camden"),
        ("Camden London Borough", "Camden"),
        ("Camden (LB)", "Camden"),
        ("London Borough of Camden Council", "Camden"),
        ("Hammersmith & Fulham Council", "Hammersmith and Fulham"),
        ("Kingston upon Thames London Borough Council", "Kingston upon Thames"),
        # codes
        ("E09000013", "Hammersmith and Fulham"),
        ("e09000013", "Hammersmith and Fulham"),
        ("HMF", "Hammersmith and Fulham"),
        ("hmf", "Hammersmith and Fulham"),
        ("GB-LAE-HMF", "Hammersmith and Fulham"),
        ("gb-lae-hmf", "Hammersmith and Fulham"),
        ("LBH", "Lambeth"),
        ("WSM", "Westminster"),
        ("LND", "City of London"),
        ("GB-LAE-LND", "City of London"),
        ("E09000001", "City of London"),
        ("E09000033", "Westminster"),
        # short forms
        ("LBHF", "Hammersmith and Fulham"),
        ("lbhf", "Hammersmith and Fulham"),
        ("H&F", "Hammersmith and Fulham"),
        ("h & f", "Hammersmith and Fulham"),
        ("Hammersmith", "Hammersmith and Fulham"),
        ("RBKC", "Kensington and Chelsea"),
        ("Kensington", "Kensington and Chelsea"),
        ("Kingston", "Kingston upon Thames"),
        ("Richmond", "Richmond upon Thames"),
        ("LBRuT", "Richmond upon Thames"),
        ("Barking", "Barking and Dagenham"),
        ("LBBD", "Barking and Dagenham"),
        ("Tower Hamlets", "Tower Hamlets"),
        ("LBTH", "Tower Hamlets"),
        ("Waltham Forest", "Waltham Forest"),
        ("LBWF", "Waltham Forest"),
        ("Royal Borough of Kingston", "Kingston upon Thames"),
        ("London Borough of Richmond", "Richmond upon Thames"),
        # punctuation
        ("Camden.", "Camden"),
        ("Kingston-upon-Thames", "Kingston upon Thames"),
        ("Richmond-upon-Thames", "Richmond upon Thames"),
        ("Kingston - upon - Thames", "Kingston upon Thames"),
        ("Tower-Hamlets", "Tower Hamlets"),
        ("Hammersmith-and-Fulham", "Hammersmith and Fulham"),
        ("Waltham Forest,", "Waltham Forest"),
        ("'Camden'", "Camden"),
        ("‘Camden’", "Camden"),
        ("Barking and Dagenham.", "Barking and Dagenham"),
    ],
)
def test_accepted_spellings(text: str, expected: str | None) -> None:
    assert _name(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        ".",
        "Manchester",
        "Surrey",
        "Kent",
        "Essex",
        "GLA",
        "Greater London Authority",
        "Greater London",
        "London",
        "London Councils",
        "City",
        "The City",
        "City of",
        "City of Manchester",
        "Council",
        "LB",
        "RB",
        "London Borough",
        "London Borough of",
        "Royal Borough of Windsor and Maidenhead",
        "Windsor and Maidenhead",
        "Kingston upon Hull",
        "Richmond (North Yorkshire)",
        "Fulham",
        "Chelsea",
        "Camdn",
        "E09000034",
        "E09000000",
        "E0900001",
        "E08000003",
        "GB-LAE-XXX",
        "GB-LAE",
        "XXX",
        "and",
        "&",
    ],
)
def test_not_london_boroughs(text: str) -> None:
    assert roster().lookup(text) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hammersmith and Fulham", "hammersmith and fulham"),
        ("  Hammersmith &  Fulham. ", "hammersmith and fulham"),
        ("H&F", "h and f"),
        ("Kingston-upon-Thames", "kingston upon thames"),
        ("L.B. Camden", "lb camden"),
        ("GB-LAE-HMF", "gb lae hmf"),
        ("E09000013", "e09000013"),
        ("Camden\u200b", "camden"),
        ("", ""),
    ],
)
def test_normalise(text: str, expected: str) -> None:
    assert normalise(text) == expected


# --- suggestions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Camdn", "Camden"),
        ("Hackny", "Hackney"),
        ("Lambath", "Lambeth"),
        ("Hounslo", "Hounslow"),
        ("Westminister", "Westminster"),
        ("Islinton", "Islington"),
        ("Enfeld", "Enfield"),
        ("Hammersmth and Fulham", "Hammersmith and Fulham"),
        ("London Borough of Camdn", "Camden"),
        ("Camdn Council", "Camden"),
        ("Kingstn", "Kingston upon Thames"),
        ("Richmnd", "Richmond upon Thames"),
        ("Barkin", "Barking and Dagenham"),
        ("Royal Borough of Grenwich", "Greenwich"),
        # an accepted spelling suggests its canonical name
        ("LBHF", "Hammersmith and Fulham"),
        ("camden", "Camden"),
        ("City of Westminster", "Westminster"),
    ],
)
def test_suggest(text: str, expected: str) -> None:
    assert roster().suggest(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Manchester",
        "Surrey",
        "Kent",
        "Essex",
        "GLA",
        "London",
        "London Councils",
        "City",
        "Bristol",
        "Harrogate",
        "E09000034",
        "HMX",
        "GB-LAE-HMX",
    ],
)
def test_suggest_nothing_for_non_boroughs(text: str) -> None:
    assert roster().suggest(text) is None


# --- property ----------------------------------------------------------------------------------


def _recase(text: str, flips: list[bool]) -> str:
    return "".join(
        char.swapcase() if flip else char for char, flip in zip(text, flips, strict=True)
    )


@pytest.mark.parametrize("borough", ALL, ids=[b.lae_code for b in ALL])
@given(data=st.data())
def test_any_letter_case_resolves(borough: Borough, data: st.DataObject) -> None:
    for text in (borough.name, borough.official_name):
        flips = data.draw(st.lists(st.booleans(), min_size=len(text), max_size=len(text)))
        recased = _recase(text, flips)
        assert roster().lookup(recased) is borough, recased
        assert roster().suggest(recased) == borough.name
