"""`loti proposal rank` and `loti proposal scoresheet` on the command line: the repository's
Covid Innovation Fund, golden output in each format, exit codes 0, 1 and 2, hostile text."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "rank"
CALL = "Covid Innovation Fund"
SCORES = "proposals/scores/covid-innovation-fund.csv"
PLAIN = {"COLUMNS": "100", "NO_COLOR": "1"}
FORMATS = {
    "table": "ranking.txt",
    "json": "ranking.json",
    "csv": "ranking.csv",
    "markdown": "ranking.md",
}
Cli = Callable[..., Run]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's ledgers and proposals (the bids and their scores among them)."""
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def rank(cli: Cli, *args: str, scores: str = SCORES, env: dict[str, str] | None = None) -> Run:
    return cli("proposal", "rank", "--call", CALL, "--scores", scores, *args, env=env or PLAIN)


def assert_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if os.environ.get("LOTI_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.exists(), f"no golden file {path}; run with LOTI_UPDATE_GOLDEN=1"
    assert data.decode("utf-8") == path.read_bytes().decode("utf-8"), (
        f"{path} differs; if that is meant, rerun with LOTI_UPDATE_GOLDEN=1 and read the diff"
    )


@pytest.mark.parametrize("output_format", list(FORMATS))
def test_golden_ranking(cli: Cli, project: Path, output_format: str) -> None:
    run = rank(cli, "--format", output_format)
    assert run.exit_code == 0, run.stderr
    assert run.stderr == ""
    assert_golden(FORMATS[output_format], run.stdout_bytes)


def test_the_walk_through_funds_two_bids_within_the_headroom(cli: Cli, project: Path) -> None:
    run = rank(cli, "--format", "json")
    data = json.loads(run.stdout)
    assert list(data) == ["version", "ledger", "call", "ranking", "findings"]
    assert (data["version"], data["ledger"], data["call"]) == (1, "ledgers/2020-21.yaml", CALL)
    first = data["ranking"][0]
    assert list(first) == [
        "rank", "id", "title", "lot", "score", "scorers", "excluded", "requested",
        "running_total", "left", "funded",
    ]  # fmt: skip
    assert first == {
        "rank": 1,
        "id": "CIF-03",
        "title": "Mapping digital exclusion from borough and census data",
        "lot": "data",
        "score": "4.50",
        "scorers": 5,
        "excluded": ["Camden"],
        "requested": "30000.00",
        "running_total": "30000.00",
        "left": "45000.00",
        "funded": True,
    }
    shown = [(r["rank"], r["id"], r["score"], r["funded"]) for r in data["ranking"]]
    assert shown == [
        (1, "CIF-03", "4.50", True),
        (2, "CIF-06", "4.17", False),  # £40,000 > the £25,000 of headroom left
        (3, "CIF-05", "4.00", True),
        (4, "CIF-08", "3.50", False),  # a tie with CIF-01, broken by the smaller ask
        (5, "CIF-01", "3.50", False),
        (6, "CIF-07", "3.17", False),
        (7, "CIF-04", "3.00", False),
        (8, "CIF-02", "2.83", False),
    ]
    assert data["ranking"][-1]["running_total"] == "55000.00"
    assert data["findings"] == []


def test_the_table_says_it_is_a_recommendation_and_where_the_cut_falls(
    cli: Cli, project: Path
) -> None:
    run = rank(cli)
    assert "cut line: 2 bids funded for £55,000 of the call's £150,000, after rank 3 (CIF-05)" in (
        run.stdout
    )
    assert "  CIF-01: Barnet (lead), Hackney (supporter)\n" in run.stdout
    assert run.stdout.rstrip().endswith("--approve or --reject --panel DATE.")


@pytest.mark.parametrize("width", [60, 80])
def test_narrow_terminals_never_cut_money(cli: Cli, project: Path, width: int) -> None:
    run = rank(cli, env={"COLUMNS": str(width), "NO_COLOR": "1"})
    assert run.exit_code == 0
    assert max(len(line) for line in run.stdout.splitlines()) <= width
    for amount in ("£30,000", "£40,000", "£25,000", "£45,000", "£55,000", "£150,000"):
        assert amount in run.stdout
    assert not re.search(r"£[0-9,]*\n[0-9,]", run.stdout)  # no figure broken across lines
    assert "4.50" in run.stdout and "does not fit" in run.stdout


# ---------------------------------------------------------------------------
# exit codes


def test_a_bad_cell_is_exit_1_with_the_ranking_and_every_finding(cli: Cli, project: Path) -> None:
    scores = Path(SCORES)
    lines = scores.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = "CIF-02,Barnet,matters,7,\n"  # not 0 to 5
    lines[2] = "CIF-99,Barnett,impact,4,\n"  # unknown bid, scorer and criterion
    scores.write_text("".join(lines), encoding="utf-8")
    run = rank(cli)
    assert run.exit_code == 1
    assert run.stderr == ""
    assert "Ranking of Covid Innovation Fund" in run.stdout
    shown = [line for line in run.stdout.splitlines() if line.startswith(SCORES)]
    assert shown[1].startswith(f"{SCORES}:3:1: SC1 proposal 'CIF-99' is not a bid in ")
    assert [shown[0], *shown[2:]] == [
        f"{SCORES}:2:23: SC1 score '7' is not a whole number from 0 to 5",
        f"{SCORES}:3:8: SC1 scorer 'Barnett' is not a London borough; did you mean 'Barnet'?",
        f"{SCORES}:3:16: SC1 criterion 'impact' is not one of the ledger's criteria (matters, "
        "expertise, power, collaboration or affordable)",
        f"{SCORES}:4:1: SC2 Barnet scored CIF-02 on 3 of 5 criteria (not matters or expertise); "
        "add the missing scores, or remove Barnet's scores of CIF-02",
    ]
    assert "1 error" not in run.stdout and "4 errors, 1 warning" in run.stdout


def test_json_is_exit_1_with_the_findings_in_the_document(cli: Cli, project: Path) -> None:
    Path(SCORES).write_text("proposal,scorer,criterion,score,comment\nCIF-01,GLA,matters,3,\n")
    run = rank(cli, "--format", "json")
    assert run.exit_code == 1
    data = json.loads(run.stdout)
    (finding,) = [f for f in data["findings"] if f["code"] == "SC1"]
    assert finding == {
        "code": "SC1",
        "rule": "invalid-score",
        "severity": "error",
        "message": "scorer 'GLA' is a partner, not a member borough; scorers are boroughs",
        "path": SCORES,
        "line": 2,
        "column": 8,
    }
    assert {f["code"] for f in data["findings"]} == {"SC1", "SC3"}
    assert all(row["funded"] is False and row["rank"] is None for row in data["ranking"])


def test_csv_holds_the_rows_and_the_findings_go_to_stderr(cli: Cli, project: Path) -> None:
    Path(SCORES).write_text("proposal,scorer,criterion,score\nCIF-01,Islington,matters,3\n")
    run = rank(cli, "--format", "csv")
    assert run.exit_code == 1
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0][:3] == ["rank", "id", "title"] and len(rows) == 9
    assert (
        f"loti: error: {SCORES}:2:8: SC1 scorer 'Islington' (Islington) is not a LOTI member "
        "borough in 2020-21\n"
    ) in run.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"",
            f"loti: error: {SCORES}: the scores file is empty; its first line is the header "
            "proposal,scorer,criterion,score,comment\n",
        ),
        (
            b"bid,borough,criterion,score\nCIF-01,Camden,matters,3\n",
            f"loti: error: {SCORES}:1:1: the header is 'bid,borough,criterion,score'; it must be "
            "proposal,scorer,criterion,score,comment (one row per scorer, proposal and criterion; "
            "loti proposal scoresheet writes one)\n",
        ),
        (
            "proposal,scorer,criterion,score,comment\nCIF-01,Camden,matters,3,Très bien\n".encode(
                "cp1252"
            ),
            f"loti: error: {SCORES}:2:27: the scores file is not valid UTF-8 (byte 0xe8) at byte "
            "offset 66; save the file as UTF-8 (a spreadsheet may offer it as CSV UTF-8)\n",
        ),
    ],
    ids=["empty", "wrong header", "cp1252"],
)
def test_a_scores_file_that_cannot_be_read_is_exit_2(
    cli: Cli, project: Path, content: bytes, message: str
) -> None:
    Path(SCORES).write_bytes(content)
    run = rank(cli)
    assert (run.exit_code, run.stdout, run.stderr) == (2, "", message)


