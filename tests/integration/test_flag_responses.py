"""The flags page: every rigour flag gets a response from the business manager, open and answered shown apart."""

from __future__ import annotations

from sqlalchemy import select

from app.data.models import AuditEvent, FlagResponse
from app.extensions import db
from tests.factories import page
from tests.integration.round_builder import Respondent, counted_queries, form_values


def _round(build_round):
    return build_round(
        [
            Respondent("police", ratings={"outcomes.1": "inadequate"}),
            Respondent("health_board", ratings={"outcomes.1": "good"}, evidence={"outcomes.1": "Audit of 20 cases"}),
            Respondent("local_authority", ratings={"outcomes.1": "outstanding"}, evidence={"outcomes.1": ""}),
        ]
    )


def _counts(soup) -> dict[str, tuple[str, str]]:
    return {row.th.get_text(strip=True): tuple(td.get_text(strip=True) for td in row.select("td")) for row in soup.select("#flag-counts tbody tr")}


def _entry(soup, key: str):
    return soup.select_one(f"li#{key}")


def _token(client) -> str:
    """A CSRF token for the client's session, from the sign-out form every page has."""
    return page(client.get("/")).select_one("input[name=csrf_token]")["value"]


PROBATION = "flag-statutory_missing-probation"
UNEVIDENCED = "flag-unevidenced-outcomes_1"


def test_open_flags_are_listed_with_a_response_for_each(client, login, build_round):
    built = _round(build_round)
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/flags"))
    assert _counts(soup)["Statutory partner missing"] == ("3", "0")
    assert _counts(soup)["Members disagree"] == ("1", "0")
    assert soup.select_one("#open-heading").get_text(strip=True) == "5 open flags"
    assert soup.select_one("#answered-heading").get_text(strip=True) == "0 answered flags"
    entry = _entry(soup.select_one("#open-flags"), PROBATION)
    assert entry.h3.get_text(" ", strip=True) == "Statutory partner missing Probation"
    assert entry.select_one("[data-message]").get_text(strip=True) == "No submitted response from Probation"
    legend = entry.select_one("legend").get_text(strip=True)
    assert legend == "Response to ‘Statutory partner missing: Probation’"
    assert [label.get_text(strip=True) for label in entry.select(".govuk-radios__label")] == ["Accepted: rating lowered", "Explained", "Evidence added"]


def test_a_response_moves_the_flag_to_answered_and_is_audited(client, login, build_round):
    built = _round(build_round)
    login(built.manager)
    path = f"/rounds/{built.round.id}/flags"
    values = form_values(page(client.get(path)))
    values[f"{PROBATION}-response"] = "explained"
    values[f"{PROBATION}-reason"] = "Probation joined the board in May; it answers next round."
    values[f"{UNEVIDENCED}-response"] = "evidence_added"
    soup = page(client.post(path, data=values, follow_redirects=True))
    assert "2 responses were saved." in soup.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert soup.select_one("#open-heading").get_text(strip=True) == "3 open flags"
    assert soup.select_one("#answered-heading").get_text(strip=True) == "2 answered flags"
    assert _entry(soup.select_one("#open-flags"), PROBATION) is None
    answered = _entry(soup.select_one("#answered-flags"), PROBATION)
    assert answered.select_one("[data-response]").get_text(" ", strip=True).startswith(
        "Explained : Probation joined the board in May; it answers next round."
    )
    assert _counts(soup)["Statutory partner missing"] == ("2", "1")
    assert _counts(soup)["Rating without evidence"] == ("0", "1")
    stored = {(row.flag_kind, row.subject): (row.response, row.reason) for row in db.session.scalars(select(FlagResponse))}
    assert stored == {
        ("statutory_missing", "probation"): ("explained", "Probation joined the board in May; it answers next round."),
        ("unevidenced", "outcomes.1"): ("evidence_added", ""),
    }
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "flag_response_saved")).all()
    assert sorted(event.detail["subject"] for event in events) == ["outcomes.1", "probation"]
    assert all(event.board_id == built.board.id for event in events)


