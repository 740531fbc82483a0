"""Text held after a session ends cannot fill the database or be planted in someone's form.

What a probe of the running app found (issue 12, defects 1 and 2): a POST
without a CSRF token to any `/rounds/<id>/respond/<domain>`, even for a round
that does not exist, was stored, up to 500 KB a time, for ever, and the rate
limit never fired; a cross-site POST, or anyone who had seen a page's
`typed_by` token (the same on every sign-in, never expiring), could put a
rating and evidence into a member's form.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from sqlalchemy import func, select

from app.data.framework_store import current_framework
from app.data.models import Answer, HeldSave
from app.extensions import db
from app.questionnaire import held
from app.questionnaire.held import KEEP_PER_PAGE, NONCE_COOKIE
from app.web.anonymous_writes import DEFAULT_LIMIT
from tests.factories import csrf_token, page
from tests.integration.questionnaire_helpers import domain_form_data, key

PUT_BACK = "We have put back what you typed"


def _answer(open_round, benchmark_id: str) -> Answer:
    db.session.expire_all()
    return db.session.scalar(select(Answer).where(Answer.response_id == open_round.response.id, Answer.benchmark_id == benchmark_id))


def _held_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(HeldSave))


def _domain_url(open_round, index: int = 0) -> str:
    return f"/rounds/{open_round.round.id}/respond/{current_framework().domains[index].id}"


def _evidence_field(benchmark_id: str) -> str:
    return f"{key(benchmark_id)}-evidence"


def _typed_then_signed_out(client, login, user, url, text):
    """Sign in, open the page, type `text`, then lose the session (an idle timeout): the form as it would be sent."""
    benchmark = current_framework().domains[0].benchmarks[0]
    login(user)
    data = domain_form_data(page(client.get(url)), **{_evidence_field(benchmark.id): text, f"{key(benchmark.id)}-rating": "good"})
    with client.session_transaction() as session:
        session.clear()
    return {**data, "save_later": "y"}


def _shown_back(client, url) -> str:
    benchmark = current_framework().domains[0].benchmarks[0]
    soup = page(client.get(url))
    assert (PUT_BACK in soup.get_text()) == bool(soup.select_one(f"textarea[name='{_evidence_field(benchmark.id)}']").get_text())
    return soup.select_one(f"textarea[name='{_evidence_field(benchmark.id)}']").get_text()


# Defect 1: filling the database


def test_a_post_without_a_token_to_a_round_that_does_not_exist_stores_nothing(app):
    anyone = app.test_client()
    response = anyone.post("/rounds/999/respond/outcomes", data={"outcomes_1-evidence": "x" * 400_000})
    assert response.status_code == 302
    assert _held_count() == 0


def test_a_post_without_an_owner_token_stores_nothing_and_says_so(client, open_round):
    url = _domain_url(open_round)
    response = client.post(url, data={"outcomes_1-evidence": "Junk", "outcomes_1-rating": "good"})
    assert "/sign-in" in response.headers["Location"]
    assert _held_count() == 0
    text = page(client.get(response.headers["Location"])).get_text()
    assert "your answers were not saved. Sign in, then enter them again" in text
    assert "We have kept what you typed" not in text


def test_only_the_pages_own_fields_are_held(client, login, open_round):
    url = _domain_url(open_round)
    data = _typed_then_signed_out(client, login, open_round.member, url, "Mine")
    client.post(url, data={**data, "padding": "x" * 400_000, "other_1-evidence": "y" * 1000})
    held = db.session.scalar(select(HeldSave))
    benchmark_keys = {key(b.id) for b in current_framework().domains[0].benchmarks}
    assert {name.rsplit("-", 1)[0] for name in held.form_data} == benchmark_keys
    assert held.form_data[_evidence_field(current_framework().domains[0].benchmarks[0].id)] == ["Mine"]


def test_the_rate_limit_applies_to_anonymous_writes_whatever_refuses_them_first(app, open_round):
    """30 a minute per address: posts refused for their CSRF token count, on every route."""
    app.config["SAIT_ANONYMOUS_WRITE_LIMIT"] = DEFAULT_LIMIT
    anyone = app.test_client()
    url = _domain_url(open_round)
    codes = []
    for n in range(30):
        if n % 3 == 0:
            codes.append(anyone.post(url, data={"outcomes_1-evidence": "x"}).status_code)
        elif n % 3 == 1:
            codes.append(anyone.post(f"{url}/autosave", json={"benchmark_id": "outcomes.1", "version": 1}).status_code)
        else:
            codes.append(anyone.post("/sign-in", data={"email": "a@example.org", "password": "x"}).status_code)
    assert 429 not in codes
    refused = anyone.post(url, data={"outcomes_1-evidence": "x"})
    assert refused.status_code == 429
    assert page(refused).h1.get_text(strip=True) == "Too many attempts"
    assert anyone.post(f"{url}/autosave", json={"benchmark_id": "outcomes.1", "version": 1}).status_code == 429
    assert anyone.post("/sign-in", data={"email": "a@example.org", "password": "x"}).status_code == 429
    assert _held_count() == 0


def test_anonymous_writes_with_good_csrf_tokens_count_too(app):
    """Sign-ins and reset requests with valid tokens share the one budget per address."""
    app.config["SAIT_LOGIN_LIMIT"] = "1000 per minute"  # only the anonymous budget is under test
    app.config["SAIT_ANONYMOUS_WRITE_LIMIT"] = DEFAULT_LIMIT
    anyone = app.test_client()
    codes = []
    for n in range(31):
        path = "/sign-in" if n % 2 else "/password-reset"
        data = {"email": f"person{n}@example.org", "password": "wrong password"}
        codes.append(anyone.post(path, data={**data, "csrf_token": csrf_token(anyone, path)}).status_code)
    assert 429 not in codes[:30]
    assert codes[30] == 429


def test_the_rate_limit_does_not_count_signed_in_people(app, client, login, open_round):
    app.config["SAIT_ANONYMOUS_WRITE_LIMIT"] = DEFAULT_LIMIT
    login(open_round.member)
    url = _domain_url(open_round)
    codes = {client.post(url, data={"outcomes_1-evidence": "x"}).status_code for _ in range(35)}
    assert codes == {400}


def test_a_person_keeps_only_the_newest_few_held_texts_per_page(client, login, open_round):
    """Several tabs of one page, each with its own token, all saved after the session ended."""
    url = _domain_url(open_round)
    benchmark = current_framework().domains[0].benchmarks[0]
    login(open_round.member)
    tabs = [
        domain_form_data(page(client.get(url)), **{_evidence_field(benchmark.id): f"Draft {n}", f"{key(benchmark.id)}-rating": "good"})
        for n in range(KEEP_PER_PAGE + 2)
    ]
    with client.session_transaction() as session:
        session.clear()
    for tab in tabs:
        client.post(url, data={**tab, "save_later": "y"})
    assert _held_count() == KEEP_PER_PAGE
    login(open_round.member)
    assert _shown_back(client, url) == f"Draft {KEEP_PER_PAGE + 1}"


def test_old_held_text_is_never_offered_back_and_is_deleted_on_the_next_write(client, login, open_round):
    url = _domain_url(open_round)
    benchmark = current_framework().domains[0].benchmarks[0]
    old = datetime.now(UTC) - timedelta(days=8)
    db.session.add(HeldSave(key="old-token", path=url, form_data={_evidence_field(benchmark.id): ["Last week"]}, user_id=open_round.member.id, created_at=old))
    db.session.add(HeldSave(key="someone-else", path="/rounds/7/respond/x", form_data={}, user_id=open_round.other_member.id, created_at=old))
    db.session.commit()
    login(open_round.member)
    assert _shown_back(client, url) == ""
    assert _held_count() == 2
    with client.session_transaction() as session:
        session.clear()

    client.post(url, data=_typed_then_signed_out(client, login, open_round.member, url, "Today"))
    assert _held_count() == 1
    assert not {"old-token", "someone-else"} & set(db.session.scalars(select(HeldSave.key)))
    login(open_round.member)
    assert _shown_back(client, url) == "Today"


# Defect 2: planting text in someone's form


def test_a_cross_site_post_with_a_stolen_owner_token_plants_nothing(app, client, login, open_round):
    """The token alone is not enough: it must come from the browser it was issued in."""
    url = _domain_url(open_round)
    stolen = _typed_then_signed_out(client, login, open_round.member, url, "Gareth's own")["typed_by"]
    attacker = app.test_client()  # another browser, or a cross-site form, which sends no typing cookie
    benchmark = current_framework().domains[0].benchmarks[0]
    forged = {"typed_by": stolen, f"{key(benchmark.id)}-rating": "inadequate", _evidence_field(benchmark.id): "Planted"}
    assert "/sign-in" in attacker.post(url, data=forged).headers["Location"]
    autosave = attacker.post(
        f"{url}/autosave", json={"benchmark_id": benchmark.id, "rating": "inadequate", "evidence": "Planted", "version": 1, "typed_by": stolen}
    )
    assert autosave.status_code == 401 and autosave.json["held"] is False
    assert "not saved" in autosave.json["error"]
    assert _held_count() == 0
    login(open_round.member)
    assert _shown_back(client, url) == ""


def test_a_forged_typing_cookie_does_not_help(app, client, login, open_round):
    """The token carries only a digest of the browser's nonce, so it cannot be turned into the cookie."""
    url = _domain_url(open_round)
    data = _typed_then_signed_out(client, login, open_round.member, url, "x")
    attacker = app.test_client()
    for guess in ("x" * 43, data["typed_by"][:43]):
        attacker.set_cookie(NONCE_COOKIE, guess, path="/rounds/")
        attacker.post(url, data={**data, _evidence_field(current_framework().domains[0].benchmarks[0].id): "Planted"})
    assert _held_count() == 0


