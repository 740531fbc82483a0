"""Queries for the home page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.data.models import AssessmentRound, Membership, User
from app.extensions import db


@dataclass
class BoardSummary:
    membership: Membership
    rounds: list[AssessmentRound]


def boards_for_home(user: User) -> list[BoardSummary]:
    """The boards a person belongs to, with their rounds newest first."""
    memberships = db.session.scalars(
        select(Membership)
        .where(Membership.user_id == user.id, Membership.removed_at.is_(None))
        .options(selectinload(Membership.board))
    ).all()
    board_ids = [m.board_id for m in memberships]
    rounds_by_board: dict[int, list[AssessmentRound]] = {i: [] for i in board_ids}
    if board_ids:
        for assessment_round in db.session.scalars(
            select(AssessmentRound)
            .where(AssessmentRound.board_id.in_(board_ids))
            .order_by(AssessmentRound.created_at.desc(), AssessmentRound.id.desc())
        ):
            rounds_by_board[assessment_round.board_id].append(assessment_round)
    return [
        BoardSummary(m, rounds_by_board[m.board_id])
        for m in sorted(memberships, key=lambda m: m.board.name)
    ]