def test_explained_needs_a_reason_and_nothing_is_saved(client, login, build_round):
    built = _round(build_round)
    login(built.manager)
    path = f"/rounds/{built.round.id}/flags"
    values = form_values(page(client.get(path)))
    values[f"{PROBATION}-response"] = "explained"
    values[f"{UNEVIDENCED}-response"] = "accepted_lowered"
    values["flag-statutory_missing-nhs_trust-reason"] = "A reason but no response"
    response = client.post(path, data=values)
    assert response.status_code == 200
    soup = page(response)
    summary = [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")]
    assert "Enter why the rating stands despite ‘Statutory partner missing: Probation’" in summary
    assert "Select a response to ‘Statutory partner missing: NHS trust’" in summary
    assert soup.title.get_text().startswith("Error:")
    # What was typed is still there.
    assert _entry(soup, PROBATION).select_one("input[value=explained]").has_attr("checked")
    assert db.session.scalar(select(FlagResponse)) is None


def test_a_reason_longer_than_the_limit_is_refused(app, client, login, build_round):
    built = _round(build_round)
    login(built.manager)
    path = f"/rounds/{built.round.id}/flags"
    values = form_values(page(client.get(path)))
    values[f"{PROBATION}-response"] = "explained"
    values[f"{PROBATION}-reason"] = "x" * (app.config["SAIT_EVIDENCE_MAX_CHARS"] + 1)
    soup = page(client.post(path, data=values))
    assert any("characters or fewer" in a.get_text() for a in soup.select(".govuk-error-summary__list a"))
    assert db.session.scalar(select(FlagResponse)) is None


def test_members_and_inspectors_cannot_respond_and_other_boards_cannot_see(app, login, build_round, make_user, add_member, make_board):
    built = _round(build_round)
    path = f"/rounds/{built.round.id}/flags"
    inspector = make_user("Huw Inspector")
    add_member(inspector, built.board, "inspector", "other")
    client = login(inspector, test_client=app.test_client())
    soup = page(client.get(path))
    assert soup.select_one("#open-heading").get_text(strip=True) == "5 open flags"
    assert soup.select_one("main input[type=radio]") is None and soup.select_one("main button[name=save]") is None
    token = soup.select_one("input[name=csrf_token]")["value"]
    assert client.post(path, data={"csrf_token": token, f"{PROBATION}-response": "accepted_lowered"}).status_code == 403
    member = login(built.members[0], test_client=app.test_client())
    assert member.get(path).status_code == 403
    assert member.post(path, data={"csrf_token": _token(member), f"{PROBATION}-response": "accepted_lowered"}).status_code == 403
    other = make_user("Other Manager")
    add_member(other, make_board(), "business_manager", "local_authority")
    stranger = login(other, test_client=app.test_client())
    assert stranger.get(path).status_code == 404
    assert stranger.post(path, data={"csrf_token": _token(stranger), f"{PROBATION}-response": "accepted_lowered"}).status_code == 404
    assert db.session.scalar(select(FlagResponse)) is None


def test_a_response_to_a_flag_that_no_longer_arises_is_kept_but_not_shown(client, login, build_round):
    built = _round(build_round)
    db.session.add(FlagResponse(round_id=built.round.id, flag_kind="statutory_missing", subject="police", response="explained", reason="old"))
    db.session.commit()
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/flags"))
    # The police answered, so that flag is gone: its response is neither open nor answered.
    assert soup.select_one("#flag-statutory_missing-police") is None
    assert _counts(soup)["Statutory partner missing"] == ("3", "0")
    assert db.session.scalar(select(FlagResponse.reason)) == "old"


def test_two_managers_answering_at_once_keep_both_versions(build_round, open_twice):
    built = _round(build_round)
    path = f"/rounds/{built.round.id}/flags"
    editors = open_twice(built, path)
    theirs, mine = editors.their_form, editors.my_form
    theirs[f"{PROBATION}-response"] = "accepted_lowered"
    assert editors.theirs.post(path, data=theirs).status_code == 302

    mine[f"{PROBATION}-response"] = "explained"
    mine[f"{PROBATION}-reason"] = "Mine: Probation sends figures quarterly."
    mine[f"{UNEVIDENCED}-response"] = "evidence_added"
    response = editors.mine.post(path, data=mine)
    assert response.status_code == 200
    soup = page(response)
    assert soup.select_one("#conflicts h2").get_text(strip=True) == "Some responses were changed by someone else at the same time"
    entry = _entry(soup, PROBATION)
    warning = entry.select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert "Saved meanwhile by Chair Person" in warning and "Accepted: rating lowered" in warning
    assert entry.select_one("input[value=explained]").has_attr("checked")
    assert entry.select_one("textarea").get_text() == "Mine: Probation sends figures quarterly."
    stored = {row.subject: row.response for row in db.session.scalars(select(FlagResponse))}
    assert stored == {"probation": "accepted_lowered", "outcomes.1": "evidence_added"}
    conflict = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "flag_response_conflict"))
    assert conflict.detail["reason"] == "Mine: Probation sends figures quarterly."

    assert editors.mine.post(path, data=form_values(soup)).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(FlagResponse.response).where(FlagResponse.subject == "probation")) == "explained"


