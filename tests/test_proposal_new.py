"""`loti proposal new`: a commented proposal that passes the rules it can know about."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator

from loti_cli.commands import proposal_new as proposal_edit
from loti_cli.core.schema import generate_schema
from loti_cli.io.yaml_read import parse
from tests.conftest import Run, invoke

ROOT = Path(__file__).parents[1]

FULL = [
    "--no-input",
    "--title",
    "Shared data on carers: who needs help #first",
    "--pillar",
    "covid recovery",
    "--area",
    "identifying needs",
    "--borough",
    "Camden:lead",
    "--borough",
    "LBHF",
    "--borough",
    "GLA:supporter",
    "--amount",
    "£45k",
    "--summary",
    "Join up the carers' registers of two boroughs.",
    "--outcome",
    "Unpaid carers in Camden and Hammersmith and Fulham are offered respite and a benefits "
    "check within a week of telling either borough that they care for someone.",
    "--standard",
    "Open Referral UK",
    "--standard",
    "Data Ethics Framework",
    "--plan",
    "Any borough maps its carers' register to the same schema and joins the agreement.",
    "--output",
    "Carers' register schema:OGL-UK-3.0",
    "--output",
    "Matching code:mit",
    "--sustainability",
    "Each borough runs the matching within its adult social care budget.",
]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the repository's ledgers, proposals and schemas, as the current folder."""
    for folder in ("ledgers", "proposals", "schemas"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOTI_LEDGER", raising=False)
    return tmp_path


def new(*args: str, input: str | None = None) -> Run:
    return invoke("proposal", "new", *args, input=input)


def check(path: Path) -> Run:
    return invoke("proposal", "check", str(path))


def plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def test_a_complete_proposal_passes_every_rule(project: Path) -> None:
    result = new(*FULL)
    assert result.exit_code == 0, result.output
    path = project / "proposals" / "cr-07.yaml"
    assert result.stdout == (
        "wrote proposals/cr-07.yaml (CR-07, draft, Covid Recovery)\n"
        "proposals/cr-07.yaml passes every rule for 2020-21\n"
    )
    assert result.stderr == ""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schemas/proposal.schema.json\n")
    data = parse(text).data
    assert data["id"] == "CR-07"
    assert data["title"] == "Shared data on carers: who needs help #first"
    assert data["pillar"] == "Covid Recovery"
    assert data["area"] == "Identifying Needs"
    assert data["status"] == "draft"
    assert data["financial_year"] == "2020-21"
    assert data["boroughs"] == [
        {"name": "Camden", "role": "lead"},
        {"name": "Hammersmith and Fulham", "role": "delivery"},
        {"name": "GLA", "role": "supporter"},
    ]
    assert data["budget"] == {"requested": 45000}
    assert data["outcome"].startswith("Unpaid carers in Camden")
    assert data["replicability"]["standards"] == ["Open Referral UK", "Data Ethics Framework"]
    assert data["outputs"] == [
        {"name": "Carers' register schema", "licence": "OGL-UK-3.0", "gifted": True},
        {"name": "Matching code", "licence": "MIT", "gifted": True},
    ]
    assert "personal_data" not in data
    checked = check(path)
    assert checked.exit_code == 0
    assert checked.stdout == "1 checked, 1 passed, 0 failed, 0 waived\n"
    assert checked.stderr == ""
    assert list(Draft7Validator(generate_schema("proposal")).iter_errors(plain(data))) == []


def test_the_comments_quote_the_strategy(project: Path) -> None:
    result = new(*FULL)
    assert result.exit_code == 0
    assert result.stdout.startswith("wrote proposals/cr-07.yaml (CR-07, draft, Covid Recovery)\n")
    assert result.stderr == ""
    text = (project / "proposals" / "cr-07.yaml").read_text(encoding="utf-8")
    for quote in (
        '"Which specific people do we want to be better off in which specific ways because '
        'we acted?"',
        '"be aligned with our core objectives"',
        '"be supported and delivered by at least',
        '"be replicable by other LOTI boroughs',
        "based on common standards/principles)",
        '"gift their outputs to LOTI for',
        '"compatible with the financial reality our members',
        "financially sustainable models",
    ):
        assert quote in text, quote
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert len(comments) > 20


def test_sections_left_out_are_written_empty_and_reported(project: Path) -> None:
    result = new(
        "--no-input",
        "--title",
        "An idea",
        "--pillar",
        "Smarter London",
        "--borough",
        "Sutton",
        "--borough",
        "Kingston",
        "--amount",
        "5000",
    )
    assert result.exit_code == 1
    path = project / "proposals" / "sl-03.yaml"
    text = path.read_text(encoding="utf-8")
    lines = result.stdout.splitlines()
    assert lines[0] == "wrote proposals/sl-03.yaml (SL-03, draft, Smarter London)"
    assert lines[1] == "5 thing(s) to do before a panel:"
    codes = [line.split(": ")[1].split()[0] for line in lines[2:7]]
    assert sorted(codes) == ["FP3", "FP3", "FP4", "PC1", "PC5"]
    assert lines[-1] == "then run: loti proposal check proposals/sl-03.yaml"
    assert "IN1" not in result.stdout and "IN2" not in result.stdout
    assert result.stderr == ""
    assert "# TODO: who will be better off, and how." in text
    assert "\noutcome:\n" in text and "\n  standards: []\n" in text and "\noutputs: []\n" in text
    assert "# area: optional, one of Standards, Practice" in text
    checked = check(path)
    assert checked.exit_code == 1
    assert sorted(line.split(": ")[1].split()[0] for line in checked.stdout.splitlines()[1:6]) == [
        "FP3",
        "FP3",
        "FP4",
        "PC1",
        "PC5",
    ]
    assert checked.stdout.endswith("\n1 checked, 0 passed, 1 failed, 0 waived\n")
    assert checked.stderr == ""


def test_dash_prints_the_proposal_and_writes_nothing(project: Path) -> None:
    before = sorted(p.name for p in (project / "proposals").iterdir())
    result = new("-", *FULL)
    assert result.exit_code == 0
    assert result.stdout.startswith(
        "# yaml-language-server: $schema=schemas/proposal.schema.json\n"
    )
    assert parse(result.stdout).data["id"] == "CR-07"
    assert result.stderr == "the proposal passes every rule for 2020-21\n"
    assert sorted(p.name for p in (project / "proposals").iterdir()) == before


def test_dash_places_what_is_left_to_do_in_the_printed_text(project: Path) -> None:
    args = [a for a in FULL if a != "--outcome"]
    args.remove(next(a for a in FULL if a.startswith("Unpaid carers")))
    result = new("-", *args)
    (todo,) = [line for line in result.stderr.splitlines() if " PC1 " in line]
    line = int(todo.split(":")[1])
    assert todo.strip().startswith("<stdout>:")
    assert result.stdout.splitlines()[line - 1].startswith("outcome:")


def test_a_file_elsewhere_in_the_project_points_at_the_schema_relatively(project: Path) -> None:
    (project / "drafts").mkdir()
    result = new("drafts/idea.yaml", *FULL)
    assert result.exit_code == 0, result.output
    first = (project / "drafts" / "idea.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/proposal.schema.json"


def test_outside_a_project_no_schema_line_is_written_and_a_note_says_how(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Never the current folder's schema as an absolute path, nor the installed package's copy:
    # the line is committed with the file and read on other machines.
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    result = new(str(elsewhere / "idea.yaml"), *FULL)
    assert result.exit_code == 0, result.output
    text = (elsewhere / "idea.yaml").read_text(encoding="utf-8")
    assert "$schema=" not in text.replace("# # yaml-language-server: $schema=", "")
    assert "file:" not in text and "site-packages" not in text and str(elsewhere) not in text
    assert text.startswith(
        "# For completion and checking as you type, save the proposal schema in the\n"
        "# project's top folder (`loti schema proposal > schemas/proposal.schema.json`)\n"
        "# and make this the first line:\n"
        "# # yaml-language-server: $schema=schemas/proposal.schema.json\n"
    )
    assert result.stderr == (
        f"loti: note: no proposal schema in this project, so {elsewhere / 'idea.yaml'} has no "
        "$schema line; for completion and checking as you type, save one with\n"
        f"  loti schema proposal > {elsewhere / 'schemas' / 'proposal.schema.json'}\n"
        "and make this the file's first line:\n"
        "  # yaml-language-server: $schema=schemas/proposal.schema.json\n"
    )


def test_in_a_repository_the_schema_line_is_relative_to_its_top(project: Path) -> None:
    (project / ".git").write_text("gitdir: /elsewhere/.git/worktrees/x\n", encoding="utf-8")
    (project / "teams" / "data").mkdir(parents=True)
    result = new("teams/data/idea.yaml", *FULL)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    first = (project / "teams" / "data" / "idea.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/proposal.schema.json"


def test_a_repository_without_a_schema_never_points_outside_itself(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # schemas/ above the repository belongs to no one who clones it
    repository = project / "repo"
    (repository / ".git").mkdir(parents=True)
    (repository / "proposals").mkdir()
    shutil.copytree(project / "ledgers", repository / "ledgers")
    monkeypatch.chdir(repository / "proposals")
    result = new("cr-07.yaml", "--ledger", "../ledgers/2020-21.yaml", *FULL)
    assert result.exit_code == 0, result.output
    text = (repository / "proposals" / "cr-07.yaml").read_text(encoding="utf-8")
    assert not text.startswith("# yaml-language-server")
    assert "# # yaml-language-server: $schema=../schemas/proposal.schema.json\n" in text
    assert result.stderr == (
        "loti: note: no proposal schema in this project, so cr-07.yaml has no $schema line; "
        "for completion and checking as you type, save one with\n"
        "  loti schema proposal > ../schemas/proposal.schema.json\n"
        "and make this the file's first line:\n"
        "  # yaml-language-server: $schema=../schemas/proposal.schema.json\n"
    )
    # once saved where the note says, the next proposal gets the line
    (repository / "schemas").mkdir()
    shutil.copy(project / "schemas" / "proposal.schema.json", repository / "schemas")
    again = new("cr-08.yaml", "--id", "CR-08", "--ledger", "../ledgers/2020-21.yaml", *FULL)
    assert again.exit_code == 0, again.output
    assert again.stderr == ""
    first = (repository / "proposals" / "cr-08.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/proposal.schema.json"


def test_a_printed_proposal_without_a_schema_says_how_to_add_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(ROOT / "ledgers", tmp_path / "ledgers")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LOTI_LEDGER", raising=False)
    result = new("-", *FULL)
    assert result.exit_code == 0
    assert result.stdout.startswith("# For completion and checking as you type")
    assert "# # yaml-language-server: $schema=schemas/proposal.schema.json\n" in result.stdout
    assert "file:" not in result.stdout
    assert result.stderr.startswith(
        "loti: note: no proposal schema in this project, so the proposal has no $schema line"
    )
    assert "  loti schema proposal > schemas/proposal.schema.json\n" in result.stderr
    assert result.stderr.endswith("the proposal passes every rule for 2020-21\n")


def test_an_existing_file_is_not_replaced_without_force(project: Path) -> None:
    path = project / "proposals" / "mine.yaml"
    path.write_text("keep: me\n", encoding="utf-8")
    result = new(str(path), *FULL)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("loti: error: ")
    assert "already exists; choose another FILE, or replace it with --force" in result.stderr
    assert path.read_text(encoding="utf-8") == "keep: me\n"
    replaced = new(str(path), *FULL, "--force")
    assert replaced.exit_code == 0
    assert replaced.stdout == (
        "wrote proposals/mine.yaml (CR-07, draft, Covid Recovery)\n"
        "proposals/mine.yaml passes every rule for 2020-21\n"
    )
    assert replaced.stderr == ""
    assert parse(path.read_text(encoding="utf-8")).data["id"] == "CR-07"


def test_an_id_in_use_is_refused_with_the_next_free_one(project: Path) -> None:
    result = new(*FULL, "--id", "cr-02")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: --id 'cr-02': is already the id of proposals/cr-02.yaml; the next free "
        "one is CR-07\n"
    )
    assert not (project / "proposals" / "cr-07.yaml").exists()


def test_missing_essentials_with_no_input_exit_2(project: Path) -> None:
    result = new("--no-input", "--title", "Half an idea")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: missing --pillar, --borough (at least two), --amount: give them as "
        "options, or run it at a terminal (without --no-input) to be asked\n"
    )
    assert sorted(p.name for p in (project / "proposals").iterdir()) == sorted(
        p.name for p in (ROOT / "proposals").iterdir()
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("--pillar", "Covid Recovry"),
            "not a pillar (Covid Recovery, Developing Capabilities or Smarter London); did you mean 'Covid Recovery'?",
        ),
        (("--area", "Practise"), "'Practise' is not an area of Covid Recovery"),
        (
            ("--borough", "Camdn"),
            "'Camdn' is not a London borough nor a LOTI partner; did you mean 'Camden'?",
        ),
        (
            ("--borough", "Camden:sponsor"),
            "role 'sponsor' is not one of lead, delivery or supporter",
        ),
        (("--borough", "Camden:lead", "--borough", "camden"), "Camden is already listed"),
        (
            ("--borough", "Camden", "--borough", "GLA"),
            "only 1 member borough(s) lead or deliver (Camden)",
        ),
        (("--borough", "Camden", "--borough", "Bromley"), "only 1 member borough(s)"),
        (("--amount", "lots"), "--amount 'lots': 'lots' is not an amount"),
        (("--amount", "0"), "is £0"),
        (("--output", "Guide:Proprietary"), "'Proprietary' is not an open licence"),
        (("--output", "Guide:OGL-3.0"), "did you mean 'OGL-UK-3.0'?"),
        (("--output", "Guide"), "write it as NAME:LICENCE"),
        (("--standard", ""), "--standard '': is empty"),
        (("--dpia", " "), "--dpia ' ': is empty"),
        (("--year", "2031-32"), "no ledger for --year 2031-32"),
    ],
)
def test_choices_are_checked_against_the_ledger(
    project: Path, change: tuple[str, ...], message: str
) -> None:
    args = list(FULL)
    option = change[0]
    if option in ("--borough", "--output"):
        while option in args:  # replace every use of a repeatable option
            index = args.index(option)
            del args[index : index + 2]
    elif option in args:
        index = args.index(option)
        del args[index : index + 2]
    result = new(*args, *change)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert message in result.stderr
    assert not (project / "proposals" / "cr-07.yaml").exists()


def test_personal_data_needs_a_dpia(project: Path) -> None:
    result = new(*FULL, "--dpia", "DPIA-2020-031", "--status", "submitted")
    assert result.exit_code == 0, result.output
    data = parse((project / "proposals" / "cr-07.yaml").read_text(encoding="utf-8")).data
    assert data["personal_data"] is True
    assert data["dpia"] == "DPIA-2020-031"
    assert data["status"] == "submitted"


def test_text_is_folded_and_reads_back_exactly(project: Path) -> None:
    odd = 'It\'s "quoted": a #hash, two  spaces, and a trailing colon:'
    result = new(*FULL, "--id", "X-1", "--summary", odd, "--title", "- [not] a list: {really}")
    assert result.exit_code == 0, result.output
    data = parse((project / "proposals" / "x-1.yaml").read_text(encoding="utf-8")).data
    assert data["summary"].rstrip("\n") == " ".join(odd.split())
    assert data["title"] == "- [not] a list: {really}"


ANSWERS = "\n".join(
    [
        "Carers' data",  # title
        "Covid Recovry",  # pillar, misspelt: asked again
        "2",  # pillar by number: Covid Recovery is the first, so 2 is Developing Capabilities
        "",  # no area
        "",  # the suggested id
        "Ealing",  # first borough: lead
        "",  # only one: asked for more
        "Sutton:delivery",
        "GLA:supporter",
        "",  # done
        "£20,000",
        "",  # no summary
        "Apprentices from under-represented groups get permanent jobs.",
        "IfATE standards, DDaT framework",
        "Any borough hosts apprentices from its own levy.",
        "Handbook:Proprietary",  # not open: asked again
        "Handbook:CC-BY-4.0",
        "",  # no more outputs
        "",  # no sustainability yet
        "n",  # no personal data
        "",
    ]
)


def test_at_a_terminal_it_asks(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(proposal_edit, "_interactive", lambda: True)
    result = new(input=ANSWERS)
    assert result.exit_code == 0, result.output
    assert "'Covid Recovry' is not a pillar" in result.stderr
    assert "only 1 member borough(s) lead or deliver (Ealing)" in result.stderr
    assert "'Proprietary' is not an open licence" in result.stderr
    assert "Member boroughs in 2020-21: Barnet, Brent" in result.stderr
    path = project / "proposals" / "dc-06.yaml"
    assert "wrote proposals/dc-06.yaml (DC-06, draft, Developing Capabilities)" in result.stdout
    # Only the sustainability was left to write: PC5, a warning.
    assert "1 thing(s) to do before a panel:" in result.stdout
    assert "PC5" in result.stdout
    data = parse(path.read_text(encoding="utf-8")).data
    assert data["pillar"] == "Developing Capabilities"
    assert "area" not in data
    assert data["boroughs"] == [
        {"name": "Ealing", "role": "lead"},
        {"name": "Sutton", "role": "delivery"},
        {"name": "GLA", "role": "supporter"},
    ]
    assert data["budget"] == {"requested": 20000}
    assert data["replicability"]["standards"] == ["IfATE standards", "DDaT framework"]
    assert data["outputs"] == [{"name": "Handbook", "licence": "CC-BY-4.0", "gifted": True}]
    assert data["sustainability"] is None


def test_no_input_wins_over_a_terminal(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(proposal_edit, "_interactive", lambda: True)
    result = new("--yes", "--title", "x")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "loti: error: missing --pillar, --borough (at least two), --amount: give them as "
        "options, or run it at a terminal (without --no-input) to be asked\n"
    )


def test_the_delivery_keys_are_offered_as_comments_that_load_when_uncommented(
    project: Path,
) -> None:
    result = new(*FULL)
    assert result.exit_code == 0, result.output
    path = project / "proposals" / "cr-07.yaml"
    text = path.read_text(encoding="utf-8")
    assert "delivery" not in parse(text).data  # a draft has no delivery yet
    assert "    # url: where it is published, once it is (needed to close the project, CL1)\n" in (
        text
    )
    block = text[text.index("# delivery:\n") :]
    uncommented = "\n".join(
        line[2:].replace("# done:", "done: 2020-12-17  #").replace("# actual:", "actual: 4  #")
        for line in block.splitlines()
    )
    path.write_text(text[: text.index("# delivery:\n")] + uncommented + "\n", encoding="utf-8")
    data = parse(path.read_text(encoding="utf-8")).data
    assert data["delivery"]["phase"] == "discovery"
    assert data["delivery"]["milestones"][0]["done"] == "2020-12-17"
    checked = check(path)
    assert (checked.exit_code, checked.stderr) == (0, "")
    assert checked.stdout == "1 checked, 1 passed, 0 failed, 0 waived\n"
    assert list(Draft7Validator(generate_schema("proposal")).iter_errors(plain(data))) == []
