"""Build a round with submitted responses in one call, and other helpers for the moderation, results and plan tests.

Its fixtures are registered for every test by ``pytest_plugins`` in tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from sqlalchemy import bindparam, event, update
from werkzeug.datastructures import MultiDict

from app.core.framework import Framework
from app.data.framework_store import current_framework, pin_framework
from app.data.models import AgreedRating, Answer, AssessmentRound, Board, Response, User
from app.data.questionnaire import create_response
from app.extensions import db
from tests.factories import page


@dataclass
class Respondent:
    """A member of a given agency and how they answered: ``default`` for every benchmark not in ``ratings``."""

    agency: str
    ratings: dict[str, str] = field(default_factory=dict)
    evidence: dict[str, str] = field(default_factory=dict)
    default: str | None = "good"
    default_evidence: str = "Audit report, March"  # given as "Audit report, March (outcomes.1, police)": one text for every answer would be reused evidence
    submitted: bool = True
    name: str | None = None


@dataclass
class BuiltRound:
    board: Board
    round: AssessmentRound
    manager: User
    members: list[User]
    framework: Framework


@pytest.fixture
def build_round(app, make_user, make_board, add_member):
    def build(
        respondents: list[Respondent],
        *,
        board: Board | None = None,
        manager: User | None = None,
        title: str = "Self-assessment 2026",
        framework: Framework | None = None,
    ) -> BuiltRound:
        """A round on ``framework`` (default: the one in force), pinned as a round opened on it would be."""
        framework = framework or current_framework()
        board = board or make_board()
        if manager is None:
            manager = make_user("Siân Manager")
            add_member(manager, board, "business_manager", "local_authority")
        pinned = pin_framework(framework)
        assessment_round = AssessmentRound(
            board_id=board.id, framework_version_id=pinned.id, title=title, target_level=framework.target_level, opened_by_id=manager.id
        )
        db.session.add(assessment_round)
        db.session.flush()
        members = []
        now = datetime.now(UTC)
        for respondent in respondents:
            user = make_user(respondent.name)
            membership = add_member(user, board, "member", respondent.agency)
            response = create_response(assessment_round, membership, framework)
            db.session.flush()
            rows = []
            for benchmark in framework.benchmarks:
                rating = respondent.ratings.get(benchmark.id, respondent.default)
                evidence = respondent.evidence.get(benchmark.id, f"{respondent.default_evidence} ({benchmark.id}, {respondent.agency})" if rating else "")
                rows.append({"r": response.id, "b": benchmark.id, "rating": rating, "evidence": evidence, "who": user.id})
            db.session.execute(
                update(Answer.__table__)
                .where(Answer.__table__.c.response_id == bindparam("r"), Answer.__table__.c.benchmark_id == bindparam("b"))
                .values(rating=bindparam("rating"), evidence=bindparam("evidence"), version=2, updated_by_id=bindparam("who"), updated_at=now),
                rows,
            )
            if respondent.submitted:
                db.session.execute(update(Response).where(Response.id == response.id).values(status="submitted", submitted_at=now))
            members.append(user)
        db.session.commit()
        return BuiltRound(board, assessment_round, manager, members, framework)

    return build


@contextmanager
def counted_queries() -> Iterator[list[str]]:
    """The SQL statements run inside the block, for checking a page's query count."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # noqa: ARG001
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def form_values(soup, selector: str = "main form[method=post]") -> MultiDict:
    """What a browser would send for a form as it stands on the page (before any change)."""
    form = soup.select_one(selector)
    assert form is not None, f"no form matching {selector}"
    values = MultiDict()
    for control in form.select("input[name], textarea[name], select[name]"):
        if control.has_attr("disabled"):
            continue
        name = control["name"]
        if control.name == "textarea":
            values.add(name, control.get_text())
        elif control.name == "select":
            chosen = control.select_one("option[selected]") or control.select_one("option")
            values.add(name, chosen.get("value", "") if chosen else "")
        elif control.get("type") in ("radio", "checkbox"):
            if control.has_attr("checked"):
                values.add(name, control.get("value", "y"))
        elif control.get("type") != "submit":
            values.add(name, control.get("value", ""))
    return values


def agree_all(built: BuiltRound, rating: str = "good", *, except_ids: tuple[str, ...] = ()) -> None:
    """Record an agreed rating for every benchmark straight in the database."""
    for benchmark in built.framework.benchmarks:
        if benchmark.id not in except_ids:
            db.session.add(
                AgreedRating(
                    round_id=built.round.id, benchmark_id=benchmark.id, rating=rating, rationale="Agreed at the board meeting", updated_by_id=built.manager.id
                )
            )
    db.session.commit()


@dataclass
class TwoEditors:
    """The board's manager and a second business manager, each with the same form open."""

    mine: FlaskClient
    theirs: FlaskClient
    my_form: MultiDict
    their_form: MultiDict


@pytest.fixture
def open_twice(app, login, make_user, add_member):
    """Open the same form as two business managers of a board, for the conflict tests."""

    def open_form(built: BuiltRound, path: str) -> TwoEditors:
        chair = make_user("Chair Person")
        add_member(chair, built.board, "business_manager", "police")
        mine = login(built.manager, test_client=app.test_client())
        theirs = login(chair, test_client=app.test_client())
        return TwoEditors(mine, theirs, form_values(page(mine.get(path))), form_values(page(theirs.get(path))))

    return open_form
