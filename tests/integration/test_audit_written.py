"""The audit trail never shows what people wrote, to the administrator or anyone.

What people wrote is listed beside the models (`app.data.models.written`); the
trail shows only codes, numbers, dates and account names as recorded
(`app.admin.audit_text.SHOWN_AS_RECORDED`), and everything else as a length.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import JSON, String, Text

from app.admin.audit_text import SHOWN_AS_RECORDED
from app.core.findings_file import RecommendationInput
from app.data.challenge import add_challenge_comment
from app.data.evidence import EvidenceFields, create_item, update_item
from app.data.framework_store import current_framework
from app.data.inspection import FindingEdit, round_findings, save_findings
from app.data.models import AuditEvent
from app.data.models.written import NOT_WRITTEN, WRITTEN, written_column_names
from app.data.moderation import AgreedInput, save_agreed_ratings
from app.data.plan import ActionFields, create_action
from app.data.recommendations import add_recommendation
from app.extensions import db
from tests.factories import page
from tests.integration.govuk import table_rows
from tests.integration.route_walk import build_board, make_admin


def text_columns() -> set[tuple[str, str]]:
    return {
        (table.name, column.name)
        for table in db.metadata.tables.values()
        for column in table.columns
        if isinstance(column.type, (String, Text, JSON))
    }


def test_every_text_column_of_every_model_is_listed_as_written_or_not(app):
    listed_written = {(table, column) for table, columns in WRITTEN.items() for column in columns}
    listed_other = {(table, column) for table, columns in NOT_WRITTEN.items() for column in columns}
    assert listed_written & listed_other == set()
    assert text_columns() - listed_written - listed_other == set(), "classify these columns in app/data/models/written.py"
    assert (listed_written | listed_other) - text_columns() == set(), "these listed columns no longer exist"


def test_no_written_column_is_shown_as_recorded(app):
    assert written_column_names() & SHOWN_AS_RECORDED == set()


def secret(label: str) -> str:
    return f"Secret {label} about child K at 4 Elm Row"


@pytest.fixture
def written_trail(app):
    """A board whose manager and inspector saved every kind of free text, through the code that audits it."""
    world = build_board("Audited")
    framework = current_framework()
    benchmark = framework.benchmarks[0]
    texts = {}

    texts["evidence"] = fields = EvidenceFields(
        title=secret("register title"), source_agency="police", evidence_date=date.today(), impact=secret("impact"), reference=secret("reference"),
        kind="audit", period_start=None, period_end=None, subject_ids=(benchmark.id,),
    )
    item = create_item(world.board.id, fields, world.manager)
    update_item(item, EvidenceFields(**{**fields.__dict__, "title": secret("new title")}), item.version, world.manager)
    create_action(
        world.round,
        ActionFields(
            description=secret("action"),
            owner_agency="police",
            lead_person=secret("lead person"),
            due_date=date.today() + timedelta(days=30),
            success_measure=secret("success measure"),
            status="not_started",
            benchmark_ids=(benchmark.id,),
            domain_id=None,
        ),
        world.manager,
    )
    save_agreed_ratings(world.round, [AgreedInput(benchmark.id, "good", secret("rationale"), frozenset(), 1)], world.manager)
    current = round_findings(world.round.id)
    inspection = current.inspection
    inspection.status = "draft"  # the walk's board has published findings; the inspector edits them again
    db.session.commit()
    save_findings(inspection, [FindingEdit(framework.domains[1].id, "good", secret("finding"), 0)], current.findings, world.inspector)
    add_recommendation(inspection, RecommendationInput(secret("recommendation"), "improvement", (benchmark.id,)), world.inspector)
    add_challenge_comment(world.round, benchmark.id, "inspector", secret("challenge"), world.inspector)
    # Anything stored under a column's own name, whatever the event.
    for table, columns in WRITTEN.items():
        for column in columns:
            db.session.add(AuditEvent(action="something_saved", board_id=world.board.id, at=datetime.now(UTC), detail={column: secret(f"{table}.{column}")}))
    db.session.commit()
    return world


def trail_text(client, path: str) -> str:
    soup = page(client.get(path))
    assert table_rows(soup, "audit"), f"{path} shows no events"
    return soup.select_one("main").get_text(" ")


def test_the_administrator_reads_who_did_what_but_nothing_anyone_wrote(app, login, written_trail):
    admin = login(make_admin(), test_client=app.test_client())
    for path in ("/admin/audit", f"/boards/{written_trail.board.id}/audit"):
        text = trail_text(admin, path)
        assert "Secret" not in text and "child K" not in text
        assert f"title: {len(secret('register title'))} characters" in text
        assert "Evidence added" in text or "evidence added" in text.lower()


def test_the_business_manager_reads_the_same_trail_without_the_texts(app, login, written_trail):
    manager = login(written_trail.manager, test_client=app.test_client())
    text = trail_text(manager, f"/boards/{written_trail.board.id}/audit")
    assert "Secret" not in text
    assert f"rationale: {len(secret('rationale'))} characters" in text


def test_an_unknown_key_shows_as_a_length_even_if_nobody_listed_it(app, login):
    world = build_board("Unlisted")
    db.session.add(
        AuditEvent(action="note_saved", board_id=world.board.id, at=datetime.now(UTC), detail={"minutes": "Chair said child L moved", "pages": ["a", "b"]})
    )
    db.session.commit()
    admin = login(make_admin(), test_client=app.test_client())
    [row] = [row for row in table_rows(page(admin.get(f"/boards/{world.board.id}/audit")), "audit") if row[2] == "Note saved"]
    assert row[3] == "minutes: 24 characters; pages: 2 items"
