"""Members cite items of the board's evidence register from their own answers."""

from __future__ import annotations

from datetime import date

from sqlalchemy import insert, select

from app.data.carry_forward import carry_forward_answers
from app.data.framework_store import current_framework
from app.data.models import Answer, AssessmentRound, AuditEvent, EvidenceItem, Response, answer_evidence
from app.data.questionnaire import create_response
from app.extensions import db
from tests.factories import csrf_token, page
from tests.integration.questionnaire_helpers import key
from tests.integration.round_builder import Respondent, form_values


def _item(board_id: int, title: str, when: date = date(2026, 3, 1)) -> EvidenceItem:
    item = EvidenceItem(board_id=board_id, title=title, source_agency="health_board", evidence_date=when, impact="Children were seen sooner")
    db.session.add(item)
    db.session.commit()
    return item


def _answer(response, benchmark_id) -> Answer:
    db.session.expire_all()
    return db.session.scalar(select(Answer).where(Answer.response_id == response.id, Answer.benchmark_id == benchmark_id))


def _cited_titles(response, benchmark_id) -> list[str]:
    return [item.title for item in _answer(response, benchmark_id).cited]


def _first_domain():
    domain = current_framework().domains[0]
    return domain, domain.benchmarks[0]


def test_each_benchmark_offers_the_boards_register_and_nothing_else(client, login, open_round, make_board):
    _item(open_round.board.id, "Neglect audit", date(2026, 3, 1))
    _item(open_round.board.id, "Case file review", date(2026, 5, 9))
    _item(make_board("Another board").id, "Someone else's audit")
    domain, benchmark = _first_domain()
    login(open_round.member)
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/{domain.id}"))

    block = soup.select_one(f"#benchmark-{key(benchmark.id)}")
    details = block.select_one("details[data-register]")
    assert details.summary.get_text(strip=True) == "Evidence from the board’s register"
    assert not details.has_attr("open")  # nothing chosen yet: folded away
    labels = [label.get_text(strip=True) for label in details.select(".govuk-checkboxes__label")]
    assert labels == ["Case file review (9 May 2026)", "Neglect audit (1 March 2026)"]
    assert len(soup.select("details[data-register]")) == len(domain.benchmarks)


def test_an_empty_register_says_so(client, login, open_round):
    domain, benchmark = _first_domain()
    login(open_round.member)
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/{domain.id}"))
    details = soup.select_one(f"#benchmark-{key(benchmark.id)} details[data-register]")
    assert "The board’s evidence register is empty" in details.get_text()
    assert details.select("input[type=checkbox]") == []


def test_citing_register_items_is_evidence_enough_and_shows_everywhere(client, login, open_round):
    audit = _item(open_round.board.id, "Neglect audit")
    review = _item(open_round.board.id, "Case file review", date(2026, 5, 9))
    domain, benchmark = _first_domain()
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    data = form_values(page(client.get(url)))
    for other in domain.benchmarks:
        data[f"{key(other.id)}-rating"] = "requires_improvement"
    # "Good" needs evidence: no words, but two items from the register.
    data[f"{key(benchmark.id)}-rating"] = "good"
    data.setlist(f"{key(benchmark.id)}-cites", [str(audit.id), str(review.id)])
    data["save_continue"] = "y"
    response = client.post(url, data=data)
    assert response.status_code == 302, page(response).select_one(".govuk-error-summary")

    assert _cited_titles(open_round.response, benchmark.id) == ["Case file review", "Neglect audit"]
    saved = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "answer_saved", AuditEvent.object_id == str(_answer(open_round.response, benchmark.id).id))
    )
    assert saved.detail["cites"] == sorted([audit.id, review.id])

    # The page shows the choice back, unfolded.
    soup = page(client.get(url))
    details = soup.select_one(f"#benchmark-{key(benchmark.id)} details[data-register]")
    assert details.has_attr("open")
    assert {box["value"] for box in details.select("input[checked]")} == {str(audit.id), str(review.id)}

    # Check your answers lists them, and does not ask for evidence.
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/check"))
    assert "From the register: Case file review; Neglect audit" in soup.get_text(" ", strip=True)
    problems = " ".join(a.get_text() for a in soup.select(".app-problems a, .govuk-error-summary a"))
    assert benchmark.title.get("en") not in problems

    # The register counts the citation.
    soup = page(client.get(f"/boards/{open_round.board.id}/evidence"))
    assert soup.select_one(f"#evidence-{audit.id} [data-cited-count]").get_text(strip=True) == "Cited by 1 benchmark"

    # Unticking removes the citation again.
    data = form_values(page(client.get(url)))
    data.setlist(f"{key(benchmark.id)}-cites", [str(review.id)])
    data["save_later"] = "y"
    assert client.post(url, data=data).status_code == 302
    assert _cited_titles(open_round.response, benchmark.id) == ["Case file review"]


