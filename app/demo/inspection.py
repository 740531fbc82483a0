"""Inspections for the demo: a second board, published findings for both, and a challenge thread.

:func:`extend_demo` runs after :func:`app.demo.load_demo` (and after
:func:`app.demo.moderation.extend_demo`, when it is used) and adds:

- a second board, "Demo Valleys Safeguarding Children Board", with its own
  business manager and members, a moderated round whose agreed ratings lean
  optimistic, and the demo inspector (Huw Williams) assigned to it;
- published findings for both boards, each with an overall judgement, its
  summary and reasons (texts chosen to fit each level): the first board's latest moderated
  round (its open round if none is moderated) was judged a little below its
  self-assessment; the Valleys board was judged well below, so the
  comparison and the national overview show a real difference;
- a challenge on a benchmark of each board with the business manager's reply
  on the first board.

Deterministic (seeded), like the rest of the demo.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.auth.passwords import hash_password
from app.core.framework import Framework
from app.core.scoring import score_assessment
from app.core.vocabulary import OVERALL_REASONS_SUBJECT, OVERALL_SUBJECT
from app.data.admin import create_board
from app.data.aggregation import round_agreement
from app.data.framework_store import framework_for_round, pin_current_framework
from app.data.models import (
    AgreedRating,
    AssessmentRound,
    Board,
    ChallengeComment,
    Finding,
    Inspection,
    Membership,
    Recommendation,
    RecommendationSubject,
    User,
)
from app.data.questionnaire import create_response
from app.demo.people import DEMO_BOARD, DEMO_PASSWORD, DemoPerson, answer_questionnaire, board_true_levels
from app.extensions import db

VALLEYS_BOARD = "Demo Valleys Safeguarding Children Board"
VALLEYS_BOARD_CY = "Bwrdd Diogelu Plant y Cymoedd (demo)"
INSPECTOR_EMAIL = "inspector@demo.example.org"

VALLEYS_PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("manager@valleys.demo.example.org", "Ffion Pritchard", "business_manager", "local_authority", responds=False),
    DemoPerson("social.care@valleys.demo.example.org", "Dylan Rees", "member", "local_authority", optimism=1),
    DemoPerson("police@valleys.demo.example.org", "Nia Howells", "member", "police", optimism=1),
    DemoPerson("health@valleys.demo.example.org", "Iwan Parry", "member", "health_board", optimism=0),
    DemoPerson("nhs.trust@valleys.demo.example.org", "Lowri Griffiths", "member", "nhs_trust", optimism=1),
    DemoPerson("probation@valleys.demo.example.org", "Emyr Watkins", "member", "probation", optimism=0),
    DemoPerson("yot@valleys.demo.example.org", "Sioned Powell", "member", "youth_offending", optimism=1),
    DemoPerson("education@valleys.demo.example.org", "Gethin Lewis", "member", "education", optimism=2),
)

# How many levels below the board's own domain judgement the inspectors judged each domain.
FIRST_BOARD_GAPS = {"outcomes": 1, "strategy": 0, "governance": 1, "capacity": 0, "outputs": 0}
VALLEYS_GAPS = {"outcomes": 2, "strategy": 1, "governance": 2, "capacity": 1, "outputs": 1}

# What the inspectors wrote about each domain, by how the domain was judged: "strong" for Good or
# Outstanding, "weak" for Requires improvement, "failing" for Inadequate. Each text fits its level:
# a domain judged Inadequate is never described with praise.
SUMMARIES: dict[str, dict[str, str]] = {
    "outcomes": {
        "strong": (
            "The board tracks a small set of measures of children's safety over time (re-referrals, repeat missing episodes) "
            "and its reports say what changed for children and why."
        ),
        "weak": (
            "Reports to the board count activity (meetings held, cases audited) and only sometimes say what changed for children. "
            "Measures of children's safety are collected but not yet tracked over time."
        ),
        "failing": (
            "Reports to the board count activity (meetings held, cases audited) but do not say what changed for children. "
            "No partner could show a measure of children's safety that the board tracks over time."
        ),
    },
    "strategy": {
        "strong": "The business plan's priorities are shared: each partner described them the same way and could say what it does towards them.",
        "weak": (
            "The business plan sets priorities, but several partners described them differently; "
            "the police and health saw the plan as the local authority's."
        ),
        "failing": "There is no agreed plan in use: partners could not name the board's priorities, and the plan on file is two years out of date.",
    },
    "governance": {
        "strong": "Challenge at the board is recorded with an owner and a date and followed up at the next meeting; partners answer for late returns.",
        "weak": "Minutes record challenge, but actions from it are not always followed up, and partners are seldom held to account for late returns.",
        "failing": "Challenge is not recorded or followed up, and partners are not held to account: late returns went unremarked for a year.",
    },
    "capacity": {
        "strong": "Multi-agency training is well attended and its effect on practice is tested by audit. The budget is shared by the statutory partners.",
        "weak": "Multi-agency training is well attended, but its effect on practice is not yet tested; the budget depends on one partner.",
        "failing": (
            "Training has lapsed: attendance is not recorded and nothing tests its effect on practice. "
            "The budget depends on one partner, who has given notice of a cut."
        ),
    },
    "outputs": {
        "strong": "Procedures are current and published in Welsh and English; the annual report analyses what its figures mean for children.",
        "weak": "Procedures are current and published in Welsh and English; the annual report is long on figures and short on analysis.",
        "failing": "Several procedures are past their review date and the annual report was published late, with figures but no analysis.",
    },
}

# A benchmark's finding, by the band of its judgement (as SUMMARIES).
BENCHMARK_FINDINGS = {
    "strong": "‘{title}’ works, though not as well as the board described: partners gave examples, but none was tested by audit.",
    "weak": "Inspectors found little evidence that ‘{title}’ works as the board described; partners could give few examples.",
    "failing": "Inspectors found no evidence that ‘{title}’ is in place; partners could not give examples.",
}

# The inspectors' overall summary, by the band of their overall judgement (as SUMMARIES).
OVERALL_SUMMARIES = {
    "strong": "The board knows how well children are safeguarded in its area and uses that knowledge to improve services; partners share its priorities.",
    "weak": (
        "The board is established and its partners attend, but it cannot yet show what its work changes for children, "
        "and it rated itself higher than the evidence supports."
    ),
    "failing": (
        "The board cannot show that it discharges its statutory functions: it does not know what difference its work makes for children, "
        "and its self-assessment is well above what inspectors found."
    ),
}


def _band(level: str) -> str:
    """Which text fits a level: "strong" (Good and above), "weak" (Requires improvement) or "failing" (Inadequate)."""
    return {"inadequate": "failing", "requires_improvement": "weak"}.get(level, "strong")


RECOMMENDATIONS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "Agree with every statutory partner three measures of children's safety, with baselines, and report them to every board meeting.",
        "immediate",
        ("outcomes", "outcomes.1"),
    ),
    (
        "Record each challenge made at the board with an owner and a date, and review progress at the next meeting.",
        "improvement",
        ("governance",),
    ),
    (
        "Shorten the annual report and add an analysis of what the figures mean for children.",
        "improvement",
        ("outputs",),
    ),
)


def extend_demo(*, today: date | None = None) -> Board:
    """Add the second board, findings for both boards and challenge threads. Returns the second board."""
    today = today or date.today()
    rng = random.Random(2028)
    inspector = db.session.scalar(select(User).where(User.email == INSPECTOR_EMAIL))
    first = db.session.scalar(select(Board).where(Board.name == DEMO_BOARD))
    if inspector is None or first is None:
        raise RuntimeError("load the demo board (app.demo.load_demo) before extending it with inspections")
    first_round = _round_to_inspect(first)
    valleys, valleys_round = _valleys_board(inspector, rng, today)
    first_framework = framework_for_round(first_round)
    _inspect(first_round, first_framework, inspector, FIRST_BOARD_GAPS, today - timedelta(days=300), rng)
    _inspect(valleys_round, framework_for_round(valleys_round), inspector, VALLEYS_GAPS, today - timedelta(days=45), rng)
    _challenge(first_round, first_framework, inspector, reply=True)
    _challenge(valleys_round, framework_for_round(valleys_round), inspector, reply=False)
    db.session.commit()
    return valleys


def _round_to_inspect(board: Board) -> AssessmentRound:
    """The board's latest moderated round, or its latest round if none is moderated."""
    rounds = db.session.scalars(
        select(AssessmentRound).where(AssessmentRound.board_id == board.id).order_by(AssessmentRound.created_at.desc(), AssessmentRound.id.desc())
    ).all()
    return next((r for r in rounds if r.status in ("moderated", "published")), rounds[0])


