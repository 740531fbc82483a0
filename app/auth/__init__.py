"""Signing in and out, passwords, invitations and session lifetime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Blueprint, Flask, current_app, flash, g, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy import select

from app.extensions import db, login_manager

bp = Blueprint("auth", __name__)


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in to continue.")
    # Flashed messages are stored in the session, so as plain text in the page's language.
    login_manager.localize_callback = str
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(_load_user)
    app.before_request(_enforce_absolute_timeout)
    link_guard.init_app(app)
    app.register_blueprint(bp)


def _load_user(session_token: str):
    from app.data.models import User

    user = db.session.scalar(select(User).where(User.session_token == session_token))
    return user if user is not None and user.active else None


def _enforce_absolute_timeout():
    """End a session a fixed time after sign-in, however active it has been."""
    if not current_user.is_authenticated:
        return None
    signed_in_at = session.get("signed_in_at")
    limit = timedelta(hours=current_app.config["SAIT_ABSOLUTE_SESSION_HOURS"])
    now = datetime.now(UTC).timestamp()
    if signed_in_at is None or now - signed_in_at > limit.total_seconds():
        # Whoever was signed in still owns what this request brings (see app/questionnaire/held.py).
        g.signed_out_user_id = current_user.id
        logout_user()
        session.pop("signed_in_at", None)
        flash(_("Your session has ended. Sign in again to continue."), "info")
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path))
    return None


from app.auth import invitations, link_guard, reset, routes  # noqa: E402,F401
