"""The administrator's accounts list: disable and enable accounts."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.admin.blueprint import bp
from app.admin.paging import page_number, pagination
from app.data.admin import accounts_page, user_by_id
from app.data.audit import record
from app.data.models import User
from app.web.permissions import require_admin


@bp.get("/admin/accounts")
@login_required
def accounts():
    require_admin()
    page = accounts_page(page_number(request.args.get("page")))
    return render_template(
        "admin/accounts.html",
        page=page,
        pagination=pagination(page, lambda number: url_for("admin.accounts", page=number)),
        page_title=_("Accounts"),
    )


def _account_for_admin(user_id: int) -> User:
    # The POST itself is checked by CSRFProtect before the view runs.
    require_admin()
    user = user_by_id(user_id)
    if user is None:
        abort(404)
    return user


@bp.post("/admin/accounts/<int:user_id>/disable")
@login_required
def disable_account(user_id: int):
    user = _account_for_admin(user_id)
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "info")
    elif user.active:
        user.active = False
        # Signed out everywhere at once, not at the end of their session.
        user.end_all_sessions()
        record("account_disabled", object_type="user", object_id=user.id, detail={"email": user.email})
        flash(_("%(name)s’s account is disabled and they have been signed out.", name=user.name), "success")
    return redirect(url_for("admin.accounts", page=request.args.get("page")))


@bp.post("/admin/accounts/<int:user_id>/enable")
@login_required
def enable_account(user_id: int):
    user = _account_for_admin(user_id)
    if not user.active:
        user.active = True
        record("account_enabled", object_type="user", object_id=user.id, detail={"email": user.email})
        flash(_("%(name)s’s account is enabled again.", name=user.name), "success")
    return redirect(url_for("admin.accounts", page=request.args.get("page")))
