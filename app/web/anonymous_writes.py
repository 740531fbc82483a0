"""One rate limit for every write sent by someone who is not signed in.

Every POST (PUT, PATCH, DELETE) from someone not signed in counts, on every
route: a `before_request` hook (:func:`init_app`) refuses it with 429 once
the budget is spent, before CSRF checks or views run.

Flask-Limiter checks a route's own limit when its view runs, but a refused
CSRF token is raised in a ``before_request`` hook, so the error handler
answers before any view (and any limit) has run. The places that answer such
writes (the CSRF error handlers, and the questionnaire views that keep text
typed after a session ended) ask :func:`anonymous_write_allowed` first, so
the budget holds whichever of them answers.

The budget is ``SAIT_ANONYMOUS_WRITE_LIMIT`` (default 30 a minute) per
client address, counted in the limiter's storage (``RATELIMIT_STORAGE_URI``:
use Redis with several workers, or each counts on its own).
"""

from __future__ import annotations

from flask import Flask, abort, current_app, g, request
from flask_limiter.util import get_remote_address
from flask_login import current_user
from limits import parse

from app.extensions import limiter

DEFAULT_LIMIT = "30 per minute"
# Where the answer for this request is kept, so a request counts once
# however many places ask.
_DECIDED = "anonymous_write_allowed"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def anonymous_write_allowed() -> bool:
    """False once this client address has used up the budget for anonymous writes.

    Signed-in people and reads are not counted. The first call in a request
    counts it; later calls in the same request give the same answer.
    """
    if request.method in SAFE_METHODS or current_user.is_authenticated:
        return True
    if _DECIDED not in g:
        allowed = True
        if limiter.enabled and current_app.config.get("RATELIMIT_ENABLED", True):
            item = parse(current_app.config.get("SAIT_ANONYMOUS_WRITE_LIMIT", DEFAULT_LIMIT))
            allowed = limiter.limiter.hit(item, "anonymous-write", get_remote_address())
        setattr(g, _DECIDED, allowed)
    return bool(g.get(_DECIDED))


def init_app(app: Flask) -> None:
    """Count every anonymous write as the request starts (before CSRF protection, which is set up after)."""

    @app.before_request
    def limit_anonymous_writes():
        if not anonymous_write_allowed():
            abort(429)
