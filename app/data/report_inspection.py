"""The inspection findings and challenge threads a report shows, as plain data.

The report takes findings in this small shape so that it does not depend on
how the inspection area stores them: :func:`inspection_for_round` is the one
place that reads them (through ``app.data.inspection`` and
``app.data.challenge``) and compares them with the board's view
(``app.core.comparison``). Only **published** findings appear, so the board and
its inspectors get the same document (and the same cached PDF); challenge
threads appear whatever the findings' status, as both the business manager
and the inspectors already see them in the app.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from app.core.comparison import compare_round
from app.data.challenge import challenge_threads
from app.data.inspection import round_findings
from app.data.moderation import RoundPicture
from app.web.labels import PRIORITY_NAMES, ROLE_NAMES

__all__ = ["ChallengeInput", "InspectionInput", "inspection_for_round"]


@dataclass(frozen=True)
class ChallengeInput:
    """A challenge thread on a benchmark: entries of (author, role, when, text), oldest first."""

    subject_id: str
    entries: tuple[tuple[str, str, datetime, str], ...]


@dataclass(frozen=True)
class InspectionInput:
    """Published findings for a round: level ids per domain and per benchmark, and what goes with them."""

    inspected_on: date | None = None
    domain_levels: Mapping[str, str] = field(default_factory=dict)
    benchmark_levels: Mapping[str, str] = field(default_factory=dict)
    # Domain id -> the board's judgement minus the inspection's, in levels.
    domain_differences: Mapping[str, int] = field(default_factory=dict)
    # Mean of (self-rating minus inspection) in levels over the benchmarks both rated; positive is over-optimistic.
    # With only an overall judgement from the inspectors, the overall difference (optimism_basis "overall").
    over_optimism: float | None = None
    optimism_basis: str | None = None
    # The inspectors' overall judgement (a level id), its summary and reasons, and the board's own overall judgement minus it.
    overall_level: str | None = None
    overall_summary: str = ""
    overall_reasons: tuple[str, ...] = ()
    overall_difference: int | None = None
    # What the inspectors wrote about each domain they gave a finding on (domain id -> text).
    domain_texts: Mapping[str, str] = field(default_factory=dict)
    recommendations: tuple[str, ...] = ()
    challenges: tuple[ChallengeInput, ...] = ()

    @property
    def has_findings(self) -> bool:
        return bool(self.domain_levels or self.benchmark_levels or self.overall_level)


def inspection_for_round(picture: RoundPicture) -> InspectionInput:
    """The round's published findings compared with the board's view, and its challenge threads.

    Role and priority names are in the page's language: the report forces its own.
    """
    assessment_round, framework = picture.round, picture.framework
    order = {b.id: n for n, b in enumerate(framework.benchmarks)}
    threads = challenge_threads(assessment_round.id)
    challenges = tuple(
        ChallengeInput(
            benchmark_id,
            tuple((c.author.name, ROLE_NAMES.get(c.author_role, c.author_role), c.created_at, c.text) for c in comments),
        )
        for benchmark_id, comments in sorted(threads.items(), key=lambda item: (order.get(item[0], len(order)), item[0]))
    )
    findings = round_findings(assessment_round.id)
    if not findings.is_published:
        return InspectionInput(challenges=challenges)
    judgements = findings.judgements()
    comparison = compare_round(
        framework,
        members=picture.agreement.benchmarks,
        agreed=picture.agreed_ratings,
        inspection=judgements,
        target_level=assessment_round.target_level,
    )
    return InspectionInput(
        inspected_on=findings.inspection.inspected_on if findings.inspection else None,
        domain_levels=dict(judgements.domains),
        domain_texts={
            subject: found.text for subject, found in findings.findings.items() if found.is_domain and not found.is_empty and found.text.strip()
        },
        benchmark_levels=dict(judgements.benchmarks),
        domain_differences={d.domain_id: d.difference for d in comparison.domains if d.difference is not None},
        over_optimism=None if comparison.over_optimism is None else round(float(comparison.over_optimism), 2),
        optimism_basis=comparison.optimism_basis,
        overall_level=judgements.overall,
        overall_summary=findings.overall.text if findings.overall else "",
        overall_reasons=tuple(findings.overall_reasons),
        overall_difference=comparison.overall_difference,
        recommendations=tuple(
            f"{PRIORITY_NAMES.get(r.priority, r.priority)}: {r.text}" for r in findings.recommendations
        ),
        challenges=challenges,
    )
