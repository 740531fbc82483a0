"""`flask sait demo` loads the demo board once and prints how to sign in."""

from __future__ import annotations

from sqlalchemy import func, select

from app.data.models import AssessmentRound, Board, Membership
from app.demo import DEMO_BOARD, DEMO_PASSWORD
from app.extensions import db


def test_demo_loads_boards_people_in_every_role_and_prints_sign_ins(runner):
    result = runner.invoke(args=["sait", "demo"])
    assert result.exit_code == 0, result.output
    assert f"Loaded '{DEMO_BOARD}'." in result.output
    assert DEMO_PASSWORD in result.output
    for email in ("admin@demo.example.org", "manager@demo.example.org", "police@demo.example.org", "inspector@demo.example.org"):
        assert email in result.output
    board = db.session.scalar(select(Board).where(Board.name == DEMO_BOARD))
    roles = set(db.session.scalars(select(Membership.role).where(Membership.board_id == board.id)))
    assert roles == {"business_manager", "member", "inspector"}
    statuses = set(db.session.scalars(select(AssessmentRound.status).where(AssessmentRound.board_id == board.id)))
    assert {"open", "moderated"} <= statuses
    assert db.session.scalar(select(func.count()).select_from(Board)) == 2  # and the second, inspected board


def test_demo_is_not_loaded_twice(runner):
    assert runner.invoke(args=["sait", "demo"]).exit_code == 0
    again = runner.invoke(args=["sait", "demo"])
    assert again.exit_code == 1
    assert "already exists; nothing was changed" in again.output
    if_empty = runner.invoke(args=["sait", "demo", "--if-empty"])
    assert if_empty.exit_code == 0
    assert "is already loaded" in if_empty.output
    assert db.session.scalar(select(func.count()).select_from(Board).where(Board.name == DEMO_BOARD)) == 1
