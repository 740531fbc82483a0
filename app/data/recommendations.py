"""Data access for an inspection's recommendations: adding, finding, changing and deleting them.

Every change is audited in the same transaction, which the request commits. A change or a
deletion is a compare-and-set on the recommendation's ``version`` (the version
the form was loaded with) while the inspection is a draft; if another
inspector saved first, nothing is overwritten and the conflict is audited.
An import replaces every recommendation at once (``app.data.inspection``).
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import selectinload

from app.core.findings_file import RecommendationInput
from app.data.audit import record
from app.data.database import rows_changed
from app.data.inspection import link_subjects, new_recommendation, still_draft, utc_now
from app.data.models import Inspection, Recommendation, User
from app.data.versioning import update_if_version
from app.extensions import db

__all__ = ["add_recommendation", "delete_recommendation", "recommendation_in_round", "update_recommendation"]


def _recommendation_detail(inspection: Inspection, fields: RecommendationInput) -> dict:
    return {"round": inspection.round_id, "priority": fields.priority, "about": list(fields.subject_ids), "text": fields.text}


def add_recommendation(inspection: Inspection, fields: RecommendationInput, user: User) -> Recommendation:
    """Add a recommendation to the inspection; audited. (The request commits it: app/web/transaction.py.)"""
    recommendation = new_recommendation(inspection, fields, user, utc_now())
    record(
        "recommendation_added",
        board_id=inspection.board_id,
        object_type="recommendation",
        object_id=recommendation.id,
        detail=_recommendation_detail(inspection, fields),
    )
    db.session.flush()
    return recommendation


def recommendation_in_round(round_id: int, recommendation_id: int) -> Recommendation | None:
    """The recommendation if it belongs to the round's inspection (else None: a 404 for the caller)."""
    return db.session.scalar(
        select(Recommendation)
        .join(Inspection, Inspection.id == Recommendation.inspection_id)
        .where(Recommendation.id == recommendation_id, Inspection.round_id == round_id)
        .options(selectinload(Recommendation.subjects), selectinload(Recommendation.updated_by))
    )


def update_recommendation(inspection: Inspection, recommendation: Recommendation, fields: RecommendationInput, version: int, user: User) -> bool:
    """Save changes if nobody saved the recommendation since ``version``; False (and audited) if someone did."""
    in_draft = Recommendation.inspection_id == still_draft(inspection.id)
    saved = update_if_version(Recommendation, recommendation.id, version, user, in_draft, text=fields.text, priority=fields.priority)
    if saved:
        link_subjects(recommendation.id, fields.subject_ids)
    record(
        "recommendation_updated" if saved else "recommendation_conflict",
        board_id=inspection.board_id,
        object_type="recommendation",
        object_id=recommendation.id,
        detail={**_recommendation_detail(inspection, fields), "from_version": version},
    )
    db.session.flush()
    db.session.expire_all()
    return saved


def delete_recommendation(inspection: Inspection, recommendation: Recommendation, version: int, user: User) -> bool:
    """Delete the recommendation unless someone changed it since ``version``."""
    del user  # the audit event records who, from the request
    deleted = rows_changed(
        delete(Recommendation)
        .where(
            Recommendation.id == recommendation.id,
            Recommendation.version == version,
            Recommendation.inspection_id == still_draft(inspection.id),
        )
        .execution_options(synchronize_session=False)
    ) == 1
    record(
        "recommendation_deleted" if deleted else "recommendation_conflict",
        board_id=inspection.board_id,
        object_type="recommendation",
        object_id=recommendation.id,
        detail={"round": inspection.round_id, "from_version": version},
    )
    db.session.flush()
    db.session.expire_all()
    return deleted
