"""Secret tokens for one-time links (password reset, invitation).

Only a SHA-256 hash of a token is stored, so a copy of the database holds no
usable links. Tokens are 256 random bits, so an unsalted hash is enough.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timezone
from enum import Enum

from sqlalchemy import update
from sqlalchemy.orm import InstrumentedAttribute

from app.extensions import db


def new_token() -> tuple[str, str]:
    """A fresh token for a link, and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class LinkState(Enum):
    """Why a one-time link can or cannot be used, for the page that says so."""

    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


def link_state(found: bool, used_at: datetime | None, expires_at: datetime | None) -> LinkState:
    if not found:
        return LinkState.UNKNOWN
    if used_at is not None:
        return LinkState.USED
    if expires_at is None or expires_at <= datetime.now(timezone.utc):
        return LinkState.EXPIRED
    return LinkState.VALID


def spend(used_column: InstrumentedAttribute, row_id: int) -> bool:
    """Mark a link used now; False if another request used it first (single use under races)."""
    model = used_column.class_
    result = db.session.execute(
        update(model)
        .where(model.id == row_id, used_column.is_(None))
        .values({used_column.key: datetime.now(timezone.utc)})
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
