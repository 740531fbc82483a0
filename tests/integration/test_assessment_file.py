"""The assessment file: export, import into a fresh installation, refuse bad files, round-trip exactly."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select

from app.core.assessment_file import AssessmentFileError, dump, read_document
from app.data import assessment_import
from app.data.models import (
    Action,
    AssessmentRound,
    AuditEvent,
    Board,
    ChallengeComment,
    EvidenceItem,
    EvidenceSubject,
    FrameworkVersion,
    Membership,
    ReportSignOff,
    ReportStatement,
    User,
)
from app.extensions import db
from app.web.agencies import catalogue
from tests.integration.inspection_helpers import all_domains, record_findings
from tests.integration.report_round import OVERDUE_ACTION

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "assessment"
#: A file of the version export writes (3): the example in docs/assessment-format.md.
GOOD_V3 = FIXTURES / "good_v3.json"
#: A file of version 2 (2026.2, before boards' details and Welsh names were carried).
GOOD_V2 = FIXTURES / "good_v2.json"
#: The same round as a version 1 file, as exported before evidence was tagged and actions measured (2026.2).
GOOD = FIXTURES / "good.json"
BAD_ANSWERS_PROBLEMS = [
    "people[0].name: must not be empty",
    "evidence[0].surprise: is not part of the format",
    "round.opened_at: '2026-03-02T09:30:00' has no time zone (end it with Z for UTC)",
    "responses[0].answers[3].rating: 'excelent' is not a level (one of: inadequate, requires_improvement, good, outstanding, not_known, not_applicable)",
    "responses[1].respondent: 'nobody@example.org' is not in people",
    "responses[1].answers[0].benchmark: 'outcomes.99' is not a benchmark of framework test.1",
    "agreed_ratings[2].cites[0]: 'E7' is not the ref of a piece of evidence in this file",
    "actions[0].due_date: '31/09/2026' is not a date like 2026-03-31",
    "actions[0].status: 'finished' is not an action status (one of: not_started, on_track, at_risk, done)",
    "inspection.findings[0].level: 'excellent' is not a level (one of: inadequate, requires_improvement, good, outstanding)",
    "challenges[0].role: 'member' is not a challenge role (one of: inspector, business_manager)",
]


def row_counts() -> dict[str, int]:
    """How many rows every table holds."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables}


def empty_database() -> None:
    """Delete every row, as in a fresh installation (the schema stays)."""
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


def export(runner, round_id: int, target: Path) -> str:
    result = runner.invoke(args=["sait", "export-assessment", str(round_id), "-o", str(target)])
    assert result.exit_code == 0, result.output
    return target.read_text(encoding="utf-8")


def import_file(runner, path: Path):
    return runner.invoke(args=["sait", "import-assessment", "--yes", str(path)])


def only_round_id() -> int:
    return db.session.scalar(select(AssessmentRound.id))


def test_the_example_file_imports_into_a_fresh_installation_and_exports_unchanged(runner, tmp_path):
    result = import_file(runner, GOOD_V3)
    assert result.exit_code == 0, result.output
    assert "Created the board." in result.stdout and "Stored the round's framework version." in result.stdout
    assert "Created 4 accounts, disabled and without passwords until invited:" in result.stdout
    board = db.session.scalar(select(Board))
    assert board.name == "Bwrdd Diogelu Plant Gŵyr"
    people = db.session.scalars(select(User).order_by(User.email)).all()
    assert [(u.email, u.active, u.password_hash) for u in people] == [
        ("health@gwyr.example.org", False, ""),
        ("inspector@inspectorate.example.org", False, ""),
        ("manager@gwyr.example.org", False, ""),
        ("police@gwyr.example.org", False, ""),
    ]
    roles = dict(db.session.execute(select(User.email, Membership.role).join(Membership, Membership.user_id == User.id)).all())
    assert roles["inspector@inspectorate.example.org"] == "inspector" and roles["police@gwyr.example.org"] == "member"
    assert db.session.scalar(select(FrameworkVersion.version)) == "test.1"
    assert db.session.scalar(select(func.count()).select_from(ChallengeComment)) == 2
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "assessment_imported")) == "assessment_imported"
    item = db.session.scalar(select(EvidenceItem))
    assert (item.kind, item.period_start, item.period_end, item.subject_ids) == ("audit", date(2025, 4, 1), date(2026, 1, 31), ["outcomes", "outcomes.1"])
    action = db.session.scalar(select(Action))
    assert measure(action) == ("children_and_families", "58%", date(2026, 3, 1), "80%", date(2027, 3, 31), "64%", date(2026, 3, 14))
    statements = {row.subject: row.text for row in db.session.scalars(select(ReportStatement))}
    assert list(statements) == ["overall", "outcomes"] and "cymorth cynnar" in statements["overall"]
    sign_off = db.session.scalar(select(ReportSignOff))
    assert (sign_off.approved_on, sign_off.chair_name) == (date(2026, 3, 27), "Dr Eleri Price")
    councils = ["City and County of Swansea", "Neath Port Talbot County Borough Council"]
    assert (board.kind, [a.name for a in board.local_authorities]) == ("regional_safeguarding_board", councils)
    assert [(p.agency, p.statutory) for p in board.partners][-2:] == [("education", False), ("third_sector", False)]  # the file's list, not Wales's
    assert export(runner, only_round_id(), tmp_path / "again.json") == GOOD_V3.read_text(encoding="utf-8")


