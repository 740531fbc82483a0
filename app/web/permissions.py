"""Board-level access checks, by capability, used by every view that touches board data.

A person who is not on the board gets 404 (the board's existence is not
revealed); a person on the board in a role without the right gets 403.
"""

from __future__ import annotations

import logging
from typing import NoReturn

from flask import abort, request
from flask_login import current_user

from app.data.admin import current_membership
from app.data.models import AssessmentRound, Membership
from app.data.questionnaire import round_by_id

log = logging.getLogger("sait.security")

# What each board role may do: the one table of the app's board permissions.
# Every view that touches board data asks for a capability from it
# (require_board_capability / require_round_capability, or `can` for a part
# of a page); templates get `can` too (app/web/templating.py), so a link and
# its page agree. docs/permissions.md lists it (tests/unit/test_permissions.py
# holds the two together). The administrator is a flag on the account, not a
# board role: it is in none of these sets.
CAPABILITIES: dict[str, frozenset[str]] = {
    # Everyone on the board: a round's page, the action plan, the evidence
    # register, and the inspection findings and comparison once published.
    "read_board": frozenset({"business_manager", "member", "inspector"}),
    # Everyone on the board: the results across respondents (spread, agreement, who answered) and their chart.
    "read_results": frozenset({"business_manager", "member", "inspector"}),
    # Whoever may be asked to answer a round: the questionnaire pages and autosave (and held text), when asked.
    "respond": frozenset({"member", "business_manager"}),
    # The business manager runs the board's rounds: opens, closes and reopens them, reopens a response, sees who has responded.
    "manage_rounds": frozenset({"business_manager"}),
    # The business manager moderates: sees members' spread and evidence, records agreed ratings, completes moderation.
    "moderate": frozenset({"business_manager"}),
    # The business manager and the inspectors read the rigour checks and disagreement flags.
    "read_flags": frozenset({"business_manager", "inspector"}),
    # The business manager writes, updates and carries forward the action plan.
    "edit_plan": frozenset({"business_manager"}),
    # The business manager adds and edits the evidence register's items.
    "edit_evidence": frozenset({"business_manager"}),
    # The inspectors record, import, publish and unpublish findings and recommendations, and see them (and the comparison) in draft.
    "record_findings": frozenset({"inspector"}),
    # The business manager and the inspectors read the self-evaluation report (HTML preview and PDF).
    "read_report": frozenset({"business_manager", "inspector"}),
    # The business manager writes the board's own words in the report (its analysis and statement) and records its sign-off.
    "write_report": frozenset({"business_manager"}),
    # The business manager downloads every member's raw answers (CSV, Excel).
    "export_answers": frozenset({"business_manager"}),
    # The business manager manages the board's people: sees, invites, changes and removes members, cancels invitations.
    "manage_members": frozenset({"business_manager"}),
    # The business manager reads the board's audit trail (the administrator reads it by the account flag).
    "read_board_audit": frozenset({"business_manager"}),
    # The inspectors see the national overview, for the boards they inspect (the administrator, every board, by the flag).
    "read_national_overview": frozenset({"inspector"}),
    # The inspector's challenges and the business manager's replies on a
    # benchmark: a working exchange between the two, not shown to members.
    "read_challenge_threads": frozenset({"inspector", "business_manager"}),
    "write_challenge_threads": frozenset({"inspector", "business_manager"}),
    # Only the inspectors open a thread on a benchmark; the business manager replies once one is open.
    "open_challenge_threads": frozenset({"inspector"}),
}


def _roles(capability: str) -> frozenset[str]:
    """The roles with `capability`: a name not in CAPABILITIES is a programming error, so KeyError."""
    try:
        return CAPABILITIES[capability]
    except KeyError:
        raise KeyError(f"unknown capability {capability!r}: add it to CAPABILITIES in app/web/permissions.py") from None


def roles_with(capability: str) -> tuple[str, ...]:
    """The board roles that have `capability`, sorted (for queries); KeyError for an unknown capability."""
    return tuple(sorted(_roles(capability)))


def can(membership: Membership | None, capability: str) -> bool:
    """Whether a board membership's role has `capability` (see CAPABILITIES); KeyError for an unknown capability."""
    roles = _roles(capability)
    return membership is not None and membership.role in roles


def _deny(code: int, reason: str) -> NoReturn:
    user = current_user.get_id() and getattr(current_user, "id", None)
    log.warning("authorisation failure: %s user=%s path=%s", reason, user, request.path)
    abort(code)


def membership_for(board_id: int) -> Membership | None:
    """The current user's membership of a board, or None."""
    if not current_user.is_authenticated:
        return None
    return current_membership(current_user.id, board_id)


def require_board_capability(board_id: int, capability: str) -> Membership:
    """The current user's membership of the board, if its role has `capability`; else 401/404/403.

    404 for someone not on the board (its existence is not revealed), 403 for
    a member whose role lacks the capability; each refusal is logged. An
    unknown capability is a programming error: KeyError, before anything else.
    """
    roles = _roles(capability)
    if not current_user.is_authenticated:
        _deny(401, "not logged in")
    membership = membership_for(board_id)
    if membership is None:
        _deny(404, f"not a member of board {board_id}")
    if membership.role not in roles:
        _deny(403, f"role {membership.role} lacks {capability} on board {board_id}")
    return membership


def require_round_capability(round_id: int, capability: str) -> tuple[AssessmentRound, Membership]:
    """A round and the current user's membership of its board, checked as above (404 for no such round)."""
    _roles(capability)  # an unknown capability fails whether or not the round exists
    assessment_round = round_by_id(round_id)
    if assessment_round is None:
        abort(404)
    membership = require_board_capability(assessment_round.board_id, capability)
    return assessment_round, membership


def require_admin() -> None:
    if not current_user.is_authenticated:
        _deny(401, "not logged in")
    if not current_user.is_admin:
        _deny(403, "not an administrator")
