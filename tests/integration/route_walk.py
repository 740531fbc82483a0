"""Walking every route of the app with real ids, as every kind of person.

Used by the isolation and security tests. A board is built with a person in
each role, an open round with answers, an agreed rating, an action, an
evidence register item and an invitation; every id a route can take has an
entry in ARGUMENTS. A route with an argument not in the table fails the tests
until its author says where the value comes from.
"""

from __future__ import annotations

import itertools
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect, select
from werkzeug.routing import Rule

from app.data.framework_store import current_framework, pin_current_framework
from app.data.models import (
    Action,
    AgreedRating,
    Answer,
    AssessmentRound,
    Board,
    EvidenceItem,
    Invitation,
    Membership,
    Response,
    User,
)
from app.data.models.inspection import ChallengeComment, Finding, Inspection, Recommendation
from app.data.questionnaire import create_response
from app.extensions import db
from tests.factories import _password_hash

PERMISSIONS_DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"
ROLES = ("admin", "business_manager", "member", "inspector", "anonymous")
_numbers = itertools.count(1)


@dataclass
class BoardWorld:
    """One board with a person in every role and data of every kind."""

    board: Board
    manager: User
    member: User
    inspector: User
    membership: Membership  # the member's
    round: AssessmentRound
    response: Response  # the member's
    invitation: Invitation
    action: Action
    evidence_item: EvidenceItem
    recommendation: Recommendation
    # The board's name and its round's title: what the administrator may see.
    names: list[str] = field(default_factory=list)
    # What people wrote: only people with a role on the board that allows it may see it.
    content: list[str] = field(default_factory=list)

    def user(self, role: str) -> User:
        return {"business_manager": self.manager, "member": self.member, "inspector": self.inspector}[role]


def _person(name: str, n: int, is_admin: bool = False) -> User:
    user = User(name=name, email=f"walk{n}-{name.split()[0].lower()}@example.org", password_hash=_password_hash(), is_admin=is_admin)
    db.session.add(user)
    return user


def make_admin() -> User:
    user = _person("Alex Administrator", next(_numbers), is_admin=True)
    db.session.commit()
    return user


def make_loner() -> User:
    """Signed in, on no board at all."""
    user = _person("Lone Person", next(_numbers))
    db.session.commit()
    return user


def build_board(label: str) -> BoardWorld:
    """A board called after `label` (e.g. 'Zephyr'), full of data that names it."""
    n = next(_numbers)
    framework = current_framework()
    board = Board(name=f"{label} Safeguarding Board {n}")
    manager, member, inspector = (_person(f"{label}manager Person", n), _person(f"{label}member Person", n), _person(f"{label}inspector Person", n))
    db.session.add(board)
    db.session.flush()
    memberships = {
        role: Membership(user_id=user.id, board_id=board.id, role=role, agency=agency)
        for role, user, agency in (
            ("business_manager", manager, "local_authority"),
            ("member", member, "police"),
            ("inspector", inspector, "other"),
        )
    }
    db.session.add_all(memberships.values())
    assessment_round = AssessmentRound(
        board_id=board.id,
        framework_version_id=pin_current_framework().id,
        title=f"{label} round title {n}",
        target_level=framework.target_level,
        opened_by_id=manager.id,
        deadline=date.today() + timedelta(days=30),
    )
    db.session.add(assessment_round)
    db.session.flush()
    response = create_response(assessment_round, memberships["member"], framework)
    create_response(assessment_round, memberships["business_manager"], framework)
    benchmark = framework.benchmarks[0]
    evidence = f"{label} evidence text {n}: multi-agency audit of 20 cases"
    answer = db.session.scalar(select(Answer).where(Answer.response_id == response.id, Answer.benchmark_id == benchmark.id))
    answer.rating, answer.evidence = framework.target_level, evidence
    rationale = f"{label} agreed rationale {n}"
    db.session.add(AgreedRating(round_id=assessment_round.id, benchmark_id=benchmark.id, rating=framework.target_level, rationale=rationale))
    item = EvidenceItem(
        board_id=board.id,
        title=f"{label} evidence register item {n}",
        source_agency="police",
        evidence_date=date.today(),
        impact=f"{label} impact on children {n}",
    )
    action = Action(
        board_id=board.id,
        round_id=assessment_round.id,
        description=f"{label} action description {n}",
        owner_agency="police",
        lead_person=f"{label} lead person {n}",
        due_date=date.today() + timedelta(days=90),
        success_measure=f"{label} success measure {n}",
        domain_id=benchmark.domain_id,
    )
    invitation = Invitation(
        board_id=board.id,
        email=f"walk{n}-invitee@example.org",
        name=f"{label} invitee {n}",
        role="member",
        agency="education",
        token_hash=secrets.token_hex(32),
        invited_by_id=manager.id,
        expires_at=datetime.now(UTC) + timedelta(days=14),
    )
    db.session.add_all([item, action, invitation])
    inspection, recommendation, texts = _published_inspection(label, n, assessment_round, inspector)
    db.session.commit()
    return BoardWorld(
        board, manager, member, inspector, memberships["member"], assessment_round, response, invitation, action, item, recommendation,
        names=[board.name, assessment_round.title],
        content=[evidence, rationale, item.title, item.impact, action.description, action.success_measure, *texts],
    )


