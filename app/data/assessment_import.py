"""A checked assessment document into the database, creating whatever is missing.

:func:`read_assessment` checks a file's text, holding every text to the limit
the web app puts on it (:func:`web_text_limits`). :func:`plan_import` says,
without changing anything, what importing it would do: the board, the round,
how much it holds and each person with the role they will have.
:func:`import_assessment` writes it: the board, the framework version (from
the source text the file carries), people (without a password and disabled,
until an administrator invites them), their place on the board and the
evidence are created if missing; the round and everything in it always are.
Nothing is committed unless all of it is written.

Roles: an account the import creates gets the role the file gives it (it
cannot sign in until an administrator enables it and sends a set-password
link). An account that already exists here is never given a place on the
board unless the caller says ``grant_roles=True``; otherwise the import is
refused (:class:`RoleGrantRefused`) and nothing is saved. A place the account
already has on the board is kept as it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from app.core.assessment_file import AssessmentFileError, dump, embedded_framework, parse_date, parse_datetime, read_document
from app.core.assessment_file.schema import WEB_LIMITS
from app.core.framework import Framework
from app.core.partners import Partner
from app.core.text_limits import EMAIL_MAX_CHARS, MEASURE_VALUE_MAX_CHARS, NAME_MAX_CHARS, REFERENCE_MAX_CHARS, STATEMENT_MAX_CHARS, TEXT_MAX_CHARS
from app.data.admin import create_board
from app.data.audit import record
from app.data.models import (
    Action,
    ActionBenchmark,
    AgreedRating,
    Answer,
    AssessmentRound,
    Board,
    ChallengeComment,
    EvidenceItem,
    EvidenceSubject,
    Finding,
    FrameworkVersion,
    Inspection,
    Membership,
    Recommendation,
    RecommendationSubject,
    ReportSignOff,
    ReportStatement,
    Response,
    User,
    agreed_rating_evidence,
    answer_evidence,
)
from app.extensions import db
from app.web.agencies import catalogue

__all__ = [
    "ImportPlan",
    "ImportedAssessment",
    "PlannedPerson",
    "RoleGrantRefused",
    "import_assessment",
    "plan_import",
    "read_assessment",
    "web_text_limits",
]


@dataclass(frozen=True)
class ImportedAssessment:
    """What an import did: the new round, and what it had to create."""

    round_id: int
    board_created: bool
    framework_created: bool
    people_created: tuple[str, ...]
    responses: int
    actions: int
    #: Accounts that already existed here and were given a place on the board.
    roles_granted: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedPerson:
    """Someone the file names: their account here, and the place on the board the import gives or keeps."""

    email: str
    name: str
    #: The role and agency the file gives them on the board (None: no role).
    role: str | None
    agency: str | None
    #: When the file says they left the board (a place created for them gives no access).
    left_at: datetime | None
    new_account: bool
    site_admin: bool
    #: The role they already hold on the board, kept as it is (None: no place on it yet), and whether they left it.
    role_here: str | None
    left_here: bool
    #: Their current roles on other boards, e.g. "business_manager of 'Powys Board'".
    other_roles: tuple[str, ...]

    @property
    def gets_place(self) -> bool:
        """The import gives them a place on the board, with the file's role."""
        return self.role is not None and self.role_here is None

    @property
    def granted(self) -> bool:
        """An account that already exists here would be given a role on the board."""
        return self.gets_place and not self.new_account


@dataclass(frozen=True)
class ImportPlan:
    """What importing a checked document would do, worked out without changing anything."""

    board: str
    board_exists: bool
    round_title: str
    round_status: str
    framework_version: str
    framework_stored: bool
    responses: int
    answers: int
    evidence: int
    agreed_ratings: int
    actions: int
    findings: int
    recommendations: int
    challenges: int
    people: tuple[PlannedPerson, ...]

    @property
    def grants(self) -> tuple[PlannedPerson, ...]:
        """The existing accounts the import would give a role on the board."""
        return tuple(person for person in self.people if person.granted)


