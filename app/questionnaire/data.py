"""Data access for rounds, responses and answers (the views call these, never raw queries).

Saving an answer is a compare-and-set on its `version`: the update only
applies if the version the person started from is still current. If not,
someone (another tab, another device) changed it first; the caller keeps
both texts and tells the person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import joinedload, selectinload

from app.audit import record
from app.extensions import db
from app.framework import Framework
from app.models import Answer, AssessmentRound, Membership, Response, User

ANSWERED = Answer.rating.is_not(None)


@dataclass(frozen=True)
class AnswerInput:
    """What a person submitted for one benchmark."""

    benchmark_id: str
    rating: str | None
    evidence: str
    no_evidence_yet: bool
    version: int


@dataclass(frozen=True)
class SaveOutcome:
    saved: list[str]
    conflicts: list[str]
    unchanged: list[str]


def response_for(assessment_round: AssessmentRound, membership: Membership) -> Response | None:
    return db.session.scalar(
        select(Response).where(
            Response.round_id == assessment_round.id, Response.membership_id == membership.id
        )
    )


def answers_by_benchmark(response: Response, benchmark_ids: list[str] | None = None) -> dict[str, Answer]:
    """The answers of a response (all, or those for `benchmark_ids`), with who last changed them, in one query."""
    query = select(Answer).where(Answer.response_id == response.id).options(joinedload(Answer.updated_by))
    if benchmark_ids is not None:
        query = query.where(Answer.benchmark_id.in_(benchmark_ids))
    rows = db.session.scalars(query).all()
    return {answer.benchmark_id: answer for answer in rows}


def create_response(assessment_round: AssessmentRound, membership: Membership, framework: Framework) -> Response:
    """A response for an invited member, with an empty answer per benchmark."""
    response = Response(round_id=assessment_round.id, membership_id=membership.id, agency=membership.agency)
    db.session.add(response)
    db.session.flush()
    db.session.execute(
        Answer.__table__.insert(),
        [
            {
                "response_id": response.id,
                "benchmark_id": benchmark.id,
                "rating": None,
                "evidence": "",
                "no_evidence_yet": False,
                "version": 1,
                "updated_at": datetime.now(timezone.utc),
                "updated_by_id": None,
            }
            for benchmark in framework.benchmarks
        ],
    )
    return response


def save_answers(response: Response, inputs: list[AnswerInput], user: User, *, via: str) -> SaveOutcome:
    """Store changed answers with a version check; record each change in the audit trail."""
    current = answers_by_benchmark(response, [item.benchmark_id for item in inputs])
    saved, conflicts, unchanged = [], [], []
    now = datetime.now(timezone.utc)
    for item in inputs:
        answer = current.get(item.benchmark_id)
        if answer is None:
            continue
        if (answer.rating, answer.evidence, answer.no_evidence_yet) == (item.rating, item.evidence, item.no_evidence_yet):
            unchanged.append(item.benchmark_id)
            continue
        result = db.session.execute(
            update(Answer)
            .where(and_(Answer.id == answer.id, Answer.version == item.version))
            .values(
                rating=item.rating,
                evidence=item.evidence,
                no_evidence_yet=item.no_evidence_yet,
                version=Answer.version + 1,
                updated_at=now,
                updated_by_id=user.id,
            )
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:
            saved.append(item.benchmark_id)
            record(
                "answer_saved",
                board_id=response.round.board_id,
                object_type="answer",
                object_id=answer.id,
                detail={
                    "round": response.round_id,
                    "benchmark": item.benchmark_id,
                    "rating": item.rating,
                    "evidence_chars": len(item.evidence),
                    "no_evidence_yet": item.no_evidence_yet,
                    "via": via,
                },
            )
        elif _now_holds(answer.id, item):
            # Another save of the very same change got there first (an
            # autosave still in flight when the form was sent): nothing to
            # reconcile.
            unchanged.append(item.benchmark_id)
        else:
            conflicts.append(item.benchmark_id)
            # The losing text is kept in the audit trail as well as on the page,
            # so it survives even if the person closes the tab.
            record(
                "answer_conflict",
                board_id=response.round.board_id,
                object_type="answer",
                object_id=answer.id,
                detail={
                    "round": response.round_id,
                    "benchmark": item.benchmark_id,
                    "your_rating": item.rating,
                    "your_evidence": item.evidence,
                    "your_no_evidence_yet": item.no_evidence_yet,
                    "from_version": item.version,
                    "via": via,
                },
            )
    db.session.commit()
    db.session.expire_all()
    return SaveOutcome(saved, conflicts, unchanged)


def _now_holds(answer_id: int, item: AnswerInput) -> bool:
    stored = db.session.execute(
        select(Answer.rating, Answer.evidence, Answer.no_evidence_yet).where(Answer.id == answer_id)
    ).one()
    return tuple(stored) == (item.rating, item.evidence, item.no_evidence_yet)


@dataclass
class RespondentProgress:
    response: Response
    answered: int


def round_progress(assessment_round: AssessmentRound) -> list[RespondentProgress]:
    """Each invited respondent with how many benchmarks they have answered."""
    counts = dict(
        db.session.execute(
            select(Answer.response_id, func.count())
            .join(Response, Response.id == Answer.response_id)
            .where(Response.round_id == assessment_round.id, ANSWERED)
            .group_by(Answer.response_id)
        ).all()
    )
    responses = db.session.scalars(
        select(Response)
        .where(Response.round_id == assessment_round.id)
        .options(selectinload(Response.membership).selectinload(Membership.user))
    ).all()
    progress = [RespondentProgress(r, counts.get(r.id, 0)) for r in responses]
    return sorted(progress, key=lambda p: (p.response.agency, p.response.membership.user.name))


def board_memberships(board_id: int, roles: tuple[str, ...] = ("member", "business_manager")) -> list[Membership]:
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.board_id == board_id, Membership.role.in_(roles), Membership.removed_at.is_(None))
            .options(selectinload(Membership.user))
        ).all()
    )


def rounds_for_board(board_id: int) -> list[AssessmentRound]:
    return list(
        db.session.scalars(
            select(AssessmentRound)
            .where(AssessmentRound.board_id == board_id)
            .order_by(AssessmentRound.created_at.desc(), AssessmentRound.id.desc())
        ).all()
    )
