"""Members' ratings across respondents, counted in the database.

Two grouped queries answer everything for any number of rounds: one counts
answers by round, benchmark, rating and agency (with how many of them give
no evidence: no words and no item cited from the evidence register); the other counts responses by round, agency and status. The
figures per benchmark (distribution, median, spread, agreement, ratings by
agency, statutory partners who did not answer) are then worked out from
those counts, so the work in Python grows with benchmarks x ratings x
agencies, never with the number of respondents.

Only **submitted** responses count: an unfinished response may change and
would move the median under the moderator's feet. In-progress responses are
counted (``RoundAgreement.in_progress``) so pages can say how many are not
yet included. Both queries are plain SQL that SQLite and PostgreSQL run
identically.

The functions take a SQLAlchemy session or connection, so the benchmark
script can use them without the web app.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, scoped_session

from app.core.framework import Framework
from app.core.rigour import is_disagreement, missing_statutory
from app.core.scoring import NOT_APPLICABLE, NOT_KNOWN, median_score, middle_levels, spread_in_levels
from app.core.vocabulary import STATUTORY_AGENCY_IDS
from app.data.evidence import answers_citing_evidence_about
from app.data.models import Answer, Response

# The request's session, a plain session, or a bare connection (the benchmarks).
Queryable = Session | scoped_session[Any] | Connection

__all__ = ["SUBMITTED", "BenchmarkAgreement", "RoundAgreement", "round_agreement", "round_agreements"]

SUBMITTED = "submitted"


@dataclass(frozen=True)
class BenchmarkAgreement:
    """How submitted members rated one benchmark.

    ``distribution`` counts every rating id (levels low to high, then not
    known and not applicable), zeros included; ``by_agency`` counts ratings per
    agency; ``middle`` is the two middle levels (the same one twice when the
    count is odd) and ``median`` their mean score, both over level ratings only;
    ``spread`` is how many levels apart the highest and lowest level ratings
    are; ``without_evidence`` counts, per rating, the answers that gave no
    evidence (neither words nor a register item); ``statutory_missing`` lists statutory agencies that gave no rating.
    """

    benchmark_id: str
    distribution: Mapping[str, int]
    by_agency: Mapping[str, Mapping[str, int]]
    without_evidence: Mapping[str, int]
    middle: tuple[str, str] | None
    median: float | None
    spread: int | None
    disagreement: bool
    statutory_missing: tuple[str, ...]
    #: The two middle levels when "not known" counts as the level it is scored as
    #: (scale.not_known.score_as), so 8 "not known" and 1 Good is not a provisional Good.
    counted_middle: tuple[str, str] | None = None

    @property
    def rated(self) -> int:
        """How many members chose a level (not "not known" or "not applicable")."""
        return self.answered - self.distribution.get(NOT_KNOWN, 0) - self.distribution.get(NOT_APPLICABLE, 0)

    @property
    def answered(self) -> int:
        return sum(self.distribution.values())

    @property
    def not_known(self) -> int:
        return self.distribution.get(NOT_KNOWN, 0)

    @property
    def not_applicable(self) -> int:
        return self.distribution.get(NOT_APPLICABLE, 0)

    def provisional_rating(self) -> str | None:
        """One rating standing for the members' view, for results before moderation.

        The median level (rounded down), counting "not known" as the level it is
        scored as; "not known" if nobody chose a level but someone said not
        known; "not applicable" if everyone who answered said so.
        """
        if self.middle is not None:
            return (self.counted_middle or self.middle)[0]
        if self.not_known:
            return NOT_KNOWN
        if self.not_applicable:
            return NOT_APPLICABLE
        return None


@dataclass(frozen=True)
class RoundAgreement:
    """Across-respondent figures for one round."""

    round_id: int
    benchmarks: Mapping[str, BenchmarkAgreement]
    submitted_by_agency: Mapping[str, int]
    in_progress_by_agency: Mapping[str, int]
    statutory_missing: tuple[str, ...]

    @property
    def submitted(self) -> int:
        return sum(self.submitted_by_agency.values())

    @property
    def in_progress(self) -> int:
        return sum(self.in_progress_by_agency.values())

    def provisional_ratings(self) -> dict[str, str | None]:
        """Benchmark id -> the members' provisional rating (see BenchmarkAgreement)."""
        return {benchmark_id: figures.provisional_rating() for benchmark_id, figures in self.benchmarks.items()}

    def unevidenced(self, framework: Framework) -> frozenset[str]:
        """The benchmarks whose provisional rating stands without evidence (for ``score_assessment(unevidenced=...)``).

        A benchmark counts when its provisional rating is at or above the
        framework's evidence level and most of the members who rated it at or
        above that level gave no evidence (neither words nor a register item):
        those are the answers that carry the median up. See docs/scoring.md.
        """
        scale = framework.scale
        high = scale.ids[scale.ids.index(framework.evidence_level) :]
        found = set()
        for benchmark_id, figures in self.benchmarks.items():
            if figures.provisional_rating() not in high:
                continue
            rated_high = sum(figures.distribution.get(level, 0) for level in high)
            bare = sum(figures.without_evidence.get(level, 0) for level in high)
            if rated_high and 2 * bare > rated_high:
                found.add(benchmark_id)
        return frozenset(found)


def round_agreement(
    session: Queryable, round_id: int, framework: Framework, statutory_agencies: Sequence[str] = STATUTORY_AGENCY_IDS
) -> RoundAgreement:
    """The figures for one round (two queries); ``statutory_agencies``: the board's statutory partners."""
    return round_agreements(session, {round_id: framework}, statutory_agencies)[round_id]


