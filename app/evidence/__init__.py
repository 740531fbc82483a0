"""The board's evidence register: items that answers and agreed ratings can cite."""

from flask import Blueprint

bp = Blueprint("evidence", __name__)

from app.evidence import routes  # noqa: E402,F401
