"""Queries for signing in, passwords and invitations (the auth blueprint calls these, never raw queries).

Email addresses are matched whatever their case; the caller passes them lower-cased.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import InstrumentedAttribute

from app.data.database import rows_changed
from app.data.models import Invitation, Membership, PasswordReset, User
from app.extensions import db


def user_by_session_token(session_token: str) -> User | None:
    """The account a session cookie's token belongs to, active or not, or None."""
    return db.session.scalar(select(User).where(User.session_token == session_token))


def user_by_email(email: str) -> User | None:
    """The account with this (lower-cased) address whatever the case it was stored in, or None."""
    return db.session.scalar(select(User).where(func.lower(User.email) == email))


def create_user(email: str, name: str, password_hash: str) -> User:
    """A new account, flushed so it has an id."""
    user = User(email=email, name=name, password_hash=password_hash)
    db.session.add(user)
    db.session.flush()
    return user


def store_password_link(user_id: int, token_hash: str, valid_for: timedelta) -> PasswordReset:
    """Keep a new password link's hash, expiring `valid_for` from now."""
    reset = PasswordReset(user_id=user_id, token_hash=token_hash, expires_at=datetime.now(UTC) + valid_for)
    db.session.add(reset)
    return reset


def password_link_by_hash(token_hash: str) -> PasswordReset | None:
    """The password link whose token hashes to `token_hash`, used or not, or None."""
    return db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash))


def end_password_links(user_id: int) -> None:
    """Make every unused password link of the user expire now."""
    now = datetime.now(UTC)
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user_id, PasswordReset.used_at.is_(None), PasswordReset.expires_at > now)
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


def spend_password_link(reset_id: int) -> bool:
    """Mark a password link used now; False if another request used it first."""
    return _spend(PasswordReset.used_at, reset_id)


def end_open_invitations(board_id: int, email: str, now: datetime) -> None:
    """Make every unaccepted, unexpired invitation of `email` to the board expire at `now`."""
    db.session.execute(
        update(Invitation)
        .where(
            Invitation.board_id == board_id,
            Invitation.email == email,
            Invitation.accepted_at.is_(None),
            Invitation.expires_at > now,
        )
        .values(expires_at=now)
        .execution_options(synchronize_session=False)
    )


def create_invitation(
    *, board_id: int, email: str, name: str, role: str, agency: str, token_hash: str, invited_by_id: int, expires_at: datetime
) -> Invitation:
    """A new invitation, flushed so it has an id."""
    invitation = Invitation(
        board_id=board_id,
        email=email,
        name=name,
        role=role,
        agency=agency,
        token_hash=token_hash,
        invited_by_id=invited_by_id,
        expires_at=expires_at,
    )
    db.session.add(invitation)
    db.session.flush()
    return invitation


def invitation_by_hash(token_hash: str) -> Invitation | None:
    """The invitation whose token hashes to `token_hash`, accepted or not, or None."""
    return db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash))


def spend_invitation(invitation_id: int) -> bool:
    """Mark an invitation accepted now; False if another request accepted it first."""
    return _spend(Invitation.accepted_at, invitation_id)


def admit_to_board(user_id: int, invitation: Invitation) -> None:
    """Give the person the invited role on the board: a new membership, or their removed one back.

    A current membership is left as it is.
    """
    membership = db.session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.board_id == invitation.board_id)
    )
    if membership is None:
        db.session.add(Membership(user_id=user_id, board_id=invitation.board_id, role=invitation.role, agency=invitation.agency))
    elif membership.removed_at is not None:
        membership.removed_at = None
        membership.role = invitation.role
        membership.agency = invitation.agency


def _spend(used_column: InstrumentedAttribute, row_id: int) -> bool:
    """Mark a one-time link used now, only if it is not yet (single use under races: 1 row changed means this request won)."""
    model = used_column.class_
    return rows_changed(
        update(model)
        .where(model.id == row_id, used_column.is_(None))
        .values({used_column.key: datetime.now(UTC)})
        .execution_options(synchronize_session=False)
    ) == 1