def _valleys_board(inspector: User, rng: random.Random, today: date) -> tuple[Board, AssessmentRound]:
    board = create_board(
        VALLEYS_BOARD,
        name_cy=VALLEYS_BOARD_CY,
        nation="wales",
        kind="local_safeguarding_children_board",
        local_authorities=["Demo Valleys County Borough Council"],
    )
    db.session.add(Membership(user_id=inspector.id, board_id=board.id, role="inspector", agency="other"))
    password_hash = hash_password(DEMO_PASSWORD)
    members: list[tuple[DemoPerson, Membership]] = []
    manager = None
    for person in VALLEYS_PEOPLE:
        user = User(email=person.email, name=person.name, password_hash=password_hash)
        db.session.add(user)
        db.session.flush()
        membership = Membership(user_id=user.id, board_id=board.id, role=person.role, agency=person.agency)
        db.session.add(membership)
        members.append((person, membership))
        if person.role == "business_manager":
            manager = user
    assert manager is not None
    db.session.flush()
    framework_version = pin_current_framework()
    opened = datetime.now(UTC) - timedelta(days=120)
    assessment_round = AssessmentRound(
        board_id=board.id,
        framework_version_id=framework_version.id,
        title=f"Self-assessment {today.year}",
        title_cy=f"Hunanasesiad {today.year}",
        deadline=today - timedelta(days=90),
        target_level="good",
        opened_by_id=manager.id,
        created_at=opened,
        status="closed",
        closed_at=opened + timedelta(days=35),
    )
    db.session.add(assessment_round)
    db.session.flush()
    framework = framework_for_round(assessment_round)
    true_levels = board_true_levels(framework, rng)
    for person, membership in members:
        if membership.role != "member":
            continue
        response = create_response(assessment_round, membership, framework)
        db.session.flush()
        answer_questionnaire(response, person, membership, framework, true_levels, rng)
    db.session.flush()
    _agree_optimistically(assessment_round, framework, manager)
    assessment_round.status = "moderated"
    return board, assessment_round


