"""The self-evaluation report (HTML preview and PDF) and the exports of a round's answers."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from app.reports import routes  # noqa: E402,F401
