"""Who may manage a board: those whose role has the capability, and the administrator.

The administrator manages boards and accounts and reads audit trails, but
reaches a board's self-assessment only through a role on that board.
"""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from app.data.admin import board_by_id
from app.data.models import Board
from app.web.permissions import require_admin, require_board_capability


def require_board_capability_or_admin(board_id: int, capability: str) -> Board:
    """The board, if the current user is the administrator or on the board in a role with `capability` (see CAPABILITIES)."""
    if current_user.is_authenticated and current_user.is_admin:
        return _board_or_404(board_id)
    return require_board_capability(board_id, capability).board


def require_board_for_admin(board_id: int) -> Board:
    """The board, if the current user is the administrator."""
    require_admin()
    return _board_or_404(board_id)


def _board_or_404(board_id: int) -> Board:
    board = board_by_id(board_id)
    if board is None:
        abort(404)
    return board