def test_a_high_rating_with_no_words_and_nothing_cited_still_asks_for_evidence(client, login, open_round):
    _item(open_round.board.id, "Neglect audit")
    domain, benchmark = _first_domain()
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    data = form_values(page(client.get(url)))
    data[f"{key(benchmark.id)}-rating"] = "good"
    data["save_continue"] = "y"
    soup = page(client.post(url, data=data))
    summary = soup.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "choose it from the board’s register" in summary
    # The register the message points to is unfolded.
    assert soup.select_one(f"#benchmark-{key(benchmark.id)} details[data-register]").has_attr("open")
    assert _answer(open_round.response, benchmark.id).rating is None


def test_an_item_from_another_boards_register_is_refused_and_nothing_saved(client, login, open_round, make_board):
    ours = _item(open_round.board.id, "Neglect audit")
    theirs = _item(make_board("Another board").id, "Someone else's audit")
    domain, benchmark = _first_domain()
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    data = form_values(page(client.get(url)))
    data[f"{key(benchmark.id)}-rating"] = "good"
    data[f"{key(benchmark.id)}-evidence"] = "Typed words are kept"
    data.setlist(f"{key(benchmark.id)}-cites", [str(ours.id), str(theirs.id)])
    data["save_later"] = "y"
    soup = page(client.post(url, data=data))
    assert "Select evidence from the board’s register" in soup.select_one(".govuk-error-summary").get_text()
    assert soup.select_one(f"textarea[name='{key(benchmark.id)}-evidence']").get_text() == "Typed words are kept"
    answer = _answer(open_round.response, benchmark.id)
    assert (answer.rating, answer.cited) == (None, [])

    data.setlist(f"{key(benchmark.id)}-cites", ["not-a-number"])
    soup = page(client.post(url, data=data))
    assert "Select evidence from the board’s register" in soup.select_one(".govuk-error-summary").get_text()


def test_autosave_carries_citations_and_refuses_other_boards_items(client, login, open_round, make_board):
    ours = _item(open_round.board.id, "Neglect audit")
    theirs = _item(make_board("Another board").id, "Someone else's audit")
    domain, benchmark = _first_domain()
    login(open_round.member)
    token = csrf_token(client, f"/rounds/{open_round.round.id}/respond/{domain.id}")
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}/autosave"
    answer = {"benchmark_id": benchmark.id, "rating": "good", "evidence": "", "no_evidence_yet": False}

    for bad in ([theirs.id], ["1"], [True], "all"):
        reply = client.post(url, json={**answer, "evidence_ids": bad, "version": 1}, headers={"X-CSRFToken": token})
        assert reply.status_code == 422, bad
        assert reply.json["error"] == "Select evidence from the board’s register"
    assert _answer(open_round.response, benchmark.id).rating is None

    reply = client.post(url, json={**answer, "evidence_ids": [ours.id], "version": 1}, headers={"X-CSRFToken": token})
    assert reply.status_code == 200 and reply.json["version"] == 2
    assert _cited_titles(open_round.response, benchmark.id) == ["Neglect audit"]

    # A save that does not mention citations leaves them as they are.
    reply = client.post(url, json={**answer, "evidence": "And an audit", "version": 2}, headers={"X-CSRFToken": token})
    assert reply.status_code == 200
    assert _cited_titles(open_round.response, benchmark.id) == ["Neglect audit"]

    # ... and "no evidence yet" never stands beside a cited item.
    reply = client.post(url, json={**answer, "evidence": "", "no_evidence_yet": True, "version": 3}, headers={"X-CSRFToken": token})
    assert reply.status_code == 200 and reply.json["version"] == 4
    stored = _answer(open_round.response, benchmark.id)
    assert (stored.evidence, stored.no_evidence_yet, [item.title for item in stored.cited]) == ("", False, ["Neglect audit"])

    # Sending again what is stored, from a page that missed a save, is not a
    # conflict: the reply gives the version now stored for the next save.
    reply = client.post(url, json={**answer, "evidence": "", "evidence_ids": [ours.id], "version": 1}, headers={"X-CSRFToken": token})
    assert reply.status_code == 200 and reply.json["version"] == 4
    assert "last_changed" not in reply.json  # nothing changed, so nothing to say about who changed it

    # Unticking the last one is a change like any other.
    reply = client.post(url, json={**answer, "evidence": "And an audit", "evidence_ids": [], "version": 4}, headers={"X-CSRFToken": token})
    assert reply.status_code == 200 and reply.json["version"] == 5
    assert _cited_titles(open_round.response, benchmark.id) == []


