"""The audit trail: every board's for the administrator, one board's for its business manager."""

from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from app.admin.access import require_board_capability_or_admin
from app.admin.audit_text import action_name, describe
from app.admin.blueprint import bp
from app.admin.forms import AuditFilterForm
from app.admin.paging import page_number, pagination
from app.data.admin import audit_actions, audit_page
from app.data.models import Board
from app.web.i18n import board_name
from app.web.permissions import require_admin


@bp.get("/admin/audit")
@login_required
def audit():
    require_admin()
    return _audit_trail(None, title=_("Audit trail"))


@bp.get("/boards/<int:board_id>/audit")
@login_required
def board_audit(board_id: int):
    board = require_board_capability_or_admin(board_id, "read_board_audit")
    return _audit_trail(board, title=_("Audit trail of %(board)s", board=board_name(board)))


def _audit_trail(board: Board | None, *, title: str):
    """One page of the trail of `board`, or of everything when it is None."""
    board_id = board.id if board else None
    form = AuditFilterForm(request.args)
    actions = audit_actions(board_id)
    form.action.choices = [("", _("All actions"))] + [(action, action_name(action)) for action in actions]
    # An action that is not in the list (an old bookmark, a typo) shows everything.
    action = form.action.data if form.action.data in actions else None
    page = audit_page(board_id=board_id, action=action, number=page_number(request.args.get("page")))
    endpoint = request.endpoint or "admin.audit"
    return render_template(
        "admin/audit.html",
        form=form,
        page=page,
        board=board,
        action_name=action_name,
        describe=describe,
        pagination=pagination(page, lambda number: url_for(endpoint, **(request.view_args or {}), action=action or None, page=number)),
        page_title=title,
    )
