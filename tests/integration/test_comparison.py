"""The comparison page: members' median, agreed rating and inspection side by side, on a case worked by hand.

Two members answered every benchmark: the police "good", the health board
"requires improvement", so every median is halfway between the two (1.5 on
the scale inadequate 0 ... outstanding 3). The board agreed only outcomes.1
to outcomes.4 (outstanding, good, good, requires improvement), so the round
is not moderated and the other benchmarks use the members' median.

The inspectors judged outcomes "requires improvement", strategy
"inadequate", and outcomes.3 "inadequate"; nothing else.

- outcomes: 3−1, 2−1, 2−0, 1−1, then eight medians 1.5−1: 2 + 1 + 2 + 0 + 8 × 0.5
  = 9 over 12 benchmarks: +0.75. Self-assessed judgement (4+3+3+2 + 8 × 2)/12
  = 2.33: Requires improvement, the inspectors' judgement.
- strategy: eight medians 1.5 − 0 = 1.5 each: +1.5. Self-assessed (medians
  rounded down, all Requires improvement): one level above Inadequate.
- overall: (9 + 12) / 20: +1.05. Benchmarks one level or more above:
  outcomes.1-3 and the eight strategy benchmarks: 11 of 51.
"""

from __future__ import annotations

from app.data.models import AssessmentRound
from tests.factories import csrf_token, page
from tests.integration.govuk import table_rows
from tests.integration.inspection_helpers import agree, record_findings
from tests.integration.round_builder import Respondent, counted_queries

RI = "requires_improvement"
MEDIAN = "Between Requires improvement and Good"
FINDINGS = {"outcomes": RI, "strategy": "inadequate", "outcomes.3": "inadequate"}
AGREED = {"outcomes.1": "outstanding", "outcomes.2": "good", "outcomes.3": "good", "outcomes.4": RI}


def _worked_case(setup, *, published: bool = True) -> AssessmentRound:
    agree(setup.round, AGREED, moderated=False)
    record_findings(setup.round, setup.inspector, FINDINGS, texts={"outcomes.3": "No link <em>shown</em> to outcomes."}, published=published)
    return setup.round


def test_the_worked_case_domain_by_domain(client, login, inspected_round):
    assessment_round = _worked_case(inspected_round)
    login(inspected_round.manager)
    soup = page(client.get(f"/rounds/{assessment_round.id}/comparison"))
    assert soup.select_one("h1").get_text(strip=True) == "Self-assessment against inspection"
    assert "agreed (moderated) rating" in soup.select_one("#self-definition").get_text()
    overall = soup.select_one("#overall").get_text(" ", strip=True)
    # Outcomes: 2 + 1 + 2 + 0 and eight medians half a level above, over 12; strategy: 1.5 on each of 8. (9 + 12) / 20.
    assert "Over-optimism overall +1.05 (over 20 benchmarks)" in overall
    assert "Benchmarks rated one level or more above the inspection 11 of 51" in overall
    # Outcomes' mean is 2.33 (28 / 12), Requires improvement: it meets the inspection's Requires improvement.
    assert "Domains judged one level or more above the inspection 1 of 5" in overall
    above = "+1 Above inspection The board rated itself 1 level above the inspection."
    rows = table_rows(soup, "domain-comparison")
    assert rows[0] == ["Requires improvement", "Requires improvement", "Requires improvement", "0", "+0.75 (over 12 benchmarks)"]
    assert rows[1] == ["Requires improvement", "No agreed ratings", "Inadequate", above, "+1.5 (over 8 benchmarks)"]
    assert rows[2] == ["Requires improvement", "No agreed ratings", "Not judged", "Not compared", "Not compared"]
    assert [row["data-domain-id"] for row in soup.select("#domain-comparison tr[data-above]")] == ["strategy"]


