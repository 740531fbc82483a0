"""A round on framework 2026.1 followed by one on 2026.2: compared, and carried forward, by stable benchmark ids.

Each round keeps the framework version it was opened with, so last year's round
reads with last year's benchmarks. The report compares the two by id: a
benchmark new in 2026.2 is shown as new (no change figure), one 2026.2 retired
is listed as retired with its last rating, and a note says the versions differ.
Carrying answers or actions forward copies what has the same id and says what
it could not.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from app.core.framework import Framework, load_framework, parse_framework
from app.core.framework_diff import compare_frameworks
from app.data.framework_store import current_framework
from app.data.models import Action, ActionBenchmark, Answer, AssessmentRound, Response
from app.extensions import db
from tests.factories import page
from tests.integration.round_builder import Respondent, agree_all, form_values
from tests.integration.test_report_pdf import pdf_pages

PAST_PATH = Path(__file__).parents[2] / "frameworks" / "sait_domains-2026.1.yaml"
PAST = load_framework(PAST_PATH)
# 2026.1 as it would be had it held a benchmark 2026.2 retired: strategy.1 under an id
# (strategy.90) the shipped file never uses. So strategy.90 is retired and strategy.1 is new.
RETIRED_ID, NEW_ID = "strategy.90", "strategy.1"
PAST_WITH_RETIRED = parse_framework(PAST_PATH.read_text(encoding="utf-8").replace("- id: strategy.1\n", "- id: strategy.90\n"), "2026.1-variant.yaml")


def _rows(table) -> dict[str, list[str]]:
    return {tr.th.get_text(" ", strip=True): [td.get_text(strip=True) for td in tr.select("td")] for tr in table.select("tbody tr")}


def _two_rounds(build_round, past: Framework):
    """Last year's round on ``past`` (members rated every benchmark Requires improvement), this year's on the shipped file (Good, agreed)."""
    before = build_round([Respondent("police", default="requires_improvement")], title="Self-assessment 2025", framework=past)
    before.round.created_at = before.round.created_at.replace(year=before.round.created_at.year - 1)
    now = build_round([Respondent("police")], board=before.board, manager=before.manager, title="Self-assessment 2026")
    agree_all(now)
    return before, now


def test_a_round_on_2026_1_is_compared_with_one_on_the_shipped_file_by_benchmark_id(client, login, build_round):
    shipped = current_framework()
    diff = compare_frameworks(PAST, shipped)
    before, now = _two_rounds(build_round, PAST)
    assert (before.round.framework_version.version, now.round.framework_version.version) == ("2026.1", "2026.2")
    login(now.manager)

    section = page(client.get(f"/rounds/{now.round.id}/report")).select_one("#previous")

    text = section.get_text(" ", strip=True)
    assert "Compared with ‘Self-assessment 2025’" in text
    assert section.select_one("#previous-versions").get_text(" ", strip=True).startswith(
        "The previous round was opened on framework version 2026.1 and this round on version 2026.2."
    )
    common = [b for b in shipped.benchmarks if b.id not in diff.benchmarks_added]
    assert f"{len(common)} improved, 0 declined, 0 did not change" in text
    # Every domain is in both versions, so each has a figure: Requires improvement then, Good now.
    domains = _rows(section.select_one("#previous-domains"))
    assert domains["Establishing effective governance"] == ["Requires improvement", "Good", "↑ Improved"]
    assert len(domains) == len(shipped.domains) + 1  # and the overall line
    new_table = section.select_one("#previous-new")
    if diff.benchmarks_added:
        new_rows = _rows(new_table)
        assert list(new_rows) == [f"{shipped.reference(b)} {shipped.benchmark(b).title.en}" for b in diff.benchmarks_added]
        assert all(cells == ["–", "Good", "New in 2026.2"] for cells in new_rows.values())
    else:
        assert new_table is None
    retired_table = section.select_one("#previous-retired")
    if diff.benchmarks_retired:
        assert list(_rows(retired_table)) == [f"{PAST.reference(b)} {PAST.benchmark(b).title.en}" for b in diff.benchmarks_retired]
    else:
        assert retired_table is None


def test_a_benchmark_new_in_2026_2_has_no_change_figure_and_a_retired_one_is_listed_not_dropped(client, login, build_round):
    shipped = current_framework()
    _before, now = _two_rounds(build_round, PAST_WITH_RETIRED)
    login(now.manager)

    section = page(client.get(f"/rounds/{now.round.id}/report")).select_one("#previous")

    new_rows = _rows(section.select_one("#previous-new"))
    assert new_rows[f"{shipped.reference(NEW_ID)} {shipped.benchmark(NEW_ID).title.en}"] == ["–", "Good", "New in 2026.2"]
    assert section.select_one("#previous-new caption").get_text(strip=True) == "Benchmarks new in version 2026.2"
    retired_rows = _rows(section.select_one("#previous-retired"))
    retired = f"{PAST_WITH_RETIRED.reference(RETIRED_ID)} {PAST_WITH_RETIRED.benchmark(RETIRED_ID).title.en}"
    assert retired_rows[retired] == ["Requires improvement", "–", "Retired"]
    assert section.select_one("#previous-retired caption").get_text(strip=True) == "Benchmarks retired since version 2026.1"
    changed = _rows(section.select_one("#previous-benchmarks"))
    assert not any(title.startswith((f"{shipped.reference(NEW_ID)} ", f"{PAST_WITH_RETIRED.reference(RETIRED_ID)} ")) for title in changed)
    text = section.get_text(" ", strip=True)
    assert "1 benchmark of the previous round is retired." in text


def test_the_pdf_shows_the_cross_version_note_and_the_retired_benchmark(client, login, build_round):
    _before, now = _two_rounds(build_round, PAST_WITH_RETIRED)
    login(now.manager)

    response = client.get(f"/rounds/{now.round.id}/report.pdf")

    assert response.status_code == 200
    text = " ".join(pdf_pages(response.data))
    assert "opened on framework version 2026.1 and this round on version 2026.2" in text
    assert "Benchmarks retired since version 2026.1" in text


def test_carrying_answers_from_a_2026_1_round_copies_what_maps_and_says_what_was_retired(client, login, build_round):
    before = build_round([Respondent("police", default="requires_improvement")], title="Self-assessment 2025", framework=PAST_WITH_RETIRED)
    login(before.manager)
    url = f"/boards/{before.board.id}/rounds/new"
    values = form_values(page(client.get(url)))
    deadline = date.today() + timedelta(days=30)
    values["title"] = "Self-assessment 2026"
    values.setlist("deadline", [str(deadline.day), str(deadline.month), str(deadline.year)])
    values["carry_forward"] = "y"

    soup = page(client.post(url, data=values, follow_redirects=True))

    banners = [banner.get_text(" ", strip=True) for banner in soup.select(".govuk-notification-banner")]
    assert any(
        f"Version 2026.2 retired 1 benchmark the last round answered, so its answers were not carried forward: {RETIRED_ID}." in b for b in banners
    ), banners
    new_ids = compare_frameworks(PAST_WITH_RETIRED, current_framework()).benchmarks_added
    assert NEW_ID in new_ids
    assert any(f"are new in version 2026.2, so members answer them afresh: {', '.join(new_ids)}." in b for b in banners) or any(
        f"is new in version 2026.2, so members answer it afresh: {NEW_ID}." in b for b in banners
    ), banners
    opened = db.session.scalar(select(AssessmentRound).where(AssessmentRound.title == "Self-assessment 2026"))
    ratings = {
        benchmark_id: rating
        for benchmark_id, rating in db.session.execute(
            select(Answer.benchmark_id, Answer.rating).join(Response, Response.id == Answer.response_id).where(Response.round_id == opened.id)
        )
    }
    assert RETIRED_ID not in ratings
    assert ratings[NEW_ID] is None  # new in 2026.2: answered afresh
    assert ratings["governance.3"] == "requires_improvement"  # the same id in both versions: carried


def test_carrying_actions_into_a_2026_2_round_keeps_the_links_it_can_and_names_the_retired_one(client, login, build_round):
    before, now = _two_rounds(build_round, PAST_WITH_RETIRED)
    action = Action(
        board_id=before.board.id, round_id=before.round.id, description="Publish a SMART business plan", owner_agency="local_authority",
        lead_person="Siân Davies", due_date=date.today() + timedelta(days=60), success_measure="Every priority has a measure", status="on_track",
    )
    action.benchmarks = [ActionBenchmark(benchmark_id=RETIRED_ID), ActionBenchmark(benchmark_id="strategy.2")]
    db.session.add(action)
    db.session.commit()
    login(before.manager)
    soup = page(client.get(f"/rounds/{before.round.id}/actions"))
    data = form_values(soup, "form[action$='/actions/carry']")

    soup = page(client.post(f"/rounds/{before.round.id}/actions/carry", data=data, follow_redirects=True))

    banners = [banner.get_text(" ", strip=True) for banner in soup.select(".govuk-notification-banner")]
    assert any("1 open action was carried into ‘Self-assessment 2026’." in b for b in banners), banners
    assert any(
        f"Links to {RETIRED_ID} were not carried: version 2026.2 of the framework has retired that benchmark." in b for b in banners
    ), banners
    carried = db.session.scalars(select(Action).where(Action.round_id == now.round.id)).all()
    assert [a.benchmark_ids for a in carried] == [["strategy.2"]]
