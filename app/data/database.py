"""Engine settings that depend on the database in use, and the one way to run a bulk write."""

from __future__ import annotations

from typing import cast

from flask import Flask
from sqlalchemy import Delete, Update, event, text
from sqlalchemy.engine import CursorResult, Engine

from app.extensions import db


def init_app(app: Flask) -> None:
    """Make SQLite safe for several workers: WAL journal and a busy timeout."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)


def _sqlite_pragmas(dbapi_connection, connection_record) -> None:  # noqa: ARG001
    cursor = dbapi_connection.cursor()
    # Without these, concurrent autosaves fail with "database is locked".
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def rows_changed(statement: Update | Delete) -> int:
    """Run an UPDATE or DELETE in the request's session and say how many rows it changed.

    A conditional write (`... WHERE version = :seen`) is how two people saving
    at once are told apart: 1 row means this request won, 0 that someone else did.
    """
    return cast(CursorResult, db.session.execute(statement)).rowcount


def commit_early() -> None:
    """Make what this request wrote durable now, before something outside the database relies on it.

    Only for the cases app/web/transaction.py lists (an email that links to a
    row just stored, a new session started on a changed token); everything
    else is committed once, after the view has answered.
    """
    db.session.commit()


def roll_back() -> None:
    """Forget what this request wrote since the last commit (a lost race, a refused write)."""
    db.session.rollback()


def finish_request(*, failed: bool) -> None:
    """Commit the request's writes, or roll them back when it failed; nothing when it never used the database."""
    if not db.session.registry.has():
        return  # a stylesheet, a font
    if failed:
        db.session.rollback()
    else:
        db.session.commit()


def database_answers() -> None:
    """Raise unless the database answers a trivial query (the health check)."""
    db.session.execute(text("SELECT 1"))


__all__ = ["init_app", "rows_changed", "commit_early", "roll_back", "finish_request", "database_answers", "Engine"]