def test_the_worked_case_benchmark_by_benchmark(client, login, inspected_round):
    assessment_round = _worked_case(inspected_round)
    login(inspected_round.manager)
    soup = page(client.get(f"/rounds/{assessment_round.id}/comparison"))
    rows = table_rows(soup, "benchmarks-outcomes")
    assert [row[:4] for row in rows] == [
        [MEDIAN, "Outstanding", "Requires improvement (the domain’s judgement)", "+2 Above inspection The board rated itself 2 levels above the inspection."],
        [MEDIAN, "Good", "Requires improvement (the domain’s judgement)", "+1 Above inspection The board rated itself 1 level above the inspection."],
        [MEDIAN, "Good", "Inadequate", "+2 Above inspection The board rated itself 2 levels above the inspection."],
        [MEDIAN, "Requires improvement", "Requires improvement (the domain’s judgement)", "0"],
        *[[MEDIAN, "None yet (members’ median used)", "Requires improvement (the domain’s judgement)", "+0.5"]] * 8,
    ]
    assert [row["data-benchmark-id"] for row in soup.select("#benchmarks-outcomes tr[data-above]")] == ["outcomes.1", "outcomes.2", "outcomes.3"]
    finding = soup.select_one("#benchmarks-outcomes tr[data-benchmark-id='outcomes.3'] th").get_text(" ", strip=True)
    assert "Finding: No link <em>shown</em> to outcomes." in finding
    assert soup.select_one("#benchmarks-outcomes em") is None
    assert {row[3] for row in table_rows(soup, "benchmarks-strategy")} == {"+1.5 Above inspection The board rated itself 1.5 levels above the inspection."}
    assert {row[3] for row in table_rows(soup, "benchmarks-governance")} == {"Not compared"}
    # Without colour: the tag's words say it, for every row that stands out.
    assert len(soup.select(".app-above-tag")) == 11 + 1


def test_the_board_sees_the_comparison_only_once_published(client, login, inspected_round):
    setup = inspected_round
    assessment_round = _worked_case(setup, published=False)
    for person in (setup.manager, setup.member):
        login(person)
        soup = page(client.get(f"/rounds/{assessment_round.id}/comparison"))
        assert "have not published their findings" in soup.select_one("#not-published").get_text()
        assert soup.select_one("#domain-comparison") is None
        assert client.get(f"/rounds/{assessment_round.id}/comparison/chart.svg").status_code == 404
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    login(setup.inspector)
    soup = page(client.get(f"/rounds/{assessment_round.id}/comparison"))
    assert "These findings are a draft" in soup.select_one("#draft-warning").get_text()
    assert table_rows(soup, "domain-comparison")[1][2] == "Inadequate"


def test_members_read_the_published_comparison(client, login, inspected_round):
    assessment_round = _worked_case(inspected_round)
    login(inspected_round.member)
    soup = page(client.get(f"/rounds/{assessment_round.id}/comparison"))
    assert table_rows(soup, "domain-comparison")[0][2] == "Requires improvement"
    assert "Challenge" not in [a.get_text(strip=True) for a in soup.select("#benchmarks-outcomes a")]


def test_the_chart_is_an_svg_image_without_script(client, login, inspected_round):
    assessment_round = _worked_case(inspected_round)
    login(inspected_round.manager)
    response = client.get(f"/rounds/{assessment_round.id}/comparison/chart.svg")
    assert response.mimetype == "image/svg+xml"
    svg = response.get_data(as_text=True)
    assert "<script" not in svg and "Self-assessed" in svg and "Inspection" in svg
    assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")


def test_other_boards_and_the_administrator_cannot_see_it(client, login, inspected_round, make_user, make_board, add_member):
    assessment_round = _worked_case(inspected_round)
    outsider = make_user("Other Inspector")
    add_member(outsider, make_board("Elsewhere"), "inspector", "other")
    admin = make_user("Admin", is_admin=True)
    for person in (outsider, admin):
        login(person)
        for url in (f"/rounds/{assessment_round.id}/comparison", f"/rounds/{assessment_round.id}/comparison/chart.svg"):
            assert client.get(url).status_code == 404
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})


def test_the_page_makes_the_same_number_of_queries_however_many_respond(client, login, build_round, make_user, add_member):
    counts = []
    for respondents in (2, 8):
        built = build_round([Respondent("police", default="good") for _ in range(respondents)])
        inspector = make_user()
        add_member(inspector, built.board, "inspector", "other")
        record_findings(built.round, inspector, FINDINGS)
        login(inspector)
        client.get(f"/rounds/{built.round.id}/comparison")  # the round's framework is read once per process
        with counted_queries() as statements:
            client.get(f"/rounds/{built.round.id}/comparison")
        counts.append(len(statements))
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert counts[0] == counts[1]
