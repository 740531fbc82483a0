"""What a self-evaluation report shows, as plain, immutable data.

The report template reads only a :class:`Report`: no models, no queries, no
framework lookups. That keeps the PDF cache honest: the stored PDF is keyed
by a hash of this data (see ``app/data/report_cache.py``), so any change a
reader could see gives a new key. ``app/data/reports.py`` gathers it.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from app.core.framework import Framework
from app.core.report_summary import ExecutiveSummary

__all__ = [
    "ActionRow",
    "AgencyParticipation",
    "AnsweredFlag",
    "BenchmarkRow",
    "ChallengeEntry",
    "ChallengeThread",
    "Change",
    "ChartData",
    "DomainSection",
    "EvidenceRow",
    "InspectionDomain",
    "InspectionSummary",
    "PreviousRound",
    "Report",
    "rating_label",
]


def rating_label(framework: Framework, rating: str | None, lang: str = "en") -> str | None:
    """The label of a rating id (a level, "not known" or "not applicable") in ``lang``; None for no rating.

    Worded as the rigour flags word it (both use :meth:`app.core.framework.Scale.label`).
    """
    return None if rating is None else framework.scale.label(rating, lang)


@dataclass(frozen=True)
class BenchmarkRow:
    """One line of a domain's gap analysis table."""

    id: str
    title: str
    median: str  # members' median in words, e.g. "Good" or "Requires improvement to Good"
    spread: int | None  # levels between members' highest and lowest rating
    answered: int  # submitted members who rated it (any answer)
    agreed: str | None
    target: str
    rating: str | None  # the rating the results use: agreed once moderated, else the median
    score: int | None
    gap: int | None  # levels below target; None when left out
    is_gap: bool
    inspection: str | None
    flag_names: tuple[str, ...]
    flags: tuple[str, ...]
    rationale: str
    evidence_refs: tuple[str, ...]
    open_flag_names: tuple[str, ...] = ()  # the flags with no response from the business manager yet
    question: str = ""
    # What the framework says the agreed rating means for this benchmark (empty when not agreed on a level).
    descriptor: str = ""
    ref: str = ""  # how people refer to it: "1.5" for the fifth benchmark of the first domain (``id`` stays for HTML ids)


@dataclass(frozen=True)
class DomainSection:
    id: str
    title: str
    summary: str
    judgement: str | None
    gap: int | None
    mean: float | None
    limits: tuple[str, ...]
    benchmarks: tuple[BenchmarkRow, ...]
    inspection: str | None
    # The board's own analysis of the domain, as the business manager wrote it ("" until written).
    analysis: str = ""
    # What the inspectors wrote about the domain, once their findings are published ("" if nothing).
    inspection_text: str = ""


@dataclass(frozen=True)
class ChartData:
    """The scores to plot: one value per domain in each series (None: no bar)."""

    categories: tuple[str, ...]
    levels: tuple[tuple[str, int], ...]  # (label, score) low to high, for the axis
    members: tuple[float | None, ...]
    agreed: tuple[float | None, ...]
    target: float
    inspection: tuple[float | None, ...] | None


@dataclass(frozen=True)
class AgencyParticipation:
    agency: str
    statutory: bool
    invited: int
    submitted: int
    in_progress: int
    not_started: int


@dataclass(frozen=True)
class ActionRow:
    description: str
    owner: str
    lead: str
    due: date
    success_measure: str
    status: str
    status_name: str
    overdue: bool
    benchmarks: tuple[str, ...]  # "2.3 Title"
    domain: str | None
    carried: bool
    # The measure (all None on actions from before 2026.2: "no measure yet").
    baseline: str | None = None
    baseline_on: date | None = None
    target: str | None = None
    target_by: date | None = None
    latest: str | None = None
    latest_on: date | None = None
    measure_about: str | None = None  # in words: about children and families, or the board's process
    progress: str | None = None  # "met", "missed" or "check" (the target date passed and the values are words)
    carried_from: str | None = None  # the title of the round it was carried from


@dataclass(frozen=True)
class AnsweredFlag:
    """A rigour flag and the business manager's response to it."""

    name: str
    subject: str  # "2.3 Title", or the agency's name
    message: str
    response: str
    reason: str


