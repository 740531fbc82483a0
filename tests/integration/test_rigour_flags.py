"""The 2026.2 rigour flags on the flags page: evidence about the benchmark, its age, its agencies, reuse, and the board's own actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.data.models import Action, ActionBenchmark, AgreedRating, EvidenceItem, EvidenceSubject
from app.extensions import db
from tests.factories import page
from tests.integration.round_builder import Respondent

REUSED = "See the annual report."


def _item(board_id: int, title: str, agency: str, when: date, subjects: list[str]) -> EvidenceItem:
    item = EvidenceItem(board_id=board_id, title=title, source_agency=agency, evidence_date=when, impact="Children were seen sooner", kind="audit")
    item.subjects = [EvidenceSubject(subject_id=subject) for subject in subjects]
    db.session.add(item)
    return item


def _flags(client, built) -> dict[tuple[str, str], str]:
    soup = page(client.get(f"/rounds/{built.round.id}/flags"))
    return {(li["data-flag"], li["data-subject"]): li.select_one("[data-message]").get_text(strip=True) for li in soup.select("li.app-flag")}


def test_the_new_flags_show_on_the_flags_page(client, login, build_round):
    built = build_round(
        [
            Respondent("police", ratings={"outcomes.1": "good"}, evidence={"outcomes.1": REUSED, "outcomes.2": "see the ANNUAL report"}),
            Respondent("health_board", ratings={"outcomes.1": "good"}, evidence={"outcomes.1": "See the annual report"}),
        ]
    )
    board_id = built.board.id
    old = _item(board_id, "Case file audit 2019", "police", date(2019, 6, 1), ["outcomes.1"])
    elsewhere = _item(board_id, "Training figures", "police", date(2026, 1, 1), ["strategy.1"])
    now = datetime.now(UTC)
    rationale = "Members of three agencies described the same improvement in their own audits this year"
    db.session.add(
        AgreedRating(round_id=built.round.id, benchmark_id="outcomes.1", rating="good", rationale=rationale, updated_by_id=built.manager.id, evidence=[old])
    )
    db.session.add(
        AgreedRating(
            round_id=built.round.id, benchmark_id="outcomes.4", rating="good", rationale=rationale, updated_by_id=built.manager.id, evidence=[elsewhere]
        )
    )
    action = Action(
        board_id=board_id,
        round_id=built.round.id,
        description="Audit plans",
        owner_agency="police",
        lead_person="Gareth Morgan",
        due_date=date.today() + timedelta(days=30),
        success_measure="Every plan reviewed",
        status="at_risk",
        created_at=now,
        updated_at=now,
    )
    action.benchmarks = [ActionBenchmark(benchmark_id="outcomes.1")]
    db.session.add(action)
    db.session.commit()

    login(built.manager)
    flags = _flags(client, built)
    assert flags[("stale_evidence", "outcomes.1")].startswith("The newest evidence behind the agreed rating covers up to 1 June 2019")
    # outcomes.1 names the partners it expects: those the cited evidence does not come from are named, in the page's words.
    expected = "it expects evidence from Local authority children's services, Local health board, and Education too"
    assert flags[("single_agency", "outcomes.1")].endswith(f"cites evidence from fewer than two agencies; {expected}")
    assert flags[("reused_evidence", "outcomes.1")] == "The same evidence text is given in 3 answers across the round"
    assert ("reused_evidence", "outcomes.2") in flags
    assert flags[("actions_at_risk", "outcomes.1")] == "The agreed rating is Good but 1 of the board’s actions for this benchmark is at risk or overdue"
    # An item about another benchmark is cited for outcomes.4: it does not count as evidence for it.
    assert flags[("agreed_unevidenced", "outcomes.4")] == "The agreed rating of Good cites no evidence from the register"

    # Tagging that item with the outcomes domain makes it count.
    elsewhere.subjects = [EvidenceSubject(subject_id="outcomes")]
    db.session.commit()
    assert ("agreed_unevidenced", "outcomes.4") not in _flags(client, built)


def test_a_member_citing_only_an_item_about_another_benchmark_has_given_no_evidence(client, login, build_round):
    from sqlalchemy import insert, select

    from app.data.models import Answer, Response, answer_evidence

    built = build_round([Respondent("police", name="Gareth Morgan", ratings={"outcomes.1": "good"}, evidence={"outcomes.1": ""})])
    elsewhere = _item(built.board.id, "Training figures", "police", date(2026, 1, 1), ["strategy.1"])
    db.session.commit()
    answer = db.session.scalar(select(Answer.id).join(Response, Response.id == Answer.response_id).where(Answer.benchmark_id == "outcomes.1"))
    db.session.execute(insert(answer_evidence), [{"answer_id": answer, "evidence_item_id": elsewhere.id}])
    db.session.commit()
    login(built.manager)
    assert _flags(client, built)[("unevidenced", "outcomes.1")] == "1 member rated it Good or above without evidence"

    # Tagged with the outcomes domain, the same citation counts.
    elsewhere.subjects = [EvidenceSubject(subject_id="outcomes")]
    db.session.commit()
    assert ("unevidenced", "outcomes.1") not in _flags(client, built)
