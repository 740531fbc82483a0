"""`flask sait demo` loads the demo board once and prints how to sign in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from app.data.framework_store import current_framework
from app.data.models import AssessmentRound, Board, Membership
from app.data.reports import build_report
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


def test_the_demo_is_a_regional_board_whose_last_round_was_on_the_earlier_framework(runner):
    assert runner.invoke(args=["sait", "demo"]).exit_code == 0
    board = db.session.scalar(select(Board).where(Board.name == DEMO_BOARD))
    assert board.kind == "regional_safeguarding_board" and len(board.local_authorities) == 3
    rounds = db.session.scalars(select(AssessmentRound).where(AssessmentRound.board_id == board.id).order_by(AssessmentRound.created_at)).all()
    assert [r.framework_version.version for r in rounds] == ["2026.1", current_framework().version]
    # This year's report compares with last year's across the two versions.
    previous = build_report(rounds[-1], today=date.today()).previous
    assert previous is not None and (previous.version_before, previous.version_after) == ("2026.1", current_framework().version)


def test_the_demo_has_last_year_s_approved_statements_and_this_year_s_draft(runner):
    from app.data.report_statements import report_sign_off, report_statements

    assert runner.invoke(args=["sait", "demo"]).exit_code == 0
    board = db.session.scalar(select(Board).where(Board.name == DEMO_BOARD))
    previous, current = db.session.scalars(select(AssessmentRound).where(AssessmentRound.board_id == board.id).order_by(AssessmentRound.created_at)).all()
    assert set(report_statements(previous.id)) == {"overall", "outcomes"} and report_sign_off(previous.id) is not None
    assert set(report_statements(current.id)) == {"overall"} and report_sign_off(current.id) is None
