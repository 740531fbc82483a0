"""`sait import-assessment` asks before it changes anything, gives existing accounts no role unasked, and holds texts to the web's limits."""

from __future__ import annotations

import json
import types
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

import pytest
from pydantic import BaseModel
from sqlalchemy import select

from app.core.assessment_file import AssessmentFileError, read_document, schema
from app.core.assessment_file.schema import WEB_LIMITS, OneOf, WebLimit
from app.data.assessment_import import (
    RoleGrantRefused,
    import_assessment,
    web_text_limits,
)
from app.data.models import AssessmentRound, AuditEvent, EvidenceItem, Membership, User
from app.evidence.forms import REFERENCE_MAX_CHARS
from app.extensions import db
from app.web.form_fields import TEXT_MAX_CHARS
from tests.integration.test_assessment_file import GOOD, GOOD_V2, row_counts

MANAGER = "manager@gwyr.example.org"  # business manager in the example file
POLICE = "police@gwyr.example.org"  # a member in the example file
BOARD_NAME = "Bwrdd Diogelu Plant Gŵyr"


def good() -> dict[str, Any]:
    return json.loads(GOOD.read_text(encoding="utf-8"))


def write(tmp_path: Path, document: dict[str, Any]) -> Path:
    path = tmp_path / "round.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run(runner, path: Path, *options: str, input: str | None = None):
    return runner.invoke(args=["sait", "import-assessment", *options, str(path)], input=input)


def roles_of(email: str) -> list[tuple[str, str]]:
    """(board name, role) of every place the account has."""
    user = db.session.scalar(select(User).where(User.email == email))
    return sorted((m.board.name, m.role) for m in db.session.scalars(select(Membership).where(Membership.user_id == user.id)))


# -- roles for accounts that already exist -----------------------------------


@pytest.fixture
def administrator(make_user, make_board, add_member) -> User:
    """The site administrator, whose email the file gives the business manager's role; they manage another board."""
    user = make_user("Alex Administrator", email=MANAGER, is_admin=True)
    add_member(user, make_board("Powys Board"), "business_manager", "local_authority")
    return user


def test_an_existing_account_gets_no_role_without_grant_roles_and_nothing_changes(runner, administrator):
    before = row_counts()
    result = run(runner, GOOD, "--yes")
    assert result.exit_code == 1
    assert (
        f"The file would give a role on '{BOARD_NAME}' to 1 account that already exists here:\n"
        f"  {MANAGER}: business_manager for Local authority children's services [SITE ADMINISTRATOR] [also business_manager of 'Powys Board']\n"
    ) in result.stderr
    assert "Nothing was imported. If they should have these roles, re-run with --grant-roles." in result.stderr
    assert "Imported round" not in result.stdout
    assert row_counts() == before
    assert roles_of(MANAGER) == [("Powys Board", "business_manager")]
    assert db.session.scalar(select(AssessmentRound)) is None


def test_with_grant_roles_the_role_is_given_and_the_plan_flags_the_administrator(runner, administrator):
    result = run(runner, GOOD, "--grant-roles", "--yes")
    assert result.exit_code == 0, result.output
    assert (
        f"    {MANAGER} (Alex Administrator): business_manager for Local authority children's services "
        "[EXISTING ACCOUNT GIVEN THIS ROLE] [SITE ADMINISTRATOR] [also business_manager of 'Powys Board']\n"
    ) in result.stdout
    assert "1 existing account would be GIVEN a role on the board." in result.stdout
    assert f"Gave roles on the board to 1 existing account:\n  {MANAGER}\n" in result.stdout
    assert roles_of(MANAGER) == [(BOARD_NAME, "business_manager"), ("Powys Board", "business_manager")]
    db.session.refresh(administrator)
    assert administrator.is_admin and administrator.name == "Alex Administrator"
    granted = db.session.scalars(select(AuditEvent.detail).where(AuditEvent.action == "role_granted", AuditEvent.object_id == str(administrator.id))).all()
    assert granted == [{"email": MANAGER, "role": "business_manager", "agency": "local_authority", "by": "assessment import"}]
    imported = db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "assessment_imported"))
    assert imported["roles_granted"] == [MANAGER]


