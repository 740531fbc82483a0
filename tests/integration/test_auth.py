"""Signing in, changing a password, and resetting a forgotten one by a one-time link."""

from __future__ import annotations

import hashlib
import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from app.auth.passwords import verify_password
from app.data.models import AuditEvent, PasswordReset, User
from app.extensions import db
from tests.factories import PASSWORD, csrf_token, page
from tests.integration.govuk import banner, errors
from tests.integration.mailbox import emailed_path, last_logged_path, logged_links

NEW_PASSWORD = "a fresh long passphrase for 2026"


def sign_in(client, email: str, password: str):
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": csrf_token(client, "/sign-in")})


def request_reset(client, email: str):
    return client.post("/password-reset", data={"email": email, "csrf_token": csrf_token(client, "/password-reset")})


def choose_password(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    return client.post(
        path,
        data={"new_password": password, "confirm_password": confirm or password, "csrf_token": csrf_token(client, path)},
    )


def audit_actions(user: User) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.user_id == user.id).order_by(AuditEvent.id)))


# Signing in


def test_sign_in_with_the_right_password_goes_to_your_boards(client, make_user):
    user = make_user("Gareth Morgan")
    response = sign_in(client, user.email.upper(), PASSWORD)
    assert response.status_code == 302
    assert page(client.get("/")).h1.get_text(strip=True) == "Your boards"
    assert audit_actions(user) == ["sign_in"]


def test_a_wrong_password_says_so_without_saying_which_part_was_wrong(client, make_user):
    user = make_user()
    wrong = page(sign_in(client, user.email, "not the password at all"))
    unknown = page(sign_in(client, "nobody@example.org", "not the password at all"))
    assert errors(wrong) == errors(unknown) == ["Enter a correct email address and password"]
    assert wrong.title.get_text(strip=True).startswith("Error: ")
    assert audit_actions(user) == ["sign_in_failed"]


def test_an_empty_form_asks_for_both_fields(client):
    soup = page(client.post("/sign-in", data={"csrf_token": csrf_token(client, "/sign-in")}))
    assert errors(soup) == ["Enter your email address", "Enter your password"]