def measure(action: Action) -> tuple:
    return (action.measure_about, action.baseline, action.baseline_on, action.target, action.target_by, action.latest, action.latest_on)


def test_a_version_1_file_imports_as_untagged_evidence_and_actions_without_a_measure(runner, tmp_path):
    """Files exported before 2026.2 still import; exported again they are version 3, with the new keys empty."""
    result = import_file(runner, GOOD)
    assert result.exit_code == 0, result.output
    item = db.session.scalar(select(EvidenceItem))
    assert (item.kind, item.period_start, item.period_end, item.subject_ids) == (None, None, None, [])
    assert measure(db.session.scalar(select(Action))) == (None,) * 7
    expected = json.loads(GOOD_V3.read_text(encoding="utf-8"))
    expected["board"] = welsh_local_board(expected["board"]["name"])
    expected["report"] = {"statements": [], "sign_off": None}  # older files have no statements in the report
    expected["evidence"][0].update(kind=None, period_start=None, period_end=None, subjects=[])
    expected["actions"][0].update(dict.fromkeys(("measure_about", "baseline", "baseline_on", "target", "target_by", "latest", "latest_on")))
    # Untagged, the audit counts for every rating that cites it, so the flags are the version 1 file's.
    expected["rigour_flags"] = json.loads(GOOD.read_text(encoding="utf-8"))["rigour_flags"]
    assert export(runner, only_round_id(), tmp_path / "again.json") == dump(expected)


def welsh_local_board(name: str) -> dict:
    """The board of a file from before version 3, as it is created and exported again: a Welsh local board, Wales's partners."""
    wales = catalogue().nation("wales")
    return {
        "name": name,
        "name_cy": None,
        "kind": "local_safeguarding_children_board",
        "nation": "wales",
        "local_authorities": [],
        "partners": [{"agency": p.agency, "statutory": p.statutory} for p in wales.partners],
    }


def test_a_version_2_file_imports_as_a_welsh_local_board_and_exports_as_version_3(runner, tmp_path):
    result = import_file(runner, GOOD_V2)
    assert result.exit_code == 0, result.output
    board = db.session.scalar(select(Board))
    assert (board.kind, board.nation, board.name_cy, board.local_authorities) == ("local_safeguarding_children_board", "wales", None, [])
    expected = json.loads(GOOD_V3.read_text(encoding="utf-8"))
    expected["board"] = welsh_local_board(expected["board"]["name"])
    expected["report"] = {"statements": [], "sign_off": None}  # older files have no statements in the report
    # With Wales's partners, the statutory partners missing are the version 2 file's.
    expected["rigour_flags"] = json.loads(GOOD_V2.read_text(encoding="utf-8"))["rigour_flags"]
    assert export(runner, only_round_id(), tmp_path / "again.json") == dump(expected)


def test_the_welsh_names_and_the_board_s_details_survive_a_move(runner, tmp_path):
    document = json.loads(GOOD_V3.read_text(encoding="utf-8"))
    document["board"].update(name="Western Bay Safeguarding Board", name_cy="Bwrdd Diogelu Bae'r Gorllewin")
    document["round"].update(title="Self-assessment 2026", title_cy="Hunanasesiad 2026")
    path = tmp_path / "welsh.json"
    path.write_text(dump(document), encoding="utf-8")
    assert import_file(runner, path).exit_code == 0
    board = db.session.scalar(select(Board))
    welsh = (board.name_cy, db.session.scalar(select(AssessmentRound.title_cy)))
    assert welsh == ("Bwrdd Diogelu Bae'r Gorllewin", "Hunanasesiad 2026")
    assert export(runner, only_round_id(), tmp_path / "again.json") == dump(document)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        ({"kind": "county_board"}, "board.kind: 'county_board' is not a kind of board in partners.yaml (one of: regional_safeguarding_board, "),
        ({"nation": "scotland"}, "board.nation: 'scotland' is not a nation of partners.yaml (one of: wales, england)"),
        ({"kind": "safeguarding_partnership"}, "board.kind: 'safeguarding_partnership' is not a kind of board in 'wales'"),
        (
            {"partners": [{"agency": "police", "statutory": True}, {"agency": "police", "statutory": False}]},
            "board.partners[1].agency: 'police' is listed twice",
        ),
    ],
)
def test_a_board_this_installation_cannot_hold_is_refused_and_nothing_is_saved(runner, tmp_path, edit, problem):
    document = json.loads(GOOD_V3.read_text(encoding="utf-8"))
    document["board"].update(edit)
    path = tmp_path / "bad_board.json"
    path.write_text(dump(document), encoding="utf-8")
    result = import_file(runner, path)
    assert result.exit_code == 1
    assert problem in result.stderr
    assert db.session.scalar(select(func.count()).select_from(Board)) == 0


