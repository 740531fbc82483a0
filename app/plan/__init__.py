"""The board's SMART action plan for a round."""

# Importing the route modules registers their views on the blueprint.
from app.plan import routes  # noqa: F401
from app.plan.blueprint import bp

__all__ = ["bp"]
