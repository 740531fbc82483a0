"""Compare-and-set saves on a ``version`` column, for rows several people may edit at once.

A form carries the version its row had when the page was shown; the save
only applies if that is still the stored version. Otherwise someone saved in
between: the caller keeps both versions and says so (see app/questionnaire/data.py
for members' answers, which work the same way).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import and_, update

from app.extensions import db
from app.models import User


def version_from_form(value: str | None) -> int:
    """The version a form was shown with (0 if missing or not a number)."""
    return int(value) if (value or "").isdigit() else 0


def update_if_version(model: Any, row_id: int, version: int, user: User, **values: Any) -> bool:
    """Update the row only if its version is still ``version``; True if it was updated.

    The update also bumps the version and records who saved it and when.
    """
    result = db.session.execute(
        update(model)
        .where(and_(model.id == row_id, model.version == version))
        .values(**values, version=model.version + 1, updated_at=datetime.now(timezone.utc), updated_by_id=user.id)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1
