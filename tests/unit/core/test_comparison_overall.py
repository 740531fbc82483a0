"""The overall judgements in the comparison: with an overall judgement alone, with domain judgements, or with both.

Uses the test framework (tests/fixtures/framework/valid_minimal.yaml). A board
that agreed every benchmark "good" has the overall judgement Good by the
scoring rules; one that agreed every benchmark "outstanding", Outstanding.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from app.core.comparison import FROM_BENCHMARKS, FROM_OVERALL, InspectorJudgements, compare_round, national_summary
from app.core.framework import load_framework
from app.core.scoring import score_assessment

FRAMEWORK = load_framework(Path(__file__).resolve().parents[2] / "fixtures" / "framework" / "valid_minimal.yaml")
RI = "requires_improvement"


def _agreed(level: str) -> dict[str, str]:
    return {b.id: level for b in FRAMEWORK.benchmarks}


def _compare(agreed: dict[str, str], inspection: InspectorJudgements):
    return compare_round(FRAMEWORK, members={}, agreed=agreed, inspection=inspection, target_level="good")


def test_the_boards_overall_judgement_is_the_scoring_rules_overall_judgement():
    agreed = _agreed("good")
    comparison = _compare(agreed, InspectorJudgements({}, {}, RI))
    expected = score_assessment(FRAMEWORK, agreed, "good").judgement
    assert expected == "good"
    assert (comparison.self_overall, comparison.agreed_overall, comparison.members_overall) == ("good", "good", None)


def test_an_overall_judgement_alone_gives_the_over_optimism():
    comparison = _compare(_agreed("good"), InspectorJudgements({}, {}, "inadequate"))
    assert comparison.inspected_overall == "inadequate"
    assert comparison.overall_difference == 2
    assert comparison.overall_is_above
    assert not comparison.has_domain_judgements
    assert (comparison.over_optimism, comparison.optimism_basis) == (Fraction(2), FROM_OVERALL)
    # Nothing is invented per domain or benchmark.
    assert all(d.inspected is None and d.over_optimism is None for d in comparison.domains)
    assert comparison.compared == 0


def test_a_board_harder_on_itself_than_the_inspectors_overall_is_negative():
    comparison = _compare(_agreed(RI), InspectorJudgements({}, {}, "good"))
    assert comparison.overall_difference == -1
    assert not comparison.overall_is_above
    assert comparison.over_optimism == Fraction(-1)


def test_with_domain_judgements_the_over_optimism_stays_over_the_benchmarks():
    domains = {d.id: RI for d in FRAMEWORK.domains}
    comparison = _compare(_agreed("good"), InspectorJudgements(domains, {}, "inadequate"))
    assert comparison.has_domain_judgements
    assert (comparison.over_optimism, comparison.optimism_basis) == (Fraction(1), FROM_BENCHMARKS)
    assert comparison.overall_difference == 2  # shown beside it, not mixed in


def test_domain_judgements_without_an_overall_judgement_still_compare():
    comparison = _compare(_agreed("good"), InspectorJudgements({"outcomes": RI}, {}))
    assert comparison.inspected_overall is None and comparison.overall_difference is None
    assert comparison.optimism_basis == FROM_BENCHMARKS
    assert comparison.over_optimism == Fraction(1)


def test_nothing_to_compare_gives_no_over_optimism_and_no_basis():
    nothing_rated = _compare({}, InspectorJudgements({}, {}, "good"))
    assert (nothing_rated.self_overall, nothing_rated.over_optimism, nothing_rated.optimism_basis) == (None, None, None)
    assert nothing_rated.inspected_overall == "good"
    no_inspection = _compare(_agreed("good"), InspectorJudgements({}, {}))
    assert (no_inspection.over_optimism, no_inspection.optimism_basis) == (None, None)


def test_an_overall_level_off_the_scale_is_ignored():
    comparison = _compare(_agreed("good"), InspectorJudgements({}, {}, "excellent"))
    assert comparison.inspected_overall is None
    assert comparison.over_optimism is None


def test_the_national_summary_counts_overall_judgements_on_each_side():
    comparisons = [
        _compare(_agreed("good"), InspectorJudgements({}, {}, RI)),  # +1, from the overall judgements
        _compare(_agreed("outstanding"), InspectorJudgements({}, {}, "inadequate")),  # +3
        _compare(_agreed("good"), InspectorJudgements({"outcomes": "good"}, {})),  # no overall judgement from the inspectors
    ]
    summary = national_summary(FRAMEWORK.scale, [d.id for d in FRAMEWORK.domains], comparisons)
    overall = summary.overall
    assert overall is not None and overall.domain_id == FROM_OVERALL
    assert dict(overall.self_assessed) == {"inadequate": 0, RI: 0, "good": 2, "outstanding": 1}
    assert dict(overall.inspected) == {"inadequate": 1, RI: 1, "good": 0, "outstanding": 0}
    assert overall.mean_over_optimism == Fraction(2)  # (1 + 3) / 2: the third board has no overall difference
    # The boards' own over-optimism, whatever its basis: (1 + 3 + 0) / 3.
    assert summary.mean_over_optimism == Fraction(4, 3)
