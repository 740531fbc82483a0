"""Self-assessment against inspection: a small worked case, checked by hand, and the national summary.

The worked case uses the test framework (six benchmarks a domain; benchmark 1
of each domain weighs 2). Positions on the scale: inadequate 0, requires
improvement 1, good 2, outstanding 3.

Outcomes: inspectors judged the domain requires improvement and outcomes.2
inadequate.

| benchmark | agreed | members' median | self | inspection | difference |
|---|---|---|---|---|---|
| outcomes.1 | good | good | 2 | RI (domain) 1 | +1 |
| outcomes.2 | good | RI-good | 2 | inadequate 0 | +2 |
| outcomes.3 | RI | RI | 1 | RI (domain) 1 | 0 |
| outcomes.4 | not known | inadequate | – | RI (domain) | not compared |
| outcomes.5 | not applicable | none | – | RI (domain) | not compared |
| outcomes.6 | none | good-outstanding | 2.5 | RI (domain) 1 | +1.5 |

Over-optimism (outcomes) = (1 + 2 + 0 + 1.5) / 4 = 9/8, shown as +1.13.
Self-assessed judgement: scores 3×2, 3, 2, 1 (not known), 3 (outcomes.6 from
the median rounded down) over weight 6 = 15/6 = 2.5, Good by the bands, but
the not known (scored inadequate) caps it at requires improvement: the same
as the inspectors', so the domain's difference is 0.

Strategy: inspectors judged the domain inadequate only; agreed ratings
outstanding (weight 2), good ×4, requires improvement. Differences against
inadequate: 3, 2, 2, 2, 2, 1 → over-optimism 12/6 = +2. Self-assessed
judgement (8 + 12 + 2) / 7 = 22/7 = 3.14, Good: two levels above Inadequate.

Governance: inspectors judged the domain good and governance.1 outstanding.
Agreed governance.1 good (−1 against outstanding); governance.2 has only a
members' median of requires improvement (−1 against the domain's good).
Over-optimism −1: the board was harder on itself.

Overall over-optimism: (4.5 + 12 − 2) / 12 = 29/24, shown as +1.21.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pytest

from app.core.comparison import (
    AGREED,
    MEDIAN,
    InspectorJudgements,
    compare_round,
    format_levels,
    mean,
    national_summary,
)
from app.core.framework import load_framework

FRAMEWORK = load_framework(Path(__file__).resolve().parents[2] / "fixtures" / "framework" / "valid_minimal.yaml")
RI = "requires_improvement"


@dataclass(frozen=True)
class Median:
    """Members' figures for one benchmark, as app.data.aggregation.BenchmarkAgreement gives them."""

    middle: tuple[str, str] | None
    provisional: str | None = None

    def provisional_rating(self) -> str | None:
        if self.provisional is not None:
            return self.provisional
        return None if self.middle is None else self.middle[0]


MEMBERS = {
    "outcomes.1": Median(("good", "good")),
    "outcomes.2": Median((RI, "good")),
    "outcomes.3": Median((RI, RI)),
    "outcomes.4": Median(("inadequate", "inadequate")),
    "outcomes.5": Median(None, "not_applicable"),
    "outcomes.6": Median(("good", "outstanding")),
    "governance.2": Median((RI, RI)),
}
AGREED_RATINGS = {
    "outcomes.1": "good",
    "outcomes.2": "good",
    "outcomes.3": RI,
    "outcomes.4": "not_known",
    "outcomes.5": "not_applicable",
    "strategy.1": "outstanding",
    "strategy.2": "good",
    "strategy.3": "good",
    "strategy.4": "good",
    "strategy.5": "good",
    "strategy.6": RI,
    "governance.1": "good",
}
INSPECTION = InspectorJudgements(
    domains={"outcomes": RI, "strategy": "inadequate", "governance": "good"},
    benchmarks={"outcomes.2": "inadequate", "governance.1": "outstanding"},
)


@pytest.fixture(scope="module")
def worked():
    return compare_round(FRAMEWORK, members=MEMBERS, agreed=AGREED_RATINGS, inspection=INSPECTION, target_level="good")


def test_each_outcomes_benchmark_is_compared_with_its_own_judgement_or_the_domains(worked):
    rows = {b.benchmark_id: b for b in worked.domain("outcomes").benchmarks}
    assert [rows[f"outcomes.{n}"].difference for n in range(1, 7)] == [1, 2, 0, None, None, Fraction(3, 2)]
    assert [rows[f"outcomes.{n}"].inspected for n in range(1, 7)] == [RI, "inadequate", RI, RI, RI, RI]
    assert [rows[f"outcomes.{n}"].inspected_from_domain for n in range(1, 7)] == [True, False, True, True, True, True]
    assert [rows[f"outcomes.{n}"].self_source for n in range(1, 7)] == [AGREED, AGREED, AGREED, AGREED, AGREED, MEDIAN]
    assert rows["outcomes.6"].self_position == Fraction(5, 2)
    assert [rows[f"outcomes.{n}"].is_above for n in range(1, 7)] == [True, True, False, False, False, True]


def test_outcomes_over_optimism_and_judgements(worked):
    outcomes = worked.domain("outcomes")
    assert outcomes.over_optimism == Fraction(9, 8)
    assert format_levels(outcomes.over_optimism) == "+1.13"
    assert outcomes.compared == 4
    # 15/6 = 2.5 is Good by the bands; the not known caps it at requires improvement.
    assert outcomes.self_judgement == RI
    assert outcomes.agreed_judgement == RI
    assert outcomes.members_judgement == RI
    assert outcomes.inspected == RI
    assert outcomes.difference == 0 and not outcomes.is_above


