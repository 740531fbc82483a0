"""Inspection: findings and recommendations, the import, the comparison, challenges and the national overview."""

from flask import Blueprint

bp = Blueprint("inspection", __name__)

from app.inspection import comparison_views, national, routes  # noqa: E402,F401
