"""Moderation (the board's agreed ratings), rigour flags and the round's results."""

# Importing the route modules registers their views on the blueprint.
from app.moderation import flags, results, routes  # noqa: F401
from app.moderation.blueprint import bp

__all__ = ["bp"]
