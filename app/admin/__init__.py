"""Administration: boards, accounts, board members and invitations, audit trail."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from app.admin import accounts, audit, boards, members  # noqa: E402,F401
