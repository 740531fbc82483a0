"""Device cookies: a browser someone has signed in with is throttled apart from strangers.

OWASP's "Slow Down Online Guessing Attacks with Device Cookies": after a
successful sign-in (or setting a password with an emailed link) the browser
gets a signed, long-lived cookie naming the account (by a hash of its email
address) and a random nonce. A sign-in attempt for that account from that
browser is a *known device*: its failures count only against that one
cookie. Every other attempt is *anonymous* and counts against the account
and the client address. So a stranger who fails ten times for someone's
address pauses anonymous attempts for that account, but the owner signing in
from a browser they have used before is not locked out.

The cookie grants nothing by itself: the password is checked as always. It is
sent only to the sign-in page (Path, SameSite=Strict, HttpOnly, Secure unless
SESSION_COOKIE_SECURE is off) and expires after SAIT_DEVICE_COOKIE_DAYS.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, g, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.wrappers import Response

COOKIE_NAME = "sait_device"
_SALT = "sait-device-cookie"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def _max_age() -> int:
    return int(current_app.config["SAIT_DEVICE_COOKIE_DAYS"]) * 24 * 3600


def account_key(email: str) -> str:
    """Who a device cookie is for, without putting the address in the cookie."""
    return hashlib.sha256(f"sait-device\0{email.strip().lower()}".encode()).hexdigest()[:32]


def remember_device(response: Response, email: str) -> None:
    """Mark this browser as a known device for `email`, with a fresh nonce."""
    value = _serializer().dumps({"a": account_key(email), "n": secrets.token_urlsafe(16)})
    response.set_cookie(
        COOKIE_NAME,
        value,
        max_age=_max_age(),
        path=url_for("auth.login"),
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Strict",
    )


def known_device_nonce() -> str | None:
    """The nonce of this request's device cookie if it is valid for the address being signed in with."""
    if "sait_device_nonce" not in g:
        g.sait_device_nonce = _read_device_cookie()
    return g.sait_device_nonce


def _read_device_cookie() -> str | None:
    value = request.cookies.get(COOKIE_NAME)
    email = request.form.get("email") or ""
    if not value or not email.strip():
        return None
    try:
        data = _serializer().loads(value, max_age=_max_age())
    except BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict) or data.get("a") != account_key(email) or not isinstance(data.get("n"), str):
        return None
    return data["n"]


def is_known_device() -> bool:
    return known_device_nonce() is not None


def is_anonymous_attempt() -> bool:
    return known_device_nonce() is None


def device_limit_key() -> str:
    """The rate-limit bucket of a known device (only used when there is one)."""
    return "login-device:" + (known_device_nonce() or "")
