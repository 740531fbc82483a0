"""Invitations to a board: sending the one-time link, and accepting it.

Accepting links the board to the account that has the invited address
(the person must be signed in as that account) or, if there is none, creates
the account. A link works once and expires after SAIT_INVITATION_DAYS.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.blueprint import bp
from app.auth.forms import AcceptInvitationForm, JoinBoardForm
from app.auth.passwords import hash_password
from app.auth.reset import link_problem
from app.auth.routes import start_session
from app.auth.tokens import LinkState, link_state, new_token, token_hash
from app.data import accounts
from app.data.audit import record
from app.data.database import commit_early, roll_back
from app.data.models import Board, Invitation, User
from app.web.agencies import agency_name
from app.web.i18n import board_name
from app.web.labels import ROLE_NAMES
from app.web.mail import link_to, send_link


def send_invitation(board: Board, *, email: str, name: str, role: str, agency: str) -> bool:
    """Invite `email` to `board`; True if the link went by email (else it is in the log).

    An earlier invitation to the same person for the same board stops working.
    """
    token, hashed = new_token()
    link = link_to("auth.accept_invitation", token=token)  # first: refuses before anything changes
    now = datetime.now(UTC)
    email = email.strip().lower()
    accounts.end_open_invitations(board.id, email, now)
    days = current_app.config["SAIT_INVITATION_DAYS"]
    invitation = accounts.create_invitation(
        board_id=board.id,
        email=email,
        name=name.strip(),
        role=role,
        agency=agency,
        token_hash=hashed,
        invited_by_id=current_user.id,
        expires_at=now + timedelta(days=days),
    )
    record(
        "invitation_sent",
        board_id=board.id,
        object_type="invitation",
        object_id=invitation.id,
        detail={"email": email, "role": role, "agency": agency},
    )
    commit_early()  # before the email: its link must already work
    # The invited person has chosen no language yet: write in the one the inviter is using.
    subject = _("You are invited to %(board)s", board=board_name(board))
    body = "\n\n".join([
        _("Hello %(name)s,", name=invitation.name or email),
        _(
            "%(inviter)s has invited you to join %(board)s on the safeguarding board self-assessment service, "
            "as %(role)s for %(agency)s.",
            inviter=current_user.name,
            board=board_name(board),
            role=ROLE_NAMES[role].lower(),
            agency=agency_name(agency),
        ),
        _("Use this link to accept. It works once and expires in %(days)s days:", days=days),
        link,
    ])
    return send_link(email, subject, body + "\n", link)


def join_board(user: User, invitation: Invitation) -> None:
    """Give `user` the invited role on the board (bringing back a removed membership)."""
    accounts.admit_to_board(user.id, invitation)
    record(
        "invitation_accepted",
        board_id=invitation.board_id,
        object_type="invitation",
        object_id=invitation.id,
        user_id=user.id,
        detail={"email": invitation.email, "role": invitation.role, "agency": invitation.agency},
    )


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = accounts.invitation_by_hash(token_hash(token))
    if invitation is None:
        return link_problem(LinkState.UNKNOWN, "invitation")
    state = link_state(True, invitation.accepted_at, invitation.expires_at)
    if state is not LinkState.VALID:
        return link_problem(state, "invitation")
    context = {"invitation": invitation, "board": invitation.board, "role_name": ROLE_NAMES[invitation.role]}
    if current_user.is_authenticated and current_user.email.lower() != invitation.email:
        return render_template("auth/invitation_other_account.html", page_title=_("This invitation is for someone else"), **context)
    account = accounts.user_by_email(invitation.email)
    if account is not None:
        return _join_with_account(account, context)
    return _join_with_new_account(invitation, context)


def _join_with_account(account: User, context: dict):
    invitation = context["invitation"]
    if not current_user.is_authenticated:
        return render_template(
            "auth/invitation_sign_in.html",
            sign_in_url=url_for("auth.login", next=request.path),
            page_title=_("Sign in to accept your invitation"),
            **context,
        )
    form = JoinBoardForm()
    if form.validate_on_submit():
        if not accounts.spend_invitation(invitation.id):
            roll_back()
            return link_problem(LinkState.USED, "invitation")
        join_board(account, invitation)
        flash(_("You have joined %(board)s.", board=board_name(invitation.board)), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/invitation_accept.html", form=form, page_title=_("Join %(board)s", board=board_name(invitation.board)), **context)


def _join_with_new_account(invitation: Invitation, context: dict):
    form = AcceptInvitationForm()
    if request.method == "GET":
        form.name.data = invitation.name
    if form.validate_on_submit() and form.new_password_acceptable(invitation.email, form.name.data or invitation.name):
        if not accounts.spend_invitation(invitation.id):
            roll_back()
            return link_problem(LinkState.USED, "invitation")
        user = accounts.create_user(invitation.email, form.name.data or "", hash_password(form.new_password.data or ""))
        record("user_created", user_id=user.id, object_type="user", object_id=user.id, detail={"email": user.email, "by": "invitation"})
        join_board(user, invitation)
        start_session(user)
        flash(_("Your account is ready and you have joined %(board)s.", board=board_name(invitation.board)), "success")
        return redirect(url_for("main.home"))
    return render_template("auth/invitation_new_account.html", form=form, page_title=_("Create your account"), **context)
