"""Password reset by a one-time link, and the set-password link for new accounts.

The reply to a reset request is the same whether or not the address has an
account, so the form cannot be used to find out who is registered: the same
page, and the same work in the request, since everything that depends on the
account (finding it, storing the link, the audit event, the email) happens in
the mail thread after the reply (app/web/mail.py `in_background`).

A link works once, expires, and stops working when the password changes by
any route (app/auth/password_change.py, app/auth/tokens.py).
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from app.auth.blueprint import bp
from app.auth.devices import remember_device
from app.auth.forms import ResetPasswordForm, ResetRequestForm
from app.auth.password_change import replace_password
from app.auth.routes import login_limit, submitted_email
from app.auth.tokens import LinkState, link_state, new_password_token, password_token_current, token_hash
from app.data import accounts
from app.data.audit import record
from app.data.database import commit_early, roll_back
from app.data.models import Board, PasswordReset, User
from app.extensions import limiter
from app.web.form_fields import entered
from app.web.i18n import board_name, current_language
from app.web.mail import email_language, in_background, link_to, send_link

# What an unknown address's link is signed over: the same work, never stored.
_NO_ACCOUNT_HASH = "no account"


def issue_password_link(user: User, valid_for: timedelta) -> str:
    """Store a new one-time link for `user` and return its full web address."""
    token, hashed = new_password_token(user.id, user.password_hash)
    link = link_to("auth.reset_password", token=token)  # first: refuses before anything is stored
    accounts.store_password_link(user.id, hashed, valid_for)
    return link


def reset_email(name: str, link: str, minutes: int, language: str) -> tuple[str, str]:
    """The subject and body of a reset email, in `language`."""
    with force_locale(language):
        subject = _("Reset your password")
        body = "\n\n".join([
            _("Hello %(name)s,", name=name),
            _("Someone, probably you, asked to reset your password for the safeguarding board self-assessment service."),
            _("Use this link to choose a new password. It works once and expires in %(minutes)s minutes:", minutes=minutes),
            link,
            _("If you did not ask for this, you can ignore this email: your password has not changed."),
        ])
    return subject, body + "\n"


def deliver_password_reset(email: str, page_language: str, client_address: str | None) -> None:
    """Mail job: send a reset link to `email` if it has an active account.

    Up to the email, the work is the same for an address with no account (a
    token, a link, the email text), so even this thread's load says nothing.
    """
    user = accounts.user_by_email(email)
    account = user if user is not None and user.active else None
    minutes = current_app.config["SAIT_PASSWORD_RESET_MINUTES"]
    if account is not None:
        token, hashed = new_password_token(account.id, account.password_hash)
    else:
        token, hashed = new_password_token(0, _NO_ACCOUNT_HASH)
    link = link_to("auth.reset_password", token=token)
    subject, body = reset_email(
        account.name if account else email, link, minutes,
        email_language(account.language if account else None, page_language),
    )
    if account is None:
        return
    accounts.store_password_link(account.id, hashed, timedelta(minutes=minutes))
    event = record("password_reset_requested", user_id=account.id, object_type="user", object_id=account.id)
    event.ip_address = event.ip_address or client_address
    commit_early()  # before the email (sent from the mail thread): its link must already work
    send_link(account.email, subject, body, link)


def send_set_password_link(user: User, board: Board) -> bool:
    """Email a new account's holder a link to choose their first password."""
    days = current_app.config["SAIT_INVITATION_DAYS"]
    link = issue_password_link(user, timedelta(days=days))
    commit_early()  # before the email: its link must already work
    with force_locale(email_language(user.language)):
        subject = _("Your account for %(board)s", board=board_name(board))
        body = "\n\n".join([
            _("Hello %(name)s,", name=user.name),
            _("You are now business manager of %(board)s on the safeguarding board self-assessment service.", board=board_name(board)),
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
        # Nothing here depends on whether the address has an account.
        in_background(deliver_password_reset, entered(form.email).lower(), current_language(), request.remote_addr)
        return render_template(
            "auth/reset_sent.html",
            minutes=current_app.config["SAIT_PASSWORD_RESET_MINUTES"],
            page_title=_("Check your email"),
        )
    return render_template("auth/reset_request.html", form=form, page_title=_("Reset your password"))


def _reset_for(token: str) -> tuple[PasswordReset | None, LinkState]:
    reset = accounts.password_link_by_hash(token_hash(token))
    if reset is None or not reset.user.active:
        return None, LinkState.UNKNOWN
    if reset.used_at is None and not password_token_current(token, reset.user_id, reset.user.password_hash):
        # Made before the password last changed (which also expired it).
        return reset, LinkState.SUPERSEDED
    return reset, link_state(True, reset.used_at, reset.expires_at)


@bp.route("/password-reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    reset, state = _reset_for(token)
    if reset is None or state is not LinkState.VALID:
        return link_problem(state, "reset")
    user = reset.user
    new_account = not user.password_hash
    form = ResetPasswordForm()
    if form.validate_on_submit() and form.new_password_acceptable(user.email, user.name):
        if not accounts.spend_password_link(reset.id):
            roll_back()
            return link_problem(LinkState.USED, "reset")
        _set_password(user, form.new_password.data or "")
        flash(_("Your password is set. Sign in with your new password."), "success")
        response = redirect(url_for("auth.login"))
        # Having the email proves the account is theirs: this browser is now a
        # known device, so strangers' failed guesses do not stop them signing in.
        remember_device(response, user.email)
        return response
    title = _("Create your password") if new_account else _("Choose a new password")
    return render_template("auth/reset_password.html", form=form, user=user, page_title=title)


def _set_password(user: User, password: str) -> None:
    """Store the new password, end every session and spend the user's other links."""
    replace_password(user, password)
    record("password_reset", user_id=user.id, object_type="user", object_id=user.id)
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
    ("reset", LinkState.SUPERSEDED): (
        410,
        _l("This link no longer works"),
        _l(
            "The password has been changed since this link was sent, so the link has stopped working. "
            "If you still need to choose a new password, ask for a new link."
        ),
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
