"""The comparison of a round and the national overview, gathered in a fixed number of queries.

These are the functions other areas (the PDF report, the command line) call
to get the self-assessment against the inspection: :func:`round_comparison`
for one round, :func:`national_rows` across boards. The figures themselves
are worked out by :mod:`app.core.comparison` (pure).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.core.comparison import InspectorJudgements, RoundComparison, compare_round
from app.core.framework import Framework
from app.data.aggregation import RoundAgreement, round_agreement, round_agreements
from app.data.challenge import challenge_threads
from app.data.framework_store import framework_for_round, framework_for_version
from app.data.inspection import PUBLISHED, RoundFindings, round_findings
from app.data.models import AgreedRating, AssessmentRound, Board, ChallengeComment, Finding, FrameworkVersion, Inspection, Membership, User
from app.extensions import db
from app.web.permissions import roles_with

__all__ = ["NationalRow", "RoundComparisonView", "agreed_levels", "inspector_board_ids", "national_rows", "round_comparison", "visible_boards"]


@dataclass
class RoundComparisonView:
    """Everything the comparison page (and the PDF report) shows for a round.

    ``comparison`` holds the figures; ``findings`` the inspection, its
    findings and recommendations; ``threads`` the challenge threads by benchmark.
    """

    round: AssessmentRound
    framework: Framework
    agreement: RoundAgreement
    agreed: dict[str, str]
    findings: RoundFindings
    comparison: RoundComparison
    threads: dict[str, list[ChallengeComment]]


def agreed_levels(round_ids: Collection[int]) -> dict[int, dict[str, str]]:
    """The agreed ratings of some rounds: round id -> benchmark id -> rating (one query)."""
    agreed: dict[int, dict[str, str]] = {round_id: {} for round_id in round_ids}
    if round_ids:
        rows = db.session.execute(
            select(AgreedRating.round_id, AgreedRating.benchmark_id, AgreedRating.rating).where(AgreedRating.round_id.in_(list(round_ids)))
        ).all()
        for round_id, benchmark_id, rating in rows:
            agreed[round_id][benchmark_id] = rating
    return agreed


def round_comparison(assessment_round: AssessmentRound, findings: RoundFindings | None = None) -> RoundComparisonView:
    """The round's self-assessment against its inspection, whatever the findings' status.

    Callers decide who may see draft findings (only the round's inspectors:
    check ``view.findings.is_published`` before showing it to the board).
    Seven queries, however many benchmarks or respondents.
    """
    framework = framework_for_round(assessment_round)
    agreement = round_agreement(db.session, assessment_round.id, framework)
    agreed = agreed_levels([assessment_round.id])[assessment_round.id]
    findings = findings if findings is not None else round_findings(assessment_round.id)
    comparison = compare_round(
        framework,
        members=agreement.benchmarks,
        agreed=agreed,
        inspection=findings.judgements(),
        target_level=assessment_round.target_level,
    )
    return RoundComparisonView(assessment_round, framework, agreement, agreed, findings, comparison, challenge_threads(assessment_round.id))


# --- National overview ------------------------------------------------------


@dataclass(frozen=True)
class NationalRow:
    """One board in the national overview: its latest published inspection and the comparison."""

    board_id: int
    board_name: str
    round_id: int
    round_title: str
    inspected_on: date
    framework: Framework
    comparison: RoundComparison


def inspector_board_ids(user: User) -> list[int]:
    """The boards whose national overview figures the person may see: those they inspect (one query)."""
    return list(
        db.session.scalars(
            select(Membership.board_id).where(
                Membership.user_id == user.id,
                Membership.role.in_(roles_with("read_national_overview")),
                Membership.removed_at.is_(None),
            )
        ).all()
    )


def visible_boards(board_ids: Collection[int] | None) -> list[tuple[int, str]]:
    """(id, name) of the boards in ``board_ids`` (every board for None), by name (one query)."""
    query = select(Board.id, Board.name).order_by(Board.name)
    if board_ids is not None:
        query = query.where(Board.id.in_(list(board_ids)))
    return [(board_id, name) for board_id, name in db.session.execute(query).all()]


def _latest_inspections(board_ids: Collection[int] | None):
    ranked = select(
        Inspection.id,
        Inspection.board_id,
        Inspection.round_id,
        Inspection.inspected_on,
        func.row_number()
        .over(partition_by=Inspection.board_id, order_by=(Inspection.inspected_on.desc(), Inspection.id.desc()))
        .label("n"),
    ).where(Inspection.status == PUBLISHED, Inspection.inspected_on.is_not(None))
    if board_ids is not None:
        ranked = ranked.where(Inspection.board_id.in_(list(board_ids)))
    latest = ranked.subquery()
    return db.session.execute(
        select(
            latest.c.id,
            latest.c.board_id,
            latest.c.round_id,
            latest.c.inspected_on,
            Board.name,
            AssessmentRound.title,
            AssessmentRound.target_level,
            AssessmentRound.framework_version_id,
        )
        .join(Board, Board.id == latest.c.board_id)
        .join(AssessmentRound, AssessmentRound.id == latest.c.round_id)
        .where(latest.c.n == 1)
    ).all()


def national_rows(board_ids: Collection[int] | None) -> list[NationalRow]:
    """Each board's latest published inspection compared with that round's self-assessment.

    ``board_ids`` limits the boards (None: every board). Boards with no
    published inspection are left out. At most six queries whatever the
    number of boards, benchmarks or respondents: members' ratings are counted
    by :func:`app.data.aggregation.round_agreements` in the database, and only for
    rounds where some benchmark has no agreed rating.
    """
    latest = _latest_inspections(board_ids)
    if not latest:
        return []
    version_ids = {row.framework_version_id for row in latest}
    versions = {v.id: v for v in db.session.scalars(select(FrameworkVersion).where(FrameworkVersion.id.in_(version_ids))).all()}
    frameworks = {row.round_id: framework_for_version(versions[row.framework_version_id]) for row in latest}
    agreed = agreed_levels(list(frameworks))
    unmoderated = {
        round_id: framework
        for round_id, framework in frameworks.items()
        if any(b.id not in agreed[round_id] for b in framework.benchmarks)
    }
    members = round_agreements(db.session, unmoderated)
    judgements: dict[int, tuple[dict[str, str], dict[str, str]]] = {row.id: ({}, {}) for row in latest}
    for inspection_id, subject_id, level in db.session.execute(
        select(Finding.inspection_id, Finding.subject_id, Finding.level).where(
            Finding.inspection_id.in_(list(judgements)), Finding.level.is_not(None)
        )
    ).all():
        if level is None:
            continue  # not asked for; says so to the type checker
        domains, benchmarks = judgements[inspection_id]
        (benchmarks if "." in subject_id else domains)[subject_id] = level
    rows = []
    for row in latest:
        domains, benchmarks = judgements[row.id]
        figures = members.get(row.round_id)
        comparison = compare_round(
            frameworks[row.round_id],
            members=figures.benchmarks if figures else {},
            agreed=agreed[row.round_id],
            inspection=InspectorJudgements(domains, benchmarks),
            target_level=row.target_level,
        )
        rows.append(NationalRow(row.board_id, row.name, row.round_id, row.title, row.inspected_on, frameworks[row.round_id], comparison))
    return sorted(rows, key=lambda r: r.board_name)
