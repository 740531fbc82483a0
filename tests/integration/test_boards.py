"""Boards as they are: a kind and a nation, the local authorities covered, and the board's own partners (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.partners import PartnersError, load_partners
from app.data.models import AuditEvent, Board, Invitation
from app.extensions import db
from tests.factories import page
from tests.integration.govuk import banner, errors
from tests.integration.round_builder import Respondent, form_values

REGION = ["Bridgend", "Neath Port Talbot", "Swansea"]


@pytest.fixture
def admin_client(app, make_user, login):
    return login(make_user("Alex Administrator", is_admin=True), test_client=app.test_client())


def _create(client, *, name: str, nation: str, kind: str, areas: list[str]):
    url = "/admin/boards/new"
    values = form_values(page(client.get(url)))
    for key, value in {"name": name, "nation": nation, "kind": kind, "local_authorities": "\n".join(areas)}.items():
        values[key] = value
    return client.post(url, data=values)


def _details(client, board: Board, **changes):
    url = f"/admin/boards/{board.id}/details"
    values = form_values(page(client.get(url)))
    for key, value in changes.items():
        if isinstance(value, list):
            values.setlist(key, value)
        else:
            values[key] = value
    return client.post(url, data=values)


def _about(soup) -> dict[str, str]:
    rows = soup.select("#board-details .govuk-summary-list__row")
    return {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in rows}


def _boards() -> int:
    return db.session.scalar(select(func.count()).select_from(Board))


def test_a_regional_board_covers_several_local_authorities_and_starts_with_its_nations_partners(admin_client):
    response = _create(admin_client, name="Western Bay Safeguarding Board", nation="wales", kind="regional_safeguarding_board", areas=REGION)
    board = db.session.scalar(select(Board))
    assert response.location == f"/boards/{board.id}/members"
    about = _about(page(admin_client.get(response.location)))
    assert about["Kind of board"] == "Regional safeguarding board (Wales)"
    assert about["Local authorities"] == "Bridgend Neath Port Talbot Swansea"
    assert about["Statutory partners"] == "Local authority children's services, Local health board, NHS trust, Police, Probation, Youth offending team"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "board_created"))
    assert event.detail["local_authorities"] == REGION and event.detail["kind"] == "regional_safeguarding_board"


def test_an_english_partnership_has_three_statutory_partners_and_the_round_page_follows_them(admin_client, client, login, build_round):
    _create(admin_client, name="Kent Safeguarding Children Partnership", nation="england", kind="safeguarding_partnership", areas=["Kent"])
    board = db.session.scalar(select(Board))
    about = _about(page(admin_client.get(f"/boards/{board.id}/members")))
    assert about["Statutory partners"] == "Local authority children's services, Integrated care board, Police"
    assert "Local health board" not in about["Other partner agencies"]

    built = build_round([Respondent("local_authority"), Respondent("police")], board=board)
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}"))
    text = soup.select_one("main").get_text(" ", strip=True)
    assert "No submitted response yet from these statutory partners: Integrated care board." in text
    # Probation is not statutory for an English partnership, so it is not asked for.
    assert "Probation" not in text


def test_the_administrator_changes_a_boards_partners_and_which_are_statutory(admin_client, client, login, build_round):
    _create(admin_client, name="Western Bay Safeguarding Board", nation="wales", kind="regional_safeguarding_board", areas=REGION)
    board = db.session.scalar(select(Board))
    partners = ["local_authority", "health_board", "police", "education", "housing", "fire_and_rescue"]
    statutory = ["local_authority", "health_board", "police"]
    response = _details(admin_client, board, partners=partners, statutory=statutory, local_authorities="Swansea\nNeath Port Talbot")
    assert response.location == f"/admin/boards/{board.id}/details"
    assert "have been saved" in banner(page(admin_client.get(response.location)))
    about = _about(page(admin_client.get(f"/boards/{board.id}/members")))
    assert about["Statutory partners"] == "Local authority children's services, Local health board, Police"
    assert about["Other partner agencies"] == "Education, Housing, Fire and rescue service"
    assert about["Local authorities"] == "Swansea Neath Port Talbot"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "board_changed"))
    assert event.detail["statutory"] == ["local_authority", "health_board", "police"]

    # Probation is no longer statutory, so the round page does not ask for it.
    built = build_round([Respondent("local_authority"), Respondent("health_board")], board=board)
    login(built.manager)
    text = page(client.get(f"/rounds/{built.round.id}")).select_one("main").get_text(" ", strip=True)
    assert "No submitted response yet from these statutory partners: Police." in text
    # Once the round has closed, "yet" would mislead: it says they did not respond before it closed.
    built.round.status = "closed"
    db.session.commit()
    text = page(client.get(f"/rounds/{built.round.id}")).select_one("main").get_text(" ", strip=True)
    assert "These statutory partners did not submit a response before the round closed: Police." in text
    assert "No submitted response yet" not in text


def test_only_the_boards_own_partners_are_offered_and_accepted_when_inviting(admin_client, client, login, build_round):
    _create(admin_client, name="Kent Safeguarding Children Partnership", nation="england", kind="safeguarding_partnership", areas=["Kent"])
    board = db.session.scalar(select(Board))
    built = build_round([Respondent("local_authority")], board=board)
    login(built.manager)
    url = f"/boards/{board.id}/members/invite"
    soup = page(client.get(url))
    offered = [option["value"] for option in soup.select("select[name=agency] option") if option["value"]]
    assert "integrated_care_board" in offered and "health_board" not in offered
    values = form_values(soup)
    for key, value in {"name": "Rhian Price", "email": "rhian@example.org", "role": "member", "agency": "health_board"}.items():
        values[key] = value
    refused = page(client.post(url, data=values))
    assert errors(refused) == ["Select one of the board’s partner agencies"]
    assert refused.select_one(".govuk-error-summary__list a")["href"] == "#agency"
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0


def test_bad_board_details_name_the_field_and_change_nothing(admin_client):
    before = _boards()
    cases = {
        ("wales", "safeguarding_partnership"): ("kind", "A safeguarding children partnership is not a kind of board in Wales"),
        ("england", "regional_safeguarding_board"): ("kind", "A regional safeguarding board is not a kind of board in England"),
    }
    for (nation, kind), (field, message) in cases.items():
        soup = page(_create(admin_client, name="Test Board", nation=nation, kind=kind, areas=["Cardiff"]))
        assert errors(soup) == [message]
        assert soup.select_one(".govuk-error-summary__list a")["href"] == f"#{field}"
    soup = page(_create(admin_client, name="Test Board", nation="wales", kind="regional_safeguarding_board", areas=["Cardiff", "cardiff"]))
    assert errors(soup) == ["Each local authority must be listed once"]
    soup = page(_create(admin_client, name="Test Board", nation="wales", kind="regional_safeguarding_board", areas=[f"Council {n}" for n in range(21)]))
    assert errors(soup) == ["Enter 20 local authorities or fewer"]
    soup = page(_create(admin_client, name="Test Board", nation="wales", kind="regional_safeguarding_board", areas=[]))
    assert errors(soup) == ["Enter at least one local authority the board covers"]
    assert _boards() == before

    _create(admin_client, name="Western Bay Safeguarding Board", nation="wales", kind="regional_safeguarding_board", areas=REGION)
    board = db.session.scalar(select(Board))
    soup = page(_details(admin_client, board, partners=["police", "education"], statutory=["police", "probation"]))
    assert errors(soup) == ["A statutory partner must also be a partner agency: Probation"]
    assert soup.select_one(".govuk-error-summary__list a")["href"] == "#statutory"
    soup = page(_details(admin_client, board, partners=[], statutory=[]))
    assert errors(soup) == ["Select at least one partner agency", "Select at least one statutory partner"]
    db.session.expire_all()
    assert len(board.partners) == 10 and sum(p.statutory for p in board.partners) == 6


def test_only_the_administrator_can_change_a_boards_details(app, make_user, login, build_round):
    built = build_round([Respondent("police")])
    for user in (built.manager, built.members[0]):
        client = login(user, test_client=app.test_client())
        assert client.get(f"/admin/boards/{built.board.id}/details").status_code in (403, 404)
        assert client.post(f"/admin/boards/{built.board.id}/details", data={"name": "Taken over"}).status_code in (400, 403, 404)
    db.session.expire_all()
    assert built.board.name != "Taken over"


def test_a_broken_partners_file_is_refused_with_file_and_line(tmp_path: Path):
    broken = tmp_path / "partners.yaml"
    text = (Path(__file__).parents[2] / "partners.yaml").read_text(encoding="utf-8")
    broken.write_text(text.replace("{agency: police, statutory: true}", "{agency: constabulary, statutory: true}", 1), encoding="utf-8")
    with pytest.raises(PartnersError) as raised:
        load_partners(broken)
    line = next(n for n, row in enumerate(broken.read_text().splitlines(), start=1) if "constabulary" in row)
    assert f"partners.yaml:{line}:" in str(raised.value)
    assert "constabulary" in str(raised.value)
