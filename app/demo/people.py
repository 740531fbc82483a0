"""The demo board's people, and how a demo member answers the questionnaire.

Shared by the demo's parts (this board, last year's round, the second board),
so each seeds the same way. Deterministic: every choice comes from a seeded
random number generator.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from app.core.framework import Framework
from app.data.models import Answer, Membership, Response
from app.extensions import db

DEMO_BOARD = "Demo Safeguarding Children Board"
DEMO_BOARD_CY = "Bwrdd Diogelu Plant y Demo"
#: The councils the demo board covers: it is a regional board.
DEMO_LOCAL_AUTHORITIES = ("Demo Coast County Council", "Demo Vale County Borough Council", "Demo Hills County Council")
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


def board_true_levels(framework: Framework, rng: random.Random) -> dict[str, int]:
    """Where the demo board 'really' is on each benchmark (score 1-4)."""
    levels = {}
    for domain in framework.domains:
        base = 2 if domain.id in ("outcomes", "capacity") else 3
        for benchmark in domain.benchmarks:
            levels[benchmark.id] = max(1, min(4, base + rng.choice((-1, 0, 0, 0, 1))))
    return levels


def answer_questionnaire(
    response: Response, person: DemoPerson, membership: Membership, framework: Framework, true_levels: dict[str, int], rng: random.Random
) -> None:
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
