"""The scores file read cell by cell: every bad cell an SC1 at its line and column, in one read."""

from __future__ import annotations

from pathlib import Path

import pytest

from loti_cli.errors import LotiError
from loti_cli.io.scores_file import Expected, read_scores

EXPECTED = Expected(
    call="Covid Innovation Fund",
    year="2020-21",
    bids=["CIF-01", "CIF-02"],
    criteria=["matters", "expertise"],
    members={"E09000007": "Camden", "E09000013": "Hammersmith and Fulham"},
    partners=["GLA", "London Councils"],
    criterion_names={"matters": "The work matters", "expertise": "It plays to our expertise"},
)
HEADER = "proposal,scorer,criterion,score,comment\n"


def read(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "scores.csv"
    path.write_text(HEADER + text, encoding="utf-8")
    sheet = read_scores(path, "scores.csv", EXPECTED)
    return [f"{f.line}:{f.column} {f.code} {f.message}" for f in sheet.findings]


def test_every_bad_cell_of_every_row_in_one_read(tmp_path: Path) -> None:
    found = read(
        tmp_path,
        "CIF-01,Camden,matters,4,fine\n"
        "CIF-03,Camdn,Matter,five,\n"
        "\n"
        'CIF-02,"Hammersmith & Fulham",expertise,-1,"a comment, with a comma"\n'
        "CIF-02,E09000007,matters,4\n"
        "CIF-02,London Councils,matters,4,\n"
        "CIF-02,Islington,matters,4,\n"
        "CIF-01,Camden\n"
        "CIF-01,Camden,matters,3,,extra\n",
    )
    assert found == [
        "3:1 SC1 proposal 'CIF-03' is not a bid in Covid Innovation Fund (CIF-01 or CIF-02); "
        "did you mean 'CIF-02'?",
        "3:8 SC1 scorer 'Camdn' is not a London borough; did you mean 'Camden'?",
        "3:14 SC1 criterion 'Matter' is not one of the ledger's criteria (matters or expertise); "
        "did you mean 'matters'?",
        "3:21 SC1 score 'five' is not a whole number from 0 to 5",
        "5:41 SC1 score '-1' is not a whole number from 0 to 5",
        "7:8 SC1 scorer 'London Councils' is a partner, not a member borough; scorers are boroughs",
        "8:8 SC1 scorer 'Islington' (Islington) is not a LOTI member borough in 2020-21",
        "9:14 SC1 has 2 cells; each row has 5: proposal,scorer,criterion,score,comment (the "
        "comment may be left out)",
        "10:26 SC1 has 6 cells; each row has 5: proposal,scorer,criterion,score,comment (the "
        "comment may be left out; a comment with a comma in it goes in double quotes)",
    ]


def test_a_criterion_written_by_its_name_is_told_its_id(tmp_path: Path) -> None:
    found = read(tmp_path, "CIF-01,Camden,it plays to our Expertise ,4,\n")
    assert found == [
        "2:15 SC1 criterion 'it plays to our Expertise' is not one of the ledger's criteria "
        "(matters or expertise); it is the name of criterion 'expertise': write its id, "
        "expertise"
    ]


def test_spellings_of_one_borough_are_one_scorer_and_a_second_score_is_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(
        HEADER + "cif-01,LBHF,matters,4,\nCIF-01,E09000013,matters,5,\nCIF-01,Camden,matters,0\n",
        encoding="utf-8",
    )
    sheet = read_scores(path, "scores.csv", EXPECTED)
    assert [(f.line, f.column, f.message) for f in sheet.findings] == [
        (
            3,
            1,
            "Hammersmith and Fulham already scored CIF-01 on matters on line 2; keep one of "
            "the two rows",
        )
    ]
    assert [(s.proposal, s.scorer, s.score, s.line) for s in sheet.scores] == [
        ("CIF-01", "E09000013", 4, 2),
        ("CIF-01", "E09000007", 0, 4),
    ]
    assert sheet.scorers == {"E09000013": "Hammersmith and Fulham", "E09000007": "Camden"}


def test_a_quote_left_open_is_an_sc1_at_its_row_and_the_rows_before_count(
    tmp_path: Path,
) -> None:
    path = tmp_path / "scores.csv"
    path.write_text(HEADER + 'CIF-01,Camden,matters,4,\nCIF-01,Camden,expertise,3,"open\n')
    sheet = read_scores(path, "scores.csv", EXPECTED)
    assert [(f.line, f.column) for f in sheet.findings] == [(3, 1)]
    assert "never closed" in sheet.findings[0].message
    assert len(sheet.scores) == 1


def test_a_folder_is_not_a_scores_file(tmp_path: Path) -> None:
    with pytest.raises(LotiError) as raised:
        read_scores(tmp_path, "scores", EXPECTED)
    assert raised.value.message == "--scores scores: the scores file is a folder, not a file"


@pytest.mark.parametrize(("delimiter", "name"), [(";", "';'"), ("\t", "tabs")])
def test_a_sheet_saved_with_another_separator_is_told_to_use_commas(
    tmp_path: Path, delimiter: str, name: str
) -> None:
    path = tmp_path / "scores.csv"
    path.write_bytes(("\ufeff" + HEADER.replace(",", delimiter)).encode("utf-8"))
    with pytest.raises(LotiError) as raised:
        read_scores(path, "scores.csv", EXPECTED)
    assert raised.value.message.startswith("scores.csv:1:1: the header is 'proposal")
    assert raised.value.message.endswith(
        f"; its cells are separated by {name}: save the sheet as CSV with commas (CSV UTF-8)"
    )
