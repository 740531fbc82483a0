"""The board's self-assessment against the inspectors' findings (pure: no Flask, no database).

For one round, :func:`compare_round` puts side by side, per benchmark and per
domain, the members' median, the board's agreed rating and the inspectors'
judgement, and measures how far the board's own view is above the
inspectors'. :func:`national_summary` sums that up across boards.

Definitions (``docs/findings-format.md`` says the same for readers):

- **The board's self-rating** of a benchmark is its agreed (moderated)
  rating; where there is no agreed rating yet, the members' median. A median
  between two levels counts as halfway between them. "Not known", "not
  applicable" and no rating at all are not a level, so are not compared.
- **The inspection level** of a benchmark is the inspectors' judgement of that
  benchmark; where they judged only its domain, the domain's judgement (as
  :func:`app.core.rigour.above_inspection` does).
- **Difference** = self-rating minus inspection level, in levels of the
  scale: +1 means the board rated itself one level above the inspectors.
- **Over-optimism** = the mean difference over the benchmarks that both the
  board and the inspectors rated: per domain, and overall (all such
  benchmarks of the round together). Positive means the board was
  over-optimistic, negative that it was harder on itself than the inspectors.
- **Overall judgements**: the board's overall judgement is worked out by
  :mod:`app.core.scoring` like its domain judgements (from members' medians,
  agreed ratings and self-ratings); the inspectors give theirs directly (a
  finding on the subject ``"overall"``). The **overall difference** is the
  board's (self-rating) overall judgement minus the inspectors', in levels.
- Where the inspectors gave no domain or benchmark judgement at all (an
  overall judgement only, as many real reviews do), the round's
  over-optimism is the overall difference instead (``optimism_basis`` says
  which: :data:`FROM_BENCHMARKS` or :data:`FROM_OVERALL`).
- **Domain judgements** are worked out by :mod:`app.core.scoring` from the
  members' medians, from the agreed ratings, and from the self-ratings; the
  domain's difference compares the last with the inspectors' domain judgement.

A benchmark or domain **one level or more above** the inspection stands out
on pages and in reports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Protocol

from app.core.framework import Framework, Scale
from app.core.scoring import score_assessment

__all__ = [
    "AGREED",
    "FROM_BENCHMARKS",
    "FROM_OVERALL",
    "MEDIAN",
    "BenchmarkComparison",
    "DomainComparison",
    "DomainLevelCounts",
    "InspectorJudgements",
    "MembersMedian",
    "NationalSummary",
    "RoundComparison",
    "compare_round",
    "format_levels",
    "mean",
    "national_summary",
]

#: Where a benchmark's self-rating comes from.
AGREED = "agreed"
MEDIAN = "median"

#: What a round's over-optimism is measured over.
FROM_BENCHMARKS = "benchmarks"
FROM_OVERALL = "overall"


class MembersMedian(Protocol):
    """What the comparison needs about members' ratings of one benchmark.

    :class:`app.data.aggregation.BenchmarkAgreement` provides these.
    """

    @property
    def middle(self) -> tuple[str, str] | None: ...  # the two middle levels (scoring.middle_levels)

    def provisional_rating(self) -> str | None: ...  # one rating standing for the members' view


@dataclass(frozen=True)
class InspectorJudgements:
    """The inspectors' judgements: level ids by domain id and by benchmark id (only those judged), and overall."""

    domains: Mapping[str, str]
    benchmarks: Mapping[str, str]
    overall: str | None = None


@dataclass(frozen=True)
class BenchmarkComparison:
    """One benchmark: members' median, agreed rating, self-rating, inspection level and the difference.

    ``self_position`` is the self-rating's place on the scale (0 for the
    lowest level; a median between two levels is halfway). ``inspected`` is
    the level the benchmark is compared with; ``inspected_from_domain`` says
    it is the domain's judgement because the inspectors did not judge the
    benchmark itself. ``difference`` is None unless both sides have a level.
    """

    benchmark_id: str
    domain_id: str
    members_middle: tuple[str, str] | None
    agreed: str | None
    self_source: str | None
    self_position: Fraction | None
    inspected: str | None
    inspected_from_domain: bool
    difference: Fraction | None

    @property
    def compared(self) -> bool:
        return self.difference is not None

    @property
    def is_above(self) -> bool:
        """Whether the board rated itself one level or more above the inspection."""
        return self.difference is not None and self.difference >= 1