def test_a_missing_scores_file_or_unknown_call_is_exit_2(cli: Cli, project: Path) -> None:
    run = rank(cli, scores="nowhere.csv")
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr.startswith("loti: error: --scores nowhere.csv: ")
    run = cli("proposal", "rank", "--call", "Covid Inovation Fund", "--scores", SCORES)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "loti: error: --call 'Covid Inovation Fund': the ledger ledgers/2020-21.yaml has no such "
        "call (its calls are Covid Innovation Fund); did you mean 'Covid Innovation Fund'?\n"
    )


def test_a_ledger_that_cannot_be_loaded_is_exit_2(cli: Cli, project: Path) -> None:
    ledger = Path("ledgers/2020-21.yaml")
    ledger.write_text(ledger.read_text(encoding="utf-8").replace("amount: 150000", "amount: lots"))
    run = rank(cli)
    assert (run.exit_code, run.stdout) == (2, "")
    assert "cannot be loaded:" in run.stderr and "LB8" in run.stderr


def test_a_bom_and_crlf_line_ends_are_read_as_written(cli: Cli, project: Path) -> None:
    text = Path(SCORES).read_text(encoding="utf-8").replace("\n", "\r\n")
    Path(SCORES).write_bytes(b"\xef\xbb\xbf" + text.replace(",power,5,", ",power,x,", 1).encode())
    run = rank(cli, "--format", "json")
    assert run.exit_code == 1
    (finding,) = [f for f in json.loads(run.stdout)["findings"] if f["code"] == "SC1"]
    lines = text.split("\r\n")
    number, row = next((n, row) for n, row in enumerate(lines, start=1) if ",power,5," in row)
    assert (finding["line"], finding["column"]) == (number, row.index(",power,") + 8)
    assert finding["message"] == "score 'x' is not a whole number from 0 to 5"


