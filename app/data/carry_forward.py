"""Starting a new round from the board's last one (benchmark ids are stable).

The two rounds may be on different framework versions (a round keeps the
version it was opened with). Answers are carried by benchmark id: what has the
same id in both versions is copied; answers to benchmarks the new version has
retired cannot be, and :class:`CarriedAnswers` names them so the business
manager is told, along with the benchmarks new in this version that members
answer afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from app.core.framework_diff import compare_frameworks
from app.data.database import rows_changed
from app.data.framework_store import framework_for_round
from app.data.models import Answer, AssessmentRound, Response, User, answer_evidence
from app.extensions import db


@dataclass(frozen=True)
class CarriedAnswers:
    """What carrying answers forward did: ``copied`` answers, and what it could not map."""

    copied: int
    #: Benchmarks answered in the earlier round that the new round's version has retired (not carried).
    retired: tuple[str, ...] = ()
    #: Benchmarks new in the new round's version: nothing to carry, members answer them afresh.
    new: tuple[str, ...] = ()
    version_before: str = ""
    version_after: str = ""


def carry_forward_answers(previous: AssessmentRound, new: AssessmentRound, user: User) -> CarriedAnswers:
    """Copy each member's last answers into their new response; say how many were copied and what was not.

    Only benchmarks whose id exists in both frameworks are copied, with the
    evidence register items each answer cited; the copy is a starting point
    the member reviews, so the response stays "in progress".
    """
    diff = compare_frameworks(framework_for_round(previous), framework_for_round(new))
    old = db.session.execute(
        select(Response.membership_id, Answer.benchmark_id, Answer.rating, Answer.evidence, Answer.no_evidence_yet)
        .join(Answer, Answer.response_id == Response.id)
        .where(Response.round_id == previous.id, Answer.rating.is_not(None))
    ).all()
    targets = dict(
        db.session.execute(
            select(Response.membership_id, Response.id).where(Response.round_id == new.id)
        ).all()
    )
    now = datetime.now(UTC)
    copied = 0
    for membership_id, benchmark_id, rating, evidence, no_evidence_yet in old:
        response_id = targets.get(membership_id)
        if response_id is None:
            continue
        copied += rows_changed(
            update(Answer)
            .where(Answer.response_id == response_id, Answer.benchmark_id == benchmark_id)
            .values(rating=rating, evidence=evidence, no_evidence_yet=no_evidence_yet, updated_at=now, updated_by_id=user.id)
            .execution_options(synchronize_session=False)
        )
    _carry_citations(previous, new)
    answered = {benchmark_id for _membership, benchmark_id, *_rest in old}
    return CarriedAnswers(
        copied=copied,
        retired=tuple(b for b in diff.benchmarks_retired if b in answered),
        new=diff.benchmarks_added,
        version_before=diff.old_version,
        version_after=diff.new_version,
    )


def _carry_citations(previous: AssessmentRound, new: AssessmentRound) -> None:
    """Cite in each new answer the register items its member cited last time (two queries and one insert)."""
    old = (
        select(Response.membership_id, Answer.benchmark_id, answer_evidence.c.evidence_item_id)
        .join(Answer, Answer.response_id == Response.id)
        .join(answer_evidence, answer_evidence.c.answer_id == Answer.id)
        .where(Response.round_id == previous.id, Answer.rating.is_not(None))
    )
    cited = db.session.execute(old).all()
    if not cited:
        return
    answer_ids = {
        (membership_id, benchmark_id): answer_id
        for membership_id, benchmark_id, answer_id in db.session.execute(
            select(Response.membership_id, Answer.benchmark_id, Answer.id)
            .join(Answer, Answer.response_id == Response.id)
            .where(Response.round_id == new.id)
        )
    }
    links = [
        {"answer_id": answer_ids[(membership_id, benchmark_id)], "evidence_item_id": item_id}
        for membership_id, benchmark_id, item_id in cited
        if (membership_id, benchmark_id) in answer_ids
    ]
    if links:
        db.session.execute(insert(answer_evidence), links)
