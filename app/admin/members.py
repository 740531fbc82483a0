"""A board's members and invitations, managed by its business managers.

The administrator can see the list (and add a business manager from it);
only the board's business managers invite, change roles and remove people.
A board always keeps at least one business manager.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from app.admin.access import require_board_capability_or_admin
from app.admin.blueprint import bp
from app.admin.forms import InviteForm, MemberForm, offer_board_agencies
from app.auth.invitations import send_invitation
from app.data.admin import (
    business_manager_count,
    current_members,
    invitation_on_board,
    membership_of,
    membership_on_board,
    pending_invitations,
    user_by_email,
)
from app.data.audit import record
from app.data.models import Membership
from app.web.agencies import agency_name, board_partners
from app.web.form_fields import ConfirmForm, add_error, entered
from app.web.i18n import board_name
from app.web.labels import ROLE_NAMES
from app.web.permissions import can, membership_for, require_board_capability

LAST_MANAGER = _l("The board must keep at least one business manager. Make someone else business manager first")


@bp.get("/boards/<int:board_id>/members")
@login_required
def board_members(board_id: int):
    board = require_board_capability_or_admin(board_id, "manage_members")
    managing = _manages_members(board_id)
    return render_template(
        "admin/members.html",
        board=board,
        members=current_members(board_id),
        partners=board_partners(board),
        invitations=pending_invitations(board_id),
        managing=managing,
        page_title=_("Members of %(board)s", board=board_name(board)),
    )


def _manages_members(board_id: int) -> bool:
    """Whether the current user's role on the board may invite, change and remove people (the administrator only sees the list)."""
    return can(membership_for(board_id), "manage_members")


@bp.route("/boards/<int:board_id>/members/invite", methods=["GET", "POST"])
@login_required
def invite_member(board_id: int):
    board = require_board_capability(board_id, "manage_members").board
    form = InviteForm()
    offer_board_agencies(form, board)
    if form.validate_on_submit():
        existing = user_by_email(entered(form.email))
        membership = membership_of(existing.id, board_id) if existing else None
        if existing is not None and membership is not None and membership.removed_at is None:
            add_error(form.email, _("%(name)s is already a member of this board", name=existing.name))
        else:
            sent = send_invitation(
                board,
                email=entered(form.email),
                name=entered(form.name),
                role=form.role.data,
                agency=form.agency.data,
            )
            email = entered(form.email).lower()
            if sent:
                flash(_("We have sent an invitation to %(email)s.", email=email), "success")
            else:
                flash(
                    _(
                        "The invitation to %(email)s is in the application log (email is not set up, or sending failed). "
                        "Ask your administrator for the link.",
                        email=email,
                    ),
                    "info",
                )
            return redirect(url_for("admin.board_members", board_id=board_id))
    return render_template("admin/invite.html", form=form, board=board, page_title=_("Invite someone to the board"))


def _member_on_board(board_id: int, membership_id: int) -> Membership:
    """A current membership of this board (404 for another board's)."""
    membership = membership_on_board(board_id, membership_id)
    if membership is None:
        abort(404)
    return membership


def _is_last_manager(membership: Membership) -> bool:
    return membership.role == "business_manager" and business_manager_count(membership.board_id) <= 1


@bp.route("/boards/<int:board_id>/members/<int:membership_id>/change", methods=["GET", "POST"])
@login_required
def change_member(board_id: int, membership_id: int):
    board = require_board_capability(board_id, "manage_members").board
    membership = _member_on_board(board_id, membership_id)
    form = MemberForm(obj=membership)
    offer_board_agencies(form, board, keep=membership.agency)
    if form.validate_on_submit():
        if form.role.data != "business_manager" and _is_last_manager(membership):
            add_error(form.role, LAST_MANAGER)
        else:
            before = (membership.role, membership.agency)
            membership.role, membership.agency = form.role.data, form.agency.data
            if before != (membership.role, membership.agency):
                record(
                    "role_changed",
                    board_id=board_id,
                    object_type="membership",
                    object_id=membership.id,
                    detail={
                        "member": membership.user.name,
                        "role": [before[0], membership.role],
                        "agency": [before[1], membership.agency],
                    },
                )
                flash(
                    _(
                        "%(name)s is now %(role)s for %(agency)s.",
                        name=membership.user.name,
                        role=ROLE_NAMES[membership.role].lower(),
                        agency=agency_name(membership.agency),
                    ),
                    "success",
                )
            return _back_to_members(board_id)
    return render_template(
        "admin/change_member.html",
        form=form,
        board=board,
        membership=membership,
        page_title=_("Change %(name)s’s role", name=membership.user.name),
    )


@bp.route("/boards/<int:board_id>/members/<int:membership_id>/remove", methods=["GET", "POST"])
@login_required
def remove_member(board_id: int, membership_id: int):
    board = require_board_capability(board_id, "manage_members").board
    membership = _member_on_board(board_id, membership_id)
    form = ConfirmForm()
    last_manager = _is_last_manager(membership)
    if form.validate_on_submit() and not last_manager:
        # The row stays so their answers in past rounds still say who gave them.
        membership.removed_at = datetime.now(UTC)
        record(
            "member_removed",
            board_id=board_id,
            object_type="membership",
            object_id=membership.id,
            detail={"member": membership.user.name, "role": membership.role, "agency": membership.agency},
        )
        flash(_("%(name)s has been removed from %(board)s.", name=membership.user.name, board=board_name(board)), "success")
        return _back_to_members(board_id)
    return render_template(
        "admin/remove_member.html",
        form=None if last_manager else form,
        board=board,
        membership=membership,
        error_list=[{"text": LAST_MANAGER}] if last_manager else None,
        page_title=_("Remove %(name)s from the board", name=membership.user.name),
    )


def _back_to_members(board_id: int):
    """The members page, or the home page if the person has just given up managing the board."""
    if _manages_members(board_id) or current_user.is_admin:
        return redirect(url_for("admin.board_members", board_id=board_id))
    return redirect(url_for("main.home"))


@bp.post("/boards/<int:board_id>/invitations/<int:invitation_id>/cancel")
@login_required
def cancel_invitation(board_id: int, invitation_id: int):
    require_board_capability(board_id, "manage_members")
    invitation = invitation_on_board(board_id, invitation_id)
    if invitation is None:
        abort(404)
    now = datetime.now(UTC)
    if invitation.accepted_at is None and invitation.expires_at > now:
        invitation.expires_at = now
        record("invitation_cancelled", board_id=board_id, object_type="invitation", object_id=invitation.id, detail={"email": invitation.email})
        flash(_("The invitation to %(email)s has been cancelled.", email=invitation.email), "success")
    return redirect(url_for("admin.board_members", board_id=board_id))
