"""Framework versions, assessment rounds, members' responses and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data.models.accounts import Board, Membership, User
from app.data.models.base import Model, UTCDateTime, utcnow

if TYPE_CHECKING:
    from app.data.models.moderation import EvidenceItem



class FrameworkVersion(Model):
    """An exact copy of a framework file as it was when a round was opened.

    Rows are never updated or deleted: app.data.framework_store keeps each one's
    parsed framework per process by id.
    """

    __tablename__ = "framework_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(64))
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    source_text: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AssessmentRound(Model):
    __tablename__ = "assessment_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    framework_version_id: Mapped[int] = mapped_column(ForeignKey("framework_versions.id"))
    title: Mapped[str] = mapped_column(String(200))
    #: The round's title in Welsh, if given: Welsh pages and the Welsh report use it.
    title_cy: Mapped[str | None] = mapped_column(String(200))
    deadline: Mapped[date | None] = mapped_column(Date)
    target_level: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="open")
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    board: Mapped[Board] = relationship()
    framework_version: Mapped[FrameworkVersion] = relationship()
    responses: Mapped[list[Response]] = relationship(back_populates="round")


class Response(Model):
    """One member's questionnaire for one round."""

    __tablename__ = "responses"
    __table_args__ = (UniqueConstraint("round_id", "membership_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id"), index=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), index=True)
    # The agency is copied so a later change of membership does not rewrite
    # who said what in an old round.
    agency: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default="in_progress")
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    round: Mapped[AssessmentRound] = relationship(back_populates="responses")
    membership: Mapped[Membership] = relationship()
    answers: Mapped[list[Answer]] = relationship(back_populates="response")


class Answer(Model):
    """A member's rating and evidence for one benchmark.

    `version` increases on every save; a save carries the version it started
    from and only updates the row if that is still current (see
    app/data/questionnaire.py), so two tabs cannot silently overwrite each other.
    """

    __tablename__ = "answers"
    __table_args__ = (UniqueConstraint("response_id", "benchmark_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("responses.id"), index=True)
    benchmark_id: Mapped[str] = mapped_column(String(64), index=True)
    # A level id, "not_known", "not_applicable", or None while unanswered.
    rating: Mapped[str | None] = mapped_column(String(32))
    evidence: Mapped[str] = mapped_column(Text, default="")
    no_evidence_yet: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    response: Mapped[Response] = relationship(back_populates="answers")
    updated_by: Mapped[User | None] = relationship()
    # Items from the board's evidence register the member cites for this answer.
    # Read only: saves write the links with app.data.links.replace_links.
    cited: Mapped[list[EvidenceItem]] = relationship(
        secondary="answer_evidence", order_by="(EvidenceItem.evidence_date.desc(), EvidenceItem.id.desc())", viewonly=True
    )

    @property
    def cited_ids(self) -> frozenset[int]:
        return frozenset(item.id for item in self.cited)

    @property
    def has_evidence(self) -> bool:
        """Whether the member gave evidence: their own words or an item from the register."""
        return bool(self.evidence) or bool(self.cited)


class HeldSave(Model):
    """What a person typed on a domain page after their session or CSRF token had expired.

    Held only for the person a valid owner token names (see
    app/questionnaire/held.py), offered back to them once, and deleted by
    age: ``key`` is the id of that token, so each token holds text for one
    page once. Once taken back, the row keeps no text (``form_data`` is
    emptied) and stays only until its token could no longer be used.
    """

    __tablename__ = "held_saves"
    __table_args__ = (
        # Finding (and trimming) a person's held text for one page, and deleting old rows.
        Index("ix_held_saves_user_id_path", "user_id", "path"),
        Index("ix_held_saves_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    path: Mapped[str] = mapped_column(String(500))
    form_data: Mapped[dict] = mapped_column(JSON)
    # Whose text it is: only they get it back (None only in rows held before
    # owner tokens were required; never offered back).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    restored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