def test_the_flags_page_runs_the_same_number_of_queries_for_more_respondents_and_responses(app, login, build_round):
    few = build_round([Respondent("police")])
    many = build_round([Respondent(agency, default="good", evidence={}) for agency in ("police", "health_board", "nhs_trust", "education")] * 3)
    for agency in ("probation", "youth_offending", "nhs_trust"):
        db.session.add(FlagResponse(round_id=many.round.id, flag_kind="statutory_missing", subject=agency, response="explained", reason="Later"))
    db.session.commit()
    counts = []
    for built in (few, many):
        client = login(built.manager, test_client=app.test_client())
        path = f"/rounds/{built.round.id}/flags"
        client.get(path)
        with counted_queries() as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_each_flag_shows_what_its_kind_means_in_the_pages_language(client, login, build_round, monkeypatch):
    from app.core import rigour

    asked = []

    def explanations(lang: str) -> dict[str, str]:
        asked.append(lang)
        return {"statutory_missing": "A partner that did not answer leaves its view out of every judgement."}

    monkeypatch.setattr(rigour, "flag_explanations", explanations, raising=False)
    built = _round(build_round)
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/flags"))
    assert _entry(soup, PROBATION).select_one("[data-explanation]").get_text(strip=True) == (
        "A partner that did not answer leaves its view out of every judgement."
    )
    assert _entry(soup, UNEVIDENCED).select_one("[data-explanation]") is None
    assert asked == ["en"]


def test_once_moderated_a_flag_can_no_longer_be_answered_rating_lowered(client, login, build_round):
    built = _round(build_round)
    login(built.manager)
    path = f"/rounds/{built.round.id}/flags"
    values = form_values(page(client.get(path)))
    values[f"{UNEVIDENCED}-response"] = "accepted_lowered"
    client.post(path, data=values)
    built.round.status = "moderated"
    db.session.commit()

    values = form_values(page(client.get(path)))
    assert values[f"{UNEVIDENCED}-response"] == "accepted_lowered"
    values[f"{PROBATION}-response"] = "accepted_lowered"
    response = client.post(path, data=values)
    assert response.status_code == 200
    summary = [a.get_text(strip=True) for a in page(response).select(".govuk-error-summary__list a")]
    assert summary == [
        "The round is moderated, so the rating behind ‘Statutory partner missing: Probation’ can no longer be lowered: "
        "choose Explained or Evidence added"
    ]
    assert db.session.scalar(select(FlagResponse).where(FlagResponse.subject == "probation")) is None

    # The answer given before moderation stands, and the others can still be given.
    values[f"{PROBATION}-response"] = "explained"
    values[f"{PROBATION}-reason"] = "Probation joined the board in May."
    soup = page(client.post(path, data=values, follow_redirects=True))
    assert "1 response was saved." in soup.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    stored = {row.subject: row.response for row in db.session.scalars(select(FlagResponse))}
    assert stored == {"outcomes.1": "accepted_lowered", "probation": "explained"}
