"""Starting a new round from the board's last one (benchmark ids are stable)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from app.data.database import rows_changed
from app.data.models import Answer, AssessmentRound, Response, User, answer_evidence
from app.extensions import db


def carry_forward_answers(previous: AssessmentRound, new: AssessmentRound, user: User) -> int:
    """Copy each member's last answers into their new response; return how many were copied.

    Only benchmarks whose id exists in both frameworks are copied, with the
    evidence register items each answer cited; the copy is a starting point
    the member reviews, so the response stays "in progress".
    """
    old = db.session.execute(
        select(Response.membership_id, Answer.benchmark_id, Answer.rating, Answer.evidence, Answer.no_evidence_yet)
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.round_id == previous.id, Answer.rating.is_not(None))
    ).all()
    targets = dict(
        db.session.execute(
            select(Response.membership_id, Response.id).where(Response.round_id == new.id)
        ).all()
    )
    now = datetime.now(UTC)
    copied = 0
    for membership_id, benchmark_id, rating, evidence, no_evidence_yet in old:
        response_id = targets.get(membership_id)
        if response_id is None:
            continue
        copied += rows_changed(
            update(Answer)
            .where(Answer.response_id == response_id, Answer.benchmark_id == benchmark_id)
            .values(rating=rating, evidence=evidence, no_evidence_yet=no_evidence_yet, updated_at=now, updated_by_id=user.id)
            .execution_options(synchronize_session=False)
        )
    _carry_citations(previous, new)
    return copied


def _carry_citations(previous: AssessmentRound, new: AssessmentRound) -> None:
    """Cite in each new answer the register items its member cited last time (two queries and one insert)."""
    old = (
        select(Response.membership_id, Answer.benchmark_id, answer_evidence.c.evidence_item_id)
        .join(Answer, Answer.response_id == Response.id)
        .join(answer_evidence, answer_evidence.c.answer_id == Answer.id)
        .where(Response.round_id == previous.id, Answer.rating.is_not(None))
    )
    cited = db.session.execute(old).all()
    if not cited:
        return
    answer_ids = {
        (membership_id, benchmark_id): answer_id
        for membership_id, benchmark_id, answer_id in db.session.execute(
            select(Response.membership_id, Answer.benchmark_id, Answer.id)
            .join(Answer, Answer.response_id == Response.id)
            .where(Response.round_id == new.id)
        )
    }
    links = [
        {"answer_id": answer_ids[(membership_id, benchmark_id)], "evidence_item_id": item_id}
        for membership_id, benchmark_id, item_id in cited
        if (membership_id, benchmark_id) in answer_ids
    ]
    if links:
        db.session.execute(insert(answer_evidence), links)
