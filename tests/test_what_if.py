"""`loti budget what-if` counts each proposal once, as `loti proposal check` does.

One file once, however it is named (twice, `./x` and `x`, through a link); and a
named proposal takes the place of the folder's file with its id, so an edited copy
kept outside the folder is a new version of that proposal, not a second one.

In the repository's proposals, Covid Recovery is allocated £200,000, approved
proposals take £145,000 and CR-04 (submitted) asks for £35,000.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from loti_cli.io.load import load_proposal
from loti_cli.io.resolve import LedgerChoice, bundled_ledgers
from loti_cli.pipeline.analyse import analysis_of
from loti_cli.pipeline.status import assume_approved, budget_status, load_portfolio
from tests.conftest import WITHOUT_CALL, Run

ROOT = Path(__file__).parents[1]
CR04 = "proposals/cr-04.yaml"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    shutil.copytree(ROOT / "proposals", tmp_path / "proposals", ignore=WITHOUT_CALL)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def covid(run: Run) -> dict[str, Any]:
    data = json.loads(run.stdout)
    pillar: dict[str, Any] = next(
        p for p in data["allocations"]["pillars"] if p["pillar"] == "Covid Recovery"
    )
    pillar["assumed"] = data["what_if"]["assumed_approved"]
    pillar["codes"] = [f["code"] for f in data["findings"]]
    return pillar


def test_one_file_named_once_is_counted_once(cli: Callable[..., Run], project: Path) -> None:
    run = cli("budget", "what-if", CR04, "--format", "json")
    assert run.exit_code == 0, run.stderr
    figures = covid(run)
    assert (figures["approved"], figures["headroom"]) == ("180000.00", "20000.00")
    assert figures["assumed"] == ["CR-04"]


@pytest.mark.parametrize(
    "names",
    [
        (CR04, CR04),
        (f"./{CR04}", CR04),
        (CR04, f"proposals/../{CR04}"),
        (CR04, "link.yaml"),
        ("link.yaml", CR04),
    ],
    ids=["twice", "./x and x", "x and a/../x", "x and a link", "a link and x"],
)
def test_one_file_named_twice_is_counted_once(
    cli: Callable[..., Run], project: Path, names: tuple[str, str]
) -> None:
    (project / "link.yaml").symlink_to(project / CR04)
    run = cli("budget", "what-if", *names, "--format", "json")
    assert run.exit_code == 0, run.stderr
    figures = covid(run)
    # Counted twice, CR-04 would take £215,000 of £200,000: over by £15,000 (LB5).
    assert (figures["approved"], figures["headroom"]) == ("180000.00", "20000.00")
    assert figures["assumed"] == ["CR-04"]
    assert "LB5" not in figures["codes"]


def test_an_edited_copy_outside_the_folder_replaces_the_folders_file(
    cli: Callable[..., Run], project: Path
) -> None:
    text = (project / CR04).read_text(encoding="utf-8")
    assert "  requested: 35000\n" in text
    copy = project / "drafts" / "cr-04-edited.yaml"
    copy.parent.mkdir()
    copy.write_text(text.replace("  requested: 35000\n", "  requested: 40000\n"), "utf-8")
    run = cli("budget", "what-if", str(copy), "--format", "json")
    assert run.exit_code == 0, run.stderr
    figures = covid(run)
    # The copy's £40,000 instead of the folder's £35,000: not both (£220,000, over by £20,000).
    assert (figures["approved"], figures["pipeline"], figures["headroom"]) == (
        "185000.00",
        "0.00",
        "15000.00",
    )
    assert figures["assumed"] == ["CR-04"]


def test_an_approved_proposal_copied_out_with_its_id_in_another_case_replaces_it(
    cli: Callable[..., Run], project: Path
) -> None:
    # CR-01 is approved (£5,000): a copy with id " cr-01 " asking £15,000 replaces it.
    text = (project / "proposals" / "cr-01.yaml").read_text(encoding="utf-8")
    copy = project / "cr-01-bigger.yaml"
    copy.write_text(
        text.replace("id: CR-01\n", 'id: " cr-01 "\n').replace(
            "  requested: 5000\n", "  requested: 15000\n"
        ),
        "utf-8",
    )
    run = cli("budget", "what-if", str(copy), "--format", "json")
    assert run.exit_code == 0, run.stderr
    figures = covid(run)
    assert (figures["approved"], figures["pipeline"]) == ("155000.00", "35000.00")


def test_of_two_named_files_with_one_id_the_last_counts(
    cli: Callable[..., Run], project: Path
) -> None:
    text = (project / CR04).read_text(encoding="utf-8")
    copy = project / "cr-04-smaller.yaml"
    copy.write_text(text.replace("  requested: 35000\n", "  requested: 10000\n"), "utf-8")
    run = cli("budget", "what-if", CR04, str(copy), "--format", "json")
    assert run.exit_code == 0, run.stderr
    figures = covid(run)
    assert (figures["approved"], figures["headroom"]) == ("155000.00", "45000.00")
    assert figures["assumed"] == ["CR-04"]


def test_the_whole_pipeline_keeps_each_file_in_its_place(
    cli: Callable[..., Run], project: Path
) -> None:
    run = cli("budget", "what-if", "--format", "json")
    assert run.exit_code == 0, run.stderr
    figures = covid(run)
    assert (figures["approved"], figures["pipeline"]) == ("180000.00", "0.00")
    assert sorted(figures["assumed"]) == ["CR-04", "DC-04", "SL-02"]


def test_assume_approved_counts_a_file_once_by_its_real_path(project: Path) -> None:
    portfolio = load_portfolio(Path("proposals"))
    (project / "link.yaml").symlink_to(project / CR04)
    chosen = [s for s in load_portfolio(project) if s.path in ("link.yaml", CR04)]
    assert len(chosen) == 1  # the folder lists a file and a link to it once
    named = [analysis_of(load_proposal(Path(n), n)) for n in (CR04, "./" + CR04, "link.yaml")]
    kept, assumed = assume_approved(portfolio, named)
    assert assumed == ["CR-04"]
    ids = [s.entry.id for s in kept if s.entry is not None]
    assert ids.count("CR-04") == 1 and len(kept) == len(portfolio)
    choice = LedgerChoice(bundled_ledgers() / "2020-21.yaml", "--ledger")
    status = budget_status(choice, kept, assumed).status
    assert status is not None
    pillar = status.pillar("Covid Recovery")
    assert pillar is not None and str(pillar.approved) == "£180,000"
