"""The codes the product stores for roles, statuses and priorities, shared by every layer.

Each is a ``StrEnum``: a member is the very string the database, the files and
the URLs hold (``Role.MEMBER == "member"``), so code compares and stores them
as plain text. Only codes live here; the words a person reads for each code
are translated labels in the web layer (``app/web/labels.py``,
``app/web/agencies.py``), checked there to name every code.
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A person's role on a board. (The installation's administrator is a flag on the account, not a board role.)"""

    BUSINESS_MANAGER = "business_manager"
    MEMBER = "member"
    INSPECTOR = "inspector"


class RoundStatus(StrEnum):
    """Where a self-assessment round is: members answer while it is open, then it is closed, moderated and published."""

    OPEN = "open"
    CLOSED = "closed"
    MODERATED = "moderated"
    PUBLISHED = "published"


class ResponseStatus(StrEnum):
    """A member's response to a round."""

    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"


class ActionStatus(StrEnum):
    """An action of the board's improvement plan."""

    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    DONE = "done"


class InspectionStatus(StrEnum):
    """The inspectors' findings: a draft only they see, or published to the board."""

    DRAFT = "draft"
    PUBLISHED = "published"


# An inspection's findings are keyed by subject: a domain id, a benchmark id, or
# one of these two, which are never a domain or benchmark id. "overall" holds
# the overall judgement (a level) and its summary; "overall_reasons" the
# inspectors' reasons for it (text only, one reason a line).
OVERALL_SUBJECT = "overall"
OVERALL_REASONS_SUBJECT = "overall_reasons"
OVERALL_SUBJECTS: tuple[str, ...] = (OVERALL_SUBJECT, OVERALL_REASONS_SUBJECT)


class RecommendationPriority(StrEnum):
    """An inspection recommendation's priority, as the findings file and the database store it."""

    IMMEDIATE = "immediate"
    IMPROVEMENT = "improvement"


# The same codes as plain strings, for what wants text rather than enum
# members (click's choices show an enum's names, not its values).
class EvidenceKind(StrEnum):
    """What kind of evidence a register item is (from 2026.2; older items have none: "not tagged")."""

    AUDIT = "audit"
    PERFORMANCE_DATA = "performance_data"  # with commentary: figures alone are not analysis
    FEEDBACK_FROM_CHILDREN_AND_FAMILIES = "children_and_families"
    PRACTITIONER_VIEWS = "practitioner_views"
    INSPECTION_OR_REVIEW = "inspection_or_review"
    CASE_REVIEW_LEARNING = "case_review_learning"


class FlagResponseKind(StrEnum):
    """How the business manager answered a rigour flag."""

    ACCEPTED_RATING_LOWERED = "accepted_lowered"
    EXPLAINED = "explained"
    EVIDENCE_ADDED = "evidence_added"


class MeasureAbout(StrEnum):
    """Whether an action's measure is about children and families or about the board's own process."""

    CHILDREN_AND_FAMILIES = "children_and_families"
    BOARD_PROCESS = "board_process"


ROLES: tuple[str, ...] = tuple(code.value for code in Role)
ROUND_STATUSES: tuple[str, ...] = tuple(code.value for code in RoundStatus)
RESPONSE_STATUSES: tuple[str, ...] = tuple(code.value for code in ResponseStatus)
ACTION_STATUSES: tuple[str, ...] = tuple(code.value for code in ActionStatus)
INSPECTION_STATUSES: tuple[str, ...] = tuple(code.value for code in InspectionStatus)
RECOMMENDATION_PRIORITIES: tuple[str, ...] = tuple(code.value for code in RecommendationPriority)
EVIDENCE_KINDS: tuple[str, ...] = tuple(code.value for code in EvidenceKind)
FLAG_RESPONSE_KINDS: tuple[str, ...] = tuple(code.value for code in FlagResponseKind)
MEASURE_ABOUTS: tuple[str, ...] = tuple(code.value for code in MeasureAbout)

# The codes of the partner agencies a board member can represent, stored with
# every membership and response (so they are fixed, like the domain ids). Their
# names, which boards have them and which are statutory come from partners.yaml
# (app/core/partners.py); a board keeps its own list.
AGENCY_IDS: tuple[str, ...] = (
    "local_authority",
    "health_board",
    "nhs_trust",
    "police",
    "probation",
    "youth_offending",
    "education",
    "third_sector",
    "lay_member",
    "other",
    "integrated_care_board",
    "fire_and_rescue",
    "housing",
)
# The statutory partners every board had before boards kept their own lists
# (Wales under the Social Services and Well-being (Wales) Act 2014): boards made
# then were given these, and figures read without a board (tests, tools) use them.
STATUTORY_AGENCY_IDS: tuple[str, ...] = AGENCY_IDS[:6]