def test_the_import_itself_refuses_a_grant_it_was_not_allowed(app, administrator):
    """Whoever calls it, not only the command."""
    before = row_counts()
    with pytest.raises(RoleGrantRefused) as refused:
        import_assessment(read_document(GOOD.read_text(encoding="utf-8")))
    assert [person.email for person in refused.value.people] == [MANAGER]
    assert row_counts() == before


def test_a_place_already_on_the_board_is_no_grant_and_is_kept(runner, tmp_path, make_board, make_user, add_member):
    board = make_board(BOARD_NAME)
    add_member(make_user("Siân Davies", email=MANAGER), board, "business_manager", "local_authority")
    # The file makes them business manager; here they are a member, which the import keeps.
    add_member(make_user("Gareth Morgan", email=POLICE), board, "member", "police")
    document = good()
    document["people"][3]["role"] = "business_manager"
    result = run(runner, write(tmp_path, document), "--yes")
    assert result.exit_code == 0, result.output
    assert f"    {MANAGER} (Siân Davies): already business_manager on the board [existing account, kept as it is]\n" in result.stdout
    assert (
        f"    {POLICE} (Gareth Morgan): already member on the board "
        "[existing account, kept as it is; the file's business_manager is not applied]\n"
    ) in result.stdout
    assert "GIVEN" not in result.stdout
    assert roles_of(POLICE) == [(BOARD_NAME, "member")]


# -- the plan and the question -------------------------------------------------


PLAN = f"""Plan for {GOOD}:
  Board: {BOARD_NAME} (new: it will be created)
  Round: Hunanasesiad 2026 (moderated), framework version test.1 (new: it will be stored)
  2 responses, 60 answers, 1 evidence item, 30 agreed ratings, 1 action, 6 inspection findings, 1 recommendation, 2 challenge comments
  People (4) and their role on the board:
    health@gwyr.example.org (Dr Eleri Hughes): member for Local health board [new account]
    inspector@inspectorate.example.org (Huw Williams): inspector for Other [new account]
    {MANAGER} (Siân Davies): business_manager for Local authority children's services [new account]
    {POLICE} (Gareth Morgan): member for Police [new account]
"""


