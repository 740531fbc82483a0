"""Members' figures computed in the database: the same on SQLite and PostgreSQL, in two queries."""

from __future__ import annotations

from app.data.aggregation import round_agreement, round_agreements
from app.extensions import db
from tests.integration.round_builder import Respondent, counted_queries


def test_distribution_median_spread_and_agreement(build_round):
    built = build_round(
        [
            Respondent("police", ratings={"outcomes.1": "inadequate"}),
            Respondent("health_board", ratings={"outcomes.1": "good"}),
            Respondent("local_authority", ratings={"outcomes.1": "outstanding"}),
            Respondent("education", ratings={"outcomes.1": "not_known"}),
            Respondent("third_sector", ratings={"outcomes.1": "not_applicable"}),
        ]
    )
    figures = round_agreement(db.session, built.round.id, built.framework).benchmarks["outcomes.1"]
    assert figures.distribution == {
        "inadequate": 1,
        "requires_improvement": 0,
        "good": 1,
        "outstanding": 1,
        "not_known": 1,
        "not_applicable": 1,
    }
    assert (figures.rated, figures.not_known, figures.not_applicable) == (3, 1, 1)
    assert figures.middle == ("good", "good") and figures.median == 3.0
    assert figures.spread == 3 and figures.disagreement
    assert figures.by_agency == {
        "education": {"not_known": 1},
        "health_board": {"good": 1},
        "local_authority": {"outstanding": 1},
        "police": {"inadequate": 1},
        "third_sector": {"not_applicable": 1},
    }


def test_even_count_median_falls_between_levels_and_rounds_down_for_results(build_round):
    built = build_round([Respondent("police", default="good"), Respondent("health_board", default="requires_improvement")])
    figures = round_agreement(db.session, built.round.id, built.framework).benchmarks["strategy.2"]
    assert figures.middle == ("requires_improvement", "good")
    assert figures.median == 2.5 and figures.spread == 1 and not figures.disagreement
    assert figures.provisional_rating() == "requires_improvement"


def test_only_submitted_responses_count_and_in_progress_ones_are_counted_aside(build_round):
    built = build_round(
        [
            Respondent("police", default="good"),
            Respondent("health_board", default="inadequate", submitted=False),
            Respondent("health_board", default="inadequate", submitted=False),
        ]
    )
    agreement = round_agreement(db.session, built.round.id, built.framework)
    assert agreement.submitted == 1 and agreement.in_progress == 2
    assert agreement.in_progress_by_agency == {"health_board": 2}
    assert agreement.benchmarks["governance.1"].distribution["inadequate"] == 0
    assert "health_board" in agreement.statutory_missing


def test_statutory_partners_missing_for_the_round_and_per_benchmark(build_round):
    built = build_round(
        [
            Respondent(agency)
            for agency in ("local_authority", "health_board", "nhs_trust", "police", "youth_offending", "education")
        ]
    )
    agreement = round_agreement(db.session, built.round.id, built.framework)
    assert agreement.statutory_missing == ("probation",)
    assert agreement.benchmarks["capacity.3"].statutory_missing == ("probation",)


def test_answers_at_or_above_the_evidence_level_without_evidence_are_counted(build_round):
    built = build_round(
        [
            Respondent("police", ratings={"outputs.1": "good"}, evidence={"outputs.1": ""}),
            Respondent("health_board", ratings={"outputs.1": "outstanding"}, evidence={"outputs.1": ""}),
            Respondent("education", ratings={"outputs.1": "requires_improvement"}, evidence={"outputs.1": ""}),
            Respondent("local_authority", ratings={"outputs.1": "good"}),
        ]
    )
    figures = round_agreement(db.session, built.round.id, built.framework).benchmarks["outputs.1"]
    assert figures.without_evidence == {"good": 1, "outstanding": 1, "requires_improvement": 1}


def test_nobody_answered_gives_empty_figures(build_round):
    built = build_round([Respondent("police", default=None, submitted=False)])
    figures = round_agreement(db.session, built.round.id, built.framework).benchmarks["outcomes.1"]
    assert figures.answered == 0 and figures.middle is None and figures.median is None and figures.spread is None
    assert figures.provisional_rating() is None


def test_two_queries_whatever_the_number_of_respondents_or_rounds(build_round):
    small = build_round([Respondent("police")])
    large = build_round([Respondent(agency) for agency in ("police", "health_board", "nhs_trust", "education", "probation")] * 3)
    small_id, large_id = small.round.id, large.round.id
    db.session.expire_all()
    for round_id in (small_id, large_id):
        with counted_queries() as statements:
            round_agreement(db.session, round_id, small.framework)
        assert len(statements) == 2
    with counted_queries() as statements:
        both = round_agreements(db.session, {small_id: small.framework, large_id: large.framework})
    assert len(statements) == 2
    assert both[small_id].submitted == 1 and both[large_id].submitted == 15
    assert both[large_id].benchmarks["outcomes.1"].distribution["good"] == 15


def test_overviews_can_leave_out_the_split_by_agency(build_round):
    built = build_round([Respondent("police", default="good"), Respondent("education", default="inadequate"), Respondent("police", default="outstanding")])
    full = round_agreement(db.session, built.round.id, built.framework)
    overview = round_agreements(db.session, {built.round.id: built.framework}, by_agency=False)[built.round.id]
    for benchmark_id, figures in full.benchmarks.items():
        lean = overview.benchmarks[benchmark_id]
        assert (lean.distribution, lean.middle, lean.spread, lean.without_evidence) == (
            figures.distribution,
            figures.middle,
            figures.spread,
            figures.without_evidence,
        )
        assert lean.by_agency == {} and lean.statutory_missing == overview.statutory_missing
    assert full.benchmarks["outcomes.1"].by_agency == {"education": {"inadequate": 1}, "police": {"good": 1, "outstanding": 1}}


def test_not_known_counts_as_its_scored_level_in_the_provisional_rating(build_round):
    # Issue 14's example: eight members who do not know and one who says Good is not a provisional Good.
    agencies = ["police", "health_board", "local_authority", "education", "third_sector", "police", "health_board", "education"]
    built = build_round([Respondent(agency, ratings={"outcomes.1": "not_known"}) for agency in agencies] + [Respondent("police")])
    agreement = round_agreement(db.session, built.round.id, built.framework)
    figures = agreement.benchmarks["outcomes.1"]
    assert figures.middle == ("good", "good")  # the members' median of levels, as shown beside the distribution
    assert figures.provisional_rating() == built.framework.scale.not_known.score_as == "inadequate"
    assert agreement.benchmarks["outcomes.2"].provisional_rating() == "good"


def test_a_provisional_good_that_most_members_gave_without_evidence_is_unevidenced(build_round):
    built = build_round(
        [
            Respondent("police", evidence={"outcomes.1": ""}, default_evidence=""),
            Respondent("health_board", evidence={"outcomes.1": ""}),
            Respondent("local_authority"),
        ]
    )
    agreement = round_agreement(db.session, built.round.id, built.framework)
    unevidenced = agreement.unevidenced(built.framework)
    assert "outcomes.1" in unevidenced  # two of the three Good answers gave no evidence
    assert "outcomes.2" not in unevidenced  # only the police gave none
