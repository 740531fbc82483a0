"""Moderation, evidence and action plan data for the demo board.

:func:`extend_demo` adds to the board made by :func:`app.demo.load_demo`:

- an evidence register of audits, reports and consultations;
- last year's round, answered, fully moderated (agreed ratings with reasons
  and cited evidence) and marked "moderated", so there is a moderated result
  and a trend to compare with;
- agreed ratings for every domain of the current round except the last, so
  moderation is visibly under way (including one agreed rating well above
  the members' median, which is flagged);
- an action plan: last year's open actions carried into this round (one
  overdue), new actions for some gaps, and other gaps left without an action
  so the plan page highlights them.

Deterministic (seeded), like the rest of the demo.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select

from app.core.framework import Framework
from app.core.rigour import DISAGREEMENT, STATUTORY_MISSING, UNEVIDENCED, Flag, needs_evidence
from app.data.aggregation import round_agreement
from app.data.flag_responses import FlagResponseInput, flag_subject, save_flag_responses
from app.data.framework_store import framework_for_round, past_framework, pin_framework
from app.data.models import (
    Action,
    ActionBenchmark,
    AgreedRating,
    Answer,
    AssessmentRound,
    Board,
    EvidenceItem,
    EvidenceSubject,
    Membership,
    ReportSignOff,
    ReportStatement,
    Response,
    User,
    answer_evidence,
)
from app.data.moderation import round_picture
from app.data.plan import carry_open_actions
from app.data.questionnaire import create_response
from app.demo.people import PEOPLE, answer_questionnaire, board_true_levels
from app.extensions import db

#: The framework version last year's demo round was opened on (frameworks/).
PREVIOUS_FRAMEWORK_VERSION = "2026.1"

# (title, source agency, days before today, what it shows for children, reference,
#  kind, what it is about (benchmark or domain ids), days the period covers)
# Kind and subjects of None: an item made before items were tagged ("not tagged").
EVIDENCE: tuple[tuple[str, str, int, str, str, str | None, tuple[str, ...], int], ...] = (
    (
        "Multi-agency audit of neglect cases",
        "health_board",
        40,
        "In 18 of 20 cases children were seen within timescales, up from 11 of 20 a year earlier; two children's plans were changed after the audit.",
        "https://intranet.example.org/board/audits/neglect-2026.pdf",
        "audit",
        ("governance.5", "outcomes.4", "outcomes.5"),
        180,
    ),
    (
        "Quarterly performance report with analysis",
        "local_authority",
        75,
        "Re-referrals within 12 months fell from 24% to 17%; the report explains which teams changed practice and why.",
        "Board papers, item 5",
        "performance_data",
        ("outcomes.1", "outcomes.2", "outcomes.3"),
        90,
    ),
    (
        "Young people's consultation on feeling safe",
        "third_sector",
        120,
        "46 young people said what makes them feel unsafe online; the board's campaign was rewritten with them and reached 3,000 pupils.",
        "",
        "children_and_families",
        ("outcomes.6", "outputs.2", "strategy.4"),
        60,
    ),
    (
        "Child practice review follow-up audit",
        "police",
        200,
        "9 of 12 actions completed; a follow-up audit found strategy discussions now include health in 90% of cases.",
        "CPR/2025/03 action log",
        "case_review_learning",
        ("governance.7", "governance.6"),
        365,
    ),
    (
        "Training evaluation: impact on practice",
        "education",
        260,
        "Three months after the course, an audit sample showed changed practice in 6 of 10 cases.",
        "",
        "audit",
        ("outputs.5", "capacity.6"),
        120,
    ),
    (
        "Section 28 self-assessment returns",
        "nhs_trust",
        400,
        "Every partner returned its section 28 audit; two gaps in safe recruitment were closed within six months.",
        "https://intranet.example.org/board/s28-2025",
        "audit",
        ("governance.4", "governance.8"),
        365,
    ),
    (
        "Practitioners' survey on thresholds and the front door",
        "local_authority",
        30,
        "212 practitioners from seven agencies replied; 61% said thresholds are applied consistently, down from 70%, and the board asked for an audit.",
        "Board papers, item 7",
        "practitioner_views",
        ("outputs.6", "outputs.7", "capacity.5"),
        30,
    ),
    (
        # Stale: older than the framework's evidence_stale_months before the round opened.
        "Annual report 2022 to 2023",
        "local_authority",
        1000,
        "The board's annual report set out its priorities and the year's performance figures.",
        "https://intranet.example.org/board/annual-report-2023.pdf",
        "performance_data",
        ("outputs.1", "strategy", "outcomes.1"),
        365,
    ),
    (
        # Registered before items were tagged: shown as "not tagged" until someone tags it.
        "Board development day notes",
        "local_authority",
        150,
        "Members agreed three priorities for the year and asked for a data pack on neglect.",
        "",
        None,
        (),
        1,
    ),
)

# The measure of each action, by description: (about, baseline, days before today
# it was measured, target, latest reading or None, days before today of the latest).
MEASURES: dict[str, tuple[str, str, int, str, str | None, int]] = {
    "Agree a short set of outcome measures with baselines with every statutory partner": (
        "board_process", "2 of 6 statutory partners report agreed measures", 200, "6 of 6 partners", "3 of 6 partners", 20,
    ),
    "Ask children on protection plans how safe they feel, every quarter, and report it to the board": (
        "children_and_families", "0 children's views a quarter reach the board", 30, "30 children's views a quarter", None, 0,
    ),
    "Publish the board's annual report in Welsh and English with an analysis of outcomes": (
        "board_process",
        "Published in English only, with no analysis of outcomes",
        560,
        "Published in both languages with an outcomes section",
        "Published in both languages with an outcomes section",
        200,
    ),
    "Run a multi-agency audit of neglect cases and report the findings to the board": (
        "children_and_families", "11 of 20 children seen within timescales", 420, "18 of 20", "18 of 20", 40,
    ),
    "Set up a practitioners' forum so frontline staff can tell the board what gets in the way": (
        "board_process", "0 agencies represented at a forum", 380, "5 agencies", "2 agencies", 30,
    ),
    "Agree a funding formula with every statutory partner contributing": (
        "board_process", "4 of 6 statutory partners contribute", 330, "6 of 6", "5 of 6", 45,
    ),
}

CURRENT_ACTIONS: tuple[tuple[str, str, str, int, str, str, tuple[str, ...], str | None], ...] = (
    (
        "Agree a short set of outcome measures with baselines with every statutory partner",
        "local_authority",
        "Siân Davies",
        120,
        "Each board meeting receives the agreed measures with a baseline and trend, and members can say what they show",
        "on_track",
        ("outcomes.1", "outcomes.2"),
        "outcomes",
    ),
    (
        "Ask children on protection plans how safe they feel, every quarter, and report it to the board",
        "third_sector",
        "Aled Thomas",
        180,
        "At least 30 children's views a quarter reach the board, and the board records one change made because of them",
        "not_started",
        ("outcomes.6",),
        None,
    ),
)

PREVIOUS_ACTIONS: tuple[tuple[str, str, str, int, str, str, tuple[str, ...]], ...] = (
    (
        "Publish the board's annual report in Welsh and English with an analysis of outcomes",
        "local_authority",
        "Siân Davies",
        -200,
        "Report published by July with a section on what changed for children, agreed by all partners",
        "done",
        ("outputs.1", "outputs.4"),
    ),
    (
        "Run a multi-agency audit of neglect cases and report the findings to the board",
        "health_board",
        "Dr Eleri Hughes",
        -60,
        "Audit of 20 cases reported, with actions agreed for every finding rated requires improvement",
        "done",
        ("governance.5",),
    ),
    (
        "Set up a practitioners' forum so frontline staff can tell the board what gets in the way",
        "police",
        "Gareth Morgan",
        -14,
        "Forum meets quarterly with staff from at least five agencies; the board acts on one issue a quarter",
        "at_risk",
        ("outputs.6", "strategy.4"),
    ),
    (
        "Agree a funding formula with every statutory partner contributing",
        "local_authority",
        "Siân Davies",
        90,
        "Every statutory partner signs the formula and pays its contribution by the start of the financial year",
        "on_track",
        ("capacity.1",),
    ),
)


def extend_demo(board: Board, assessment_round: AssessmentRound, *, today: date | None = None) -> None:
    """Add evidence, a moderated previous round, moderation under way and an action plan to the demo."""
    today = today or date.today()
    rng = random.Random(2027)
    framework = framework_for_round(assessment_round)
    manager = _manager(board)
    items = _evidence_register(board, manager, today)
    # Last year's round was on the framework then in force (2026.1), so the
    # report's comparison with it shows benchmarks new in this year's version.
    last_year = past_framework(PREVIOUS_FRAMEWORK_VERSION)
    previous = _previous_round(board, assessment_round, last_year, manager, rng, today)
    _agree(previous, last_year, manager, items, rng, domains=[d.id for d in last_year.domains])
    previous.status = "moderated"
    previous.closed_at = datetime.now(UTC) - timedelta(days=330)
    _previous_actions(board, previous, manager, today)
    db.session.flush()
    _agree(assessment_round, framework, manager, items, rng, domains=[d.id for d in framework.domains[:-1]], optimistic=True)
    _cite_in_answers(assessment_round, items, rng)
    db.session.commit()
    carry_open_actions(previous, assessment_round, framework, manager)
    for description, agency, lead, days, measure, status, benchmarks, domain_id in CURRENT_ACTIONS:
        _add_action(board, assessment_round, manager, description, agency, lead, today + timedelta(days=days), measure, status, benchmarks, domain_id, today)
    db.session.commit()
    _answer_some_flags(assessment_round, framework, manager)
    _statements(previous, assessment_round, manager, today)
    db.session.commit()


# The board's own words in last year's report, which the board approved, and the start of this year's (a draft).
PREVIOUS_STATEMENTS = {
    "overall": (
        "Partners attend and the board knows its data better than two years ago, but it still cannot show that its work "
        "changes outcomes for children: most of what reaches the board counts activity. Next year's plan puts outcome "
        "measures first."
    ),
    "outcomes": (
        "We report activity (referrals, conferences, training places), not what changed for children. The audit of "
        "neglect cases is the one place where we can see outcomes, and it shows plans drifting. Until outcome measures "
        "exist for each priority, this domain cannot be better than Requires improvement."
    ),
}
CURRENT_STATEMENTS = {
    "overall": (
        "Draft for the December board: ratings have risen in most domains, but members' evidence is thinner than the "
        "ratings suggest, and the health partners' response is still missing. The chair asked for the open flags to be "
        "answered before the board approves this report."
    ),
}


def _statements(previous: AssessmentRound, current: AssessmentRound, manager: User, today: date) -> None:
    """Last year's statements, approved by the board; this year's overall statement, not yet approved."""
    for subject, text in PREVIOUS_STATEMENTS.items():
        db.session.add(ReportStatement(round_id=previous.id, subject=subject, text=text, updated_by_id=manager.id))
    approval = ReportSignOff(round_id=previous.id, approved_on=today - timedelta(days=320), chair_name="Professor Gwen Rowlands", recorded_by_id=manager.id)
    db.session.add(approval)
    for subject, text in CURRENT_STATEMENTS.items():
        db.session.add(ReportStatement(round_id=current.id, subject=subject, text=text, updated_by_id=manager.id))


# The business manager's answers to a few flags; the rest stay open, as they
# would part-way through moderation.
FLAG_ANSWERS: dict[str, tuple[str, str]] = {
    STATUTORY_MISSING: ("explained", "The NHS trust's new safeguarding lead has been asked to respond before moderation ends; the chair will follow it up."),
    DISAGREEMENT: ("explained", "Discussed at the moderation meeting: members from health saw more recent cases; the board took the lower view."),
    UNEVIDENCED: ("accepted_lowered", "No member could point to evidence, so the board lowered its agreed rating by one level."),
}


def _answer_some_flags(assessment_round: AssessmentRound, framework: Framework, manager: User) -> None:
    """Answer the first flag of each kind in FLAG_ANSWERS, lowering the agreed rating where the answer says so."""
    flags = round_picture(assessment_round, "en").flags
    first_of_kind: dict[str, Flag] = {}
    for each in flags:
        first_of_kind.setdefault(each.kind, each)
    inputs = []
    for kind, (response, reason) in FLAG_ANSWERS.items():
        flag = first_of_kind.get(kind)
        if flag is None:
            continue
        if response == "accepted_lowered" and flag.benchmark_id is not None:
            agreed = db.session.scalar(
                select(AgreedRating).where(AgreedRating.round_id == assessment_round.id, AgreedRating.benchmark_id == flag.benchmark_id)
            )
            if agreed is None or agreed.rating not in framework.scale.ids[1:]:
                continue
            agreed.rating = framework.scale.ids[framework.scale.ids.index(agreed.rating) - 1]
            agreed.rationale = reason
        inputs.append(FlagResponseInput(kind=flag.kind, subject=flag_subject(flag), response=response, reason=reason, version=0))
    save_flag_responses(assessment_round, inputs, manager)


def _manager(board: Board) -> User:
    return db.session.execute(
        select(User).join(Membership, Membership.user_id == User.id).where(Membership.board_id == board.id, Membership.role == "business_manager")
    ).scalar_one()


def _evidence_register(board: Board, manager: User, today: date) -> list[EvidenceItem]:
    items = []
    for title, agency, days_ago, impact, reference, kind, subjects, period_days in EVIDENCE:
        dated = today - timedelta(days=days_ago)
        item = EvidenceItem(
            board_id=board.id,
            title=title,
            source_agency=agency,
            evidence_date=dated,
            impact=impact,
            reference=reference,
            kind=kind,
            period_start=dated - timedelta(days=period_days) if kind else None,
            period_end=dated if kind else None,
            created_by_id=manager.id,
            updated_by_id=manager.id,
        )
        item.subjects = [EvidenceSubject(subject_id=subject) for subject in subjects]
        db.session.add(item)
        items.append(item)
    db.session.flush()
    return items


def _previous_round(board: Board, current: AssessmentRound, framework: Framework, manager: User, rng: random.Random, today: date) -> AssessmentRound:
    """Last year's round on ``framework``: the same members, answering a little lower (the board has improved since)."""
    opened = datetime.now(UTC) - timedelta(days=365)
    previous = AssessmentRound(
        board_id=board.id,
        framework_version_id=pin_framework(framework).id,
        title=f"Self-assessment {today.year - 1}",
        title_cy=f"Hunanasesiad {today.year - 1}",
        deadline=today - timedelta(days=344),
        target_level=current.target_level,
        opened_by_id=manager.id,
        created_at=opened,
        status="closed",
    )
    db.session.add(previous)
    db.session.flush()
    people = {person.email: person for person in PEOPLE}
    levels = {benchmark_id: max(1, level - (1 if rng.random() < 0.4 else 0)) for benchmark_id, level in board_true_levels(framework, rng).items()}
    memberships = db.session.scalars(
        select(Membership).join(User, User.id == Membership.user_id).where(Membership.board_id == board.id, Membership.role == "member")
    ).all()
    for membership in memberships:
        person = people.get(membership.user.email)
        if person is None or not person.responds:
            continue
        response = create_response(previous, membership, framework)
        db.session.flush()
        # Last year every member who took part finished their response.
        answer_questionnaire(response, replace(person, submits=True), membership, framework, levels, rng)
    db.session.flush()
    return previous


