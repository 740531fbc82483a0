"""A round out of the database as an assessment document (see ``app/core/assessment_file/``).

:func:`export_assessment` reads everything that belongs to a round in a fixed
number of queries and writes it in the format's fixed order, so an unchanged
round always gives the same file. ``docs/assessment-format.md`` describes it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.assessment_file import FORMAT, FORMAT_VERSION, format_datetime
from app.data.challenge import challenge_threads
from app.data.framework_store import framework_for_round
from app.data.inspection import round_findings
from app.data.models import Answer, AssessmentRound, EvidenceItem, Membership, Response, User, answer_evidence
from app.data.moderation import round_picture
from app.data.plan import round_actions
from app.data.report_statements import report_sign_off, report_statements, statement_subjects
from app.extensions import db

__all__ = ["export_assessment"]


def _date(value) -> str | None:
    return None if value is None else value.isoformat()


def export_assessment(assessment_round: AssessmentRound) -> dict[str, Any]:
    """The whole round as an assessment document (see docs/assessment-format.md)."""
    framework = framework_for_round(assessment_round)
    order = {b.id: n for n, b in enumerate(framework.benchmarks)}
    subject_order = {**{d.id: -len(framework.domains) + n for n, d in enumerate(framework.domains)}, **order}
    picture = round_picture(assessment_round, "en")  # the file is in English, like its codes
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
        .options(selectinload(EvidenceItem.subjects))
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
    statements = report_statements(assessment_round.id)
    sign_off = report_sign_off(assessment_round.id)
    user_ids |= {row.updated_by_id for row in statements.values()} | ({sign_off.recorded_by_id} if sign_off else set())
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
        "board": _board(assessment_round.board),
        "framework": {
            "version": assessment_round.framework_version.version,
            "sha256": assessment_round.framework_version.content_hash,
            "source": assessment_round.framework_version.source_text,
        },
        "round": {
            "title": assessment_round.title,
            "title_cy": assessment_round.title_cy,
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
                "kind": item.kind,
                "period_start": _date(item.period_start),
                "period_end": _date(item.period_end),
                "subjects": sorted(item.subject_ids, key=lambda s: (subject_order.get(s, len(subject_order)), s)),
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
                "measure_about": action.measure_about,
                "baseline": action.baseline,
                "baseline_on": _date(action.baseline_on),
                "target": action.target,
                "target_by": _date(action.target_by),
                "latest": action.latest,
                "latest_on": _date(action.latest_on),
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
        "report": {
            "statements": [
                {"subject": subject, "text": statements[subject].text, "updated_at": format_datetime(statements[subject].updated_at),
                 "updated_by": email(statements[subject].updated_by_id)}
                for subject in statement_subjects(d.id for d in framework.domains)
                if subject in statements
            ],
            "sign_off": None if sign_off is None else {
                "approved_on": _date(sign_off.approved_on),
                "chair": sign_off.chair_name,
                "recorded_at": format_datetime(sign_off.recorded_at),
                "recorded_by": email(sign_off.recorded_by_id),
            },
        },
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


def _board(board) -> dict[str, Any]:
    """The board as the file holds it: its names, kind, nation, local authorities and partners, in the board's order."""
    return {
        "name": board.name,
        "name_cy": board.name_cy,
        "kind": board.kind,
        "nation": board.nation,
        "local_authorities": [area.name for area in board.local_authorities],
        "partners": [{"agency": partner.agency, "statutory": partner.statutory} for partner in board.partners],
    }
