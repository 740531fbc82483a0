"""Issue 12, defects 6, 7, 12 and 13: links only on SAIT_BASE_URL, reset links ended by any password
change, reset requests that cost the same for every address, and passwords and throttling that resist
guessing without letting a stranger lock the owner out."""

from __future__ import annotations

import threading
from http.cookies import SimpleCookie

import pytest
from sqlalchemy import event, func, select

from app.auth import reset
from app.auth.link_guard import LINK_SENDING_ENDPOINTS
from app.auth.passwords import hash_password, password_problems, verify_password
from app.data.models import Invitation, PasswordReset, User
from app.demo import DEMO_PASSWORD, PEOPLE
from app.extensions import db
from app.web import mail
from tests.factories import PASSWORD, csrf_token, page
from tests.integration.govuk import errors
from tests.integration.mailbox import emailed_path, last_logged_path, logged_links

NEW_PASSWORD = "a fresh long passphrase for 2026"
EVIL = {"base_url": "http://evil.example.org"}


def request_reset(client, email: str, **request_args):
    token = page(client.get("/password-reset", **request_args)).select_one("input[name=csrf_token]")["value"]
    return client.post("/password-reset", data={"email": email, "csrf_token": token}, **request_args)


def choose_password(client, path: str, password: str = NEW_PASSWORD):
    return client.post(
        path, data={"new_password": password, "confirm_password": password, "csrf_token": csrf_token(client, path)}
    )


def change_password(client, new: str, current: str = PASSWORD):
    data = {"current_password": current, "new_password": new, "confirm_password": new}
    return client.post("/account/password", data={**data, "csrf_token": csrf_token(client, "/account/password")})


def sign_in(client, email: str, password: str, ip: str = "192.0.2.1"):
    environ = {"REMOTE_ADDR": ip}
    token = page(client.get("/sign-in", environ_overrides=environ)).select_one("input[name=csrf_token]")["value"]
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token}, environ_overrides=environ)


def main_text(response) -> str:
    return page(response).select_one("main").get_text(" ", strip=True)


# 6. Links only on SAIT_BASE_URL


def test_without_sait_base_url_no_reset_link_is_sent_and_the_page_says_why(app, client, make_user, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "SAIT_BASE_URL", None)
    user = make_user()
    shown = client.get("/password-reset", **EVIL)
    assert shown.status_code == 503
    soup = page(shown)
    assert soup.h1.get_text(strip=True) == "Links cannot be sent yet"
    assert "SAIT_BASE_URL" in soup.select_one("main").get_text()
    assert soup.select_one("form input[name=email]") is None
    token = page(client.get("/sign-in", **EVIL)).select_one("input[name=csrf_token]")["value"]
    posted = client.post("/password-reset", data={"email": user.email, "csrf_token": token}, **EVIL)
    assert posted.status_code == 503
    assert page(posted).h1.get_text(strip=True) == "Links cannot be sent yet"
    assert logged_links(caplog) == []
    assert db.session.scalar(select(func.count()).select_from(PasswordReset)) == 0
    assert any(r.name == "sait.mail" and "SAIT_BASE_URL is not set" in r.getMessage() for r in caplog.records)