def test_a_signed_in_post_without_a_csrf_token_or_owner_token_holds_nothing(client, login, open_round):
    """A cross-site post that carried the session cookie used to be held as the signed-in person's text."""
    login(open_round.member)
    url = _domain_url(open_round)
    response = client.post(url, data={"outcomes_1-rating": "inadequate", "outcomes_1-evidence": "Planted"})
    assert response.status_code == 400
    assert _held_count() == 0
    assert _shown_back(client, url) == ""


def test_the_owner_token_differs_on_every_page_and_is_bound_to_the_browser(app, client, login, open_round):
    url = _domain_url(open_round)
    login(open_round.member)
    first = domain_form_data(page(client.get(url)))["typed_by"]
    second = domain_form_data(page(client.get(url)))["typed_by"]
    assert first != second
    cookie = client.get_cookie(NONCE_COOKIE, path="/rounds/")
    assert cookie is not None and cookie.value not in first
    header = next(h for h in client.get(url).headers.getlist("Set-Cookie") if h.startswith(NONCE_COOKIE))
    assert "HttpOnly" in header and "SameSite=Lax" in header and "Path=/rounds/" in header


def test_an_owner_token_expires(app, client, login, open_round, monkeypatch):
    """A token older than the longest session (12 hours by default) holds nothing."""
    url = _domain_url(open_round)
    login(open_round.member)

    class ThirteenHoursAgo(TimestampSigner):
        def get_timestamp(self) -> int:
            return super().get_timestamp() - 13 * 3600

    issuing = held._serializer
    monkeypatch.setattr(held, "_serializer", lambda: URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="held-text-owner", signer=ThirteenHoursAgo))
    data = domain_form_data(page(client.get(url)), **{_evidence_field("outcomes.1"): "Typed yesterday"})
    monkeypatch.setattr(held, "_serializer", issuing)
    with client.session_transaction() as session:
        session.clear()
    client.post(url, data={**data, "save_later": "y"})
    assert _held_count() == 0


