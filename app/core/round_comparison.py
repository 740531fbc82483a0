"""One round compared with the board's previous round, by stable ids, even across framework versions.

The two rounds may be pinned to different framework versions (a round keeps the
file it was opened with). Benchmarks and domains are matched by id
(:mod:`app.core.framework_diff`): one in both rounds gets a change figure
(up, down, same, or none when either side has no level to compare); one only
in the later version is new there, with no figure; one only in the earlier
version is retired, listed with its last rating rather than dropped. The
caller says whether the versions differ (a note the report shows).

Pure: scores and frameworks in, plain :class:`~app.core.report_content.Change`
rows out.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.framework import Framework
from app.core.framework_diff import compare_frameworks
from app.core.report_content import Change, rating_label
from app.core.scoring import AssessmentScore

__all__ = ["RoundChanges", "compare_rounds"]


@dataclass(frozen=True)
class RoundChanges:
    """The change rows of a comparison: domains in both versions, benchmarks now, and benchmarks retired."""

    domains: tuple[Change, ...]
    benchmarks: tuple[Change, ...]  # every benchmark of the later round, in its file order
    retired: tuple[Change, ...]  # benchmarks of the earlier round its framework no longer has
    version_before: str
    version_after: str


def compare_rounds(before_framework: Framework, before: AssessmentScore, framework: Framework, now: AssessmentScore, lang: str) -> RoundChanges:
    """Compare the scores of an earlier round (``before``) and a later one (``now``), each on its own framework."""
    diff = compare_frameworks(before_framework, framework)
    retired_ids = set(diff.benchmarks_retired)
    before_benchmarks = {b.id for b in before_framework.benchmarks}
    before_domains = {d.id for d in before_framework.domains}

    def change(item_id: str, title: str, old: str | None, new: str | None, in_both: bool) -> Change:
        old_score = _level_score(before_framework, old)
        new_score = _level_score(framework, new)
        if not in_both:
            direction = "new"
        elif old_score is None or new_score is None:
            direction = "none"
        else:
            direction = "up" if new_score > old_score else "down" if new_score < old_score else "same"
        return Change(item_id, title, rating_label(before_framework, old, lang), rating_label(framework, new, lang), direction)

    benchmarks = tuple(
        change(
            item.benchmark_id,
            framework.benchmark(item.benchmark_id).title.get(lang),
            before.benchmark(item.benchmark_id).rating if item.benchmark_id in before_benchmarks else None,
            item.rating,
            item.benchmark_id in before_benchmarks,
        )
        for domain in now.domains
        for item in domain.benchmarks
    )
    # Only domains both versions have are compared (the five SAIT domains always are).
    domains = tuple(
        change(d.domain_id, framework.domain(d.domain_id).title.get(lang), before.domain(d.domain_id).judgement, d.judgement, True)
        for d in now.domains
        if d.domain_id in before_domains
    )
    retired = tuple(
        Change(
            item.benchmark_id,
            before_framework.benchmark(item.benchmark_id).title.get(lang),
            rating_label(before_framework, item.rating, lang),
            None,
            "retired",
        )
        for domain in before.domains
        for item in domain.benchmarks
        if item.benchmark_id in retired_ids
    )
    return RoundChanges(domains, benchmarks, retired, before_framework.version, framework.version)


def _level_score(framework: Framework, rating: str | None) -> int | None:
    if rating is None or rating not in framework.scale.ids:
        return None
    return framework.scale.score(rating)
