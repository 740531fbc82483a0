"""The PDF is stored keyed by a hash of everything it shows: served again with an ETag, remade on any change."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select

from app import create_app
from app.data.models import Action, AgreedRating, Answer, ChallengeComment, EvidenceItem, ReportPdf, Response
from app.data.report_cache import DatabaseStore, DirectoryStore, report_key
from app.data.reports import build_report
from app.extensions import db
from app.reports import render
from tests.conftest import IsolatedClient, _config_dict


@pytest.fixture
def renders(monkeypatch) -> list[str]:
    """Count renders, and make them instant: caching does not need a real PDF."""
    made: list[str] = []

    def fake_render(html: str, static_folder: str, fetcher=None) -> bytes:
        made.append(html)
        return f"%PDF-1.7 fake {len(made)}".encode()

    monkeypatch.setattr(render, "html_to_pdf", fake_render)
    return made


def second_server(app, **config):
    """Another app process on the same database, as behind a load balancer."""
    other = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], **config})
    other.test_client_class = IsolatedClient
    return other


def test_an_unchanged_report_is_served_from_the_store_with_an_etag(client, login, known_round, renders):
    login(known_round.manager)
    path = f"/rounds/{known_round.round.id}/report.pdf"
    first = client.get(path)
    assert first.status_code == 200 and first.data == b"%PDF-1.7 fake 1"
    etag = first.headers["ETag"].strip('"')
    assert len(etag) == 64 and first.headers["Cache-Control"] == "private, no-cache"

    again = client.get(path)
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    not_modified = client.get(path, headers={"If-None-Match": first.headers["ETag"]})
    assert not_modified.status_code == 304 and not_modified.data == b""
    assert not_modified.headers["ETag"] == first.headers["ETag"]
    assert len(renders) == 1
    assert db.session.scalar(select(ReportPdf.cache_key)) == etag


def test_any_change_to_what_the_report_shows_makes_a_new_one(client, login, known_round, renders):
    login(known_round.manager)
    path = f"/rounds/{known_round.round.id}/report.pdf"
    etags = [client.get(path).headers["ETag"]]

    def changed() -> str:
        db.session.commit()
        response = client.get(path, headers={"If-None-Match": etags[-1]})
        assert response.status_code == 200, "a change must not be answered 304"
        etags.append(response.headers["ETag"])
        return response.headers["ETag"]

    agreed = db.session.scalar(select(AgreedRating).where(AgreedRating.round_id == known_round.round.id, AgreedRating.benchmark_id == "outputs.2"))
    agreed.rationale = "Reviewed again"
    changed()
    db.session.get(EvidenceItem, known_round.evidence.id).impact = "Now 19 of 20 cases"
    changed()
    db.session.scalar(select(Action).where(Action.round_id == known_round.round.id)).status = "done"
    changed()
    db.session.add(
        ChallengeComment(round_id=known_round.round.id, benchmark_id="outcomes.1", author_id=known_round.inspector.id, author_role="inspector", text="Why?")
    )
    changed()
    # A member's answer moves the median of a benchmark, so the report changes.
    answer = db.session.scalar(
        select(Answer).join(Response).where(Response.round_id == known_round.round.id, Response.agency == "police", Answer.benchmark_id == "capacity.1")
    )
    answer.rating = "outstanding"
    changed()
    assert len(set(etags)) == len(etags) == 6
    assert len(renders) == 6
    # Only the newest PDF of a round and language is kept.
    assert db.session.scalar(select(func.count()).select_from(ReportPdf)) == 1


def test_the_business_manager_and_inspector_share_one_pdf_per_language(app, login, known_round, renders):
    path = f"/rounds/{known_round.round.id}/report.pdf"
    manager = login(known_round.manager, test_client=app.test_client())
    inspector = login(known_round.inspector, test_client=app.test_client())
    english = manager.get(path).headers["ETag"]
    assert inspector.get(path).headers["ETag"] == english
    assert inspector.get(path + "?lang=cy").headers["ETag"] != english
    assert len(renders) == 2
    assert db.session.scalar(select(func.count()).select_from(ReportPdf)) == 2


def test_another_app_server_serves_the_stored_pdf(app, login, known_round, renders):
    path = f"/rounds/{known_round.round.id}/report.pdf"
    first = login(known_round.manager, test_client=app.test_client()).get(path)
    other = second_server(app)
    with other.app_context():
        client = login(known_round.manager, test_client=other.test_client())
        assert client.get(path, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
        assert client.get(path).data == first.data
        db.session.remove()
    assert len(renders) == 1


def test_a_shared_folder_can_hold_the_pdfs_instead(app, login, known_round, renders, tmp_path):
    folder = tmp_path / "reports"
    path = f"/rounds/{known_round.round.id}/report.pdf"
    servers = [second_server(app, SAIT_REPORT_CACHE_DIR=str(folder)) for _ in range(2)]
    responses = []
    for server in servers:
        with server.app_context():
            responses.append(login(known_round.manager, test_client=server.test_client()).get(path))
            db.session.remove()
    assert responses[0].data == responses[1].data and len(renders) == 1
    etag = responses[0].headers["ETag"].strip('"')
    assert [p.name for p in (folder / f"round-{known_round.round.id}").iterdir()] == [f"en-{etag}.pdf"]
    assert db.session.scalar(select(func.count()).select_from(ReportPdf)) == 0

    db.session.get(EvidenceItem, known_round.evidence.id).title = "Renamed audit"
    db.session.commit()
    with servers[0].app_context():
        newer = login(known_round.manager, test_client=servers[0].test_client()).get(path).headers["ETag"].strip('"')
        db.session.remove()
    assert [p.name for p in (folder / f"round-{known_round.round.id}").iterdir()] == [f"en-{newer}.pdf"]


def test_the_key_covers_the_data_the_template_and_the_language(app, known_round):
    report = build_report(known_round.round, today=date(2026, 6, 1))
    key = report_key(report, "template-1")
    assert report_key(build_report(known_round.round, today=date(2026, 6, 1)), "template-1") == key
    assert report_key(report, "template-2") != key
    assert report_key(dataclasses.replace(report, lang="cy"), "template-1") != key
    # "As at" a later day, an action may have become overdue: a new report.
    assert report_key(build_report(known_round.round, today=date(2026, 6, 2)), "template-1") != key


def test_storing_the_same_pdf_twice_keeps_one(app, known_round):
    store = DatabaseStore()
    for _ in range(2):
        store.put(known_round.round.id, "en", "a" * 64, b"%PDF")
    assert store.get(known_round.round.id, "en", "a" * 64) == b"%PDF"
    assert db.session.scalar(select(func.count()).select_from(ReportPdf)) == 1


def test_the_folder_store_writes_whole_files(tmp_path):
    store = DirectoryStore(tmp_path)
    store.put(7, "en", "b" * 64, b"%PDF-one")
    store.put(7, "cy", "c" * 64, b"%PDF-cy")
    store.put(7, "en", "d" * 64, b"%PDF-two")
    assert store.get(7, "en", "b" * 64) is None
    assert store.get(7, "en", "d" * 64) == b"%PDF-two" and store.get(7, "cy", "c" * 64) == b"%PDF-cy"
    assert sorted(p.name for p in (tmp_path / "round-7").iterdir()) == [f"cy-{'c' * 64}.pdf", f"en-{'d' * 64}.pdf"]
