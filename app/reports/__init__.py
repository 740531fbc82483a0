"""The self-evaluation report (HTML preview and PDF) and the exports of a round's answers."""

# Importing the route modules registers their views on the blueprint.
from app.reports import routes, statements  # noqa: F401
from app.reports.blueprint import bp

__all__ = ["bp"]