def _agree_optimistically(assessment_round: AssessmentRound, framework: Framework, manager: User) -> None:
    """Agreed ratings at the members' median, rounded up where members were split: an optimistic board."""
    agreement = round_agreement(db.session, assessment_round.id, framework)
    for benchmark in framework.benchmarks:
        figures = agreement.benchmarks[benchmark.id]
        rating = figures.middle[1] if figures.middle else (figures.provisional_rating() or "not_known")
        rationale = "" if figures.middle == (rating, rating) else "Members were split; the board took the higher view because of recent work."
        db.session.add(
            AgreedRating(round_id=assessment_round.id, benchmark_id=benchmark.id, rating=rating, rationale=rationale, updated_by_id=manager.id)
        )
    db.session.flush()


def _self_ratings(assessment_round: AssessmentRound, framework: Framework) -> dict[str, str | None]:
    agreed = dict(
        db.session.execute(select(AgreedRating.benchmark_id, AgreedRating.rating).where(AgreedRating.round_id == assessment_round.id)).all()
    )
    provisional = round_agreement(db.session, assessment_round.id, framework).provisional_ratings()
    return {**provisional, **agreed}


def _lower(framework: Framework, level: str | None, by: int) -> str:
    ids = framework.scale.ids
    rank = ids.index(level) if level in ids else 1
    return ids[max(0, rank - by)]


