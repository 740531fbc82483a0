"""Round management for the business manager: open a round, follow who has responded, close it, reopen it or one response."""

# Importing the route modules registers their views on the blueprint.
from app.rounds import routes  # noqa: F401
from app.rounds.blueprint import bp

__all__ = ["bp"]
