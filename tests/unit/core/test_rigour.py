"""Rigour checks: each flag, its threshold from the framework file, and the inspection check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from app.core.framework import load_framework
from app.core.rigour import (
    ABOVE_INSPECTION,
    AGREED_ABOVE_MEDIAN,
    AGREED_UNEVIDENCED,
    DISAGREEMENT,
    STATUTORY_MISSING,
    UNEVIDENCED,
    InspectionFinding,
    above_inspection,
    flags_by_benchmark,
    is_above_median,
    is_disagreement,
    levels_above_median,
    missing_statutory,
    needs_evidence,
    round_flags,
    unevidenced_count,
)
from app.core.scoring import middle_levels, spread_in_levels
from app.core.vocabulary import STATUTORY_AGENCY_IDS

REPO = Path(__file__).resolve().parents[3]
FRAMEWORK = load_framework(REPO / "sait_domains.yaml")


@dataclass(frozen=True)
class Figures:
    """Members' figures for one benchmark, as app.data.aggregation provides them."""

    distribution: dict[str, int]
    without_evidence: dict[str, int] = field(default_factory=dict)

    @property
    def middle(self):
        return middle_levels(FRAMEWORK.scale, self.distribution)

    @property
    def spread(self):
        return spread_in_levels(FRAMEWORK.scale, self.distribution)


def test_evidence_is_needed_at_and_above_the_evidence_level_from_the_file():
    assert FRAMEWORK.evidence_level == "good"
    assert [needs_evidence(FRAMEWORK, r) for r in ("inadequate", "requires_improvement", "good", "outstanding")] == [False, False, True, True]
    assert not needs_evidence(FRAMEWORK, "not_known") and not needs_evidence(FRAMEWORK, "not_applicable") and not needs_evidence(FRAMEWORK, None)


def test_unevidenced_counts_only_ratings_at_or_above_the_evidence_level():
    assert unevidenced_count(FRAMEWORK, {"good": 2, "outstanding": 1, "requires_improvement": 4, "not_known": 3}) == 3


def test_missing_statutory_partners_keep_the_statutory_order():
    assert missing_statutory(["police", "education", "local_authority"], STATUTORY_AGENCY_IDS) == (
        "health_board",
        "nhs_trust",
        "probation",
        "youth_offending",
    )


@pytest.mark.parametrize(("spread", "flagged"), [(None, False), (0, False), (1, False), (2, True), (3, True)])
def test_disagreement_threshold_comes_from_the_rules(spread, flagged):
    assert FRAMEWORK.rules.disagreement_spread == 2
    assert is_disagreement(FRAMEWORK.rules, spread) is flagged


@pytest.mark.parametrize(
    ("agreed", "middle", "difference", "flagged"),
    [
        ("outstanding", ("requires_improvement", "requires_improvement"), Fraction(2), True),
        ("good", ("requires_improvement", "requires_improvement"), Fraction(1), False),
        ("outstanding", ("requires_improvement", "good"), Fraction(3, 2), True),
        ("good", ("requires_improvement", "good"), Fraction(1, 2), False),
        ("inadequate", ("good", "good"), Fraction(-2), False),
        ("not_known", ("inadequate", "inadequate"), Fraction(0), False),
        ("not_applicable", ("inadequate", "inadequate"), None, False),
        ("good", None, None, False),
    ],
)
def test_agreed_rating_above_the_median_by_more_than_the_allowed_levels(agreed, middle, difference, flagged):
    assert FRAMEWORK.rules.moderation_above_median == 1
    assert levels_above_median(FRAMEWORK.scale, agreed, middle) == difference
    assert is_above_median(FRAMEWORK, agreed, middle) is flagged


def test_above_inspection_compares_with_the_latest_finding_for_the_benchmark():
    findings = [
        InspectionFinding("governance.3", "inadequate", date(2024, 5, 1)),
        InspectionFinding("governance.3", "requires_improvement", date(2025, 5, 1)),
    ]
    flagged = above_inspection(FRAMEWORK, {"governance.3": "good"}, findings, {})
    assert flagged == {"governance.3": findings[1]}
    # At the finding's level is not above it.
    assert above_inspection(FRAMEWORK, {"governance.3": "requires_improvement"}, findings, {}) == {}


