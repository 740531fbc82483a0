"""Scoring a set of ratings against the framework's rules (pure: no Flask, no database).

The input is the framework a round was opened with and one rating per
benchmark (a level id, ``"not_known"``, ``"not_applicable"`` or ``None`` for
no rating yet). The output says, per benchmark, domain and overall, what the
score is, which judgement it gives, which limiting rules changed it and how
far it is from the round's target level. Every threshold, weight and level id
comes from ``framework`` (``sait_domains.yaml``); nothing is hard-coded here.

``docs/scoring.md`` explains the rules in plain English with a worked example
that ``tests/unit/test_scoring.py`` checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from app.core.framework import Benchmark, Domain, Framework, LimitRule, Scale

__all__ = [
    "NOT_APPLICABLE",
    "NOT_KNOWN",
    "AssessmentScore",
    "BenchmarkScore",
    "DomainScore",
    "LimitApplied",
    "effective_level",
    "level_rank",
    "level_at_or_below",
    "median_score",
    "middle_levels",
    "score_assessment",
    "score_benchmark",
    "score_domain",
    "spread_in_levels",
]

NOT_KNOWN = "not_known"
NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class BenchmarkScore:
    """One benchmark's rating, the score it counts as and its gap to the target.

    ``score`` is None when the benchmark is left out (not applicable or not
    rated yet). ``gap`` is how many levels it is below the target (0 when at
    or above it). ``is_gap`` is True when it is below target or "not known".
    """

    benchmark_id: str
    rating: str | None
    level: str | None
    score: int | None
    weight: float
    gap: int | None
    is_gap: bool

    @property
    def scored(self) -> bool:
        return self.score is not None


@dataclass(frozen=True)
class LimitApplied:
    """A limiting rule that lowered a judgement: which rule, from what, to what, and why."""

    rule: LimitRule
    from_level: str
    to_level: str
    because: tuple[str, ...]


@dataclass(frozen=True)
class DomainScore:
    """A domain's weighted mean score and judgement.

    ``mean`` and ``judgement`` are None when no benchmark in the domain can be
    scored (every one not applicable or not yet rated). ``banded`` is the
    judgement the mean alone gives; ``judgement`` is after limiting rules.
    """

    domain_id: str
    weight: float
    benchmarks: tuple[BenchmarkScore, ...]
    mean: float | None
    banded: str | None
    judgement: str | None
    limits_applied: tuple[LimitApplied, ...]
    gap: int | None

    @property
    def gaps(self) -> tuple[BenchmarkScore, ...]:
        """The benchmarks below target or "not known"."""
        return tuple(b for b in self.benchmarks if b.is_gap)

    @property
    def left_out(self) -> tuple[BenchmarkScore, ...]:
        """The benchmarks not counted: not applicable or not rated yet."""
        return tuple(b for b in self.benchmarks if not b.scored)

    @property
    def is_gap(self) -> bool:
        return bool(self.gap)


@dataclass(frozen=True)
class AssessmentScore:
    """Every domain's score and the overall judgement.

    The overall mean is the weighted mean (domain weights) of the scores of
    the domains' judgements, over the domains that have one.
    """

    target_level: str
    domains: tuple[DomainScore, ...]
    mean: float | None
    banded: str | None
    judgement: str | None
    limits_applied: tuple[LimitApplied, ...]
    gap: int | None

    def domain(self, domain_id: str) -> DomainScore:
        for domain in self.domains:
            if domain.domain_id == domain_id:
                return domain
        raise KeyError(f"no domain {domain_id!r}")

    def benchmark(self, benchmark_id: str) -> BenchmarkScore:
        for domain in self.domains:
            for benchmark in domain.benchmarks:
                if benchmark.benchmark_id == benchmark_id:
                    return benchmark
        raise KeyError(f"no benchmark {benchmark_id!r}")


def level_rank(scale: Scale, level_id: str) -> int:
    """The position of a level on the scale, 0 for the lowest."""
    return scale.ids.index(level_id)


def level_at_or_below(scale: Scale, level_id: str, ceiling: str) -> str:
    """``level_id``, or ``ceiling`` if that is lower."""
    return level_id if level_rank(scale, level_id) <= level_rank(scale, ceiling) else ceiling


def effective_level(scale: Scale, rating: str | None) -> str | None:
    """The level a rating counts as: itself, ``not_known``'s ``score_as``, or None if left out."""
    if rating is None or rating == NOT_APPLICABLE:
        return None
    if rating == NOT_KNOWN:
        return scale.not_known.score_as
    scale.level(rating)  # KeyError for a rating that is not on the scale
    return rating


def _gap(scale: Scale, level_id: str | None, target_level: str) -> int | None:
    if level_id is None:
        return None
    return max(0, level_rank(scale, target_level) - level_rank(scale, level_id))


def score_benchmark(framework: Framework, benchmark: Benchmark, rating: str | None, target_level: str) -> BenchmarkScore:
    """Score one benchmark's rating. ``KeyError`` if the rating is not on the scale."""
    scale = framework.scale
    level = effective_level(scale, rating)
    gap = _gap(scale, level, target_level)
    return BenchmarkScore(
        benchmark_id=benchmark.id,
        rating=rating,
        level=level,
        score=None if level is None else scale.score(level),
        weight=benchmark.weight,
        gap=gap,
        is_gap=rating == NOT_KNOWN or bool(gap),
    )


