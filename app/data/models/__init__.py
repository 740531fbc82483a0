"""Database models. Schema changes go through Alembic migrations only."""

from app.core.vocabulary import ACTION_STATUSES, INSPECTION_STATUSES, RECOMMENDATION_PRIORITIES, ROLES, ROUND_STATUSES
from app.data.models.accounts import (
    Board,
    BoardLocalAuthority,
    BoardPartner,
    Invitation,
    Membership,
    PasswordReset,
    User,
)
from app.data.models.audit import AuditEvent
from app.data.models.inspection import (
    ChallengeComment,
    Finding,
    Inspection,
    Recommendation,
    RecommendationSubject,
)
from app.data.models.moderation import (
    Action,
    ActionBenchmark,
    AgreedRating,
    EvidenceItem,
    EvidenceSubject,
    FlagResponse,
    agreed_rating_evidence,
    answer_evidence,
)
from app.data.models.reports import ReportPdf, ReportSignOff, ReportStatement
from app.data.models.rounds import (
    Answer,
    AssessmentRound,
    FrameworkVersion,
    HeldSave,
    Response,
)

__all__ = [
    "INSPECTION_STATUSES",
    "RECOMMENDATION_PRIORITIES",
    "ChallengeComment",
    "Finding",
    "Inspection",
    "Recommendation",
    "RecommendationSubject",
    "ACTION_STATUSES",
    "Action",
    "ActionBenchmark",
    "AgreedRating",
    "EvidenceItem",
    "EvidenceSubject",
    "FlagResponse",
    "agreed_rating_evidence",
    "answer_evidence",
    "ROLES",
    "ROUND_STATUSES",
    "Answer",
    "AssessmentRound",
    "AuditEvent",
    "Board",
    "BoardLocalAuthority",
    "BoardPartner",
    "FrameworkVersion",
    "HeldSave",
    "Invitation",
    "Membership",
    "PasswordReset",
    "ReportPdf",
    "ReportSignOff",
    "ReportStatement",
    "Response",
    "User",
]
