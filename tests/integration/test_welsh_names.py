"""A board's name and a round's title in Welsh (optional): Welsh pages and the Welsh report use them (issue 16)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.data.models import AssessmentRound, Board
from app.data.reports import build_report
from app.extensions import db
from app.web.i18n import today_here
from tests.factories import page
from tests.integration.govuk import errors
from tests.integration.round_builder import Respondent, form_values


def _set(values, **fields):
    for key, value in fields.items():
        values[key] = value
    return values


def test_an_administrator_gives_a_board_a_welsh_name_and_welsh_pages_use_it(app, make_user, login):
    admin = login(make_user("Alex Administrator", is_admin=True), test_client=app.test_client())
    values = form_values(page(admin.get("/admin/boards/new")))
    _set(values, name="Western Bay Safeguarding Board", name_cy="Bwrdd Diogelu Bae’r Gorllewin", nation="wales", kind="regional_safeguarding_board")
    _set(values, local_authorities="Swansea")
    response = admin.post("/admin/boards/new", data=values)
    board = db.session.scalar(select(Board))
    assert board.name_cy == "Bwrdd Diogelu Bae’r Gorllewin"
    assert page(admin.get(response.location)).select_one(".govuk-caption-l").get_text(strip=True) == "Western Bay Safeguarding Board"
    admin.get("/language/cy")
    assert page(admin.get(response.location)).select_one(".govuk-caption-l").get_text(strip=True) == "Bwrdd Diogelu Bae’r Gorllewin"
    # The Welsh name is optional, and limited like the English one.
    values = form_values(page(admin.get(f"/admin/boards/{board.id}/details")))
    _set(values, name_cy="B" * 201)
    assert errors(page(admin.post(f"/admin/boards/{board.id}/details", data=values))) == [
        "Rhaid i enw’r bwrdd yn Gymraeg fod yn 200 nod neu lai"
    ]
    db.session.expire_all()
    assert board.name_cy == "Bwrdd Diogelu Bae’r Gorllewin"


def test_a_round_with_a_welsh_title_shows_it_on_welsh_pages_and_in_the_welsh_report(app, client, login, build_round):
    built = build_round([Respondent("police")])
    built.board.name_cy = "Bwrdd Diogelu Plant Gwent"
    db.session.commit()
    login(built.manager)
    url = f"/boards/{built.board.id}/rounds/new"
    values = form_values(page(client.get(url)))
    deadline = today_here() + timedelta(days=30)
    _set(values, title="Self-assessment 2027", title_cy="Hunanasesiad 2027")
    values.setlist("deadline", [str(deadline.day), str(deadline.month), str(deadline.year)])
    assert client.post(url, data=values).status_code == 302
    opened = db.session.scalar(select(AssessmentRound).where(AssessmentRound.title == "Self-assessment 2027"))
    assert opened.title_cy == "Hunanasesiad 2027"

    assert page(client.get(f"/rounds/{opened.id}")).h1.get_text(strip=True) == "Self-assessment 2027"
    client.get("/language/cy")
    soup = page(client.get(f"/rounds/{opened.id}"))
    assert soup.h1.get_text(strip=True) == "Hunanasesiad 2027"
    assert soup.select_one(".govuk-caption-l").get_text(strip=True) == "Bwrdd Diogelu Plant Gwent"

    welsh = build_report(opened, lang="cy", today=today_here())
    english = build_report(opened, lang="en", today=today_here())
    assert (welsh.board, welsh.title) == ("Bwrdd Diogelu Plant Gwent", "Hunanasesiad 2027")
    assert (english.board, english.title) == (built.board.name, "Self-assessment 2027")


def test_without_a_welsh_name_welsh_pages_show_the_english_one(app, client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    client.get("/language/cy")
    soup = page(client.get(f"/rounds/{built.round.id}"))
    assert soup.h1.get_text(strip=True) == built.round.title
    assert soup.select_one(".govuk-caption-l").get_text(strip=True) == built.board.name