@dataclass(frozen=True)
class DomainComparison:
    """One domain: its benchmarks, the judgements on each side, the difference and over-optimism."""

    domain_id: str
    benchmarks: tuple[BenchmarkComparison, ...]
    members_judgement: str | None
    agreed_judgement: str | None
    self_judgement: str | None
    inspected: str | None
    difference: int | None
    over_optimism: Fraction | None

    @property
    def compared(self) -> int:
        """How many benchmarks both the board and the inspectors rated."""
        return sum(1 for b in self.benchmarks if b.compared)

    @property
    def is_above(self) -> bool:
        """Whether the board's domain judgement is one level or more above the inspectors'."""
        return self.difference is not None and self.difference >= 1

    @property
    def above_inspection(self) -> tuple[BenchmarkComparison, ...]:
        return tuple(b for b in self.benchmarks if b.is_above)


@dataclass(frozen=True)
class RoundComparison:
    """Every domain's comparison, the overall judgements on each side and the round's over-optimism.

    ``over_optimism`` is over the benchmarks both sides rated when the
    inspectors judged any domain or benchmark (``optimism_basis`` is
    :data:`FROM_BENCHMARKS`); otherwise the overall difference
    (:data:`FROM_OVERALL`); None (basis None) when neither can be worked out.
    """

    domains: tuple[DomainComparison, ...]
    over_optimism: Fraction | None
    members_overall: str | None = None
    agreed_overall: str | None = None
    self_overall: str | None = None
    inspected_overall: str | None = None
    overall_difference: int | None = None
    optimism_basis: str | None = None

    @property
    def overall_is_above(self) -> bool:
        """Whether the board's overall judgement is one level or more above the inspectors'."""
        return self.overall_difference is not None and self.overall_difference >= 1

    @property
    def has_domain_judgements(self) -> bool:
        """Whether the inspectors judged any domain or benchmark (on the round's scale)."""
        return any(b.inspected is not None for b in self.benchmarks) or any(d.inspected is not None for d in self.domains)

    @property
    def benchmarks(self) -> tuple[BenchmarkComparison, ...]:
        return tuple(b for d in self.domains for b in d.benchmarks)

    @property
    def compared(self) -> int:
        return sum(d.compared for d in self.domains)

    @property
    def above_inspection(self) -> tuple[BenchmarkComparison, ...]:
        """Benchmarks the board rated one level or more above the inspection, in framework order."""
        return tuple(b for b in self.benchmarks if b.is_above)

    def domain(self, domain_id: str) -> DomainComparison:
        for domain in self.domains:
            if domain.domain_id == domain_id:
                return domain
        raise KeyError(f"no domain {domain_id!r}")

    def benchmark(self, benchmark_id: str) -> BenchmarkComparison:
        for benchmark in self.benchmarks:
            if benchmark.benchmark_id == benchmark_id:
                return benchmark
        raise KeyError(f"no benchmark {benchmark_id!r}")


def mean(values: Iterable[Fraction | int]) -> Fraction | None:
    """The exact mean of some numbers; None when there are none."""
    items = [Fraction(value) for value in values]
    return sum(items, Fraction(0)) / len(items) if items else None


def _as_float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def format_levels(value: Fraction | int | None, *, plain: bool = False) -> str:
    """A difference in levels for people: "+1", "−0.5", "+1.17", "0"; "" for None.

    Rounded to two decimal places. ``plain`` uses an ASCII hyphen for minus
    (for CSV files); pages use the minus sign, which screen readers say as "minus".
    """
    if value is None:
        return ""
    exact = Fraction(value)
    # Halves round away from zero, as people expect (9/8 is 1.13), not to even.
    hundredths = math.floor(abs(exact) * 100 + Fraction(1, 2))
    if hundredths == 0:
        return "0"
    text = f"{hundredths // 100}.{hundredths % 100:02d}".rstrip("0").rstrip(".")
    minus = "-" if plain else "\u2212"
    return f"+{text}" if exact > 0 else f"{minus}{text}"


def _self_rating(ranks: Mapping[str, int], agreed: str | None, members: MembersMedian | None) -> tuple[str | None, int | None]:
    """Where the self-rating comes from and twice its place on the scale (None when it is not a level).

    Places are doubled so a median halfway between two levels stays a whole number.
    """
    if agreed is not None:
        return AGREED, (2 * ranks[agreed] if agreed in ranks else None)
    middle = members.middle if members is not None else None
    if middle is None:
        return None, None
    return MEDIAN, ranks[middle[0]] + ranks[middle[1]]


