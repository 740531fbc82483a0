"""Scoring: the worked example in docs/scoring.md, each rule, and properties that must always hold."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.framework import Floor, Framework, LimitRule, load_framework
from app.core.scoring import (
    NOT_APPLICABLE,
    NOT_KNOWN,
    effective_level,
    level_rank,
    median_score,
    middle_levels,
    score_assessment,
    spread_in_levels,
)

REPO = Path(__file__).resolve().parents[3]
FRAMEWORK = load_framework(REPO / "sait_domains.yaml")
MINIMAL = load_framework(REPO / "tests" / "fixtures" / "framework" / "valid_minimal.yaml")
#: The file rounds opened before 2026.2 stay pinned to: they must be judged exactly as before.
OLD = load_framework(REPO / "frameworks" / "sait_domains-2026.1.yaml")
SCORING_DOC = REPO / "docs" / "scoring.md"


def _all(framework: Framework, rating: str | None) -> dict[str, str | None]:
    return {b.id: rating for b in framework.benchmarks}


# --- the worked example, read from docs/scoring.md --------------------------------------


def _table_after(text: str, heading: str) -> list[list[str]]:
    """The rows (without header and separator) of the first Markdown table after a heading."""
    section = text.split(f"\n{heading}\n", 1)[1]
    rows = []
    for line in section.splitlines():
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return rows[2:]


def _label_to_rating(framework: Framework) -> dict[str, str]:
    labels = {level.label.en: level.id for level in framework.scale.levels}
    labels[framework.scale.not_known.label.en] = NOT_KNOWN
    labels[framework.scale.not_applicable.label.en] = NOT_APPLICABLE
    return labels


def _worked_example() -> tuple[dict[str, str], list[list[str]]]:
    text = SCORING_DOC.read_text(encoding="utf-8")
    labels = _label_to_rating(FRAMEWORK)
    titles = {d.title.en: d for d in FRAMEWORK.domains}
    ratings: dict[str, str] = {}
    for title, weight, listed in _table_after(text, "### The ratings"):
        domain = titles[title]
        assert float(weight) == domain.weight, f"the doc gives {title} weight {weight}"
        chosen = [labels[label.strip()] for label in listed.split(",")]
        assert len(chosen) == len(domain.benchmarks), f"the doc rates {len(chosen)} benchmarks of {title}"
        ratings.update({b.id: rating for b, rating in zip(domain.benchmarks, chosen, strict=True)})
    return ratings, _table_after(text, "### The results")


def test_worked_example_in_the_docs_is_what_the_code_computes():
    ratings, expected_rows = _worked_example()
    result = score_assessment(FRAMEWORK, ratings, "good")
    label = {level.id: level.label.en for level in FRAMEWORK.scale.levels}
    computed = [
        [
            FRAMEWORK.domain(d.domain_id).title.en,
            str(len(d.benchmarks) - len(d.left_out)),
            f"{d.mean:.2f}",
            label[d.banded],
            label[d.judgement],
            str(d.gap),
            str(len(d.gaps)),
        ]
        for d in result.domains
    ]
    computed.append(
        [
            "Overall",
            str(sum(1 for d in result.domains if d.judgement)),
            f"{result.mean:.2f}",
            label[result.banded],
            label[result.judgement],
            str(result.gap),
            str(sum(len(d.gaps) for d in result.domains)),
        ]
    )
    assert computed == expected_rows


def test_worked_example_fires_the_cap_and_both_floors():
    ratings, _ = _worked_example()
    result = score_assessment(FRAMEWORK, ratings, "good")
    governance = result.domain("governance")
    assert [(a.rule.kind, a.from_level, a.to_level, a.because) for a in governance.limits_applied] == [
        ("benchmark_caps_domain", "good", "requires_improvement", ("governance.5",))
    ]
    capacity = result.domain("capacity")
    assert [(a.floor.level, a.from_level, a.to_level, a.failed) for a in capacity.floors_applied] == [
        ("good", "good", "requires_improvement", ("share_above",))
    ]
    outputs = result.domain("outputs")
    assert [(a.floor.level, a.to_level, a.because) for a in outputs.floors_applied] == [("outstanding", "good", ("outputs.7",))]
    # The cap rule is triggered in outcomes, but an inadequate judgement cannot be lowered further.
    assert result.domain("outcomes").limits_applied == ()
    assert result.limits_applied == ()  # the overall band is already requires improvement


# --- the rules one by one ----------------------------------------------------------------


def test_not_applicable_is_left_out_of_the_mean():
    ratings = _all(FRAMEWORK, "good")
    ratings["strategy.1"] = NOT_APPLICABLE
    strategy = score_assessment(FRAMEWORK, ratings).domain("strategy")
    assert strategy.mean == 3.0
    assert [b.benchmark_id for b in strategy.left_out] == ["strategy.1"]


def test_not_known_scores_as_the_configured_level_and_is_a_gap():
    ratings = _all(FRAMEWORK, "good")
    ratings["capacity.2"] = NOT_KNOWN
    result = score_assessment(FRAMEWORK, ratings)
    item = result.benchmark("capacity.2")
    assert item.level == FRAMEWORK.scale.not_known.score_as == "inadequate"
    assert item.score == 1 and item.gap == 2 and item.is_gap
    # Scored as inadequate, so the cap rule applies too.
    capacity = result.domain("capacity")
    assert capacity.banded == "good" and capacity.judgement == "requires_improvement"


def test_not_known_is_a_gap_even_when_its_level_meets_the_target():
    ratings = _all(FRAMEWORK, "good")
    ratings["outputs.1"] = NOT_KNOWN
    item = score_assessment(FRAMEWORK, ratings, "inadequate").benchmark("outputs.1")
    assert item.gap == 0 and item.is_gap


def test_a_domain_with_nothing_to_score_has_no_judgement_and_is_left_out_overall():
    ratings = _all(FRAMEWORK, "good")
    for benchmark in FRAMEWORK.domain("outputs").benchmarks:
        ratings[benchmark.id] = NOT_APPLICABLE
    result = score_assessment(FRAMEWORK, ratings)
    outputs = result.domain("outputs")
    assert (outputs.mean, outputs.judgement, outputs.gap) == (None, None, None)
    assert result.judgement == "good" and result.mean == 3.0


def test_nothing_rated_gives_no_judgement_at_all():
    result = score_assessment(FRAMEWORK, {})
    assert result.judgement is None and result.mean is None and result.gap is None
    assert all(d.judgement is None for d in result.domains)


def test_overall_rule_is_skipped_when_its_domain_has_no_judgement():
    ratings = _all(FRAMEWORK, "outstanding")
    for benchmark in FRAMEWORK.domain("outcomes").benchmarks:
        ratings[benchmark.id] = None
    result = score_assessment(FRAMEWORK, ratings)
    assert result.judgement == "outstanding" and result.limits_applied == ()


def test_in_2026_1_a_mean_exactly_on_a_band_boundary_takes_the_higher_band():
    ratings = _all(OLD, None)
    benchmarks = OLD.domain("strategy").benchmarks
    for n, benchmark in enumerate(benchmarks[:6]):
        ratings[benchmark.id] = "good" if n % 2 else "requires_improvement"
    strategy = score_assessment(OLD, ratings).domain("strategy")
    assert strategy.mean == 2.5 and strategy.judgement == "good"
    assert strategy.floors_applied == ()


def test_from_2026_2_a_mean_exactly_on_a_band_boundary_takes_the_lower_band():
    ratings = _all(FRAMEWORK, None)
    benchmarks = FRAMEWORK.domain("strategy").benchmarks
    for n, benchmark in enumerate(benchmarks[:6]):
        ratings[benchmark.id] = "good" if n % 2 else "requires_improvement"
    strategy = score_assessment(FRAMEWORK, ratings).domain("strategy")
    assert strategy.mean == 2.5 and strategy.banded == "requires_improvement" and strategy.judgement == "requires_improvement"


def test_the_2026_1_file_judges_a_whole_assessment_as_before():
    # Outcomes all good; the other domains half good, half requires improvement.
    ratings: dict[str, str | None] = {}
    for domain in OLD.domains:
        for n, benchmark in enumerate(domain.benchmarks):
            ratings[benchmark.id] = "good" if domain.id == "outcomes" or n % 2 == 0 else "requires_improvement"
    ratings["strategy.7"] = "good"  # strategy has 7 benchmarks: 4 good, 3 RI -> 2.57
    old = score_assessment(OLD, ratings, "good")
    assert [(d.domain_id, d.judgement) for d in old.domains] == [
        ("outcomes", "good"),
        ("strategy", "good"),
        ("governance", "good"),  # 2.5 exactly: the higher band in 2026.1
        ("capacity", "good"),
        ("outputs", "good"),
    ]
    assert old.judgement == "good"
    assert all(d.floors_applied == () and not d.not_enough_to_judge for d in old.domains)
    new = score_assessment(FRAMEWORK, ratings, "good")
    # 2026.2: governance's 2.5 takes the lower band; the others keep good only where their floor holds.
    assert new.domain("governance").judgement == "requires_improvement"


def test_a_good_mean_drops_to_requires_improvement_when_half_or_fewer_benchmarks_are_good():
    # Just under half outstanding (the key benchmarks among them), the rest requires improvement:
    # the mean bands good (5 of 12: 2.83), but not more than half are good or better.
    ratings = _all(FRAMEWORK, "good")
    benchmarks = FRAMEWORK.domain("outcomes").benchmarks
    outstanding = [0, *range(3, len(benchmarks), 2)][: (len(benchmarks) + 1) // 2 - 1]
    assert {benchmarks[n].id for n in outstanding} >= {b.id for b in benchmarks if b.key}
    for n, benchmark in enumerate(benchmarks):
        ratings[benchmark.id] = "outstanding" if n in outstanding else "requires_improvement"
    outcomes = score_assessment(FRAMEWORK, ratings).domain("outcomes")
    assert outcomes.banded == "good" and outcomes.judgement == "requires_improvement"
    [applied] = outcomes.floors_applied
    assert (applied.floor.level, applied.from_level, applied.to_level, applied.failed) == ("good", "good", "requires_improvement", ("share_above",))
    assert "outcomes.2" in applied.because and "outcomes.1" not in applied.because


def test_an_outstanding_mean_with_a_benchmark_below_good_drops_to_good():
    ratings = _all(FRAMEWORK, "outstanding")
    ratings["strategy.3"] = "requires_improvement"
    strategy = score_assessment(FRAMEWORK, ratings).domain("strategy")
    assert strategy.banded == "outstanding" and strategy.judgement == "good"
    [applied] = strategy.floors_applied
    assert (applied.floor.level, applied.failed, applied.because) == ("outstanding", ("none_below",), ("strategy.3",))


def test_a_key_benchmark_below_good_keeps_its_domain_below_good():
    ratings = _all(FRAMEWORK, "outstanding")
    ratings["governance.1"] = "requires_improvement"  # a key benchmark
    governance = score_assessment(FRAMEWORK, ratings).domain("governance")
    assert governance.banded == "outstanding" and governance.judgement == "requires_improvement"
    assert [(a.from_level, a.to_level, a.failed) for a in governance.floors_applied] == [
        ("outstanding", "good", ("none_below",)),
        ("good", "requires_improvement", ("key_at_least",)),
    ]
    ratings["governance.1"] = "outstanding"
    ratings["governance.2"] = "requires_improvement"  # not key: good holds
    assert score_assessment(FRAMEWORK, ratings).domain("governance").judgement == "good"


def test_outcomes_below_good_caps_the_overall_judgement_at_requires_improvement():
    ratings = _all(FRAMEWORK, "outstanding")
    for benchmark in FRAMEWORK.domain("outcomes").benchmarks:
        ratings[benchmark.id] = "requires_improvement"
    result = score_assessment(FRAMEWORK, ratings)
    assert result.domain("outcomes").judgement == "requires_improvement"
    assert result.judgement == "requires_improvement"
    assert [a.rule.kind for a in result.limits_applied] == ["overall_within_domain", "domain_caps_overall"]


def test_a_domain_mostly_not_applicable_is_not_enough_to_judge_and_left_out_overall():
    ratings = _all(FRAMEWORK, "good")
    outputs = FRAMEWORK.domain("outputs").benchmarks
    more_than_half = len(outputs) // 2 + 1
    for benchmark in outputs[:more_than_half]:
        ratings[benchmark.id] = NOT_APPLICABLE
    result = score_assessment(FRAMEWORK, ratings)
    domain = result.domain("outputs")
    assert domain.not_enough_to_judge and domain.judgement is None and domain.mean is None
    assert result.judgement == "good" and result.mean == 3.0
    ratings[outputs[more_than_half - 1].id] = "good"  # half, not more: judged
    assert score_assessment(FRAMEWORK, ratings).domain("outputs").judgement == "good"
    # Not yet rated is a different state.
    unrated = score_assessment(FRAMEWORK, {}).domain("outputs")
    assert unrated.judgement is None and not unrated.not_enough_to_judge


def test_outcomes_not_enough_to_judge_still_caps_the_overall_judgement():
    ratings = _all(FRAMEWORK, "outstanding")
    for benchmark in FRAMEWORK.domain("outcomes").benchmarks:
        ratings[benchmark.id] = NOT_APPLICABLE
    result = score_assessment(FRAMEWORK, ratings)
    assert result.domain("outcomes").not_enough_to_judge
    assert result.judgement == "requires_improvement"


def test_unevidenced_ratings_at_or_above_the_evidence_level_count_one_lower_and_say_so():
    ratings = _all(FRAMEWORK, "good")
    ratings["capacity.2"] = "requires_improvement"
    result = score_assessment(FRAMEWORK, ratings, unevidenced={"capacity.1", "capacity.2"})
    lowered = result.benchmark("capacity.1")
    assert lowered.rating == "good" and lowered.level == "requires_improvement" and lowered.lowered_for_evidence
    below_evidence_level = result.benchmark("capacity.2")
    assert below_evidence_level.level == "requires_improvement" and not below_evidence_level.lowered_for_evidence
    # 2026.1 has no such rule.
    old = score_assessment(OLD, ratings, unevidenced={"capacity.1"}).benchmark("capacity.1")
    assert old.level == "good" and not old.lowered_for_evidence


def test_domains_below_target_lists_them_in_framework_order():
    from app.core.scoring import domains_below_target

    ratings = _all(FRAMEWORK, "good")
    for benchmark in (*FRAMEWORK.domain("capacity").benchmarks, *FRAMEWORK.domain("strategy").benchmarks):
        ratings[benchmark.id] = "requires_improvement"
    assert [d.domain_id for d in domains_below_target(score_assessment(FRAMEWORK, ratings))] == ["strategy", "capacity"]


def test_benchmark_weights_count_in_the_domain_mean():
    # In the minimal framework, benchmark 1 of each domain weighs 2.
    domain = MINIMAL.domain("strategy")
    ratings = {b.id: "requires_improvement" for b in domain.benchmarks}
    ratings[domain.benchmarks[0].id] = "outstanding"
    weights = [b.weight for b in domain.benchmarks]
    expected = (4 * weights[0] + 2 * sum(weights[1:])) / sum(weights)
    assert score_assessment(MINIMAL, ratings).domain("strategy").mean == pytest.approx(expected)
    assert weights[0] == 2


def test_gaps_are_measured_against_the_rounds_target():
    ratings = _all(FRAMEWORK, "good")
    assert score_assessment(FRAMEWORK, ratings, "good").gap == 0
    result = score_assessment(FRAMEWORK, ratings, "outstanding")
    assert result.gap == 1 and result.target_level == "outstanding"
    assert all(b.gap == 1 for d in result.domains for b in d.benchmarks)


def test_a_rating_off_the_scale_is_refused():
    with pytest.raises(KeyError):
        score_assessment(FRAMEWORK, {"outcomes.1": "brilliant"})


@pytest.mark.parametrize(
    ("counts", "middle", "median", "spread"),
    [
        ({"good": 3}, ("good", "good"), 3.0, 0),
        ({"good": 2, "requires_improvement": 2}, ("requires_improvement", "good"), 2.5, 1),
        ({"inadequate": 1, "good": 1, "outstanding": 1}, ("good", "good"), 3.0, 3),
        ({"good": 1, NOT_KNOWN: 5, NOT_APPLICABLE: 2}, ("good", "good"), 3.0, 0),
        ({NOT_KNOWN: 2}, None, None, None),
        ({}, None, None, None),
    ],
)
def test_median_and_spread_use_level_ratings_only(counts, middle, median, spread):
    assert middle_levels(FRAMEWORK.scale, counts) == middle
    assert median_score(FRAMEWORK.scale, middle) == median
    assert spread_in_levels(FRAMEWORK.scale, counts) == spread


# --- properties ----------------------------------------------------------------------------

FRAMEWORKS = st.sampled_from([FRAMEWORK, MINIMAL, OLD])
ANSWERS = (*FRAMEWORK.scale.ids, NOT_KNOWN, NOT_APPLICABLE, None)


@st.composite
def rule_variants(draw, framework: Framework) -> Framework:
    """The framework with other limiting rules, to check the properties hold for any rules."""
    levels = st.sampled_from(framework.scale.ids)
    limits = []
    for _ in range(draw(st.integers(0, 2))):
        limits.append(LimitRule(kind="benchmark_caps_domain", text="cap", when=draw(levels), cap=draw(levels)))
    for _ in range(draw(st.integers(0, 2))):
        limits.append(
            LimitRule(
                kind="overall_within_domain",
                text="within",
                domain=draw(st.sampled_from([d.id for d in framework.domains])),
                max_levels_above=draw(st.integers(0, 3)),
            )
        )
    for _ in range(draw(st.integers(0, 1))):
        limits.append(
            LimitRule(
                kind="domain_caps_overall",
                text="caps",
                domain=draw(st.sampled_from([d.id for d in framework.domains])),
                below=draw(levels),
                cap=draw(levels),
            )
        )
    floors = tuple(
        Floor(
            level=draw(levels),
            text="floor",
            none_below=draw(st.none() | levels),
            share_above=draw(st.none() | st.sampled_from([0.0, 0.25, 0.5, 0.75])),
            key_at_least=draw(st.none() | levels),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    rules = framework.rules.model_copy(
        update={
            "limits": tuple(limits),
            "floors": floors,
            "ties": draw(st.sampled_from(["upper", "lower"])),
            "max_not_applicable_share": draw(st.none() | st.sampled_from([0.0, 0.5])),
        }
    )
    return framework.model_copy(update={"rules": rules})


@st.composite
def assessments(draw):
    framework = draw(FRAMEWORKS)
    if draw(st.booleans()):
        framework = draw(rule_variants(framework))
    ratings = {b.id: draw(st.sampled_from(ANSWERS)) for b in framework.benchmarks}
    target = draw(st.sampled_from(framework.scale.ids))
    return framework, ratings, target


def _rank(framework: Framework, level: str | None) -> int:
    return -1 if level is None else level_rank(framework.scale, level)


PROPERTY_SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY_SETTINGS
@given(assessments(), st.data())
def test_raising_one_rating_never_lowers_a_domain_or_the_overall_judgement(assessment, data):
    framework, ratings, target = assessment
    scorable = [b for b, r in ratings.items() if r is not None and r != NOT_APPLICABLE]
    if not scorable:
        return
    benchmark_id = data.draw(st.sampled_from(scorable))
    current = effective_level(framework.scale, ratings[benchmark_id])
    higher = [level for level in framework.scale.ids if level_rank(framework.scale, level) > level_rank(framework.scale, current)]
    if not higher:
        return
    raised = {**ratings, benchmark_id: data.draw(st.sampled_from(higher))}
    before = score_assessment(framework, ratings, target)
    after = score_assessment(framework, raised, target)
    domain_id = framework.benchmark(benchmark_id).domain_id
    if not before.domain(domain_id).not_enough_to_judge:
        assert after.domain(domain_id).mean > before.domain(domain_id).mean
    assert _rank(framework, after.domain(domain_id).judgement) >= _rank(framework, before.domain(domain_id).judgement)
    assert _rank(framework, after.judgement) >= _rank(framework, before.judgement)
    assert after.mean is None or after.mean >= before.mean


@PROPERTY_SETTINGS
@given(assessments())
def test_judgements_stay_on_the_scale(assessment):
    framework, ratings, target = assessment
    result = score_assessment(framework, ratings, target)
    for domain in result.domains:
        scored = [b for b in domain.benchmarks if b.scored]
        assert (domain.judgement is None) == (not scored or domain.not_enough_to_judge)
        if domain.judgement is not None:
            assert domain.judgement in framework.scale.ids and domain.banded in framework.scale.ids
            lowest, highest = framework.scale.levels[0].score, framework.scale.levels[-1].score
            assert lowest <= domain.mean <= highest
            assert 0 <= domain.gap <= len(framework.scale.levels) - 1
    assert result.judgement is None or result.judgement in framework.scale.ids


@PROPERTY_SETTINGS
@given(assessments())
def test_limiting_rules_always_hold(assessment):
    framework, ratings, target = assessment
    result = score_assessment(framework, ratings, target)
    for rule in framework.rules.limits:
        if rule.kind == "benchmark_caps_domain":
            for domain in result.domains:
                triggered = any(b.level and _rank(framework, b.level) <= _rank(framework, rule.when) for b in domain.benchmarks)
                if triggered:
                    assert _rank(framework, domain.judgement) <= _rank(framework, rule.cap)
        elif rule.kind == "overall_within_domain":
            anchor = result.domain(rule.domain).judgement
            if anchor is not None and result.judgement is not None:
                assert _rank(framework, result.judgement) <= _rank(framework, anchor) + rule.max_levels_above
        else:
            anchor_domain = result.domain(rule.domain)
            below = anchor_domain.not_enough_to_judge or (
                anchor_domain.judgement is not None and _rank(framework, anchor_domain.judgement) < _rank(framework, rule.below)
            )
            if below and result.judgement is not None:
                assert _rank(framework, result.judgement) <= _rank(framework, rule.cap)
    # Every floor at or below a domain's judgement holds.
    for domain in result.domains:
        if domain.judgement is None or _rank(framework, domain.judgement) == 0:
            continue
        levels = [b.level for b in domain.benchmarks if b.level is not None]
        keys = [b.level for b in domain.benchmarks if b.level is not None and framework.benchmark(b.benchmark_id).key]
        for floor in framework.rules.floors:
            if _rank(framework, floor.level) > _rank(framework, domain.judgement):
                continue
            if floor.none_below:
                assert all(_rank(framework, level) >= _rank(framework, floor.none_below) for level in levels)
            if floor.share_above is not None:
                assert sum(_rank(framework, level) >= _rank(framework, floor.level) for level in levels) > floor.share_above * len(levels)
            if floor.key_at_least:
                assert all(_rank(framework, level) >= _rank(framework, floor.key_at_least) for level in keys)
    # Limits only ever lower a judgement.
    for domain in result.domains:
        assert _rank(framework, domain.judgement) <= _rank(framework, domain.banded)
    assert _rank(framework, result.judgement) <= _rank(framework, result.banded)


@PROPERTY_SETTINGS
@given(assessments(), st.randoms(use_true_random=False))
def test_the_order_of_answers_does_not_matter(assessment, random):
    framework, ratings, target = assessment
    items = list(ratings.items())
    random.shuffle(items)
    assert score_assessment(framework, dict(items), target) == score_assessment(framework, ratings, target)


@PROPERTY_SETTINGS
@given(st.dictionaries(st.sampled_from([b.id for b in FRAMEWORK.benchmarks]), st.sampled_from(ANSWERS)))
def test_on_the_shipped_file_inadequate_below_good_and_weak_outcomes_cap_judgements(ratings):
    result = score_assessment(FRAMEWORK, ratings)
    scale = FRAMEWORK.scale
    for domain in result.domains:
        levels = [b.level for b in domain.benchmarks if b.level is not None]
        if "inadequate" in levels:
            assert _rank(FRAMEWORK, domain.judgement) < level_rank(scale, "good")
        if any(level_rank(scale, level) < level_rank(scale, "good") for level in levels):
            assert domain.judgement != "outstanding"
    outcomes = result.domain("outcomes").judgement
    if outcomes is not None and level_rank(scale, outcomes) < level_rank(scale, "good"):
        assert _rank(FRAMEWORK, result.judgement) < level_rank(scale, "good")
