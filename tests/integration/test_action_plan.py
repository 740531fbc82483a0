"""The action plan: SMART validation, overdue actions, gaps with no action, conflicts and carrying forward."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.data.models import Action, ActionBenchmark, AuditEvent
from app.extensions import db
from tests.factories import page
from tests.integration.round_builder import Respondent, agree_all, form_values


def _parts(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def _errors(soup) -> list[str]:
    return [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")]


def _rows(card) -> dict[str, str]:
    return {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in card.select(".govuk-summary-list__row")}


def _valid_action(token: str, due: date, **changes) -> dict:
    data = {
        "csrf_token": token,
        "description": "Agree three outcome measures with every statutory partner",
        "owner_agency": "local_authority",
        "lead_person": "Siân Davies",
        "due_date": [str(due.day), str(due.month), str(due.year)],
        "success_measure": "Measures reported to every board meeting from April, with baselines",
        "status": "not_started",
        "benchmarks": ["outcomes.1", "outcomes.2"],
        "domain_id": "outcomes",
        "measure_about": "children_and_families",
        "baseline": "58%",
        "baseline_on": _parts(date.today() - timedelta(days=30)),
        "target": "80%",
        "target_by": _parts(due),
        "latest": "",
        "latest_on": ["", "", ""],
    }
    data.update(changes)
    return data


def _action(db_session, description: str, round_id: int, board_id: int, due: date, status: str = "on_track", benchmarks=("outcomes.1",)) -> Action:
    action = Action(
        board_id=board_id, round_id=round_id, description=description, owner_agency="police", lead_person="Gareth Morgan",
        due_date=due, success_measure="Fewer repeat referrals within 12 months", status=status,
    )
    action.benchmarks = [ActionBenchmark(benchmark_id=b) for b in benchmarks]
    db_session.add(action)
    db_session.commit()
    return action


def test_business_manager_adds_a_smart_action(client, login, build_round):
    built = build_round([Respondent("police", default="requires_improvement")])
    login(built.manager)
    path = f"/rounds/{built.round.id}/actions/new"
    token = page(client.get(path)).select_one("input[name=csrf_token]")["value"]
    due = date.today() + timedelta(days=90)
    response = client.post(path, data=_valid_action(token, due))
    assert response.status_code == 302
    action = db.session.scalar(select(Action))
    assert (action.description, action.owner_agency, action.due_date, action.status, action.domain_id) == (
        "Agree three outcome measures with every statutory partner", "local_authority", due, "not_started", "outcomes",
    )
    assert action.benchmark_ids == ["outcomes.1", "outcomes.2"]
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.object_type == "action"))
    assert event.action == "action_created"
    # The audit trail keeps every field, the measure too, dates as ISO text.
    assert {key: event.detail[key] for key in ("benchmarks", "domain", "owner_agency", "baseline", "baseline_on", "target", "target_by", "latest")} == {
        "benchmarks": ["outcomes.1", "outcomes.2"],
        "domain": "outcomes",
        "owner_agency": "local_authority",
        "baseline": "58%",
        "baseline_on": (date.today() - timedelta(days=30)).isoformat(),
        "target": "80%",
        "target_by": due.isoformat(),
        "latest": None,
    }
    soup = page(client.get(f"/rounds/{built.round.id}/actions"))
    card = soup.select_one(f"#action-{action.id}")
    rows = {row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in card.select(".govuk-summary-list__row")}
    assert rows["Lead person"] == "Siân Davies"
    assert rows["Owner agency"] == "Local authority children's services"
    assert rows["Status"] == "Not started"
    assert rows["Benchmarks"] == "1.1 Outcome measures for children 1.2 Performance information with analysis"  # as people refer to them


def test_smart_fields_are_validated_with_govuk_errors(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    path = f"/rounds/{built.round.id}/actions/new"
    token = page(client.get(path)).select_one("input[name=csrf_token]")["value"]
    data = _valid_action(
        token,
        date.today(),
        description="",
        owner_agency="",
        lead_person="",
        due_date=["31", "2", "2027"],
        success_measure="   better   ",
        benchmarks=[],
    )
    soup = page(client.post(path, data=data))
    assert soup.title.get_text().startswith("Error: ")
    assert [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")] == [
        "Enter what will be done",
        "Select the agency that owns the action",
        "Enter the name of the person leading the action",
        "Due date must be a real date, like 31 3 2027",
        "Success measure must be at least 20 characters: say how the board will know the action worked",
        "Select at least one benchmark this action addresses",
    ]
    assert db.session.scalars(select(Action)).all() == []

    soup = page(client.post(path, data=_valid_action(token, date.today())))
    assert [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")] == ["The due date must be in the future"]
    # The summary links to the date's Day box, which can take focus (GOV.UK: link to a date's first box).
    target = soup.select_one(soup.select_one(".govuk-error-summary__list a")["href"])
    assert (target.name, target["name"], target.find_parent("div", class_="govuk-date-input__item").label.get_text(strip=True)) == (
        "input", "due_date", "Day",
    )
    assert soup.select_one("#due_date-date-error").find_parent("fieldset") is not None
    soup = page(client.post(path, data=_valid_action(token, date.today(), due_date=["", "", ""], success_measure="")))
    assert [a.get_text(strip=True) for a in soup.select(".govuk-error-summary__list a")] == [
        "Enter the due date",
        "Enter the success measure: how the board will know the action worked",
    ]


def test_overdue_actions_are_tagged_and_gaps_without_an_action_are_listed(client, login, build_round):
    built = build_round([Respondent("police", default="good", ratings={"outcomes.1": "inadequate", "outcomes.2": "requires_improvement"})])
    late = _action(db.session, "Publish the outcomes framework", built.round.id, built.board.id, date.today() - timedelta(days=3))
    finished = _action(db.session, "Hold a practitioners' event", built.round.id, built.board.id, date.today() - timedelta(days=30), status="done")
    login(built.members[0])
    soup = page(client.get(f"/rounds/{built.round.id}/actions"))
    assert soup.h1.get_text(strip=True) == "Action plan"
    late_card = soup.select_one(f"#action-{late.id}")
    assert late_card["data-overdue"] == "true"
    assert "Overdue" in [tag.get_text(strip=True) for tag in late_card.select(".govuk-tag")]
    assert soup.select_one(f"#action-{finished.id}")["data-overdue"] == "false"
    uncovered = [li["data-benchmark-id"] for li in soup.select("#uncovered-gaps li[data-benchmark-id]")]
    assert uncovered == ["outcomes.2"]
    # Members read the plan but cannot change it.
    assert soup.select_one("a[href$='/actions/new']") is None
    assert client.get(f"/rounds/{built.round.id}/actions/new").status_code == 403
    assert client.get(f"/rounds/{built.round.id}/actions/{late.id}/edit").status_code == 403


def test_inspectors_can_read_the_plan(client, login, build_round, make_user, add_member):
    built = build_round([Respondent("police")])
    _action(db.session, "Audit neglect cases", built.round.id, built.board.id, date.today() + timedelta(days=30))
    inspector = make_user("Huw Inspector")
    add_member(inspector, built.board, "inspector", "other")
    login(inspector)
    soup = page(client.get(f"/rounds/{built.round.id}/actions"))
    assert "Audit neglect cases" in soup.select_one(".govuk-summary-card").get_text()


def test_editing_an_action_detects_a_change_made_meanwhile(build_round, open_twice):
    built = build_round([Respondent("police")])
    action = _action(db.session, "Audit neglect cases", built.round.id, built.board.id, date.today() + timedelta(days=30))
    path = f"/rounds/{built.round.id}/actions/{action.id}/edit"
    editors = open_twice(built, path)
    client, other, mine, theirs = editors.mine, editors.theirs, editors.my_form, editors.their_form
    theirs["status"] = "at_risk"
    assert other.post(path, data=theirs).status_code == 302
    mine["status"] = "done"
    mine["lead_person"] = "Someone New"
    soup = page(client.post(path, data=mine))
    assert soup.select_one("#conflict h2").get_text(strip=True) == "Someone else changed this action at the same time"
    assert "Status: At risk" in soup.select_one("#conflict").get_text(" ", strip=True)
    assert soup.select_one("input[name=lead_person]")["value"] == "Someone New"
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == "at_risk"
    assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "action_conflict"))["lead_person"] == "Someone New"
    assert client.post(path, data=form_values(soup)).status_code == 302
    db.session.expire_all()
    assert db.session.get(Action, action.id).status == "done"


def test_open_actions_are_carried_into_a_newer_round_once(client, login, build_round):
    old = build_round([Respondent("police")], title="Self-assessment 2025")
    open_action = _action(db.session, "Audit neglect cases", old.round.id, old.board.id, date.today() + timedelta(days=30), benchmarks=("capacity.1",))
    _action(db.session, "Finished work", old.round.id, old.board.id, date.today(), status="done")
    new = build_round([Respondent("police")], board=old.board, manager=old.manager, title="Self-assessment 2026")
    login(old.manager)
    soup = page(client.get(f"/rounds/{old.round.id}/actions"))
    choices = [label.get_text(strip=True) for label in soup.select("form[action$='/actions/carry'] .govuk-radios__label")]
    assert choices == ["Self-assessment 2026"]
    data = form_values(soup, "form[action$='/actions/carry']")
    soup = page(client.post(f"/rounds/{old.round.id}/actions/carry", data=data, follow_redirects=True))
    assert "1 open action was carried into ‘Self-assessment 2026’." in soup.select_one(".govuk-notification-banner").get_text(" ", strip=True)
    carried = db.session.scalars(select(Action).where(Action.round_id == new.round.id)).all()
    assert [(a.description, a.carried_from_id, a.benchmark_ids) for a in carried] == [("Audit neglect cases", open_action.id, ["capacity.1"])]
    soup = page(client.post(f"/rounds/{old.round.id}/actions/carry", data=data, follow_redirects=True))
    assert "no open actions left" in soup.select_one(".govuk-notification-banner").get_text()
    assert len(db.session.scalars(select(Action).where(Action.round_id == new.round.id)).all()) == 1
    assert db.session.scalar(select(AuditEvent.detail).where(AuditEvent.action == "actions_carried"))["copied"] == 1


def test_gaps_use_agreed_ratings_once_moderated(client, login, build_round):
    built = build_round([Respondent("police", default="good")])
    agree_all(built, "good")
    from app.data.models import AgreedRating

    db.session.execute(AgreedRating.__table__.update().where(AgreedRating.benchmark_id == "strategy.3").values(rating="inadequate"))
    built.round.status = "moderated"
    db.session.commit()
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/actions"))
    assert [li["data-benchmark-id"] for li in soup.select("#uncovered-gaps li[data-benchmark-id]")] == ["strategy.3"]
    assert [li["data-domain-id"] for li in soup.select("#uncovered-gaps li[data-domain-id]")] == ["strategy"]
    assert "the board’s agreed ratings" in soup.select_one("main p.govuk-body").get_text()


def test_a_new_action_needs_its_measure_as_baseline_and_target(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    path = f"/rounds/{built.round.id}/actions/new"
    token = page(client.get(path)).select_one("input[name=csrf_token]")["value"]
    due = date.today() + timedelta(days=200)
    empty = {"measure_about": "", "baseline": "", "baseline_on": ["", "", ""], "target": " ", "target_by": ["", "", ""]}
    soup = page(client.post(path, data=_valid_action(token, due, **empty)))
    assert _errors(soup) == [
        "Select whether the measure is about children and families or the board’s process",
        "Enter the baseline: where the measure stands now",
        "Enter the date of the baseline",
        "Enter the target: where the measure should be",
        "Enter the date the target is checked by",
    ]
    # Each error names its field on the page too.
    assert soup.select_one("#baseline-error").get_text(strip=True).endswith("Enter the baseline: where the measure stands now")
    assert db.session.scalars(select(Action)).all() == []

    soup = page(client.post(path, data=_valid_action(
        token, due, baseline_on=_parts(date.today() + timedelta(days=1)), target_by=_parts(date.today()), latest="60%",
    )))
    assert _errors(soup) == [
        "The date of the baseline must be today or in the past",
        "The date the target is checked by must be on or after the date of the baseline",
        "Enter the date of the latest reading",
    ]
    soup = page(client.post(path, data=_valid_action(
        token, due, latest_on=_parts(date.today() - timedelta(days=60)), baseline_on=["31", "2", "2026"], target="x" * 201,
    )))
    assert _errors(soup) == [
        "Date of the baseline must be a real date, like 31 3 2026",
        "Target must be 200 characters or fewer",
        "Enter the latest reading",
    ]
    soup = page(client.post(path, data=_valid_action(token, due, latest="61%", latest_on=_parts(date.today() - timedelta(days=60)))))
    assert _errors(soup) == ["The date of the latest reading must be on or after the date of the baseline"]
    # An optional date typed in part (the day left out) is an error, not silently dropped.
    soup = page(client.post(path, data=_valid_action(token, due, latest_on=["", "9", "2026"])))
    assert _errors(soup) == ["Date of the latest reading must be a real date, like 30 9 2026"]
    assert db.session.scalars(select(Action)).all() == []


def test_the_plan_shows_progress_from_baseline_to_target(client, login, build_round):
    built = build_round([Respondent("police")])
    login(built.manager)
    path = f"/rounds/{built.round.id}/actions/new"
    token = page(client.get(path)).select_one("input[name=csrf_token]")["value"]
    due = date(2099, 3, 31)
    data = _valid_action(token, due, baseline_on=["2", "3", "2026"], latest="64%", latest_on=_parts(date.today()), measure_about="board_process")
    assert client.post(path, data=data).status_code == 302
    action = db.session.scalar(select(Action))
    assert (action.measure_about, action.baseline, action.baseline_on, action.target, action.target_by, action.latest) == (
        "board_process", "58%", date(2026, 3, 2), "80%", due, "64%",
    )
    soup = page(client.get(f"/rounds/{built.round.id}/actions"))
    card = soup.select_one(f"#action-{action.id}")
    progress = card.select_one("[data-measure]").get_text(" ", strip=True)
    assert progress.startswith("58% on 2 March 2026 → 64% on ") and progress.endswith("→ 80% by 31 March 2099")
    assert card.select_one("[data-measure-about]").get_text(strip=True) == "About: The board’s own process"
    assert card.select_one("[data-progress]") is None

    # The target date passes with the latest reading below the target.
    action.target_by = date.today() - timedelta(days=1)
    db.session.commit()
    card = page(client.get(f"/rounds/{built.round.id}/actions")).select_one(f"#action-{action.id}")
    assert card.select_one("[data-progress=missed]").get_text(strip=True) == "Target date passed without the target met"
    # Words, not numbers: the page cannot tell, and says so.
    action.latest, action.target = "most audits", "all audits"
    db.session.commit()
    card = page(client.get(f"/rounds/{built.round.id}/actions")).select_one(f"#action-{action.id}")
    assert card.select_one("[data-progress=check]").get_text(strip=True) == "Target date passed: compare the latest reading with the target"


def test_an_old_action_without_a_measure_keeps_working_and_can_be_given_one(client, login, build_round):
    built = build_round([Respondent("police")])
    action = _action(db.session, "Audit neglect cases", built.round.id, built.board.id, date.today() + timedelta(days=30))
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/actions"))
    card = soup.select_one(f"#action-{action.id}")
    assert _rows(card)["Progress: baseline, latest, target"].startswith("No measure yet – add a baseline and target")
    edit = card.select_one("a[href$='#measure']")["href"]
    path = f"/rounds/{built.round.id}/actions/{action.id}/edit"
    assert edit.startswith(path)
    values = form_values(page(client.get(path)))
    values["status"] = "at_risk"
    assert client.post(path, data=values).status_code == 302  # no measure needed to keep working
    values = form_values(page(client.get(path)))
    values["baseline"] = "12 of 20"
    soup = page(client.post(path, data=values))
    assert "Enter the target: where the measure should be" in _errors(soup)
    db.session.expire_all()
    assert db.session.get(Action, action.id).baseline is None


def test_a_carried_action_keeps_its_baseline_and_says_where_it_came_from(client, login, build_round):
    old = build_round([Respondent("police")], title="Self-assessment 2025")
    source = _action(db.session, "Audit neglect cases", old.round.id, old.board.id, date.today() + timedelta(days=30), benchmarks=("capacity.1",))
    source.measure_about, source.baseline, source.baseline_on = "children_and_families", "58%", date(2025, 3, 1)
    source.target, source.target_by, source.latest, source.latest_on = "80%", date(2027, 3, 31), "66%", date(2025, 9, 1)
    db.session.commit()
    new = build_round([Respondent("police")], board=old.board, manager=old.manager, title="Self-assessment 2026")
    login(old.manager)
    data = form_values(page(client.get(f"/rounds/{old.round.id}/actions")), "form[action$='/actions/carry']")
    soup = page(client.post(f"/rounds/{old.round.id}/actions/carry", data=data, follow_redirects=True))
    carried = db.session.scalar(select(Action).where(Action.round_id == new.round.id))
    assert (carried.baseline, carried.baseline_on, carried.target, carried.latest) == ("58%", date(2025, 3, 1), "80%", "66%")
    card = soup.select_one(f"#action-{carried.id}")
    assert card.select_one("[data-measure]").get_text(" ", strip=True) == "58% on 1 March 2025 → 66% on 1 September 2025 → 80% by 31 March 2027"
    assert card.select_one("[data-baseline-from]").get_text(strip=True) == "Baseline kept from the action in ‘Self-assessment 2025’."
    assert _rows(card)["Carried forward"] == "From ‘Self-assessment 2025’ ( see the action there )"
    assert card.select_one(f"a[href$='/rounds/{old.round.id}/actions#action-{source.id}']") is not None
