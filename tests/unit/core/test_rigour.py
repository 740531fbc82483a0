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
FRAMEWORK_2026_1 = load_framework(REPO / "frameworks/sait_domains-2026.1.yaml")


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
    ("agreed", "middle", "difference", "flagged", "flagged_2026_1"),
    [
        ("outstanding", ("requires_improvement", "requires_improvement"), Fraction(2), True, True),
        ("good", ("requires_improvement", "requires_improvement"), Fraction(1), True, False),
        ("outstanding", ("requires_improvement", "good"), Fraction(3, 2), True, True),
        ("good", ("requires_improvement", "good"), Fraction(1, 2), False, False),
        ("inadequate", ("good", "good"), Fraction(-2), False, False),
        ("not_known", ("inadequate", "inadequate"), Fraction(0), False, False),
        ("not_applicable", ("inadequate", "inadequate"), None, False, False),
        ("good", None, None, False, False),
    ],
)
def test_agreed_rating_above_the_median_from_one_level_in_2026_2_and_by_more_than_one_in_2026_1(agreed, middle, difference, flagged, flagged_2026_1):
    assert FRAMEWORK.rules.agreed_above_median_from == 1
    assert FRAMEWORK_2026_1.rules.moderation_above_median == 1
    assert levels_above_median(FRAMEWORK.scale, agreed, middle) == difference
    assert is_above_median(FRAMEWORK, agreed, middle) is flagged
    assert is_above_median(FRAMEWORK_2026_1, agreed, middle) is flagged_2026_1


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
            SINGLE_AGENCY,
            "outcomes.2",
            "The agreed rating of Outstanding on a benchmark about agencies working together cites evidence from fewer than two agencies; "
            "it expects evidence from local_authority, health_board, police, education, and youth_offending too",
        ),
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


# --- 2026.2 flags: evidence about the benchmark, its age, its agencies, reuse and actions ---

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from app.core.rigour import (  # noqa: E402
    ACTIONS_AT_RISK,
    REUSED_EVIDENCE,
    SINGLE_AGENCY,
    STALE_EVIDENCE,
    CitedItem,
    months_before,
    says_something,
)

RATIONALE = "The audit of case files in March found plans reviewed on time in nine cases out of ten"


def kinds(flags, benchmark_id=None):
    return [f.kind for f in flags if benchmark_id is None or f.benchmark_id == benchmark_id]


def test_an_item_tagged_with_another_benchmark_does_not_count_but_its_domain_or_no_tag_does():
    other = CitedItem(date(2026, 1, 1), "police", frozenset({"strategy.1"}))
    assert kinds(round_flags(FRAMEWORK, members={}, statutory_missing=[], agreed={"outcomes.4": "good"}, cited_items={"outcomes.4": [other]})) == [
        AGREED_UNEVIDENCED
    ]
    for item in (CitedItem(date(2026, 1, 1), "police", frozenset({"outcomes"})), CitedItem(date(2026, 1, 1), "police")):
        assert round_flags(FRAMEWORK, members={}, statutory_missing=[], agreed={"outcomes.4": "good"}, cited_items={"outcomes.4": [item]}) == []


def test_stale_evidence_is_older_than_the_files_months_before_the_round_opened_by_period_end_else_date():
    assert FRAMEWORK.rules.evidence_stale_months == 24
    opened = date(2026, 4, 1)
    assert months_before(opened, 24) == date(2024, 4, 1)
    old = CitedItem(date(2026, 1, 1), "police", period_end=date(2024, 3, 31))  # dated recently, but covers an old period
    recent = CitedItem(date(2024, 4, 1), "police")

    def flags(items, framework=FRAMEWORK):
        return kinds(
            round_flags(framework, members={}, statutory_missing=[], agreed={"outcomes.4": "good"}, cited_items={"outcomes.4": items}, opened_on=opened)
        )

    assert flags([old]) == [STALE_EVIDENCE]
    assert flags([old, recent]) == []
    assert flags([old], FRAMEWORK_2026_1) == []  # no threshold in 2026.1
    message = round_flags(FRAMEWORK, members={}, statutory_missing=[], agreed={"outcomes.4": "good"}, cited_items={"outcomes.4": [old]}, opened_on=opened)[
        0
    ].message
    assert message == "The newest evidence behind the agreed rating covers up to 31 March 2024, more than 24 months before the round opened"