def test_an_owner_token_holds_text_once(client, login, open_round):
    url = _domain_url(open_round)
    data = _typed_then_signed_out(client, login, open_round.member, url, "First time")
    client.post(url, data=data)
    login(open_round.member)
    assert _shown_back(client, url) == "First time"
    with client.session_transaction() as session:
        session.clear()
    # The same page's token again, from the same browser: used up.
    client.post(url, data={**data, _evidence_field("outcomes.1"): "Replayed"})
    login(open_round.member)
    assert _shown_back(client, url) == ""


def test_a_token_holds_text_only_for_the_page_it_was_issued_on(client, login, open_round):
    url = _domain_url(open_round)
    data = _typed_then_signed_out(client, login, open_round.member, url, "Meant for outcomes")
    other = _domain_url(open_round, 1)
    client.post(other, data=data)
    client.post("/rounds/999/respond/outcomes", data=data)
    assert _held_count() == 0


@pytest.mark.parametrize("change", ["round_closed", "response_submitted", "removed_from_board"])
def test_text_is_held_only_while_its_owner_can_answer_the_page(client, login, open_round, change):
    url = _domain_url(open_round)
    data = _typed_then_signed_out(client, login, open_round.member, url, "Too late")
    if change == "round_closed":
        open_round.round.status = "closed"
    elif change == "response_submitted":
        open_round.response.status = "submitted"
    else:
        open_round.response.membership.removed_at = datetime.now(UTC)
    db.session.commit()
    client.post(url, data=data)
    assert _held_count() == 0


