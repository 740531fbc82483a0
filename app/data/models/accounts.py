"""Boards, people and their roles on boards."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.data.models.base import Model, UTCDateTime, utcnow


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


#: What a board made before boards had a kind and nation is (migration d1e5a7c9b3f2).
DEFAULT_BOARD_KIND = "local_safeguarding_children_board"
DEFAULT_BOARD_NATION = "wales"


class Board(Model):
    """A safeguarding board: its kind and nation (ids from partners.yaml), the
    local authorities it covers and its own partner agencies."""

    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    #: The board's name in Welsh, if it has one: Welsh pages and the Welsh report use it.
    name_cy: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(48), default=DEFAULT_BOARD_KIND, server_default=DEFAULT_BOARD_KIND)
    nation: Mapped[str] = mapped_column(String(16), default=DEFAULT_BOARD_NATION, server_default=DEFAULT_BOARD_NATION)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="board")
    # A board with no partner rows (made outside the admin pages) has its
    # nation's partners from partners.yaml: app/web/agencies.py board_partners.
    partners: Mapped[list[BoardPartner]] = relationship(
        order_by="BoardPartner.position", cascade="all, delete-orphan", back_populates="board"
    )
    local_authorities: Mapped[list[BoardLocalAuthority]] = relationship(
        order_by="BoardLocalAuthority.position", cascade="all, delete-orphan", back_populates="board"
    )


class BoardPartner(Model):
    """One of a board's partner agencies (an agency code), and whether it is statutory for the board."""

    __tablename__ = "board_partners"
    __table_args__ = (UniqueConstraint("board_id", "agency"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    agency: Mapped[str] = mapped_column(String(32))
    statutory: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)

    board: Mapped[Board] = relationship(back_populates="partners")


class BoardLocalAuthority(Model):
    """A local authority (council) whose area the board covers, by name."""

    __tablename__ = "board_local_authorities"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    board: Mapped[Board] = relationship(back_populates="local_authorities")


class User(Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Flask-Login's alternative id: changing it ends every session of the user
    # (log out, password change, disabling the account).
    session_token: Mapped[str] = mapped_column(
        String(64), unique=True, default=new_session_token
    )
    language: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user")

    # What Flask-Login asks of a user (written out here rather than inherited
    # from its UserMixin, so the models do not depend on the web layer).
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    def end_all_sessions(self) -> None:
        """Invalidate every session cookie issued to this user."""
        self.session_token = new_session_token()


class Membership(Model):
    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "board_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    agency: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # A member who leaves keeps their row (their old responses point to it)
    # but loses every right on the board: queries of current members filter
    # on `Membership.removed_at.is_(None)`.
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship(back_populates="memberships")
    board: Mapped[Board] = relationship(back_populates="memberships")


class Invitation(Model):
    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(32))
    agency: Mapped[str] = mapped_column(String(32))
    # Only a hash of the link's token is stored, so a database leak gives no
    # usable links.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    board: Mapped[Board] = relationship()


class PasswordReset(Model):
    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user: Mapped[User] = relationship()
