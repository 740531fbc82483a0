"""The database side of the assessment file: a round out as a document, a checked document in.

``app/assessment_file.py`` defines and checks the document; this module reads
a round into one (:func:`export_assessment`) and writes a checked one into
the database (:func:`import_assessment`), creating whatever is missing:
the board, the framework version (from the source text the file carries),
people (without a password and disabled, until an administrator invites
them), their place on the board, and the evidence. Nothing is committed
unless all of it is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import selectinload

from app.assessment_file import FORMAT, FORMAT_VERSION, AssessmentFileError, embedded_framework, format_datetime, parse_date, parse_datetime
from app.audit import record
from app.extensions import db
from app.framework import Framework
from app.framework_store import framework_for_round
from app.inspection.data import challenge_threads, round_findings
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
from app.moderation.data import round_picture
from app.plan.data import round_actions

__all__ = ["ImportedAssessment", "export_assessment", "import_assessment"]


# -- export ----------------------------------------------------------------


def _date(value) -> str | None:
    return None if value is None else value.isoformat()


def export_assessment(assessment_round: AssessmentRound) -> dict[str, Any]:
    """The whole round as an assessment document (see docs/assessment-format.md)."""
    framework = framework_for_round(assessment_round)
    order = {b.id: n for n, b in enumerate(framework.benchmarks)}
    subject_order = {**{d.id: -len(framework.domains) + n for n, d in enumerate(framework.domains)}, **order}
    picture = round_picture(assessment_round)
    responses = db.session.scalars(
        select(Response).where(Response.round_id == assessment_round.id).options(selectinload(Response.membership).selectinload(Membership.user))
    ).all()
    answers = db.session.scalars(select(Answer).where(Answer.response_id.in_([r.id for r in responses]))).all() if responses else []
    answer_cites = _links(answer_evidence.c.answer_id, answer_evidence.c.evidence_item_id, [a.id for a in answers])
    agreed_cites = {row.id: [item.id for item in row.evidence] for row in picture.agreed.values()}
    evidence_ids = {i for ids in answer_cites.values() for i in ids} | {i for ids in agreed_cites.values() for i in ids}
    evidence = db.session.scalars(
        select(EvidenceItem)
        .where(EvidenceItem.id.in_(evidence_ids))
        .order_by(EvidenceItem.evidence_date.desc(), EvidenceItem.created_at, EvidenceItem.id)
    ).all() if evidence_ids else []
    refs = {item.id: f"E{n}" for n, item in enumerate(evidence, start=1)}
    actions = sorted(round_actions(assessment_round.id), key=lambda a: (a.due_date, a.created_at, a.id))
    findings = round_findings(assessment_round.id)
    challenges = sorted((c for thread in challenge_threads(assessment_round.id).values() for c in thread), key=lambda c: (c.created_at, c.id))

    user_ids = {assessment_round.opened_by_id} | {r.membership.user_id for r in responses}
    user_ids |= {a.updated_by_id for a in answers} | {row.updated_by_id for row in picture.agreed.values()}
    user_ids |= {i.created_by_id for i in evidence} | {i.updated_by_id for i in evidence}
    user_ids |= {a.created_by_id for a in actions} | {a.updated_by_id for a in actions}
    user_ids |= {c.author_id for c in challenges}
    if findings.inspection is not None:
        inspection = findings.inspection
        user_ids |= {inspection.created_by_id, inspection.updated_by_id, inspection.published_by_id}
        user_ids |= {f.updated_by_id for f in findings.findings.values()}
        user_ids |= {r.created_by_id for r in findings.recommendations} | {r.updated_by_id for r in findings.recommendations}
    user_ids.discard(None)
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(user_ids))).all()} if user_ids else {}
    places = {
        m.user_id: m
        for m in db.session.scalars(select(Membership).where(Membership.board_id == assessment_round.board_id, Membership.user_id.in_(list(users)))).all()
    } if users else {}

    def email(user_id: int | None) -> str | None:
        return users[user_id].email if user_id in users else None

    answers_by_response: dict[int, list[Answer]] = {}
    for answer in answers:
        answers_by_response.setdefault(answer.response_id, []).append(answer)

    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "board": {"name": assessment_round.board.name},
        "framework": {
            "version": assessment_round.framework_version.version,
            "sha256": assessment_round.framework_version.content_hash,
            "source": assessment_round.framework_version.source_text,
        },
        "round": {
            "title": assessment_round.title,
            "status": assessment_round.status,
            "target_level": assessment_round.target_level,
            "deadline": _date(assessment_round.deadline),
            "opened_at": format_datetime(assessment_round.created_at),
            "closed_at": format_datetime(assessment_round.closed_at),
            "opened_by": email(assessment_round.opened_by_id),
        },
        "people": [
            {
                "email": user.email,
                "name": user.name,
                "role": places[user.id].role if user.id in places else None,
                "agency": places[user.id].agency if user.id in places else None,
                "removed_at": format_datetime(places[user.id].removed_at) if user.id in places else None,
            }
            for user in sorted(users.values(), key=lambda u: u.email.lower())
        ],
        "evidence": [
            {
                "ref": refs[item.id],
                "title": item.title,
                "source_agency": item.source_agency,
                "date": _date(item.evidence_date),
                "impact": item.impact,
                "reference": item.reference,
                **_stamps(item, email),
            }
            for item in evidence
        ],
        "responses": [
            {
                "respondent": response.membership.user.email,
                "agency": response.agency,
                "status": response.status,
                "created_at": format_datetime(response.created_at),
                "submitted_at": format_datetime(response.submitted_at),
                "answers": [
                    {
                        "benchmark": answer.benchmark_id,
                        "rating": answer.rating,
                        "evidence": answer.evidence,
                        "no_evidence_yet": answer.no_evidence_yet,
                        "cites": sorted((refs[i] for i in answer_cites.get(answer.id, ())), key=_ref_order),
                        "updated_at": format_datetime(answer.updated_at),
                        "updated_by": email(answer.updated_by_id),
                    }
                    for answer in sorted(answers_by_response.get(response.id, []), key=lambda a: (order.get(a.benchmark_id, len(order)), a.benchmark_id))
                ],
            }
            for response in sorted(responses, key=lambda r: (r.agency, r.membership.user.name, r.membership.user.email.lower()))
        ],
        "agreed_ratings": [
            {
                "benchmark": row.benchmark_id,
                "rating": row.rating,
                "rationale": row.rationale,
                "cites": sorted((refs[i] for i in agreed_cites[row.id]), key=_ref_order),
                "updated_at": format_datetime(row.updated_at),
                "updated_by": email(row.updated_by_id),
            }
            for row in sorted(picture.agreed.values(), key=lambda r: (order.get(r.benchmark_id, len(order)), r.benchmark_id))
        ],
        "actions": [
            {
                "description": action.description,
                "owner_agency": action.owner_agency,
                "lead_person": action.lead_person,
                "due_date": _date(action.due_date),
                "success_measure": action.success_measure,
                "status": action.status,
                "domain": action.domain_id,
                "benchmarks": sorted(action.benchmark_ids, key=lambda b: (order.get(b, len(order)), b)),
                **_stamps(action, email),
            }
            for action in actions
        ],
        "inspection": _export_inspection(findings, email, subject_order),
        "challenges": [
            {"benchmark": c.benchmark_id, "author": email(c.author_id), "role": c.author_role, "text": c.text, "created_at": format_datetime(c.created_at)}
            for c in challenges
        ],
        "rigour_flags": [
            {"kind": flag.kind, "benchmark": flag.benchmark_id, "agency": flag.agency, "message": flag.message} for flag in picture.flags
        ],
    }


def _stamps(row, email) -> dict[str, str | None]:
    """Who created and last changed a row, and when, as the file writes them."""
    return {
        "created_at": format_datetime(row.created_at),
        "created_by": email(row.created_by_id),
        "updated_at": format_datetime(row.updated_at),
        "updated_by": email(row.updated_by_id),
    }


def _ref_order(ref: str) -> int:
    return int(ref[1:])


def _links(left, right, ids: list[int]) -> dict[int, list[int]]:
    """Rows of a link table: left id -> right ids (one query)."""
    links: dict[int, list[int]] = {}
    if ids:
        for a, b in db.session.execute(select(left, right).where(left.in_(ids))):
            links.setdefault(a, []).append(b)
    return links


def _export_inspection(findings, email, subject_order: dict[str, int]) -> dict[str, Any] | None:
    inspection = findings.inspection
    if inspection is None:
        return None
    return {
        "inspected_on": _date(inspection.inspected_on),
        "status": inspection.status,
        "published_at": format_datetime(inspection.published_at),
        "published_by": email(inspection.published_by_id),
        **_stamps(inspection, email),
        "findings": [
            {"subject": f.subject_id, "level": f.level, "text": f.text, "updated_at": format_datetime(f.updated_at), "updated_by": email(f.updated_by_id)}
            for f in sorted(findings.findings.values(), key=lambda f: (subject_order.get(f.subject_id, len(subject_order)), f.subject_id))
        ],
        "recommendations": [
            {
                "text": r.text,
                "priority": r.priority,
                "subjects": sorted(r.subject_ids, key=lambda s: (subject_order.get(s, len(subject_order)), s)),
                **_stamps(r, email),
            }
            for r in sorted(findings.recommendations, key=lambda r: (r.created_at, r.id))
        ],
    }


# -- import ----------------------------------------------------------------


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
        # Every benchmark gets an answer row, as when a round is opened; the file's fill them in.
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
        cited = [(b, ref) for b, answer in given.items() for ref in answer["cites"]]
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