def test_without_sait_base_url_no_invitation_is_made_and_the_page_says_why(app, client, make_board, make_user, add_member, login, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "SAIT_BASE_URL", None)
    board = make_board()
    manager = make_user()
    add_member(manager, board, role="business_manager", agency="local_authority")
    login(manager)
    path = f"/boards/{board.id}/members/invite"
    assert page(client.get(path)).h1.get_text(strip=True) == "Links cannot be sent yet"
    form = {"name": "Rhian Jenkins", "email": "rhian@example.org", "role": "member", "agency": "education"}
    response = client.post(path, data={**form, "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 503
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    assert logged_links(caplog) == []


def test_without_sait_base_url_no_business_manager_account_is_made(app, client, make_board, make_user, login, monkeypatch):
    monkeypatch.setitem(app.config, "SAIT_BASE_URL", None)
    board = make_board()
    login(make_user(is_admin=True))
    path = f"/admin/boards/{board.id}/business-managers/new"
    form = {"name": "Siân Davies", "email": "sian@example.org", "agency": "local_authority"}
    response = client.post(path, data={**form, "csrf_token": csrf_token(client, "/account")})
    assert response.status_code == 503
    assert page(response).h1.get_text(strip=True) == "Links cannot be sent yet"
    assert db.session.scalar(select(User).where(User.email == "sian@example.org")) is None


def test_a_forged_host_header_never_reaches_a_link(app, client, make_user, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "SAIT_BASE_URL", "https://sait.example.gov.wales/safeguarding/")
    user = make_user()
    request_reset(client, user.email, **EVIL)
    [link] = logged_links(caplog)
    assert link.startswith("https://sait.example.gov.wales/safeguarding/password-reset/")


@pytest.mark.parametrize("base", ["sait.example.gov.wales", "ftp://sait.example.gov.wales", "https://?x=1"])
def test_a_base_url_that_is_not_a_web_address_is_refused(app, client, make_user, caplog, monkeypatch, base):
    monkeypatch.setitem(app.config, "SAIT_BASE_URL", base)
    assert client.get("/password-reset").status_code == 503


def test_every_page_that_sends_links_is_guarded(app):
    assert {rule.endpoint for rule in app.url_map.iter_rules()} >= LINK_SENDING_ENDPOINTS


# 7. Any password change ends every reset link


def test_changing_the_password_ends_a_reset_link_sent_before(app, client, make_user, login, caplog):
    user = make_user()
    request_reset(app.test_client(), user.email)
    link = last_logged_path(caplog)
    login(user)
    assert change_password(client, NEW_PASSWORD).location == "/account"

    stranger = app.test_client()
    response = stranger.get(link)
    assert response.status_code == 410
    assert page(response).h1.get_text(strip=True) == "This link no longer works"
    assert "The password has been changed since this link was sent" in main_text(response)
    data = {"new_password": "a stranger's chosen passphrase", "confirm_password": "a stranger's chosen passphrase"}
    assert stranger.post(link, data={**data, "csrf_token": csrf_token(stranger, "/sign-in")}).status_code == 410
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)


def test_a_password_changed_by_any_other_route_ends_the_link_too(app, client, make_user, caplog):
    # e.g. an administrator's shell or a future admin page that does not go through replace_password
    user = make_user()
    request_reset(client, user.email)
    link = last_logged_path(caplog)
    user.password_hash = hash_password("set by the administrator 2026")
    db.session.commit()
    response = app.test_client().get(link)
    assert response.status_code == 410
    assert page(response).h1.get_text(strip=True) == "This link no longer works"


def test_a_used_link_says_it_was_used_and_cannot_be_used_again(app, client, make_user, caplog):
    user = make_user()
    request_reset(client, user.email)
    link = last_logged_path(caplog)
    assert choose_password(client, link).status_code == 302
    again = app.test_client().get(link)
    assert again.status_code == 410
    assert page(again).h1.get_text(strip=True) == "This link has already been used"


# 12. A reset request costs the same whether or not the address has an account


@pytest.fixture
def background_mail(app, monkeypatch):
    """Mail sent from the mail thread, as in production."""
    monkeypatch.setitem(app.config, "SAIT_MAIL_IN_BACKGROUND", True)
    yield
    mail.finish_background_work()


def test_a_reset_request_does_the_same_work_for_known_and_unknown_addresses(app, make_user, smtp, background_mail, monkeypatch):
    user = make_user("Eleri Hughes")
    emails_written = []
    real_reset_email = reset.reset_email

    def counting_reset_email(*args):
        emails_written.append(args[0])
        return real_reset_email(*args)

    monkeypatch.setattr(reset, "reset_email", counting_reset_email)
    request_thread = threading.get_ident()
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        if threading.get_ident() == request_thread:
            statements.append(statement)

    replies = {}
    seen = {}
    for address in (user.email, "nobody@example.org"):
        client = app.test_client()
        token = csrf_token(client, "/password-reset")
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            replies[address] = client.post("/password-reset", data={"email": address, "csrf_token": token})
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
        seen[address], statements[:] = list(statements), []
        mail.finish_background_work()

    known, unknown = replies[user.email], replies["nobody@example.org"]
    assert known.status_code == unknown.status_code == 200
    assert main_text(known) == main_text(unknown)
    assert page(known).h1.get_text(strip=True) == "Check your email"
    # The request itself does identical database work for both (the account is looked up later, in the mail thread).
    assert seen[user.email] == seen["nobody@example.org"]
    # Both had a token, a link and an email written; only the real account's was sent.
    assert emails_written == ["Eleri Hughes", "nobody@example.org"]
    [message] = smtp.sent
    assert message["To"] == user.email
    assert emailed_path(message).startswith("/password-reset/")
    assert db.session.scalar(select(func.count()).select_from(PasswordReset)) == 1


def test_a_link_sent_from_the_mail_thread_works_and_is_in_the_page_language(app, make_user, smtp, background_mail):
    user = make_user("Mair Roberts")
    client = app.test_client()
    welsh = {"headers": {"Accept-Language": "cy"}}
    token = page(client.get("/password-reset", **welsh)).select_one("input[name=csrf_token]")["value"]
    client.post("/password-reset", data={"email": user.email.upper(), "csrf_token": token}, **welsh)
    mail.finish_background_work()
    [message] = smtp.sent
    assert message["Subject"] == "Ailosod eich cyfrinair"
    assert choose_password(client, emailed_path(message)).status_code == 302
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)


