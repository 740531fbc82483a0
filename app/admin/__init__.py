"""Administration: boards, accounts, board members and invitations, audit trail."""

# Importing the route modules registers their views on the blueprint.
from app.admin import accounts, audit, boards, members  # noqa: F401
from app.admin.blueprint import bp

__all__ = ["bp"]
