"""A checked assessment document into the database, creating whatever is missing.

:func:`import_assessment` writes a document that ``read_document`` (in
``app/assessment_file/``) has checked: the board, the framework version
(from the source text the file carries), people (without a password and
disabled, until an administrator invites them), their place on the board and
the evidence are created if missing; the round and everything in it always
are. Nothing is committed unless all of it is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select

from app.assessment_file import AssessmentFileError, embedded_framework, parse_date, parse_datetime
from app.audit import record
from app.extensions import db
from app.framework import Framework
from app.models import (
    Action,
    ActionBenchmark,
    AgreedRating,
    Answer,
    AssessmentRound,
    Board,
    ChallengeComment,
    EvidenceItem,
    Finding,
    FrameworkVersion,
    Inspection,
    Membership,
    Recommendation,
    RecommendationSubject,
    Response,
    User,
    agreed_rating_evidence,
    answer_evidence,
)

__all__ = ["ImportedAssessment", "import_assessment"]


@dataclass(frozen=True)
class ImportedAssessment:
    """What an import did: the new round, and what it had to create."""

    round_id: int
    board_created: bool
    framework_created: bool
    people_created: tuple[str, ...]
    responses: int
    actions: int


def import_assessment(document: dict[str, Any]) -> ImportedAssessment:
    """Write a checked document (``read_document``) into the database; commits only if all of it is written.

    Raises :class:`AssessmentFileError` when the board already has a round
    with the same title (importing twice), and nothing is saved.
    """
    try:
        return _import(document)
    except Exception:
        db.session.rollback()
        raise


def _import(document: dict[str, Any]) -> ImportedAssessment:
    framework = embedded_framework(document)
    board, board_created = _board(document["board"]["name"])
    title = document["round"]["title"]
    if board_created is False and db.session.scalar(
        select(func.count()).select_from(AssessmentRound).where(AssessmentRound.board_id == board.id, AssessmentRound.title == title)
    ):
        raise AssessmentFileError([f"round.title: {board.name!r} already has a round called {title!r}; nothing was imported"])
    version, framework_created = _framework_version(document["framework"])
    users, created = _people(document["people"], board)
    who = {email: user.id for email, user in users.items()}

    def user_id(email: str | None) -> int | None:
        return None if email is None else who[email.lower()]

    part = document["round"]
    assessment_round = AssessmentRound(
        board_id=board.id,
        framework_version_id=version.id,
        title=title,
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
            "responses": len(document["responses"]),
            "actions": len(document["actions"]),
        },
    )
    db.session.commit()
    return ImportedAssessment(
        assessment_round.id, board_created, framework_created, tuple(sorted(created)), len(document["responses"]), len(document["actions"])
    )


def _stamped(part: dict[str, Any], user_id) -> dict[str, Any]:
    """The created and updated times and people of a part of the file, as model fields."""
    return {
        "created_at": parse_datetime(part["created_at"]),
        "created_by_id": user_id(part["created_by"]),
        "updated_at": parse_datetime(part["updated_at"]),
        "updated_by_id": user_id(part["updated_by"]),
    }


def _board(name: str) -> tuple[Board, bool]:
    board = db.session.scalar(select(Board).where(Board.name == name))
    if board is not None:
        return board, False
    board = Board(name=name)
    db.session.add(board)
    db.session.flush()
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
            db.session.add(
                Membership(user_id=user.id, board_id=board.id, role=person["role"], agency=person["agency"], removed_at=parse_datetime(person["removed_at"]))
            )
            places.add(user.id)
    db.session.flush()
    return users, created


def _evidence(items: list[dict[str, Any]], board: Board, user_id) -> dict[str, int]:
    """Evidence ref -> register item id; an item the board already has (same title, agency, date and text) is reused."""
    existing = {
        (e.title, e.source_agency, e.evidence_date, e.impact, e.reference): e.id
        for e in db.session.scalars(select(EvidenceItem).where(EvidenceItem.board_id == board.id)).all()
    }
    ids = {}
    for item in items:
        key = (item["title"], item["source_agency"], parse_date(item["date"]), item["impact"], item["reference"])
        if key not in existing:
            row = EvidenceItem(
                board_id=board.id,
                title=item["title"],
                source_agency=item["source_agency"],
                evidence_date=key[2],
                impact=item["impact"],
                reference=item["reference"],
                **_stamped(item, user_id),
            )
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
