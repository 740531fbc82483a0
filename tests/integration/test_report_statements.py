"""The board's own voice in its report: statements written with a version check, and the board's sign-off."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.data.models import AuditEvent, ReportSignOff, ReportStatement
from app.extensions import db
from tests.factories import page
from tests.integration.govuk import errors
from tests.integration.round_builder import form_values

OVERALL = "Children on plans are safer than last year (audit E1), but we cannot yet show that early help works."
OUTCOMES = "Outcome measures exist for two of our five priorities; the rest are counts of activity."


def _path(round_id: int) -> str:
    return f"/rounds/{round_id}/report/statements"


def _save(client, round_id: int, **texts) -> object:
    data = form_values(page(client.get(_path(round_id))), f"form[action='{_path(round_id)}']")
    for subject, text in texts.items():
        data[f"statement-{subject}"] = text
    return client.post(_path(round_id), data=data)


def test_the_business_manager_writes_the_board_s_statements(client, login, known_round):
    round_id = known_round.round.id
    login(known_round.manager)
    soup = page(client.get(_path(round_id)))
    labels = [label.get_text(" ", strip=True) for label in soup.select("form label[for^='statement-']")]
    assert len(labels) == 1 + len(known_round.built.framework.domains)
    assert labels[0].startswith("The board’s overall statement") and labels[1].startswith("‘Improving safeguarding outcomes for children’")
    assert "says “Draft” on every page" in soup.select_one("#draft-notice").get_text()

    response = _save(client, round_id, overall=OVERALL, outcomes=OUTCOMES)
    assert response.status_code == 302
    stored = {row.subject: row.text for row in db.session.scalars(select(ReportStatement).where(ReportStatement.round_id == round_id))}
    assert stored == {"overall": OVERALL, "outcomes": OUTCOMES}
    soup = page(client.get(_path(round_id)))
    assert soup.select_one("#statement-overall").get_text() == OVERALL
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.action == "report_statement_saved")) == "report_statement_saved"


def test_two_people_writing_at_once_keep_both_versions(app, client, login, known_round, make_user, add_member):
    round_id = known_round.round.id
    other_manager = make_user(name="Siân Davies")
    add_member(other_manager, known_round.board, "business_manager", "local_authority")
    first = login(known_round.manager)
    second = login(other_manager, test_client=app.test_client())
    mine = form_values(page(first.get(_path(round_id))), f"form[action='{_path(round_id)}']")
    theirs = form_values(page(second.get(_path(round_id))), f"form[action='{_path(round_id)}']")
    theirs["statement-overall"] = "Siân's statement"
    assert second.post(_path(round_id), data=theirs).status_code == 302
    mine["statement-overall"] = OVERALL

    response = first.post(_path(round_id), data=mine)

    assert response.status_code == 200
    soup = page(response)
    assert "Some statements were changed by someone else at the same time" in soup.select_one("#conflicts").get_text()
    assert soup.select_one("#statement-overall").get_text() == OVERALL  # what I typed is kept
    assert "Saved meanwhile by Siân Davies" in soup.get_text() and "Siân's statement" in soup.get_text()
    assert db.session.scalar(select(ReportStatement.text).where(ReportStatement.subject == "overall")) == "Siân's statement"
    # Saving again, having seen theirs, goes through.
    again = form_values(soup, f"form[action='{_path(round_id)}']").to_dict() | {"statement-overall": OVERALL}
    assert first.post(_path(round_id), data=again).status_code == 302
    assert db.session.scalar(select(ReportStatement.text).where(ReportStatement.subject == "overall")) == OVERALL


def test_the_board_s_approval_is_recorded_and_a_changed_statement_withdraws_it(client, login, known_round):
    round_id = known_round.round.id
    login(known_round.manager)
    sign_off_form = f"form[action='/rounds/{round_id}/report/sign-off']"
    data = form_values(page(client.get(_path(round_id))), sign_off_form).to_dict()
    data |= {"approved_on": ["2", "12", "2026"], "chair_name": "Dr Eleri Price"}
    response = client.post(f"/rounds/{round_id}/report/sign-off", data=data)
    assert response.status_code == 302
    sign_off = db.session.scalar(select(ReportSignOff).where(ReportSignOff.round_id == round_id))
    assert (sign_off.approved_on, sign_off.chair_name) == (date(2026, 12, 2), "Dr Eleri Price")
    shown = page(client.get(_path(round_id))).select_one("#sign-off").get_text(" ", strip=True)
    assert "2 December 2026" in shown and "Dr Eleri Price" in shown

    response = _save(client, round_id, overall=OVERALL)
    assert response.status_code == 302
    assert db.session.scalar(select(ReportSignOff).where(ReportSignOff.round_id == round_id)) is None
    assert "The board’s approval was withdrawn" in page(client.get(_path(round_id))).get_text()


def test_a_sign_off_without_a_date_or_chair_is_refused_naming_the_fields(client, login, known_round):
    round_id = known_round.round.id
    login(known_round.manager)
    form = form_values(page(client.get(_path(round_id))), f"form[action='/rounds/{round_id}/report/sign-off']").to_dict()
    response = client.post(f"/rounds/{round_id}/report/sign-off", data={**form, "approved_on": ["", "", ""], "chair_name": ""})
    assert response.status_code == 200
    assert errors(page(response)) == ["Enter the date the board approved the report", "Enter the name of the chair who signs the report"]
    future = date.today() + timedelta(days=30)
    response = client.post(
        f"/rounds/{round_id}/report/sign-off",
        data={**form, "approved_on": [str(future.day), str(future.month), str(future.year)], "chair_name": "Dr Eleri Price"},
    )
    assert errors(page(response)) == ["The date the board approved the report must be today or in the past"]
    assert db.session.scalar(select(ReportSignOff)) is None


def test_only_the_business_manager_writes_statements_or_signs_off(app, login, known_round):
    round_id = known_round.round.id
    for person in (known_round.inspector, known_round.built.members[0]):
        other = login(person, test_client=app.test_client())
        assert other.get(_path(round_id)).status_code in (403, 404)
        assert other.post(f"/rounds/{round_id}/report/sign-off/withdraw").status_code in (400, 403, 404)


def _pdf_pages(client, round_id: int, lang: str = "en") -> list[str]:
    import io

    from pypdf import PdfReader

    response = client.get(f"/rounds/{round_id}/report.pdf?lang={lang}")
    assert response.status_code == 200
    return [" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.data)).pages]


def test_the_report_is_a_draft_on_every_page_until_the_board_approves_it(client, login, known_round):
    round_id = known_round.round.id
    login(known_round.manager)
    soup = page(client.get(f"/rounds/{round_id}/report"))
    assert "Draft: the board has not yet approved this report." in soup.select_one("#approval").get_text()
    assert "has not written its overall statement" in soup.select_one("#no-statement").get_text()
    pages = _pdf_pages(client, round_id)
    assert all("Draft: not yet approved by the board" in text for text in pages), [n for n, t in enumerate(pages, 1) if "Draft" not in t]
    assert all("Drafft: nid yw’r bwrdd wedi’i gymeradwyo eto" in text for text in _pdf_pages(client, round_id, "cy"))


def test_the_board_s_words_and_approval_are_in_the_report(client, login, known_round):
    round_id = known_round.round.id
    login(known_round.manager)
    assert _save(client, round_id, overall=OVERALL, outcomes=OUTCOMES).status_code == 302
    sign_off_form = f"form[action='/rounds/{round_id}/report/sign-off']"
    data = form_values(page(client.get(_path(round_id))), sign_off_form).to_dict() | {"approved_on": ["2", "12", "2026"], "chair_name": "Dr Eleri Price"}
    assert client.post(f"/rounds/{round_id}/report/sign-off", data=data).status_code == 302

    soup = page(client.get(f"/rounds/{round_id}/report"))
    assert soup.select_one("#statement").get_text() == OVERALL
    assert soup.select_one("#analysis-outcomes").get_text() == OUTCOMES
    assert soup.select_one("#domain-outcomes #analysis-outcomes") is not None  # beside the domain's ratings
    assert soup.select_one("#analysis-strategy") is None  # not written: not invented
    assert soup.select_one("#approval").get_text(strip=True) == "Approved by the board on 2 December 2026. Signed by Dr Eleri Price, chair."
    pages = _pdf_pages(client, round_id)
    assert not any("Draft" in text for text in pages)
    assert "Signed by Dr Eleri Price, chair." in pages[0] and OUTCOMES in " ".join(pages)
