"""Board- and role-level access checks used by every view that touches board data.

A person who is not on the board gets 404 (the board's existence is not
revealed); a person on the board in a role without the right gets 403.
"""

from __future__ import annotations

import logging
from typing import NoReturn

from flask import abort, request
from flask_login import current_user
from sqlalchemy import select

from app.data.models import AssessmentRound, Membership
from app.extensions import db

log = logging.getLogger("sait.security")

# What each board role may do beyond reading its board's pages, where roles
# differ: the one table docs/permissions.md describes. Views ask `can(...)`;
# templates get `can` too (app/web/templating.py), so a link and its page agree.
CAPABILITIES: dict[str, frozenset[str]] = {
    # The inspector's challenges and the business manager's replies on a
    # benchmark: a working exchange between the two, not shown to members.
    "read_challenge_threads": frozenset({"inspector", "business_manager"}),
    "write_challenge_threads": frozenset({"inspector", "business_manager"}),
}


def can(membership: Membership | None, capability: str) -> bool:
    """Whether a board membership's role has `capability` (see CAPABILITIES); unknown capabilities are refused."""
    return membership is not None and membership.role in CAPABILITIES.get(capability, frozenset())


def _deny(code: int, reason: str) -> NoReturn:
    user = current_user.get_id() and getattr(current_user, "id", None)
    log.warning("authorisation failure: %s user=%s path=%s", reason, user, request.path)
    abort(code)


def membership_for(board_id: int) -> Membership | None:
    """The current user's membership of a board, or None."""
    if not current_user.is_authenticated:
        return None
    return db.session.scalar(
        select(Membership).where(
            Membership.board_id == board_id,
            Membership.user_id == current_user.id,
            Membership.removed_at.is_(None),
        )
    )


def require_board_role(board_id: int, *roles: str) -> Membership:
    """The current user's membership of the board, if it has one of `roles`; else 404/403."""
    if not current_user.is_authenticated:
        _deny(401, "not logged in")
    membership = membership_for(board_id)
    if membership is None:
        _deny(404, f"not a member of board {board_id}")
    if roles and membership.role not in roles:
        _deny(403, f"role {membership.role} lacks {roles} on board {board_id}")
    return membership


def require_round_role(round_id: int, *roles: str) -> tuple[AssessmentRound, Membership]:
    """A round and the current user's membership of its board, checked as above."""
    assessment_round = db.session.get(AssessmentRound, round_id)
    if assessment_round is None:
        abort(404)
    membership = require_board_role(assessment_round.board_id, *roles)
    return assessment_round, membership


def require_admin() -> None:
    if not current_user.is_authenticated:
        _deny(401, "not logged in")
    if not current_user.is_admin:
        _deny(403, "not an administrator")
