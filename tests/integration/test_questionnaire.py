"""A board member's journey through the questionnaire, as they would see it."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.data.framework_store import current_framework
from app.data.models import Answer, AuditEvent, HeldSave
from app.extensions import db
from tests.factories import csrf_token, page
from tests.integration.questionnaire_helpers import domain_form_data, key


def _answer(response, benchmark_id) -> Answer:
    db.session.expire_all()
    return db.session.scalar(select(Answer).where(Answer.response_id == response.id, Answer.benchmark_id == benchmark_id))


def _answer_whole_domain(client, round_id, domain, rating="requires_improvement", evidence=""):
    url = f"/rounds/{round_id}/respond/{domain.id}"
    soup = page(client.get(url))
    overrides = {}
    for benchmark in domain.benchmarks:
        overrides[f"{key(benchmark.id)}-rating"] = rating
        overrides[f"{key(benchmark.id)}-evidence"] = evidence
    return client.post(url, data={**domain_form_data(soup, **overrides), "save_continue": "y"})


def test_task_list_shows_five_domains_not_started(client, login, open_round):
    login(open_round.member)
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond"))
    assert soup.h1.get_text(strip=True) == "Self-assessment 2026"
    titles = [a.get_text(strip=True) for a in soup.select(".govuk-task-list__link")]
    assert titles == [d.title.get() for d in current_framework().domains]
    statuses = [s.get_text(strip=True) for s in soup.select(".govuk-task-list__status")]
    assert statuses == ["Not started"] * 5
    assert "You have completed 0 of 5 domains." in soup.get_text()


def test_domain_page_offers_each_level_with_its_descriptor_as_hint(client, login, open_round):
    framework = current_framework()
    domain = framework.domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/{domain.id}"))
    assert soup.h1.get_text(strip=True) == domain.title.get()
    legend = soup.select_one(f"#benchmark-{key(benchmark.id)} legend").get_text(strip=True)
    assert legend == benchmark.question.get()
    radios = soup.select(f"input[name='{key(benchmark.id)}-rating']")
    assert [r["value"] for r in radios] == ["outstanding", "good", "requires_improvement", "inadequate", "not_known", "not_applicable"]
    for level_id, text in benchmark.descriptors.items():
        radio = soup.select_one(f"input[name='{key(benchmark.id)}-rating'][value='{level_id}']")
        hint = soup.select_one(f"#{radio['aria-describedby']}")
        assert hint.get_text(strip=True) == text.get()
    prompts = [li.get_text(strip=True) for li in soup.select(f"#benchmark-{key(benchmark.id)} .govuk-inset-text li")]
    assert prompts == [p.get() for p in benchmark.evidence_prompts]
    textarea = soup.select_one(f"textarea[name='{key(benchmark.id)}-evidence']")
    assert textarea.find_parent(attrs={"data-maxlength": "5000"}) is not None
    assert "Not answered yet" in soup.select_one(f"#benchmark-{key(benchmark.id)} [data-last-changed]").get_text()


def test_save_and_continue_stores_answers_and_moves_to_next_domain(client, login, open_round):
    framework = current_framework()
    first, second = framework.domains[0], framework.domains[1]
    login(open_round.member)
    response = _answer_whole_domain(client, open_round.round.id, first, rating="good", evidence="Audit of 20 cases, March 2026")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/respond/{second.id}")
    stored = _answer(open_round.response, first.benchmarks[0].id)
    assert (stored.rating, stored.evidence, stored.version) == ("good", "Audit of 20 cases, March 2026", 2)
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond"))
    assert [s.get_text(strip=True) for s in soup.select(".govuk-task-list__status")][:2] == ["Completed", "Not started"]
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/{first.id}"))
    last = soup.select_one(f"#benchmark-{key(first.benchmarks[0].id)} [data-last-changed]").get_text(strip=True)
    assert last.startswith("Last changed by Gareth Morgan at ")
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answer_saved")).all()
    assert len(events) == len(first.benchmarks)


def test_save_and_come_back_later_keeps_a_partial_answer(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-rating": "outstanding"})
    response = client.post(url, data={**data, "save_later": "y"})
    assert response.headers["Location"].endswith(f"/rounds/{open_round.round.id}/respond")
    assert _answer(open_round.response, benchmark.id).rating == "outstanding"
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond"))
    assert soup.select(".govuk-task-list__status")[0].get_text(strip=True) == "In progress"
    assert "1 of" in soup.select(".govuk-task-list__hint")[0].get_text()


def test_high_rating_without_evidence_asks_for_evidence_and_saves_nothing(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-rating": "good"})
    soup = page(client.post(url, data={**data, "save_continue": "y"}))
    assert soup.title.get_text().startswith("Error: ")
    summary = soup.select_one(".govuk-error-summary")
    assert f"Enter the evidence for your rating of ‘Good’ for ‘{benchmark.title.get()}’" in summary.get_text()
    link = summary.select_one("a")["href"]
    assert link == f"#{key(benchmark.id)}-evidence"
    assert _answer(open_round.response, benchmark.id).rating is None
    # The choice made is still selected on the page.
    assert soup.select_one(f"input[name='{key(benchmark.id)}-rating'][value='good']").has_attr("checked")


def test_no_evidence_yet_is_recorded(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-rating": "good", f"{key(benchmark.id)}-no_evidence_yet": "y"})
    client.post(url, data={**data, "save_later": "y"})
    stored = _answer(open_round.response, benchmark.id)
    assert (stored.rating, stored.no_evidence_yet) == ("good", True)


def test_over_long_evidence_is_refused_and_the_text_kept(client, login, open_round, app):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    long_text = "x" * (app.config["SAIT_EVIDENCE_MAX_CHARS"] + 1)
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-rating": "good", f"{key(benchmark.id)}-evidence": long_text})
    soup = page(client.post(url, data={**data, "save_later": "y"}))
    assert "must be 5,000 characters or fewer" in soup.select_one(".govuk-error-summary").get_text()
    assert soup.select_one(f"textarea[name='{key(benchmark.id)}-evidence']").get_text() == long_text
    assert _answer(open_round.response, benchmark.id).evidence == ""


def test_a_rating_that_is_not_offered_is_refused(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-rating": "excellent"})
    soup = page(client.post(url, data={**data, "save_later": "y"}))
    assert "Select one of the ratings shown" in soup.select_one(".govuk-error-summary").get_text()
    assert _answer(open_round.response, benchmark.id).rating is None


def test_evidence_with_html_is_shown_as_text(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    script = "<script>alert('x')</script><img src=x onerror=alert(1)>"
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-rating": "good", f"{key(benchmark.id)}-evidence": script})
    client.post(url, data={**data, "save_later": "y"})
    for path in (url, f"/rounds/{open_round.round.id}/respond/check"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
        assert script in page(client.get(path)).get_text()


def test_check_answers_lists_what_is_missing_with_links(client, login, open_round):
    framework = current_framework()
    login(open_round.member)
    _answer_whole_domain(client, open_round.round.id, framework.domains[0])
    soup = page(
        client.post(f"/rounds/{open_round.round.id}/respond/check", data={"csrf_token": csrf_token(client, f"/rounds/{open_round.round.id}/respond/check")})
    )
    items = soup.select(".govuk-error-summary__list a")
    missing = len(framework.benchmarks) - len(framework.domains[0].benchmarks)
    assert len(items) == missing
    second = framework.domains[1].benchmarks[0]
    assert items[0].get_text(strip=True).startswith(f"Select how well the board meets ‘{second.title.get()}’")
    assert items[0]["href"].endswith(f"/respond/{framework.domains[1].id}#{key(second.id)}-rating")
    db.session.expire_all()
    assert open_round.response.status == "in_progress"


def test_submit_makes_the_response_read_only_until_reopened(client, login, open_round, app):
    framework = current_framework()
    login(open_round.member)
    for domain in framework.domains:
        _answer_whole_domain(client, open_round.round.id, domain)
    check = f"/rounds/{open_round.round.id}/respond/check"
    response = client.post(check, data={"csrf_token": csrf_token(client, check)})
    assert response.headers["Location"].endswith("/respond/submitted")
    soup = page(client.get(response.headers["Location"]))
    assert soup.select_one(".govuk-panel__title").get_text(strip=True) == "Self-assessment submitted"
    # The task list says when, as a sentence reads: "at 15:03 on 1 December 2026", not "on 15:03 on ...".
    told = page(client.get(f"/rounds/{open_round.round.id}/respond")).select_one("main").get_text(" ", strip=True)
    assert re.search(r"You submitted your self-assessment at \d\d:\d\d on \d{1,2} \w+ \d{4}\.", told), told[:300]

    domain = framework.domains[0]
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    soup = page(client.get(url))
    assert soup.select_one("button[name=save_continue]") is None
    assert all(r.has_attr("disabled") for r in soup.select("input[type=radio]"))
    data = domain_form_data(soup, **{f"{key(domain.benchmarks[0].id)}-rating": "outstanding"})
    client.post(url, data={**data, "save_later": "y"})
    assert _answer(open_round.response, domain.benchmarks[0].id).rating == "requires_improvement"

    # The business manager reopens it; the member can change it again.
    manager = app.test_client()
    login(open_round.manager, test_client=manager)
    round_page = page(manager.get(f"/rounds/{open_round.round.id}"))
    row = [tr for tr in round_page.select("#progress tbody tr") if "Gareth Morgan" in tr.get_text()][0]
    assert "Submitted" in row.get_text()
    form = row.select_one("form")
    manager.post(form["action"], data={"csrf_token": form.select_one("input[name=csrf_token]")["value"]})
    soup = page(client.get(url))
    assert soup.select_one("button[name=save_continue]") is not None
    client.post(
        url,
        data={
            **domain_form_data(soup, **{f"{key(domain.benchmarks[0].id)}-rating": "outstanding", f"{key(domain.benchmarks[0].id)}-evidence": "New audit"}),
            "save_later": "y",
        },
    )
    assert _answer(open_round.response, domain.benchmarks[0].id).rating == "outstanding"


def test_two_tabs_editing_the_same_answer_keep_both_texts(client, login, open_round, app):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    tab_two = app.test_client()
    login(open_round.member, test_client=tab_two)
    first_page = page(client.get(url))
    second_page = page(tab_two.get(url))

    client.post(
        url,
        data={
            **domain_form_data(first_page, **{f"{key(benchmark.id)}-rating": "good", f"{key(benchmark.id)}-evidence": "Text from the laptop"}),
            "save_later": "y",
        },
    )
    soup = page(
        tab_two.post(
            url,
            data={
                **domain_form_data(
                    second_page, **{f"{key(benchmark.id)}-rating": "requires_improvement", f"{key(benchmark.id)}-evidence": "Text from the tablet"}
                ),
                "save_later": "y",
            },
        )
    )

    assert "changed somewhere else at the same time" in soup.select_one(".govuk-error-summary").get_text()
    warning = soup.select_one(f"#benchmark-{key(benchmark.id)} .govuk-warning-text").get_text()
    assert "Text from the laptop" in warning
    assert soup.select_one(f"textarea[name='{key(benchmark.id)}-evidence']").get_text() == "Text from the tablet"
    assert _answer(open_round.response, benchmark.id).evidence == "Text from the laptop"
    conflict = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "answer_conflict"))
    assert conflict.detail["your_evidence"] == "Text from the tablet"

    # Saving again from the tablet, having seen both, goes through.
    tab_two.post(url, data={**domain_form_data(soup), "save_later": "y"})
    assert _answer(open_round.response, benchmark.id).evidence == "Text from the tablet"


def test_typed_answers_survive_an_expired_session(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-rating": "good", f"{key(benchmark.id)}-evidence": "Typed over lunch"})
    with client.session_transaction() as session:
        session.clear()  # what an idle timeout leaves behind
    response = client.post(url, data={**data, "save_later": "y"})
    assert "/sign-in" in response.headers["Location"]
    assert _answer(open_round.response, benchmark.id).evidence == ""
    soup = page(client.get(response.headers["Location"]))
    assert "We have kept what you typed" in soup.get_text()

    login(open_round.member)
    soup = page(client.get(url))
    assert "We have put back what you typed" in soup.get_text()
    assert soup.select_one(f"textarea[name='{key(benchmark.id)}-evidence']").get_text() == "Typed over lunch"
    assert soup.select_one(f"input[name='{key(benchmark.id)}-rating'][value='good']").has_attr("checked")
    client.post(url, data={**domain_form_data(soup), "save_later": "y"})
    assert _answer(open_round.response, benchmark.id).evidence == "Typed over lunch"


def test_a_stale_csrf_token_does_not_lose_the_answers(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-evidence": "Written before the token expired", "csrf_token": "stale"})
    response = client.post(url, data={**data, "save_later": "y"})
    assert response.status_code == 302
    login_again = response.headers["Location"]
    assert "/sign-in" in login_again
    # Still signed in, so the page restores at once.
    soup = page(client.get(url))
    assert soup.select_one(f"textarea[name='{key(benchmark.id)}-evidence']").get_text() == "Written before the token expired"


def test_autosave_saves_one_answer_and_returns_a_fresh_token(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    token = csrf_token(client, f"/rounds/{open_round.round.id}/respond/{domain.id}")
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}/autosave"
    reply = client.post(
        url, json={"benchmark_id": benchmark.id, "rating": "good", "evidence": "Audit", "no_evidence_yet": False, "version": 1}, headers={"X-CSRFToken": token}
    )
    assert reply.status_code == 200
    assert reply.json["saved"] is True and reply.json["version"] == 2
    assert reply.json["csrf_token"]
    assert reply.json["last_changed"].startswith("Last changed by Gareth Morgan")
    assert _answer(open_round.response, benchmark.id).evidence == "Audit"

    stale = client.post(
        url,
        json={"benchmark_id": benchmark.id, "rating": "inadequate", "evidence": "Other", "no_evidence_yet": False, "version": 1},
        headers={"X-CSRFToken": token},
    )
    assert stale.status_code == 409
    assert stale.json["current"]["evidence"] == "Audit"
    assert _answer(open_round.response, benchmark.id).rating == "good"


def test_autosave_without_csrf_token_changes_nothing(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    reply = client.post(
        f"/rounds/{open_round.round.id}/respond/{domain.id}/autosave", json={"benchmark_id": benchmark.id, "rating": "good", "evidence": "x", "version": 1}
    )
    assert reply.status_code in (400, 401)
    assert _answer(open_round.response, benchmark.id).rating is None


def test_autosave_refuses_bad_input(client, login, open_round, app):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    token = csrf_token(client, f"/rounds/{open_round.round.id}/respond/{domain.id}")
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}/autosave"
    cases = [
        ({"benchmark_id": benchmark.id, "rating": "superb", "version": 1}, 422, "Select one of the ratings shown"),
        ({"benchmark_id": benchmark.id, "rating": "good", "evidence": "x" * 5001, "version": 1}, 422, "5,000 characters or fewer"),
        ({"benchmark_id": "outputs.1", "rating": "good", "version": 1}, 404, "No such benchmark on this page"),
        ({"benchmark_id": benchmark.id, "rating": "good"}, 422, "version"),
    ]
    for payload, status, message in cases:
        reply = client.post(url, json=payload, headers={"X-CSRFToken": token})
        assert reply.status_code == status
        assert message in reply.json["error"]
    assert _answer(open_round.response, benchmark.id).rating is None


def test_autosave_after_sign_out_holds_the_text(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/{domain.id}"))
    token, owner = soup.select_one("input[name=csrf_token]")["value"], soup.select_one("input[name=typed_by]")["value"]
    with client.session_transaction() as session:
        session.clear()
    payload = {"benchmark_id": benchmark.id, "rating": "good", "evidence": "Kept for later", "version": 1, "typed_by": owner}
    reply = client.post(f"/rounds/{open_round.round.id}/respond/{domain.id}/autosave", json=payload, headers={"X-CSRFToken": token})
    assert reply.status_code == 401
    assert reply.json["held"] is True
    assert db.session.scalar(select(HeldSave.user_id)) == open_round.member.id
    login(open_round.member)
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/{domain.id}"))
    assert soup.select_one(f"textarea[name='{key(benchmark.id)}-evidence']").get_text() == "Kept for later"


def test_a_member_cannot_answer_on_someone_elses_behalf(client, login, open_round):
    """Responses are found from the signed-in person; there is no response id to swap."""
    domain = current_framework().domains[0]
    login(open_round.member)
    _answer_whole_domain(client, open_round.round.id, domain, rating="good", evidence="Mine")
    other = _answer(open_round.other_response, domain.benchmarks[0].id)
    assert other.rating is None


def test_people_not_invited_cannot_respond(client, login, open_round, make_user, add_member):
    outsider = make_user("Not Invited")
    add_member(outsider, open_round.board, "member", "education")
    login(outsider)
    assert client.get(f"/rounds/{open_round.round.id}/respond").status_code == 404



def test_held_text_is_offered_back_only_to_the_person_who_typed_it(client, login, open_round, app):
    """A shared office computer: the session ran out while Gareth typed, then Eleri signs in there."""
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-evidence": "Gareth's private notes"})
    assert data["typed_by"]  # the page says whose text it is, signed
    with client.session_transaction() as session:
        session.clear()  # the idle timeout: nobody is signed in any more
    assert "/sign-in" in client.post(url, data={**data, "save_later": "y"}).headers["Location"]

    login(open_round.other_member)
    soup = page(client.get(url))
    assert "We have put back what you typed" not in soup.get_text()
    assert "Gareth's private notes" not in soup.get_text()
    assert soup.select_one(f"textarea[name='{key(benchmark.id)}-evidence']").get_text() == ""

    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})

    # Gareth gets it back, on this computer or any other.
    elsewhere = login(open_round.member, test_client=app.test_client())
    soup = page(elsewhere.get(url))
    assert "We have put back what you typed" in soup.get_text()
    assert soup.select_one(f"textarea[name='{key(benchmark.id)}-evidence']").get_text() == "Gareth's private notes"
    # Once.
    assert page(elsewhere.get(url)).select_one(f"textarea[name='{key(benchmark.id)}-evidence']").get_text() == ""


def test_an_altered_owner_token_holds_nothing_and_says_so(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.other_member)
    eleri_token = domain_form_data(page(client.get(url)))["typed_by"]
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    login(open_round.member)
    data = domain_form_data(page(client.get(url)), **{f"{key(benchmark.id)}-evidence": "Gareth's notes"})
    with client.session_transaction() as session:
        session.clear()
    # A token altered by hand names nobody, so nothing is held for anybody.
    response = client.post(url, data={**data, "typed_by": eleri_token[:-2] + "xx", "save_later": "y"})
    assert db.session.scalar(select(HeldSave)) is None
    soup = page(client.get(response.headers["Location"]))
    assert "your answers were not saved. Sign in, then enter them again" in soup.get_text()


def test_check_answers_warns_before_submitting_high_ratings_without_evidence(client, login, open_round):
    framework = current_framework()
    login(open_round.member)
    first, second = framework.domains[0], framework.domains[1]
    url = f"/rounds/{open_round.round.id}/respond/{first.id}"
    overrides = {}
    for benchmark in first.benchmarks:  # Good, with "No evidence yet" ticked: nothing to show for it
        overrides |= {f"{key(benchmark.id)}-rating": "good", f"{key(benchmark.id)}-evidence": "", f"{key(benchmark.id)}-no_evidence_yet": "y"}
    assert client.post(url, data={**domain_form_data(page(client.get(url)), **overrides), "save_continue": "y"}).status_code == 302
    _answer_whole_domain(client, open_round.round.id, second, rating="outstanding", evidence="Audit of 40 cases, March 2026")
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/check"))
    warning = soup.select_one("#unevidenced-warning").get_text(" ", strip=True)
    assert f"You rated {len(first.benchmarks)} benchmarks Good or higher without any evidence" in warning
    assert "counts one level lower" in warning
    listed = [a.get_text(strip=True) for a in soup.select("#unevidenced a")]
    assert listed == [b.title.get() for b in first.benchmarks]  # the evidenced Outstanding ratings are not listed
    assert soup.select_one("#unevidenced a")["href"].endswith(f"/respond/{first.id}#{key(first.benchmarks[0].id)}-evidence")
