"""A realistic demo board, so a newcomer sees every feature at once.

Deterministic (seeded), so the demo and the tests that use it are stable.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.auth.passwords import hash_password
from app.data.admin import create_board
from app.data.framework_store import current_framework, pin_current_framework
from app.data.models import AssessmentRound, Board, Membership, User
from app.data.questionnaire import create_response
from app.demo import inspection as demo_inspection
from app.demo import moderation as demo_moderation
from app.demo.people import DEMO_BOARD, DEMO_BOARD_CY, DEMO_LOCAL_AUTHORITIES, DEMO_PASSWORD, PEOPLE, DemoPerson, answer_questionnaire, board_true_levels
from app.extensions import db


def demo_exists() -> bool:
    return db.session.scalar(select(Board).where(Board.name == DEMO_BOARD)) is not None


def load_demo(today: date | None = None) -> Board:
    """Create the demo board with people in every role and an open round with answers."""
    today = today or date.today()
    framework = current_framework()
    rng = random.Random(2026)
    password_hash = hash_password(DEMO_PASSWORD)
    # A regional board, as Welsh boards are today: several councils, one list of partners (Wales's).
    board = create_board(DEMO_BOARD, name_cy=DEMO_BOARD_CY, nation="wales", kind="regional_safeguarding_board", local_authorities=DEMO_LOCAL_AUTHORITIES)
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
        title_cy=f"Hunanasesiad {today.year}",
        deadline=today + timedelta(days=21),
        target_level=framework.target_level,
        opened_by_id=manager.id if manager else None,
    )
    db.session.add(current)
    db.session.flush()
    true_levels = board_true_levels(framework, rng)
    for person, membership in members:
        if membership.role != "member":
            continue
        response = create_response(current, membership, framework)
        db.session.flush()
        if not person.responds:
            continue
        answer_questionnaire(response, person, membership, framework, true_levels, rng)
    db.session.commit()
    # Later features add their part of the story: last year's moderated round,
    # the evidence register and action plan, then a second board and the
    # inspectorate's published findings for both.
    demo_moderation.extend_demo(board, current, today=today)
    demo_inspection.extend_demo(today=today)
    db.session.commit()
    return board


def login_lines() -> list[str]:
    """How to sign in to the demo, for `make run` and `sait demo`."""
    lines = [f"Demo sign-in (password for everyone: {DEMO_PASSWORD!r}):"]
    for person in PEOPLE:
        role = "administrator" if person.role is None else person.role.replace("_", " ")
        lines.append(f"  {role:<18} {person.email:<34} {person.name}")
    lines.append("  A second board, 'Demo Valleys' (same password), is run by manager@valleys.demo.example.org;")
    lines.append("  the inspector is assigned to both boards.")
    return lines


__all__ = ["DEMO_BOARD", "DEMO_PASSWORD", "PEOPLE", "demo_exists", "load_demo", "login_lines"]