def _band(framework: Framework, mean: Fraction) -> str:
    # Exact arithmetic, so a mean of exactly 2.5 is never 2.4999... and banded one level low.
    for band in framework.rules.bands:
        if Fraction(band.min) <= mean < Fraction(band.max):
            return band.level
    return framework.rules.band_for(float(mean)).level


def _weighted_mean(pairs: list[tuple[int, float]]) -> Fraction | None:
    total_weight = sum(Fraction(weight) for _, weight in pairs)
    if not pairs or total_weight == 0:
        return None
    return sum(Fraction(score) * Fraction(weight) for score, weight in pairs) / total_weight


def score_domain(framework: Framework, domain: Domain, ratings: Mapping[str, str | None], target_level: str) -> DomainScore:
    """Score one domain: weighted mean of its benchmarks, band, then ``benchmark_caps_domain`` rules."""
    scale = framework.scale
    benchmarks = tuple(score_benchmark(framework, b, ratings.get(b.id), target_level) for b in domain.benchmarks)
    mean = _weighted_mean([(b.score, b.weight) for b in benchmarks if b.score is not None])
    if mean is None:
        return DomainScore(domain.id, domain.weight, benchmarks, None, None, None, (), None)
    banded = _band(framework, mean)
    judgement = banded
    applied: list[LimitApplied] = []
    for rule in framework.rules.limits:
        if rule.kind != "benchmark_caps_domain" or rule.when is None or rule.cap is None:
            continue
        # "Rated `when`" includes anything lower, so raising a rating can never
        # bring a cap into force.
        triggering = tuple(
            b.benchmark_id for b in benchmarks if b.level is not None and level_rank(scale, b.level) <= level_rank(scale, rule.when)
        )
        capped = level_at_or_below(scale, judgement, rule.cap)
        if triggering and capped != judgement:
            applied.append(LimitApplied(rule, judgement, capped, triggering))
            judgement = capped
    return DomainScore(
        domain_id=domain.id,
        weight=domain.weight,
        benchmarks=benchmarks,
        mean=float(mean),
        banded=banded,
        judgement=judgement,
        limits_applied=tuple(applied),
        gap=_gap(scale, judgement, target_level),
    )


def score_assessment(framework: Framework, ratings: Mapping[str, str | None], target_level: str | None = None) -> AssessmentScore:
    """Score a whole assessment: every domain, then the overall judgement.

    ``ratings`` maps benchmark ids to ratings; benchmarks missing from it count
    as not rated yet, and ids not in the framework are ignored. ``target_level``
    is the round's target (the framework's own when not given).
    """
    scale = framework.scale
    target = target_level or framework.target_level
    scale.level(target)
    domains = tuple(score_domain(framework, domain, ratings, target) for domain in framework.domains)
    judged = [d for d in domains if d.judgement is not None]
    mean = _weighted_mean([(scale.score(d.judgement), d.weight) for d in judged])  # type: ignore[arg-type]
    if mean is None:
        return AssessmentScore(target, domains, None, None, None, (), None)
    banded = _band(framework, mean)
    judgement = banded
    applied: list[LimitApplied] = []
    by_id = {d.domain_id: d for d in domains}
    for rule in framework.rules.limits:
        if rule.kind != "overall_within_domain" or rule.domain is None or rule.max_levels_above is None:
            continue
        anchor = by_id.get(rule.domain)
        if anchor is None or anchor.judgement is None:
            continue  # nothing to measure against: see docs/scoring.md
        ceiling_rank = min(len(scale.levels) - 1, level_rank(scale, anchor.judgement) + rule.max_levels_above)
        capped = level_at_or_below(scale, judgement, scale.ids[ceiling_rank])
        if capped != judgement:
            applied.append(LimitApplied(rule, judgement, capped, (rule.domain,)))
            judgement = capped
    return AssessmentScore(
        target_level=target,
        domains=domains,
        mean=float(mean),
        banded=banded,
        judgement=judgement,
        limits_applied=tuple(applied),
        gap=_gap(scale, judgement, target),
    )


def middle_levels(scale: Scale, counts: Mapping[str, int]) -> tuple[str, str] | None:
    """The two middle levels of a distribution of ratings (the same level twice for an odd count).

    ``counts`` maps rating ids to how many people chose them; ``not_known``,
    ``not_applicable`` and anything else off the scale are left out, so this is
    the median of level ratings only. None when nobody chose a level.
    """
    expanded = [(level_id, counts.get(level_id, 0)) for level_id in scale.ids]
    total = sum(n for _, n in expanded)
    if total == 0:
        return None
    lower_position, upper_position = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for level_id, n in expanded:
        if lower is None and lower_position < seen + n:
            lower = level_id
        if upper_position < seen + n:
            upper = level_id
            break
        seen += n
    assert lower is not None and upper is not None
    return lower, upper


def median_score(scale: Scale, middle: tuple[str, str] | None) -> float | None:
    """The median level score: the mean of the two middle levels' scores."""
    if middle is None:
        return None
    return (scale.score(middle[0]) + scale.score(middle[1])) / 2


def spread_in_levels(scale: Scale, counts: Mapping[str, int]) -> int | None:
    """How many levels apart the highest and lowest level ratings are; None when there are none."""
    ranks = [rank for rank, level_id in enumerate(scale.ids) if counts.get(level_id, 0) > 0]
    return ranks[-1] - ranks[0] if ranks else None
