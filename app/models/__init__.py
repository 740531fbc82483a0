"""Database models. Schema changes go through Alembic migrations only."""

from app.models.accounts import (
    ROLES,
    Board,
    Invitation,
    Membership,
    PasswordReset,
    User,
)
from app.models.audit import AuditEvent
from app.models.rounds import (
    ROUND_STATUSES,
    Answer,
    AssessmentRound,
    FrameworkVersion,
    HeldSave,
    Response,
)

__all__ = [
    "ROLES",
    "ROUND_STATUSES",
    "Answer",
    "AssessmentRound",
    "AuditEvent",
    "Board",
    "FrameworkVersion",
    "HeldSave",
    "Invitation",
    "Membership",
    "PasswordReset",
    "Response",
    "User",
]
