"""Interim administration pages (replaced by the accounts issue's full versions)."""

from __future__ import annotations

from flask import render_template
from flask_login import login_required

from app.admin import bp
from app.permissions import require_admin, require_board_role


@bp.get("/admin/boards")
@login_required
def boards():
    require_admin()
    return render_template("errors/error.html", code=200, title="Boards", advice="Board administration is being built.")


@bp.get("/boards/<int:board_id>/members")
@login_required
def board_members(board_id: int):
    require_board_role(board_id, "business_manager")
    return render_template("errors/error.html", code=200, title="Members", advice="Member administration is being built.")


@bp.get("/boards/<int:board_id>/audit")
@login_required
def board_audit(board_id: int):
    require_board_role(board_id, "business_manager")
    return render_template("errors/error.html", code=200, title="Audit trail", advice="The audit trail page is being built.")
