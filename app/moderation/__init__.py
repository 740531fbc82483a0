"""Moderation (the board's agreed ratings), rigour flags and the round's results."""

from flask import Blueprint

bp = Blueprint("moderation", __name__)

from app.moderation import results, routes  # noqa: E402,F401
