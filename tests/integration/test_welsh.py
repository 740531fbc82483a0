"""The service in Welsh: the main pages, the framework's own Welsh, dates, emails, and the remembered choice.

English is the default and is covered by every other test; here each test
switches to Welsh with the header link (/language/cy) and reads what a
Welsh-speaking board member, business manager or administrator would see.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from flask_babel import force_locale

from app.core.rigour import DISAGREEMENT, flag_names, round_flags
from app.data.framework_store import current_framework
from app.data.models import User
from app.extensions import db
from app.web.i18n import local_time, long_date
from tests.factories import PASSWORD, csrf_token, page
from tests.integration.govuk import errors
from tests.integration.questionnaire_helpers import domain_form_data, key
from tests.integration.round_builder import Respondent, agree_all


def welsh(client):
    """Choose Cymraeg with the header's language link, as a person would."""
    response = client.get("/language/cy")
    assert response.status_code == 302
    return client


def heading(soup) -> str:
    return soup.h1.get_text(" ", strip=True)


def visible_text(soup) -> str:
    return soup.select_one("main").get_text(" ", strip=True)


def assert_welsh_page(soup) -> None:
    """The page says it is in Welsh, and the shared parts of every page are Welsh."""
    assert soup.html["lang"] == "cy"
    assert soup.select_one("a.govuk-skip-link").get_text(strip=True) == "Neidio i’r prif gynnwys"
    assert soup.select_one(".app-language-select [aria-current]").get_text(strip=True) == "Cymraeg"
    english = soup.select_one(".app-language-select a[hreflang=en]")
    assert english.get_text(strip=True) == "English" and english["lang"] == "en"
    assert "Hunanasesu byrddau diogelu" in soup.title.get_text()
    assert "Datganiad hygyrchedd" in soup.select_one("footer").get_text()


@pytest.fixture
def framework(app):
    return current_framework()


def _disagreeing_round(build_round):
    return build_round(
        [
            Respondent("police", ratings={"outcomes.1": "inadequate"}, name="Gareth Morgan"),
            Respondent("health_board", ratings={"outcomes.1": "good"}, name="Eleri Hughes"),
            Respondent("local_authority", ratings={"outcomes.1": "outstanding"}, evidence={"outcomes.1": ""}, name="Bethan Lloyd"),
        ]
    )


def test_the_framework_file_has_the_welsh_these_tests_read(framework):
    scale = framework.scale
    assert all(level.label.cy for level in scale.levels)
    assert scale.not_known.label.cy and scale.not_applicable.label.cy
    assert all(domain.title.cy and domain.summary.cy for domain in framework.domains)
    assert all(benchmark.title.cy for benchmark in framework.benchmarks)


def test_start_page_and_sign_in_in_welsh(client, framework):
    soup = page(welsh(client).get("/"))
    assert_welsh_page(soup)
    assert heading(soup) == "Hunanasesu byrddau diogelu"
    domains = [li.get_text(strip=True) for li in soup.select("main ul.govuk-list--bullet li")]
    assert domains == [domain.title.cy for domain in framework.domains]
    assert "nid meincnodau cenedlaethol 2008 ydynt" in soup.main.get_text()
    assert soup.select_one("main a.govuk-button--start").get_text(strip=True) == "Mewngofnodi"

    soup = page(client.get("/sign-in"))
    assert_welsh_page(soup)
    assert heading(soup) == "Mewngofnodi"
    assert [label.get_text(strip=True) for label in soup.select("main label")] == ["Cyfeiriad e-bost", "Cyfrinair"]
    assert [button.get_text(strip=True) for button in soup.select("main form button")] == ["Dangos", "Mewngofnodi"]

    refused = page(client.post("/sign-in", data={"csrf_token": csrf_token(client, "/sign-in"), "email": "", "password": ""}))
    assert refused.title.get_text().startswith("Gwall: ")
    assert refused.select_one(".govuk-error-summary__title").get_text(strip=True) == "Mae problem"
    assert errors(refused) == ["Rhowch eich cyfeiriad e-bost", "Rhowch eich cyfrinair"]
    assert refused.select_one(".govuk-error-message .govuk-visually-hidden").get_text(strip=True) == "Gwall:"


