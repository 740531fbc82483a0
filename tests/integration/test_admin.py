"""The administrator: boards, business managers, accounts, and the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.data.models import AuditEvent, Board, Membership, User
from app.extensions import db
from tests.factories import PASSWORD, csrf_token, page
from tests.integration.govuk import banner, errors, table_rows
from tests.integration.mailbox import last_logged_path, logged_links

NEW_PASSWORD = "the new business manager 2026"


@pytest.fixture
def admin(make_user) -> User:
    return make_user("Alex Administrator", is_admin=True)


@pytest.fixture
def admin_client(app, admin, login):
    return login(admin, test_client=app.test_client())


def post_form(client, path: str, **data):
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def add_business_manager(client, board: Board, **fields):
    data = {"name": "Bethan Lloyd", "email": "bethan@example.org", "agency": "local_authority", **fields}
    return post_form(client, f"/admin/boards/{board.id}/business-managers/new", **data)


# Boards


def test_the_boards_page_lists_each_board_with_its_business_managers(admin_client, make_board, make_user, add_member):
    gwent = make_board("Gwent Board")
    make_board("Powys Board")
    add_member(make_user("Siân Davies"), gwent, "business_manager", "local_authority")
    add_member(make_user("Gareth Morgan"), gwent, "member", "police")
    soup = page(admin_client.get("/admin/boards"))
    assert soup.h1.get_text(strip=True) == "Boards"
    assert [row[:4] for row in table_rows(soup, "boards")] == [
        ["Gwent Board", "Local safeguarding children board (Wales)", "Siân Davies", "2"],
        ["Powys Board", "Local safeguarding children board (Wales)", "None yet", "0"],
    ]


def test_creating_a_board(admin_client):
    assert errors(page(post_form(admin_client, "/admin/boards/new", name=" "))) == [
        "Enter the board’s name",
        "Select the nation the board works in",
        "Select the kind of board",
        "Enter at least one local authority the board covers",
    ]
    board_fields = {"nation": "wales", "kind": "regional_safeguarding_board", "local_authorities": "Swansea\nNeath Port Talbot"}
    response = post_form(admin_client, "/admin/boards/new", name="Western Bay Board", **board_fields)
    board = db.session.scalar(select(Board))
    assert response.location == f"/boards/{board.id}/members"
    soup = page(admin_client.get(response.location))
    assert "Western Bay Board has been created" in banner(soup)
    assert soup.select_one(f"a[href='/admin/boards/{board.id}/business-managers/new']").get_text(strip=True) == "Add a business manager"
    duplicate = page(post_form(admin_client, "/admin/boards/new", name="western bay board", **board_fields))
    assert errors(duplicate) == ["There is already a board with that name"]
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.board_id == board.id)) == "board_created"


def test_a_new_business_manager_gets_an_account_and_a_link_to_choose_a_password(app, admin_client, make_board, caplog):
    board = make_board("Gwent Board")
    response = add_business_manager(admin_client, board)
    soup = page(admin_client.get(response.location))
    assert "Bethan Lloyd is now business manager of Gwent Board" in banner(soup)
    assert table_rows(soup, "members")[0][:4] == ["Bethan Lloyd", "bethan@example.org", "Business manager or chair", "Local authority children's services"]

    # The account has no password until the link is used.
    browser = app.test_client()
    signed_in = browser.post("/sign-in", data={"email": "bethan@example.org", "password": "any guess at all", "csrf_token": csrf_token(browser, "/sign-in")})
    assert errors(page(signed_in)) == ["Enter a correct email address and password"]
    path = last_logged_path(caplog)
    assert page(browser.get(path)).h1.get_text(strip=True) == "Create your password"
    post_form(browser, path, new_password=NEW_PASSWORD, confirm_password=NEW_PASSWORD)
    browser.post("/sign-in", data={"email": "bethan@example.org", "password": NEW_PASSWORD, "csrf_token": csrf_token(browser, "/sign-in")})
    members = page(browser.get(f"/boards/{board.id}/members"))
    assert members.h1.get_text(strip=True) == "Members and invitations"
    kinds = {"user_created", "role_granted", "password_reset"}
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert [action for action in actions if action in kinds] == ["user_created", "role_granted", "password_reset"]


def test_the_set_password_link_lasts_as_long_as_an_invitation(app, admin_client, make_board, caplog):
    from app.data.models import PasswordReset

    add_business_manager(admin_client, make_board())
    reset = db.session.scalar(select(PasswordReset))
    assert reset.expires_at - reset.created_at == pytest.approx(timedelta(days=app.config["SAIT_INVITATION_DAYS"]), abs=timedelta(seconds=5))


def test_someone_with_an_account_becomes_business_manager_at_once(admin_client, make_board, make_user, add_member, caplog):
    board = make_board("Gwent Board")
    person = make_user("Carys Evans")
    add_member(person, board, "member", "youth_offending")
    response = add_business_manager(admin_client, board, email=person.email.upper(), agency="youth_offending")
    assert "Carys Evans already had an account and is now business manager of Gwent Board" in banner(page(admin_client.get(response.location)))
    db.session.expire_all()
    assert db.session.scalar(select(Membership.role).where(Membership.user_id == person.id)) == "business_manager"
    assert logged_links(caplog) == []


def test_the_business_manager_form_checks_its_fields(admin_client, make_board):
    soup = page(add_business_manager(admin_client, make_board(), name="", email="nope", agency=""))
    assert errors(soup) == [
        "Enter their full name",
        "Enter an email address in the correct format, like name@example.com",
        "Select an agency",
    ]


def test_the_administrator_sees_members_but_cannot_change_them(admin_client, make_board, make_user, add_member):
    board = make_board()
    gareth = make_user("Gareth Morgan")
    add_member(gareth, board, "member", "police")
    soup = page(admin_client.get(f"/boards/{board.id}/members"))
    assert table_rows(soup, "members") == [["Gareth Morgan", gareth.email, "Board member", "Police"]]
    assert soup.find("a", string="Change") is None
    assert soup.find("a", string="Invite someone") is None


@pytest.mark.parametrize("path", ["/admin/boards", "/admin/boards/new", "/admin/accounts", "/admin/audit"])
def test_administration_is_for_administrators_only(app, login, make_user, make_board, add_member, path):
    manager = make_user()
    add_member(manager, make_board(), "business_manager", "police")
    client = login(manager, test_client=app.test_client())
    response = client.get(path)
    assert response.status_code == 403
    assert page(response).h1.get_text(strip=True) == "You do not have permission to see this page"


def test_a_business_manager_cannot_add_business_managers(app, login, make_user, make_board, add_member):
    manager = make_user()
    board = make_board()
    add_member(manager, board, "business_manager", "police")
    client = login(manager, test_client=app.test_client())
    assert add_business_manager(client, board).status_code == 403
    assert db.session.scalar(select(User).where(User.email == "bethan@example.org")) is None


# Accounts


def test_disabling_an_account_signs_the_person_out_at_once(app, admin_client, make_user, login):
    person = make_user("Owen Price")
    their_browser = login(person, test_client=app.test_client())
    assert their_browser.get("/account").status_code == 200

    response = post_form(admin_client, f"/admin/accounts/{person.id}/disable")
    soup = page(admin_client.get(response.location))
    assert "Owen Price’s account is disabled and they have been signed out" in banner(soup)
    row = next(r for r in table_rows(soup, "accounts") if r[0] == "Owen Price")
    assert row[3] == "Disabled"

    assert their_browser.get("/account").location.startswith("/sign-in")
    refused = page(their_browser.post("/sign-in", data={"email": person.email, "password": PASSWORD, "csrf_token": csrf_token(their_browser, "/sign-in")}))
    assert errors(refused) == ["Enter a correct email address and password"]

    post_form(admin_client, f"/admin/accounts/{person.id}/enable")
    assert (
        their_browser.post("/sign-in", data={"email": person.email, "password": PASSWORD, "csrf_token": csrf_token(their_browser, "/sign-in")}).status_code
        == 302
    )
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == str(person.id))).all()
    assert actions == ["account_disabled", "account_enabled"]


def test_the_administrator_cannot_disable_their_own_account(admin_client, admin):
    response = post_form(admin_client, f"/admin/accounts/{admin.id}/disable")
    assert "You cannot disable your own account" in banner(page(admin_client.get(response.location)))
    db.session.refresh(admin)
    assert admin.active


def test_the_accounts_list_shows_fifty_a_page(app, admin_client, admin):
    for n in range(60):
        db.session.add(User(name=f"Person {n:02d}", email=f"p{n}@example.org", password_hash="x"))
    db.session.commit()
    first = page(admin_client.get("/admin/accounts"))
    assert len(table_rows(first, "accounts")) == 50
    assert first.select_one("#accounts caption").get_text(strip=True) == "Showing 1 to 50 of 61 accounts"
    assert first.select_one(".govuk-pagination__next a")["href"] == "/admin/accounts?page=2"
    second = page(admin_client.get("/admin/accounts?page=2"))
    assert [row[0] for row in table_rows(second, "accounts")] == [f"Person {n}" for n in range(49, 60)]


# The audit trail


def add_events(board: Board | None, action: str, count: int, start: datetime, **fields) -> None:
    for n in range(count):
        db.session.add(AuditEvent(action=action, board_id=board.id if board else None, at=start + timedelta(minutes=n), **fields))
    db.session.commit()


@pytest.fixture
def two_boards(make_board, make_user, add_member):
    gwent, powys = make_board("Gwent Board"), make_board("Powys Board")
    manager = make_user("Siân Davies")
    add_member(manager, gwent, "business_manager", "local_authority")
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    add_events(gwent, "round_opened", 1, start, object_type="round", object_id="1", detail={"title": "2026"})
    add_events(
        gwent,
        "answer_saved",
        60,
        start + timedelta(hours=1),
        object_type="answer",
        object_id="7",
        detail={"benchmark": "governance.1", "rating": "good", "evidence_chars": 40},
    )
    add_events(powys, "round_opened", 1, start, object_type="round", object_id="2", detail={"title": "Powys secret round"})
    add_events(None, "sign_in_failed", 1, start, detail={"email": "someone@example.org"})
    return gwent, powys, manager


def test_a_business_manager_sees_their_boards_trail_newest_first_fifty_a_page(app, login, two_boards):
    gwent, _, manager = two_boards
    client = login(manager, test_client=app.test_client())
    soup = page(client.get(f"/boards/{gwent.id}/audit"))
    assert soup.h1.get_text(strip=True) == "Audit trail"
    assert [th.get_text(strip=True) for th in soup.select("#audit thead th")] == ["When", "Who", "Action", "What"]
    rows = table_rows(soup, "audit")
    assert len(rows) == 50
    assert rows[0] == ["10:59 on 1 March 2026", "Not known", "Answer saved", "answer 7; benchmark: governance.1; rating: good; evidence chars: 40"]
    assert soup.select_one("#audit caption").get_text(strip=True) == "Showing 1 to 50 of 61 events, newest first"
    last = table_rows(page(client.get(f"/boards/{gwent.id}/audit?page=2")), "audit")
    assert len(last) == 11
    assert last[-1][2:] == ["Round opened", "round 1; title: 4 characters"]
    assert "Powys" not in soup.get_text() and "someone@example.org" not in soup.get_text()


def test_the_trail_can_be_filtered_by_action(app, login, two_boards):
    gwent, _, manager = two_boards
    client = login(manager, test_client=app.test_client())
    soup = page(client.get(f"/boards/{gwent.id}/audit?action=round_opened"))
    options = [o.get_text(strip=True) for o in soup.select("select[name=action] option")]
    assert options == ["All actions", "Answer saved", "Round opened"]
    assert soup.select_one("select[name=action] option[selected]")["value"] == "round_opened"
    assert [row[2] for row in table_rows(soup, "audit")] == ["Round opened"]


def test_the_administrator_sees_every_boards_trail(admin_client, two_boards):
    soup = page(admin_client.get("/admin/audit?action=round_opened"))
    assert [th.get_text(strip=True) for th in soup.select("#audit thead th")] == ["When", "Who", "Action", "Board", "What"]
    assert sorted(row[3] for row in table_rows(soup, "audit")) == ["Gwent Board", "Powys Board"]
    failed = table_rows(page(admin_client.get("/admin/audit?action=sign_in_failed")), "audit")
    assert failed[0][2:] == ["Sign-in refused", "", "email: someone@example.org"]
    gwent = two_boards[0]
    assert page(admin_client.get(f"/boards/{gwent.id}/audit")).select_one("#audit caption").get_text(strip=True).endswith("of 61 events, newest first")


def test_the_trail_never_repeats_what_people_wrote(admin_client, make_board):
    board = make_board()
    secret = "The police shared the case audit of child J on 3 March."
    add_events(board, "answer_conflict", 1, datetime.now(UTC), object_type="answer", object_id="3", detail={"your_evidence": secret, "your_rating": "good"})
    soup = page(admin_client.get(f"/boards/{board.id}/audit"))
    [row] = table_rows(soup, "audit")
    assert row[3] == f"answer 3; your evidence: {len(secret)} characters; your rating: good"
    assert "child J" not in soup.get_text()


@pytest.mark.parametrize("role", ["member", "inspector"])
def test_members_and_inspectors_cannot_read_the_trail(app, login, two_boards, make_user, add_member, role):
    gwent = two_boards[0]
    person = make_user()
    add_member(person, gwent, role, "police")
    client = login(person, test_client=app.test_client())
    assert client.get(f"/boards/{gwent.id}/audit").status_code == 403


def test_another_boards_manager_cannot_read_the_trail(app, login, two_boards, make_user, add_member):
    _, powys, _ = two_boards
    manager = two_boards[2]
    client = login(manager, test_client=app.test_client())
    response = client.get(f"/boards/{powys.id}/audit")
    assert response.status_code == 404
    assert "Powys secret round" not in response.get_data(as_text=True)
