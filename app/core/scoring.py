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

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from fractions import Fraction

from app.core.framework import Benchmark, Domain, Floor, Framework, LimitRule, Scale

__all__ = [
    "NOT_APPLICABLE",
    "NOT_KNOWN",
    "AssessmentScore",
    "BenchmarkScore",
    "DomainScore",
    "FloorApplied",
    "LimitApplied",
    "domains_below_target",
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
    #: True when the rating is at or above the evidence level with no evidence that bears
    #: on it and ``unevidenced_counts_lower`` holds: ``level`` is then one level below the rating.
    lowered_for_evidence: bool = False

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
class FloorApplied:
    """A floor that failed and dropped a domain one level: which floor, from what, to what, and why.

    ``failed`` names the tests that failed ("none_below", "share_above",
    "key_at_least"); ``because`` the benchmarks that made them fail.
    """

    floor: Floor
    from_level: str
    to_level: str
    failed: tuple[str, ...]
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
    floors_applied: tuple[FloorApplied, ...] = ()
    #: More than ``max_not_applicable_share`` of the benchmarks are not applicable:
    #: no judgement, and the domain is left out of the overall judgement.
    not_enough_to_judge: bool = False

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


def score_benchmark(
    framework: Framework, benchmark: Benchmark, rating: str | None, target_level: str, unevidenced: bool = False
) -> BenchmarkScore:
    """Score one benchmark's rating. ``KeyError`` if the rating is not on the scale.

    ``unevidenced``: the rating has no evidence that bears on it; under
    ``unevidenced_counts_lower`` a level at or above the evidence level then counts one lower.
    """
    scale = framework.scale
    level = effective_level(scale, rating)
    lowered = (
        unevidenced
        and framework.rules.unevidenced_counts_lower
        and level is not None
        and rating not in (NOT_KNOWN, NOT_APPLICABLE)
        and level_rank(scale, level) >= level_rank(scale, framework.evidence_level)
        and level_rank(scale, level) > 0
    )
    if lowered:
        assert level is not None
        level = scale.ids[level_rank(scale, level) - 1]
    gap = _gap(scale, level, target_level)
    return BenchmarkScore(
        benchmark_id=benchmark.id,
        rating=rating,
        level=level,
        score=None if level is None else scale.score(level),
        weight=benchmark.weight,
        gap=gap,
        is_gap=rating == NOT_KNOWN or bool(gap),
        lowered_for_evidence=lowered,
    )


def _band(framework: Framework, mean: Fraction) -> str:
    # Exact arithmetic, so a mean of exactly 2.5 is never 2.4999... and banded one level low.
    bands = framework.rules.bands
    if framework.rules.ties == "lower":
        # A mean exactly on a boundary takes the band below it (the lowest band keeps its min).
        for n, band in enumerate(bands):
            if (Fraction(band.min) < mean or (n == 0 and Fraction(band.min) == mean)) and mean <= Fraction(band.max):
                return band.level
    for band in bands:
        if Fraction(band.min) <= mean < Fraction(band.max):
            return band.level
    return framework.rules.band_for(float(mean)).level


def _floor_failures(scale: Scale, floor: Floor, benchmarks: tuple[BenchmarkScore, ...], key_ids: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Which of ``floor``'s tests fail for these benchmarks, and the benchmarks that make them fail."""
    scored = [b for b in benchmarks if b.level is not None]
    failed: list[str] = []
    because: list[str] = []

    def below(level_id: str, among: list[BenchmarkScore]) -> list[str]:
        return [b.benchmark_id for b in among if b.level is not None and level_rank(scale, b.level) < level_rank(scale, level_id)]

    if floor.none_below is not None and (ids := below(floor.none_below, scored)):
        failed.append("none_below")
        because.extend(ids)
    if floor.share_above is not None and scored:
        ids = below(floor.level, scored)
        if Fraction(len(scored) - len(ids), len(scored)) <= Fraction(floor.share_above):
            failed.append("share_above")
            because.extend(i for i in ids if i not in because)
    if floor.key_at_least is not None and (ids := below(floor.key_at_least, [b for b in scored if b.benchmark_id in key_ids])):
        failed.append("key_at_least")
        because.extend(i for i in ids if i not in because)
    return tuple(failed), tuple(because)


def _weighted_mean(pairs: list[tuple[int, float]]) -> Fraction | None:
    total_weight = sum(Fraction(weight) for _, weight in pairs)
    if not pairs or total_weight == 0:
        return None
    return sum(Fraction(score) * Fraction(weight) for score, weight in pairs) / total_weight


def score_domain(
    framework: Framework, domain: Domain, ratings: Mapping[str, str | None], target_level: str, unevidenced: Collection[str] = ()
) -> DomainScore:
    """Score one domain: weighted mean of its benchmarks, band, ``benchmark_caps_domain`` rules, then floors.

    A domain with more than ``max_not_applicable_share`` of its benchmarks not
    applicable is "not enough to judge" (no judgement). Each floor at or below
    the judgement is checked; while one fails the domain drops a level and is
    checked again, so the result is the highest level whose floors all hold.
    """
    scale = framework.scale
    benchmarks = tuple(score_benchmark(framework, b, ratings.get(b.id), target_level, b.id in unevidenced) for b in domain.benchmarks)
    share = framework.rules.max_not_applicable_share
    if share is not None and domain.benchmarks:
        not_applicable = sum(1 for b in benchmarks if b.rating == NOT_APPLICABLE)
        if Fraction(not_applicable, len(benchmarks)) > Fraction(share):
            return DomainScore(domain.id, domain.weight, benchmarks, None, None, None, (), None, not_enough_to_judge=True)
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
    floors_applied: list[FloorApplied] = []
    key_ids = frozenset(b.id for b in domain.benchmarks if b.key)
    # Highest floor first, so each drop names the floor of the level it leaves.
    floors = sorted(framework.rules.floors, key=lambda f: level_rank(scale, f.level), reverse=True)
    while level_rank(scale, judgement) > 0:
        failing = [
            (floor, *_floor_failures(scale, floor, benchmarks, key_ids))
            for floor in floors
            if level_rank(scale, floor.level) <= level_rank(scale, judgement)
        ]
        failing = [f for f in failing if f[1]]
        if not failing:
            break
        floor, failed, because = failing[0]
        lower = scale.ids[level_rank(scale, judgement) - 1]
        floors_applied.append(FloorApplied(floor, judgement, lower, failed, because))
        judgement = lower
    return DomainScore(
        domain_id=domain.id,
        weight=domain.weight,
        benchmarks=benchmarks,
        mean=float(mean),
        banded=banded,
        judgement=judgement,
        limits_applied=tuple(applied),
        gap=_gap(scale, judgement, target_level),
        floors_applied=tuple(floors_applied),
    )


def score_assessment(
    framework: Framework, ratings: Mapping[str, str | None], target_level: str | None = None, unevidenced: Collection[str] = ()
) -> AssessmentScore:
    """Score a whole assessment: every domain, then the overall judgement.

    ``ratings`` maps benchmark ids to ratings; benchmarks missing from it count
    as not rated yet, and ids not in the framework are ignored. ``target_level``
    is the round's target (the framework's own when not given). ``unevidenced``
    lists the benchmarks whose rating has no evidence that bears on it; pass it
    for a provisional judgement only (see ``unevidenced_counts_lower``).
    """
    scale = framework.scale
    target = target_level or framework.target_level
    scale.level(target)
    domains = tuple(score_domain(framework, domain, ratings, target, unevidenced) for domain in framework.domains)
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
    for rule in framework.rules.limits:
        if rule.kind != "domain_caps_overall" or rule.domain is None or rule.below is None or rule.cap is None:
            continue
        anchor = by_id.get(rule.domain)
        if anchor is None:
            continue
        # "Not enough to judge" cannot show the domain is at ``below``, so the cap holds.
        if anchor.judgement is None and not anchor.not_enough_to_judge:
            continue
        if anchor.judgement is not None and level_rank(scale, anchor.judgement) >= level_rank(scale, rule.below):
            continue
        capped = level_at_or_below(scale, judgement, rule.cap)
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


def domains_below_target(score: AssessmentScore) -> tuple[DomainScore, ...]:
    """The domains judged below the round's target, in framework order (for plain headlines)."""
    return tuple(d for d in score.domains if d.is_gap)


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