def test_a_failure_in_the_mail_thread_changes_nothing_the_requester_sees(app, make_user, smtp, background_mail, monkeypatch, caplog):
    def broken(*args):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(reset, "deliver_password_reset", broken)
    client = app.test_client()
    response = request_reset(client, make_user().email)
    mail.finish_background_work()
    assert response.status_code == 200
    assert page(response).h1.get_text(strip=True) == "Check your email"
    assert any(r.name == "sait.mail" and "failed" in r.getMessage() for r in caplog.records)


# 13. Passwords that are hard to guess


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("aaaaaaaaaaaa", "Password is too easy to guess. Avoid repeated letters, sequences like abcd or 1234 and rows of keys like qwerty"),
        ("abcdefghijklmn", "Password is too easy to guess. Avoid repeated letters, sequences like abcd or 1234 and rows of keys like qwerty"),
        ("qwertyuiopas", "Password is too easy to guess. Choose a less common password"),
        ("password1234", "Password is too easy to guess. Choose a less common password"),
        ("gwen.ellis@example.org1", "Password is too easy to guess. Do not use your name or email address"),
        ("Gwen Ellis 2026", "Password is too easy to guess. Do not use your name or email address"),
    ],
)
def test_easily_guessed_passwords_are_refused(client, make_user, login, password, message):
    user = make_user("Gwen Ellis", email="gwen.ellis@example.org")
    login(user)
    soup = page(change_password(client, password))
    assert errors(soup) == [message]
    db.session.refresh(user)
    assert verify_password(user.password_hash, PASSWORD)


def test_a_weak_password_is_refused_when_accepting_an_invitation(app, client, make_board, make_user, add_member, login, caplog):
    board = make_board()
    manager = make_user()
    add_member(manager, board, role="business_manager", agency="local_authority")
    login(manager)
    path = f"/boards/{board.id}/members/invite"
    form = {"name": "Rhian Jenkins", "email": "rhian.jenkins@example.org", "role": "member", "agency": "education"}
    client.post(path, data={**form, "csrf_token": csrf_token(client, path)})
    link = last_logged_path(caplog)
    newcomer = app.test_client()
    data = {"name": "Rhian Jenkins", "new_password": "rhianjenkins1", "confirm_password": "rhianjenkins1"}
    soup = page(newcomer.post(link, data={**data, "csrf_token": csrf_token(newcomer, link)}))
    assert errors(soup) == ["Password is too easy to guess. Do not use your name or email address"]
    assert db.session.scalar(select(User).where(User.email == "rhian.jenkins@example.org")) is None


