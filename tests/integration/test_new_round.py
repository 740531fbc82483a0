"""Opening a round: the deadline is a GOV.UK date input, with GOV.UK's error wording, and nothing is saved until it is right."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.data.models import AssessmentRound
from app.extensions import db
from app.web.i18n import today_here
from tests.factories import page
from tests.integration.govuk import errors
from tests.integration.round_builder import Respondent, form_values


def _open(client, board_id: int, *, title: str, day: str, month: str, year: str):
    url = f"/boards/{board_id}/rounds/new"
    values = form_values(page(client.get(url)))
    values["title"] = title
    values.setlist("deadline", [day, month, year])
    return client.post(url, data=values)


def _rounds() -> int:
    return db.session.scalar(select(func.count()).select_from(AssessmentRound))


def test_a_round_opens_with_the_deadline_typed_as_day_month_year(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    deadline = today_here() + timedelta(days=30)
    response = _open(client, built.board.id, title="Self-assessment 2027", day=str(deadline.day), month=str(deadline.month), year=str(deadline.year))
    assert response.status_code == 302
    opened = db.session.scalar(select(AssessmentRound).where(AssessmentRound.title == "Self-assessment 2027"))
    assert opened is not None and opened.deadline == deadline


def test_each_wrong_deadline_gets_govuk_wording_and_no_round_is_opened(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    before = _rounds()
    yesterday = today_here() - timedelta(days=1)
    cases = {
        ("", "", ""): "Enter the deadline for members’ responses",
        ("31", "2", "2027"): "Deadline must be a real date, like 27 3 2027",
        ("1", "1", "27"): "Deadline must be a real date, like 27 3 2027",
        (str(yesterday.day), str(yesterday.month), str(yesterday.year)): "Deadline must be today or in the future",
    }
    for (day, month, year), message in cases.items():
        soup = page(_open(client, built.board.id, title="Self-assessment 2027", day=day, month=month, year=year))
        assert errors(soup) == [message], (day, month, year)
        assert soup.select_one(".govuk-error-summary__list a")["href"] == "#deadline"
        # What was typed stays in the boxes, so it can be corrected.
        assert [box.get("value", "") for box in soup.select("#deadline-date input")] == [day, month, year]
    assert _rounds() == before


def test_the_target_can_be_raised_but_never_set_below_the_frameworks_target(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    url = f"/boards/{built.board.id}/rounds/new"
    soup = page(client.get(url))
    # Only the framework's target (Good) and above are offered.
    assert [box["value"] for box in soup.select("input[name=target_level]")] == ["outstanding", "good"]
    before = _rounds()
    deadline = today_here() + timedelta(days=30)
    for posted in ("requires_improvement", "inadequate"):
        values = form_values(soup)
        values["title"] = "Self-assessment 2027"
        values.setlist("deadline", [str(deadline.day), str(deadline.month), str(deadline.year)])
        values["target_level"] = posted
        refused = page(client.post(url, data=values))
        assert errors(refused) == ["Select a target level of Good or higher"], posted
        assert refused.select_one(".govuk-error-summary__list a")["href"] == "#target_level"
    assert _rounds() == before
    values["target_level"] = "outstanding"
    assert client.post(url, data=values).status_code == 302
    opened = db.session.scalar(select(AssessmentRound).where(AssessmentRound.title == "Self-assessment 2027"))
    assert opened is not None and opened.target_level == "outstanding"
