"""Rounds and the members' questionnaire: task list, domain pages, autosave, submit."""

from flask import Blueprint

bp = Blueprint("questionnaire", __name__)

from app.questionnaire import autosave, rounds, routes  # noqa: E402,F401
