"""The security checklist: CSRF, cookies, headers, throttling, sessions, redirects, logging, error pages."""

from __future__ import annotations

import logging
import re

import pytest
from itsdangerous import TimestampSigner

from app import create_app
from app.config import Config
from app.extensions import db
from tests.factories import PASSWORD, csrf_token, page
from tests.integration.govuk import banner
from tests.integration.route_walk import (
    build_board,
    csrf_for,
    is_public_link,
    make_admin,
    path_for,
    permission_table,
    sent_to_sign_in,
    signed_in_client,
    snapshot,
    walked_rules,
)

# CSRF


# The questionnaire keeps what a member typed when the token is refused
# (their session or token has expired): the domain page holds the form and
# sends them to sign in; autosave holds the answer and says 401.
KEEPS_TYPED_TEXT = {"questionnaire.domain_page": 302, "questionnaire.autosave": 401}


def test_every_post_without_a_csrf_token_is_refused_and_changes_nothing(app):
    world = build_board("Zephyr")
    table = permission_table()
    walked_rules(app)  # fails first on an argument the walk cannot fill
    admin = make_admin()
    users = {"admin": admin, "business_manager": world.manager, "member": world.member, "inspector": world.inspector}
    before = snapshot()
    problems, tried = [], 0
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or rule.endpoint not in table:
            continue
        # As someone allowed to use the route, so only the missing token can stop it.
        role = next((r for r in ("business_manager", "admin", "member", "inspector") if table[rule.endpoint][r] == "yes"), None)
        client = signed_in_client(app, users.get(role))
        path = path_for(rule, world)
        for body in ({"data": {"name": "x"}}, {"json": {"benchmark_id": "x", "version": 1}}):
            response = client.post(path, **body)
            tried += 1
            expected = {400, KEEPS_TYPED_TEXT.get(rule.endpoint)}
            if is_public_link(rule):
                expected.add(404)  # a made-up link is refused before any form is read
            if response.status_code not in expected:
                problems.append(f"POST {path} ({rule.endpoint}) as {role} without a token: {response.status_code}")
    assert tried >= 30
    assert problems == []
    assert snapshot() == before


def test_the_refusal_is_a_govuk_page_that_says_what_to_do(app, make_user, login):
    client = login(make_user())
    response = client.post("/account/password", data={"current_password": PASSWORD, "new_password": "x" * 20, "confirm_password": "x" * 20})
    assert response.status_code == 400
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "There is a problem with your request"
    assert "reload the page and try again" in soup.select_one("main").get_text()


def test_csrf_tokens_last_as_long_as_the_session(app):
    assert Config.WTF_CSRF_TIME_LIMIT is None
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    assert app.config["WTF_CSRF_ENABLED"] is True


# Cookies and headers


def test_production_cookies_are_secure_httponly_and_samesite_lax(database_url):
    production = create_app({"SECRET_KEY": "a production secret for this test only", "SQLALCHEMY_DATABASE_URI": database_url})
    cookie = production.test_client().get("/sign-in").headers["Set-Cookie"]
    assert cookie.startswith("sait_session=")
    attributes = {part.strip().split("=")[0] for part in cookie.split(";")[1:]}
    assert attributes == {"Secure", "HttpOnly", "Path", "SameSite"}
    assert "SameSite=Lax" in cookie
    from app.extensions import db as database

    with production.app_context():
        database.engine.dispose()


def test_security_headers_are_exact(client):
    response = client.get("/sign-in")
    headers = response.headers
    csp = dict(directive.strip().split(" ", 1) for directive in headers["Content-Security-Policy"].split(";"))
    inline_scripts = page(response).select("script:not([src])")
    assert inline_scripts, "the GOV.UK template's js-enabled script"
    nonce = inline_scripts[0]["nonce"]
    assert all(script.get("nonce") == nonce for script in inline_scripts)
    assert csp == {
        "default-src": "'self'",
        "script-src": f"'self' 'nonce-{nonce}'",
        "style-src": "'self'",
        "img-src": "'self' data:",
        "font-src": "'self'",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": "'none'",
    }
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cache-Control"] == "no-store"
    # A new nonce on every page.
    assert client.get("/sign-in").headers["Content-Security-Policy"] != headers["Content-Security-Policy"]


def test_error_pages_carry_the_same_headers(client):
    headers = client.get("/no-such-page").headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_https_responses_tell_browsers_to_stay_on_https(client):
    headers = client.get("/sign-in", base_url="https://localhost").headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


# Throttling sign-in


def attempt(app, email: str, password: str = "a wrong password", ip: str = "192.0.2.1"):
    client = app.test_client()
    environ = {"REMOTE_ADDR": ip}
    token = page(client.get("/sign-in", environ_overrides=environ)).select_one("input[name=csrf_token]")["value"]
    return client.post("/sign-in", data={"email": email, "password": password, "csrf_token": token}, environ_overrides=environ)


def allowed_failures(app) -> int:
    return int(app.config["SAIT_LOGIN_LIMIT"].split()[0])