def test_export_then_import_then_export_gives_the_same_file(runner, known_round, tmp_path):
    record_findings(
        known_round.round,
        known_round.inspector,
        {**all_domains(known_round.built.framework, "good"), "outcomes.1": "inadequate"},
        recommendations=[("Agree outcome measures", "immediate", ("outcomes", "outcomes.1"))],
    )
    db.session.add(
        ChallengeComment(
            round_id=known_round.round.id,
            benchmark_id="outcomes.1",
            author_id=known_round.inspector.id,
            author_role="inspector",
            text="What changed for children?",
            created_at=datetime(2026, 4, 1, 10, 0, 0, 123456, tzinfo=UTC),
        )
    )
    # Tagged and measured, as the register and the plan record them since 2026.2.
    known_round.evidence.kind = "performance_data"
    known_round.evidence.period_start, known_round.evidence.period_end = date(2025, 4, 1), date(2026, 3, 31)
    known_round.evidence.subjects = [EvidenceSubject(subject_id="strategy.2"), EvidenceSubject(subject_id="governance")]
    overdue = db.session.scalar(select(Action).where(Action.description == OVERDUE_ACTION))
    overdue.measure_about, overdue.baseline, overdue.baseline_on = "board_process", "12 of 30 plans", date(2026, 1, 31)
    overdue.target, overdue.target_by, overdue.latest, overdue.latest_on = "30 of 30 plans", date(2026, 12, 31), "19 of 30 plans", date(2026, 6, 30)
    db.session.commit()
    first = export(runner, known_round.round.id, tmp_path / "first.json")
    document = json.loads(first)
    (item,) = document["evidence"]
    tags = (item["kind"], item["period_start"], item["period_end"], item["subjects"])
    assert tags == ("performance_data", "2025-04-01", "2026-03-31", ["governance", "strategy.2"])
    (measured,) = [action for action in document["actions"] if action["description"] == OVERDUE_ACTION]
    assert {key: measured[key] for key in ("measure_about", "baseline", "baseline_on", "target", "target_by", "latest", "latest_on")} == {
        "measure_about": "board_process",
        "baseline": "12 of 30 plans",
        "baseline_on": "2026-01-31",
        "target": "30 of 30 plans",
        "target_by": "2026-12-31",
        "latest": "19 of 30 plans",
        "latest_on": "2026-06-30",
    }
    (unmeasured,) = [action for action in document["actions"] if action["description"] != OVERDUE_ACTION]
    assert unmeasured["measure_about"] is None and unmeasured["baseline"] is None and unmeasured["latest_on"] is None
    assert document["board"]["name"] == known_round.board.name
    assert len(document["responses"]) == 4 and len(document["actions"]) == 2 and len(document["evidence"]) == 1
    assert document["agreed_ratings"][0]["benchmark"] == "outcomes.1"
    assert {flag["kind"] for flag in document["rigour_flags"]} >= {"statutory_missing", "disagreement"}
    assert document["inspection"]["findings"][0] == {
        "subject": "outcomes",
        "level": "good",
        "text": "Summary for outcomes",
        "updated_at": document["inspection"]["findings"][0]["updated_at"],
        "updated_by": known_round.inspector.email,
    }

    empty_database()
    result = import_file(runner, tmp_path / "first.json")
    assert result.exit_code == 0, result.output
    item = db.session.scalar(select(EvidenceItem))
    tags = (item.kind, item.period_start, item.period_end, item.subject_ids)
    assert tags == ("performance_data", date(2025, 4, 1), date(2026, 3, 31), ["governance", "strategy.2"])
    overdue = db.session.scalar(select(Action).where(Action.description == OVERDUE_ACTION))
    assert measure(overdue) == ("board_process", "12 of 30 plans", date(2026, 1, 31), "30 of 30 plans", date(2026, 12, 31), "19 of 30 plans", date(2026, 6, 30))
    assert export(runner, only_round_id(), tmp_path / "second.json") == first


