"""Compare-and-set saves on a ``version`` column, for rows several people may edit at once.

A form carries the version its row had when the page was shown; the save
only applies if that is still the stored version. Otherwise someone saved in
between: nothing is overwritten, the losing version is kept in the audit
trail and the page shows both.

Single rows (an action, an evidence item) use :func:`update_if_version`.
Pages that save many rows at once (members' answers, agreed ratings,
inspection findings) describe their rows with a :class:`VersionedRows` and
call :func:`save_versioned`, which owns the rules they share:

- an input that says what the row already says is not a change;
- a compare-and-set that loses is not a conflict when the row, read again,
  now says exactly what this input says (the same change got there first,
  e.g. an autosave still in flight when the form was sent);
- every save and every conflict is audited, a conflict with the version
  the person started from, in the same transaction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy import and_, update
from sqlalchemy.exc import IntegrityError

from app.data.audit import record
from app.data.database import rows_changed
from app.data.models import User
from app.extensions import db


class Versioned(Protocol):
    """An input carrying the version its row had when the page was shown (0: no row yet)."""

    @property
    def version(self) -> int: ...


# A model with `id` and `version` columns. (A Protocol cannot say so: a type
# checker does not match a mapped column against a plain attribute.)
Row = TypeVar("Row", bound=Any)
Item = TypeVar("Item", bound=Versioned)


@dataclass(frozen=True)
class SaveOutcome:
    """Which inputs (by key) were saved, lost to someone else's save, or changed nothing.

    ``versions`` is the version now stored for each saved or unchanged key,
    for the next save to start from (0: there is still no row).
    """

    saved: list[str]
    conflicts: list[str]
    unchanged: list[str]
    versions: dict[str, int] = field(default_factory=dict)


def version_from_form(value: str | None) -> int:
    """The version a form was shown with (0 if missing or not a number)."""
    return int(value) if value is not None and value.isdigit() else 0


def update_if_version(model: Any, row_id: int, version: int, user: User, *conditions: Any, **values: Any) -> bool:
    """Update the row only if its version is still ``version``; True if it was updated.

    Extra ``conditions`` must hold too (e.g. "the inspection is still a
    draft"). The update also bumps the version and records who saved it and when.
    """
    return rows_changed(
        update(model)
        .where(and_(model.id == row_id, model.version == version, *conditions))
        .values(**values, version=model.version + 1, updated_at=datetime.now(UTC), updated_by_id=user.id)
        .execution_options(synchronize_session=False)
    ) == 1


def insert_first_version(row: Any, user: User) -> int | None:
    """Insert ``row`` as version 1, saved by ``user`` now; its id, or None if someone else created that row first.

    The row's unique key (e.g. round and benchmark) decides who was first:
    the losing insert is rolled back to a savepoint, so the rest of the
    request's work stands and :func:`save_versioned` reports a conflict.
    """
    row.version, row.updated_at, row.updated_by_id = 1, datetime.now(UTC), user.id
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
            return row.id
    except IntegrityError:
        return None


class VersionedRows(ABC, Generic[Row, Item]):
    """How one kind of row is saved from a page of inputs, for :func:`save_versioned`.

    ``kind`` names the audit events (``<kind>_saved``, ``<kind>_conflict``)
    and their object type; ``board_id`` is the board they belong to.
    """

    kind: str
    board_id: int

    @abstractmethod
    def key(self, item: Item) -> str:
        """Which row an input is for (a benchmark or domain id)."""

    @abstractmethod
    def load(self, keys: list[str]) -> Mapping[str, Row]:
        """The stored rows for ``keys``, as the database has them now."""

    @abstractmethod
    def says(self, row: Row | None, item: Item) -> bool:
        """Whether saving ``item`` would change nothing (``row`` is None when there is no row yet)."""

    @abstractmethod
    def write(self, row: Row | None, item: Item) -> int | None:
        """Insert or compare-and-set update (with anything linked to it); the row's id, or None if someone else saved first."""

    @abstractmethod
    def detail(self, item: Item) -> dict:
        """What the audit trail records about a save of ``item``."""

    def conflict_detail(self, item: Item) -> dict:
        """What the audit trail keeps of a losing input: by default all of it, with the version it started from."""
        return {**self.detail(item), "from_version": item.version}


def save_versioned(rows: VersionedRows[Row, Item], inputs: Iterable[Item], *, current: Mapping[str, Row] | None = None) -> SaveOutcome:
    """Save each input that changes something, with a version check; audit each save and conflict (committed with the request).

    ``current`` is the stored rows if the caller has just loaded them (else they are loaded here).
    """
    inputs = list(inputs)
    if current is None:
        current = rows.load([rows.key(item) for item in inputs])
    saved, conflicts, unchanged = [], [], []
    versions: dict[str, int] = {}
    for item in inputs:
        key = rows.key(item)
        existing = current.get(key)
        if rows.says(existing, item):
            unchanged.append(key)
            versions[key] = existing.version if existing is not None else 0
            continue
        row_id = rows.write(existing, item)
        if row_id is not None:
            saved.append(key)
            versions[key] = item.version + 1 if existing is not None else 1
            record(f"{rows.kind}_saved", board_id=rows.board_id, object_type=rows.kind, object_id=row_id, detail=rows.detail(item))
            continue
        if existing is not None:
            db.session.expire(existing)
        latest = rows.load([key]).get(key)
        if latest is not None and rows.says(latest, item):
            unchanged.append(key)
            versions[key] = latest.version
            continue
        conflicts.append(key)
        # The losing version is kept in the audit trail as well as on the page,
        # so it survives even if the person closes the tab.
        record(
            f"{rows.kind}_conflict",
            board_id=rows.board_id,
            object_type=rows.kind,
            object_id=latest.id if latest is not None else None,
            detail=rows.conflict_detail(item),
        )
    db.session.flush()
    db.session.expire_all()
    return SaveOutcome(saved, conflicts, unchanged, versions)