def test_sign_in_is_refused_after_too_many_failures_from_one_address(app, make_user):
    user = make_user()
    limit = allowed_failures(app)
    assert limit == 10
    codes = [attempt(app, f"guess{n}@example.org").status_code for n in range(limit)]
    assert codes == [200] * limit
    throttled = attempt(app, user.email, PASSWORD)
    assert throttled.status_code == 429
    soup = page(throttled)
    assert soup.h1.get_text(strip=True) == "Too many attempts"
    assert "Wait 15 minutes" in soup.select_one("main").get_text()
    assert attempt(app, user.email, PASSWORD, ip="192.0.2.99").status_code == 302


def test_one_account_is_throttled_from_any_address_and_the_page_does_not_say_if_it_exists(app, make_user):
    user = make_user()
    limit = allowed_failures(app)
    for n in range(limit):
        attempt(app, user.email, ip=f"198.51.100.{n}")
        attempt(app, "nobody@example.org", ip=f"203.0.113.{n}")
    existing = attempt(app, user.email, PASSWORD, ip="198.51.100.200")
    missing = attempt(app, "nobody@example.org", ip="203.0.113.200")
    assert existing.status_code == missing.status_code == 429
    assert page(existing).select_one("main").get_text() == page(missing).select_one("main").get_text()


def test_successful_sign_ins_do_not_count_towards_the_limit(app, make_user):
    user = make_user()
    codes = [attempt(app, user.email, PASSWORD).status_code for _ in range(allowed_failures(app) + 2)]
    assert set(codes) == {302}


# Sessions


def test_an_idle_session_ends_but_activity_keeps_it_going(app, client, make_user, login, monkeypatch):
    login(make_user())
    lifetime = int(app.permanent_session_lifetime.total_seconds())
    real = TimestampSigner.get_timestamp
    offset = {"seconds": 0}
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) + offset["seconds"])
    offset["seconds"] = lifetime * 3 // 4
    assert client.get("/account").status_code == 200
    offset["seconds"] = lifetime * 3 // 2  # idle for 3/4 of the limit since the last request
    assert client.get("/account").status_code == 200
    offset["seconds"] = lifetime * 3 // 2 + lifetime + 60
    response = client.get("/account")
    assert sent_to_sign_in(response)


def test_a_session_ends_a_fixed_time_after_signing_in_however_active(app, client, make_user, login):
    login(make_user())
    limit = app.config["SAIT_ABSOLUTE_SESSION_HOURS"] * 3600
    with client.session_transaction() as session:
        session["signed_in_at"] -= limit - 60
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        session["signed_in_at"] -= 120
    response = client.get("/account")
    assert response.location.startswith("/sign-in?next=")
    assert "Your session has ended. Sign in again to continue." in banner(page(client.get(response.location)))
    assert client.get("/account").location.startswith("/sign-in")


def test_signing_out_ends_every_session_and_the_old_cookie_no_longer_works(app, make_user, login):
    user = make_user()
    laptop = login(user, test_client=app.test_client())
    phone = login(user, test_client=app.test_client())
    old_cookie = laptop.get_cookie("sait_session").value
    response = laptop.post("/sign-out", data={"csrf_token": csrf_for(laptop)})
    assert response.location == "/sign-in"
    assert "You have signed out" in banner(page(laptop.get("/sign-in")))
    assert sent_to_sign_in(laptop.get("/account"))
    assert sent_to_sign_in(phone.get("/account"))
    replay = app.test_client()
    replay.set_cookie("sait_session", old_cookie)
    assert sent_to_sign_in(replay.get("/account"))


def test_changing_the_password_signs_out_other_devices_only(app, make_user, login):
    user = make_user()
    laptop = login(user, test_client=app.test_client())
    phone = login(user, test_client=app.test_client())
    path = "/account/password"
    laptop.post(
        path,
        data={
            "current_password": PASSWORD,
            "new_password": "a brand new passphrase",
            "confirm_password": "a brand new passphrase",
            "csrf_token": csrf_token(laptop, path),
        },
    )
    assert laptop.get("/account").status_code == 200
    assert sent_to_sign_in(phone.get("/account"))


def test_a_disabled_account_is_signed_out_at_once(app, make_user, login):
    user = make_user()
    client = login(user, test_client=app.test_client())
    user.active = False
    db.session.commit()
    assert sent_to_sign_in(client.get("/account"))


def test_signing_in_starts_a_new_session(app, make_user):
    """Session fixation: a cookie planted before sign-in is not the one used after it."""
    client = app.test_client()
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    user = make_user()
    client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": csrf_token(client, "/sign-in")})
    with client.session_transaction() as session:
        assert "planted" not in session


# Redirects after sign-in


@pytest.mark.parametrize(
    ("next_url", "landing"),
    [
        ("/account", "/account"),
        ("https://evil.example.org/", "/"),
        ("//evil.example.org/", "/"),
        ("/\\evil.example.org", "/"),
        ("javascript:alert(1)", "/"),
        ("http:/evil.example.org", "/"),
    ],
)
def test_sign_in_only_follows_next_links_on_this_site(client, make_user, next_url, landing):
    user = make_user()
    token = csrf_token(client, "/sign-in")
    response = client.post("/sign-in", query_string={"next": next_url}, data={"email": user.email, "password": PASSWORD, "csrf_token": token})
    assert response.location == landing


