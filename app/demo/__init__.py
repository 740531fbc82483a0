"""A realistic demo board, so a newcomer sees every feature at once.

Deterministic (seeded), so the demo and the tests that use it are stable.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app.auth.passwords import hash_password
from app.core.framework import Framework
from app.data.framework_store import current_framework, pin_current_framework
from app.data.models import Answer, AssessmentRound, Board, Membership, Response, User
from app.data.questionnaire import create_response
from app.extensions import db

DEMO_BOARD = "Demo Safeguarding Children Board"
DEMO_PASSWORD = "demo board password 2026"


@dataclass(frozen=True)
class DemoPerson:
    email: str
    name: str
    role: str | None  # None: administrator only
    agency: str | None
    # How this member tends to rate: an offset from the board's "true" level.
    optimism: int = 0
    responds: bool = True
    submits: bool = True


PEOPLE: tuple[DemoPerson, ...] = (
    DemoPerson("admin@demo.example.org", "Alex Administrator", None, None),
    DemoPerson("manager@demo.example.org", "Siân Davies", "business_manager", "local_authority", responds=False),
    DemoPerson("social.care@demo.example.org", "Bethan Lloyd", "member", "local_authority", optimism=1),
    DemoPerson("police@demo.example.org", "Gareth Morgan", "member", "police", optimism=0),
    DemoPerson("health@demo.example.org", "Dr Eleri Hughes", "member", "health_board", optimism=0),
    DemoPerson("nhs.trust@demo.example.org", "Owen Price", "member", "nhs_trust", optimism=1, submits=False),
    DemoPerson("yot@demo.example.org", "Carys Evans", "member", "youth_offending", optimism=-1),
    DemoPerson("education@demo.example.org", "Rhian Jenkins", "member", "education", optimism=1),
    DemoPerson("third.sector@demo.example.org", "Aled Thomas", "member", "third_sector", optimism=-1),
    DemoPerson("lay.member@demo.example.org", "Mair Roberts", "member", "lay_member", optimism=0),
    # Probation is on the board but has not answered: a missing statutory partner.
    DemoPerson("probation@demo.example.org", "Rhys Bowen", "member", "probation", responds=False),
    DemoPerson("inspector@demo.example.org", "Huw Williams", "inspector", "other", responds=False),
)

EVIDENCE_SNIPPETS = (
    "Multi-agency case audit of 20 cases (March): 14 showed timely strategy discussions; findings reported to the quality assurance sub-group.",
    "Quarterly performance report with analysis of re-referrals, shared with partners and discussed at the May board meeting.",
    "Minutes of the board show partners challenging the health board on late attendance at child protection conferences.",
    "Training evaluation: 85% of delegates reported changed practice three months after the course; audit sample confirms in 6 of 10 cases.",
    "Young people's consultation (summer) led to changes in the board's leaflet, now published in Welsh and English.",
    "Child practice review action plan: 9 of 12 actions completed and tested through a follow-up audit.",
)


def demo_exists() -> bool:
    return db.session.scalar(select(Board).where(Board.name == DEMO_BOARD)) is not None


def load_demo(today: date | None = None) -> Board:
    """Create the demo board with people in every role and an open round with answers."""
    today = today or date.today()
    framework = current_framework()
    rng = random.Random(2026)
    password_hash = hash_password(DEMO_PASSWORD)
    board = Board(name=DEMO_BOARD)
    db.session.add(board)
    db.session.flush()
    members: list[tuple[DemoPerson, Membership]] = []
    manager = None
    for person in PEOPLE:
        user = User(email=person.email, name=person.name, password_hash=password_hash, is_admin=person.role is None)
        db.session.add(user)
        db.session.flush()
        if person.role:
            membership = Membership(user_id=user.id, board_id=board.id, role=person.role, agency=person.agency)
            db.session.add(membership)
            db.session.flush()
            members.append((person, membership))
            if person.role == "business_manager":
                manager = user
    pinned = pin_current_framework()
    current = AssessmentRound(
        board_id=board.id,
        framework_version_id=pinned.id,
        title=f"Self-assessment {today.year}",
        deadline=today + timedelta(days=21),
        target_level=framework.target_level,
        opened_by_id=manager.id if manager else None,
    )
    db.session.add(current)
    db.session.flush()
    true_levels = _board_true_levels(framework, rng)
    for person, membership in members:
        if membership.role != "member":
            continue
        response = create_response(current, membership, framework)
        db.session.flush()
        if not person.responds:
            continue
        _answer(response, person, membership, framework, true_levels, rng)
    db.session.commit()
    # Later features add their part of the story: last year's moderated round,
    # the evidence register and action plan, then a second board and the
    # inspectorate's published findings for both.
    from app.demo import inspection as demo_inspection
    from app.demo import moderation as demo_moderation

    demo_moderation.extend_demo(board, current, today=today)
    demo_inspection.extend_demo(today=today)
    db.session.commit()
    return board


def _board_true_levels(framework: Framework, rng: random.Random) -> dict[str, int]:
    """Where the demo board 'really' is on each benchmark (score 1-4)."""
    levels = {}
    for domain in framework.domains:
        base = 2 if domain.id in ("outcomes", "capacity") else 3
        for benchmark in domain.benchmarks:
            levels[benchmark.id] = max(1, min(4, base + rng.choice((-1, 0, 0, 0, 1))))
    return levels


def _answer(response: Response, person: DemoPerson, membership: Membership, framework: Framework, true_levels: dict[str, int], rng: random.Random) -> None:
    answers = db.session.scalars(select(Answer).where(Answer.response_id == response.id)).all()
    ids_by_score = {level.score: level.id for level in framework.scale.levels}
    evidence_score = framework.scale.score(framework.evidence_level)
    now = datetime.now(UTC)
    complete = person.submits
    for index, answer in enumerate(answers):
        if not complete and index % 3 == 2:
            continue  # an unfinished response
        roll = rng.random()
        if roll < 0.04:
            answer.rating = "not_known"
        elif roll < 0.06:
            answer.rating = "not_applicable"
        else:
            score = max(1, min(4, true_levels[answer.benchmark_id] + person.optimism + rng.choice((-1, 0, 0, 0, 0, 1))))
            answer.rating = ids_by_score[score]
            if score >= evidence_score:
                # Some high ratings come without evidence: the rigour checks flag them.
                if rng.random() < 0.7:
                    answer.evidence = rng.choice(EVIDENCE_SNIPPETS)
                else:
                    answer.no_evidence_yet = True
            elif rng.random() < 0.4:
                answer.evidence = rng.choice(EVIDENCE_SNIPPETS)
        answer.version = 2
        answer.updated_by_id = membership.user_id
        answer.updated_at = now - timedelta(hours=rng.randint(1, 200))
    if complete:
        response.status = "submitted"
        response.submitted_at = now - timedelta(hours=rng.randint(1, 48))


def login_lines() -> list[str]:
    """How to sign in to the demo, for `make run` and `sait demo`."""
    lines = [f"Demo sign-in (password for everyone: {DEMO_PASSWORD!r}):"]
    for person in PEOPLE:
        role = "administrator" if person.role is None else person.role.replace("_", " ")
        lines.append(f"  {role:<18} {person.email:<34} {person.name}")
    lines.append("  A second board, 'Demo Valleys' (same password), is run by manager@valleys.demo.example.org;")
    lines.append("  the inspector is assigned to both boards.")
    return lines