class RoleGrantRefused(Exception):
    """The file gives roles on the board to accounts that already exist, and the caller did not allow it."""

    def __init__(self, board: str, people: tuple[PlannedPerson, ...]) -> None:
        self.board, self.people = board, people
        listed = ", ".join(f"{person.email} ({person.role})" for person in people)
        super().__init__(f"the file would give roles on {board!r} to accounts that already exist: {listed}; nothing was imported")


def web_text_limits() -> dict[str, int]:
    """The limit the web app puts on each text a file holds, by name (``WEB_LIMITS``): the forms' own limits."""
    # The questionnaire, moderation, findings and challenge pages all use this one setting.
    typed = current_app.config["SAIT_EVIDENCE_MAX_CHARS"]
    limits = {
        "board_name": NAME_MAX_CHARS,
        "round_title": NAME_MAX_CHARS,
        "person_name": NAME_MAX_CHARS,
        "email": EMAIL_MAX_CHARS,
        "evidence_title": NAME_MAX_CHARS,
        "evidence_impact": TEXT_MAX_CHARS,
        "evidence_reference": REFERENCE_MAX_CHARS,
        "answer_evidence": typed,
        "agreed_rationale": typed,
        "action_description": TEXT_MAX_CHARS,
        "action_lead_person": NAME_MAX_CHARS,
        "action_success_measure": TEXT_MAX_CHARS,
        "action_measure_value": MEASURE_VALUE_MAX_CHARS,
        "finding_text": typed,
        "recommendation_text": TEXT_MAX_CHARS,
        "challenge_text": typed,
        "report_statement": STATEMENT_MAX_CHARS,
        "report_chair": NAME_MAX_CHARS,
    }
    assert set(limits) == set(WEB_LIMITS), "every web limit of the file needs its value"
    return limits


def read_assessment(text: str, filename: str = "the file") -> dict[str, Any]:
    """The checked document in a file's ``text``, every text held to the web's limit; :class:`AssessmentFileError` otherwise."""
    document = read_document(text, filename, limits=web_text_limits())
    problems = _board_problems(document["board"])
    if problems:
        raise AssessmentFileError(problems)
    return document


def _board_problems(board: dict[str, Any]) -> list[str]:
    """What in the file's board this installation's partners file (partners.yaml) does not have: its kind, nation, agencies."""
    known = catalogue()
    problems = []
    nation = known.nation(board["nation"])
    if nation is None:
        problems.append(f"board.nation: {board['nation']!r} is not a nation of partners.yaml (one of: {', '.join(n.id for n in known.nations)})")
    kind = known.kind(board["kind"])
    if kind is None:
        problems.append(f"board.kind: {board['kind']!r} is not a kind of board in partners.yaml (one of: {', '.join(k.id for k in known.kinds)})")
    elif nation is not None and nation.id not in kind.nations:
        problems.append(f"board.kind: {board['kind']!r} is not a kind of board in {nation.id!r}")
    agencies = [partner["agency"] for partner in board["partners"] or []]
    for n, agency in enumerate(agencies):
        if agency in agencies[:n]:
            problems.append(f"board.partners[{n}].agency: {agency!r} is listed twice")
    return problems


def plan_import(document: dict[str, Any]) -> ImportPlan:
    """What importing a checked document would do; changes nothing.

    Raises :class:`AssessmentFileError` when the board already has a round
    with the same title (importing twice).
    """
    board = db.session.scalar(select(Board).where(Board.name == document["board"]["name"]))
    title = document["round"]["title"]
    if board is not None and db.session.scalar(
        select(func.count()).select_from(AssessmentRound).where(AssessmentRound.board_id == board.id, AssessmentRound.title == title)
    ):
        raise AssessmentFileError([f"round.title: {board.name!r} already has a round called {title!r}; nothing was imported"])
    inspection = document["inspection"]
    return ImportPlan(
        board=document["board"]["name"],
        board_exists=board is not None,
        round_title=title,
        round_status=document["round"]["status"],
        framework_version=document["framework"]["version"],
        framework_stored=db.session.execute(
            select(func.count()).select_from(FrameworkVersion).where(FrameworkVersion.content_hash == document["framework"]["sha256"])
        ).scalar_one()
        > 0,
        responses=len(document["responses"]),
        answers=sum(len(response["answers"]) for response in document["responses"]),
        evidence=len(document["evidence"]),
        agreed_ratings=len(document["agreed_ratings"]),
        actions=len(document["actions"]),
        findings=len(inspection["findings"]) if inspection else 0,
        recommendations=len(inspection["recommendations"]) if inspection else 0,
        challenges=len(document["challenges"]),
        people=_planned_people(document["people"], board),
    )