def test_the_language_link_returns_to_the_same_page_and_ignores_unknown_languages(client):
    response = client.get("/language/cy?next=/accessibility")
    assert response.headers["Location"].endswith("/accessibility")
    soup = page(client.get("/accessibility"))
    assert heading(soup) == "Datganiad hygyrchedd"
    # Only local paths are followed, and an unknown code changes nothing.
    assert client.get("/language/cy?next=https://example.org/").headers["Location"] == "/"
    client.get("/language/fr")
    assert page(client.get("/")).html["lang"] == "cy"
    assert page(client.get("/language/en", follow_redirects=True)).html["lang"] == "en"


def test_error_pages_and_the_sign_in_prompt_in_welsh(client):
    soup = page(welsh(client).get("/no-such-page"))
    assert soup.html["lang"] == "cy"
    assert heading(soup) == "Heb ddod o hyd i’r dudalen"
    soup = page(client.get("/account", follow_redirects=True))
    assert heading(soup) == "Mewngofnodi"
    assert "Mewngofnodwch i barhau." in soup.select_one(".govuk-notification-banner").get_text()


def test_task_list_domain_page_and_check_answers_in_welsh(client, login, open_round, framework):
    login(open_round.member)
    welsh(client)
    round_id = open_round.round.id

    soup = page(client.get(f"/rounds/{round_id}/respond"))
    assert_welsh_page(soup)
    assert heading(soup) == "Self-assessment 2026"  # the board's own title is not translated
    assert [a.get_text(strip=True) for a in soup.select(".govuk-task-list__link")] == [d.title.cy for d in framework.domains]
    assert {s.get_text(strip=True) for s in soup.select(".govuk-task-list__status")} == {"Heb ddechrau"}
    assert "Rydych wedi cwblhau 0 o 5 parth." in visible_text(soup)

    domain = framework.domains[0]
    benchmark = domain.benchmarks[0]
    url = f"/rounds/{round_id}/respond/{domain.id}"
    soup = page(client.get(url))
    assert_welsh_page(soup)
    assert heading(soup) == domain.title.cy
    assert domain.summary.cy in visible_text(soup)
    block = soup.select_one(f"#benchmark-{key(benchmark.id)}")
    assert block.h2.get_text(strip=True) == f"1. {benchmark.title.cy}"
    labels = [label.get_text(strip=True) for label in block.select(".govuk-radios__label")]
    scale = framework.scale
    assert labels == [level.label.cy for level in reversed(scale.levels)] + [scale.not_known.label.cy, scale.not_applicable.label.cy]
    assert block.select_one(".govuk-radios__divider").get_text(strip=True) == "neu"
    assert block.select_one(f"label[for='{key(benchmark.id)}-evidence']").get_text(strip=True) == "Tystiolaeth ar gyfer eich gradd"
    assert [b.get_text(strip=True) for b in soup.select("main .govuk-button-group button")] == ["Cadw a pharhau", "Cadw a dod yn ôl yn nes ymlaen"]
    count = soup.select_one(f"[data-module=govuk-character-count] #{key(benchmark.id)}-evidence-info")
    assert count.get_text(strip=True).startswith("Gallwch roi hyd at")

    # A Welsh error message names the rating in Welsh, and the form keeps the choice.
    data = domain_form_data(soup, **{f"{key(benchmark.id)}-rating": "good"})
    soup = page(client.post(url, data={**data, "save_continue": "y"}))
    assert soup.title.get_text().startswith("Gwall: ")
    good = scale.level("good").label.cy
    assert f"Rhowch y dystiolaeth ar gyfer eich gradd ‘{good}’ ar ‘{benchmark.title.cy}’" in soup.select_one(".govuk-error-summary").get_text()

    soup = page(client.get(f"/rounds/{round_id}/respond/check"))
    assert heading(soup) == "Gwirio eich atebion"
    assert [h.get_text(strip=True) for h in soup.select("main h2.govuk-heading-m")][:5] == [d.title.cy for d in framework.domains]
    assert soup.select_one(".govuk-summary-list__value").get_text(" ", strip=True).startswith("Heb ei ateb")
    assert soup.select_one("main form button").get_text(strip=True) == "Cyflwyno’r hunanasesiad"