def _agree(
    assessment_round: AssessmentRound,
    framework: Framework,
    manager: User,
    items: list[EvidenceItem],
    rng: random.Random,
    *,
    domains: list[str],
    optimistic: bool = False,
) -> None:
    """Agreed ratings for the given domains: mostly the members' median, with reasons where not.

    With ``optimistic``, the first benchmark whose median is two or more levels
    below the top is agreed at the top level, which the rigour checks flag.
    """
    db.session.flush()
    agreement = round_agreement(db.session, assessment_round.id, framework)
    top = framework.scale.ids[-1]
    low = set(framework.scale.ids[:-2])
    candidates = [b.id for d in domains for b in framework.domain(d).benchmarks if (agreement.benchmarks[b.id].middle or (top,))[-1] in low]
    optimistic_id = candidates[0] if optimistic and candidates else None
    for domain_id in domains:
        for benchmark in framework.domain(domain_id).benchmarks:
            figures = agreement.benchmarks[benchmark.id]
            rating = figures.provisional_rating() or "not_known"
            rationale = ""
            if benchmark.id == optimistic_id:
                rating = top
                rationale = "The chair argued recent work is a model for other boards, though members rated it lower."
            elif figures.middle != (rating, rating):
                rationale = "Members were split; the board took the lower view until the evidence is stronger."
            agreed = AgreedRating(
                round_id=assessment_round.id,
                benchmark_id=benchmark.id,
                rating=rating,
                rationale=rationale,
                updated_by_id=manager.id,
            )
            # Most ratings at or above the evidence level cite register items
            # about them; a few cite an item about something else, or nothing,
            # and are flagged.
            if needs_evidence(framework, rating) and benchmark.id != optimistic_id and rng.random() < 0.85:
                about = [item for item in items if {benchmark.id, domain_id} & set(item.subject_ids)]
                pool = about if about and rng.random() < 0.9 else items
                agreed.evidence = rng.sample(pool, k=min(len(pool), rng.randint(1, 2)))
            db.session.add(agreed)


