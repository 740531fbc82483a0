"""How an audit event reads in the audit trail table.

The trail says who did what to which thing; it never repeats what people
wrote (evidence, rationales, findings): free text shows only as its length.
So the administrator, who reads every board's trail, does not read a
board's self-assessment through it.
"""

from __future__ import annotations

from typing import Any

from app.agencies import agency_name
from app.models.accounts import ROLE_NAMES

ACTION_NAMES: dict[str, str] = {
    "sign_in": "Signed in",
    "sign_in_failed": "Sign-in refused",
    "sign_out": "Signed out",
    "password_changed": "Password changed",
    "password_reset_requested": "Password reset link sent",
    "password_reset": "Password set with a link",
    "user_created": "Account created",
    "account_disabled": "Account disabled",
    "account_enabled": "Account enabled",
    "board_created": "Board created",
    "role_granted": "Role given",
    "invitation_sent": "Invitation sent",
    "invitation_cancelled": "Invitation cancelled",
    "invitation_accepted": "Invitation accepted",
    "role_changed": "Role or agency changed",
    "member_removed": "Member removed",
    "round_opened": "Round opened",
    "round_closed": "Round closed",
    "round_reopened": "Round reopened",
    "response_submitted": "Response submitted",
    "response_reopened": "Response reopened",
    "answer_saved": "Answer saved",
    "answer_conflict": "Answer changed in two places at once",
}

# Keys whose values are what someone wrote: shown as a length only.
FREE_TEXT_MARKERS = ("evidence", "rationale", "finding", "comment", "note", "text", "summary", "description", "reason", "success_measure")
LONG_TEXT = 80


def action_name(action: str) -> str:
    return ACTION_NAMES.get(action) or action.replace("_", " ").capitalize()


def _value(key: str, value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return " → ".join(_value(key, item) for item in value)
    if isinstance(value, dict):
        return f"{len(value)} items"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        if any(marker in key for marker in FREE_TEXT_MARKERS) or len(value) > LONG_TEXT:
            return f"{len(value)} characters"
        if key == "role" or key.endswith("_role"):
            return ROLE_NAMES.get(value, value)
        if key == "agency" or key.endswith("_agency"):
            return agency_name(value)
    return str(value)


def describe(object_type: str | None, object_id: str | None, detail: dict | None) -> str:
    """What an event was about, e.g. 'membership 4; role: Board member → Inspector'."""
    parts = []
    if object_type:
        parts.append(f"{object_type.replace('_', ' ')} {object_id}" if object_id else object_type.replace("_", " "))
    for key, value in (detail or {}).items():
        parts.append(f"{key.replace('_', ' ')}: {_value(key, value)}")
    return "; ".join(parts)
