"""Importing an overall judgement from a findings file: a file with only the date and an overall judgement is complete; broken ones say row and field."""

from __future__ import annotations

import io
from pathlib import Path

from sqlalchemy import func, select

from app.data.models import AuditEvent, Finding, Inspection
from app.extensions import db
from tests.factories import csrf_token, page
from tests.integration.govuk import banner, errors

FILES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"
REASONS = ["Reports to the board count activity, not outcomes for children.", "Partners are not held to account for actions agreed at the board."]


def _upload(client, round_id: int, name: str, content: bytes | None = None):
    url = f"/rounds/{round_id}/inspection/import"
    form = page(client.get(url))
    data = {
        "csrf_token": form.select_one("input[name=csrf_token]")["value"],
        "seen": form.select_one("input[name=seen]")["value"],
        "findings_file": (io.BytesIO(content if content is not None else (FILES / name).read_bytes()), name),
    }
    return client.post(url, data=data, content_type="multipart/form-data")


def _overall_shown(soup) -> tuple[str, list[str]]:
    level = soup.select_one("#overall-judgement .govuk-summary-list__row dd").get_text(strip=True)
    return level, [li.get_text(strip=True) for li in soup.select("#overall-reasons-list li")]


def test_a_csv_file_with_only_an_overall_judgement_is_imported_and_can_be_published(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    response = _upload(client, setup.round.id, "overall_only.csv")
    assert response.status_code == 302
    soup = page(client.get(response.headers["Location"]))
    assert "The findings in ‘overall_only.csv’ were imported" in banner(soup)
    assert _overall_shown(soup) == ("Requires improvement", REASONS)
    assert soup.select_one("#missing") is None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "findings_imported"))
    assert (event.detail["overall"], event.detail["domains"], event.detail["benchmarks"]) == (2, 0, 0)

    stamp = soup.select_one("input[name=seen]")["value"]
    response = client.post(f"/rounds/{setup.round.id}/inspection/publish", data={"csrf_token": csrf_token(client, "/"), "seen": stamp})
    assert "The findings are published" in banner(page(client.get(response.headers["Location"])))


def test_the_json_file_with_only_an_overall_judgement_gives_the_same(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    assert _upload(client, setup.round.id, "overall_only.json").status_code == 302
    stored = dict(db.session.execute(select(Finding.subject_id, Finding.level)).all())
    assert stored == {"overall": "requires_improvement", "overall_reasons": None}
    assert db.session.scalar(select(Finding.text).where(Finding.subject_id == "overall_reasons")) == "\n".join(REASONS)


def _refused(client, setup, name: str, content: bytes | None = None) -> list[str]:
    soup = page(_upload(client, setup.round.id, name, content))
    assert soup.select_one("title").get_text().startswith("Error: ")
    assert db.session.scalar(select(func.count()).select_from(Finding)) == 0
    assert db.session.scalar(select(func.count()).select_from(Inspection)) == 0
    return errors(soup)


def test_a_broken_overall_csv_says_each_row_and_field(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    assert _refused(client, setup, "bad_overall.csv") == [
        "Row 3, subject: leave this empty on a ‘overall’ row",
        "Row 3, judgement: ‘excelent’ is not a level on the scale (inadequate, requires_improvement, good, outstanding)",
        "Row 3, text: enter the summary of the overall judgement",
        "Row 4, kind: there is already an ‘overall’ row (Row 3); give the overall judgement once",
        "Row 5, judgement: leave this empty on a ‘reason’ row",
        "Row 5, text: enter the reason",
    ]


def test_reasons_without_an_overall_judgement_are_refused(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    assert _refused(client, setup, "reasons_without_overall.csv") == [
        "Row 4, kind: reasons need a row of kind ‘overall’ with the overall judgement and its summary",
    ]


def test_a_broken_overall_json_says_each_key(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    assert _refused(client, setup, "bad_overall.json") == [
        "The overall judgement, judgment: unknown key (the keys are judgement, summary, reasons)",
        "The overall judgement, judgement: enter the judgement (inadequate, requires_improvement, good, outstanding)",
        "The overall judgement, summary: enter the summary of the overall judgement",
        "The overall judgement, reasons: must be a list of reasons, each in double quotes",
    ]
    assert _refused(client, setup, "not_an_object.json", b'{"inspected_on": "2026-03-14", "overall": ["good"]}') == [
        "The overall judgement: must be an object, in { }",
    ]


def test_reasons_longer_than_one_text_are_refused(client, app, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    limit = app.config["SAIT_EVIDENCE_MAX_CHARS"]
    half = "x" * (limit // 2 + 1)
    content = f'kind,judgement,text,date\ninspection,,,2026-03-14\noverall,good,"Summary.",\nreason,,{half},\nreason,,{half},\n'.encode()
    problems = _refused(client, setup, "long.csv", content)
    assert problems == [f"Row 4, text: the reasons together must be {limit:,} characters or fewer (they have {2 * len(half) + 1:,})"]


def test_the_welsh_import_page_words_the_problems_in_welsh(client, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    assert client.get("/language/cy").status_code == 302
    soup = page(_upload(client, setup.round.id, "reasons_without_overall.csv"))
    assert errors(soup) == ["Rhes 4, kind: mae rhesymau angen rhes o’r math ‘overall’ gyda’r dyfarniad cyffredinol a’i grynodeb"]
