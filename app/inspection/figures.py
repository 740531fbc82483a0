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

from app.core.catalogue import named_in
from app.core.comparison import RoundComparison, compare_round
from app.core.framework import Framework
from app.data.aggregation import RoundAgreement
from app.data.challenge import challenge_threads
from app.data.framework_store import framework_for_round, frameworks_by_version
from app.data.inspection import (
    RoundFindings,
    agreed_levels,
    boards_in_roles,
    finding_levels,
    judgements_of,
    latest_published_inspections,
    members_agreement,
    members_agreements,
    round_findings,
)
from app.data.models import AssessmentRound, ChallengeComment, User
from app.web.permissions import roles_with

__all__ = ["NationalRow", "RoundComparisonView", "inspector_board_ids", "national_rows", "round_comparison"]


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


def round_comparison(assessment_round: AssessmentRound, findings: RoundFindings | None = None) -> RoundComparisonView:
    """The round's self-assessment against its inspection, whatever the findings' status.

    Callers decide who may see draft findings (only the round's inspectors:
    check ``view.findings.is_published`` before showing it to the board).
    Seven queries, however many benchmarks or respondents.
    """
    framework = framework_for_round(assessment_round)
    agreement = members_agreement(assessment_round.id, framework)
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
    board_name_cy: str | None = None
    round_title_cy: str | None = None

    def board_in(self, lang: str) -> str:
        """The board's name in ``lang`` (the English one where it has no Welsh name)."""
        return named_in(self.board_name, self.board_name_cy, lang)

    def round_in(self, lang: str) -> str:
        """The round's title in ``lang`` (the English one where it has no Welsh title)."""
        return named_in(self.round_title, self.round_title_cy, lang)


def inspector_board_ids(user: User) -> list[int]:
    """The boards whose national overview figures the person may see: those they inspect (one query)."""
    return boards_in_roles(user.id, roles_with("read_national_overview"))


def national_rows(board_ids: Collection[int] | None) -> list[NationalRow]:
    """Each board's latest published inspection compared with that round's self-assessment.

    ``board_ids`` limits the boards (None: every board). Boards with no
    published inspection are left out. At most six queries whatever the
    number of boards, benchmarks or respondents: members' ratings are counted
    by :func:`app.data.aggregation.round_agreements` in the database, and only for
    rounds where some benchmark has no agreed rating.
    """
    latest = latest_published_inspections(board_ids)
    if not latest:
        return []
    by_version = frameworks_by_version({row.framework_version_id for row in latest})
    frameworks = {row.round_id: by_version[row.framework_version_id] for row in latest}
    agreed = agreed_levels(list(frameworks))
    unmoderated = {
        round_id: framework
        for round_id, framework in frameworks.items()
        if any(b.id not in agreed[round_id] for b in framework.benchmarks)
    }
    members = members_agreements(unmoderated)
    levels: dict[int, list[tuple[str, str | None]]] = {row.id: [] for row in latest}
    for inspection_id, subject_id, level in finding_levels(list(levels)):
        levels[inspection_id].append((subject_id, level))
    rows = []
    for row in latest:
        figures = members.get(row.round_id)
        comparison = compare_round(
            frameworks[row.round_id],
            members=figures.benchmarks if figures else {},
            agreed=agreed[row.round_id],
            inspection=judgements_of(levels[row.id]),
            target_level=row.target_level,
        )
        rows.append(
            NationalRow(
                row.board_id, row.name, row.round_id, row.title, row.inspected_on, frameworks[row.round_id], comparison, row.name_cy, row.title_cy
            )
        )
    return sorted(rows, key=lambda r: r.board_name)