def test_an_import_creates_only_what_is_missing(runner, make_board, make_user, add_member, tmp_path):
    board = make_board("Bwrdd Diogelu Plant Gŵyr")
    manager = make_user("Siân Davies", email="manager@gwyr.example.org")
    add_member(manager, board, "business_manager", "local_authority")
    password_hash = manager.password_hash
    result = import_file(runner, GOOD)
    assert result.exit_code == 0, result.output
    assert "Created the board." not in result.stdout
    assert "Created 3 accounts" in result.stdout and "manager@gwyr.example.org" not in result.stdout.partition("Created 3 accounts")[2]
    assert db.session.scalar(select(func.count()).select_from(Board)) == 1
    db.session.refresh(manager)
    assert manager.active and manager.password_hash == password_hash
    assert db.session.scalar(select(func.count()).select_from(Membership).where(Membership.user_id == manager.id)) == 1
    assert db.session.get(AssessmentRound, only_round_id()).board_id == board.id

    again = import_file(runner, GOOD)
    assert again.exit_code == 1
    assert "round.title: 'Bwrdd Diogelu Plant Gŵyr' already has a round called 'Hunanasesiad 2026'; nothing was imported" in again.stderr
    assert db.session.scalar(select(func.count()).select_from(AssessmentRound)) == 1


@pytest.mark.parametrize(
    ("name", "problems"),
    [
        ("bad_answers.json", BAD_ANSWERS_PROBLEMS),
        (
            "edited_framework.json",
            [
                "framework.sha256: does not match the framework's source text (was the file edited?)",
                "framework.source: framework version test.1:3: the file has unknown key 'unexpected' "
                "(the keys are: version, title, scale, target_level, evidence_level, rules, domains, english_only)",
            ],
        ),
        ("wrong_format.json", ["format: must be 'sait-assessment': this is not an assessment file"]),
    ],
)
def test_a_bad_file_is_refused_with_every_problem_listed_and_nothing_saved(runner, name, problems):
    before = row_counts()
    result = import_file(runner, FIXTURES / name)
    assert result.exit_code == 1
    path = FIXTURES / name
    assert result.stderr.splitlines()[: len(problems)] == [f"{path}: {problem}" for problem in problems]
    count = len(problems)
    assert f"{count} problem{'s' if count > 1 else ''} found; nothing was imported." in result.stderr
    assert row_counts() == before


def test_a_file_that_is_not_json_says_where(runner):
    result = import_file(runner, FIXTURES / "not_json.json")
    assert result.exit_code == 1
    assert f"{FIXTURES / 'not_json.json'}:14:5: not valid JSON (Expecting ',' delimiter)" in result.stderr


def test_a_failure_while_writing_saves_nothing(app, monkeypatch):
    document = read_document(GOOD.read_text(encoding="utf-8"))
    before = row_counts()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(assessment_import, "_actions", fail)
    with pytest.raises(RuntimeError):
        assessment_import.import_assessment(document)
    assert row_counts() == before


def test_the_checks_name_the_part_that_is_wrong():
    document = json.loads(GOOD.read_text(encoding="utf-8"))
    document["format_version"] = 4
    with pytest.raises(AssessmentFileError) as error:
        read_document(json.dumps(document))
    assert error.value.problems == ["format_version: 4 is not supported (this installation reads versions 1, 2 and 3)"]

    document = json.loads(GOOD.read_text(encoding="utf-8"))
    del document["actions"]
    document["people"].append(dict(document["people"][0]))
    document["responses"][0]["answers"][1] = "good"
    document["agreed_ratings"][0]["rating"] = 3
    with pytest.raises(AssessmentFileError) as error:
        read_document(json.dumps(document))
    assert error.value.problems == [
        "actions: is missing",
        "people[4].email: 'health@gwyr.example.org' is listed twice",
        "responses[0].answers[1]: must be an object, not text",
        "agreed_ratings[0].rating: must be text, not a number",
    ]


def test_a_report_part_the_framework_or_people_do_not_back_is_refused():
    document = json.loads(GOOD_V3.read_text(encoding="utf-8"))
    statements = document["report"]["statements"]
    statements.append({**statements[1], "subject": "outcomes"})
    statements.append({**statements[1], "subject": "finance"})
    document["report"]["sign_off"]["recorded_by"] = "nobody@example.org"
    with pytest.raises(AssessmentFileError) as error:
        read_document(json.dumps(document))
    assert error.value.problems == [
        "report.statements[2].subject: 'outcomes' is listed twice",
        "report.statements[3].subject: 'finance' is not a domain of framework test.1",
        "report.sign_off.recorded_by: 'nobody@example.org' is not in people",
    ]
