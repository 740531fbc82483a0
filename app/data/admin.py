"""Queries for the administration pages (the views call these, never raw queries).

Every list is a fixed number of queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from app.core.partners import Partner
from app.data.models import AuditEvent, Board, BoardLocalAuthority, BoardPartner, Invitation, Membership, User
from app.data.models.accounts import DEFAULT_BOARD_NATION
from app.extensions import db
from app.web.agencies import catalogue, nation_partners


@dataclass
class BoardRow:
    board: Board
    members: int = 0
    business_managers: list[str] = field(default_factory=list)


def boards_overview() -> list[BoardRow]:
    """Every board, with its business managers and number of current members."""
    rows = {board.id: BoardRow(board) for board in db.session.scalars(select(Board).order_by(Board.name))}
    current = Membership.removed_at.is_(None)
    counts = db.session.execute(
        select(Membership.board_id, func.count()).where(current).group_by(Membership.board_id)
    )
    for board_id, members in counts:
        rows[board_id].members = members
    managers = db.session.execute(
        select(Membership.board_id, User.name)
        .join(User, User.id == Membership.user_id)
        .where(current, Membership.role == "business_manager")
        .order_by(User.name)
    )
    for board_id, name in managers:
        rows[board_id].business_managers.append(name)
    return list(rows.values())


def board_by_id(board_id: int) -> Board | None:
    """A board by id, or None."""
    return db.session.get(Board, board_id)


def create_board(
    name: str,
    *,
    name_cy: str | None = None,
    nation: str = DEFAULT_BOARD_NATION,
    kind: str | None = None,
    local_authorities: Sequence[str] = (),
    partners: Sequence[Partner] | None = None,
) -> Board:
    """A new board, flushed so it has an id, with ``partners`` as its own list (default: its nation's from partners.yaml)."""
    board = Board(name=name, name_cy=name_cy, nation=nation)
    if kind:
        board.kind = kind
    board.local_authorities = [BoardLocalAuthority(name=la, position=n) for n, la in enumerate(local_authorities)]
    board.partners = _partner_rows(nation_partners(catalogue().nation(nation)) if partners is None else partners)
    db.session.add(board)
    db.session.flush()
    return board


def change_board_details(
    board: Board,
    *,
    name: str,
    name_cy: str | None = None,
    nation: str,
    kind: str,
    local_authorities: Sequence[str],
    partners: Sequence[Partner],
) -> None:
    """Replace the board's details, local authorities and partner list (partners in the order given)."""
    board.name, board.name_cy, board.nation, board.kind = name, name_cy, nation, kind
    # The old rows go first: (board, agency) is unique, and a flush inserts before it deletes.
    board.partners.clear()
    board.local_authorities.clear()
    db.session.flush()
    board.local_authorities = [BoardLocalAuthority(name=la, position=n) for n, la in enumerate(local_authorities)]
    board.partners = _partner_rows(partners)
    db.session.flush()


def _partner_rows(partners: Sequence[Partner]) -> list[BoardPartner]:
    return [BoardPartner(agency=p.agency, statutory=p.statutory, position=n) for n, p in enumerate(partners)]


def board_named(name: str) -> Board | None:
    return db.session.scalar(select(Board).where(func.lower(Board.name) == name.strip().lower()))


def user_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def user_by_id(user_id: int) -> User | None:
    """An account by id, or None."""
    return db.session.get(User, user_id)


def create_user_without_password(email: str, name: str) -> User:
    """A new account with no password yet (the person chooses one with an emailed link), flushed so it has an id."""
    user = User(email=email, name=name, password_hash="")
    db.session.add(user)
    db.session.flush()
    return user


def current_members(board_id: int) -> list[Membership]:
    """The board's current members, by name."""
    return list(
        db.session.scalars(
            select(Membership)
            .join(User, User.id == Membership.user_id)
            .where(Membership.board_id == board_id, Membership.removed_at.is_(None))
            .options(joinedload(Membership.user))
            .order_by(func.lower(User.name), User.id)
        )
    )


def membership_of(user_id: int, board_id: int) -> Membership | None:
    """A person's membership row for a board, current or removed."""
    return db.session.scalar(
        select(Membership).where(Membership.user_id == user_id, Membership.board_id == board_id)
    )


def current_membership(user_id: int, board_id: int) -> Membership | None:
    """A person's current membership of a board (None if they never had one or were removed)."""
    return db.session.scalar(
        select(Membership).where(
            Membership.board_id == board_id,
            Membership.user_id == user_id,
            Membership.removed_at.is_(None),
        )
    )


def membership_on_board(board_id: int, membership_id: int) -> Membership | None:
    """A current membership of this board by id; None for another board's, a removed one, or no such row."""
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.board_id != board_id or membership.removed_at is not None:
        return None
    return membership


def grant_role(user_id: int, board_id: int, role: str, agency: str) -> Membership:
    """Give the person `role` for `agency` on the board: their membership row (current or removed) again, or a new one."""
    membership = membership_of(user_id, board_id)
    if membership is None:
        membership = Membership(user_id=user_id, board_id=board_id)
        db.session.add(membership)
    membership.role = role
    membership.agency = agency
    membership.removed_at = None
    return membership


def business_manager_count(board_id: int) -> int:
    return db.session.execute(
        select(func.count())
        .select_from(Membership)
        .where(
            Membership.board_id == board_id,
            Membership.role == "business_manager",
            Membership.removed_at.is_(None),
        )
    ).scalar_one()


def pending_invitations(board_id: int) -> list[Invitation]:
    """Invitations to the board that can still be accepted, newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(
                Invitation.board_id == board_id,
                Invitation.accepted_at.is_(None),
                Invitation.expires_at > datetime.now(UTC),
            )
            .order_by(Invitation.created_at.desc(), Invitation.id.desc())
        )
    )


def invitation_on_board(board_id: int, invitation_id: int) -> Invitation | None:
    """An invitation to this board by id (accepted, expired or not); None for another board's or no such row."""
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.board_id != board_id:
        return None
    return invitation


#: Rows per page of the long lists (accounts, the audit trail).
PER_PAGE = 50


def accounts_page(number: int) -> Pagination:
    """One page of every account, by name, with their current boards (two queries: the count and the page)."""
    accounts = select(User).options(selectinload(User.memberships).joinedload(Membership.board)).order_by(func.lower(User.name), User.id)
    return db.paginate(accounts, page=number, per_page=PER_PAGE, error_out=False, count=True)


def _audit_filters(board_id: int | None, action: str | None) -> list:
    filters = []
    if board_id is not None:
        filters.append(AuditEvent.board_id == board_id)
    if action:
        filters.append(AuditEvent.action == action)
    return filters


def audit_page(*, board_id: int | None, action: str | None, number: int) -> Pagination:
    """One page of the audit trail's events (of one board, or all), newest first, with who acted and on which board."""
    events = (
        select(AuditEvent)
        .where(*_audit_filters(board_id, action))
        .options(joinedload(AuditEvent.user), joinedload(AuditEvent.board))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
    )
    return db.paginate(events, page=number, per_page=PER_PAGE, error_out=False, count=True)


def audit_actions(board_id: int | None) -> list[str]:
    """The actions that occur in the trail, for the filter."""
    return list(
        db.session.scalars(
            select(AuditEvent.action).distinct().where(*_audit_filters(board_id, None)).order_by(AuditEvent.action)
        )
    )