def _planned_people(people: list[dict[str, Any]], board: Board | None) -> tuple[PlannedPerson, ...]:
    emails = [person["email"].lower() for person in people]
    users = {u.email.lower(): u for u in db.session.scalars(select(User).where(func.lower(User.email).in_(emails))).all()} if emails else {}
    ids = [user.id for user in users.values()]
    places = (
        db.session.execute(
            select(Membership.user_id, Membership.role, Membership.removed_at, Board.id.label("board_id"), Board.name.label("board_name"))
            .join(Board, Board.id == Membership.board_id)
            .where(Membership.user_id.in_(ids))
            .order_by(Board.name)
        ).all()
        if ids
        else []
    )
    planned = []
    for person in people:
        user = users.get(person["email"].lower())
        theirs = [place for place in places if user is not None and place.user_id == user.id]
        here = next((place for place in theirs if board is not None and place.board_id == board.id), None)
        planned.append(
            PlannedPerson(
                email=person["email"].lower(),
                name=person["name"] if user is None else user.name,
                role=person["role"],
                agency=person["agency"],
                left_at=parse_datetime(person["removed_at"]),
                new_account=user is None,
                site_admin=user is not None and user.is_admin,
                role_here=None if here is None else here.role,
                left_here=here is not None and here.removed_at is not None,
                other_roles=tuple(f"{place.role} of {place.board_name!r}" for place in theirs if place is not here and place.removed_at is None),
            )
        )
    return tuple(planned)


def import_assessment(document: dict[str, Any], *, grant_roles: bool = False) -> ImportedAssessment:
    """Write a checked document (``read_assessment``) into the database; the caller commits, and only if all of it is written.

    Raises :class:`AssessmentFileError` when the board already has a round
    with the same title (importing twice) or a text is longer than the web
    allows, and :class:`RoleGrantRefused` when the file gives roles on the
    board to accounts that already exist and ``grant_roles`` is false; then
    nothing is saved.
    """
    try:
        return _import(document, grant_roles)
    except Exception:
        db.session.rollback()
        raise


