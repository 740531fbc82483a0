"""Building inspected rounds for the inspection tests: inspectors, agreed ratings and findings in the database.

Its fixtures are registered for every test by ``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from app.data.models import AgreedRating, AssessmentRound, Board, Finding, Inspection, Recommendation, RecommendationSubject, User
from app.extensions import db
from tests.integration.round_builder import BuiltRound, Respondent

INSPECTED_ON = date(2026, 3, 14)


def agree(assessment_round: AssessmentRound, ratings: dict[str, str], *, moderated: bool = True) -> None:
    """Store the board's agreed ratings (and mark the round moderated)."""
    for benchmark_id, rating in ratings.items():
        db.session.add(AgreedRating(round_id=assessment_round.id, benchmark_id=benchmark_id, rating=rating, rationale="Agreed at the board"))
    if moderated:
        assessment_round.status = "moderated"
    db.session.commit()


def record_findings(
    assessment_round: AssessmentRound,
    inspector: User,
    levels: dict[str, str | None],
    *,
    texts: dict[str, str] | None = None,
    published: bool = True,
    inspected_on: date = INSPECTED_ON,
    recommendations: list[tuple[str, str, tuple[str, ...]]] = (),
) -> Inspection:
    """An inspection of the round with a finding per subject (domain or benchmark id -> level)."""
    texts = texts or {}
    now = datetime.now(UTC)
    inspection = Inspection(
        board_id=assessment_round.board_id,
        round_id=assessment_round.id,
        inspected_on=inspected_on,
        status="published" if published else "draft",
        published_at=now if published else None,
        published_by_id=inspector.id if published else None,
        created_by_id=inspector.id,
        updated_by_id=inspector.id,
    )
    db.session.add(inspection)
    db.session.flush()
    for subject_id in {**levels, **texts}:
        text = texts.get(subject_id, f"Summary for {subject_id}" if "." not in subject_id else "")
        db.session.add(Finding(inspection_id=inspection.id, subject_id=subject_id, level=levels.get(subject_id), text=text, updated_by_id=inspector.id))
    for text, priority, subjects in recommendations:
        recommendation = Recommendation(inspection_id=inspection.id, text=text, priority=priority, created_by_id=inspector.id, updated_by_id=inspector.id)
        recommendation.subjects = [RecommendationSubject(subject_id=s) for s in subjects]
        db.session.add(recommendation)
    db.session.commit()
    return inspection


@dataclass
class InspectedRound:
    """A round with two submitted members, a business manager and an inspector of the board."""

    built: BuiltRound
    inspector: User
    member: User

    @property
    def round(self) -> AssessmentRound:
        return self.built.round

    @property
    def board(self) -> Board:
        return self.built.board

    @property
    def manager(self) -> User:
        return self.built.manager


@pytest.fixture
def inspected_round(build_round, make_user, add_member) -> InspectedRound:
    built = build_round([Respondent("police"), Respondent("health_board", default="requires_improvement")])
    inspector = make_user("Huw Inspector")
    add_member(inspector, built.board, "inspector", "other")
    return InspectedRound(built, inspector, built.members[0])


def all_domains(framework, level: str) -> dict[str, str]:
    return {domain.id: level for domain in framework.domains}
