"""The board's evidence register: items that answers and agreed ratings can cite."""

# Importing the route modules registers their views on the blueprint.
from app.evidence import routes  # noqa: F401
from app.evidence.blueprint import bp

__all__ = ["bp"]
