"""The inspection and report areas in Welsh: the PDF report (from the app and the command line), the
comparison and findings pages, the national overview, the import's problems and the charts.

Each test chooses Cymraeg with the header link (/language/cy), as a person would, and reads what a
Welsh-speaking business manager or inspector sees. The report's PDF is read back as text, so the
Welsh letters ŵ and ŷ are checked as printed, not as sent.
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
from datetime import date
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from app.core.catalogue import translations
from app.data.framework_store import current_framework
from app.extensions import db
from tests.factories import page
from tests.integration.inspection_helpers import all_domains, record_findings

# A board name with both letters the fonts must carry, and a dash, exactly as it must come back.
WELSH_BOARD = "Bwrdd Diogelu Plant Gŵyr a Dyffryn Tywi — ŷd"
WELSH_EVIDENCE = "Archwiliad amlasiantaethol o achosion esgeulustod yn Nhŷ Ddewi"
FILES = Path(__file__).resolve().parents[1] / "fixtures" / "findings"


def welsh(client):
    """Choose Cymraeg with the header's language link, as a person would."""
    assert client.get("/language/cy").status_code == 302
    return client


def pdf_text(data: bytes) -> list[str]:
    """Each page's text, runs of white space made single spaces."""
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


def heading(soup) -> str:
    return soup.h1.get_text(" ", strip=True)


@pytest.fixture
def framework(app):
    return current_framework()


@pytest.fixture
def welsh_round(known_round):
    """The known round, its board and a cited piece of evidence named in Welsh, and published findings."""
    known_round.board.name = WELSH_BOARD
    known_round.evidence.title = WELSH_EVIDENCE
    framework = known_round.built.framework
    record_findings(
        known_round.round,
        known_round.inspector,
        {**all_domains(framework, "requires_improvement"), "governance.3": "inadequate"},
        recommendations=[("Cytuno ar fesurau canlyniadau gyda phob partner", "immediate", ("outcomes",))],
    )
    db.session.commit()
    return known_round


def _assert_welsh_report(pages: list[str], framework) -> None:
    """The wording of a Welsh report: headings, running header and footer, labels, and the Welsh letters intact."""
    text = " ".join(pages)
    cover = pages[0]
    assert WELSH_BOARD in cover, cover
    assert "ADRODDIAD HUNANWERTHUSO" in cover  # the stylesheet sets it in capitals
    assert "Statws" in cover and "Lefel darged" in cover and "Tudalen 1" not in cover
    total = len(pages)
    for number, page_text in enumerate(pages[1:], start=2):
        assert f"Tudalen {number} o {total}" in page_text, page_text[-200:]
        assert "Adroddiad hunanwerthuso" in page_text
    for words in (
        "Cynnwys",
        "Crynodeb gweithredol",
        "Dadansoddiad o fylchau fesul parth",
        "Pwy gymerodd ran",
        "Cymhariaeth â’r arolygiad",
        "Atodiad A: Tystiolaeth a ddyfynnwyd",
        "Atodiad C: Baneri trylwyredd yn llawn",
        # outcomes.1, a key benchmark, is Inadequate: outcomes is below Good, which caps the overall judgement (2026.2).
        "Dyfarniad cyffredinol dros dro y bwrdd yw Angen gwella",
        "Angen gwella",
        "Rhagorol",
        framework.domain("outcomes").title.cy,
    ):
        assert words in text, words
    assert f"E1 {WELSH_EVIDENCE}" in text
    # None of the English wording the template used to carry is left.
    for english in ("Executive summary", "Page 2 of", "Self-evaluation report", "Who took part", "Appendix A"):
        assert english not in text, english


def test_the_pdf_report_is_in_the_language_the_business_manager_reads_in(client, login, welsh_round):
    framework = welsh_round.built.framework
    path = f"/rounds/{welsh_round.round.id}/report.pdf"
    welsh(login(welsh_round.manager))
    # The round page's link gives no language: the report follows the page's.
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    pages = pdf_text(response.data)
    _assert_welsh_report(pages, framework)
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.trailer["/Root"]["/Lang"] == "cy"
    assert reader.metadata.title == f"Adroddiad hunanwerthuso: {WELSH_BOARD}, {welsh_round.round.title}"
    # The same report asked for in English is another document (and another cached PDF).
    english = client.get(path + "?lang=en")
    assert english.headers["ETag"] != response.headers["ETag"]
    assert "Executive summary" in " ".join(pdf_text(english.data))


