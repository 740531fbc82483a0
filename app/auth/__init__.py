"""Signing in and out, passwords, invitations and session lifetime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask, current_app, flash, g, has_request_context, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

# Importing the route modules registers their views on the blueprint.
from app.auth import invitations, link_guard, reset, routes  # noqa: F401
from app.auth.blueprint import bp
from app.data import accounts, audit
from app.extensions import login_manager


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
    audit.identify_actors_with(_acting_now)
    app.register_blueprint(bp)


def _acting_now() -> audit.Actor:
    """The audit trail's actor: the signed-in user (if any) and the address the request came from."""
    if not has_request_context():
        return None, None
    return (current_user.id if current_user.is_authenticated else None), request.remote_addr


def _load_user(session_token: str):
    user = accounts.user_by_session_token(session_token)
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

__all__ = ["bp"]
