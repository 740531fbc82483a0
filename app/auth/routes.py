from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from app.auth.blueprint import bp
from app.auth.devices import device_limit_key, is_anonymous_attempt, is_known_device, remember_device
from app.auth.forms import ChangePasswordForm, LoginForm
from app.auth.password_change import replace_password
from app.auth.passwords import verify_password
from app.data.accounts import user_by_email
from app.data.audit import record
from app.data.database import commit_early
from app.data.models import User
from app.extensions import limiter
from app.web.errors import render_error
from app.web.form_fields import add_error, entered
from app.web.i18n import CHOSEN_SIGNED_OUT, LANGUAGES
from app.web.safe_redirect import safe_next_url

security_log = logging.getLogger("sait.security")


def login_limit() -> str:
    return current_app.config["SAIT_LOGIN_LIMIT"]


def submitted_email() -> str:
    # Throttle per address as well as per IP; the same limit applies whether
    # or not the address has an account, so the 429 reveals nothing.
    return "login-email:" + (request.form.get("email") or "").strip().lower()


@bp.errorhandler(429)
def too_many_attempts(error):
    """On the sign-in form, say that a device used before can still sign in; elsewhere the usual page."""
    if request.endpoint != "auth.login":
        return render_error(429)
    return (
        render_template("auth/sign_in_paused.html", known_device=is_known_device(), page_title=_("Too many attempts")),
        429,
    )


def start_session(user: User) -> None:
    """Sign a person in with a fresh session (guards against session fixation).

    The page language carries over. If the person chose it with the language
    links before signing in, it becomes their saved choice; one only left over
    from the last person to sign out here does not.
    """
    held = session.get("held_save_key")
    language = session.get("lang")
    chosen = session.get(CHOSEN_SIGNED_OUT, False)
    session.clear()
    if held:
        session["held_save_key"] = held
    if language in LANGUAGES:
        session["lang"] = language
        if chosen:
            user.language = language
    session.permanent = True
    session["signed_in_at"] = datetime.now(UTC).timestamp()
    login_user(user)
    user.last_login_at = datetime.now(UTC)


def _failed(response) -> bool:
    # Only failed attempts count towards the limit: a successful sign-in
    # redirects, a refused one shows the form again.
    return response.status_code != 302


# Failed sign-ins are limited per client address and per account for anonymous
# attempts, and per device cookie for a browser already used with the account
# (app/auth/devices.py): strangers' guesses pause strangers, not the owner.
@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"], deduct_when=_failed, exempt_when=is_known_device)
@limiter.limit(login_limit, methods=["POST"], key_func=submitted_email, deduct_when=_failed, exempt_when=is_known_device)
@limiter.limit(login_limit, methods=["POST"], key_func=device_limit_key, deduct_when=_failed, exempt_when=is_anonymous_attempt)
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    form = LoginForm()
    if form.validate_on_submit():
        email = entered(form.email).lower()
        user = user_by_email(email)
        # The hash is checked even for a disabled account, so the time taken
        # does not tell which accounts exist or are disabled.
        password_ok = verify_password(user.password_hash if user else None, form.password.data)
        if user is not None and user.active and password_ok:
            start_session(user)
            record("sign_in", user_id=user.id)
            response = redirect(safe_next_url(request.args.get("next")) or url_for("main.home"))
            remember_device(response, user.email)
            return response
        security_log.warning(
            "authentication failure: email=%r ip=%s device=%s",
            email[:254], request.remote_addr, "known" if is_known_device() else "new",
        )
        record("sign_in_failed", detail={"email": email[:254]}, user_id=user.id if user else None)
        add_error(form.email, _("Enter a correct email address and password"))
    return render_template("auth/login.html", form=form, page_title=_("Sign in"))


@bp.post("/sign-out")
@login_required
def logout():
    record("sign_out")
    language = current_user.language or session.get("lang")
    # A new token ends this and every other session of the user.
    current_user.end_all_sessions()
    logout_user()
    session.clear()
    if language in LANGUAGES:
        session["lang"] = language  # the sign-in page stays in the language they were using
    flash(_("You have signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.get("/account")
@login_required
def account():
    return render_template("auth/account.html", page_title=_("Your account"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            add_error(form.current_password, _("Your current password is not correct"))
        elif form.new_password_acceptable(current_user.email, current_user.name):
            user = current_user._get_current_object()
            replace_password(user, form.new_password.data)
            record("password_changed")
            commit_early()  # the new password and session token are saved before the new session starts
            start_session(user)
            flash(_("Your password has been changed. Other devices have been signed out."), "success")
            return redirect(url_for("auth.account"))
    return render_template("auth/change_password.html", form=form, page_title=_("Change your password"))

