"""Secret tokens for one-time links (password reset, invitation).

Only a SHA-256 hash of a token is stored, so a copy of the database holds no
usable links. Tokens are 256 random bits, so an unsalted hash is enough.

A password link also carries a signature over the account's password hash as
it was when the link was made: any change of password, by whatever route,
ends every link made before it, even one never marked used.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import UTC, datetime
from enum import Enum

from flask import current_app


def new_token() -> tuple[str, str]:
    """A fresh token for a link, and the hash to store."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_password_token(user_id: int, password_hash: str) -> tuple[str, str]:
    """A fresh password link token bound to the account's current password, and the hash to store."""
    nonce = secrets.token_urlsafe(32)
    token = f"{nonce}.{_password_signature(nonce, user_id, password_hash)}"
    return token, token_hash(token)


def password_token_current(token: str, user_id: int, password_hash: str) -> bool:
    """Whether the password is still the one `token` was made for (False once it has changed)."""
    nonce, _, signature = token.partition(".")
    return hmac.compare_digest(signature, _password_signature(nonce, user_id, password_hash))


def _password_signature(nonce: str, user_id: int, password_hash: str) -> str:
    key = current_app.secret_key
    key_bytes = key if isinstance(key, bytes) else str(key).encode("utf-8")
    message = "\0".join(["sait-password-link", nonce, str(user_id), password_hash or ""]).encode("utf-8")
    digest = hmac.new(key_bytes, message, hashlib.sha256).digest()[:16]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class LinkState(Enum):
    """Why a one-time link can or cannot be used, for the page that says so."""

    VALID = "valid"
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"
    # A password link made before the password last changed.
    SUPERSEDED = "superseded"


def link_state(found: bool, used_at: datetime | None, expires_at: datetime | None) -> LinkState:
    if not found:
        return LinkState.UNKNOWN
    if used_at is not None:
        return LinkState.USED
    if expires_at is None or expires_at <= datetime.now(UTC):
        return LinkState.EXPIRED
    return LinkState.VALID