# Logging


def test_failed_sign_ins_and_refusals_are_logged_without_the_password(app, make_user, add_member, make_board, login, caplog):
    caplog.set_level(logging.WARNING, logger="sait.security")
    user = make_user()
    attempt(app, user.email, "my secret guess")
    board, other = make_board(), make_board()
    add_member(user, board, "member", "police")
    client = login(user, test_client=app.test_client())
    client.get(f"/boards/{board.id}/members")
    client.get(f"/boards/{other.id}/members")
    messages = [r.getMessage() for r in caplog.records if r.name == "sait.security"]
    assert any(m.startswith("authentication failure") and user.email in m for m in messages)
    assert any(m.startswith("authorisation failure: role member lacks") for m in messages)
    assert any(m.startswith(f"authorisation failure: not a member of board {other.id}") for m in messages)
    assert not any("my secret guess" in m for m in messages)


# Error pages


@pytest.fixture
def broken_app(app):
    """The app with a test-only route that fails (added before any request)."""

    @app.get("/test-only/explode")
    def explode():
        raise RuntimeError("database password is hunter2")

    return app


def test_an_unexpected_error_is_a_govuk_page_without_a_traceback(broken_app, caplog):
    response = broken_app.test_client().get("/test-only/explode")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "Sorry, there is a problem with the service"
    assert "Traceback" not in body and "hunter2" not in body and "RuntimeError" not in body
    assert soup.select_one(".govuk-footer") is not None
    assert any(r.exc_info and "hunter2" in str(r.exc_info[1]) for r in caplog.records)


@pytest.mark.parametrize(
    ("request_args", "status", "heading"),
    [
        ({"path": "/no-such-page"}, 404, "Page not found"),
        ({"path": "/sign-out", "method": "GET"}, 405, "There is a problem with your request"),
        ({"path": "/sign-in", "method": "POST"}, 400, "There is a problem with your request"),
        ({"path": "/admin/boards"}, 403, "You do not have permission to see this page"),
        ({"path": "/sign-in", "method": "POST", "data": {"evidence": "x" * 6_000_000}}, 413, "What you sent is too large"),
    ],
)
def test_every_error_is_a_govuk_page(app, make_user, request_args, status, heading):
    client = signed_in_client(app, make_user())
    response = client.open(**request_args)
    assert response.status_code == status
    soup = page(response)
    assert soup.h1.get_text(strip=True) == heading
    assert soup.title.get_text(strip=True).startswith(heading)
    assert "Traceback" not in response.get_data(as_text=True)


def test_too_many_attempts_is_a_govuk_page(app):
    app.config["SAIT_LOGIN_LIMIT"] = "1 per 15 minutes"
    attempt(app, "someone@example.org")
    response = attempt(app, "someone@example.org")
    assert response.status_code == 429
    assert page(response).title.get_text(strip=True).startswith("Too many attempts")


def test_scripts_get_errors_as_json(client):
    response = client.get("/no-such-page", headers={"Accept": "application/json"})
    assert response.status_code == 404
    assert response.json["error"] == "Page not found"
    assert not re.search(r"<html", response.get_data(as_text=True))


# Behind a load balancer


@pytest.fixture
def proxied_app(database_url):
    """The app as deployed behind one proxy that sets X-Forwarded-For and -Proto."""
    from tests.conftest import IsolatedClient, _config_dict

    proxied = create_app({**_config_dict(), "SQLALCHEMY_DATABASE_URI": database_url, "SAIT_TRUSTED_PROXIES": 1})
    proxied.test_client_class = IsolatedClient
    yield proxied
    from app.extensions import limiter

    with proxied.app_context():
        db.engine.dispose()
    limiter.reset()


def forwarded_attempt(app, forwarded_for: str, email: str):
    client = app.test_client()
    headers = {"X-Forwarded-For": forwarded_for}
    token = page(client.get("/sign-in", headers=headers)).select_one("input[name=csrf_token]")["value"]
    return client.post("/sign-in", headers=headers, data={"email": email, "password": "wrong guess", "csrf_token": token})


def test_behind_a_proxy_each_client_address_is_throttled_separately(proxied_app):
    limit = allowed_failures(proxied_app)
    codes = [forwarded_attempt(proxied_app, "192.0.2.10", f"guess{n}@example.org").status_code for n in range(limit + 1)]
    assert codes[-1] == 429
    assert forwarded_attempt(proxied_app, "192.0.2.11", "someone.else@example.org").status_code == 200


def test_without_a_trusted_proxy_a_forged_forwarded_for_changes_nothing(app):
    limit = allowed_failures(app)
    codes = [forwarded_attempt(app, f"192.0.2.{n}", f"guess{n}@example.org").status_code for n in range(limit + 1)]
    assert codes[-1] == 429


def test_behind_a_proxy_https_is_taken_from_forwarded_proto(proxied_app):
    headers = proxied_app.test_client().get("/sign-in", headers={"X-Forwarded-Proto": "https"}).headers
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
