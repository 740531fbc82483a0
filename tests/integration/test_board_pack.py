"""The board pack: one workbook (or CSV files in a zip) a business manager takes to a board meeting.

Read back with openpyxl and the csv module, each sheet's rows are checked
against the database, and its sheets and columns against docs/board-pack.md.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.report_content import rating_label
from app.data.models import Action, AgreedRating, Answer, EvidenceItem, Response
from app.data.moderation import round_picture
from app.extensions import db
from app.reports.board_pack import SHEETS
from tests.factories import page
from tests.integration.report_round import DONE_ACTION, EVIDENCE_TITLE, OUTCOMES_RATIONALE, OVERDUE_ACTION

DOC = Path(__file__).resolve().parents[2] / "docs" / "board-pack.md"


def _workbook(client, round_id: int):
    response = client.get(f"/rounds/{round_id}/board-pack.xlsx")
    assert response.status_code == 200, response.status_code
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "board-pack.xlsx" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data))


def _rows(sheet) -> list[dict]:
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_every_sheet_and_column_is_the_one_the_docs_name():
    text = DOC.read_text(encoding="utf-8")
    documented = dict(re.findall(r"^### \d+\. (.+?)\n\n(?:.*\n)*?Columns: (.+)$", text, flags=re.MULTILINE))
    assert list(documented) == [name for name, _columns in SHEETS]
    for name, columns in SHEETS:
        assert [c.strip().strip("`") for c in documented[name].split(", ")] == list(columns), name


def test_the_board_pack_holds_the_round_as_the_database_has_it(client, login, known_round):
    round_id = known_round.round.id
    framework = known_round.built.framework
    login(known_round.manager)
    workbook = _workbook(client, round_id)

    assert workbook.sheetnames == [name for name, _columns in SHEETS]
    for name, columns in SHEETS:
        sheet = workbook[name]
        assert tuple(cell.value for cell in sheet[1]) == columns, name
        assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref, name

    answers = db.session.scalar(select(func.count()).select_from(Answer).join(Response).where(Response.round_id == round_id))
    assert len(_rows(workbook["Answers"])) == answers

    agreed = {row["Benchmark id"]: row for row in _rows(workbook["Agreed ratings"])}
    assert list(agreed) == [b.id for b in framework.benchmarks]
    assert agreed["outcomes.5"]["Ref"] == "1.5"
    for rating in db.session.scalars(select(AgreedRating).where(AgreedRating.round_id == round_id)):
        row = agreed[rating.benchmark_id]
        assert row["Agreed rating"] == rating_label(framework, rating.rating)
        assert (row["Rationale"] or "") == rating.rationale
    assert agreed["outcomes.1"]["Rationale"] == OUTCOMES_RATIONALE and agreed["outcomes.1"]["Levels below target"] == 2
    assert EVIDENCE_TITLE in agreed["strategy.2"]["Evidence cited"]

    picture = round_picture(known_round.round, "en")
    score = picture.score()
    judgements = _rows(workbook["Judgements"])
    assert [row["Domain"] for row in judgements] == [d.title.en for d in framework.domains] + ["Overall"]
    assert [row["Judgement"] for row in judgements] == [rating_label(framework, d.judgement) for d in score.domains] + [
        rating_label(framework, score.judgement)
    ]

    flags = _rows(workbook["Flags"])
    assert len(flags) == len(picture.flags) > 0
    statuses = [row["Status"] for row in flags]
    assert statuses == sorted(statuses, key=lambda status: status != "Open")  # open ones first

    actions = _rows(workbook["Actions"])
    in_db = set(db.session.scalars(select(Action.description).where(Action.round_id == round_id)))
    assert {row["Action"] for row in actions} == in_db == {OVERDUE_ACTION, DONE_ACTION}
    assert {row["Action"]: row["Overdue"] for row in actions}[OVERDUE_ACTION] == "Yes"

    register = _rows(workbook["Evidence register"])
    assert sorted(row["Title"] for row in register) == sorted(
        db.session.scalars(select(EvidenceItem.title).where(EvidenceItem.board_id == known_round.board.id))
    )


def test_text_that_would_run_as_a_formula_is_kept_as_text(client, login, known_round):
    known_round.evidence.title = '=HYPERLINK("http://example.invalid","Click")'
    db.session.commit()
    login(known_round.manager)
    workbook = _workbook(client, known_round.round.id)
    cells = [cell for row in workbook["Evidence register"].iter_rows() for cell in row if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert cells and all(cell.value.startswith("'") and cell.data_type == "s" for cell in cells)


def test_the_zip_has_the_same_tables_as_csv_files(client, login, known_round):
    round_id = known_round.round.id
    login(known_round.manager)
    workbook = _workbook(client, round_id)
    response = client.get(f"/rounds/{round_id}/board-pack.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.namelist() == [f"{n:02d} {name.lower()}.csv" for n, (name, _columns) in enumerate(SHEETS, start=1)]
    for filename, (name, columns) in zip(archive.namelist(), SHEETS, strict=True):
        raw = archive.read(filename)
        assert raw.startswith(b"\xef\xbb\xbf"), filename  # a byte order mark, so spreadsheets read Welsh letters
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert tuple(rows[0]) == columns
        assert len(rows) - 1 == workbook[name].max_row - 1, filename


def test_only_the_business_manager_gets_the_board_pack(app, client, login, known_round):
    round_id = known_round.round.id
    for person in (known_round.inspector, known_round.built.members[0]):
        other = login(person, test_client=app.test_client())
        for suffix in ("xlsx", "zip"):
            assert other.get(f"/rounds/{round_id}/board-pack.{suffix}").status_code in (403, 404), (person.name, suffix)
    login(known_round.manager)
    links = [a["href"] for a in page(client.get(f"/rounds/{round_id}")).select("a[href*='board-pack']")]
    assert links == [f"/rounds/{round_id}/board-pack.xlsx", f"/rounds/{round_id}/board-pack.zip"]