def _import(document: dict[str, Any], grant_roles: bool) -> ImportedAssessment:
    # Checked again against the web's limits however the document was read, so no caller can store what the web refuses.
    read_assessment(dump(document))
    plan = plan_import(document)
    if plan.grants and not grant_roles:
        raise RoleGrantRefused(plan.board, plan.grants)
    framework = embedded_framework(document)
    board, board_created = _board(document["board"])
    title = document["round"]["title"]
    version, framework_created = _framework_version(document["framework"])
    users, created = _people(document["people"], board)
    granted = tuple(sorted(person.email for person in plan.grants))
    who = {email: user.id for email, user in users.items()}

    def user_id(email: str | None) -> int | None:
        return None if email is None else who[email.lower()]

    part = document["round"]
    assessment_round = AssessmentRound(
        board_id=board.id,
        framework_version_id=version.id,
        title=title,
        title_cy=part["title_cy"],
        deadline=parse_date(part["deadline"]),
        target_level=part["target_level"],
        status=part["status"],
        opened_by_id=user_id(part["opened_by"]),
        created_at=parse_datetime(part["opened_at"]),
        closed_at=parse_datetime(part["closed_at"]),
    )
    db.session.add(assessment_round)
    db.session.flush()
    evidence = _evidence(document["evidence"], board, user_id)
    _responses(document["responses"], assessment_round, framework, users, evidence, user_id)
    _agreed(document["agreed_ratings"], assessment_round, evidence, user_id)
    _actions(document["actions"], assessment_round, user_id)
    if document["inspection"] is not None:
        _inspection(document["inspection"], assessment_round, user_id)
    for challenge in document["challenges"]:
        db.session.add(
            ChallengeComment(
                round_id=assessment_round.id,
                benchmark_id=challenge["benchmark"],
                author_id=user_id(challenge["author"]),
                author_role=challenge["role"],
                text=challenge["text"],
                created_at=parse_datetime(challenge["created_at"]),
            )
        )
    _report(document["report"], assessment_round, user_id)
    record(
        "assessment_imported",
        board_id=board.id,
        object_type="round",
        object_id=assessment_round.id,
        detail={
            "title": title,
            "framework_version": version.version,
            "board_created": board_created,
            "people_created": sorted(created),
            "roles_granted": list(granted),
            "responses": len(document["responses"]),
            "actions": len(document["actions"]),
        },
    )
    db.session.flush()
    return ImportedAssessment(
        assessment_round.id, board_created, framework_created, tuple(sorted(created)), len(document["responses"]), len(document["actions"]), granted
    )


def _stamped(part: dict[str, Any], user_id) -> dict[str, Any]:
    """The created and updated times and people of a part of the file, as model fields."""
    return {
        "created_at": parse_datetime(part["created_at"]),
        "created_by_id": user_id(part["created_by"]),
        "updated_at": parse_datetime(part["updated_at"]),
        "updated_by_id": user_id(part["updated_by"]),
    }


def _report(part: dict[str, Any], assessment_round: AssessmentRound, user_id) -> None:
    """The board's statements in its report and its sign-off, as the file holds them."""
    for statement in part["statements"]:
        db.session.add(
            ReportStatement(
                round_id=assessment_round.id,
                subject=statement["subject"],
                text=statement["text"],
                updated_at=parse_datetime(statement["updated_at"]),
                updated_by_id=user_id(statement["updated_by"]),
            )
        )
    if (sign_off := part["sign_off"]) is not None:
        db.session.add(
            ReportSignOff(
                round_id=assessment_round.id,
                approved_on=parse_date(sign_off["approved_on"]),
                chair_name=sign_off["chair"],
                recorded_at=parse_datetime(sign_off["recorded_at"]),
                recorded_by_id=user_id(sign_off["recorded_by"]),
            )
        )


def _board(part: dict[str, Any]) -> tuple[Board, bool]:
    """The board the file names, found by name and kept as it is here, or created with the file's details."""
    name = part["name"]
    board = db.session.scalar(select(Board).where(Board.name == name))
    if board is not None:
        return board, False
    partners = None if part["partners"] is None else [Partner(p["agency"], p["statutory"]) for p in part["partners"]]
    board = create_board(
        name, name_cy=part["name_cy"], nation=part["nation"], kind=part["kind"], local_authorities=part["local_authorities"], partners=partners
    )
    record("board_created", board_id=board.id, object_type="board", object_id=board.id, detail={"name": name, "by": "assessment import"})
    return board, True


def _framework_version(part: dict[str, Any]) -> tuple[FrameworkVersion, bool]:
    row = db.session.scalar(select(FrameworkVersion).where(FrameworkVersion.content_hash == part["sha256"]))
    if row is not None:
        return row, False
    row = FrameworkVersion(version=part["version"], content_hash=part["sha256"], source_text=part["source"])
    db.session.add(row)
    db.session.flush()
    return row, True


