"""`flask --app wsgi sait create-user`: accounts and business managers from the command line."""

from __future__ import annotations

from sqlalchemy import select

from app.auth.passwords import verify_password
from app.data.models import AuditEvent, Board, Membership, User
from app.extensions import db

GOOD_PASSWORD = "a long command line passphrase"


def create_user(runner, *args: str, password: str = GOOD_PASSWORD):
    return runner.invoke(args=["sait", "create-user", *args, "--password-stdin"], input=password + "\n")


def test_creates_an_administrator(runner):
    result = create_user(runner, "--email", "Admin@Example.org", "--name", "Alex Administrator", "--admin")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Created admin@example.org (administrator)"
    user = db.session.scalar(select(User))
    assert (user.email, user.name, user.is_admin, user.active) == ("admin@example.org", "Alex Administrator", True, True)
    assert verify_password(user.password_hash, GOOD_PASSWORD)
    assert user.password_hash != GOOD_PASSWORD


def test_creates_a_business_manager_and_their_board(runner):
    result = create_user(
        runner, "--email", "sian@example.org", "--name", "Siân Davies",
        "--board", "Gwent Board", "--role", "business_manager", "--agency", "local_authority",
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == (
        "Created sian@example.org; created board 'Gwent Board'; "
        "business_manager on 'Gwent Board' for Local authority children's services"
    )
    membership = db.session.scalar(select(Membership))
    assert (membership.board.name, membership.role, membership.agency) == ("Gwent Board", "business_manager", "local_authority")
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["user_created", "board_created", "role_granted"]


def test_adds_a_member_to_an_existing_board(runner, make_board):
    board = make_board("Powys Board")
    result = create_user(runner, "--email", "gareth@example.org", "--name", "Gareth Morgan", "--board", "Powys Board", "--role", "member", "--agency", "police")
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(Membership.board_id)) == board.id
    assert db.session.scalar(select(db.func.count()).select_from(Board)) == 1


def test_refuses_an_address_that_already_has_an_account(runner, make_user):
    user = make_user(email="taken@example.org")
    result = create_user(runner, "--email", "TAKEN@example.org", "--name", "Someone Else")
    assert result.exit_code == 1
    assert "an account for taken@example.org already exists" in result.output
    assert db.session.scalar(select(db.func.count()).select_from(User)) == 1
    assert user.name != "Someone Else"


def test_refuses_a_weak_password_and_creates_nothing(runner):
    result = create_user(runner, "--email", "weak@example.org", "--name", "Weak", password="password")
    assert result.exit_code == 1
    assert result.output.strip() == "error: Password must be 12 characters or more"
    result = create_user(runner, "--email", "weak@example.org", "--name", "Weak", password="password1234")
    assert result.exit_code == 1
    assert result.output.strip() == "error: Password is too easy to guess. Choose a less common password"
    assert db.session.scalar(select(User)) is None


def test_a_board_needs_a_role_and_an_agency(runner):
    result = create_user(runner, "--email", "x@example.org", "--name", "X", "--board", "Gwent Board")
    assert result.exit_code == 2
    assert "--board needs --role and --agency" in result.output
    result = create_user(runner, "--email", "x@example.org", "--name", "X", "--role", "member")
    assert result.exit_code == 2
    assert "--role and --agency need --board" in result.output
    assert db.session.scalar(select(User)) is None


def test_unknown_roles_and_agencies_are_refused(runner):
    result = create_user(runner, "--email", "x@example.org", "--name", "X", "--board", "B", "--role", "chair", "--agency", "police")
    assert result.exit_code == 2
    assert "Invalid value for '--role'" in result.output


def test_an_address_that_is_not_one_is_refused_and_nothing_is_created(runner):
    result = create_user(runner, "--email", "sian@", "--name", "Siân Davies", "--admin")
    assert result.exit_code == 2
    assert "Error: Invalid value for --email: There must be something after the @-sign." in result.output
    assert db.session.scalar(select(User)) is None
