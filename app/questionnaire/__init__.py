"""The members' questionnaire: task list, domain pages, autosave, check and submit."""

# Importing the route modules registers their views on the blueprint.
from app.questionnaire import autosave, routes  # noqa: F401
from app.questionnaire.blueprint import bp

__all__ = ["bp"]
