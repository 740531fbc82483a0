"""The results page: judgements and gaps from medians or agreed ratings, a chart and a table saying the same."""

from __future__ import annotations

from xml.etree import ElementTree

from sqlalchemy import update

from app.data.models import AgreedRating
from app.extensions import db
from tests.factories import page
from tests.integration.round_builder import Respondent, agree_all, counted_queries


def _table(soup) -> dict[str, list[str]]:
    return {row.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in row.select("td")] for row in soup.select("#results-table tbody tr")}


def test_unmoderated_results_come_from_members_medians(client, login, build_round):
    built = build_round(
        [
            Respondent("police", default="good", ratings={"governance.5": "inadequate"}),
            Respondent("health_board", default="good", ratings={"governance.5": "inadequate"}),
            Respondent("education", default="outstanding"),
        ]
    )
    login(built.members[0])
    soup = page(client.get(f"/rounds/{built.round.id}/results"))
    assert soup.h1.get_text(strip=True) == "Results"
    assert soup.select_one("#results-source").get_text(" ", strip=True).startswith("Provisional: from members’ medians.")
    table = _table(soup)
    # Eleven Good and one Inadequate: (11 x 3 + 1) / 12.
    assert table["Establishing effective governance"] == ["2.83", "Requires improvement", "1 level below", "1"]
    assert table["Establishing the Board's strategic direction"] == ["3.00", "Good", "On or above target", "0"]
    assert table["Overall"] == ["2.83", "Good", "On or above target", "1"]
    limits = [li.get_text(" ", strip=True) for li in soup.select("#limits li")]
    assert limits == [
        "Establishing effective governance: Good lowered to Requires improvement. If any benchmark in a domain is rated "
        "inadequate, that domain can be judged no higher than requires improvement, whatever its average."
    ]
    overall = {row.dt.get_text(strip=True): row.dd.get_text(strip=True) for row in soup.select("#overall .govuk-summary-list__row")}
    # Only three agencies responded, so statutory partners are missing: the judgement is not called final.
    assert overall == {"Overall judgement (provisional)": "Good", "Target level": "Good", "Gap to target": "On or above target"}
    headline = soup.select_one("#headline").get_text(" ", strip=True)
    assert headline == "Provisional overall judgement: Good. 1 of 5 domains is below the target of Good: Establishing effective governance."
    assert "no response yet from these statutory partners" in soup.select_one("#provisional-because").get_text(" ", strip=True)
    image = soup.select_one("img.app-chart")
    assert image["src"] == f"/rounds/{built.round.id}/results/chart.svg"
    assert "The table below gives the same figures" in image["alt"]
    gaps = [row.th.get_text(strip=True) for row in soup.select("#benchmark-gaps tbody tr")]
    assert gaps == ["Quality of multi-agency case audits"]


def test_moderated_results_come_from_agreed_ratings(client, login, build_round):
    built = build_round([Respondent("police", default="good")])
    agree_all(built, "requires_improvement")
    db.session.execute(update(AgreedRating).where(AgreedRating.benchmark_id.like("outcomes.%")).values(rating="not_applicable"))
    built.round.status = "moderated"
    db.session.commit()
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/results"))
    assert soup.select_one("#results-source").get_text(" ", strip=True).startswith("From the board’s agreed ratings.")
    table = _table(soup)
    # Every outcomes benchmark not applicable: "not enough to judge", not "no judgement yet"; and it still caps overall.
    assert table["Improving safeguarding outcomes for children"] == ["Nothing scored", "Not enough to judge", "No judgement", "0"]
    headline = soup.select_one("#headline").get_text(" ", strip=True)
    assert "4 of 5 domains are below the target of Good" in headline and "on or above" not in headline.lower()
    every_one = str(len(built.framework.domain("capacity").benchmarks))
    assert table["Building capacity"] == ["2.00", "Requires improvement", "1 level below", every_one]
    assert table["Overall"][1:3] == ["Requires improvement", "1 level below"]
    assert "It is not enough to judge when more than half of its benchmarks are not applicable" in soup.get_text()