def test_two_tabs_choosing_different_items_keep_both_choices(client, login, open_round, app):
    audit = _item(open_round.board.id, "Neglect audit")
    review = _item(open_round.board.id, "Case file review")
    domain, benchmark = _first_domain()
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    tab_two = login(open_round.member, test_client=app.test_client())
    first = form_values(page(client.get(url)))
    second = form_values(page(tab_two.get(url)))

    first.setlist(f"{key(benchmark.id)}-cites", [str(audit.id)])
    first["save_later"] = "y"
    assert client.post(url, data=first).status_code == 302
    second.setlist(f"{key(benchmark.id)}-cites", [str(review.id)])
    second["save_later"] = "y"
    soup = page(tab_two.post(url, data=second))

    warning = soup.select_one(f"#benchmark-{key(benchmark.id)} .govuk-warning-text").get_text(" ", strip=True)
    assert "The saved version cites from the register: Neglect audit." in warning
    # The tablet's own choice stays ticked on the page and in the audit trail.
    assert [box["value"] for box in soup.select(f"input[name='{key(benchmark.id)}-cites'][checked]")] == [str(review.id)]
    conflict = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "answer_conflict"))
    assert conflict.detail["your_cites"] == [review.id]
    assert _cited_titles(open_round.response, benchmark.id) == ["Neglect audit"]


def test_the_same_choice_from_two_tabs_is_not_a_conflict(client, login, open_round, app):
    audit = _item(open_round.board.id, "Neglect audit")
    domain, benchmark = _first_domain()
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    tab_two = login(open_round.member, test_client=app.test_client())
    first = form_values(page(client.get(url)))
    second = form_values(page(tab_two.get(url)))
    for data in (first, second):
        data.setlist(f"{key(benchmark.id)}-cites", [str(audit.id)])
        data["save_later"] = "y"
    assert client.post(url, data=first).status_code == 302
    assert tab_two.post(url, data=second).status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "answer_conflict")) is None


def test_ticked_items_survive_a_sign_out(client, login, open_round):
    audit = _item(open_round.board.id, "Neglect audit")
    domain, benchmark = _first_domain()
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    login(open_round.member)
    soup = page(client.get(url))
    # The page's owner token, which autosave sends: only it lets text be held.
    token, owner = soup.select_one("input[name=csrf_token]")["value"], soup.select_one("input[name=typed_by]")["value"]
    with client.session_transaction() as session:
        session.clear()
    reply = client.post(
        f"{url}/autosave",
        json={"benchmark_id": benchmark.id, "rating": "good", "evidence": "", "evidence_ids": [audit.id], "version": 1, "typed_by": owner},
        headers={"X-CSRFToken": token},
    )
    assert reply.status_code == 401 and reply.json["held"] is True
    login(open_round.member)
    soup = page(client.get(url))
    assert [box["value"] for box in soup.select(f"input[name='{key(benchmark.id)}-cites'][checked]")] == [str(audit.id)]


def test_moderators_see_what_members_cite_and_it_counts_as_evidence(client, login, build_round):
    built = build_round(
        [
            Respondent("police", ratings={"outcomes.1": "good"}, name="Gareth Morgan"),
            Respondent("local_authority", ratings={"outcomes.1": "outstanding"}, evidence={"outcomes.1": ""}, name="Bethan Lloyd"),
        ]
    )
    login(built.manager)
    flags_path = f"/rounds/{built.round.id}/flags"
    counts = {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in page(client.get(flags_path)).select("#flag-counts tbody tr")}
    assert counts["Rating without evidence"] == "1"

    # Bethan's "Outstanding" cites the register instead of giving words.
    audit = _item(built.board.id, "Neglect audit")
    bethan = db.session.scalar(
        select(Answer.id).join(Response, Response.id == Answer.response_id).where(Response.agency == "local_authority", Answer.benchmark_id == "outcomes.1")
    )
    db.session.execute(insert(answer_evidence), [{"answer_id": bethan, "evidence_item_id": audit.id}])
    db.session.commit()

    counts = {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in page(client.get(flags_path)).select("#flag-counts tbody tr")}
    assert counts.get("Rating without evidence", "0") == "0"
    soup = page(client.get(f"/rounds/{built.round.id}/moderation/outcomes"))
    rows = {
        row.select("td")[1].get_text(strip=True): row.select("td")[3].get_text(" ", strip=True)
        for row in soup.select("#members-outcomes_1 tbody tr")
    }
    assert rows["Bethan Lloyd"] == "From the register: Neglect audit"
    assert rows["Gareth Morgan"] == "Audit report, March (outcomes.1, police)"


def test_carrying_answers_forward_carries_their_citations(app, open_round):
    audit = _item(open_round.board.id, "Neglect audit")
    _domain, benchmark = _first_domain()
    answer = _answer(open_round.response, benchmark.id)
    answer.rating = "good"
    db.session.execute(insert(answer_evidence), [{"answer_id": answer.id, "evidence_item_id": audit.id}])
    db.session.commit()
    framework = current_framework()
    new_round = AssessmentRound(
        board_id=open_round.board.id,
        framework_version_id=open_round.round.framework_version_id,
        title="Self-assessment 2027",
        target_level=framework.target_level,
        opened_by_id=open_round.manager.id,
    )
    db.session.add(new_round)
    db.session.flush()
    new_response = create_response(new_round, open_round.response.membership, framework)
    carry_forward_answers(open_round.round, new_round, open_round.manager)
    db.session.commit()
    assert _cited_titles(new_response, benchmark.id) == ["Neglect audit"]
    assert _answer(new_response, benchmark.id).rating == "good"