def test_sc4_and_sc5_about_the_call_fail_the_ranking(cli: Cli, project: Path) -> None:
    ledger = Path("ledgers/2020-21.yaml")
    ledger.write_text(
        ledger.read_text(encoding="utf-8").replace(
            "{name: digital, amount: 75000}", "{name: digital, amount: 70000}"
        )
    )
    bid = Path("proposals/cif-07.yaml")
    bid.write_text(bid.read_text(encoding="utf-8").replace("lot: digital", "lot: digitl"))
    run = rank(cli)
    assert run.exit_code == 1
    assert re.search(
        r"ledgers/2020-21\.yaml:\d+:5: SC4 the lots of call 'Covid Innovation Fund' add up to "
        r"£145,000 \(data £75,000, digital £70,000\), not the call's £150,000",
        run.stdout,
    )
    assert (
        "proposals/cif-07.yaml:10:6: SC5 lot 'digitl' is not one of the lots of call" in run.stdout
    )
    assert " CIF-07 " in run.stdout  # still listed, but its lot has nothing to fund it
    data = json.loads(rank(cli, "--format", "json").stdout)
    (cif07,) = [row for row in data["ranking"] if row["id"] == "CIF-07"]
    assert cif07["funded"] is False


# ---------------------------------------------------------------------------
# hostile text


def test_hostile_titles_are_inert_in_every_format(cli: Cli, project: Path) -> None:
    bid = Path("proposals/cif-03.yaml")
    hostile = '"=HYPERLINK(1) \\u001b[31mred\\u202e | *bold* <b>x</b>"'
    text = bid.read_text(encoding="utf-8")
    bid.write_text(
        text.replace(
            "title: Mapping digital exclusion from borough and census data", f"title: {hostile}"
        )
    )
    wide = {"COLUMNS": "250", "NO_COLOR": "1"}
    table = rank(cli, env=wide)
    assert "\x1b" not in table.stdout and "\u202e" not in table.stdout
    assert "\\x1b[31mred\\u202e" in table.stdout
    markdown = rank(cli, "--format", "markdown").stdout
    assert "\\| \\*bold\\* \\<b\\>x\\</b\\>" in markdown and "\x1b" not in markdown
    rows = list(csv.reader(io.StringIO(rank(cli, "--format", "csv").stdout)))
    (title,) = [row[2] for row in rows if row[1] == "CIF-03"]
    assert title.startswith("'=HYPERLINK(1)")
    data = json.loads(rank(cli, "--format", "json").stdout)
    assert data["ranking"][0]["title"].startswith("=HYPERLINK(1) \x1b[31mred\u202e")


