"""Data access for rounds, responses and answers (the views call these, never raw queries).

Saving an answer is a compare-and-set on its `version` (see app/data/versioning.py):
the update only applies if the version the person started from is still
current. If not, someone (another tab, another device) changed it first; the
caller keeps both texts and tells the person. What an answer cites from the
evidence register is part of the answer: changing it is a change like any other.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.framework import Framework
from app.data.links import replace_links
from app.data.models import Answer, AssessmentRound, Membership, Response, User, answer_evidence
from app.data.versioning import SaveOutcome, VersionedRows, save_versioned, update_if_version
from app.extensions import db

ANSWERED = Answer.rating.is_not(None)


@dataclass(frozen=True)
class AnswerInput:
    """What a person submitted for one benchmark."""

    benchmark_id: str
    rating: str | None
    evidence: str
    no_evidence_yet: bool
    version: int
    # Items from the board's evidence register the answer cites (the caller
    # has checked they are the board's); None leaves them as stored.
    evidence_ids: frozenset[int] | None = None

    def against(self, stored: Answer) -> AnswerInput:
        """This input with "as stored" citations filled in from ``stored``.

        "No evidence yet" never stands beside evidence: it is dropped when the
        answer has words or cites anything.
        """
        cites = stored.cited_ids if self.evidence_ids is None else self.evidence_ids
        return replace(self, evidence_ids=cites, no_evidence_yet=self.no_evidence_yet and not self.evidence and not cites)


def is_editable(assessment_round: AssessmentRound, response: Response) -> bool:
    """Whether the member may still change their answers: the round is open and they have not submitted."""
    return assessment_round.status == "open" and response.status != "submitted"


def round_by_id(round_id: int) -> AssessmentRound | None:
    """A round by id, or None."""
    return db.session.get(AssessmentRound, round_id)


def create_round(
    board_id: int,
    framework_version_id: int,
    *,
    title: str,
    deadline: date | None,
    target_level: str,
    opened_by: User,
    title_cy: str | None = None,
) -> AssessmentRound:
    """A new open round of the board, pinned to a framework version, flushed so it has an id."""
    assessment_round = AssessmentRound(
        board_id=board_id,
        framework_version_id=framework_version_id,
        title=title,
        title_cy=title_cy,
        deadline=deadline,
        target_level=target_level,
        opened_by_id=opened_by.id,
    )
    db.session.add(assessment_round)
    db.session.flush()
    return assessment_round


def round_response(round_id: int, response_id: int) -> Response | None:
    """A response to this round by id; None for another round's or no such row."""
    response = db.session.get(Response, response_id)
    if response is None or response.round_id != round_id:
        return None
    return response


def response_status_of(user_id: int, assessment_round: AssessmentRound, roles: Iterable[str]) -> str | None:
    """The status of the person's response to the round, if they are an active account on its board in one of ``roles``; else None."""
    return db.session.scalar(
        select(Response.status)
        .join(Membership, Membership.id == Response.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(
            Response.round_id == assessment_round.id,
            Membership.user_id == user_id,
            Membership.board_id == assessment_round.board_id,
            Membership.role.in_(roles),
            Membership.removed_at.is_(None),
            User.active.is_(True),
        )
    )


def response_for(assessment_round: AssessmentRound, membership: Membership) -> Response | None:
    return db.session.scalar(
        select(Response).where(
            Response.round_id == assessment_round.id, Response.membership_id == membership.id
        )
    )


def answers_by_benchmark(response: Response, benchmark_ids: list[str] | None = None) -> dict[str, Answer]:
    """The answers of a response (all, or those for ``benchmark_ids``), with who last changed them and what they cite (two queries)."""
    query = (
        select(Answer)
        .where(Answer.response_id == response.id)
        .options(joinedload(Answer.updated_by), selectinload(Answer.cited))
    )
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
        insert(Answer),
        [
            {
                "response_id": response.id,
                "benchmark_id": benchmark.id,
                "rating": None,
                "evidence": "",
                "no_evidence_yet": False,
                "version": 1,
                "updated_at": datetime.now(UTC),
                "updated_by_id": None,
            }
            for benchmark in framework.benchmarks
        ],
    )
    return response


class _Answers(VersionedRows[Answer, AnswerInput]):
    """A member's answers, for :func:`app.data.versioning.save_versioned` (every answer row exists from the start)."""

    kind = "answer"

    def __init__(self, response: Response, board_id: int, user: User, via: str):
        self.response, self.board_id, self.user, self.via = response, board_id, user, via

    def key(self, item: AnswerInput) -> str:
        return item.benchmark_id

    def load(self, keys: list[str]) -> dict[str, Answer]:
        return answers_by_benchmark(self.response, keys)

    def says(self, row: Answer | None, item: AnswerInput) -> bool:
        if row is None:
            return True  # not a benchmark of this response: nothing to save
        item = item.against(row)
        return (row.rating, row.evidence, row.no_evidence_yet, row.cited_ids) == (item.rating, item.evidence, item.no_evidence_yet, item.evidence_ids)

    def write(self, row: Answer | None, item: AnswerInput) -> int | None:
        assert row is not None
        item = item.against(row)
        values = {"rating": item.rating, "evidence": item.evidence, "no_evidence_yet": item.no_evidence_yet}
        if not update_if_version(Answer, row.id, item.version, self.user, **values):
            return None
        if item.evidence_ids is not None and row.cited_ids != item.evidence_ids:
            replace_links(answer_evidence.c.answer_id, row.id, answer_evidence.c.evidence_item_id, item.evidence_ids)
        return row.id

    def detail(self, item: AnswerInput) -> dict:
        return {
            "round": self.response.round_id,
            "benchmark": item.benchmark_id,
            "rating": item.rating,
            "evidence_chars": len(item.evidence),
            "no_evidence_yet": item.no_evidence_yet,
            "cites": None if item.evidence_ids is None else sorted(item.evidence_ids),
            "via": self.via,
        }

    def conflict_detail(self, item: AnswerInput) -> dict:
        # The whole losing text, not only its length.
        return {
            "round": self.response.round_id,
            "benchmark": item.benchmark_id,
            "your_rating": item.rating,
            "your_evidence": item.evidence,
            "your_no_evidence_yet": item.no_evidence_yet,
            "your_cites": None if item.evidence_ids is None else sorted(item.evidence_ids),
            "from_version": item.version,
            "via": self.via,
        }


def save_answers(response: Response, inputs: list[AnswerInput], user: User, *, board_id: int, via: str) -> SaveOutcome:
    """Store changed answers with a version check; record each change in the audit trail. (The request commits it: app/web/transaction.py.)"""
    return save_versioned(_Answers(response, board_id, user, via), inputs)


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


def board_memberships(board_id: int, roles: Iterable[str]) -> list[Membership]:
    """The board's current members holding one of ``roles``, with their accounts."""
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