def _people(people: list[dict[str, Any]], board: Board) -> tuple[dict[str, User], set[str]]:
    """Everyone the file names, by lower-case email: existing accounts, or new ones without a password, disabled."""
    emails = [person["email"].lower() for person in people]
    users = {u.email.lower(): u for u in db.session.scalars(select(User).where(func.lower(User.email).in_(emails))).all()} if emails else {}
    created = set()
    for person in people:
        key = person["email"].lower()
        if key not in users:
            # No password and disabled: an administrator enables the account and sends a set-password link.
            user = User(email=key, name=person["name"], password_hash="", active=False)
            db.session.add(user)
            db.session.flush()
            record("user_created", object_type="user", object_id=user.id, detail={"email": key, "by": "assessment import"})
            users[key] = user
            created.add(key)
    places = {m.user_id for m in db.session.scalars(select(Membership).where(Membership.board_id == board.id)).all()}
    for person in people:
        user = users[person["email"].lower()]
        if person["role"] is not None and user.id not in places:
            removed_at = parse_datetime(person["removed_at"])
            db.session.add(Membership(user_id=user.id, board_id=board.id, role=person["role"], agency=person["agency"], removed_at=removed_at))
            places.add(user.id)
            if removed_at is None:
                record(
                    "role_granted",
                    board_id=board.id,
                    object_type="user",
                    object_id=user.id,
                    detail={"email": user.email, "role": person["role"], "agency": person["agency"], "by": "assessment import"},
                )
    db.session.flush()
    return users, created


#: The columns of a register item the file holds; with its subjects, what makes two items the same.
_EVIDENCE_COLUMNS = ("title", "source_agency", "evidence_date", "impact", "reference", "kind", "period_start", "period_end")


def _evidence(items: list[dict[str, Any]], board: Board, user_id) -> dict[str, int]:
    """Evidence ref -> register item id.

    An item the board already has with the same title, agency, date, texts,
    kind, period and subjects is reused; one that differs in any of them is
    created, so the round's citations bear on the same benchmarks as they did.
    """
    existing: dict[tuple[tuple[Any, ...], frozenset[str]], int] = {
        (tuple(getattr(e, name) for name in _EVIDENCE_COLUMNS), frozenset(e.subject_ids)): e.id
        for e in db.session.scalars(select(EvidenceItem).where(EvidenceItem.board_id == board.id).options(selectinload(EvidenceItem.subjects))).all()
    }
    ids = {}
    for item in items:
        fields = {
            "title": item["title"],
            "source_agency": item["source_agency"],
            "evidence_date": parse_date(item["date"]),
            "impact": item["impact"],
            "reference": item["reference"],
            "kind": item["kind"],
            "period_start": parse_date(item["period_start"]),
            "period_end": parse_date(item["period_end"]),
        }
        key = (tuple(fields[name] for name in _EVIDENCE_COLUMNS), frozenset(item["subjects"]))
        if key not in existing:
            row = EvidenceItem(board_id=board.id, **fields, **_stamped(item, user_id))
            row.subjects = [EvidenceSubject(subject_id=subject_id) for subject_id in sorted(item["subjects"])]
            db.session.add(row)
            db.session.flush()
            existing[key] = row.id
        ids[item["ref"]] = existing[key]
    return ids


