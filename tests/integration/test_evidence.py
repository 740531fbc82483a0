"""The evidence register: adding and changing items, safe references, who may do what, citations."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from app.data.models import AgreedRating, Answer, AuditEvent, EvidenceItem, EvidenceSubject, Response, answer_evidence
from app.evidence.forms import REFERENCE_ERROR, reference_problem
from app.extensions import db
from tests.factories import page
from tests.integration.round_builder import Respondent, form_values


def _item(board_id: int, title: str = "Neglect audit", **fields) -> EvidenceItem:
    values = {"source_agency": "health_board", "evidence_date": date(2026, 3, 1), "impact": "Children were seen sooner", "reference": ""}
    values.update(fields)
    item = EvidenceItem(board_id=board_id, title=title, **values)
    db.session.add(item)
    db.session.commit()
    return item


def _new_item_form(token: str, **changes) -> dict:
    data = {
        "csrf_token": token,
        "title": "Multi-agency audit of neglect cases",
        "source_agency": "health_board",
        "evidence_date": ["12", "3", "2026"],
        "impact": "In 18 of 20 cases children were seen within timescales, up from 11 of 20.",
        "reference": "https://intranet.example.org/audits/neglect-2026.pdf",
        "subjects": ["outcomes.2", "outcomes"],
        "kind": "audit",
        "period_start": ["1", "4", "2025"],
        "period_end": ["31", "3", "2026"],
    }
    data.update(changes)
    return data


@pytest.mark.parametrize(
    ("reference", "refused"),
    [
        ("", False),
        ("https://example.org/report.pdf", False),
        ("http://example.org", False),
        ("Board minutes, 12 March 2026, item 4", False),
        ("Ref: QA/2026/4", False),
        ("javascript:alert(1)", True),
        (" JavaScript:alert(1)", True),
        ("data:text/html;base64,PHNjcmlwdD4=", True),
        ("vbscript:msgbox", True),
        ("file:///etc/passwd", True),
        ("ftp://example.org/x", True),
        ("https://", True),
        ("https://exa mple.org", True),
        ("http:\texample.org", True),
    ],
)
def test_references_are_http_or_https_addresses_or_document_references(reference, refused):
    assert (reference_problem(reference) == REFERENCE_ERROR) is refused


def test_business_manager_adds_evidence_shown_as_text_with_web_addresses_as_links(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    path = f"/boards/{built.board.id}/evidence/new"
    token = page(client.get(path)).select_one("input[name=csrf_token]")["value"]
    data = _new_item_form(token, title="Audit <img src=x onerror=alert(1)>")
    assert client.post(path, data=data).status_code == 302
    item = db.session.scalar(select(EvidenceItem))
    assert (item.title, item.evidence_date, item.board_id) == ("Audit <img src=x onerror=alert(1)>", date(2026, 3, 12), built.board.id)
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_type == "evidence_item")) == "evidence_added"
    soup = page(client.get(f"/boards/{built.board.id}/evidence"))
    card = soup.select_one(f"#evidence-{item.id}")
    assert card.select_one(".govuk-summary-card__title").get_text(strip=True) == "Audit <img src=x onerror=alert(1)>"
    assert card.select("img") == []
    rows = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in card.select(".govuk-summary-list__row")}
    assert rows["Reference"] == "https://intranet.example.org/audits/neglect-2026.pdf"
    assert rows["Date"] == "12 March 2026"
    assert rows["Used by"] == "Cited by 0 benchmarks"
    # A web address is a link (http and https only); nothing else ever is.
    [link] = card.select("a[href^='https://intranet']")
    assert link["href"] == "https://intranet.example.org/audits/neglect-2026.pdf" and card.select("a[href^='javascript']") == []
    item.reference = "Board papers, March 2026, item 4 (https is not the start)"
    db.session.commit()
    card = page(client.get(f"/boards/{built.board.id}/evidence")).select_one(f"#evidence-{item.id}")
    reference = next(row.dd for row in card.select(".govuk-summary-list__row") if row.dt.get_text(strip=True) == "Reference")
    assert reference.select("a") == [] and reference.get_text(strip=True) == "Board papers, March 2026, item 4 (https is not the start)"


def test_bad_evidence_is_refused_with_govuk_errors(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    path = f"/boards/{built.board.id}/evidence/new"
    token = page(client.get(path)).select_one("input[name=csrf_token]")["value"]
    tomorrow = date.today() + timedelta(days=1)
    data = _new_item_form(
        token, title="", impact="", reference="javascript:alert(document.cookie)", evidence_date=[str(tomorrow.day), str(tomorrow.month), str(tomorrow.year)]
    )
    soup = page(client.post(path, data=data))
    assert [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")] == [
        "Enter a title for the evidence",
        "Date of the evidence must be today or in the past",
        "Enter what the evidence shows about the difference made for children",
        REFERENCE_ERROR,
    ]
    soup = page(client.post(path, data=_new_item_form(token, evidence_date=["30", "2", "2026"])))
    assert [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")] == ["Date of the evidence must be a real date, like 12 3 2026"]
    assert db.session.scalars(select(EvidenceItem)).all() == []


def test_members_and_inspectors_read_the_register_but_cannot_change_it(app, login, build_round, make_user, add_member):
    built = build_round([Respondent("police")])
    item = _item(built.board.id)
    inspector = make_user("Huw Inspector")
    add_member(inspector, built.board, "inspector", "other")
    for person in (built.members[0], inspector):
        client = login(person, test_client=app.test_client())
        soup = page(client.get(f"/boards/{built.board.id}/evidence"))
        assert soup.select_one(f"#evidence-{item.id} .govuk-summary-card__title").get_text(strip=True) == "Neglect audit"
        assert soup.select_one("a[href$='/evidence/new']") is None
        assert client.get(f"/boards/{built.board.id}/evidence/new").status_code == 403
        assert client.get(f"/boards/{built.board.id}/evidence/{item.id}/edit").status_code == 403


def test_another_boards_evidence_is_not_found(client, login, build_round, make_board):
    built = build_round([Respondent("police")])
    theirs = _item(make_board().id)
    login(built.manager)
    assert client.get(f"/boards/{built.board.id}/evidence/{theirs.id}/edit").status_code == 404
    assert client.get(f"/boards/{theirs.board_id}/evidence").status_code == 404


def test_changing_evidence_detects_a_change_made_meanwhile(build_round, open_twice):
    built = build_round([Respondent("police")])
    item = _item(built.board.id)
    path = f"/boards/{built.board.id}/evidence/{item.id}/edit"
    editors = open_twice(built, path)
    client, other, mine, theirs = editors.mine, editors.theirs, editors.my_form, editors.their_form
    for form in (mine, theirs):  # an old untagged item saves once tagged
        form.setlist("subjects", ["outcomes.1"])
        form["kind"] = "audit"
    theirs["title"] = "Neglect audit (final)"
    assert other.post(path, data=theirs).status_code == 302
    mine["impact"] = "My better wording"
    soup = page(client.post(path, data=mine))
    assert "Neglect audit (final)" in soup.select_one("#conflict").get_text()
    assert soup.select_one("textarea[name=impact]").get_text() == "My better wording"
    db.session.expire_all()
    assert db.session.get(EvidenceItem, item.id).impact == "Children were seen sooner"
    assert client.post(path, data=form_values(soup)).status_code == 302
    db.session.expire_all()
    assert db.session.get(EvidenceItem, item.id).impact == "My better wording"


def test_cited_by_counts_distinct_benchmarks_from_agreed_ratings_and_answers(client, login, build_round):
    built = build_round([Respondent("police")])
    item = _item(built.board.id)
    for benchmark_id in ("outcomes.1", "governance.2"):
        rating = AgreedRating(round_id=built.round.id, benchmark_id=benchmark_id, rating="good", rationale="")
        rating.evidence = [item]
        db.session.add(rating)
    answers = db.session.scalars(
        select(Answer).join(Response).where(Response.round_id == built.round.id, Answer.benchmark_id.in_(["outcomes.1", "capacity.4"]))
    ).all()
    db.session.execute(insert(answer_evidence), [{"answer_id": a.id, "evidence_item_id": item.id} for a in answers])
    db.session.commit()
    login(built.manager)
    soup = page(client.get(f"/boards/{built.board.id}/evidence"))
    used = soup.select_one(f"#evidence-{item.id} [data-cited-count]").find_parent("dd")
    assert [li.get_text(strip=True) for li in used.select("li")] == [
        "1.1 Outcome measures for children",
        "3.2 The Board's own accountability",
        "4.4 Effective sub-groups",
    ]
    assert used.select_one("[data-cited-count]").get_text(strip=True) == "Cited by 3 benchmarks"


_TOMORROW = date.today() + timedelta(days=1)


def _errors(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")]


def test_new_evidence_records_its_subjects_kind_and_period(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    path = f"/boards/{built.board.id}/evidence/new"
    soup = page(client.get(path))
    groups = soup.select("#subjects-group .govuk-checkboxes")
    assert len(groups) == 5
    first = [label.get_text(strip=True) for label in groups[0].select("label")]
    assert first[0].endswith("the whole domain") and first[1].startswith("1.1 ")
    kinds = {
        radio["value"]: radio.find_parent(class_="govuk-radios__item").select_one(".govuk-hint").get_text(strip=True)
        for radio in soup.select("input[name=kind]")
    }
    assert set(kinds) == {"audit", "performance_data", "children_and_families", "practitioner_views", "inspection_or_review", "case_review_learning"}
    assert kinds["performance_data"] == "Figures over time with what they mean, not figures alone."
    token = soup.select_one("input[name=csrf_token]")["value"]
    assert client.post(path, data=_new_item_form(token)).status_code == 302
    item = db.session.scalar(select(EvidenceItem))
    assert (item.subject_ids, item.kind, item.period_start, item.period_end) == (["outcomes", "outcomes.2"], "audit", date(2025, 4, 1), date(2026, 3, 31))
    detail = db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "evidence_added"))
    assert (detail["subject_ids"], detail["kind"], detail["period_start"]) == (["outcomes", "outcomes.2"], "audit", "2025-04-01")
    # The edit form shows what was saved.
    soup = page(client.get(f"/boards/{built.board.id}/evidence/{item.id}/edit"))
    assert sorted(box["value"] for box in soup.select("input[name=subjects][checked]")) == ["outcomes", "outcomes.2"]
    assert [radio["value"] for radio in soup.select("input[name=kind][checked]")] == ["audit"]


def test_the_period_is_optional(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    path = f"/boards/{built.board.id}/evidence/new"
    token = page(client.get(path)).select_one("input[name=csrf_token]")["value"]
    assert client.post(path, data=_new_item_form(token, period_start=["", "", ""], period_end=["", "", ""])).status_code == 302
    item = db.session.scalar(select(EvidenceItem))
    assert (item.period_start, item.period_end) == (None, None)


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"subjects": []}, "Select at least one benchmark or domain the evidence is about"),
        ({"subjects": ["outcomes.99"]}, "Select benchmarks or domains from the list"),
        ({"kind": ""}, "Select the kind of evidence"),
        ({"kind": "gossip"}, "Select the kind of evidence"),
        ({"period_start": ["31", "2", "2025"]}, "Start of the period must be a real date, like 1 4 2025"),
        ({"period_start": ["", "4", "2025"]}, "Start of the period must be a real date, like 1 4 2025"),
        ({"period_end": ["x", "3", "2026"]}, "End of the period must be a real date, like 31 3 2026"),
        ({"period_start": ["1", "4", "2026"], "period_end": ["31", "3", "2026"]}, "End of the period must be the same as or after the start"),
        ({"period_end": [str(_TOMORROW.day), str(_TOMORROW.month), str(_TOMORROW.year)]}, "End of the period must be today or in the past"),
    ],
)
def test_bad_subjects_kind_or_period_are_refused_and_nothing_saved(client, login, build_round, changes, error):
    built = build_round([Respondent("police")])
    login(built.manager)
    path = f"/boards/{built.board.id}/evidence/new"
    token = page(client.get(path)).select_one("input[name=csrf_token]")["value"]
    data = _new_item_form(token, **changes)
    if not data["subjects"]:
        del data["subjects"]
    soup = page(client.post(path, data=data))
    assert _errors(soup) == [error]
    target = soup.select_one(".govuk-error-summary__list a")["href"].lstrip("#")
    assert soup.find(id=target) is not None, "the error links to the field"
    assert db.session.scalars(select(EvidenceItem)).all() == []


def test_an_old_untagged_item_opens_and_must_be_tagged_to_save(client, login, build_round):
    built = build_round([Respondent("police")])
    item = _item(built.board.id)
    login(built.manager)
    path = f"/boards/{built.board.id}/evidence/{item.id}/edit"
    soup = page(client.get(path))
    assert soup.select("input[name=subjects][checked]") == [] and soup.select("input[name=kind][checked]") == []
    data = form_values(soup)
    data["title"] = "Neglect audit (final)"
    soup = page(client.post(path, data=data))
    assert _errors(soup) == ["Select at least one benchmark or domain the evidence is about", "Select the kind of evidence"]
    db.session.expire_all()
    assert db.session.get(EvidenceItem, item.id).title == "Neglect audit"
    data = form_values(soup)
    data.setlist("subjects", ["outcomes", "governance.1"])
    data["kind"] = "inspection_or_review"
    assert client.post(path, data=data).status_code == 302
    db.session.expire_all()
    saved = db.session.get(EvidenceItem, item.id)
    assert (saved.title, saved.subject_ids, saved.kind) == ("Neglect audit (final)", ["governance.1", "outcomes"], "inspection_or_review")
    # Changing the subjects again keeps one, drops one and adds one.
    data = form_values(page(client.get(path)))
    data.setlist("subjects", ["outcomes", "outcomes.3"])
    assert client.post(path, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(EvidenceItem, item.id).subject_ids == ["outcomes", "outcomes.3"]


def test_the_form_and_its_errors_are_in_welsh(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    client.get("/language/cy")
    path = f"/boards/{built.board.id}/evidence/new"
    token = page(client.get(path)).select_one("input[name=csrf_token]")["value"]
    data = _new_item_form(token, kind="")
    del data["subjects"]
    soup = page(client.post(path, data=data))
    assert _errors(soup) == ["Dewiswch o leiaf un meincnod neu barth y mae’r dystiolaeth yn ymwneud ag ef", "Dewiswch y math o dystiolaeth"]
    assert soup.select_one("#kind").find_parent("fieldset").legend.get_text(strip=True) == "Math o dystiolaeth"


def test_the_register_shows_kind_period_and_subjects_and_not_tagged_for_old_items(client, login, build_round):
    built = build_round([Respondent("police")])
    old = _item(built.board.id, "Old audit")
    tagged = _item(built.board.id, "Survey", kind="children_and_families", period_start=date(2025, 4, 1), period_end=date(2026, 3, 31))
    tagged.subjects = [EvidenceSubject(subject_id="outcomes"), EvidenceSubject(subject_id="governance.1")]
    db.session.commit()
    login(built.manager)
    soup = page(client.get(f"/boards/{built.board.id}/evidence"))

    def rows(item):
        card = soup.select_one(f"#evidence-{item.id}")
        return card, {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in card.select(".govuk-summary-list__row")}

    _card, shown = rows(tagged)
    assert shown["Kind"] == "Feedback from children and families"
    assert shown["Period covered"] == "1 April 2025 to 31 March 2026"
    about = [li.get_text(strip=True) for li in soup.select(f"#evidence-{tagged.id} .govuk-summary-list__row")[4].select("li")]
    assert len(about) == 2
    assert about[0].startswith("3.1 ")  # governance is the third domain
    assert about[1].startswith("1. ") and about[1].endswith(": the whole domain")
    card, shown = rows(old)
    assert (shown["Kind"], shown["Period covered"]) == ("Not tagged", "Not given")
    assert shown["About"].startswith("Not tagged")
    [link] = [a for a in card.select("a") if a.get_text(strip=True).startswith("Say what it is about")]
    assert link["href"] == f"/boards/{built.board.id}/evidence/{old.id}/edit"