@dataclass(frozen=True)
class Change:
    """One benchmark or domain then and now; ``direction`` is up, down, same, new, retired or none."""

    id: str
    title: str
    before: str | None
    after: str | None
    direction: str
    ref: str = ""  # how people refer to it: "1.5" (domain number, benchmark number)


@dataclass(frozen=True)
class PreviousRound:
    title: str
    opened: date
    source: str
    overall_before: str | None
    overall_after: str | None
    domains: tuple[Change, ...]
    benchmarks: tuple[Change, ...]
    #: Benchmarks of the previous round that this round's framework version no longer has.
    retired: tuple[Change, ...] = ()
    version_before: str = ""
    version_after: str = ""
    #: The overall judgement then and now: up, down, same or none (either is not a level).
    overall_direction: str = "none"

    def count(self, direction: str) -> int:
        return sum(1 for change in self.benchmarks if change.direction == direction)

    @property
    def versions_differ(self) -> bool:
        """True when the two rounds were opened on different framework versions."""
        return self.version_before != self.version_after

    @property
    def new(self) -> tuple[Change, ...]:
        """This round's benchmarks that the previous round's framework did not have."""
        return tuple(change for change in self.benchmarks if change.direction == "new")


@dataclass(frozen=True)
class InspectionDomain:
    title: str
    self_assessed: str | None
    finding: str | None
    difference: int | None  # levels the board is above the inspection (negative: below)


@dataclass(frozen=True)
class InspectionSummary:
    inspected_on: date | None
    over_optimism: float | None
    # "benchmarks": a mean over the benchmarks both rated; "overall": the overall difference (no domain or benchmark findings).
    optimism_basis: str | None
    domains: tuple[InspectionDomain, ...]
    recommendations: tuple[str, ...]
    # The overall judgements: the board's own (by its rules) and the inspectors', labelled; their difference; the inspectors' words.
    overall_self: str | None = None
    overall_finding: str | None = None
    overall_difference: int | None = None
    overall_summary: str = ""
    overall_reasons: tuple[str, ...] = ()
    # Over-optimism as the comparison page shows it: two decimals at most, with its sign ("+0.65", "−0.5", "0").
    over_optimism_shown: str = ""

    @property
    def has_domain_findings(self) -> bool:
        return any(domain.finding for domain in self.domains)


@dataclass(frozen=True)
class EvidenceRow:
    ref: str
    title: str
    agency: str
    day: date
    impact: str
    reference: str
    cited_by: tuple[str, ...]  # the benchmarks citing it, as people refer to them ("1.5")
    link: str | None = None  # the reference when it is an http(s) web address, to print as a link


@dataclass(frozen=True)
class ChallengeEntry:
    author: str
    role: str
    at: datetime
    text: str


@dataclass(frozen=True)
class ChallengeThread:
    subject: str
    entries: tuple[ChallengeEntry, ...]


@dataclass(frozen=True)
class SignOffLine:
    """The board's approval of the report: the date of the board meeting and the chair who signs it."""

    approved_on: date
    chair: str


@dataclass(frozen=True)
class Report:
    """Everything one report shows. Only plain values, so it hashes and serialises."""

    round_id: int
    lang: str
    today: date
    board: str
    title: str
    status: str
    opened: date
    deadline: date | None
    closed: date | None
    framework_title: str
    framework_version: str
    target: str
    source: str  # "agreed" once moderated, else "medians"
    submitted: int
    in_progress: int
    summary: ExecutiveSummary
    chart: ChartData
    domains: tuple[DomainSection, ...]
    participation: tuple[AgencyParticipation, ...]
    statutory_missing: tuple[str, ...]
    round_flags: tuple[str, ...]
    actions: tuple[ActionRow, ...]
    uncovered: tuple[str, ...]
    previous: PreviousRound | None
    inspection: InspectionSummary | None
    evidence: tuple[EvidenceRow, ...]
    challenges: tuple[ChallengeThread, ...]
    answered_flags: tuple[AnsweredFlag, ...] = ()
    # The board's overall statement, and its approval of the report (None: a draft, marked so on every page).
    statement: str = ""
    sign_off: SignOffLine | None = None

    @property
    def is_draft(self) -> bool:
        return self.sign_off is None

    def as_plain(self) -> dict[str, Any]:
        """The report as nested dicts and lists (dates left as dates), for hashing."""
        return dataclasses.asdict(self)
