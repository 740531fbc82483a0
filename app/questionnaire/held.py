"""Keeping what a person typed when their session or CSRF token had expired.

The typed form is stored server-side under a random key kept in the (new)
session. After signing in again, the page they were on shows it back in the
form, ready to save.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone

from flask import request, session
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.models import HeldSave

SESSION_KEY = "held_save_key"


def hold_typed_text(path: str, form: MultiDict) -> None:
    """Store the submitted form (without its stale CSRF token) for `path`."""
    data = {key: form.getlist(key) for key in form.keys() if key != "csrf_token"}
    held = HeldSave(key=secrets.token_urlsafe(32), path=path, form_data=data)
    db.session.add(held)
    db.session.commit()
    session[SESSION_KEY] = held.key


def take_held_text(path: str) -> MultiDict | None:
    """The typed form held for `path` in this browser, if any (once)."""
    key = session.get(SESSION_KEY)
    if not key:
        return None
    held = db.session.scalar(select(HeldSave).where(HeldSave.key == key, HeldSave.restored_at.is_(None)))
    if held is None or held.path != path:
        return None
    held.restored_at = datetime.now(timezone.utc)
    db.session.commit()
    session.pop(SESSION_KEY, None)
    return MultiDict([(k, v) for k, values in held.form_data.items() for v in values])


def request_path() -> str:
    return request.path
