"""Where answers and agreed ratings cite the register, each item says whether it counts as evidence for that benchmark."""

from __future__ import annotations

from datetime import date

from app.data.framework_store import current_framework
from app.data.models import EvidenceItem, EvidenceSubject
from app.extensions import db
from tests.factories import page
from tests.integration.questionnaire_helpers import key
from tests.integration.round_builder import Respondent

NOT_ABOUT = "Not tagged as about this benchmark: it will not count as evidence for it"


def _item(board_id: int, title: str, subjects: list[str]) -> EvidenceItem:
    item = EvidenceItem(board_id=board_id, title=title, source_agency="health_board", evidence_date=date(2026, 3, 1), impact="Children were seen sooner")
    item.subjects = [EvidenceSubject(subject_id=subject) for subject in subjects]
    db.session.add(item)
    db.session.commit()
    return item


def _hints(soup, name: str) -> dict[str, str]:
    """Each checkbox's label and its hint ('' when it has none)."""
    shown = {}
    for box in soup.select(f"input[name='{name}']"):
        item = box.find_parent(class_="govuk-checkboxes__item")
        hint = item.select_one(".govuk-checkboxes__hint")
        shown[item.label.get_text(strip=True).split(" (")[0]] = hint.get_text(strip=True) if hint else ""
    return shown


def _register(board_id: int) -> None:
    _item(board_id, "About 1.1", ["outcomes.1"])
    _item(board_id, "About the domain", ["outcomes"])
    _item(board_id, "About 1.2", ["outcomes.2"])
    _item(board_id, "Old item", [])


def test_members_see_which_items_count_for_each_benchmark(client, login, open_round):
    _register(open_round.board.id)
    domain = current_framework().domains[0]
    first, second = domain.benchmarks[0], domain.benchmarks[1]
    login(open_round.member)
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/{domain.id}"))
    assert _hints(soup, f"{key(first.id)}-cites") == {"About 1.1": "", "About the domain": "", "About 1.2": NOT_ABOUT, "Old item": "Not tagged"}
    assert _hints(soup, f"{key(second.id)}-cites") == {"About 1.1": NOT_ABOUT, "About the domain": "", "About 1.2": "", "Old item": "Not tagged"}


def test_the_business_manager_sees_which_items_count_for_an_agreed_rating(client, login, build_round):
    built = build_round([Respondent("police", ratings={"outcomes.1": "good"})])
    _register(built.board.id)
    login(built.manager)
    soup = page(client.get(f"/rounds/{built.round.id}/moderation/outcomes"))
    assert _hints(soup, f"{key('outcomes.1')}-evidence") == {"About 1.1": "", "About the domain": "", "About 1.2": NOT_ABOUT, "Old item": "Not tagged"}
    assert _hints(soup, f"{key('outcomes.2')}-evidence")["About 1.1"] == NOT_ABOUT


def test_the_hints_are_in_welsh(client, login, open_round):
    _register(open_round.board.id)
    domain = current_framework().domains[0]
    login(open_round.member)
    client.get("/language/cy")
    soup = page(client.get(f"/rounds/{open_round.round.id}/respond/{domain.id}"))
    hints = _hints(soup, f"{key(domain.benchmarks[0].id)}-cites")
    assert hints["About 1.2"] == "Heb ei thagio fel un sy’n ymwneud â’r meincnod hwn: ni fydd yn cyfrif fel tystiolaeth ar ei gyfer"
    assert hints["Old item"] == "Heb ei thagio"