def _responses(responses, assessment_round: AssessmentRound, framework: Framework, users, evidence: dict[str, int], user_id) -> None:
    places = {m.user_id: m.id for m in db.session.scalars(select(Membership).where(Membership.board_id == assessment_round.board_id)).all()}
    for part in responses:
        response = Response(
            round_id=assessment_round.id,
            membership_id=places[users[part["respondent"].lower()].id],
            agency=part["agency"],
            status=part["status"],
            created_at=parse_datetime(part["created_at"]),
            submitted_at=parse_datetime(part["submitted_at"]),
        )
        db.session.add(response)
        db.session.flush()
        given = {answer["benchmark"]: answer for answer in part["answers"]}
        created_at = parse_datetime(part["created_at"])
        rows = []
        # Every benchmark gets an answer row, as when a round is opened; the file's answers fill them in.
        for benchmark_id in [b.id for b in framework.benchmarks if b.id not in given] + list(given):
            answer = given.get(benchmark_id)
            rows.append(
                {
                    "response_id": response.id,
                    "benchmark_id": benchmark_id,
                    "rating": answer["rating"] if answer else None,
                    "evidence": answer["evidence"] if answer else "",
                    "no_evidence_yet": answer["no_evidence_yet"] if answer else False,
                    "version": 1,
                    "updated_at": parse_datetime(answer["updated_at"]) if answer else created_at,
                    "updated_by_id": user_id(answer["updated_by"]) if answer else None,
                }
            )
        db.session.execute(insert(Answer), rows)
        cited = list(dict.fromkeys((b, ref) for b, answer in given.items() for ref in answer["cites"]))
        if cited:
            answer_ids = dict(db.session.execute(select(Answer.benchmark_id, Answer.id).where(Answer.response_id == response.id)).all())
            db.session.execute(
                insert(answer_evidence), [{"answer_id": answer_ids[b], "evidence_item_id": evidence[ref]} for b, ref in cited]
            )


def _agreed(rows: list[dict[str, Any]], assessment_round: AssessmentRound, evidence: dict[str, int], user_id) -> None:
    for part in rows:
        row = AgreedRating(
            round_id=assessment_round.id,
            benchmark_id=part["benchmark"],
            rating=part["rating"],
            rationale=part["rationale"],
            updated_at=parse_datetime(part["updated_at"]),
            updated_by_id=user_id(part["updated_by"]),
        )
        db.session.add(row)
        db.session.flush()
        _link(agreed_rating_evidence, "agreed_rating_id", row.id, "evidence_item_id", (evidence[ref] for ref in part["cites"]))


def _link(table, left: str, left_id: int, right: str, right_ids: Iterable) -> None:
    values = [{left: left_id, right: right_id} for right_id in dict.fromkeys(right_ids)]
    if values:
        db.session.execute(insert(table), values)


def _actions(rows: list[dict[str, Any]], assessment_round: AssessmentRound, user_id) -> None:
    for part in rows:
        action = Action(
            board_id=assessment_round.board_id,
            round_id=assessment_round.id,
            description=part["description"],
            owner_agency=part["owner_agency"],
            lead_person=part["lead_person"],
            due_date=parse_date(part["due_date"]),
            success_measure=part["success_measure"],
            measure_about=part["measure_about"],
            baseline=part["baseline"],
            baseline_on=parse_date(part["baseline_on"]),
            target=part["target"],
            target_by=parse_date(part["target_by"]),
            latest=part["latest"],
            latest_on=parse_date(part["latest_on"]),
            status=part["status"],
            domain_id=part["domain"],
            **_stamped(part, user_id),
        )
        db.session.add(action)
        db.session.flush()
        _link(ActionBenchmark, "action_id", action.id, "benchmark_id", part["benchmarks"])


def _inspection(part: dict[str, Any], assessment_round: AssessmentRound, user_id) -> None:
    inspection = Inspection(
        board_id=assessment_round.board_id,
        round_id=assessment_round.id,
        inspected_on=parse_date(part["inspected_on"]),
        status=part["status"],
        published_at=parse_datetime(part["published_at"]),
        published_by_id=user_id(part["published_by"]),
        **_stamped(part, user_id),
    )
    db.session.add(inspection)
    db.session.flush()
    for finding in part["findings"]:
        db.session.add(
            Finding(
                inspection_id=inspection.id,
                subject_id=finding["subject"],
                level=finding["level"],
                text=finding["text"],
                updated_at=parse_datetime(finding["updated_at"]),
                updated_by_id=user_id(finding["updated_by"]),
            )
        )
    for recommendation in part["recommendations"]:
        row = Recommendation(
            inspection_id=inspection.id,
            text=recommendation["text"],
            priority=recommendation["priority"],
            **_stamped(recommendation, user_id),
        )
        db.session.add(row)
        db.session.flush()
        _link(RecommendationSubject, "recommendation_id", row.id, "subject_id", recommendation["subjects"])
