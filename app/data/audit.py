"""Recording the audit trail. Call `record` in the same transaction as the change."""

from __future__ import annotations

from typing import Any

from flask import has_request_context, request
from flask_login import current_user

from app.data.models import AuditEvent
from app.extensions import db


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
    if user_id is None and has_request_context() and current_user.is_authenticated:
        user_id = current_user.id
    event = AuditEvent(
        action=action,
        board_id=board_id,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        detail=detail,
        user_id=user_id,
        ip_address=request.remote_addr if has_request_context() else None,
    )
    db.session.add(event)
    return event
