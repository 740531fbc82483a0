"""Inspectors record findings, recommendations and publish them; the board reads them only once published."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.data.framework_store import current_framework
from app.data.inspection import findings_stamp, round_findings
from app.data.models import AuditEvent, Finding, Inspection, Recommendation
from app.data.moderation import round_picture
from app.extensions import db
from app.web.i18n import today_here
from tests.factories import csrf_token, page
from tests.integration.govuk import banner, errors, table_rows
from tests.integration.inspection_helpers import agree, all_domains, record_findings
from tests.integration.questionnaire_helpers import domain_form_data
from tests.integration.round_builder import Respondent

RI = "requires_improvement"


def _judgements_form(client, round_id: int, **overrides) -> dict:
    soup = page(client.get(f"/rounds/{round_id}/inspection/judgements"))
    data = domain_form_data(soup)
    # The date is three boxes with one name, sent as three values.
    data["inspected_on"] = [box.get("value", "") for box in soup.select("input[name=inspected_on]")]
    data.update(overrides)
    return data


def _complete(framework, level="good", **overrides) -> dict:
    data: dict = {"inspected_on": ["14", "3", "2026"]}
    for domain in framework.domains:
        data[f"{domain.id}-judgement"] = level
        data[f"{domain.id}-summary"] = f"What the inspectors found on {domain.id}."
    data.update(overrides)
    return data


def _audit_actions() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all())


def test_inspector_records_the_date_and_a_judgement_per_domain(client, login, inspected_round):
    setup = inspected_round
    framework = current_framework()
    login(setup.inspector)
    soup = page(client.get(f"/rounds/{setup.round.id}/inspection/judgements"))
    assert soup.select_one("h1").get_text(strip=True) == "Inspection date and domain judgements"
    assert [h.get_text(strip=True) for h in soup.select("main section h2")] == [d.title.get() for d in framework.domains]

    data = _judgements_form(client, setup.round.id, **_complete(framework))
    data["outcomes-judgement"] = "inadequate"
    data["governance-summary"] = "Challenge is <b>recorded</b> but not followed up."
    response = client.post(f"/rounds/{setup.round.id}/inspection/judgements", data=data)
    assert response.status_code == 302
    soup = page(client.get(response.headers["Location"]))
    assert "The inspection date and domain judgements were saved." in banner(soup)
    rows = table_rows(soup, "domain-judgements")
    assert rows[0] == ["Inadequate", "What the inspectors found on outcomes."]
    assert rows[2] == ["Good", "Challenge is <b>recorded</b> but not followed up."]
    assert soup.select_one("#domain-judgements b") is None  # escaped, shown as typed
    summary = soup.select_one("#inspection-summary").get_text(" ", strip=True)
    assert "Draft" in summary and "14 March 2026" in summary
    assert _audit_actions().count("finding_saved") == 5
    assert "inspection_started" in _audit_actions() and "inspection_date_saved" in _audit_actions()


def test_the_board_sees_nothing_until_the_findings_are_published(client, login, inspected_round):
    setup = inspected_round
    record_findings(setup.round, setup.inspector, {**all_domains(current_framework(), "good"), "overall": "good"}, published=False)
    for person in (setup.manager, setup.member):
        login(person)
        soup = page(client.get(f"/rounds/{setup.round.id}/inspection"))
        assert "have not published their findings" in soup.select_one("#not-published").get_text()
        assert soup.select_one("#domain-judgements") is None
        assert "Summary for outcomes" not in soup.get_text()
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})

    login(setup.inspector)
    token = csrf_token(client, f"/rounds/{setup.round.id}/inspection")
    stamp = page(client.get(f"/rounds/{setup.round.id}/inspection")).select_one("input[name=seen]")["value"]
    response = client.post(f"/rounds/{setup.round.id}/inspection/publish", data={"csrf_token": token, "seen": stamp})
    soup = page(client.get(response.headers["Location"]))
    assert "The findings are published" in banner(soup)
    assert "Published" in soup.select_one("#inspection-summary").get_text()
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})

    login(setup.member)
    soup = page(client.get(f"/rounds/{setup.round.id}/inspection"))
    assert soup.select_one("#not-published") is None
    assert table_rows(soup, "domain-judgements")[0] == ["Good", "Summary for outcomes"]
    assert soup.select_one("#inspector-actions") is None
    assert "findings_published" in _audit_actions()


def test_publishing_needs_a_date_and_the_overall_judgement(client, login, inspected_round):
    setup = inspected_round
    framework = current_framework()
    login(setup.inspector)
    data = _judgements_form(client, setup.round.id, **{"outcomes-judgement": "good", "outcomes-summary": "Only this one."})
    client.post(f"/rounds/{setup.round.id}/inspection/judgements", data=data)
    soup = page(client.get(f"/rounds/{setup.round.id}/inspection"))
    missing = soup.select_one("#missing").get_text(" ", strip=True)
    assert "Enter the date of the inspection" in missing
    assert "Select the overall judgement of the board" in missing
    assert f"Select the judgement for ‘{framework.domains[1].title.get()}’" not in missing  # domain judgements are optional
    assert not soup.find("button", string=lambda s: s and "Publish" in s)
    stamp = findings_stamp(round_findings(setup.round.id))
    soup = page(client.post(f"/rounds/{setup.round.id}/inspection/publish", data={"csrf_token": csrf_token(client, "/"), "seen": stamp}))
    assert "Select the overall judgement of the board" in errors(soup)
    assert db.session.scalar(select(Inspection.status)) == "draft"


def test_an_invalid_date_is_reported_and_nothing_is_saved(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    data = _judgements_form(client, setup.round.id, **_complete(current_framework(), inspected_on=["31", "2", "2026"]))
    soup = page(client.post(f"/rounds/{setup.round.id}/inspection/judgements", data=data))
    assert errors(soup) == ["Enter the date of the inspection as a real date, like 14 3 2026"]
    assert soup.select_one("title").get_text().startswith("Error: ")
    assert db.session.scalar(select(Finding.id)) is None


def test_a_date_in_the_future_is_refused_and_nothing_is_saved(client, login, inspected_round):
    """The file import already refused 2099-01-01; the web form accepted it (issue 12, defect 11)."""
    setup = inspected_round
    login(setup.inspector)
    tomorrow = today_here() + timedelta(days=1)
    for day in (tomorrow, date(2099, 1, 1)):
        data = _judgements_form(client, setup.round.id, **_complete(current_framework(), inspected_on=[str(day.day), str(day.month), str(day.year)]))
        soup = page(client.post(f"/rounds/{setup.round.id}/inspection/judgements", data=data))
        assert errors(soup) == ["The date of the inspection must be today or in the past"]
        assert db.session.scalar(select(Finding.id)) is None
    today = today_here()
    data = _judgements_form(client, setup.round.id, **_complete(current_framework(), inspected_on=[str(today.day), str(today.month), str(today.year)]))
    assert client.post(f"/rounds/{setup.round.id}/inspection/judgements", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Inspection.inspected_on)) == today


def test_two_inspectors_saving_at_once_keep_both_versions(client, app, login, inspected_round, make_user, add_member):
    setup = inspected_round
    other = make_user("Second Inspector")
    add_member(other, setup.board, "inspector", "other")
    first_client, second_client = client, app.test_client()
    login(setup.inspector, test_client=first_client)
    login(other, test_client=second_client)
    url = f"/rounds/{setup.round.id}/inspection/judgements"
    first = _judgements_form(first_client, setup.round.id, **{"outcomes-judgement": "good", "outcomes-summary": "First inspector's view."})
    second = _judgements_form(second_client, setup.round.id, **{"outcomes-judgement": "inadequate", "outcomes-summary": "Second inspector's view."})
    assert first_client.post(url, data=first).status_code == 302
    soup = page(second_client.post(url, data=second))

    assert "changed by someone else at the same time" in soup.select_one("#conflicts").get_text()
    warning = soup.select_one("#domain-outcomes .govuk-warning-text").get_text(" ", strip=True)
    assert "Huw Inspector" in warning and "First inspector's view." in warning
    assert soup.select_one("#outcomes-summary").get_text() == "Second inspector's view."
    assert soup.select_one("input[name=outcomes-judgement][value=inadequate]").has_attr("checked")
    saved = db.session.scalar(select(Finding).where(Finding.subject_id == "outcomes"))
    assert (saved.level, saved.text) == ("good", "First inspector's view.")
    conflict = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "finding_conflict"))
    assert conflict.detail["text"] == "Second inspector's view."

    # Saving again now goes through against the version that is stored.
    again = {**domain_form_data(soup), "inspected_on": ["", "", ""]}
    assert second_client.post(url, data=again).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Finding.text).where(Finding.subject_id == "outcomes")) == "Second inspector's view."


def test_findings_on_benchmarks_are_optional_and_can_be_cleared(client, login, inspected_round):
    setup = inspected_round
    framework = current_framework()
    domain = framework.domains[2]
    first, second = domain.benchmarks[0], domain.benchmarks[1]
    key1, key2 = first.id.replace(".", "_"), second.id.replace(".", "_")
    login(setup.inspector)
    url = f"/rounds/{setup.round.id}/inspection/benchmarks/{domain.id}"
    soup = page(client.get(url))
    assert soup.select_one("h1").get_text(strip=True) == domain.title.get()
    data = domain_form_data(soup, **{f"{key1}-judgement": RI, f"{key1}-finding": "No minutes of challenge.", f"{key2}-finding": "A finding with no judgement."})
    response = client.post(url, data=data)
    soup = page(client.get(response.headers["Location"]))
    assert table_rows(soup, f"benchmark-findings-{domain.id}") == [
        ["Requires improvement", "No minutes of challenge."],
        ["No judgement", "A finding with no judgement."],
    ]

    data = domain_form_data(page(client.get(url)), **{f"{key1}-judgement": "none"})
    client.post(url, data=data)
    db.session.expire_all()
    assert db.session.scalar(select(Finding.level).where(Finding.subject_id == first.id)) is None


def test_recommendations_are_added_checked_changed_and_deleted(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    url = f"/rounds/{setup.round.id}/inspection/recommendations/new"
    soup = page(client.post(url, data={"csrf_token": csrf_token(client, url), "text": "", "version": ""}))
    assert errors(soup) == ["Enter the recommendation", "Select the priority of the recommendation"]
    response = client.post(
        url,
        data={"csrf_token": csrf_token(client, url), "text": "Agree outcome measures.", "priority": "immediate", "subjects": ["outcomes", "outcomes.1"]},
    )
    soup = page(client.get(response.headers["Location"]))
    row = table_rows(soup, "recommendations-table")[0]
    assert row[0] == "Agree outcome measures." and row[1] == "Immediate"
    assert "Improving safeguarding outcomes for children" in row[2] and "outcomes.1:" in row[2]

    recommendation = db.session.scalar(select(Recommendation))
    edit = f"/rounds/{setup.round.id}/inspection/recommendations/{recommendation.id}/edit"
    form = domain_form_data(page(client.get(edit)), text="Agree three outcome measures.")
    form["priority"] = "improvement"
    client.post(edit, data=form)
    # A stale version: someone saved in between. Nothing is overwritten and both texts are shown.
    form["text"] = "A stale change."
    soup = page(client.post(edit, data=form))
    assert "changed this recommendation at the same time" in soup.select_one("#conflict").get_text()
    assert soup.select_one("#saved-text").get_text() == "Agree three outcome measures."
    assert soup.select_one("#text").get_text() == "A stale change."
    db.session.expire_all()
    assert db.session.scalar(select(Recommendation.text)) == "Agree three outcome measures."

    delete = f"/rounds/{setup.round.id}/inspection/recommendations/{recommendation.id}/delete"
    stale = client.post(delete, data={"csrf_token": csrf_token(client, "/"), "seen": "1"})
    assert "was not deleted" in banner(page(client.get(stale.headers["Location"])))
    response = client.post(delete, data={"csrf_token": csrf_token(client, "/"), "seen": "2"})
    soup = page(client.get(response.headers["Location"]))
    assert "The recommendation was deleted." in banner(soup)
    assert db.session.scalar(select(Recommendation.id)) is None
    assert [a for a in _audit_actions() if a.startswith("recommendation")] == [
        "recommendation_added",
        "recommendation_updated",
        "recommendation_conflict",
        "recommendation_conflict",
        "recommendation_deleted",
    ]


def test_published_findings_are_locked_until_returned_to_draft(client, login, inspected_round):
    setup = inspected_round
    framework = current_framework()
    record_findings(setup.round, setup.inspector, all_domains(framework, "good"))
    login(setup.inspector)
    url = f"/rounds/{setup.round.id}/inspection/judgements"
    response = client.post(url, data=_judgements_form(client, setup.round.id, **{"outcomes-summary": "Changed after publication"}))
    assert "cannot be changed" in banner(page(client.get(response.headers["Location"])))
    assert db.session.scalar(select(Finding.text).where(Finding.subject_id == "outcomes")) == "Summary for outcomes"

    soup = page(client.get(f"/rounds/{setup.round.id}/inspection"))
    stamp = soup.select_one("input[name=seen]")["value"]
    response = client.post(f"/rounds/{setup.round.id}/inspection/draft", data={"csrf_token": csrf_token(client, "/"), "seen": stamp})
    assert "back to draft" in banner(page(client.get(response.headers["Location"])))
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    login(setup.manager)
    assert page(client.get(f"/rounds/{setup.round.id}/inspection")).select_one("#not-published") is not None


def test_publishing_what_someone_else_just_changed_is_refused(client, login, inspected_round):
    setup = inspected_round
    record_findings(setup.round, setup.inspector, {**all_domains(current_framework(), "good"), "overall": "good"}, published=False)
    login(setup.inspector)
    soup = page(client.get(f"/rounds/{setup.round.id}/inspection"))
    stamp = soup.select_one("input[name=seen]")["value"]
    finding = db.session.scalar(select(Finding).where(Finding.subject_id == "outcomes"))
    finding.text, finding.version = "Changed by a colleague", finding.version + 1
    db.session.commit()
    response = client.post(f"/rounds/{setup.round.id}/inspection/publish", data={"csrf_token": csrf_token(client, "/"), "seen": stamp})
    assert "so they were not published" in banner(page(client.get(response.headers["Location"])))
    assert db.session.scalar(select(Inspection.status)) == "draft"


def test_who_may_record_findings(client, login, inspected_round, make_user, make_board, add_member):
    setup = inspected_round
    round_id = setup.round.id
    record_findings(setup.round, setup.inspector, {"outcomes": "good"}, published=False, recommendations=[("Do it.", "immediate", ())])
    recommendation_id = db.session.scalar(select(Recommendation.id))
    pages = [
        f"/rounds/{round_id}/inspection/judgements",
        f"/rounds/{round_id}/inspection/benchmarks/outcomes",
        f"/rounds/{round_id}/inspection/recommendations/new",
        f"/rounds/{round_id}/inspection/recommendations/{recommendation_id}/edit",
        f"/rounds/{round_id}/inspection/import",
    ]
    login(setup.manager)
    for url in pages:
        soup = page(client.get(url))
        assert soup.select_one("h1").get_text(strip=True) == "You do not have permission to see this page", url
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})

    elsewhere = make_user("Other Board Inspector")
    add_member(elsewhere, make_board("Another board"), "inspector", "other")
    admin = make_user("Admin", is_admin=True)
    for person in (elsewhere, admin):
        login(person)
        for url in [*pages, f"/rounds/{round_id}/inspection"]:
            assert page(client.get(url)).select_one("h1").get_text(strip=True) == "Page not found", url
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})

    assert client.get(f"/rounds/{round_id}/inspection").headers["Location"].startswith("/sign-in")


def test_an_id_from_another_round_is_not_found(client, login, inspected_round, build_round, add_member):
    setup = inspected_round
    other = build_round([], board=setup.board, manager=setup.manager, title="Another round")
    record_findings(other.round, setup.inspector, {"outcomes": "good"}, published=False, recommendations=[("Elsewhere.", "improvement", ())])
    recommendation_id = db.session.scalar(select(Recommendation.id))
    login(setup.inspector)
    soup = page(client.get(f"/rounds/{setup.round.id}/inspection/recommendations/{recommendation_id}/edit"))
    assert soup.select_one("h1").get_text(strip=True) == "Page not found"
    assert page(client.get(f"/rounds/{setup.round.id}/inspection/benchmarks/nowhere")).select_one("h1").get_text(strip=True) == "Page not found"


def test_published_findings_feed_the_above_inspection_rigour_flag(client, login, inspected_round, build_round):
    setup = inspected_round
    framework = current_framework()
    record_findings(setup.round, setup.inspector, {**all_domains(framework, RI), "governance.3": "inadequate"})
    later = build_round([Respondent("police")], board=setup.board, manager=setup.manager, title="Next year")
    agree(later.round, {"governance.3": "good", "strategy.1": RI}, moderated=False)
    flags = [f for f in round_picture(later.round, "en").flags if f.kind == "above_inspection"]
    assert [f.benchmark_id for f in flags] == ["governance.3"]
    assert "inspection finding of Inadequate (14 March 2026)" in flags[0].message

    login(setup.inspector)
    soup = page(client.get(f"/rounds/{later.round.id}/flags"))
    assert "Above the last inspection" in soup.select_one("#flag-counts").get_text()