def test_saving_in_welsh_confirms_in_welsh(client, login, open_round):
    domain = current_framework().domains[0]
    benchmark = domain.benchmarks[0]
    login(open_round.member)
    welsh(client)
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    token = csrf_token(client, url)
    reply = client.post(
        f"{url}/autosave", json={"benchmark_id": benchmark.id, "rating": "good", "evidence": "Archwiliad", "version": 1}, headers={"X-CSRFToken": token}
    )
    assert reply.status_code == 200
    assert reply.json["saved_message"].startswith("Cadwyd am ")
    assert reply.json["last_changed"].startswith("Newidiwyd ddiwethaf gan Gareth Morgan am ")

    later = client.post(url, data={**domain_form_data(page(client.get(url))), "save_later": "y"}, follow_redirects=True)
    assert page(later).select_one(".govuk-notification-banner__title").get_text(strip=True) == "Llwyddiant"
    assert "Cafodd eich atebion eu cadw am" in page(later).select_one(".govuk-notification-banner").get_text()


def test_round_page_moderation_and_flags_in_welsh(client, login, build_round, framework):
    built = _disagreeing_round(build_round)
    built.round.deadline = date(2027, 3, 27)
    db.session.commit()
    login(built.manager)
    welsh(client)
    round_id = built.round.id

    soup = page(client.get(f"/rounds/{round_id}"))
    assert_welsh_page(soup)
    rows = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in soup.select(".govuk-summary-list__row")}
    assert rows["Statws"] == "Ar agor"
    assert rows["Dyddiad cau"] == "27 Mawrth 2027"
    assert rows["Lefel darged"] == framework.scale.level(framework.target_level).label.cy
    assert "Pwy sydd wedi ymateb" in [h.get_text(strip=True) for h in soup.select("main h2")]
    agencies = [row.select("td")[0].get_text(strip=True) for row in soup.select("#progress tbody tr")]
    assert agencies == ["Bwrdd iechyd lleol", "Gwasanaethau plant yr awdurdod lleol", "Heddlu"]
    links = [a.get_text(strip=True) for a in soup.select("ul[aria-labelledby=round-work] a")]
    assert links[:5] == ["Cymedroli: cytuno ar raddau’r bwrdd", "Baneri trylwyredd", "Canlyniadau", "Cynllun gweithredu", "Cofrestr dystiolaeth"]

    soup = page(client.get(f"/rounds/{round_id}/moderation"))
    assert heading(soup) == "Cymedroli"
    assert [th.get_text(strip=True) for th in soup.select("#moderation-domains tbody th")] == [d.title.cy for d in framework.domains]
    assert "Daw ffigurau’r aelodau o 3 ymateb a gyflwynwyd." in soup.select_one("#responses-note").get_text(" ", strip=True)

    soup = page(client.get(f"/rounds/{round_id}/moderation/outcomes"))
    assert heading(soup) == framework.domain("outcomes").title.cy
    section = soup.select_one("#benchmark-outcomes_1")
    figures = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in section.select(".app-figures .govuk-summary-list__row")}
    scale = framework.scale
    assert figures["Canolrif yr aelodau"] == scale.level("good").label.cy
    assert figures["Ystod"] == "3 lefel"
    assert figures["Cytundeb"] == "Mae’r aelodau’n anghytuno"
    flags = [li.get_text(" ", strip=True) for li in section.select("li[data-flag]")]
    low, high = scale.level("inadequate").label.cy, scale.level("outstanding").label.cy
    assert f"Mae’r aelodau’n anghytuno Mae graddau’r aelodau 3 lefel ar wahân ({low} – {high})" in flags
    assert section.select_one("legend").get_text(strip=True) == f"Gradd gytûn ar gyfer ‘{framework.benchmark('outcomes.1').title.cy}’"

    soup = page(client.get(f"/rounds/{round_id}/flags"))
    assert heading(soup) == "Baneri trylwyredd"
    counts = {row.th.get_text(strip=True): row.td.get_text(strip=True) for row in soup.select("#flag-counts tbody tr")}
    assert list(counts) == list(flag_names("cy").values())
    assert counts["Partner statudol ar goll"] == "3"  # NHS trust, probation and youth offending did not answer
    assert "Dim ymateb wedi’i gyflwyno: Gwasanaeth Prawf" in soup.select_one("#open-flags").get_text(" ", strip=True)
    assert soup.select_one("#open-heading").get_text(strip=True) == "5 baner agored"
    entry = soup.select_one("#flag-statutory_missing-probation")
    responses = [label.get_text(strip=True) for label in entry.select(".govuk-radios__label")]
    assert responses == ["Derbyniwyd: gostyngwyd y radd", "Eglurwyd", "Ychwanegwyd tystiolaeth"]
    assert entry.select_one("legend").get_text(strip=True) == "Ymateb i ‘Partner statudol ar goll: Gwasanaeth Prawf’"