def _inspect(
    assessment_round: AssessmentRound,
    framework: Framework,
    inspector: User,
    gaps: dict[str, int],
    inspected_on: date,
    rng: random.Random,
) -> None:
    """Published findings: each domain judged ``gaps`` levels below the board's own judgement."""
    ratings = _self_ratings(assessment_round, framework)
    score = score_assessment(framework, ratings, assessment_round.target_level)
    published = datetime.combine(inspected_on + timedelta(days=21), datetime.min.time(), tzinfo=UTC)
    inspection = Inspection(
        board_id=assessment_round.board_id,
        round_id=assessment_round.id,
        inspected_on=inspected_on,
        status="published",
        published_at=published,
        published_by_id=inspector.id,
        version=3,
        created_by_id=inspector.id,
        updated_by_id=inspector.id,
        updated_at=published,
    )
    db.session.add(inspection)
    db.session.flush()
    judged: dict[str, str] = {}
    for domain in framework.domains:
        level = _lower(framework, score.domain(domain.id).judgement, gaps[domain.id])
        judged[domain.id] = level
        text = SUMMARIES[domain.id][_band(level)]
        db.session.add(Finding(inspection_id=inspection.id, subject_id=domain.id, level=level, text=text, updated_by_id=inspector.id))
        # One benchmark per domain gets a finding of its own, judged one level below the board's rating.
        benchmark = rng.choice(domain.benchmarks)
        own = ratings.get(benchmark.id)
        db.session.add(
            Finding(
                inspection_id=inspection.id,
                subject_id=benchmark.id,
                level=(found := _lower(framework, own, 1)),
                text=BENCHMARK_FINDINGS[_band(found)].format(title=benchmark.title.get()),
                updated_by_id=inspector.id,
            )
        )
    overall, reasons = _overall(framework, judged)
    summary = OVERALL_SUMMARIES[_band(overall)]
    db.session.add(Finding(inspection_id=inspection.id, subject_id=OVERALL_SUBJECT, level=overall, text=summary, updated_by_id=inspector.id))
    db.session.add(Finding(inspection_id=inspection.id, subject_id=OVERALL_REASONS_SUBJECT, level=None, text="\n".join(reasons), updated_by_id=inspector.id))
    for text, priority, subjects in RECOMMENDATIONS:
        recommendation = Recommendation(inspection_id=inspection.id, text=text, priority=priority, created_by_id=inspector.id, updated_by_id=inspector.id)
        recommendation.subjects = [RecommendationSubject(subject_id=s) for s in subjects if _known(framework, s)]
        db.session.add(recommendation)
    db.session.flush()


def _overall(framework: Framework, judged: dict[str, str]) -> tuple[str, list[str]]:
    """The inspectors' overall judgement from their domain judgements, and their reasons (the weakest domains first).

    The lower middle of the five domains, and never above outcomes for children
    (the framework's rule that outcomes limit the overall judgement).
    """
    ids = framework.scale.ids
    ranks = sorted(ids.index(level) for level in judged.values())
    rank = min(ranks[(len(ranks) - 1) // 2], ids.index(judged["outcomes"]))
    overall = ids[rank]
    weakest = sorted(judged, key=lambda domain_id: (ids.index(judged[domain_id]), list(judged).index(domain_id)))
    reasons = []
    for domain_id in weakest[:3]:
        level = framework.scale.level(judged[domain_id]).label.get()
        first_sentence = SUMMARIES[domain_id][_band(judged[domain_id])].split(". ")[0].rstrip(".")
        reasons.append(f"{framework.domain(domain_id).title.get()} ({level}): {first_sentence}.")
    return overall, reasons


def _known(framework: Framework, subject_id: str) -> bool:
    return subject_id in {d.id for d in framework.domains} | {b.id for b in framework.benchmarks}


def _challenge(assessment_round: AssessmentRound, framework: Framework, inspector: User, *, reply: bool) -> None:
    benchmark_id = framework.domains[0].benchmarks[0].id
    _comment(
        assessment_round,
        benchmark_id,
        inspector,
        "inspector",
        "The board rates this higher than we found. Which report shows the board tracking this for children over time?",
        days_ago=20,
    )
    if reply:
        manager = db.session.execute(
            select(User)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.board_id == assessment_round.board_id, Membership.role == "business_manager")
        ).scalar_one()
        _comment(
            assessment_round,
            benchmark_id,
            manager,
            "business_manager",
            "The quarterly performance report (board papers, item 5) has re-referral rates with analysis; "
            "we accept it does not yet cover children's own views.",
            days_ago=18,
        )


def _comment(assessment_round: AssessmentRound, benchmark_id: str, author: User, role: str, text: str, *, days_ago: int) -> None:
    created = datetime.now(UTC) - timedelta(days=days_ago)
    db.session.add(
        ChallengeComment(round_id=assessment_round.id, benchmark_id=benchmark_id, author_id=author.id, author_role=role, text=text, created_at=created)
    )


def login_lines() -> list[str]:
    """How to sign in as the Valleys board's people (same password as the rest of the demo)."""
    lines = [f"Second demo board, {VALLEYS_BOARD} (same password):"]
    for person in VALLEYS_PEOPLE:
        lines.append(f"  {(person.role or '').replace('_', ' '):<18} {person.email:<40} {person.name}")
    lines.append(f"  {'inspector':<18} {INSPECTOR_EMAIL:<40} (the demo inspector, assigned to both boards)")
    return lines