def _judgements(framework: Framework, ratings: Mapping[str, str | None], target_level: str | None) -> dict[str, str | None]:
    """Domain id -> judgement by the scoring rules, and the overall judgement under :data:`FROM_OVERALL`; empty when nothing is rated."""
    if not any(rating is not None for rating in ratings.values()):
        return {}
    score = score_assessment(framework, ratings, target_level)
    judgements: dict[str, str | None] = {domain.domain_id: domain.judgement for domain in score.domains}
    judgements[FROM_OVERALL] = score.judgement
    return judgements


def _all_judgements(
    framework: Framework,
    members: Mapping[str, MembersMedian],
    agreed: Mapping[str, str],
    target_level: str | None,
) -> tuple[dict[str, str | None], dict[str, str | None], dict[str, str | None]]:
    """Judgements from members' medians, from agreed ratings, and from self-ratings (each scored once at most)."""
    provisional = {benchmark_id: figures.provisional_rating() for benchmark_id, figures in members.items()}
    from_members = _judgements(framework, provisional, target_level)
    from_agreed = _judgements(framework, agreed, target_level)
    ids = [b.id for b in framework.benchmarks]
    if all(benchmark_id in agreed for benchmark_id in ids):
        from_self = from_agreed
    elif not any(benchmark_id in agreed for benchmark_id in ids):
        from_self = from_members
    else:
        from_self = _judgements(framework, {**provisional, **agreed}, target_level)
    return from_members, from_agreed, from_self


def compare_round(
    framework: Framework,
    *,
    members: Mapping[str, MembersMedian],
    agreed: Mapping[str, str],
    inspection: InspectorJudgements,
    target_level: str | None = None,
) -> RoundComparison:
    """Compare a round's self-assessment with the inspectors' judgements.

    ``members`` maps benchmark ids to members' figures (benchmarks nobody
    answered may be missing); ``agreed`` maps benchmark ids to the board's
    agreed ratings; ``inspection`` holds the inspectors' judgements. Levels
    not on the round's scale and ids not in the framework are ignored.
    """
    ranks = {level_id: rank for rank, level_id in enumerate(framework.scale.ids)}
    from_members, from_agreed, from_self = _all_judgements(framework, members, agreed, target_level)
    domains = []
    overall: list[int] = []
    for domain in framework.domains:
        domain_level = inspection.domains.get(domain.id)
        domain_level = domain_level if domain_level in ranks else None
        benchmarks, doubled = [], []
        for benchmark in domain.benchmarks:
            figures = members.get(benchmark.id)
            source, position = _self_rating(ranks, agreed.get(benchmark.id), figures)
            own_level = inspection.benchmarks.get(benchmark.id)
            own_level = own_level if own_level in ranks else None
            inspected = own_level or domain_level
            difference = None
            if position is not None and inspected is not None:
                doubled.append(position - 2 * ranks[inspected])
                difference = Fraction(doubled[-1], 2)
            benchmarks.append(
                BenchmarkComparison(
                    benchmark_id=benchmark.id,
                    domain_id=domain.id,
                    members_middle=figures.middle if figures is not None else None,
                    agreed=agreed.get(benchmark.id),
                    self_source=source,
                    self_position=None if position is None else Fraction(position, 2),
                    inspected=inspected,
                    inspected_from_domain=own_level is None and domain_level is not None,
                    difference=difference,
                )
            )
        self_judgement = from_self.get(domain.id)
        domains.append(
            DomainComparison(
                domain_id=domain.id,
                benchmarks=tuple(benchmarks),
                members_judgement=from_members.get(domain.id),
                agreed_judgement=from_agreed.get(domain.id),
                self_judgement=self_judgement,
                inspected=domain_level,
                difference=None if self_judgement is None or domain_level is None else ranks[self_judgement] - ranks[domain_level],
                over_optimism=Fraction(sum(doubled), 2 * len(doubled)) if doubled else None,
            )
        )
        overall += doubled
    self_overall = from_self.get(FROM_OVERALL)
    inspected_overall = inspection.overall if inspection.overall in ranks else None
    overall_difference = None if self_overall is None or inspected_overall is None else ranks[self_overall] - ranks[inspected_overall]
    judged_parts = any(d.inspected is not None for d in domains) or any(b.inspected is not None for d in domains for b in d.benchmarks)
    if overall:
        over_optimism, basis = Fraction(sum(overall), 2 * len(overall)), FROM_BENCHMARKS
    elif not judged_parts and overall_difference is not None:
        over_optimism, basis = Fraction(overall_difference), FROM_OVERALL
    else:
        over_optimism, basis = None, None
    return RoundComparison(
        tuple(domains),
        over_optimism,
        members_overall=from_members.get(FROM_OVERALL),
        agreed_overall=from_agreed.get(FROM_OVERALL),
        self_overall=self_overall,
        inspected_overall=inspected_overall,
        overall_difference=overall_difference,
        optimism_basis=basis,
    )


