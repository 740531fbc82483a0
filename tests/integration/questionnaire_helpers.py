"""Building a board with an open round for questionnaire tests."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.data.framework_store import current_framework, pin_current_framework
from app.data.models import AssessmentRound, Board, Membership, Response, User
from app.data.questionnaire import create_response
from app.extensions import db
from app.questionnaire.forms import field_key


@dataclass
class RoundSetup:
    board: Board
    manager: User
    member: User
    other_member: User
    round: AssessmentRound
    response: Response
    other_response: Response


@pytest.fixture
def open_round(app, make_user, make_board, add_member) -> RoundSetup:
    board = make_board("Cwm Taf Safeguarding Children Board")
    manager = make_user("Siân Davies")
    member = make_user("Gareth Morgan")
    other = make_user("Eleri Hughes")
    add_member(manager, board, "business_manager", "local_authority")
    member_ship: Membership = add_member(member, board, "member", "police")
    other_ship: Membership = add_member(other, board, "member", "health_board")
    framework = current_framework()
    pinned = pin_current_framework()
    assessment_round = AssessmentRound(
        board_id=board.id,
        framework_version_id=pinned.id,
        title="Self-assessment 2026",
        target_level=framework.target_level,
        opened_by_id=manager.id,
    )
    db.session.add(assessment_round)
    db.session.flush()
    response = create_response(assessment_round, member_ship, framework)
    other_response = create_response(assessment_round, other_ship, framework)
    db.session.commit()
    return RoundSetup(board, manager, member, other, assessment_round, response, other_response)


def domain_form_data(soup, **overrides) -> dict:
    """The form fields as a browser would send them, with overrides applied."""
    form = soup.select_one("main form[method=post]")
    data: dict = {}
    for field in form.select("input, textarea"):
        name = field.get("name")
        if not name or field.get("type") == "submit" or field.name == "button":
            continue
        if field.get("type") == "checkbox" and name.endswith("-cites"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value"))
            continue
        if field.get("type") in ("radio", "checkbox"):
            if field.has_attr("checked"):
                data[name] = field.get("value")
            continue
        data[name] = field.get_text() if field.name == "textarea" else field.get("value", "")
    for key, value in overrides.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def key(benchmark_id: str) -> str:
    return field_key(benchmark_id)
