"""The administrator's boards: list, create, change a board's details and partners, and give a board a business manager."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.admin.access import require_board_for_admin
from app.admin.blueprint import bp
from app.admin.forms import BoardDetailsForm, BoardForm, BusinessManagerForm, local_authority_names, offer_board_agencies
from app.auth.reset import send_set_password_link
from app.core.partners import Partner
from app.data.admin import (
    board_named,
    boards_overview,
    change_board_details,
    create_board,
    create_user_without_password,
    grant_role,
    user_by_email,
)
from app.data.audit import record
from app.data.database import commit_early
from app.data.models import Board
from app.web.agencies import board_partners
from app.web.form_fields import add_error, entered
from app.web.i18n import board_name
from app.web.permissions import require_admin


@bp.get("/admin/boards")
@login_required
def boards():
    require_admin()
    return render_template("admin/boards.html", rows=boards_overview(), page_title=_("Boards"))


@bp.route("/admin/boards/new", methods=["GET", "POST"])
@login_required
def new_board():
    require_admin()
    form = BoardForm()
    if form.validate_on_submit():
        name = entered(form.name)
        if board_named(name) is not None:
            add_error(form.name, _("There is already a board with that name"))
        else:
            areas = local_authority_names(form.local_authorities.data)
            name_cy = entered(form.name_cy) or None
            board = create_board(name, name_cy=name_cy, nation=form.nation.data, kind=form.kind.data, local_authorities=areas)
            record(
                "board_created",
                board_id=board.id,
                object_type="board",
                object_id=board.id,
                detail={"name": name, "name_cy": name_cy, "nation": board.nation, "kind": board.kind, "local_authorities": areas},
            )
            flash(_("%(board)s has been created. Add its business manager next.", board=name), "success")
            return redirect(url_for("admin.board_members", board_id=board.id))
    return render_template("admin/new_board.html", form=form, page_title=_("Create a board"))


@bp.route("/admin/boards/<int:board_id>/details", methods=["GET", "POST"])
@login_required
def board_details(board_id: int):
    board = require_board_for_admin(board_id)
    partners = board_partners(board)
    form = BoardDetailsForm(
        name=board.name,
        name_cy=board.name_cy or "",
        nation=board.nation,
        kind=board.kind,
        local_authorities="\n".join(la.name for la in board.local_authorities),
        partners=[p.agency for p in partners],
        statutory=[p.agency for p in partners if p.statutory],
    )
    if form.validate_on_submit():
        name = entered(form.name)
        other = board_named(name)
        if other is not None and other.id != board.id:
            add_error(form.name, _("There is already a board with that name"))
        else:
            statutory = set(form.statutory.data or [])
            chosen = [Partner(agency_id, agency_id in statutory) for agency_id in form.partners.data or []]
            areas = local_authority_names(form.local_authorities.data)
            name_cy = entered(form.name_cy) or None
            change_board_details(board, name=name, name_cy=name_cy, nation=form.nation.data, kind=form.kind.data, local_authorities=areas, partners=chosen)
            record(
                "board_changed",
                board_id=board.id,
                object_type="board",
                object_id=board.id,
                detail={
                    "name": name,
                    "name_cy": name_cy,
                    "nation": board.nation,
                    "kind": board.kind,
                    "local_authorities": areas,
                    "partners": [p.agency for p in chosen],
                    "statutory": [p.agency for p in chosen if p.statutory],
                },
            )
            flash(_("The details of %(board)s have been saved.", board=name), "success")
            return redirect(url_for("admin.board_details", board_id=board.id))
    return render_template("admin/board_details.html", form=form, board=board, page_title=_("Board details"))


@bp.route("/admin/boards/<int:board_id>/business-managers/new", methods=["GET", "POST"])
@login_required
def new_business_manager(board_id: int):
    board = require_board_for_admin(board_id)
    form = BusinessManagerForm()
    offer_board_agencies(form, board)
    if form.validate_on_submit():
        message = _make_business_manager(board, form)
        flash(message, "success")
        return redirect(url_for("admin.board_members", board_id=board.id))
    return render_template(
        "admin/new_business_manager.html", form=form, board=board, page_title=_("Add a business manager")
    )


def _make_business_manager(board: Board, form: BusinessManagerForm) -> str:
    """Give the person the role, creating their account if needed; what to tell the admin."""
    email = entered(form.email).lower()
    found = user_by_email(email)
    created = found is None
    if found is None:
        # No password yet: the person chooses one with the emailed link.
        user = create_user_without_password(email, entered(form.name))
        record("user_created", object_type="user", object_id=user.id, detail={"email": email, "by": "administrator"})
    else:
        user = found
    grant_role(user.id, board.id, "business_manager", form.agency.data)
    record(
        "role_granted",
        board_id=board.id,
        object_type="user",
        object_id=user.id,
        detail={"member": user.name, "role": "business_manager", "agency": form.agency.data},
    )
    commit_early()  # before the email: its link must already work (app/web/transaction.py)
    if not created:
        return _("%(name)s already had an account and is now business manager of %(board)s.", name=user.name, board=board_name(board))
    if send_set_password_link(user, board):
        return _(
            "%(name)s is now business manager of %(board)s. Their link to choose a password is on its way by email.",
            name=user.name,
            board=board_name(board),
        )
    return _(
        "%(name)s is now business manager of %(board)s. Their link to choose a password is in the application log "
        "(email is not set up, or sending failed).",
        name=user.name,
        board=board_name(board),
    )