def test_single_agency_only_on_multi_agency_benchmarks_and_a_second_agency_answers_it():
    police = [CitedItem(date(2026, 1, 1), "police"), CitedItem(date(2026, 2, 1), "police")]

    def flags(benchmark_id, items):
        return kinds(round_flags(FRAMEWORK, members={}, statutory_missing=[], agreed={benchmark_id: "good"}, cited_items={benchmark_id: items}))

    assert FRAMEWORK.benchmark("outcomes.1").expects_several_agencies and not FRAMEWORK.benchmark("outcomes.4").expects_several_agencies
    assert flags("outcomes.1", police) == [SINGLE_AGENCY]
    assert (
        kinds(round_flags(FRAMEWORK, members={}, statutory_missing=[], agreed={"outcomes.1": "requires_improvement"}, cited_items={"outcomes.1": police})) == []
    )
    assert flags("outcomes.4", police) == []
    assert flags("outcomes.1", [*police, CitedItem(date(2026, 1, 1), "health_board")]) == []


def test_the_same_evidence_text_in_enough_answers_is_flagged_on_each_benchmark_it_is_given_for():
    assert FRAMEWORK.rules.evidence_reused_in == 3
    answers = {"outcomes.1": ["See the annual report."], "outcomes.2": ["see the  ANNUAL report"], "strategy.1": ["See the annual report!", "Audit 2025"]}
    flags = round_flags(FRAMEWORK, members={}, statutory_missing=[], answer_evidence=answers)
    assert [(f.kind, f.benchmark_id) for f in flags] == [(REUSED_EVIDENCE, "outcomes.1"), (REUSED_EVIDENCE, "outcomes.2"), (REUSED_EVIDENCE, "strategy.1")]
    assert flags[0].message == "The same evidence text is given in 3 answers across the round"
    del answers["strategy.1"]
    assert round_flags(FRAMEWORK, members={}, statutory_missing=[], answer_evidence=answers) == []
    assert round_flags(FRAMEWORK_2026_1, members={}, statutory_missing=[], answer_evidence={**answers, "strategy.1": ["see the annual report"]}) == []


def test_above_the_median_in_2026_2_is_answered_only_by_a_rationale_that_says_something_and_evidence_about_it():
    members = {"outcomes.4": Figures({"requires_improvement": 3})}
    about = [CitedItem(date(2026, 1, 1), "police", frozenset({"outcomes.4"}))]
    elsewhere = [CitedItem(date(2026, 1, 1), "police", frozenset({"strategy.1"}))]

    def flags(items, rationale, framework=FRAMEWORK):
        found = round_flags(
            framework,
            members=members,
            statutory_missing=[],
            agreed={"outcomes.4": "good"},
            cited_items={"outcomes.4": items},
            rationales={"outcomes.4": rationale},
        )
        return AGREED_ABOVE_MEDIAN in kinds(found)

    assert not flags(about, RATIONALE)
    assert flags(elsewhere, RATIONALE)
    for stock in ("", "   ", "As discussed.", "Agreed by the board", "see evidence", "N/A"):
        assert not says_something(stock)
        assert flags(about, stock)
    # 2026.1: one level above is not flagged at all.
    assert not flags([], "", FRAMEWORK_2026_1)