@dataclass(frozen=True)
class DomainLevelCounts:
    """For one domain: how many boards were self-assessed, and how many inspected, at each level (low to high)."""

    domain_id: str
    self_assessed: Mapping[str, int]
    inspected: Mapping[str, int]
    mean_self_score: float | None
    mean_inspected_score: float | None
    mean_over_optimism: Fraction | None


@dataclass(frozen=True)
class NationalSummary:
    """Across boards: per domain counts and means, and the mean overall over-optimism."""

    domains: tuple[DomainLevelCounts, ...]
    boards: int
    mean_over_optimism: Fraction | None
    # The overall judgements, counted like a domain's (``domain_id`` "overall"; its mean over-optimism is the mean overall difference).
    overall: DomainLevelCounts | None = None

    def domain(self, domain_id: str) -> DomainLevelCounts:
        for domain in self.domains:
            if domain.domain_id == domain_id:
                return domain
        raise KeyError(f"no domain {domain_id!r}")


def national_summary(scale: Scale, domain_ids: Sequence[str], comparisons: Sequence[RoundComparison]) -> NationalSummary:
    """How many boards sit at each level per domain, on each side, and the means across boards.

    ``comparisons`` holds one comparison per board (its latest inspected
    round). A board with no judgement on a side is not counted on that side.
    Mean scores use the scale's level scores; the mean over-optimism is the
    mean of the boards' own over-optimism figures (each board counts once).
    """
    domains = []
    for domain_id in domain_ids:
        self_counts = dict.fromkeys(scale.ids, 0)
        inspected_counts = dict.fromkeys(scale.ids, 0)
        self_scores, inspected_scores, optimism = [], [], []
        for comparison in comparisons:
            try:
                domain = comparison.domain(domain_id)
            except KeyError:
                continue
            if domain.self_judgement in self_counts:
                self_counts[domain.self_judgement] += 1
                self_scores.append(scale.score(domain.self_judgement))
            if domain.inspected in inspected_counts:
                inspected_counts[domain.inspected] += 1
                inspected_scores.append(scale.score(domain.inspected))
            if domain.over_optimism is not None:
                optimism.append(domain.over_optimism)
        domains.append(
            DomainLevelCounts(
                domain_id=domain_id,
                self_assessed=self_counts,
                inspected=inspected_counts,
                mean_self_score=_as_float(mean(self_scores)),
                mean_inspected_score=_as_float(mean(inspected_scores)),
                mean_over_optimism=mean(optimism),
            )
        )
    overall = mean(c.over_optimism for c in comparisons if c.over_optimism is not None)
    return NationalSummary(tuple(domains), len(comparisons), overall, _overall_counts(scale, comparisons))


def _overall_counts(scale: Scale, comparisons: Sequence[RoundComparison]) -> DomainLevelCounts:
    """How many boards sit at each overall level, on each side, and the mean overall difference."""
    self_counts = dict.fromkeys(scale.ids, 0)
    inspected_counts = dict.fromkeys(scale.ids, 0)
    for comparison in comparisons:
        if comparison.self_overall in self_counts:
            self_counts[comparison.self_overall] += 1
        if comparison.inspected_overall in inspected_counts:
            inspected_counts[comparison.inspected_overall] += 1
    return DomainLevelCounts(
        domain_id=FROM_OVERALL,
        self_assessed=self_counts,
        inspected=inspected_counts,
        mean_self_score=_as_float(mean(scale.score(c.self_overall) for c in comparisons if c.self_overall in self_counts)),
        mean_inspected_score=_as_float(mean(scale.score(c.inspected_overall) for c in comparisons if c.inspected_overall in inspected_counts)),
        mean_over_optimism=mean(c.overall_difference for c in comparisons if c.overall_difference is not None),
    )

