"""Typed text held for a person whose session or CSRF token had expired (``held_saves``).

``app/questionnaire/held.py`` decides whether text may be held (the owner
token, the browser, the page) and how long it is kept; these functions store
it, trim old rows and give it back once.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.data.database import roll_back
from app.data.models import HeldSave
from app.extensions import db

__all__ = ["hold_fields", "take_newest"]


def _benchmark_of(name: str) -> str:
    """The benchmark part of a domain form's field name (``<benchmark>-<part>``)."""
    return name.rsplit("-", 1)[0]


def hold_fields(
    token_id: str, user_id: int, path: str, fields: dict[str, list[str]], *, keep: int, text_for: timedelta, token_for: timedelta
) -> bool | None:
    """Add `fields` to the row held under the token (made if need be), then delete old rows.

    True if held; False if the token is used up (or names another person or
    page); None, with the request's writes rolled back, if another save made
    the token's row at the same moment (try again: it now adds to that row).
    """
    try:
        return _hold(token_id, user_id, path, fields, keep=keep, text_for=text_for, token_for=token_for)
    except IntegrityError:
        roll_back()
        return None


def _hold(token_id: str, user_id: int, path: str, fields: dict[str, list[str]], *, keep: int, text_for: timedelta, token_for: timedelta) -> bool:
    held = db.session.scalar(select(HeldSave).where(HeldSave.key == token_id))
    if held is not None and (held.restored_at is not None or held.user_id != user_id or held.path != path):
        return False
    now = datetime.now(UTC)
    if held is None:
        db.session.add(HeldSave(key=token_id, path=path, form_data=fields, user_id=user_id, created_at=now))
    else:
        # A later save of the same page replaces what it says about each benchmark it sends.
        touched = {_benchmark_of(name) for name in fields}
        held.form_data = {name: values for name, values in held.form_data.items() if _benchmark_of(name) not in touched} | fields
    db.session.flush()
    _delete_old(user_id, path, now, keep=keep, text_for=text_for, token_for=token_for)
    return True


def _delete_old(user_id: int, path: str, now: datetime, *, keep: int, text_for: timedelta, token_for: timedelta) -> None:
    """Delete expired held text (everyone's), and this person's beyond the newest `keep` for this page."""
    expired = (HeldSave.created_at < now - text_for) | (HeldSave.restored_at.is_not(None) & (HeldSave.created_at < now - token_for))
    db.session.execute(delete(HeldSave).where(expired).execution_options(synchronize_session=False))
    for state in (HeldSave.restored_at.is_(None), HeldSave.restored_at.is_not(None)):
        beyond = (
            select(HeldSave.id)
            .where(HeldSave.user_id == user_id, HeldSave.path == path, state)
            .order_by(HeldSave.id.desc())
            .offset(keep)
        )
        ids = list(db.session.scalars(beyond))
        if ids:
            db.session.execute(delete(HeldSave).where(HeldSave.id.in_(ids)).execution_options(synchronize_session=False))


def take_newest(user_id: int, path: str, *, text_for: timedelta) -> dict[str, list[str]] | None:
    """The fields of the newest text held for the person and page, younger than `text_for` and not yet taken, if any.

    The row is used up: it stays, without the text, so its token cannot hold again.
    """
    now = datetime.now(UTC)
    held = db.session.scalar(
        select(HeldSave)
        .where(
            HeldSave.user_id == user_id,
            HeldSave.path == path,
            HeldSave.restored_at.is_(None),
            HeldSave.created_at >= now - text_for,
        )
        .order_by(HeldSave.id.desc())
        .limit(1)
    )
    if held is None:
        return None
    form_data = held.form_data
    held.restored_at = now
    held.form_data = {}
    return form_data