# ---------------------------------------------------------------------------
# the score sheet


def test_scoresheet_has_a_row_per_member_bid_and_criterion_without_conflicts(
    cli: Cli, project: Path
) -> None:
    run = cli("proposal", "scoresheet", "--call", CALL)
    assert run.exit_code == 0 and run.stderr == ""
    rows = list(csv.reader(io.StringIO(run.stdout)))
    assert rows[0] == ["proposal", "scorer", "criterion", "score", "comment"]
    body = rows[1:]
    # 19 member boroughs x 8 bids x 5 criteria, less 20 conflicts x 5 criteria
    assert len(body) == 19 * 8 * 5 - 20 * 5
    assert all(score == comment == "" for *_, score, comment in body)
    scorers = {scorer for _, scorer, *_ in body}
    assert len(scorers) == 19 and "GLA" not in scorers
    assert ("CIF-03", "Camden") not in {(p, s) for p, s, *_ in body}  # Camden leads CIF-03
    assert ("CIF-06", "Camden") not in {(p, s) for p, s, *_ in body}  # and supports CIF-06
    assert ("CIF-05", "Camden") in {(p, s) for p, s, *_ in body}


def test_a_filled_in_scoresheet_ranks(cli: Cli, project: Path) -> None:
    sheet = cli("proposal", "scoresheet", "--call", CALL).stdout
    filled = re.sub(r",,\n", ",3,\n", sheet)
    Path("filled.csv").write_text(filled, encoding="utf-8")
    run = rank(cli, "--format", "json", scores="filled.csv")
    assert run.exit_code == 0, run.stdout
    data = json.loads(run.stdout)
    assert {row["score"] for row in data["ranking"]} == {"3.00"}
    # all tied: the smaller asks first, CIF-08 (£20,000) then CIF-05 (£25,000)
    assert [row["id"] for row in data["ranking"][:2]] == ["CIF-08", "CIF-05"]


def test_scoresheet_output_is_written_once_and_never_over_a_file(cli: Cli, project: Path) -> None:
    run = cli("proposal", "scoresheet", "--call", CALL, "-o", "sheet.csv")
    assert (run.exit_code, run.stdout) == (0, "")
    assert run.stderr == (
        "loti: wrote sheet.csv: 660 rows for 8 submitted bids of Covid Innovation Fund, "
        "19 member boroughs and 5 criteria\n"
    )
    assert Path("sheet.csv").read_text(encoding="utf-8").count("\n") == 661
    again = cli("proposal", "scoresheet", "--call", CALL, "-o", SCORES)
    assert (again.exit_code, again.stdout) == (2, "")
    assert again.stderr == (
        f"loti: error: --output {SCORES}: the file exists and may hold the panel's scores; "
        "name another file, or add --force to replace it with an empty sheet\n"
    )
    ledger = cli("proposal", "scoresheet", "--call", CALL, "-o", "ledgers/2020-21.yaml")
    assert ledger.exit_code == 2
    assert ledger.stderr == (
        "loti: error: --output ledgers/2020-21.yaml: is an input of this run (a ledger in "
        "ledgers/); name another file, or add --force to overwrite it\n"
    )
    forced = cli("proposal", "scoresheet", "--call", CALL, "-o", SCORES, "--force")
    assert forced.exit_code == 0
    assert Path(SCORES).read_text(encoding="utf-8").count(",,\n") == 660


def test_an_id_a_spreadsheet_would_run_is_written_inert_and_read_back(
    cli: Cli, project: Path
) -> None:
    bid = Path("proposals/cif-05.yaml")
    bid.write_text(bid.read_text(encoding="utf-8").replace("id: CIF-05", "id: '=CIF-05'"))
    sheet = cli("proposal", "scoresheet", "--call", CALL).stdout
    assert "\n'=CIF-05,Barnet,matters,,\n" in sheet and "\n=CIF-05" not in sheet
    Path("filled.csv").write_text(re.sub(r",,\n", ",4,\n", sheet), encoding="utf-8")
    data = json.loads(rank(cli, "--format", "json", scores="filled.csv").stdout)
    (row,) = [row for row in data["ranking"] if row["id"] == "=CIF-05"]
    assert (row["score"], row["scorers"]) == ("4.00", 17)


