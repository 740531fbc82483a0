"""The report's honesty about flags and measures: open and answered flags, strengths without open flags,
domains below target in the headline, a provisional judgement while a statutory partner is missing, and
each action's progress from its baseline."""

from __future__ import annotations

from datetime import date, timedelta

from app.data.models import Action, FlagResponse
from app.extensions import db
from app.reports.render import report_today
from tests.factories import page
from tests.integration.report_round import OVERDUE_ACTION


def _preview(client, known_round):
    response = client.get(f"/rounds/{known_round.round.id}/report")
    assert response.status_code == 200
    return page(response)


def _text(soup, selector: str) -> str:
    return soup.select_one(selector).get_text(" ", strip=True)


def test_the_headline_names_domains_below_target_and_says_provisional(client, login, known_round):
    login(known_round.manager)
    soup = _preview(client, known_round)
    overall = _text(soup, "#overall")
    assert overall.startswith("The board’s provisional overall judgement is ")
    assert _text(soup, "#below-target").startswith("1 domain is below the target: Improving safeguarding outcomes for children")
    assert _text(soup, "#provisional") == (
        "Provisional: the judgement cannot be final while statutory partners have not responded: NHS trust, Probation, Youth offending team."
    )


def _answer(round_id: int, kind: str, subject: str) -> None:
    db.session.add(FlagResponse(round_id=round_id, flag_kind=kind, subject=subject, response="evidence_added", reason="The audit"))


def test_a_rating_with_an_open_flag_is_not_a_main_strength(client, login, known_round):
    login(known_round.manager)
    soup = _preview(client, known_round)
    # Every rating at or above the target has a flag nobody has answered (Good agreed without evidence;
    # strategy.2, the highest, was rated Outstanding by a member without evidence).
    assert soup.select("#summary-strengths li") == []
    assert _text(soup, "#strengths-held-back").startswith("Every benchmark at or above the target has an open rigour flag")
    round_id = known_round.round.id
    for kind, subject in (("unevidenced", "strategy.2"), ("agreed_unevidenced", "governance.1")):
        _answer(round_id, kind, subject)
    db.session.commit()
    soup = _preview(client, known_round)
    strengths = [li.select_one(".ref").get_text(strip=True) for li in soup.select("#summary-strengths li")]
    answered = {"2.2", "3.1"}  # strategy.2 and governance.1, as people refer to them
    assert set(strengths) <= answered and "2.2" in strengths
    assert "left out because they have an open rigour flag" in _text(soup, "#strengths-held-back")


def test_flags_are_counted_open_and_answered_and_each_answer_is_listed(client, login, known_round):
    db.session.add(
        FlagResponse(round_id=known_round.round.id, flag_kind="statutory_missing", subject="probation", response="explained", reason="Probation joined in May.")
    )
    db.session.commit()
    login(known_round.inspector)
    soup = _preview(client, known_round)
    rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("#flag-status tbody tr")}
    assert rows["Statutory partner missing"] == ["2", "1"]
    assert rows["Members disagree"] == ["1", "0"]
    answers = [[cell.get_text(" ", strip=True) for cell in tr.select("th, td")] for tr in soup.select("#flag-responses tbody tr")]
    assert answers == [["Statutory partner missing: Probation No submitted response from Probation", "Explained", "Probation joined in May."]]
    summary = _text(soup, "#summary-flags")
    assert "have a response" not in summary and "1 has a response (Appendix C)." in summary
    assert "are still open" in summary


def test_the_report_shows_each_actions_progress_from_its_baseline(client, login, known_round):
    action = db.session.query(Action).filter_by(description=OVERDUE_ACTION).one()
    today = report_today()
    action.measure_about, action.baseline, action.baseline_on = "children_and_families", "58%", date(2026, 3, 2)
    action.target, action.target_by = "80%", today - timedelta(days=1)
    action.latest, action.latest_on = "64%", date(2026, 9, 30)
    db.session.commit()
    login(known_round.manager)
    soup = _preview(client, known_round)
    rows = {tr.select_one("td .text").get_text(strip=True): tr for tr in soup.select("#action-plan tbody tr")}
    measure = rows[OVERDUE_ACTION].select_one("td.measure")
    assert _text(measure, "[data-measure]").startswith("58% on 2 March 2026 → 64% on 30 September 2026 → 80% by ")
    text = measure.get_text(" ", strip=True)
    assert "About: What changes for children and families" in text
    assert "Target date passed without the target met" in text
    others = [tr for name, tr in rows.items() if name != OVERDUE_ACTION]
    assert [_text(tr, "td.measure [data-measure]") for tr in others] == ["No measure yet"]