def round_agreements(
    session: Queryable,
    frameworks: Mapping[int, Framework],
    statutory_agencies: Sequence[str] = STATUTORY_AGENCY_IDS,
    *,
    by_agency: bool = True,
) -> dict[int, RoundAgreement]:
    """The figures for several rounds at once (two queries in all).

    ``frameworks`` maps each round id to the framework the round was opened
    with, which says which benchmarks and levels there are. With
    ``by_agency=False`` (for overviews across many boards) answers are not
    split by agency, which makes the first query's result several times
    smaller: ``by_agency`` is then empty and each benchmark's
    ``statutory_missing`` is the round's (submitted responses rate every
    benchmark, so the two only differ while a response is being reopened).
    """
    round_ids = list(frameworks)
    if not round_ids:
        return {}
    agency = Response.agency if by_agency else literal_column("''").label("agency")
    grouping = [Response.round_id, Answer.benchmark_id, Answer.rating] + ([Response.agency] if by_agency else [])
    # An answer gives evidence in the member's own words or by citing an item
    # of the board's register that is about its benchmark (or not tagged):
    # evidence.answers_citing_evidence_about, found through the round's indexes
    # (an EXISTS per answer lets PostgreSQL hash the whole citations table).
    citing = answers_citing_evidence_about(round_ids)
    answer_counts = session.execute(
        select(
            Response.round_id,
            Answer.benchmark_id,
            Answer.rating,
            agency,
            func.count().label("answers"),
            func.sum(case((and_(Answer.evidence == "", citing.c.answer_id.is_(None)), 1), else_=0)).label("without_evidence"),
        )
        .join(Response, Response.id == Answer.response_id)
        .outerjoin(citing, citing.c.answer_id == Answer.id)
        .where(Response.round_id.in_(round_ids), Response.status == SUBMITTED, Answer.rating.is_not(None))
        .group_by(*grouping)
    ).all()
    response_counts = session.execute(
        select(Response.round_id, Response.agency, Response.status, func.count())
        .where(Response.round_id.in_(round_ids))
        .group_by(Response.round_id, Response.agency, Response.status)
    ).all()

    answers: dict[int, list[tuple[str, str, str, int, int]]] = {round_id: [] for round_id in round_ids}
    for round_id, benchmark_id, rating, agency_id, n, unevidenced in answer_counts:
        answers[round_id].append((benchmark_id, rating, agency_id, int(n), int(unevidenced or 0)))
    submitted: dict[int, dict[str, int]] = {round_id: {} for round_id in round_ids}
    in_progress: dict[int, dict[str, int]] = {round_id: {} for round_id in round_ids}
    for round_id, agency_id, status, n in response_counts:
        target = submitted if status == SUBMITTED else in_progress
        target[round_id][agency_id] = target[round_id].get(agency_id, 0) + int(n)

    return {
        round_id: _summarise_round(
            round_id, frameworks[round_id], answers[round_id], submitted[round_id], in_progress[round_id], statutory_agencies, by_agency
        )
        for round_id in round_ids
    }


def _summarise_round(
    round_id: int,
    framework: Framework,
    rows: list[tuple[str, str, str, int, int]],
    submitted: dict[str, int],
    in_progress: dict[str, int],
    statutory_agencies: Sequence[str],
    by_agency: bool,
) -> RoundAgreement:
    rating_ids = (*framework.scale.ids, NOT_KNOWN, NOT_APPLICABLE)
    benchmark_ids = [b.id for b in framework.benchmarks]
    distribution = {b: dict.fromkeys(rating_ids, 0) for b in benchmark_ids}
    agencies: dict[str, dict[str, dict[str, int]]] = {b: {} for b in benchmark_ids}
    without_evidence: dict[str, dict[str, int]] = {b: {} for b in benchmark_ids}
    for benchmark_id, rating, agency, n, unevidenced in rows:
        if benchmark_id not in distribution or rating not in distribution[benchmark_id]:
            continue  # an id no longer in this framework, or a stray value: not counted
        distribution[benchmark_id][rating] += n
        if by_agency:
            agency_counts = agencies[benchmark_id].setdefault(agency, {})
            agency_counts[rating] = agency_counts.get(rating, 0) + n
        if unevidenced:
            without_evidence[benchmark_id][rating] = without_evidence[benchmark_id].get(rating, 0) + unevidenced

    scale = framework.scale
    round_missing = missing_statutory(submitted, statutory_agencies)
    benchmarks = {}
    for benchmark_id in benchmark_ids:
        counts = distribution[benchmark_id]
        middle = middle_levels(scale, counts)
        spread = spread_in_levels(scale, counts)
        counted = dict(counts)
        counted[scale.not_known.score_as] = counted.get(scale.not_known.score_as, 0) + counts.get(NOT_KNOWN, 0)
        benchmarks[benchmark_id] = BenchmarkAgreement(
            benchmark_id=benchmark_id,
            distribution=counts,
            by_agency=dict(sorted(agencies[benchmark_id].items())),
            without_evidence=without_evidence[benchmark_id],
            middle=middle,
            median=median_score(scale, middle),
            spread=spread,
            disagreement=is_disagreement(framework.rules, spread),
            statutory_missing=missing_statutory(agencies[benchmark_id], statutory_agencies) if by_agency else round_missing,
            counted_middle=middle_levels(scale, counted),
        )
    return RoundAgreement(
        round_id=round_id,
        benchmarks=benchmarks,
        submitted_by_agency=submitted,
        in_progress_by_agency=in_progress,
        statutory_missing=round_missing,
    )