def test_a_stale_token_from_someone_elses_tab_is_held_for_its_owner_not_whoever_is_signed_in(app, client, login, open_round):
    """A shared computer: Gareth's tab was left open; Eleri signs in there; Gareth's tab then saves."""
    url = _domain_url(open_round)
    data = _typed_then_signed_out(client, login, open_round.member, url, "Gareth's notes")
    login(open_round.other_member)
    client.post(url, data=data)  # a CSRF token from Gareth's session: refused, and held for Gareth
    assert _shown_back(client, url) == ""
    elsewhere = login(open_round.member, test_client=app.test_client())
    assert _shown_back(elsewhere, url) == "Gareth's notes"


def test_autosaves_after_sign_out_and_the_save_button_all_come_back(client, login, open_round):
    """Each hold from the same page adds to one held text; the latest for each benchmark wins."""
    domain = current_framework().domains[0]
    first, second = domain.benchmarks[0], domain.benchmarks[1]
    url = _domain_url(open_round)
    login(open_round.member)
    soup = page(client.get(url))
    token, owner = soup.select_one("input[name=csrf_token]")["value"], soup.select_one("input[name=typed_by]")["value"]
    with client.session_transaction() as session:
        session.clear()
    for benchmark, text in ((first, "One"), (second, "Two"), (first, "One, finished")):
        reply = client.post(
            f"{url}/autosave",
            json={"benchmark_id": benchmark.id, "rating": "good", "evidence": text, "version": 1, "typed_by": owner},
            headers={"X-CSRFToken": token},
        )
        assert reply.status_code == 401 and reply.json["held"] is True
    assert _held_count() == 1
    login(open_round.member)
    soup = page(client.get(url))
    assert PUT_BACK in soup.get_text()
    assert soup.select_one(f"textarea[name='{_evidence_field(first.id)}']").get_text() == "One, finished"
    assert soup.select_one(f"textarea[name='{_evidence_field(second.id)}']").get_text() == "Two"


def test_a_benchmark_the_held_text_does_not_have_shows_what_is_stored(client, login, open_round):
    domain = current_framework().domains[0]
    first, second = domain.benchmarks[0], domain.benchmarks[1]
    url = _domain_url(open_round)
    login(open_round.member)
    client.post(
        url,
        data={
            **domain_form_data(page(client.get(url)), **{_evidence_field(second.id): "Saved earlier", f"{key(second.id)}-rating": "good"}),
            "save_later": "y",
        },
    )
    soup = page(client.get(url))
    token, owner = soup.select_one("input[name=csrf_token]")["value"], soup.select_one("input[name=typed_by]")["value"]
    with client.session_transaction() as session:
        session.clear()
    client.post(f"{url}/autosave", json={"benchmark_id": first.id, "evidence": "Typed after", "version": 1, "typed_by": owner}, headers={"X-CSRFToken": token})
    login(open_round.member)
    soup = page(client.get(url))
    assert soup.select_one(f"textarea[name='{_evidence_field(first.id)}']").get_text() == "Typed after"
    assert soup.select_one(f"textarea[name='{_evidence_field(second.id)}']").get_text() == "Saved earlier"
    assert soup.select_one(f"input[name='{key(second.id)}-rating'][value='good']").has_attr("checked")


# Defect 9 (the answer form): a version that is not one the page gave


@pytest.mark.parametrize("version", ["9" * 5000, str(2**31), str(2**63), "²", "-1", "1e3"])
def test_an_answer_form_with_an_impossible_version_says_reload_and_saves_nothing(client, login, open_round, version):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    url = _domain_url(open_round)
    login(open_round.member)
    data = domain_form_data(page(client.get(url)), **{_evidence_field(benchmark.id): "Typed", f"{key(benchmark.id)}-version": version})
    response = client.post(url, data={**data, "save_later": "y"})
    assert response.status_code == 200
    summary = page(response).select_one(".govuk-error-summary").get_text()
    assert f"Reload the page and try again: the form for ‘{benchmark.title.get('en')}’ was changed before it was sent" in summary
    assert _answer(open_round, benchmark.id).evidence == ""


def test_nul_characters_in_evidence_are_dropped_not_a_500(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    url = _domain_url(open_round)
    login(open_round.member)
    data = domain_form_data(page(client.get(url)), **{_evidence_field(benchmark.id): "Minutes\x00 of March"})
    assert client.post(url, data={**data, "save_later": "y"}).status_code == 302
    assert _answer(open_round, benchmark.id).evidence == "Minutes of March"
    token = csrf_token(client, url)
    version = _answer(open_round, benchmark.id).version
    reply = client.post(f"{url}/autosave", json={"benchmark_id": benchmark.id, "evidence": "Audit\x00", "version": version}, headers={"X-CSRFToken": token})
    assert reply.status_code == 200
    assert _answer(open_round, benchmark.id).evidence == "Audit"
