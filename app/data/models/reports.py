"""Stored PDF reports, so an unchanged report is served without rendering it again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

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