COVER_LABELS = ("Status", "Opened", "Deadline", "Framework", "Target level", "Ratings used", "Responses", "Report produced")


def test_each_label_on_the_welsh_cover_has_its_value_beside_it(client, login, welsh_round):
    """Welsh labels are longer and some wrap: each must still have its own value on its first line, in order."""
    welsh(login(welsh_round.manager))
    data = client.get(f"/rounds/{welsh_round.round.id}/report.pdf").data
    labels = [translations("cy").gettext(label) for label in COVER_LABELS]
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        words = pdf.pages[0].extract_words()
    left = min(word["x0"] for word in words)
    label_words = [word for word in words if abs(word["x0"] - left) < 1]
    tops: list[float] = []
    for label in labels:
        first = label.split()[0]
        found = [word for word in label_words if word["text"] == first and word["top"] > (tops[-1] + 1 if tops else 0)]
        assert found, f"{label!r} is not on the cover"
        tops.append(found[0]["top"])
    # The values' column starts where the first value does, right of the labels.
    value_left = min(word["x0"] for word in words if word["x0"] > left + 40 and abs(word["top"] - tops[0]) < 2)
    for label, top in zip(labels, tops, strict=True):
        beside = [word["text"] for word in words if abs(word["x0"] - value_left) < 1 and abs(word["top"] - top) < 2]
        assert beside, f"{label!r} has no value beside it"
    # The last label is the report's date, and its value is the date itself.
    assert any(word["text"] == str(date.today().year) and abs(word["top"] - tops[-1]) < 2 for word in words)


def test_the_command_line_writes_the_welsh_report(runner, welsh_round, tmp_path):
    target = tmp_path / "adroddiad.pdf"
    result = runner.invoke(args=["sait", "report", str(welsh_round.round.id), "-o", str(target), "--lang", "cy"])
    assert result.exit_code == 0, result.output
    _assert_welsh_report(pdf_text(target.read_bytes()), welsh_round.built.framework)


def test_the_welsh_preview_and_its_chart_are_welsh_too(client, login, welsh_round):
    welsh(login(welsh_round.manager))
    soup = page(client.get(f"/rounds/{welsh_round.round.id}/report"))
    assert soup.html["lang"] == "cy"
    assert soup.select_one(".toolbar a[download]").get_text(strip=True) == "Lawrlwytho’r PDF"
    assert soup.select_one("#summary-heading").get_text(strip=True) == "Crynodeb gweithredol"
    svg = base64.b64decode(soup.select_one("#chart img")["src"].split(",", 1)[1]).decode()
    assert ">Canolrifau’r aelodau<" in svg and ">Graddau cytûn<" in svg and ">Targed<" in svg
    inspection = soup.select_one("#inspection").get_text(" ", strip=True)
    assert "Ar unwaith: Cytuno ar fesurau canlyniadau" in inspection
    rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("#inspection-domains tbody tr")}
    governance = welsh_round.built.framework.domain("governance").title.cy
    assert rows[governance] == ["Da", "Angen gwella", "Y bwrdd 1 lefel yn uwch"]
    # No inline style in the preview: its page's CSP would refuse it.
    assert soup.select_one("style") is None
    # The answers are data for spreadsheets: their columns and agency names stay in English.
    answers = client.get(f"/rounds/{welsh_round.round.id}/answers.csv").get_data().decode("utf-8-sig")
    assert answers.startswith("Agency,Respondent,Domain,") and "\r\nPolice,Gareth Morgan," in answers


