"""Stored report PDFs, keyed by a hash of everything the PDF shows.

The key is the SHA-256 of the report's data (``Report``), the template
version (templates, stylesheet, chart code, WeasyPrint) and the language.
Any change a reader could see gives a new key, so a stored PDF is never
stale, and the key doubles as the HTTP ETag.

PDFs are kept in the database (table ``report_pdfs``) or, when
``SAIT_REPORT_CACHE_DIR`` is set, in that folder; either way every app
server behind a load balancer shares them (the folder must then be shared).
Only the newest PDF per round and language is kept.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any, Protocol

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.core.report_content import Report
from app.data.models import ReportPdf
from app.extensions import db

__all__ = ["DatabaseStore", "DirectoryStore", "ReportStore", "cached_pdf", "report_key", "report_store"]


def _plain(value: Any) -> str:
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    raise TypeError(f"cannot hash a {type(value).__name__}")


def report_key(report: Report, template_version: str) -> str:
    """The cache key (and ETag) of a report: a hash of its data, the template version and the language."""
    document = {"report": report.as_plain(), "template": template_version, "lang": report.lang}
    text = json.dumps(document, sort_keys=True, default=_plain, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class ReportStore(Protocol):
    def get(self, round_id: int, lang: str, key: str) -> bytes | None: ...

    def put(self, round_id: int, lang: str, key: str, pdf: bytes) -> None: ...


class DatabaseStore:
    """PDFs in the ``report_pdfs`` table of the app's database."""

    def get(self, round_id: int, lang: str, key: str) -> bytes | None:
        return db.session.scalar(select(ReportPdf.pdf).where(ReportPdf.cache_key == key))

    def put(self, round_id: int, lang: str, key: str, pdf: bytes) -> None:
        db.session.execute(delete(ReportPdf).where(ReportPdf.round_id == round_id, ReportPdf.lang == lang))
        try:
            with db.session.begin_nested():
                db.session.add(ReportPdf(round_id=round_id, lang=lang, cache_key=key, pdf=pdf))
        except IntegrityError:
            pass  # another server stored the same report a moment ago: theirs will do
        db.session.commit()  # a stored report serves every server at once, whatever the request does next


class DirectoryStore:
    """PDFs as files in a folder: ``round-<id>/<lang>-<key>.pdf``."""

    def __init__(self, folder: str | os.PathLike[str]) -> None:
        self.folder = Path(folder)

    def _path(self, round_id: int, lang: str, key: str) -> Path:
        return self.folder / f"round-{round_id}" / f"{lang}-{key}.pdf"

    def get(self, round_id: int, lang: str, key: str) -> bytes | None:
        try:
            return self._path(round_id, lang, key).read_bytes()
        except FileNotFoundError:
            return None

    def put(self, round_id: int, lang: str, key: str, pdf: bytes) -> None:
        path = self._path(round_id, lang, key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so another server never reads half a file.
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=".", suffix=".tmp", delete=False) as handle:
            handle.write(pdf)
        os.replace(handle.name, path)
        for older in path.parent.glob(f"{lang}-*.pdf"):
            if older != path:
                older.unlink(missing_ok=True)


def report_store() -> ReportStore:
    """The configured store: SAIT_REPORT_CACHE_DIR if set, else the database."""
    folder = current_app.config.get("SAIT_REPORT_CACHE_DIR")
    return DirectoryStore(folder) if folder else DatabaseStore()


def cached_pdf(round_id: int, lang: str, key: str, render: Callable[[], bytes]) -> bytes:
    """The stored PDF for ``key``, or a new one from ``render`` (then stored)."""
    store = report_store()
    pdf = store.get(round_id, lang, key)
    if pdf is None:
        # End the read transaction first: a render takes seconds and needs no connection.
        db.session.commit()
        pdf = render()
        store.put(round_id, lang, key, pdf)
    return pdf
