"""The evidence blueprint, on its own so that its route modules and its package import it without a cycle."""

from flask import Blueprint

bp = Blueprint("evidence", __name__)