def _cite_in_answers(assessment_round: AssessmentRound, items: list[EvidenceItem], rng: random.Random) -> None:
    """Some members' answers cite register items too, so one item supports several benchmarks."""
    answers = db.session.scalars(
        select(Answer.id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id == assessment_round.id, Answer.evidence != "")
        .order_by(Answer.id)
    ).all()
    chosen = rng.sample(list(answers), k=min(12, len(answers)))
    if chosen:
        db.session.execute(insert(answer_evidence), [{"answer_id": answer_id, "evidence_item_id": rng.choice(items).id} for answer_id in chosen])


def _add_action(
    board: Board,
    assessment_round: AssessmentRound,
    manager: User,
    description: str,
    agency: str,
    lead: str,
    due: date,
    measure: str,
    status: str,
    benchmarks: tuple[str, ...],
    domain_id: str | None,
    today: date,
) -> None:
    action = Action(
        board_id=board.id,
        round_id=assessment_round.id,
        description=description,
        owner_agency=agency,
        lead_person=lead,
        due_date=due,
        success_measure=measure,
        status=status,
        domain_id=domain_id,
        created_by_id=manager.id,
        updated_by_id=manager.id,
    )
    if description in MEASURES:
        about, baseline, baseline_days, target, latest, latest_days = MEASURES[description]
        action.measure_about = about
        action.baseline, action.baseline_on = baseline, today - timedelta(days=baseline_days)
        action.target, action.target_by = target, due
        if latest is not None:
            action.latest, action.latest_on = latest, today - timedelta(days=latest_days)
    action.benchmarks = [ActionBenchmark(benchmark_id=benchmark_id) for benchmark_id in benchmarks]
    db.session.add(action)


def _previous_actions(board: Board, previous: AssessmentRound, manager: User, today: date) -> None:
    for description, agency, lead, days, measure, status, benchmarks in PREVIOUS_ACTIONS:
        _add_action(board, previous, manager, description, agency, lead, today + timedelta(days=days), measure, status, benchmarks, None, today)