def test_strategy_is_two_levels_above_an_inadequate_inspection(worked):
    strategy = worked.domain("strategy")
    assert [b.difference for b in strategy.benchmarks] == [3, 2, 2, 2, 2, 1]
    assert strategy.over_optimism == 2
    assert strategy.self_judgement == "good" and strategy.agreed_judgement == "good"
    assert strategy.members_judgement is None  # no member answered these benchmarks
    assert strategy.difference == 2 and strategy.is_above
    assert len(strategy.above_inspection) == 6


def test_governance_shows_a_board_harder_on_itself(worked):
    governance = worked.domain("governance")
    assert [b.difference for b in governance.benchmarks] == [-1, -1, None, None, None, None]
    assert governance.benchmarks[0].inspected_from_domain is False
    assert governance.benchmarks[1].self_source == MEDIAN
    assert governance.over_optimism == -1
    assert format_levels(governance.over_optimism) == "\u22121"
    # Self-ratings: good (weight 2) and requires improvement: 8/3, Good. Agreed alone: Good; members alone: RI.
    assert (governance.self_judgement, governance.agreed_judgement, governance.members_judgement) == ("good", "good", RI)
    assert governance.difference == 0


def test_domains_with_nothing_rated_are_not_compared(worked):
    for domain_id in ("capacity", "outputs"):
        domain = worked.domain(domain_id)
        assert domain.over_optimism is None and domain.compared == 0 and domain.difference is None
        assert domain.self_judgement is None and domain.inspected is None


def test_overall_over_optimism_pools_every_compared_benchmark(worked):
    assert worked.compared == 12
    assert worked.over_optimism == Fraction(29, 24)
    assert format_levels(worked.over_optimism) == "+1.21"
    assert [b.benchmark_id for b in worked.above_inspection] == [
        "outcomes.1",
        "outcomes.2",
        "outcomes.6",
        *(f"strategy.{n}" for n in range(1, 7)),
    ]


def test_levels_off_the_scale_and_unknown_ids_are_ignored():
    comparison = compare_round(
        FRAMEWORK,
        members={},
        agreed={"outcomes.1": "good", "nonsense.9": "good"},
        inspection=InspectorJudgements({"outcomes": "excellent", "nowhere": "good"}, {"outcomes.1": "superb"}),
    )
    first = comparison.benchmark("outcomes.1")
    assert first.inspected is None and first.difference is None
    assert comparison.over_optimism is None


def test_with_no_agreed_ratings_the_members_medians_are_the_self_rating():
    comparison = compare_round(
        FRAMEWORK,
        members={"capacity.2": Median(("good", "good")), "capacity.3": Median((RI, "good"))},
        agreed={},
        inspection=InspectorJudgements({"capacity": RI}, {}),
    )
    capacity = comparison.domain("capacity")
    assert [b.difference for b in capacity.benchmarks[1:3]] == [1, Fraction(1, 2)]
    assert capacity.over_optimism == Fraction(3, 4)
    assert capacity.self_judgement == capacity.members_judgement


@pytest.mark.parametrize(
    ("value", "page", "plain"),
    [
        (None, "", ""),
        (0, "0", "0"),
        (Fraction(1, 300), "0", "0"),
        (1, "+1", "+1"),
        (Fraction(-1, 2), "\u22120.5", "-0.5"),
        (Fraction(9, 8), "+1.13", "+1.13"),
        (Fraction(-9, 8), "\u22121.13", "-1.13"),
        (Fraction(2, 3), "+0.67", "+0.67"),
    ],
)
def test_format_levels(value, page, plain):
    assert format_levels(value) == page
    assert format_levels(value, plain=True) == plain


def test_mean_is_exact_and_none_when_empty():
    assert mean([]) is None
    assert mean([1, Fraction(1, 2), 0]) == Fraction(1, 2)


def test_national_summary_counts_boards_at_each_level_and_averages(worked):
    second = compare_round(
        FRAMEWORK,
        members={},
        agreed={f"strategy.{n}": "good" for n in range(1, 7)},
        inspection=InspectorJudgements({"strategy": "good", "outcomes": "inadequate"}, {}),
    )
    summary = national_summary(FRAMEWORK.scale, [d.id for d in FRAMEWORK.domains], [worked, second])
    assert summary.boards == 2
    strategy = summary.domain("strategy")
    assert strategy.self_assessed == {"inadequate": 0, RI: 0, "good": 2, "outstanding": 0}
    assert strategy.inspected == {"inadequate": 1, RI: 0, "good": 1, "outstanding": 0}
    assert strategy.mean_self_score == 3.0 and strategy.mean_inspected_score == 2.0
    # Board one: +2; board two: 0.
    assert strategy.mean_over_optimism == 1
    outcomes = summary.domain("outcomes")
    # Board two has no self-assessed outcomes judgement, so it is counted on the inspected side only.
    assert sum(outcomes.self_assessed.values()) == 1 and sum(outcomes.inspected.values()) == 2
    assert outcomes.mean_over_optimism == Fraction(9, 8)
    # Each board counts once: (29/24 + 0) / 2.
    assert summary.mean_over_optimism == Fraction(29, 48)
