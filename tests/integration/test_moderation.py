"""Moderation: what the business manager sees, agreed ratings with reasons, conflicts, marking moderated."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from app.data.framework_store import current_framework
from app.data.models import AgreedRating, AssessmentRound, AuditEvent, EvidenceItem
from app.demo.moderation import EVIDENCE as DEMO_EVIDENCE
from app.extensions import db
from tests.factories import _password_hash, page
from tests.integration.round_builder import Respondent, agree_all, counted_queries, form_values

RATIONALE_ERROR = "Enter the reason the agreed rating for ‘Outcome measures for children’ differs from members’ median"


def _disagreeing_round(build_round):
    return build_round(
        [
            Respondent("police", ratings={"outcomes.1": "inadequate"}, name="Gareth Morgan"),
            Respondent(
                "health_board",
                ratings={"outcomes.1": "good"},
                evidence={"outcomes.1": "<script>alert('x')</script> Audit of 20 cases & a <b>bold</b> claim"},
                name="Eleri Hughes",
            ),
            Respondent("local_authority", ratings={"outcomes.1": "outstanding"}, evidence={"outcomes.1": ""}, name="Bethan Lloyd"),
        ]
    )


def _section(soup, benchmark_id: str):
    return soup.select_one(f"#benchmark-{benchmark_id.replace('.', '_')}")


def _cells(table) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in table.select("tbody tr")]


def test_members_and_inspectors_cannot_moderate(app, login, build_round, make_user, add_member):
    built = _disagreeing_round(build_round)
    inspector = make_user("Huw Inspector")
    add_member(inspector, built.board, "inspector", "other")
    round_id = built.round.id
    for person in (built.members[0], inspector):
        client = login(person, test_client=app.test_client())
        for path in (f"/rounds/{round_id}/moderation", f"/rounds/{round_id}/moderation/outcomes"):
            response = client.get(path)
            assert response.status_code == 403
            assert page(response).h1.get_text(strip=True) == "You do not have permission to see this page"
        assert client.post(f"/rounds/{round_id}/moderation/complete").status_code in (400, 403)


def test_a_manager_of_another_board_cannot_see_the_round(client, login, build_round, make_user, make_board, add_member):
    built = _disagreeing_round(build_round)
    other = make_user("Other Manager")
    add_member(other, make_board(), "business_manager", "local_authority")
    login(other)
    assert client.get(f"/rounds/{built.round.id}/moderation/outcomes").status_code == 404
    assert client.get(f"/rounds/{built.round.id}/flags").status_code == 404


def test_domain_page_shows_members_ratings_by_agency_with_escaped_evidence(client, login, build_round):
    built = _disagreeing_round(build_round)
    login(built.manager)
    response = client.get(f"/rounds/{built.round.id}/moderation/outcomes")
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "Improving safeguarding outcomes for children"
    section = _section(soup, "outcomes.1")
    assert section.h2.get_text(strip=True) == "1. Outcome measures for children"
    assert _cells(section.select_one("#members-outcomes_1")) == [
        ["Local authority children's services", "Bethan Lloyd", "Outstanding", "None given"],
        ["Local health board", "Eleri Hughes", "Good", "<script>alert('x')</script> Audit of 20 cases & a <b>bold</b> claim"],
        ["Police", "Gareth Morgan", "Inadequate", "Audit report, March (outcomes.1, police)"],
    ]
    # The evidence is shown as text: no element was made from it.
    assert "<script>alert" not in response.get_data(as_text=True)
    assert section.select("script, b") == []
    figures = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in section.select(".govuk-summary-list__row")}
    assert figures == {
        "Members’ median": "Good",
        "Spread": "3 levels",
        "Agreement": "Members disagree",
        "Statutory partners who did not answer": "NHS trust, Probation, Youth offending team",
    }
    assert _cells(section.select_one("#distribution-outcomes_1")) == [
        ["Outstanding", "1"], ["Good", "1"], ["Requires improvement", "0"], ["Inadequate", "1"], ["Not known", "0"], ["Not applicable", "0"],
    ]
    flags = [li.get_text(" ", strip=True) for li in section.select("#flags-outcomes_1 li")]
    assert flags == [
        "Rating without evidence 1 member rated it Good or above without evidence",
        "Members disagree Members’ ratings are 3 levels apart, from Inadequate to Outstanding",
    ]
    warning = soup.select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert "No submitted response from these statutory partners: NHS trust, Probation, Youth offending team." in warning


def test_agreed_rating_at_the_median_needs_no_reason_and_is_audited(client, login, build_round):
    built = _disagreeing_round(build_round)
    login(built.manager)
    path = f"/rounds/{built.round.id}/moderation/outcomes"
    data = form_values(page(client.get(path)))
    data["outcomes_1-rating"] = "good"
    response = client.post(path, data=data)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/rounds/{built.round.id}/moderation/strategy")
    saved = db.session.scalar(select(AgreedRating).where(AgreedRating.round_id == built.round.id))
    assert (saved.benchmark_id, saved.rating, saved.rationale, saved.version) == ("outcomes.1", "good", "", 1)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "agreed_rating_saved"))
    assert event.detail["benchmark"] == "outcomes.1" and event.user_id == built.manager.id
    overview = page(client.get(f"/rounds/{built.round.id}/moderation"))
    first_row = overview.select_one("#moderation-domains tbody tr")
    of_all = f"1 of {len(built.framework.domain('outcomes').benchmarks)}"
    assert [c.get_text(" ", strip=True) for c in first_row.select("th, td")][:2] == ["Improving safeguarding outcomes for children", of_all]


def test_a_reason_is_required_when_the_agreed_rating_differs_from_the_median(client, login, build_round):
    built = _disagreeing_round(build_round)
    login(built.manager)
    path = f"/rounds/{built.round.id}/moderation/outcomes"
    data = form_values(page(client.get(path)))
    data["outcomes_1-rating"] = "outstanding"
    data["outcomes_2-rationale"] = "We think it is good"
    response = client.post(path, data=data)
    soup = page(response)
    assert soup.title.get_text().startswith("Error: ")
    summary = [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")]
    assert summary == [RATIONALE_ERROR, "Select the agreed rating for ‘Performance information with analysis’"]
    assert soup.select_one(".govuk-error-summary__list a")["href"] == "#outcomes_1-rationale"
    assert _section(soup, "outcomes.1").select_one(".govuk-error-message").get_text(" ", strip=True) == f"Error: {RATIONALE_ERROR}"
    # What was typed stays, and nothing was saved.
    assert _section(soup, "outcomes.2").select_one("textarea").get_text() == "We think it is good"
    assert db.session.scalars(select(AgreedRating)).all() == []

    data["outcomes_1-rationale"] = "Health's audit shows children seen within timescales in 18 of 20 cases."
    data.pop("outcomes_2-rationale")
    assert client.post(path, data=data).status_code == 302
    assert db.session.scalar(select(AgreedRating.rationale)).startswith("Health's audit")


def test_not_known_and_a_median_between_levels_both_need_a_reason(client, login, build_round):
    built = build_round([Respondent("police", default="good"), Respondent("health_board", default="requires_improvement")])
    login(built.manager)
    path = f"/rounds/{built.round.id}/moderation/strategy"
    data = form_values(page(client.get(path)))
    data["strategy_1-rating"] = "good"
    data["strategy_2-rating"] = "not_known"
    soup = page(client.post(path, data=data))
    errors = [a["href"] for a in soup.select(".govuk-error-summary__list a")]
    assert errors == ["#strategy_1-rationale", "#strategy_2-rationale"]


def test_agreed_rating_cites_evidence_from_the_boards_register_only(client, login, build_round, make_board):
    built = _disagreeing_round(build_round)
    ours = EvidenceItem(
        board_id=built.board.id, title="Neglect audit", source_agency="health_board", evidence_date=date(2026, 3, 1), impact="Children seen sooner"
    )
    theirs = EvidenceItem(board_id=make_board().id, title="Another board's audit", source_agency="police", evidence_date=date(2026, 3, 1), impact="Not ours")
    db.session.add_all([ours, theirs])
    db.session.commit()
    login(built.manager)
    path = f"/rounds/{built.round.id}/moderation/outcomes"
    soup = page(client.get(path))
    labels = [label.get_text(strip=True) for label in _section(soup, "outcomes.1").select(".govuk-checkboxes__label")]
    assert labels == ["Neglect audit (1 March 2026)"]
    data = form_values(soup)
    data["outcomes_1-rating"] = "good"
    data.add("outcomes_1-evidence", str(theirs.id))
    soup = page(client.post(path, data=data))
    assert soup.select_one(".govuk-error-summary") is not None
    data.setlist("outcomes_1-evidence", [str(ours.id)])
    assert client.post(path, data=data).status_code == 302
    saved = db.session.scalar(select(AgreedRating))
    assert [item.title for item in saved.evidence] == ["Neglect audit"]
    soup = page(client.get(f"/boards/{built.board.id}/evidence"))
    assert soup.select_one(f"#evidence-{ours.id} [data-cited-count]").get_text(strip=True) == "Cited by 1 benchmark"


def test_two_moderators_agreeing_the_same_thing_at_once_is_not_a_conflict(build_round, open_twice):
    built = _disagreeing_round(build_round)
    path = f"/rounds/{built.round.id}/moderation/outcomes"
    editors = open_twice(built, path)
    for form in (editors.their_form, editors.my_form):
        form["outcomes_1-rating"] = "good"
        form["outcomes_1-rationale"] = "As agreed at the board meeting."
    assert editors.theirs.post(path, data=editors.their_form).status_code == 302
    # Mine started from the old version, but says exactly what is now stored.
    assert editors.mine.post(path, data=editors.my_form).status_code == 302
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "agreed_rating_conflict")) is None
    assert db.session.scalar(select(AgreedRating.version).where(AgreedRating.benchmark_id == "outcomes.1")) == 1


def test_two_moderators_at_once_keep_both_versions(build_round, open_twice):
    built = _disagreeing_round(build_round)
    path = f"/rounds/{built.round.id}/moderation/outcomes"
    editors = open_twice(built, path)
    client, second, mine, theirs = editors.mine, editors.theirs, editors.my_form, editors.their_form

    theirs["outcomes_1-rating"] = "requires_improvement"
    theirs["outcomes_1-rationale"] = "Chair: the police audit shows gaps."
    assert second.post(path, data=theirs).status_code == 302

    mine["outcomes_1-rating"] = "outstanding"
    mine["outcomes_1-rationale"] = "Manager: the health audit is strong."
    mine["outcomes_3-rating"] = "good"
    mine["outcomes_3-rationale"] = "Agreed"
    response = client.post(path, data=mine)
    assert response.status_code == 200
    soup = page(response)
    assert soup.select_one("#conflicts h2").get_text(strip=True) == "Some agreed ratings were changed by someone else at the same time"
    warning = _section(soup, "outcomes.1").select_one(".govuk-warning-text").get_text(" ", strip=True)
    assert "Saved meanwhile by Chair Person" in warning and "Requires improvement" in warning and "Chair: the police audit shows gaps." in warning
    # My version is still in the form; theirs is what is stored; my other benchmark was saved.
    assert _section(soup, "outcomes.1").select_one("input[value=outstanding]").has_attr("checked")
    assert _section(soup, "outcomes.1").select_one("textarea").get_text() == "Manager: the health audit is strong."
    stored = {row.benchmark_id: row.rating for row in db.session.scalars(select(AgreedRating))}
    assert stored == {"outcomes.1": "requires_improvement", "outcomes.3": "good"}
    conflict = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "agreed_rating_conflict"))
    assert conflict.detail["rationale"] == "Manager: the health audit is strong."

    # Saving again, having seen theirs, goes through.
    assert client.post(path, data=form_values(soup)).status_code == 302
    assert db.session.scalar(select(AgreedRating.rating).where(AgreedRating.benchmark_id == "outcomes.1")) == "outstanding"


def test_marking_moderated_needs_every_benchmark_agreed_and_closes_an_open_round(client, login, build_round):
    built = _disagreeing_round(build_round)
    agree_all(built, except_ids=("outputs.7",))
    login(built.manager)
    overview = f"/rounds/{built.round.id}/moderation"
    soup = page(client.get(overview))
    assert f"1 of {len(built.framework.benchmarks)} benchmarks still need an agreed rating" in soup.get_text(" ", strip=True)
    assert soup.select_one("form[action$='/moderation/complete']") is None
    token = soup.select_one("input[name=csrf_token]")["value"]
    soup = page(client.post(f"{overview}/complete", data={"csrf_token": token}, follow_redirects=True))
    assert "1 benchmark still needs an agreed rating" in soup.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert db.session.get(AssessmentRound, built.round.id).status == "open"

    db.session.add(AgreedRating(round_id=built.round.id, benchmark_id="outputs.7", rating="good", rationale="Agreed"))
    db.session.commit()
    soup = page(client.get(overview))
    assert "also closes it" in soup.select_one(".govuk-warning-text:-soup-contains('closes')").get_text()
    soup = page(client.post(f"{overview}/complete", data={"csrf_token": token}, follow_redirects=True))
    banner = soup.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    assert "The round is marked as moderated. It was also closed" in banner
    db.session.expire_all()
    moderated = db.session.get(AssessmentRound, built.round.id)
    assert moderated.status == "moderated" and moderated.closed_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "round_moderated"))
    assert event.detail == {"closed_as_part": True}

    # Now read-only: the page says so and a post changes nothing.
    domain_path = f"{overview}/outcomes"
    soup = page(client.get(domain_path))
    assert "can no longer be changed" in soup.select_one(".govuk-inset-text").get_text()
    assert soup.select_one("button[name=save]") is None
    client.post(domain_path, data={"csrf_token": token, "outcomes_1-rating": "inadequate", "outcomes_1-rationale": "late change", "outcomes_1-version": "1"})
    assert db.session.scalar(select(AgreedRating.rating).where(AgreedRating.benchmark_id == "outcomes.1")) == "good"


def test_flags_page_lists_round_and_benchmark_flags(app, client, login, build_round, make_user, add_member):
    built = _disagreeing_round(build_round)
    inspector = make_user("Huw Inspector")
    add_member(inspector, built.board, "inspector", "other")
    login(inspector)
    soup = page(client.get(f"/rounds/{built.round.id}/flags"))
    assert soup.h1.get_text(strip=True) == "Rigour flags"
    # Open flags by kind (none answered yet).
    counts = {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in soup.select("#flag-counts tbody tr")}
    assert counts["Statutory partner missing"] == "3"
    assert counts["Members disagree"] == "1"
    assert counts["Rating without evidence"] == "1"
    entries = soup.select("#open-flags li[data-flag]")
    assert [li.select_one("[data-message]").get_text(strip=True) for li in entries if li["data-flag"] == "statutory_missing"] == [
        "No submitted response from NHS trust",
        "No submitted response from Probation",
        "No submitted response from Youth offending team",
    ]
    benchmark = soup.select_one("#open-flags li[data-subject='outcomes.1']")
    assert benchmark.h3.get_text(" ", strip=True).endswith("Outcome measures for children")
    client = login(built.members[0], test_client=app.test_client())
    assert client.get(f"/rounds/{built.round.id}/flags").status_code == 403


def test_agreed_rating_well_above_the_median_is_flagged(client, login, build_round):
    built = build_round([Respondent("police", default="requires_improvement"), Respondent("health_board", default="requires_improvement")])
    agree_all(built, "outstanding")
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/moderation/governance"))
    flags = [li.get_text(" ", strip=True) for li in _section(soup, "governance.2").select("li[data-flag]")]
    assert "Agreed rating above members The agreed rating of Outstanding is 2 levels above the members’ median (Requires improvement)" in flags
    assert "Agreed rating without evidence The agreed rating of Outstanding cites no evidence from the register" in flags


def test_domain_page_runs_the_same_number_of_queries_for_more_respondents(app, login, build_round):
    few = build_round([Respondent("police")])
    many = build_round([Respondent(agency) for agency in ("police", "health_board", "nhs_trust", "education")] * 4)
    for built in (few, many):
        agree_all(built)
    counts = []
    for built in (few, many):
        client = login(built.manager, test_client=app.test_client())
        path = f"/rounds/{built.round.id}/moderation/governance"
        client.get(path)
        with counted_queries() as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_demo_has_a_moderated_round_moderation_under_way_and_a_plan(app, login):
    from app.data.models import Action, Membership, User
    from app.demo import load_demo

    board = load_demo()  # includes app.demo.moderation.extend_demo
    current = db.session.scalar(select(AssessmentRound).where(AssessmentRound.board_id == board.id, AssessmentRound.status == "open"))
    rounds = {r.status: r for r in db.session.scalars(select(AssessmentRound).where(AssessmentRound.board_id == board.id))}
    assert set(rounds) == {"open", "moderated"}
    manager = db.session.scalar(
        select(User).join(Membership, Membership.user_id == User.id).where(Membership.board_id == board.id, Membership.role == "business_manager")
    )
    manager.password_hash = _password_hash()  # the tests' password, not the demo's
    db.session.commit()
    client = login(manager, test_client=app.test_client())

    soup = page(client.get(f"/rounds/{rounds['moderated'].id}/results"))
    assert soup.select_one("#results-source").get_text(" ", strip=True).startswith("From the board’s agreed ratings.")

    soup = page(client.get(f"/rounds/{current.id}/flags"))
    counts = {row.th.get_text(strip=True): int(row.td.get_text(strip=True)) for row in soup.select("#flag-counts tbody tr")}
    assert counts["Statutory partner missing"] >= 1 and counts["Members disagree"] >= 1 and counts["Rating without evidence"] >= 1
    assert counts["Agreed rating above members"] == 1
    assert "No submitted response from Probation" in soup.select_one("#open-flags, #answered-flags").get_text()

    soup = page(client.get(f"/rounds/{current.id}/moderation"))
    agreed = [row.select("td")[0].get_text(" ", strip=True) for row in soup.select("#moderation-domains tbody tr")]
    assert agreed[-1] == f"0 of {len(current_framework().domain('outputs').benchmarks)}" and all("Complete" in cell for cell in agreed[:-1])

    soup = page(client.get(f"/rounds/{current.id}/actions"))
    assert any(card["data-overdue"] == "true" for card in soup.select(".govuk-summary-card"))
    assert soup.select("#uncovered-gaps li")
    assert db.session.scalar(select(Action).where(Action.round_id == current.id, Action.carried_from_id.is_not(None))) is not None

    soup = page(client.get(f"/boards/{board.id}/evidence"))
    assert len(soup.select(".govuk-summary-card")) == len(DEMO_EVIDENCE)


def test_not_applicable_on_the_moderation_page_asks_for_the_reason_not_an_evidence_box(client, login, build_round):
    built = _disagreeing_round(build_round)
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/moderation/outcomes"))
    radio = _section(soup, "outcomes.1").select_one("input[type=radio][value=not_applicable]")
    hint = soup.select_one(f"#{radio['aria-describedby'].split()[0]}") if radio.has_attr("aria-describedby") else radio.find_next(class_="govuk-radios__hint")
    text = hint.get_text(" ", strip=True)
    assert "say why in the reason for the agreed rating" in text and "evidence box" not in text
