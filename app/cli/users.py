"""`sait create-user`: create an account (and its board membership) from the command line."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from app.auth.passwords import hash_password, password_problems
from app.core.email_address import NotAnEmailAddress, normalised_email
from app.data.admin import create_board
from app.data.audit import record
from app.data.models import ROLES, Board, Membership, User
from app.extensions import db
from app.web.agencies import AGENCY_BY_ID


@click.command("create-user")
@click.option("--email", required=True, help="Email address used to sign in.")
@click.option("--name", required=True, help="Full name.")
@click.option("--admin", "is_admin", is_flag=True, help="Make this person an administrator of the installation.")
@click.option("--board", "board_name", help="Board to add the person to (created if it does not exist).")
@click.option("--role", type=click.Choice(ROLES), help="Role on the board.")
@click.option("--agency", type=click.Choice(sorted(AGENCY_BY_ID)), help="Agency the person represents on the board.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input instead of prompting.")
@with_appcontext
def create_user(email, name, is_admin, board_name, role, agency, password_stdin):
    """Create an account, optionally with a role on a board."""
    try:
        email = normalised_email(email)
    except NotAnEmailAddress as not_an_address:
        raise click.BadParameter(str(not_an_address), param_hint="--email") from None
    if board_name and not (role and agency):
        raise click.UsageError("--board needs --role and --agency")
    if (role or agency) and not board_name:
        raise click.UsageError("--role and --agency need --board")
    if db.session.scalar(select(User).where(func.lower(User.email) == email)):
        click.echo(f"error: an account for {email} already exists", err=True)
        sys.exit(1)
    password = sys.stdin.readline().rstrip("\n") if password_stdin else click.prompt("Password", hide_input=True, confirmation_prompt=True)
    problems = password_problems(
        password, min_length=current_app.config["SAIT_PASSWORD_MIN_LENGTH"], email=email, name=name
    )
    if problems:
        for problem in problems:
            click.echo(f"error: {problem}", err=True)
        sys.exit(1)
    user = User(email=email, name=name.strip(), password_hash=hash_password(password), is_admin=is_admin)
    db.session.add(user)
    db.session.flush()
    record("user_created", object_type="user", object_id=user.id, detail={"email": email, "admin": is_admin, "by": "command line"})
    message = f"Created {email}" + (" (administrator)" if is_admin else "")
    if board_name:
        board = db.session.scalar(select(Board).where(Board.name == board_name.strip()))
        if board is None:
            board = create_board(board_name.strip())
            record("board_created", board_id=board.id, object_type="board", object_id=board.id, detail={"name": board.name, "by": "command line"})
            message += f"; created board '{board.name}'"
        db.session.add(Membership(user_id=user.id, board_id=board.id, role=role, agency=agency))
        record("role_granted", board_id=board.id, object_type="user", object_id=user.id, detail={"role": role, "agency": agency, "by": "command line"})
        message += f"; {role} on '{board.name}' for {AGENCY_BY_ID[agency].name}"
    db.session.commit()
    click.echo(message)