def test_the_demo_and_test_passwords_pass_the_check():
    for person in PEOPLE:
        assert password_problems(DEMO_PASSWORD, min_length=12, email=person.email, name=person.name) == []
    assert password_problems(PASSWORD, min_length=12, email="person1@example.org", name="Person 1") == []


# 13. Throttling that does not lock the owner out


def test_strangers_guesses_do_not_lock_out_the_owner_on_a_device_they_used_before(app, make_user):
    user = make_user()
    laptop = app.test_client()
    assert sign_in(laptop, user.email, PASSWORD).status_code == 302
    laptop.post("/sign-out", data={"csrf_token": csrf_token(laptop, "/account")})

    limit = int(app.config["SAIT_LOGIN_LIMIT"].split()[0])
    codes = [sign_in(app.test_client(), user.email, "a wrong guess", ip=f"198.51.100.{n}").status_code for n in range(limit + 1)]
    assert codes == [200] * limit + [429]
    # A new device for the owner waits, and is told a known device still works ...
    paused = sign_in(app.test_client(), user.email, PASSWORD, ip="198.51.100.99")
    assert paused.status_code == 429
    assert "On a device you have signed in with before, you can sign in as usual" in main_text(paused)
    # ... and the owner's own laptop signs in straight away.
    assert sign_in(laptop, user.email, PASSWORD).location == "/"


def test_a_known_device_is_throttled_on_its_own(app, make_user):
    user = make_user()
    other = make_user()
    laptop = app.test_client()
    sign_in(laptop, user.email, PASSWORD)
    laptop.post("/sign-out", data={"csrf_token": csrf_token(laptop, "/account")})
    limit = int(app.config["SAIT_LOGIN_LIMIT"].split()[0])
    codes = [sign_in(laptop, user.email, "a wrong guess").status_code for _ in range(limit + 1)]
    assert codes == [200] * limit + [429]
    assert sign_in(laptop, user.email, PASSWORD).status_code == 429
    # The cookie is only for that account: another person can still sign in from a new device.
    assert sign_in(app.test_client(), user.email, PASSWORD, ip="203.0.113.7").status_code == 302
    assert sign_in(app.test_client(), other.email, PASSWORD, ip="203.0.113.8").status_code == 302


def test_a_device_cookie_for_one_account_or_a_forged_one_counts_as_a_stranger(app, make_user):
    owner = make_user()
    attacker = make_user()
    device = app.test_client()
    sign_in(device, attacker.email, PASSWORD)  # the attacker's own known device
    device.post("/sign-out", data={"csrf_token": csrf_token(device, "/account")})
    limit = int(app.config["SAIT_LOGIN_LIMIT"].split()[0])
    codes = [sign_in(device, owner.email, "a wrong guess", ip=f"198.51.100.{n}").status_code for n in range(limit + 1)]
    assert codes[-1] == 429
    forged = app.test_client()
    forged.set_cookie("sait_device", "eyJhIjoiMTIzIiwibiI6IngifQ.forged.signature", path="/sign-in")
    assert sign_in(forged, owner.email, PASSWORD, ip="198.51.100.77").status_code == 429


def test_the_device_cookie_is_long_lived_and_sent_only_to_the_sign_in_page(app, make_user):
    user = make_user()
    response = sign_in(app.test_client(), user.email, PASSWORD)
    [header] = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("sait_device=")]
    morsel = SimpleCookie(header)["sait_device"]
    assert morsel["path"] == "/sign-in"
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Strict"
    assert int(morsel["max-age"]) == 365 * 24 * 3600
    assert user.email not in header


def test_setting_a_password_with_an_emailed_link_makes_the_browser_a_known_device(app, make_user, caplog):
    user = make_user()
    limit = int(app.config["SAIT_LOGIN_LIMIT"].split()[0])
    for n in range(limit):
        sign_in(app.test_client(), user.email, "a wrong guess", ip=f"198.51.100.{n}")
    browser = app.test_client()
    request_reset(browser, user.email)
    assert choose_password(browser, last_logged_path(caplog)).status_code == 302
    assert sign_in(browser, user.email, NEW_PASSWORD, ip="198.51.100.200").location == "/"
