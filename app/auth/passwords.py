"""Password hashing (Argon2id) and the rules a new password must meet."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _

_hasher = PasswordHasher()
# Verified against when an email is unknown, so a login takes the same time
# whether or not the account exists.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    path = Path(__file__).with_name("common_passwords.txt")
    return frozenset(
        line.strip().lower()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    )


def password_problems(password: str, *, min_length: int, email: str = "") -> list[str]:
    """What is wrong with a proposed password, in GOV.UK error wording ([] if fine)."""
    problems = []
    if len(password) < min_length:
        problems.append(_("Password must be %(min_length)s characters or more", min_length=min_length))
    lowered = password.lower()
    if lowered in common_passwords() or (email and lowered == email.lower()):
        problems.append(_("Password is too easy to guess. Choose a less common password"))
    if len(password) > 256:
        problems.append(_("Password must be 256 characters or fewer"))
    return problems