def test_the_comparison_page_in_welsh(client, login, inspected_round, framework):
    setup = inspected_round
    record_findings(setup.round, setup.inspector, {**all_domains(framework, "requires_improvement"), "outcomes.1": "inadequate"})
    welsh(login(setup.manager))
    soup = page(client.get(f"/rounds/{setup.round.id}/comparison"))
    assert soup.html["lang"] == "cy"
    assert heading(soup) == "Hunanasesu o’i gymharu ag arolygu"
    headers = [th.get_text(strip=True) for th in soup.select("#domain-comparison thead th")]
    assert headers == [
        "Parth",
        "Dyfarniad o ganolrifau’r aelodau",
        "Dyfarniad o’r graddau cytûn",
        "Dyfarniad yr arolygwyr",
        "Gwahaniaeth (hunanasesiad llai’r arolygiad)",
        "Gor-optimistiaeth",
    ]
    outcomes = soup.select_one("#domain-comparison tr[data-domain-id=outcomes]")
    assert outcomes.th.get_text(strip=True) == framework.domain("outcomes").title.cy
    assert "Angen gwella" in outcomes.get_text()
    assert soup.select_one("#challenges").get_text(strip=True) == "Her ac ymateb"
    chart = client.get(f"/rounds/{setup.round.id}/comparison/chart.svg").get_data(as_text=True)
    assert "Hunanasesiad" in chart and "Arolygiad" in chart and framework.domain("outcomes").title.cy in chart


def test_the_findings_page_in_welsh(client, login, inspected_round, framework):
    setup = inspected_round
    record_findings(
        setup.round,
        setup.inspector,
        all_domains(framework, "good"),
        recommendations=[("Mesur canlyniadau i blant", "improvement", ())],
    )
    welsh(login(setup.member))
    soup = page(client.get(f"/rounds/{setup.round.id}/inspection"))
    assert soup.html["lang"] == "cy"
    assert heading(soup) == "Canfyddiadau’r arolygiad"
    assert soup.select_one("#domain-judgements caption").get_text(strip=True) == "Dyfarniadau fesul parth"
    summary = soup.select_one("#inspection-summary").get_text(" ", strip=True)
    assert "Dyddiad yr arolygiad" in summary and "14 Mawrth 2026" in summary
    assert soup.select_one("#recommendations").get_text(strip=True) == "Argymhellion"
    recommendation = [td.get_text(" ", strip=True) for td in soup.select("#recommendations-table tbody td")]
    assert recommendation == ["Mesur canlyniadau i blant", "Gwella", "Y bwrdd cyfan"]


def test_an_inspector_works_on_the_findings_in_welsh(client, login, inspected_round, framework):
    setup = inspected_round
    welsh(login(setup.inspector))
    soup = page(client.get(f"/rounds/{setup.round.id}/inspection/judgements"))
    assert heading(soup) == "Dyddiad yr arolygiad a’r dyfarniadau ar y parthau"
    legend = soup.select_one("#domain-outcomes legend").get_text(strip=True)
    assert legend == f"Dyfarniad ar gyfer ‘{framework.domain('outcomes').title.cy}’"
    labels = [label.get_text(strip=True) for label in soup.select("#domain-outcomes .govuk-radios__label")]
    assert labels == ["Rhagorol", "Da", "Angen gwella", "Annigonol"]
    # The import's problems come back in Welsh, row by row; the file's own words stay as typed.
    form = page(client.get(f"/rounds/{setup.round.id}/inspection/import"))
    response = client.post(
        f"/rounds/{setup.round.id}/inspection/import",
        data={
            "csrf_token": form.select_one("input[name=csrf_token]")["value"],
            "seen": form.select_one("input[name=seen]")["value"],
            "findings_file": (io.BytesIO((FILES / "bad_rows.csv").read_bytes()), "bad_rows.csv"),
        },
        content_type="multipart/form-data",
    )
    soup = page(response)
    assert soup.title.get_text().startswith("Gwall:")
    problems = [li.get_text(strip=True) for li in soup.select(".govuk-error-summary__list li")]
    assert "Rhes 4, judgement: nid yw ‘excelent’ yn lefel ar y raddfa (inadequate, requires_improvement, good, outstanding)" in problems
    assert "Rhes 9, subject: mae ‘outcomes’ wedi’i roi eisoes yn Rhes 3" in problems
    assert "Mae 9 problem yn y ffeil" in soup.select_one(".govuk-file-upload").find_parent(class_="govuk-form-group").get_text()


def test_the_national_overview_in_welsh(client, login, inspected_round, framework):
    setup = inspected_round
    record_findings(setup.round, setup.inspector, all_domains(framework, "good"))
    welsh(login(setup.inspector))
    soup = page(client.get("/national-overview"))
    assert soup.html["lang"] == "cy"
    assert heading(soup) == "Trosolwg cenedlaethol"
    headers = [th.get_text(" ", strip=True) for th in soup.select("#boards thead th")]
    assert headers[0].startswith("Bwrdd") and framework.domain("outcomes").title.cy in headers[2]
    assert [th.get_text(strip=True) for th in soup.select("#levels-inspected thead th")] == ["Parth", "Annigonol", "Angen gwella", "Da", "Rhagorol"]
    chart = client.get("/national-overview/chart.svg").get_data(as_text=True)
    assert "Hunanasesiad (cymedr y byrddau)" in chart
    # The CSV is data for spreadsheets: its columns stay in English whatever the page's language.
    assert client.get("/national-overview.csv").get_data(as_text=True).startswith("board,round,inspected_on,")