def test_change_password_applies_the_rules_and_keeps_you_signed_in(client, make_user, login):
    user = make_user()
    login(user)
    token = csrf_token(client, "/account/password")
    short = page(
        client.post("/account/password", data={"current_password": PASSWORD, "new_password": "short", "confirm_password": "short", "csrf_token": token})
    )
    assert errors(short) == ["Password must be 12 characters or more"]
    wrong = page(
        client.post("/account/password", data={"current_password": "nope", "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD, "csrf_token": token})
    )
    assert errors(wrong) == ["Your current password is not correct"]
    done = client.post(
        "/account/password", data={"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm_password": NEW_PASSWORD, "csrf_token": token}
    )
    assert done.location == "/account"
    assert "Your password has been changed" in banner(page(client.get("/account")))
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)


# Asking for a reset link


def test_the_reply_is_the_same_whether_or_not_the_account_exists(app, make_user, caplog):
    user = make_user()
    known = page(request_reset(app.test_client(), user.email))
    unknown = page(request_reset(app.test_client(), "nobody@example.org"))
    assert known.h1.get_text(strip=True) == unknown.h1.get_text(strip=True) == "Check your email"
    assert known.select_one("main").get_text() == unknown.select_one("main").get_text()
    assert known.select_one("#reset-sent").get_text(strip=True).startswith("If an account exists for that address, we have sent a link")
    assert len(logged_links(caplog)) == 1


def test_a_disabled_account_gets_the_same_reply_and_no_link(app, make_user, caplog):
    user = make_user()
    user.active = False
    db.session.commit()
    soup = page(request_reset(app.test_client(), user.email))
    assert soup.h1.get_text(strip=True) == "Check your email"
    assert logged_links(caplog) == []


def test_a_badly_formed_address_gets_a_govuk_error(client):
    soup = page(request_reset(client, "not-an-email"))
    assert errors(soup) == ["Enter an email address in the correct format, like name@example.com"]


def test_without_email_set_up_the_link_is_logged_for_the_administrator(client, make_user, caplog):
    user = make_user()
    request_reset(client, user.email)
    [record] = [r for r in caplog.records if r.name == "sait.mail"]
    assert record.levelno == logging.WARNING
    assert user.email in record.getMessage()
    assert "/password-reset/" in record.getMessage()


def test_with_email_set_up_the_link_is_emailed_not_logged(client, make_user, smtp, caplog):
    user = make_user("Eleri Hughes")
    request_reset(client, user.email)
    [message] = smtp.sent
    assert message["To"] == user.email
    assert message["Subject"] == "Reset your password"
    assert "Hello Eleri Hughes" in message.get_content()
    assert emailed_path(message).startswith("/password-reset/")
    assert logged_links(caplog) == []


def test_when_sending_fails_the_link_is_logged_instead(client, make_user, smtp, caplog):
    smtp.fail = True
    user = make_user()
    soup = page(request_reset(client, user.email))
    assert soup.h1.get_text(strip=True) == "Check your email"
    assert any(r.levelno == logging.ERROR and "Could not send email" in r.getMessage() for r in caplog.records)
    assert len(logged_links(caplog)) == 1


def test_a_forged_host_header_cannot_redirect_the_link(app, client, make_user, caplog, monkeypatch):
    monkeypatch.setitem(app.config, "SAIT_BASE_URL", "https://sait.example.gov.wales/")
    user = make_user()
    forged = {"base_url": "http://evil.example.org"}
    token = page(client.get("/password-reset", **forged)).select_one("input[name=csrf_token]")["value"]
    client.post("/password-reset", data={"email": user.email, "csrf_token": token}, **forged)
    [link] = logged_links(caplog)
    assert link.startswith("https://sait.example.gov.wales/password-reset/")


def test_only_a_hash_of_the_token_is_stored(client, make_user, caplog):
    user = make_user()
    request_reset(client, user.email)
    token = last_logged_path(caplog).rsplit("/", 1)[1]
    stored = db.session.scalar(select(PasswordReset.token_hash))
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored


# Using the link


def test_the_link_sets_a_new_password_and_ends_every_session(app, client, make_user, login, caplog):
    user = make_user()
    elsewhere = login(user, test_client=app.test_client())
    request_reset(client, user.email)
    path = last_logged_path(caplog)

    form = page(client.get(path))
    assert form.h1.get_text(strip=True) == "Choose a new password"
    response = choose_password(client, path)
    assert response.location == "/sign-in"
    assert "Your password is set" in banner(page(client.get("/sign-in")))

    # The session on the other device has ended.
    assert elsewhere.get("/account").location.startswith("/sign-in")
    assert sign_in(app.test_client(), user.email, PASSWORD).status_code == 200
    assert sign_in(app.test_client(), user.email, NEW_PASSWORD).status_code == 302
    assert "password_reset" in audit_actions(user)


def test_the_new_password_must_meet_the_rules_and_match(client, make_user, caplog):
    user = make_user()
    request_reset(client, user.email)
    path = last_logged_path(caplog)
    assert errors(page(choose_password(client, path, "password123"))) == ["Password must be 12 characters or more"]
    assert errors(page(choose_password(client, path, user.email))) == ["Password is too easy to guess. Do not use your name or email address"]
    assert errors(page(choose_password(client, path, NEW_PASSWORD, "something else entirely"))) == ["Passwords must match"]
    # Failed attempts do not use up the link.
    assert choose_password(client, path).status_code == 302


def test_the_link_works_only_once(app, client, make_user, caplog):
    user = make_user()
    request_reset(client, user.email)
    path = last_logged_path(caplog)
    choose_password(client, path)
    again = client.get(path)
    assert again.status_code == 410
    assert page(again).h1.get_text(strip=True) == "This link has already been used"
    # Someone else who has the link cannot use it either.
    other = app.test_client()
    posted = other.post(
        path,
        data={"new_password": "another good passphrase", "confirm_password": "another good passphrase", "csrf_token": csrf_token(other, "/sign-in")},
    )
    assert posted.status_code == 410
    db.session.refresh(user)
    assert verify_password(user.password_hash, NEW_PASSWORD)


def test_a_newer_password_spends_older_links(client, make_user, caplog):
    user = make_user()
    request_reset(client, user.email)
    first = last_logged_path(caplog)
    request_reset(client, user.email)
    second = last_logged_path(caplog)
    choose_password(client, second)
    assert page(client.get(first)).h1.get_text(strip=True) == "This link no longer works"


def test_the_link_expires(app, client, make_user, caplog):
    user = make_user()
    request_reset(client, user.email)
    reset = db.session.scalar(select(PasswordReset))
    lifetime = reset.expires_at - reset.created_at
    assert lifetime == pytest.approx(timedelta(minutes=app.config["SAIT_PASSWORD_RESET_MINUTES"]), abs=timedelta(seconds=5))
    reset.expires_at = datetime.now(UTC) - timedelta(seconds=1)
    db.session.commit()
    response = client.get(last_logged_path(caplog))
    assert response.status_code == 410
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "This link has expired"
    assert soup.select_one("main a[href='/password-reset']").get_text(strip=True) == "Ask for a new link"


@pytest.mark.parametrize("path", ["/password-reset/not-a-real-token", "/password-reset/" + "A" * 43])
def test_an_unknown_link_is_not_valid(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert page(response).h1.get_text(strip=True) == "This link is not valid"


def test_a_link_for_a_disabled_account_does_not_work(client, make_user, caplog):
    user = make_user()
    request_reset(client, user.email)
    user.active = False
    db.session.commit()
    assert client.get(last_logged_path(caplog)).status_code == 404


def test_reset_requests_are_throttled_like_sign_in(app, client, make_user):
    app.config["SAIT_LOGIN_LIMIT"] = "2 per 15 minutes"
    token = csrf_token(client, "/password-reset")
    codes = [client.post("/password-reset", data={"email": "someone@example.org", "csrf_token": token}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
