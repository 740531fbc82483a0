"""The board's agreed ratings, its evidence register and its action plan."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data.models.accounts import User
from app.data.models.base import Model, UTCDateTime, utcnow
from app.extensions import db

# Which evidence register items an agreed rating cites.
agreed_rating_evidence = Table(
    "agreed_rating_evidence",
    db.metadata,
    Column("agreed_rating_id", ForeignKey("agreed_ratings.id", ondelete="CASCADE"), primary_key=True),
    Column("evidence_item_id", ForeignKey("evidence_items.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# Which evidence register items a member's answer cites.
answer_evidence = Table(
    "answer_evidence",
    db.metadata,
    Column("answer_id", ForeignKey("answers.id", ondelete="CASCADE"), primary_key=True),
    Column("evidence_item_id", ForeignKey("evidence_items.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class EvidenceSubject(Model):
    """A benchmark (``governance.3``) or a domain (``governance``) an evidence item is about."""

    __tablename__ = "evidence_item_subjects"

    evidence_item_id: Mapped[int] = mapped_column(ForeignKey("evidence_items.id", ondelete="CASCADE"), primary_key=True)
    subject_id: Mapped[str] = mapped_column(String(64), primary_key=True)


class EvidenceItem(Model):
    """A piece of evidence held by a board that several benchmarks can cite (e.g. an audit report)."""

    __tablename__ = "evidence_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    source_agency: Mapped[str] = mapped_column(String(32))
    evidence_date: Mapped[date] = mapped_column(Date)
    # What it shows about the difference made for children: the 2011 finding
    # was that boards evidenced process, not impact.
    impact: Mapped[str] = mapped_column(Text)
    # A web address (http or https only) or a document reference; always shown as text.
    reference: Mapped[str] = mapped_column(String(500), default="")
    # Tags added in 2026.2; an item without them is shown as "not tagged".
    kind: Mapped[str | None] = mapped_column(String(32))
    period_start: Mapped[date | None] = mapped_column(Date)
    period_end: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    subjects: Mapped[list[EvidenceSubject]] = relationship(cascade="all, delete-orphan", order_by=EvidenceSubject.subject_id)

    @property
    def subject_ids(self) -> list[str]:
        """The benchmarks and domains this item is about (empty: not tagged)."""
        return [subject.subject_id for subject in self.subjects]


class AgreedRating(Model):
    """The board's agreed (moderated) rating of one benchmark in a round.

    Saved with a compare-and-set on ``version`` like members' answers, so two
    moderators working at once cannot silently overwrite each other.
    """

    __tablename__ = "agreed_ratings"
    __table_args__ = (UniqueConstraint("round_id", "benchmark_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id"), index=True)
    benchmark_id: Mapped[str] = mapped_column(String(64))
    # A level id or "not_known" or "not_applicable".
    rating: Mapped[str] = mapped_column(String(32))
    rationale: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()
    evidence: Mapped[list[EvidenceItem]] = relationship(secondary=agreed_rating_evidence, order_by=EvidenceItem.evidence_date.desc())


class Action(Model):
    """One SMART action in a round's action plan."""

    __tablename__ = "actions"
    # An action is carried into a given round at most once.
    __table_args__ = (UniqueConstraint("round_id", "carried_from_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_agency: Mapped[str] = mapped_column(String(32))
    lead_person: Mapped[str] = mapped_column(String(200))
    due_date: Mapped[date] = mapped_column(Date)
    success_measure: Mapped[str] = mapped_column(Text)
    # The measure as numbers (from 2026.2; None on older actions): where it
    # started, where it should be by when, and the latest reading.
    measure_about: Mapped[str | None] = mapped_column(String(24))
    baseline: Mapped[str | None] = mapped_column(String(200))
    baseline_on: Mapped[date | None] = mapped_column(Date)
    target: Mapped[str | None] = mapped_column(String(200))
    target_by: Mapped[date | None] = mapped_column(Date)
    latest: Mapped[str | None] = mapped_column(String(200))
    latest_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="not_started")
    domain_id: Mapped[str | None] = mapped_column(String(32))
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("actions.id"))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    benchmarks: Mapped[list[ActionBenchmark]] = relationship(
        back_populates="action", cascade="all, delete-orphan", order_by="ActionBenchmark.benchmark_id"
    )
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])

    @property
    def benchmark_ids(self) -> list[str]:
        return [link.benchmark_id for link in self.benchmarks]

    def is_overdue(self, today: date) -> bool:
        return self.status != "done" and self.due_date < today


class ActionBenchmark(Model):
    """A benchmark an action addresses."""

    __tablename__ = "action_benchmarks"

    action_id: Mapped[int] = mapped_column(ForeignKey("actions.id", ondelete="CASCADE"), primary_key=True)
    benchmark_id: Mapped[str] = mapped_column(String(64), primary_key=True)

    action: Mapped[Action] = relationship(back_populates="benchmarks")


class FlagResponse(Model):
    """The business manager's answer to one rigour flag of a round.

    A flag is named by its kind and what it is about (a benchmark id, or an
    agency id for a missing statutory partner), so the answer stays with the
    flag while the round's figures change; a flag that no longer arises keeps
    its answer for the record.
    """

    __tablename__ = "flag_responses"
    __table_args__ = (UniqueConstraint("round_id", "flag_kind", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id"), index=True)
    flag_kind: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str] = mapped_column(String(64))
    response: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()
