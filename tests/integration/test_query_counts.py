"""Pages make a constant number of SQL queries, however many benchmarks there are."""

from __future__ import annotations

import copy
from contextlib import contextmanager
from datetime import date

import pytest
import yaml
from sqlalchemy import event, func, insert, select

from app import create_app
from app.config import Config
from app.extensions import db
from tests.conftest import IsolatedClient, _config_dict
from tests.factories import PASSWORD, csrf_token, page


def _framework_with(tmp_path, benchmarks_per_domain: int) -> str:
    """The shipped framework with every domain cut or grown to N benchmarks."""
    with open(Config.SAIT_FRAMEWORK_PATH, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    for domain in data["domains"]:
        template = domain["benchmarks"][0]
        grown = []
        for n in range(1, benchmarks_per_domain + 1):
            benchmark = copy.deepcopy(domain["benchmarks"][(n - 1) % len(domain["benchmarks"])] if n <= len(domain["benchmarks"]) else template)
            benchmark["id"] = f"{domain['id']}.{n}"
            benchmark["title"] = f"Benchmark {n}"
            grown.append(benchmark)
        domain["benchmarks"] = grown
    path = tmp_path / f"framework_{benchmarks_per_domain}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return str(path)


@contextmanager
def counting_queries(engine):
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _queries_for_domain_page(database_url, framework_path, register_size: int = 0, *, autosave: bool = False) -> int:
    """Queries for one domain page (or one autosave from it), with ``register_size`` evidence items each cited by every answer."""
    app = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url, "SAIT_FRAMEWORK_PATH": framework_path})
    app.test_client_class = IsolatedClient
    with app.app_context():
        from app.auth.passwords import hash_password
        from app.data.framework_store import current_framework, pin_current_framework
        from app.data.models import Answer, AssessmentRound, Board, EvidenceItem, Membership, User, answer_evidence
        from app.data.questionnaire import create_response

        framework = current_framework()
        board = Board(name=f"Board {framework_path}")
        user = User(name="Counter", email=f"count{len(framework.benchmarks)}@example.org", password_hash=hash_password(PASSWORD))
        db.session.add_all([board, user])
        db.session.flush()
        membership = Membership(user_id=user.id, board_id=board.id, role="member", agency="police")
        db.session.add(membership)
        db.session.flush()
        assessment_round = AssessmentRound(board_id=board.id, framework_version_id=pin_current_framework().id, title="Round", target_level="good")
        db.session.add(assessment_round)
        db.session.flush()
        response = create_response(assessment_round, membership, framework)
        items = [
            EvidenceItem(board_id=board.id, title=f"Audit {n}", source_agency="police", evidence_date=date(2026, 1, 1), impact="Children seen sooner")
            for n in range(register_size)
        ]
        db.session.add_all(items)
        db.session.flush()
        answer_ids = db.session.scalars(select(Answer.id).where(Answer.response_id == response.id)).all()
        if items:
            db.session.execute(insert(answer_evidence), [{"answer_id": a, "evidence_item_id": item.id} for a in answer_ids for item in items])
        db.session.commit()
        client = app.test_client()
        token = csrf_token(client, "/sign-in")
        client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        url = f"/rounds/{assessment_round.id}/respond/{framework.domains[0].id}"
        token = csrf_token(client, url)  # also warms caches (framework parse)
        if autosave:
            benchmark = framework.domains[0].benchmarks[0]
            # Every item was cited; keeping only the newest is checked against the register and changes the links.
            keep = db.session.scalar(select(func.max(EvidenceItem.id)).where(EvidenceItem.board_id == board.id))
            payload = {"benchmark_id": benchmark.id, "rating": "good", "evidence": "Audit", "evidence_ids": [keep], "version": 1}
            with counting_queries(db.engine) as statements:
                reply = client.post(f"{url}/autosave", json=payload, headers={"X-CSRFToken": token})
            assert reply.status_code == 200 and reply.json["version"] == 2, reply.json
            db.session.remove()
            db.engine.dispose()
            return len(statements)
        with counting_queries(db.engine) as statements:
            response = client.get(url)
        assert response.status_code == 200
        soup = page(response)
        assert len(soup.select("[data-benchmark-id]")) == len(framework.domains[0].benchmarks)
        # Every register item is offered, ticked, under every benchmark.
        assert len(soup.select("input[type=checkbox][name$='-cites'][checked]")) == register_size * len(framework.domains[0].benchmarks)
        db.session.remove()
        db.engine.dispose()
        return len(statements)


@pytest.mark.parametrize("pages", ["domain"])
def test_domain_page_queries_do_not_grow_with_benchmarks(database_url, tmp_path, pages):
    six = _queries_for_domain_page(database_url, _framework_with(tmp_path, 6))
    sixty = _queries_for_domain_page(database_url, _framework_with(tmp_path, 60))
    assert six == sixty
    assert six <= 12


def test_domain_page_queries_do_not_grow_with_the_evidence_register(database_url, tmp_path):
    """Citations are loaded for the whole page at once, however many items each answer cites."""
    small = _queries_for_domain_page(database_url, _framework_with(tmp_path, 6), register_size=1)
    large = _queries_for_domain_page(database_url, _framework_with(tmp_path, 60), register_size=25)
    assert small == large


def test_an_autosave_makes_a_few_queries_whatever_the_register_holds(database_url, tmp_path):
    """The hot path: each keystroke pause sends one. Loading the pinned framework's text is not part of it."""
    small = _queries_for_domain_page(database_url, _framework_with(tmp_path, 6), register_size=2, autosave=True)
    large = _queries_for_domain_page(database_url, _framework_with(tmp_path, 60), register_size=25, autosave=True)
    assert small == large
    # user, round, membership, response, register check, answer, its citations,
    # update, citations deleted and inserted, audit, user again after commit
    assert small <= 12