def test_the_chart_is_a_scriptless_svg_with_the_same_judgements(client, login, build_round):
    built = build_round([Respondent("police", default="good", ratings={"outputs.1": "inadequate"})])
    login(built.manager)
    response = client.get(f"/rounds/{built.round.id}/results/chart.svg")
    assert response.mimetype == "image/svg+xml"
    assert response.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    svg = response.get_data(as_text=True)
    assert not svg.startswith("<?xml")
    tree = ElementTree.fromstring(svg)
    assert [element for element in tree.iter() if element.tag.endswith("script")] == []
    text = " ".join(t for t in tree.itertext())
    for label in ("Improving safeguarding outcomes for children", "Delivering outputs", "Overall", "Judgement", "Target", "Requires improvement"):
        assert label in text


def test_results_are_for_the_boards_people_only(app, login, build_round, make_user, make_board, add_member):
    built = build_round([Respondent("police")])
    inspector = make_user("Huw Inspector")
    add_member(inspector, built.board, "inspector", "other")
    assert login(inspector, test_client=app.test_client()).get(f"/rounds/{built.round.id}/results").status_code == 200
    outsider = make_user("Outsider")
    add_member(outsider, make_board(), "business_manager", "police")
    client = login(outsider, test_client=app.test_client())
    assert client.get(f"/rounds/{built.round.id}/results").status_code == 404
    assert client.get(f"/rounds/{built.round.id}/results/chart.svg").status_code == 404


def test_round_page_links_to_results_and_the_plan(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.members[0])
    soup = page(client.get(f"/rounds/{built.round.id}"))
    links = [a.get_text(strip=True) for a in soup.select("#round-work + ul a")]
    assert links[:3] == ["Results", "Action plan", "Evidence register"]


def test_business_manager_sees_moderation_and_flags_links(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}"))
    links = [a.get_text(strip=True) for a in soup.select("#round-work + ul a")]
    assert links[:5] == ["Moderation: agree the board’s ratings", "Rigour flags", "Results", "Action plan", "Evidence register"]


def test_results_and_plan_pages_run_the_same_number_of_queries_for_more_respondents(app, login, build_round):
    few = build_round([Respondent("police")])
    many = build_round([Respondent(agency) for agency in ("police", "health_board", "nhs_trust", "education")] * 4)
    for path_template in ("/rounds/{}/results", "/rounds/{}/actions", "/rounds/{}/flags", "/rounds/{}/moderation"):
        counts = []
        for built in (few, many):
            client = login(built.manager, test_client=app.test_client())
            path = path_template.format(built.round.id)
            client.get(path)
            with counted_queries() as statements:
                assert client.get(path).status_code == 200
            counts.append(len(statements))
        assert counts[0] == counts[1], path_template


def test_results_name_the_floor_that_lowered_a_domain_and_the_benchmarks_behind_it(client, login, build_round):
    # Capacity: two Outstanding, one Good, six Requires improvement: mean 2.56 is Good, but only 3 of 9 are Good or better.
    ratings = {"capacity.1": "outstanding", "capacity.2": "outstanding", "capacity.3": "good"}
    ratings |= {f"capacity.{n}": "requires_improvement" for n in range(4, 10)}
    built = build_round([Respondent("police", default="good", ratings=ratings)])
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/results"))
    assert _table(soup)["Building capacity"][:2] == ["2.56", "Requires improvement"]
    [floor] = [li.get_text(" ", strip=True) for li in soup.select("#floors li")]
    assert floor.startswith("Building capacity: Good lowered to Requires improvement. A domain is good only when")
    assert "Because of: Effective sub-groups;" in floor


def test_provisional_ratings_given_without_evidence_count_one_level_lower_and_say_so(client, login, build_round):
    built = build_round([Respondent("police", default="good", evidence={"outcomes.1": ""}, default_evidence="")])
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/results"))
    lowered = [li.get_text(" ", strip=True) for li in soup.select("#lowered-for-evidence li")]
    assert "Outcome measures for children: Good counted as Requires improvement." in lowered