def without_margins(pages: list[str], board: str, title: str) -> str:
    """The Welsh report's text run together without each page's running header and footer
    ("board · round", "Adroddiad hunanwerthuso", "Lluniwyd ar ...", "Tudalen n o m", the draft mark), wherever the extractor
    puts them, so that a sentence split by a page break reads whole."""
    margins = re.compile(
        rf"{re.escape(board)} · {re.escape(title)}|Adroddiad hunanwerthuso|Lluniwyd ar \d+ \w+ \d{{4}}|Tudalen \d+ o \d+"
        "|Drafft: nid yw’r bwrdd wedi’i gymeradwyo eto"
    )
    return " ".join(margins.sub(" ", " ".join(pages)).split())


def test_the_welsh_report_gives_each_benchmarks_welsh_question_and_the_descriptor_agreed(client, login, welsh_round):
    from sqlalchemy import select

    from app.data.models import AgreedRating

    framework = welsh_round.built.framework
    agreed = db.session.scalars(select(AgreedRating).where(AgreedRating.round_id == welsh_round.round.id)).all()
    welsh(login(welsh_round.manager))

    text = without_margins(pdf_text(client.get(f"/rounds/{welsh_round.round.id}/report.pdf").data), WELSH_BOARD, welsh_round.round.title)

    assert "Atodiad D: Beth mae pob gradd gytûn yn ei olygu" in text
    for benchmark in framework.benchmarks:
        assert " ".join(benchmark.question.cy.split()) in text, benchmark.id
    on_a_level = [a for a in agreed if a.rating in framework.benchmark(a.benchmark_id).descriptors]
    assert on_a_level
    for rating in on_a_level:
        descriptor = framework.benchmark(rating.benchmark_id).descriptors[rating.rating]
        assert " ".join(descriptor.cy.split()) in text, rating.benchmark_id
        assert " ".join(descriptor.en.split()) not in text
    assert WELSH_BOARD in " ".join(pdf_text(client.get(f"/rounds/{welsh_round.round.id}/report.pdf").data))  # ŵ and ŷ come back as printed


def test_the_welsh_report_of_the_demo_round_has_its_welsh_names_questions_and_descriptors(app, runner):
    from sqlalchemy import select

    from app.data.models import AssessmentRound, Board, User
    from app.demo.people import DEMO_BOARD, DEMO_BOARD_CY
    from tests.integration.route_walk import signed_in_client

    assert runner.invoke(args=["sait", "demo"]).exit_code == 0
    board = db.session.scalar(select(Board).where(Board.name == DEMO_BOARD))
    current = db.session.scalars(select(AssessmentRound).where(AssessmentRound.board_id == board.id).order_by(AssessmentRound.created_at.desc())).first()
    client = signed_in_client(app, db.session.scalar(select(User).where(User.email == "manager@demo.example.org")))
    response = welsh(client).get(f"/rounds/{current.id}/report.pdf")

    assert response.status_code == 200
    # Read back with poppler's pdftotext, as a person copying from the PDF would get it.
    printed = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=response.data, capture_output=True, check=True).stdout.decode("utf-8")
    pages = [" ".join(page.split()) for page in printed.split("\f")]
    text = without_margins(pages, DEMO_BOARD_CY, current.title_cy)
    assert DEMO_BOARD_CY in text and current.title_cy in text
    assert DEMO_BOARD not in text  # the Welsh name, not the English one
    framework = current_framework()
    for benchmark in framework.benchmarks:
        assert " ".join(benchmark.question.cy.split()) in text, benchmark.id
    printed = [d.cy for b in framework.benchmarks for d in b.descriptors.values() if " ".join(d.cy.split()) in text]
    assert printed, "no Welsh descriptor in the report"
    assert any(letter in descriptor for descriptor in printed for letter in "ŵŷ")  # and they came back as printed