def test_above_inspection_needs_evidence_about_it_dated_after_the_inspection_and_no_later_than_moderation():
    findings = [InspectionFinding("outcomes.4", "requires_improvement", date(2025, 1, 1))]

    def flagged(item, moderated=date(2026, 3, 1)):
        found = round_flags(
            FRAMEWORK,
            members={},
            statutory_missing=[],
            agreed={"outcomes.4": "good"},
            cited_items={"outcomes.4": [item]},
            findings=findings,
            moderated_on={"outcomes.4": moderated},
        )
        return ABOVE_INSPECTION in kinds(found)

    assert not flagged(CitedItem(date(2025, 6, 1), "police", frozenset({"outcomes.4"})))
    assert flagged(CitedItem(date(2025, 6, 1), "police", frozenset({"strategy.1"})))  # about something else
    assert flagged(CitedItem(date(2024, 6, 1), "police", frozenset({"outcomes.4"})))  # before the inspection
    assert flagged(CitedItem(date(2026, 6, 1), "police", frozenset({"outcomes.4"})))  # after moderation


def test_good_or_better_with_its_own_actions_at_risk_or_overdue():
    def flags(rating, at_risk):
        return kinds(
            round_flags(
                FRAMEWORK, members={}, statutory_missing=[], agreed={"outcomes.4": rating}, cited={"outcomes.4": [date(2026, 1, 1)]}, actions_at_risk=at_risk
            )
        )

    assert flags("good", {"outcomes.4": 2}) == [ACTIONS_AT_RISK]
    assert flags("outstanding", {"outcomes.4": 1}) == [ACTIONS_AT_RISK]
    assert flags("requires_improvement", {"outcomes.4": 2}) == []
    assert flags("good", {"outcomes.5": 2}) == []
    found = round_flags(
        FRAMEWORK, members={}, statutory_missing=[], agreed={"outcomes.4": "good"}, cited={"outcomes.4": [date(2026, 1, 1)]}, actions_at_risk={"outcomes.4": 2}
    )
    assert found[0].message == "The agreed rating is Good but 2 of the board’s actions for this benchmark are at risk or overdue"


AGENCIES = list(STATUTORY_AGENCY_IDS)
_items = st.builds(
    CitedItem,
    day=st.dates(date(2020, 1, 1), date(2026, 6, 1)),
    agency=st.sampled_from(AGENCIES[:-1]),
    subject_ids=st.sampled_from([frozenset(), frozenset({"outcomes.1"}), frozenset({"outcomes"}), frozenset({"strategy.1"})]),
)


@settings(max_examples=150, deadline=None)
@given(
    existing=st.lists(_items, min_size=1, max_size=4),
    agreed=st.sampled_from(["inadequate", "requires_improvement", "good", "outstanding", "not_known"]),
    members=st.dictionaries(st.sampled_from(["inadequate", "requires_improvement", "good", "outstanding"]), st.integers(1, 3), min_size=1),
    rationale=st.sampled_from(["", RATIONALE]),
    added_day=st.dates(date(2025, 1, 2), date(2026, 3, 1)),
    added_subject=st.sampled_from([frozenset({"outcomes.1"}), frozenset({"outcomes"})]),
    at_risk=st.integers(0, 2),
)
def test_adding_a_tagged_recent_item_from_another_agency_never_adds_a_flag(existing, agreed, members, rationale, added_day, added_subject, at_risk):
    def count(items):
        return len(
            round_flags(
                FRAMEWORK,
                members={"outcomes.1": Figures(members)},
                statutory_missing=[],
                agreed={"outcomes.1": agreed},
                cited_items={"outcomes.1": items},
                rationales={"outcomes.1": rationale},
                moderated_on={"outcomes.1": date(2026, 3, 1)},
                opened_on=date(2026, 2, 1),
                findings=[InspectionFinding("outcomes", "requires_improvement", date(2025, 1, 1))],
                actions_at_risk={"outcomes.1": at_risk},
                answer_evidence={"outcomes.1": ["same text"] * 3},
            )
        )

    added = CitedItem(added_day, AGENCIES[-1], added_subject)
    assert count([*existing, added]) <= count(existing)
