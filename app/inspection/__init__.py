"""Inspection: findings and recommendations, the import, the comparison, challenges and the national overview."""

# Importing the route modules registers their views on the blueprint.
from app.inspection import comparison_views, national, routes  # noqa: F401
from app.inspection.blueprint import bp

__all__ = ["bp"]
