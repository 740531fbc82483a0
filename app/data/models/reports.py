"""Stored PDF reports (so an unchanged report is served without rendering it again), and the board's own words in its report."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data.models.accounts import User
from app.data.models.base import Model, UTCDateTime, utcnow


class ReportPdf(Model):
    """A rendered self-evaluation report, keyed by a hash of everything it shows.

    Kept in the database so every app server behind a load balancer shares it.
    Only the newest report per round and language is kept (app/data/report_cache.py).
    """

    __tablename__ = "report_pdfs"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id"), index=True)
    lang: Mapped[str] = mapped_column(String(5))
    # SHA-256 (hex) of the report's data, template version and language: also the ETag.
    cache_key: Mapped[str] = mapped_column(String(64), unique=True)
    # Deferred: listing or replacing reports never loads the PDFs themselves.
    pdf: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportStatement(Model):
    """The board's own words in its report: its analysis of one domain, or its overall statement.

    ``subject`` is a domain id or ``"overall"``. Written by the business
    manager (or chair) with a version check, like answers.
    """

    __tablename__ = "report_statements"
    __table_args__ = (UniqueConstraint("round_id", "subject"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id"), index=True)
    subject: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    updated_by: Mapped[User | None] = relationship()


class ReportSignOff(Model):
    """The board's approval of its report: the date the board approved it and the chair who signs it.

    Until there is one, the report says "draft" on every page. Changing the
    board's statements ends it (the approved words must be the printed ones).
    """

    __tablename__ = "report_sign_offs"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_rounds.id"), unique=True)
    approved_on: Mapped[date] = mapped_column(Date)
    chair_name: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    recorded_by: Mapped[User | None] = relationship()
