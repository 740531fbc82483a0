"""Link tables (what an answer cites, which subjects a recommendation is about): replacing a row's links."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Column, delete, insert

from app.extensions import db


def replace_links(owner: Column[Any], owner_id: int, target: Column[Any], target_ids: Iterable[int | str]) -> None:
    """Make ``owner_id``'s links in ``owner``'s table exactly ``target_ids`` (two statements at most).

    ``owner`` and ``target`` are the two columns of one link table, e.g.
    ``answer_evidence.c.answer_id`` and ``answer_evidence.c.evidence_item_id``.
    """
    table = owner.table
    db.session.execute(delete(table).where(owner == owner_id))
    ids = sorted(set(target_ids))
    if ids:
        db.session.execute(insert(table), [{owner.key: owner_id, target.key: target_id} for target_id in ids])