def test_results_chart_action_plan_and_evidence_in_welsh(client, login, build_round, framework):
    built = build_round([Respondent("police", default="requires_improvement"), Respondent("health_board", default="requires_improvement")])
    agree_all(built, "requires_improvement")
    built.round.status = "moderated"
    db.session.commit()
    login(built.members[0])
    welsh(client)
    round_id = built.round.id
    scale = framework.scale

    soup = page(client.get(f"/rounds/{round_id}/results"))
    assert_welsh_page(soup)
    assert heading(soup) == "Canlyniadau"
    overall = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in soup.select("#overall .govuk-summary-list__row")}
    # Only two agencies responded: statutory partners are missing, so the judgement is called provisional.
    assert overall == {
        "Dyfarniad cyffredinol (dros dro)": scale.level("requires_improvement").label.cy,
        "Lefel darged": scale.level(framework.target_level).label.cy,
        "Bwlch i’r targed": "1 lefel islaw",
    }
    headline = soup.select_one("#headline").get_text(" ", strip=True)
    assert headline.startswith("Dyfarniad cyffredinol dros dro: Angen gwella. Mae 5 o 5 parth islaw’r targed o Da:")
    assert [th.get_text(strip=True) for th in soup.select("#results-table tbody th")] == [d.title.cy for d in framework.domains] + ["Cyffredinol"]
    assert soup.select_one("img.app-chart")["alt"].startswith("Siart bar")

    svg = client.get(f"/rounds/{round_id}/results/chart.svg").get_data(as_text=True)
    for words in ("Cyffredinol", "Dyfarniad", "Targed", framework.domains[0].title.cy, scale.level("good").label.cy):
        assert words in svg

    soup = page(client.get(f"/rounds/{round_id}/actions"))
    assert heading(soup) == "Cynllun gweithredu"
    assert soup.select_one("#uncovered-heading").get_text(strip=True) == "Bylchau heb gam gweithredu"
    first_gap = soup.select_one("#uncovered-gaps li[data-benchmark-id]").get_text(" ", strip=True)
    assert framework.benchmarks[0].title.cy in first_gap and "1 lefel islaw’r targed" in first_gap

    soup = page(client.get(f"/boards/{built.board.id}/evidence"))
    assert heading(soup) == "Cofrestr dystiolaeth"
    assert "Nid oes tystiolaeth yn y gofrestr eto." in visible_text(soup)