def test_a_late_bid_is_a_warning_and_an_unreadable_file_fails_the_ranking(
    cli: Cli, project: Path
) -> None:
    bid = Path("proposals/cif-08.yaml")
    bid.write_text(bid.read_text(encoding="utf-8").replace("2021-01-29", "2021-02-01"))
    run = rank(cli)
    assert run.exit_code == 0
    assert (
        "proposals/cif-08.yaml:11:12: SC6 submitted 2021-02-01, 3 days after Covid Innovation "
        "Fund closed on 2021-01-29; the panel decides whether to accept a late bid"
    ) in run.stdout
    assert "0 errors, 1 warning\n" in run.stdout
    Path("proposals/cif-09.yaml").write_text("id: CIF-09\ncall: [\n", encoding="utf-8")
    broken = rank(cli)
    assert broken.exit_code == 1
    assert "proposals/cif-09.yaml:3:1: LB9 " in broken.stdout


def test_a_bid_naming_a_call_the_ledger_lacks_is_not_left_out_in_silence(
    cli: Cli, project: Path
) -> None:
    bid = Path("proposals/cif-02.yaml")
    text = bid.read_text(encoding="utf-8")
    bid.write_text(text.replace("call: Covid Innovation Fund", "call: Covid Innovation Fun"))
    run = rank(cli)
    assert run.exit_code == 1
    assert (
        "proposals/cif-02.yaml:9:7: SC5 call 'Covid Innovation Fun' is not one of the 2020-21 "
        "calls (Covid Innovation Fund); did you mean 'Covid Innovation Fund'?"
    ) in run.stdout
    data = json.loads(rank(cli, "--format", "json").stdout)
    assert "CIF-02" not in [row["id"] for row in data["ranking"]]
    # and the panel's scores of it name a bid the call does not have
    assert {f["code"] for f in data["findings"]} == {"SC1", "SC5"}


def test_call_names_complete_from_the_ledger(project: Path) -> None:
    from loti_cli.commands.complete import call_names

    assert call_names("cov") == ["Covid Innovation Fund"]
    assert call_names("Smarter") == []


def test_rows_left_blank_on_the_sheet_are_not_scores(cli: Cli, project: Path) -> None:
    sheet = cli("proposal", "scoresheet", "--call", CALL).stdout
    lines = sheet.splitlines(keepends=True)
    panel = ("Brent,", "Enfield,", "Lambeth,")  # three boroughs take part; the others do not
    filled = [
        line.replace(",,\n", ",4,\n")
        if line.split(",")[1:2] and line.split(",")[1] + "," in panel
        else line
        for line in lines
    ]
    Path("filled.csv").write_text("".join(filled), encoding="utf-8")
    run = rank(cli, "--format", "json", scores="filled.csv")
    data = json.loads(run.stdout)
    assert run.exit_code == 0, run.stdout
    (cif01,) = [row for row in data["ranking"] if row["id"] == "CIF-01"]
    assert (cif01["scorers"], cif01["excluded"]) == (2, ["Enfield"])  # Barnet is not scoring
    assert {f["code"] for f in data["findings"]} == {"SC3"}


def test_a_ledger_without_criteria_or_calls_cannot_rank(cli: Cli, project: Path) -> None:
    ledger = Path("ledgers/2020-21.yaml")
    text = ledger.read_text(encoding="utf-8")
    start, end = text.index("criteria:"), text.index("calls:")
    ledger.write_text(text[:start] + text[end:], encoding="utf-8")
    run = rank(cli)
    assert (run.exit_code, run.stdout) == (2, "")
    assert run.stderr == (
        "loti: error: the ledger ledgers/2020-21.yaml lists no criteria to score bids against; "
        "add criteria: (docs/formats/ledger-format.md)\n"
    )
    ledger.write_text(text[: text.index("calls:")] + text[text.index("stated:") :])
    run = rank(cli)
    assert run.exit_code == 2
    assert run.stderr == (
        "loti: error: --call 'Covid Innovation Fund': the ledger ledgers/2020-21.yaml has no "
        "such call (it lists no calls)\n"
    )


def test_colour_on_a_terminal_only_when_asked(cli: Cli, project: Path) -> None:
    coloured = rank(cli, "--color", "always", env={"COLUMNS": "100"})
    assert coloured.exit_code == 0 and "\x1b[" in coloured.stdout
    plain = rank(cli, "--no-color", env={"COLUMNS": "100", "FORCE_COLOR": "1"})
    assert "\x1b[" not in plain.stdout
