"""Home page, health check and static information pages."""

# Importing the route modules registers their views on the blueprint.
from app.main import routes  # noqa: F401
from app.main.blueprint import bp

__all__ = ["bp"]