def _published_inspection(label: str, n: int, assessment_round: AssessmentRound, inspector: User):
    """Findings, a recommendation and a challenge on the round, published to the board."""
    framework = current_framework()
    inspection = Inspection(
        board_id=assessment_round.board_id,
        round_id=assessment_round.id,
        inspected_on=date.today(),
        status="published",
        published_at=datetime.now(UTC),
        published_by_id=inspector.id,
    )
    db.session.add(inspection)
    db.session.flush()
    finding = f"{label} inspection finding {n}"
    recommendation = Recommendation(inspection_id=inspection.id, text=f"{label} recommendation {n}", priority="improvement")
    challenge = ChallengeComment(
        round_id=assessment_round.id,
        benchmark_id=framework.benchmarks[0].id,
        author_id=inspector.id,
        author_role="inspector",
        text=f"{label} challenge comment {n}",
    )
    db.session.add_all([
        Finding(inspection_id=inspection.id, subject_id=framework.domains[0].id, level=framework.target_level, text=finding),
        recommendation,
        challenge,
    ])
    return inspection, recommendation, [finding, recommendation.text, challenge.text]


@dataclass(frozen=True)
class Argument:
    """Where the value of a route argument comes from."""

    value: Callable[[BoardWorld], object]
    # True for ids that differ between boards (a board's own rows); False for
    # values every board shares (a framework domain id).
    board_scoped: bool = True
    # True for secret one-time link tokens: a random one is an unknown link,
    # refused the same way (404) to everyone, signed in or not.
    public_link: bool = False


def _first_domain(world: BoardWorld) -> str:
    return current_framework().domains[0].id


def _first_benchmark(world: BoardWorld) -> str:
    return current_framework().benchmarks[0].id


ARGUMENTS: dict[str, Argument] = {
    "board_id": Argument(lambda w: w.board.id),
    "round_id": Argument(lambda w: w.round.id),
    "response_id": Argument(lambda w: w.response.id),
    "membership_id": Argument(lambda w: w.membership.id),
    "user_id": Argument(lambda w: w.member.id),
    "invitation_id": Argument(lambda w: w.invitation.id),
    "action_id": Argument(lambda w: w.action.id),
    "item_id": Argument(lambda w: w.evidence_item.id),
    "recommendation_id": Argument(lambda w: w.recommendation.id),
    "domain_id": Argument(_first_domain, board_scoped=False),
    "benchmark_id": Argument(_first_benchmark, board_scoped=False),
    "token": Argument(lambda w: secrets.token_urlsafe(32), board_scoped=False, public_link=True),
}

# Rules that take an argument but genuinely no board data. Keep this short:
# a route that reads or changes a board's data does not belong here.
NO_BOARD_DATA = {
    "static": "the app's own CSS, JavaScript and images",
    "main.govuk_assets": "GOV.UK Frontend's fonts and images",
    "i18n.choose_language": "the 'English | Cymraeg' switch: a language code, then a safe redirect",
}