def test_the_plan_is_printed_then_the_question_and_yes_imports(runner):
    result = run(runner, GOOD, input="y\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(PLAN + "Import? [y/N]: y\nImported round ")
    assert db.session.scalar(select(AssessmentRound.title)) == "Hunanasesiad 2026"


def test_yes_skips_the_question(runner):
    result = run(runner, GOOD, "--yes")
    assert result.exit_code == 0, result.output
    assert "Import?" not in result.stdout
    assert result.stdout.startswith(PLAN + "Imported round ")


@pytest.mark.parametrize("answer", ["n\n", "\n", ""], ids=["no", "enter", "end of input"])
def test_anything_but_yes_changes_nothing(runner, answer):
    before = row_counts()
    result = run(runner, GOOD, input=answer)
    assert result.exit_code == 1
    assert result.stdout.startswith(PLAN + "Import? [y/N]: ")
    assert "Imported round" not in result.stdout
    if answer:
        assert "Error: Not imported (you did not answer y): nothing was changed." in result.stderr
    assert row_counts() == before


# -- texts held to the web's limits ----------------------------------------------


def evidence_limit(app) -> int:
    return app.config["SAIT_EVIDENCE_MAX_CHARS"]


# Each text the file holds that people type in the web app, and the limit of the web form it is typed in.
TEXTS = [
    (("responses", 0, "answers", 0, "evidence"), evidence_limit),  # the questionnaire
    (("agreed_ratings", 0, "rationale"), evidence_limit),  # moderation
    (("inspection", "findings", 0, "text"), evidence_limit),  # inspection findings
    (("challenges", 0, "text"), evidence_limit),  # challenge threads
    (("evidence", 0, "impact"), lambda app: TEXT_MAX_CHARS),  # the evidence register
    (("evidence", 0, "reference"), lambda app: REFERENCE_MAX_CHARS),
    (("evidence", 0, "title"), lambda app: 200),
    (("actions", 0, "description"), lambda app: TEXT_MAX_CHARS),  # the action plan
    (("actions", 0, "success_measure"), lambda app: TEXT_MAX_CHARS),
    (("actions", 0, "lead_person"), lambda app: 200),
    (("inspection", "recommendations", 0, "text"), lambda app: 2000),  # recommendations
    (("round", "title"), lambda app: 200),  # opening a round
    (("board", "name"), lambda app: 200),  # the administrator's board form
    (("people", 0, "name"), lambda app: 200),  # adding a person
]


def path_of(keys: tuple[str | int, ...]) -> str:
    """``("responses", 0, "answers")`` as the checker writes it: ``responses[0].answers``."""
    return "".join(f"[{key}]" if isinstance(key, int) else f".{key}" for key in keys).lstrip(".")


def with_text(keys: tuple[str | int, ...], length: int) -> dict[str, Any]:
    document = good()
    part = document
    for key in keys[:-1]:
        part = part[key]
    part[keys[-1]] = "a" * length
    return document


@pytest.mark.parametrize(("keys", "limit"), TEXTS, ids=[path_of(keys) for keys, _limit in TEXTS])
def test_a_text_one_over_the_web_limit_is_refused_and_one_at_it_is_imported(runner, tmp_path, keys, limit):
    most = limit(runner.app)
    before = row_counts()
    path = write(tmp_path, with_text(keys, most + 1))
    result = run(runner, path, "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{path}: {path_of(keys)}: is {most + 1} characters long; at most {most} are allowed"
    assert "1 problem found; nothing was imported." in result.stderr
    assert row_counts() == before

    result = run(runner, write(tmp_path, with_text(keys, most)), "--yes")
    assert result.exit_code == 0, result.output


def test_the_evidence_limit_is_the_web_setting(runner, tmp_path, monkeypatch):
    """The import reads the same setting as the questionnaire, so the two cannot differ."""
    monkeypatch.setitem(runner.app.config, "SAIT_EVIDENCE_MAX_CHARS", 40)
    path = write(tmp_path, with_text(("responses", 1, "answers", 2, "evidence"), 41))
    result = run(runner, path, "--yes")
    assert result.exit_code == 1
    assert f"{path}: responses[1].answers[2].evidence: is 41 characters long; at most 40 are allowed" in result.stderr


def test_every_over_long_text_is_listed_and_the_import_itself_checks_them(app):
    document = with_text(("responses", 0, "answers", 0, "evidence"), 5001)
    document["actions"][0]["description"] = "b" * 2001
    before = row_counts()
    # Read without the web's limits, as a caller might: the import holds the texts to them all the same.
    with pytest.raises(AssessmentFileError) as error:
        import_assessment(read_document(json.dumps(document)))
    assert error.value.problems == [
        "responses[0].answers[0].evidence: is 5001 characters long; at most 5000 are allowed",
        "actions[0].description: is 2001 characters long; at most 2000 are allowed",
    ]
    assert row_counts() == before


def text_limits(model: type[BaseModel]) -> dict[str, str | None]:
    """Each text of ``model`` (not a code to choose, a date or a time) and the web limit on it (None: only the file's own)."""
    texts = {}
    for key, field in model.model_fields.items():
        annotation, metadata = field.annotation, list(field.metadata)
        if get_origin(annotation) in (Union, types.UnionType):  # ``X | None``: X carries its own markers
            (annotation,) = (arg for arg in get_args(annotation) if arg is not type(None))
            if get_origin(annotation) is Annotated:
                annotation, *metadata = get_args(annotation)
        if annotation is str and not any(isinstance(marker, OneOf) for marker in metadata):
            texts[key] = next((marker.name for marker in metadata if isinstance(marker, WebLimit)), None)
    return texts


def test_every_web_limit_has_a_value_and_every_typed_text_a_limit(app):
    limits = web_text_limits()
    assert set(limits) == set(WEB_LIMITS)
    assert limits["answer_evidence"] == 5000 and limits["evidence_impact"] == 2000 and limits["recommendation_text"] == 2000
    names = ["board", "round", "person", "evidence", "answer", "agreed", "action", "finding", "recommendation", "challenge", "statement", "sign_off"]
    models = [
        schema.Board,
        schema.Round,
        schema.Person,
        schema.Evidence,
        schema.Answer,
        schema.AgreedRating,
        schema.Action,
        schema.Finding,
        schema.Recommendation,
        schema.Challenge,
        schema.Statement,
        schema.SignOff,
    ]
    texts = {f"{name}.{key}": limit for name, model in zip(names, models, strict=True) for key, limit in text_limits(model).items()}
    assert {limit for limit in texts.values() if limit} == set(WEB_LIMITS)
    # Every free text of those parts (not ids, levels or codes) is under a web limit.
    unlimited = {path for path, limit in texts.items() if limit is None}
    assert unlimited == {
        "statement.subject",
        "board.kind",
        "board.nation",
        "round.target_level",
        "evidence.ref",
        "answer.benchmark",
        "answer.rating",
        "agreed.benchmark",
        "agreed.rating",
        "action.domain",
        "finding.subject",
        "finding.level",
        "challenge.benchmark",
    }


# -- evidence tags and action measures (version 2) -------------------------------

# Each bad tag or measure, and what the import says: the file is refused whole.
BAD_TAGS_AND_MEASURES = [
    ("evidence", "kind", "survey", "evidence[0].kind: 'survey' is not a kind of evidence (one of: "),
    ("evidence", "subjects", ["outcomes.99"], "evidence[0].subjects[0]: 'outcomes.99' is not a domain or benchmark of framework test.1"),
    ("evidence", "period_end", "2025-03-31", "evidence[0].period_end: '2025-03-31' is before the start of the period ('2025-04-01')"),
    ("evidence", "period_start", "2025-04-31", "evidence[0].period_start: '2025-04-31' is not a date like 2026-03-31"),
    ("actions", "target_by", "next year", "actions[0].target_by: 'next year' is not a date like 2026-03-31"),
    ("actions", "measure_about", "outcomes", "actions[0].measure_about: 'outcomes' is not what a measure is about (one of: "),
]


@pytest.mark.parametrize(("part", "key", "value", "problem"), BAD_TAGS_AND_MEASURES, ids=[f"{part}.{key}" for part, key, _v, _p in BAD_TAGS_AND_MEASURES])
def test_a_bad_tag_or_measure_is_refused_and_nothing_is_saved(runner, tmp_path, part, key, value, problem):
    document = json.loads(GOOD_V2.read_text(encoding="utf-8"))
    document[part][0][key] = value
    path = write(tmp_path, document)
    before = row_counts()
    result = run(runner, path, "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].startswith(f"{path}: {problem}")
    assert "1 problem found; nothing was imported." in result.stderr
    assert row_counts() == before


@pytest.mark.parametrize("key", ["baseline", "target", "latest"])
def test_a_measure_value_is_held_to_the_plan_form_s_limit(runner, tmp_path, key):
    document = json.loads(GOOD_V2.read_text(encoding="utf-8"))
    document["actions"][0][key] = "5" * 201
    path = write(tmp_path, document)
    result = run(runner, path, "--yes")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{path}: actions[0].{key}: is 201 characters long; at most 200 are allowed"
    document["actions"][0][key] = "5" * 200
    result = run(runner, write(tmp_path, document), "--yes")
    assert result.exit_code == 0, result.output


def test_an_item_the_board_has_is_reused_only_with_the_same_tags(runner, tmp_path):
    """A register item tagged differently here is another item, so the round's citations bear on what they did."""
    assert run(runner, GOOD, "--yes").exit_code == 0  # the audit, untagged
    document = json.loads(GOOD_V2.read_text(encoding="utf-8"))
    document["round"]["title"] = "Hunanasesiad 2027"
    assert run(runner, write(tmp_path, document), "--yes").exit_code == 0  # the audit, tagged
    document["round"]["title"] = "Hunanasesiad 2028"
    assert run(runner, write(tmp_path, document), "--yes").exit_code == 0  # tagged the same: reused
    items = db.session.scalars(select(EvidenceItem).order_by(EvidenceItem.id)).all()
    assert [(item.kind, item.subject_ids) for item in items] == [(None, []), ("audit", ["outcomes", "outcomes.1"])]
