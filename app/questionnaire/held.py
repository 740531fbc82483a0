"""Keeping what a person typed when their session or CSRF token had expired.

The typed form is stored server-side under a random key kept in the (new)
session. After signing in again (in this browser, or on any other when we
know whose it is), the page they were on shows it back in the form, ready
to save.

Whose text it is: the person signed in when it was held, or, when the
session had already ended, the person the page was shown to, read from a
signed token the page carries (:func:`owner_token`). Only that person is
offered it back, so someone else signing in on the same computer never sees
it (or saves it as theirs).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from flask import current_app, g, request, session
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import and_, or_, select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import HeldSave

SESSION_KEY = "held_save_key"
# The form field (and autosave key) that carries owner_token().
OWNER_FIELD = "typed_by"
# Set when the absolute timeout has just signed someone out in this request.
SIGNED_OUT_USER = "signed_out_user_id"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="held-text-owner")


def owner_token() -> str:
    """A signed token naming the signed-in person, for a page whose typed text may be held."""
    return _serializer().dumps(current_user.id)


def _owner(form: MultiDict) -> int | None:
    """Who typed the form: the signed-in person, the one just signed out, or the one the page's token names."""
    if current_user.is_authenticated:
        return current_user.id
    if g.get(SIGNED_OUT_USER) is not None:
        return g.get(SIGNED_OUT_USER)
    try:
        owner = _serializer().loads(form.get(OWNER_FIELD) or "")
    except BadSignature:
        return None
    return owner if isinstance(owner, int) else None


def hold_typed_text(path: str, form: MultiDict) -> None:
    """Store the submitted form (without its stale CSRF token) for `path`, with whose it is."""
    data = {key: form.getlist(key) for key in form.keys() if key not in ("csrf_token", OWNER_FIELD)}
    held = HeldSave(key=secrets.token_urlsafe(32), path=path, form_data=data, user_id=_owner(form))
    db.session.add(held)
    db.session.commit()
    session[SESSION_KEY] = held.key


def take_held_text(path: str) -> MultiDict | None:
    """The typed form held for `path` for the signed-in person, if any (once).

    Found by the key kept in this browser's session, or, on any browser, by
    the person it belongs to. Text held for someone else is never returned.
    """
    key = session.get(SESSION_KEY)
    mine = HeldSave.user_id == current_user.id
    if key:
        mine = or_(mine, and_(HeldSave.key == key, HeldSave.user_id.is_(None)))
    held = db.session.scalar(
        select(HeldSave).where(HeldSave.path == path, HeldSave.restored_at.is_(None), mine).order_by(HeldSave.id.desc()).limit(1)
    )
    if held is None:
        return None
    held.restored_at = datetime.now(timezone.utc)
    db.session.commit()
    if session.get(SESSION_KEY) == held.key:
        session.pop(SESSION_KEY, None)
    return MultiDict([(k, v) for k, values in held.form_data.items() for v in values])


def request_path() -> str:
    return request.path