def walked_rules(app: Flask) -> list[Rule]:
    """Every rule that takes an argument, except the allow-list; fails on an unknown argument."""
    rules, unfillable = [], []
    for rule in app.url_map.iter_rules():
        if not rule.arguments or rule.endpoint in NO_BOARD_DATA:
            continue
        unknown = sorted(rule.arguments - ARGUMENTS.keys())
        if unknown:
            unfillable.append(f"{rule.rule} ({rule.endpoint}) takes {', '.join(unknown)}")
        rules.append(rule)
    if unfillable:
        pytest.fail(
            "The route walk cannot fill these arguments: add an entry to ARGUMENTS in "
            "tests/integration/route_walk.py (and the object to build_board):\n" + "\n".join(unfillable)
        )
    return rules


def path_for(rule: Rule, world: BoardWorld, mixed_with: BoardWorld | None = None, from_world: frozenset[str] = frozenset()) -> str:
    """The rule's path with `world`'s values; args in `from_world` only, the rest from `mixed_with`."""
    values = {}
    for name in rule.arguments:
        source = world if mixed_with is None or name in from_world else mixed_with
        values[name] = ARGUMENTS[name].value(source)
    return rule.build(values, append_unknown=False)[1]


def scoped_arguments(rule: Rule) -> list[str]:
    return sorted(name for name in rule.arguments if ARGUMENTS[name].board_scoped)


def is_public_link(rule: Rule) -> bool:
    return any(ARGUMENTS[name].public_link for name in rule.arguments)


def methods(rule: Rule) -> list[str]:
    return sorted(rule.methods & {"GET", "POST"})


def signed_in_client(app: Flask, user: User | None) -> FlaskClient:
    """A browser with a fresh session for `user` (None: not signed in), skipping the slow password check."""
    client = app.test_client()
    if user is not None:
        with client.session_transaction() as session:
            session["_user_id"] = user.session_token
            session["_fresh"] = True
            session["signed_in_at"] = datetime.now(UTC).timestamp()
            session.permanent = True
    return client


def csrf_for(client: FlaskClient) -> str:
    """A valid CSRF token for this browser's session (every page has one in its forms)."""
    from tests.factories import page

    field_ = page(client.get("/password-reset")).select_one("input[name=csrf_token]")
    return field_["value"]


def post_json(client: FlaskClient, path: str, token: str | None):
    """A POST as a script would send it: a JSON object, the CSRF token in the header.

    Forms accept it too (Flask-WTF reads JSON bodies), and it reaches every
    route's permission check, where a form body can stop earlier at 'send JSON'.
    """
    headers = {"X-CSRFToken": token} if token else {}
    body = {"benchmark_id": current_framework().benchmarks[0].id, "rating": None, "evidence": "", "version": 1}
    return client.post(path, data=json.dumps(body), content_type="application/json", headers=headers)


def sent_to_sign_in(response) -> bool:
    """Refused for want of signing in: 401, or a redirect to the sign-in page with `next`."""
    location = response.headers.get("Location", "")
    return response.status_code == 401 or (response.status_code == 302 and location.startswith("/sign-in?next="))


def snapshot() -> dict[str, list[str]]:
    """Every row of every table, except logs and caches that reading a page may add to."""
    db.session.commit()
    # The audit trail records refusals; held_saves keeps text typed after a
    # session ended; report_pdfs caches a PDF someone allowed has read.
    skipped = {"audit_events", "held_saves", "report_pdfs"}
    # Only tables the migrations have made (a model still being built may not have one yet).
    existing = set(inspect(db.engine).get_table_names())
    return {
        table.name: sorted(repr(tuple(row)) for row in db.session.execute(table.select()))
        for table in db.metadata.sorted_tables
        if table.name in existing and table.name not in skipped
    }


def permission_table() -> dict[str, dict[str, str]]:
    """The route table of docs/permissions.md: endpoint -> role -> 'yes' | 'no' | 'link'."""
    text = PERMISSIONS_DOC.read_text(encoding="utf-8")
    section = text.split("## Route table", 1)[1]
    table = {}
    for line in section.splitlines():
        if not line.startswith("| `"):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        endpoint = cells[0].strip("`")
        table[endpoint] = dict(zip(ROLES, cells[1:], strict=True))
    return table
