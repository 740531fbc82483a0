"""Password reset by a one-time link, and the set-password link for new accounts.

The reply to a reset request is the same whether or not the address has an
account, so the form cannot be used to find out who is registered.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app, flash, redirect, render_template, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from sqlalchemy import func, select, update

from app.audit import record
from app.auth import bp
from app.auth.forms import ResetPasswordForm, ResetRequestForm
from app.auth.passwords import hash_password
from app.auth.routes import login_limit, submitted_email
from app.auth.tokens import LinkState, link_state, new_token, spend, token_hash
from app.extensions import db, limiter
from app.mail import email_language, link_to, send_link
from app.models import Board, PasswordReset, User


def issue_password_link(user: User, valid_for: timedelta) -> str:
    """Store a new one-time link for `user` and return its full web address."""
    token, hashed = new_token()
    db.session.add(
        PasswordReset(user_id=user.id, token_hash=hashed, expires_at=datetime.now(timezone.utc) + valid_for)
    )
    return link_to("auth.reset_password", token=token)


def send_password_reset(user: User) -> None:
    minutes = current_app.config["SAIT_PASSWORD_RESET_MINUTES"]
    link = issue_password_link(user, timedelta(minutes=minutes))
    record("password_reset_requested", user_id=user.id, object_type="user", object_id=user.id)
    db.session.commit()
    with force_locale(email_language(user.language)):
        subject = _("Reset your password")
        body = "\n\n".join([
            _("Hello %(name)s,", name=user.name),
            _("Someone, probably you, asked to reset your password for the safeguarding board self-assessment service."),
            _("Use this link to choose a new password. It works once and expires in %(minutes)s minutes:", minutes=minutes),
            link,
            _("If you did not ask for this, you can ignore this email: your password has not changed."),
        ])
    send_link(user.email, subject, body + "\n", link)


def send_set_password_link(user: User, board: Board) -> bool:
    """Email a new account's holder a link to choose their first password."""
    days = current_app.config["SAIT_INVITATION_DAYS"]
    link = issue_password_link(user, timedelta(days=days))
    db.session.commit()
    with force_locale(email_language(user.language)):
        subject = _("Your account for %(board)s", board=board.name)
        body = "\n\n".join([
            _("Hello %(name)s,", name=user.name),
            _("You are now business manager of %(board)s on the safeguarding board self-assessment service.", board=board.name),
            _("Use this link to choose your password. It works once and expires in %(days)s days:", days=days),
            link,
        ])
    return send_link(user.email, subject, body + "\n", link)


@bp.route("/password-reset", methods=["GET", "POST"])
@limiter.limit(login_limit, methods=["POST"])
@limiter.limit(login_limit, methods=["POST"], key_func=submitted_email)
def reset_request():
    form = ResetRequestForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user is not None and user.active:
            send_password_reset(user)
        return render_template(
            "auth/reset_sent.html",
            minutes=current_app.config["SAIT_PASSWORD_RESET_MINUTES"],
            page_title=_("Check your email"),
        )
    return render_template("auth/reset_request.html", form=form, page_title=_("Reset your password"))


def _reset_for(token: str) -> tuple[PasswordReset | None, LinkState]:
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or not reset.user.active:
        return None, LinkState.UNKNOWN
    return reset, link_state(True, reset.used_at, reset.expires_at)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    reset, state = _reset_for(token)
    if state is not LinkState.VALID:
        return link_problem(state, "reset")
    user = reset.user
    new_account = not user.password_hash
    form = ResetPasswordForm()
    if form.validate_on_submit() and form.new_password_acceptable(user.email):
        if not spend(PasswordReset.used_at, reset.id):
            db.session.rollback()
            return link_problem(LinkState.USED, "reset")
        _set_password(user, form.new_password.data)
        flash(_("Your password is set. Sign in with your new password."), "success")
        return redirect(url_for("auth.login"))
    title = _("Create your password") if new_account else _("Choose a new password")
    return render_template("auth/reset_password.html", form=form, user=user, page_title=title)


def _set_password(user: User, password: str) -> None:
    """Store the new password, end every session and spend the user's other links."""
    now = datetime.now(timezone.utc)
    user.password_hash = hash_password(password)
    user.end_all_sessions()
    db.session.execute(
        update(PasswordReset)
        .where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    record("password_reset", user_id=user.id, object_type="user", object_id=user.id)
    db.session.commit()
    if current_user.is_authenticated:
        logout_user()
    session.clear()


# What a person sees when a one-time link cannot be used, by kind of link.
LINK_PROBLEMS = {
    ("reset", LinkState.UNKNOWN): (
        404,
        _l("This link is not valid"),
        _l("Check you copied the whole link from the email. If it still does not work, ask for a new link."),
    ),
    ("reset", LinkState.USED): (
        410,
        _l("This link has already been used"),
        _l("Each link works only once. If you still need to choose a new password, ask for a new link."),
    ),
    ("reset", LinkState.EXPIRED): (
        410,
        _l("This link has expired"),
        _l("For your security, links to choose a password stop working after a while. Ask for a new link."),
    ),
    ("invitation", LinkState.UNKNOWN): (
        404,
        _l("This invitation link is not valid"),
        _l("Check you copied the whole link from the email. If it still does not work, ask the board’s business manager to invite you again."),
    ),
    ("invitation", LinkState.USED): (
        410,
        _l("This invitation has already been used"),
        _l("Each invitation works only once. If you accepted it, sign in to see your boards."),
    ),
    ("invitation", LinkState.EXPIRED): (410, _l("This invitation has expired"), _l("Ask the board’s business manager to invite you again.")),
}


def link_problem(state: LinkState, kind: str):
    code, lazy_title, lazy_advice = LINK_PROBLEMS[(kind, state)]
    title, advice = str(lazy_title), str(lazy_advice)
    return (
        render_template("auth/link_problem.html", title=title, advice=advice, kind=kind, page_title=title),
        code,
    )
