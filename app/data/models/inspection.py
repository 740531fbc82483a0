"""Inspection findings for a round, the inspector's recommendations and challenge threads.

An :class:`Inspection` holds what inspectors found when they inspected a board
against one of its self-assessment rounds: the date, a :class:`Finding` per
domain (judgement and summary) and optionally per benchmark (judgement and/or
finding), and :class:`Recommendation` s. It is a draft until an inspector
publishes it; only then does the board see it.

Findings, recommendations and the inspection's own fields are saved with a
compare-and-set on ``version`` (see app/data/inspection.py and recommendations.py), so two inspectors
working at once cannot silently overwrite each other.

A :class:`ChallengeComment` is one message in the thread about a benchmark of
a round: inspectors challenge, the business manager replies.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.vocabulary import OVERALL_SUBJECTS
from app.data.models.accounts import User
from app.data.models.base import Model, UTCDateTime, utcnow


class Inspection(Model):
    """The inspection of one round of a board (at most one per round)."""

    __tablename__ = "inspections"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id"), unique=True)
    # Empty while the inspectors draft; required to publish.
    inspected_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="draft")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def is_published(self) -> bool:
        return self.status == "published"


class Finding(Model):
    """An inspector's judgement and/or finding on one domain or one benchmark.

    ``subject_id`` is a domain id (``"governance"``), a benchmark id
    (``"governance.3"``), ``"overall"`` (the overall judgement and its
    summary) or ``"overall_reasons"`` (the reasons, text only, one a line; see
    app/core/vocabulary.py). ``level`` is a level id on the round's scale; a
    benchmark may have a finding with no judgement.
    """

    __tablename__ = "inspection_findings"
    __table_args__ = (UniqueConstraint("inspection_id", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    subject_id: Mapped[str] = mapped_column(String(64))
    level: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()

    @property
    def is_domain(self) -> bool:
        return "." not in self.subject_id and self.subject_id not in OVERALL_SUBJECTS

    @property
    def is_empty(self) -> bool:
        return self.level is None and not self.text


class Recommendation(Model):
    """Something the inspectors ask the board to do, with its priority and what it is about."""

    __tablename__ = "inspection_recommendations"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspections.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(16))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    subjects: Mapped[list[RecommendationSubject]] = relationship(
        cascade="all, delete-orphan", order_by="RecommendationSubject.subject_id"
    )
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    @property
    def subject_ids(self) -> list[str]:
        return [link.subject_id for link in self.subjects]


class RecommendationSubject(Model):
    """A domain or benchmark a recommendation is about."""

    __tablename__ = "inspection_recommendation_subjects"

    recommendation_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_recommendations.id", ondelete="CASCADE"), primary_key=True
    )
    subject_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class ChallengeComment(Model):
    """One message in the challenge thread about a benchmark of a round. Never edited."""

    __tablename__ = "challenge_comments"
    __table_args__ = (Index("ix_challenge_comments_round_benchmark", "round_id", "benchmark_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id"))
    benchmark_id: Mapped[str] = mapped_column(String(64))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # The author's role on the board when they wrote it: "inspector" or "business_manager".
    author_role: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    author: Mapped[User] = relationship()
