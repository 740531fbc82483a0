"""Storing a new password: every way of changing one goes through `replace_password`."""

from __future__ import annotations

from app.auth.passwords import hash_password
from app.data.accounts import end_password_links
from app.data.models import User


def replace_password(user: User, password: str) -> None:
    """Give `user` a new password, end every session and every password link they have.

    The caller records the audit event and commits. Links made before this
    stop working twice over: they expire now, and they were signed over the
    old password hash (app/auth/tokens.py), so one made by a route that skips
    this function still fails, and its page says the password has changed.
    """
    user.password_hash = hash_password(password)
    user.end_all_sessions()
    end_password_links(user.id)