def test_business_manager_forms_in_welsh(client, login, build_round, framework):
    built = build_round([Respondent("police")])
    login(built.manager)
    welsh(client)

    soup = page(client.get(f"/boards/{built.board.id}/rounds/new"))
    assert heading(soup) == "Agor cylch hunanasesu"
    assert [label.get_text(strip=True) for label in soup.select("#deadline-date .govuk-date-input__label")] == ["Diwrnod", "Mis", "Blwyddyn"]
    targets = [label.get_text(strip=True) for label in soup.select("input[name=target_level] + label")]
    # Only the framework's target and above are offered (issue 14).
    lowest = [level.id for level in framework.scale.levels].index(framework.target_level)
    assert targets == [level.label.cy for level in reversed(framework.scale.levels[lowest:])]

    soup = page(client.get(f"/rounds/{built.round.id}/actions/new"))
    assert heading(soup) == "Ychwanegu cam gweithredu"
    assert [option.get_text(strip=True) for option in soup.select("select[name=owner_agency] option")][:3] == [
        "Dewiswch asiantaeth", "Gwasanaethau plant yr awdurdod lleol", "Bwrdd iechyd lleol",
    ]
    assert [label.get_text(strip=True) for label in soup.select("input[name=status] + label")] == [
        "Heb ddechrau",
        "Ar y trywydd iawn",
        "Mewn perygl",
        "Wedi’i wneud",
    ]
    hint = soup.select_one("#description-info")
    assert hint is not None and hint.get_text(strip=True) == "Gallwch roi hyd at 2000 nod"

    soup = page(client.post(f"/rounds/{built.round.id}/actions/new", data={"csrf_token": csrf_token(client, f"/rounds/{built.round.id}/actions/new")}))
    assert "Rhowch beth fydd yn cael ei wneud" in errors(soup)
    assert "Rhowch y dyddiad cwblhau" in errors(soup)

    soup = page(client.get(f"/boards/{built.board.id}/members"))
    assert heading(soup) == "Aelodau a gwahoddiadau"
    roles = {row.select("td")[0].get_text(strip=True): row.select("td")[2].get_text(strip=True) for row in soup.select("#members tbody tr")}
    assert roles["Siân Manager"] == "Rheolwr busnes neu gadeirydd"


def test_admin_boards_and_accounts_in_welsh(app, login, make_user, make_board):
    make_board("Bwrdd Diogelu Gwent")
    admin = make_user("Alex Administrator", is_admin=True)
    client = welsh(login(admin, test_client=app.test_client()))
    soup = page(client.get("/admin/boards"))
    assert_welsh_page(soup)
    assert heading(soup) == "Byrddau"
    assert [th.get_text(strip=True) for th in soup.select("#boards thead th")] == ["Bwrdd", "Math o fwrdd", "Rheolwyr busnes", "Aelodau", "Dyddiad creu"]
    assert soup.select_one("#boards tbody tr td:nth-child(3)").get_text(strip=True) == "Dim eto"
    soup = page(client.get("/admin/accounts"))
    assert heading(soup) == "Cyfrifon"
    assert soup.select_one("#accounts caption").get_text(" ", strip=True).startswith("Yn dangos 1 i")
    soup = page(client.get("/admin/audit"))
    assert heading(soup) == "Trywydd archwilio"
    assert "Wedi mewngofnodi" in [td.get_text(strip=True) for td in soup.select("#audit tbody td:nth-child(3)")]


def test_dates_and_times_are_written_in_welsh(app):
    moment = datetime(2026, 7, 14, 13, 5, tzinfo=UTC)  # 14:05 in summer time
    with app.test_request_context("/"), force_locale("cy"):
        assert long_date(date(2026, 1, 5)) == "5 Ionawr 2026"
        assert long_date(date(2026, 2, 1)) == "1 Chwefror 2026"
        assert long_date(date(2026, 12, 25)) == "25 Rhagfyr 2026"
        assert local_time(moment) == "14:05 ar 14 Gorffennaf 2026"
    with app.test_request_context("/"):
        assert local_time(moment) == "14:05 on 14 July 2026"


def test_rigour_flags_are_worded_in_the_language_asked_for(framework):
    class Figures:  # what app.data.aggregation.BenchmarkAgreement gives the checks
        distribution = {"inadequate": 1, "outstanding": 1}
        without_evidence = {"outstanding": 1}
        middle = ("inadequate", "outstanding")
        spread = 3

    members = {"outcomes.1": Figures()}
    english = round_flags(framework, members=members, statutory_missing=["police"], agency_names={"police": "Police"})
    cymraeg = round_flags(framework, members=members, statutory_missing=["police"], agency_names={"police": "Heddlu"}, lang="cy")
    assert english[0].message == "No submitted response from Police"
    assert cymraeg[0].message == "Dim ymateb wedi’i gyflwyno: Heddlu"
    assert cymraeg[0].name == "Partner statudol ar goll"
    disagreement = next(flag for flag in cymraeg if flag.kind == DISAGREEMENT)
    scale = framework.scale
    assert disagreement.message == f"Mae graddau’r aelodau 3 lefel ar wahân ({scale.level('inadequate').label.cy} – {scale.level('outstanding').label.cy})"
    assert cymraeg[1].message.startswith("Rhoddodd 1 aelod radd ")