def test_above_inspection_falls_back_to_the_domain_finding():
    findings = [InspectionFinding("outcomes", "requires_improvement", date(2025, 3, 10))]
    agreed = {"outcomes.1": "good", "outcomes.2": "requires_improvement", "strategy.1": "outstanding"}
    assert set(above_inspection(FRAMEWORK, agreed, findings, {})) == {"outcomes.1"}


def test_evidence_newer_than_the_inspection_clears_the_flag_but_older_evidence_does_not():
    findings = [InspectionFinding("outcomes", "requires_improvement", date(2025, 3, 10))]
    agreed = {"outcomes.1": "good"}
    assert above_inspection(FRAMEWORK, agreed, findings, {"outcomes.1": [date(2025, 3, 10), date(2024, 1, 1)]}) != {}
    assert above_inspection(FRAMEWORK, agreed, findings, {"outcomes.1": [date(2025, 3, 11)]}) == {}


def test_findings_off_the_scale_are_ignored():
    findings = [InspectionFinding("outcomes.1", "weak", date(2025, 3, 10))]
    assert above_inspection(FRAMEWORK, {"outcomes.1": "outstanding"}, findings, {}) == {}


def test_round_flags_lists_every_kind_in_reading_order():
    members = {
        "outcomes.1": Figures({"good": 2, "inadequate": 1}, without_evidence={"good": 2}),
        "outcomes.2": Figures({"requires_improvement": 3}),
        "strategy.1": Figures({"good": 3}),
    }
    flags = round_flags(
        FRAMEWORK,
        members=members,
        statutory_missing=["probation"],
        agreed={"outcomes.2": "outstanding", "strategy.1": "good"},
        cited={"strategy.1": [date(2024, 1, 1)]},
        findings=[InspectionFinding("strategy", "requires_improvement", date(2025, 1, 1))],
        agency_names={"probation": "Probation"},
    )
    assert [(f.kind, f.benchmark_id, f.message) for f in flags] == [
        (STATUTORY_MISSING, None, "No submitted response from Probation"),
        (UNEVIDENCED, "outcomes.1", "2 members rated it Good or above without evidence"),
        (DISAGREEMENT, "outcomes.1", "Members’ ratings are 2 levels apart, from Inadequate to Good"),
        (AGREED_UNEVIDENCED, "outcomes.2", "The agreed rating of Outstanding cites no evidence from the register"),
        (AGREED_ABOVE_MEDIAN, "outcomes.2", "The agreed rating of Outstanding is 2 levels above the members’ median (Requires improvement)"),
        (
            ABOVE_INSPECTION,
            "strategy.1",
            "The agreed rating of Good is above the inspection finding of Requires improvement (1 January 2025), "
            "and no cited evidence is newer than that inspection",
        ),
    ]
    assert list(flags_by_benchmark(flags)) == ["outcomes.1", "outcomes.2", "strategy.1"]


def test_a_median_between_levels_is_described_as_between():
    members = {"outcomes.1": Figures({"inadequate": 1, "requires_improvement": 1})}
    flags = round_flags(FRAMEWORK, members=members, statutory_missing=[], agreed={"outcomes.1": "outstanding"}, cited={"outcomes.1": [date(2026, 1, 1)]})
    assert [f.message for f in flags] == [
        "The agreed rating of Outstanding is 2.5 levels above the members’ median (between Inadequate and Requires improvement)"
    ]


def test_no_flags_for_a_well_evidenced_agreed_round():
    members = {b.id: Figures({"good": 4}) for b in FRAMEWORK.benchmarks}
    agreed = {b.id: "good" for b in FRAMEWORK.benchmarks}
    cited = {b.id: [date(2026, 1, 1)] for b in FRAMEWORK.benchmarks}
    assert round_flags(FRAMEWORK, members=members, statutory_missing=[], agreed=agreed, cited=cited) == []


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_every_kind_of_flag_has_a_name_and_an_explanation_in_each_language(lang):
    from app.core.rigour import flag_explanations, flag_names

    names, explanations = flag_names(lang), flag_explanations(lang)
    assert set(explanations) == set(names)
    assert all(text.strip() for text in explanations.values())
    assert len(set(explanations.values())) == len(explanations)
