"""Data access for challenge and response: the threads on a round's benchmarks.

An inspector challenges the board's view of a benchmark and the business
manager replies, in one thread per benchmark. Threads belong to the round,
not the inspection, so both see them whatever the findings' status. Every
comment is audited in the same transaction, which the request commits.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.data.audit import record
from app.data.inspection import utc_now
from app.data.models import AssessmentRound, ChallengeComment, User
from app.extensions import db

__all__ = ["add_challenge_comment", "challenge_threads"]


def challenge_threads(round_id: int) -> dict[str, list[ChallengeComment]]:
    """The round's challenge threads by benchmark id, each oldest first (one query)."""
    comments = db.session.scalars(
        select(ChallengeComment)
        .where(ChallengeComment.round_id == round_id)
        .options(selectinload(ChallengeComment.author))
        .order_by(ChallengeComment.created_at, ChallengeComment.id)
    ).all()
    threads: dict[str, list[ChallengeComment]] = {}
    for comment in comments:
        threads.setdefault(comment.benchmark_id, []).append(comment)
    return threads


def add_challenge_comment(assessment_round: AssessmentRound, benchmark_id: str, role: str, text: str, user: User) -> ChallengeComment:
    """Add an inspector's challenge or the business manager's reply to a benchmark's thread. (The request commits it: app/web/transaction.py.)"""
    comment = ChallengeComment(round_id=assessment_round.id, benchmark_id=benchmark_id, author_id=user.id, author_role=role, text=text, created_at=utc_now())
    db.session.add(comment)
    db.session.flush()
    record(
        "challenge_added" if role == "inspector" else "challenge_reply_added",
        board_id=assessment_round.board_id,
        object_type="challenge_comment",
        object_id=comment.id,
        detail={"round": assessment_round.id, "benchmark": benchmark_id, "text": text},
    )
    db.session.flush()
    return comment