def test_the_choice_is_remembered_for_the_person_across_sessions(app, client, login, make_user):
    person = make_user("Eleri Hughes")
    login(person)
    assert page(client.get("/")).html["lang"] == "en"
    welsh(client)
    db.session.expire_all()
    assert db.session.get(User, person.id).language == "cy"
    soup = page(client.get("/account"))
    assert heading(soup) == "Eich cyfrif"
    rows = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in soup.select(".govuk-summary-list__row")}
    assert rows["Iaith"] == "Cymraeg"

    # Signing out keeps the sign-in page in the person's language, but does not
    # impose it on the next person to sign in on this computer.
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/account")})
    assert page(client.get("/sign-in")).html["lang"] == "cy"
    colleague = make_user("Owen Price")
    colleague.language = "en"
    db.session.commit()
    login(colleague)
    assert page(client.get("/")).html["lang"] == "en"
    db.session.expire_all()
    assert db.session.get(User, colleague.id).language == "en"
    # ...and another browser, whose own language is English, shows Welsh once they sign in.
    other = app.test_client()
    assert page(other.get("/sign-in", headers={"Accept-Language": "en-GB"})).html["lang"] == "en"
    login(person, test_client=other)
    soup = page(other.get("/", headers={"Accept-Language": "en-GB"}))
    assert soup.html["lang"] == "cy" and heading(soup) == "Eich byrddau"

    # Choosing English is remembered in the same way.
    other.get("/language/en")
    db.session.expire_all()
    assert db.session.get(User, person.id).language == "en"


def test_a_choice_made_before_signing_in_becomes_the_persons_choice(client, make_user):
    person = make_user("Rhian Jenkins")
    welsh(client)
    token = csrf_token(client, "/sign-in")
    client.post("/sign-in", data={"email": person.email, "password": PASSWORD, "csrf_token": token})
    assert page(client.get("/")).html["lang"] == "cy"
    db.session.expire_all()
    assert db.session.get(User, person.id).language == "cy"


def test_the_browsers_language_is_used_until_someone_chooses(client):
    assert page(client.get("/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})).html["lang"] == "cy"
    assert page(client.get("/", headers={"Accept-Language": "fr"})).html["lang"] == "en"


def test_emails_are_written_in_the_persons_language(app, client, make_user, smtp):
    person = make_user("Mair Roberts")
    person.language = "cy"
    db.session.commit()
    token = csrf_token(client, "/password-reset")
    client.post("/password-reset", data={"email": person.email, "csrf_token": token})
    [message] = smtp.sent
    assert message["Subject"] == "Ailosod eich cyfrinair"
    body = message.get_content()
    assert body.startswith("Annwyl Mair Roberts,")
    assert "Defnyddiwch y ddolen hon i ddewis cyfrinair newydd." in body


def test_an_invitation_sent_from_a_welsh_page_is_in_welsh(client, login, build_round, smtp):
    built = build_round([])
    login(built.manager)
    welsh(client)
    url = f"/boards/{built.board.id}/members/invite"
    form = {"csrf_token": csrf_token(client, url), "name": "Carys Evans", "email": "carys@example.org", "role": "member", "agency": "education"}
    soup = page(client.post(url, data=form, follow_redirects=True))
    assert "Rydym wedi anfon gwahoddiad i carys@example.org." in soup.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    [message] = smtp.sent
    assert message["Subject"] == f"Rydych wedi cael eich gwahodd i {built.board.name}"
    assert "fel aelod o’r bwrdd ar ran Addysg." in message.get_content()

