"""A business manager invites people to the board; the link creates or links the account.

Also the members page: changing a role or agency, removing a member, and the
rule that a board keeps at least one business manager.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.data.models import AuditEvent, Board, Invitation, Membership, User
from app.extensions import db
from tests.factories import PASSWORD, csrf_token, page
from tests.integration.govuk import banner, errors, table_rows
from tests.integration.mailbox import emailed_path, last_logged_path, logged_links

NEW_PASSWORD = "my own long passphrase 2026"


@dataclass
class BoardTeam:
    board: Board
    manager: User
    member: User
    membership: Membership


@pytest.fixture
def team(make_user, make_board, add_member) -> BoardTeam:
    board = make_board("Gwent Safeguarding Board")
    manager = make_user("Siân Davies")
    member = make_user("Gareth Morgan")
    add_member(manager, board, "business_manager", "local_authority")
    membership = add_member(member, board, "member", "police")
    return BoardTeam(board, manager, member, membership)


@pytest.fixture
def manager_client(app, team, login):
    return login(team.manager, test_client=app.test_client())


def invite(client, board: Board, **fields):
    path = f"/boards/{board.id}/members/invite"
    data = {"name": "Rhian Jenkins", "email": "rhian@example.org", "role": "member", "agency": "education", **fields}
    return client.post(path, data={**data, "csrf_token": csrf_token(client, path)})


def actions(board: Board) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.board_id == board.id).order_by(AuditEvent.id)))


def membership(user_email: str, board: Board) -> Membership | None:
    db.session.expire_all()
    return db.session.scalar(
        select(Membership).join(User).where(User.email == user_email, Membership.board_id == board.id)
    )


# Sending


def test_the_invite_form_asks_for_everything_in_govuk_words(manager_client, team):
    soup = page(invite(manager_client, team.board, name="", email="", role="", agency=""))
    assert errors(soup) == ["Enter their full name", "Enter an email address", "Select a role", "Select an agency"]
    assert soup.title.get_text(strip=True).startswith("Error: ")
    bad = page(invite(manager_client, team.board, email="rhian at example"))
    assert errors(bad) == ["Enter an email address in the correct format, like name@example.com"]


def test_someone_already_on_the_board_cannot_be_invited_again(manager_client, team):
    soup = page(invite(manager_client, team.board, email=team.member.email.upper()))
    assert errors(soup) == ["Gareth Morgan is already a member of this board"]


def test_an_invitation_is_listed_audited_and_its_link_logged(manager_client, team, caplog):
    response = invite(manager_client, team.board)
    assert response.location == f"/boards/{team.board.id}/members"
    soup = page(manager_client.get(response.location))
    assert "in the application log" in banner(soup)
    [row] = table_rows(soup, "invitations")
    assert row[:4] == ["rhian@example.org", "Rhian Jenkins", "Board member", "Education"]
    assert actions(team.board) == ["invitation_sent"]
    assert logged_links(caplog)[0].split("/invitations/")[0] == "http://localhost"
    stored = db.session.scalar(select(Invitation))
    assert stored.expires_at - stored.created_at == pytest.approx(timedelta(days=14), abs=timedelta(seconds=5))
    assert last_logged_path(caplog).rsplit("/", 1)[1] not in stored.token_hash


def test_the_invitation_is_emailed_when_email_is_set_up(manager_client, team, smtp):
    response = invite(manager_client, team.board)
    [message] = smtp.sent
    assert message["To"] == "rhian@example.org"
    assert message["Subject"] == "You are invited to Gwent Safeguarding Board"
    assert "as board member for Education" in message.get_content()
    assert emailed_path(message).startswith("/invitations/")
    assert "We have sent an invitation to rhian@example.org" in banner(page(manager_client.get(response.location)))


@pytest.mark.parametrize("role", ["member", "inspector"])
def test_only_the_business_manager_can_invite(app, team, login, add_member, make_user, role):
    person = make_user()
    add_member(person, team.board, role, "police")
    client = login(person, test_client=app.test_client())
    assert client.get(f"/boards/{team.board.id}/members/invite").status_code == 403
    assert invite(client, team.board).status_code == 403
    assert db.session.scalar(select(Invitation)) is None


def test_the_administrator_does_not_invite(app, team, login, make_user):
    admin = make_user(is_admin=True)
    client = login(admin, test_client=app.test_client())
    assert client.get(f"/boards/{team.board.id}/members/invite").status_code == 404


# Accepting with a new account


def test_accepting_creates_the_account_and_joins_the_board(app, manager_client, team, caplog):
    invite(manager_client, team.board)
    path = last_logged_path(caplog)
    newcomer = app.test_client()
    soup = page(newcomer.get(path))
    assert soup.h1.get_text(strip=True) == "Create your account"
    assert soup.select_one("input[name=name]")["value"] == "Rhian Jenkins"
    summary = soup.select_one(".govuk-summary-list").get_text(" ", strip=True)
    assert "Gwent Safeguarding Board" in summary and "Board member" in summary and "Education" in summary

    response = newcomer.post(
        path, data={"name": "Rhian Jenkins", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD, "csrf_token": csrf_token(newcomer, path)}
    )
    assert response.location == "/"
    home = page(newcomer.get("/"))
    assert "you have joined Gwent Safeguarding Board" in banner(home)
    assert home.select_one(f"#board-{team.board.id}").get_text(strip=True) == "Gwent Safeguarding Board"
    joined = membership("rhian@example.org", team.board)
    assert (joined.role, joined.agency) == ("member", "education")
    assert actions(team.board) == ["invitation_sent", "invitation_accepted"]


def test_a_new_account_needs_a_good_password(app, manager_client, team, caplog):
    invite(manager_client, team.board)
    path = last_logged_path(caplog)
    newcomer = app.test_client()
    token = csrf_token(newcomer, path)
    soup = page(newcomer.post(path, data={"name": "", "new_password": "short", "confirm_password": "short", "csrf_token": token}))
    assert errors(soup) == ["Enter your full name"]
    soup = page(newcomer.post(path, data={"name": "Rhian", "new_password": "short", "confirm_password": "short", "csrf_token": token}))
    assert errors(soup) == ["Password must be 12 characters or more"]
    assert db.session.scalar(select(User).where(User.email == "rhian@example.org")) is None


def test_the_link_works_only_once(app, manager_client, team, caplog):
    invite(manager_client, team.board)
    path = last_logged_path(caplog)
    newcomer = app.test_client()
    newcomer.post(path, data={"name": "Rhian", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD, "csrf_token": csrf_token(newcomer, path)})
    response = app.test_client().get(path)
    assert response.status_code == 410
    assert page(response).h1.get_text(strip=True) == "This invitation has already been used"


def test_the_link_expires(app, manager_client, team, caplog):
    invite(manager_client, team.board)
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = datetime.now(UTC) - timedelta(minutes=1)
    db.session.commit()
    response = app.test_client().get(last_logged_path(caplog))
    assert response.status_code == 410
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "This invitation has expired"
    assert "Ask the board’s business manager to invite you again" in soup.select_one("main").get_text()


def test_an_unknown_link_is_not_valid(client):
    response = client.get("/invitations/made-up-token")
    assert response.status_code == 404
    assert page(response).h1.get_text(strip=True) == "This invitation link is not valid"


def test_inviting_again_replaces_the_earlier_link(app, manager_client, team, caplog):
    invite(manager_client, team.board)
    first = last_logged_path(caplog)
    invite(manager_client, team.board, role="inspector")
    second = last_logged_path(caplog)
    assert page(app.test_client().get(first)).h1.get_text(strip=True) == "This invitation has expired"
    assert page(app.test_client().get(second)).h1.get_text(strip=True) == "Create your account"
    [row] = table_rows(page(manager_client.get(f"/boards/{team.board.id}/members")), "invitations")
    assert row[2] == "Inspector"


def test_a_cancelled_invitation_no_longer_works(app, manager_client, team, caplog):
    invite(manager_client, team.board)
    invitation = db.session.scalar(select(Invitation))
    members_page = f"/boards/{team.board.id}/members"
    response = manager_client.post(
        f"/boards/{team.board.id}/invitations/{invitation.id}/cancel",
        data={"csrf_token": csrf_token(manager_client, members_page)},
    )
    soup = page(manager_client.get(response.location))
    assert "The invitation to rhian@example.org has been cancelled" in banner(soup)
    assert table_rows(soup, "invitations") == []
    assert page(app.test_client().get(last_logged_path(caplog))).h1.get_text(strip=True) == "This invitation has expired"
    assert actions(team.board)[-1] == "invitation_cancelled"


# Accepting with an account the person already has


@pytest.fixture
def existing_person(make_user):
    return make_user("Dr Eleri Hughes", email="eleri@example.org")


def test_someone_with_an_account_signs_in_then_accepts(app, manager_client, team, existing_person, caplog):
    invite(manager_client, team.board, email="Eleri@Example.org", role="inspector", agency="other")
    path = last_logged_path(caplog)
    browser = app.test_client()
    soup = page(browser.get(path))
    assert soup.h1.get_text(strip=True) == "Sign in to accept your invitation"
    sign_in_link = soup.select_one("main a.govuk-button")["href"]
    assert sign_in_link.startswith("/sign-in?next=/invitations/")

    response = browser.post(sign_in_link, data={"email": existing_person.email, "password": PASSWORD, "csrf_token": csrf_token(browser, "/sign-in")})
    assert response.location == path
    confirm = page(browser.get(path))
    assert confirm.h1.get_text(strip=True) == "Join Gwent Safeguarding Board"
    response = browser.post(path, data={"csrf_token": csrf_token(browser, path)})
    assert response.location == "/"
    assert "You have joined Gwent Safeguarding Board" in banner(page(browser.get("/")))
    joined = membership(existing_person.email, team.board)
    assert (joined.role, joined.agency) == ("inspector", "other")
    assert db.session.scalar(select(User).where(User.email == "eleri@example.org")).password_hash == existing_person.password_hash


def test_signed_in_as_someone_else_the_invitation_is_refused(app, manager_client, team, existing_person, caplog):
    invite(manager_client, team.board, email=existing_person.email)
    path = last_logged_path(caplog)
    soup = page(manager_client.get(path))
    assert soup.h1.get_text(strip=True) == "This invitation is for someone else"
    manager_client.post(path, data={"csrf_token": csrf_token(manager_client, "/account")})
    assert membership(existing_person.email, team.board) is None


# Changing and removing members


def members_page(client, board: Board):
    return page(client.get(f"/boards/{board.id}/members"))


def change(client, board: Board, target: Membership, role: str, agency: str):
    path = f"/boards/{board.id}/members/{target.id}/change"
    return client.post(path, data={"role": role, "agency": agency, "csrf_token": csrf_token(client, path)})


def remove(client, board: Board, target: Membership):
    path = f"/boards/{board.id}/members/{target.id}/remove"
    return client.post(path, data={"csrf_token": csrf_token(client, path)})


def test_the_members_page_lists_people_with_their_role_and_agency(manager_client, team):
    rows = table_rows(members_page(manager_client, team.board), "members")
    assert [row[:4] for row in rows] == [
        ["Gareth Morgan", team.member.email, "Board member", "Police"],
        ["Siân Davies", team.manager.email, "Business manager or chair", "Local authority children's services"],
    ]


def test_the_business_manager_changes_a_role_and_agency(manager_client, team):
    response = change(manager_client, team.board, team.membership, "business_manager", "nhs_trust")
    soup = page(manager_client.get(response.location))
    assert "Gareth Morgan is now business manager or chair for NHS trust" in banner(soup)
    assert (membership(team.member.email, team.board).role) == "business_manager"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "role_changed"))
    assert event.detail == {"member": "Gareth Morgan", "role": ["member", "business_manager"], "agency": ["police", "nhs_trust"]}


def test_the_last_business_manager_cannot_be_demoted_or_removed(manager_client, team):
    own = membership(team.manager.email, team.board)
    soup = page(change(manager_client, team.board, own, "member", "police"))
    assert errors(soup) == ["The board must keep at least one business manager. Make someone else business manager first"]
    removal = page(remove(manager_client, team.board, own))
    assert errors(removal) == ["The board must keep at least one business manager. Make someone else business manager first"]
    assert removal.select_one("main form") is None
    kept = membership(team.manager.email, team.board)
    assert (kept.role, kept.removed_at) == ("business_manager", None)


def test_a_business_manager_who_steps_down_goes_to_their_boards(manager_client, team):
    change(manager_client, team.board, team.membership, "business_manager", "police")
    own = membership(team.manager.email, team.board)
    response = change(manager_client, team.board, own, "member", "local_authority")
    assert response.location == "/"
    assert manager_client.get(f"/boards/{team.board.id}/members").status_code == 403


def test_removing_a_member_ends_their_access_but_keeps_their_answers(app, login, open_round):
    setup = open_round
    manager = login(setup.manager, test_client=app.test_client())
    target = membership(setup.member.email, setup.board)
    confirm = page(manager.get(f"/boards/{setup.board.id}/members/{target.id}/remove"))
    assert confirm.h1.get_text(strip=True) == "Remove Gareth Morgan from the board"
    response = remove(manager, setup.board, target)
    assert "Gareth Morgan has been removed from Cwm Taf Safeguarding Children Board" in banner(page(manager.get(response.location)))
    assert "Gareth Morgan" not in [row[0] for row in table_rows(members_page(manager, setup.board), "members")]

    member = login(setup.member, test_client=app.test_client())
    assert member.get(f"/rounds/{setup.round.id}").status_code == 404
    assert "Cwm Taf" not in page(member.get("/")).select_one("main").get_text()
    # The round still shows who answered.
    progress = table_rows(page(manager.get(f"/rounds/{setup.round.id}")), "progress")
    assert "Gareth Morgan" in [row[1] for row in progress]
    assert actions(setup.board)[-1] == "member_removed"


def test_a_removed_member_can_be_invited_back(app, manager_client, team, caplog):
    remove(manager_client, team.board, team.membership)
    invite(manager_client, team.board, email=team.member.email, role="inspector", agency="other")
    browser = app.test_client()
    browser.post("/sign-in", data={"email": team.member.email, "password": PASSWORD, "csrf_token": csrf_token(browser, "/sign-in")})
    path = last_logged_path(caplog)
    browser.post(path, data={"csrf_token": csrf_token(browser, path)})
    back = membership(team.member.email, team.board)
    assert (back.id, back.role, back.removed_at) == (team.membership.id, "inspector", None)


def test_a_membership_of_another_board_is_not_found(app, manager_client, team, make_board, make_user, add_member):
    other_board = make_board("Powys Board")
    outsider = add_member(make_user(), other_board, "member", "police")
    assert manager_client.get(f"/boards/{team.board.id}/members/{outsider.id}/change").status_code == 404
    assert remove(manager_client, team.board, outsider).status_code == 404
    assert membership(outsider.user.email, other_board).removed_at is None


def test_members_and_inspectors_cannot_see_the_members_page(app, team, login):
    member = login(team.member, test_client=app.test_client())
    assert member.get(f"/boards/{team.board.id}/members").status_code == 403
    assert member.get(f"/boards/{team.board.id}/members/{team.membership.id}/change").status_code == 403
