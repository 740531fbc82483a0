"""Recording the audit trail. Call `record` in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.data.models import AuditEvent
from app.extensions import db

#: Who is acting and from which address: (user id, IP address), either unknown.
Actor = tuple[int | None, str | None]


def _nobody() -> Actor:
    return None, None


_acting_now: Callable[[], Actor] = _nobody


def identify_actors_with(acting_now: Callable[[], Actor]) -> None:
    """Say how :func:`record` learns who is acting; the web app passes the signed-in user and the request's address.

    The data layer never reads the request itself, so the CLI and the tests
    record events the same way (with nobody acting unless they say who).
    """
    global _acting_now
    _acting_now = acting_now


def record(
    action: str,
    *,
    board_id: int | None = None,
    object_type: str | None = None,
    object_id: int | str | None = None,
    detail: dict[str, Any] | None = None,
    user_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the session (committed with the change it describes)."""
    acting_user_id, ip_address = _acting_now()
    event = AuditEvent(
        action=action,
        board_id=board_id,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=detail,
        user_id=acting_user_id if user_id is None else user_id,
        ip_address=ip_address,
    )
    db.session.add(event)
    return event
