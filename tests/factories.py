"""Fixtures that create people, boards and rounds, and sign people in."""

from __future__ import annotations

import itertools

import pytest
from argon2 import PasswordHasher
from bs4 import BeautifulSoup

from app.data.models import Board, Membership, User
from app.extensions import db

PASSWORD = "correct horse battery staple 42"
_counter = itertools.count(1)
_HASH = None


def _password_hash() -> str:
    # Argon2 is slow on purpose. Verifying uses the parameters stored in the
    # hash, so a cheap hash of the shared test password keeps sign-ins fast
    # while exercising the real verification code.
    global _HASH
    if _HASH is None:
        _HASH = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(PASSWORD)
    return _HASH


def page(response) -> BeautifulSoup:
    """The parsed HTML of a response."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(client, path: str) -> str:
    """The CSRF token of the first form on a page."""
    soup = page(client.get(path))
    field = soup.select_one("input[name=csrf_token]")
    assert field is not None, f"no CSRF token on {path}"
    return field["value"]


@pytest.fixture
def make_user(app):
    def make(name: str | None = None, *, email: str | None = None, is_admin: bool = False) -> User:
        n = next(_counter)
        user = User(
            name=name or f"Person {n}",
            email=email or f"person{n}@example.org",
            password_hash=_password_hash(),
            is_admin=is_admin,
        )
        db.session.add(user)
        db.session.commit()
        return user

    return make


@pytest.fixture
def make_board(app):
    def make(name: str | None = None) -> Board:
        board = Board(name=name or f"Board {next(_counter)}")
        db.session.add(board)
        db.session.commit()
        return board

    return make


@pytest.fixture
def add_member(app):
    def add(user: User, board: Board, role: str = "member", agency: str = "police") -> Membership:
        membership = Membership(user_id=user.id, board_id=board.id, role=role, agency=agency)
        db.session.add(membership)
        db.session.commit()
        return membership

    return add


@pytest.fixture
def login(client):
    def sign_in(user: User, *, test_client=None):
        c = test_client or client
        token = csrf_token(c, "/sign-in")
        response = c.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert response.status_code == 302, page(response).get_text()
        return c

    return sign_in
