"""The self-evaluation report: what a reader finds where in the PDF and its preview, and who may have it."""

from __future__ import annotations

import base64
import io
import re
from datetime import date

from pypdf import PdfReader

from app.core.report_chart import report_chart_svg
from app.core.report_content import ChartData
from app.data.models import AgreedRating
from app.data.reports import build_report
from app.extensions import db
from tests.factories import page
from tests.integration.inspection_helpers import all_domains, record_findings
from tests.integration.report_round import (
    BOARD_NAME,
    DONE_ACTION,
    EVIDENCE_TITLE,
    OUTCOMES_RATIONALE,
    OVERDUE_ACTION,
    ROUND_TITLE,
    Respondent,
)
from tests.integration.round_builder import counted_queries


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text, with runs of white space made single spaces."""
    return [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]


def page_starting(pages: list[str], heading: str) -> int:
    """The (1-based) number of the first page after the contents whose text starts with ``heading``."""
    for number, text in enumerate(pages, start=1):
        if number > 2 and text.startswith(heading):
            return number
    raise AssertionError(f"no page starts with {heading!r}")


def test_the_pdf_puts_judgements_gaps_actions_and_flags_where_they_belong(client, login, known_round):
    login(known_round.manager)
    response = client.get(f"/rounds/{known_round.round.id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pages = pdf_pages(response.data)
    total = len(pages)

    cover = pages[0]
    assert BOARD_NAME in cover and ROUND_TITLE in cover
    assert "Moderated" in cover and "version 2026.2" in cover
    assert "3 submitted responses; 1 in progress, not counted" in cover
    assert "Page 1" not in cover  # no header or page number on the cover

    # Running header and "Page X of Y" on every other page.
    for number, text in enumerate(pages[1:], start=2):
        assert f"{BOARD_NAME} · {ROUND_TITLE}" in text
        assert f"Page {number} of {total}" in text

    # The contents' page numbers are where the parts really are.
    contents = pages[1]
    for heading in ("Executive summary", "Action plan", "Appendix A: Evidence cited", "Appendix C: Rigour flags in full"):
        listed = int(re.search(re.escape(heading) + r" \.+ (\d+)", contents).group(1))
        assert heading in pages[listed - 1], f"{heading} is not on page {listed}"

    summary = pages[page_starting(pages, "Executive summary") - 1]
    # Three statutory partners did not respond, so the judgement is provisional; the domain below target is named.
    assert "The board’s provisional overall judgement is " in summary
    assert "1 domain is below the target: Improving safeguarding outcomes for children." in summary
    assert "Provisional: the judgement cannot be final while statutory partners have not responded: NHS trust, Probation, Youth offending team." in summary
    assert "4 of 5 domains meet the target." in summary
    assert "Improving safeguarding outcomes for children Requires improvement 1 level below" in summary
    gaps = summary.split("Largest gaps")[1].split("Main strengths")[0]
    assert "1.1 Outcome measures for children: Inadequate, 2 levels below target" in gaps
    strengths = summary.split("Main strengths")[1].split("Rigour")[0]
    # Every rating at target has an open flag (strategy.2, the highest: rated Outstanding without evidence by a member).
    assert "strategy.2" not in strengths and "Every benchmark at or above the target has an open rigour flag" in strengths
    assert "statutory partner missing (3)" in summary and "members disagree (1)" in summary
    assert "2 actions: 1 on track, 1 done. 1 is overdue." in summary

    outcomes = pages[page_starting(pages, "Improving safeguarding outcomes for children") - 1]
    assert "Judgement: Requires improvement, 1 level below the target of Good." in outcomes
    assert "Limiting rule: Good lowered to Requires improvement" in outcomes
    row = outcomes.split("1.1 Outcome measures")[1].split("1.2 Performance")[0]
    assert "Inadequate" in row and "2 levels below" in row
    assert OUTCOMES_RATIONALE in outcomes

    governance = pages[page_starting(pages, "Establishing effective governance") - 1]
    row = governance.split("3.3 Attendance")[1].split("3.4 ")[0]
    assert "3 levels" in row and "Members disagree" in row

    plan = pages[page_starting(pages, "Who took part") - 1 :]
    plan_text = " ".join(plan)
    assert "Statutory partners with no submitted response: NHS trust, Probation, Youth offending team" in plan_text
    overdue = plan_text.split(OVERDUE_ACTION)[1].split(DONE_ACTION)[0]
    assert "OVERDUE" in overdue and "On track" in overdue
    assert "OVERDUE" not in plan_text.split(DONE_ACTION)[1].split("Gaps with no action")[0]

    evidence = pages[page_starting(pages, "Appendix A: Evidence cited") - 1]
    assert f"E1 {EVIDENCE_TITLE}" in evidence and "Cited for: 2.2" in evidence
    flags = " ".join(pages[page_starting(pages, "Appendix C: Rigour flags in full") - 1 :])
    assert "3.3 Members’ ratings are 3 levels apart, from Inadequate to Outstanding" in flags
    assert "2.2 1 member rated it Good or above without evidence" in flags


def test_the_pdf_embeds_fonts_with_welsh_letters_and_is_tagged(client, login, known_round):
    login(known_round.inspector)
    response = client.get(f"/rounds/{known_round.round.id}/report.pdf")
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.data))
    fonts = {}
    for pdf_page in reader.pages:
        for font in pdf_page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    assert fonts and all(fonts.values()), f"fonts not embedded: {fonts}"
    assert all("DejaVu" in name for name in fonts)
    assert "Gŵyr" in reader.pages[0].extract_text() and "Tŷ Hafan" in reader.pages[0].extract_text()
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"] is True or catalog["/MarkInfo"]["/Marked"] == True  # noqa: E712
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en"
    assert reader.metadata.title == f"Self-evaluation report: {BOARD_NAME}, {ROUND_TITLE}"


def test_the_preview_is_the_same_document_in_the_browser(client, login, known_round):
    login(known_round.manager)
    response = client.get(f"/rounds/{known_round.round.id}/report")
    assert response.status_code == 200
    soup = page(response)
    assert soup.html["lang"] == "en"
    assert soup.select_one("link[rel=stylesheet]")["href"] == "/static/report/report.css"
    assert soup.select_one(".toolbar a[download]")["href"] == f"/rounds/{known_round.round.id}/report.pdf?lang=en"
    assert soup.select_one("h1").get_text(strip=True) == BOARD_NAME
    chart = soup.select_one("#chart img")
    assert chart["src"].startswith("data:image/svg+xml;base64,") and "target" in chart["alt"]
    svg = base64.b64decode(chart["src"].split(",", 1)[1]).decode()
    assert "<script" not in svg and 'id="members"' in svg
    row = soup.select_one("#row-governance\\.3")
    cells = [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
    assert cells[0] == "3.3 Attendance and seniority of members"
    assert cells[1].startswith("Good") and cells[2] == "3 levels" and cells[3] == "Good" and cells[5] == "On target"
    assert "Members disagree" in cells[-1]
    overdue = [tr for tr in soup.select("#action-plan tbody tr") if "overdue" in tr.get("class", [])]
    assert [tr.select_one("td").get_text(" ", strip=True).startswith(OVERDUE_ACTION) for tr in overdue] == [True]
    assert soup.select_one("#previous").get_text(" ", strip=True).endswith("nothing to compare with yet.")
    assert soup.select_one("#inspection") is None


def test_a_welsh_report_has_welsh_labels_and_dates(client, login, known_round):
    login(known_round.manager)
    soup = page(client.get(f"/rounds/{known_round.round.id}/report?lang=cy"))
    assert soup.html["lang"] == "cy"
    summary = soup.select_one("#summary-domains").get_text(" ", strip=True)
    assert "Angen gwella" in summary and "Da" in summary
    assert client.get(f"/rounds/{known_round.round.id}/report?lang=fr").status_code == 404


def test_the_command_writes_the_same_report(runner, known_round, tmp_path):
    target = tmp_path / "report.pdf"
    result = runner.invoke(args=["sait", "report", str(known_round.round.id), "-o", str(target), "--lang", "cy"])
    assert result.exit_code == 0, result.output
    assert f"Wrote {target}" in result.output
    pages = pdf_pages(target.read_bytes())
    assert BOARD_NAME in pages[0] and "Rhagorol" in " ".join(pages)
    missing = runner.invoke(args=["sait", "report", "999", "-o", str(tmp_path / "x.pdf")])
    assert missing.exit_code != 0 and "There is no round 999" in missing.output


def test_only_the_business_manager_and_inspectors_get_the_report(app, login, known_round, make_user, make_board, add_member):
    round_id = known_round.round.id
    member = known_round.built.members[0]
    stranger = make_user("Other Manager")
    add_member(stranger, make_board(), "business_manager", "local_authority")
    for person, expected in ((member, 403), (stranger, 404)):
        client = login(person, test_client=app.test_client())
        for path in (f"/rounds/{round_id}/report", f"/rounds/{round_id}/report.pdf"):
            assert client.get(path).status_code == expected, (person.name, path)
    inspector = login(known_round.inspector, test_client=app.test_client())
    assert inspector.get(f"/rounds/{round_id}/report").status_code == 200
    assert app.test_client().get(f"/rounds/{round_id}/report.pdf").status_code == 302


def test_the_round_page_links_to_the_report_and_the_exports(app, login, known_round):
    round_id = known_round.round.id
    seen = {}
    for person in (known_round.manager, known_round.inspector, known_round.built.members[0]):
        client = login(person, test_client=app.test_client())
        soup = page(client.get(f"/rounds/{round_id}"))
        seen[person.name] = sorted(a["href"] for a in soup.select("a[href]") if "/report" in a["href"] or "/answers." in a["href"])
    assert seen[known_round.manager.name] == sorted(
        [
            f"/rounds/{round_id}/report.pdf",
            f"/rounds/{round_id}/report",
            f"/rounds/{round_id}/report/statements",
            f"/rounds/{round_id}/answers.csv",
            f"/rounds/{round_id}/answers.xlsx",
        ]
    )
    assert seen[known_round.inspector.name] == sorted([f"/rounds/{round_id}/report.pdf", f"/rounds/{round_id}/report"])
    assert seen[known_round.built.members[0].name] == []


def test_published_findings_join_the_report_and_drafts_do_not(client, login, known_round):
    framework = known_round.built.framework
    inspection = record_findings(
        known_round.round,
        known_round.inspector,
        {**all_domains(framework, "requires_improvement"), "governance.3": "inadequate"},
        published=False,
        recommendations=[("Agree outcome measures with every partner", "immediate", ("outcomes",))],
    )
    login(known_round.manager)
    path = f"/rounds/{known_round.round.id}/report"
    assert page(client.get(path)).select_one("#inspection") is None
    inspection.status = "published"
    db.session.commit()
    soup = page(client.get(path))
    section = soup.select_one("#inspection").get_text(" ", strip=True)
    assert "Published inspection of 14 March 2026" in section
    assert "Immediate: Agree outcome measures with every partner" in section
    rows = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("#inspection-domains tbody tr")}
    assert rows["Establishing effective governance"] == ["Good", "Requires improvement", "Board 1 level higher"]
    assert rows["Improving safeguarding outcomes for children"] == ["Requires improvement", "Requires improvement", "Same"]
    governance = [td.get_text(strip=True) for td in soup.select_one("#row-governance\\.3").select("td")]
    assert "Inadequate" in governance  # the inspection column
    assert "its judgement is above the inspection’s in 4 domains" in soup.select_one("#summary-inspection").get_text(" ", strip=True)


def test_the_previous_round_is_compared_by_benchmark_id(client, login, build_round, known_round):
    previous = build_round(
        [Respondent("police", ratings={"governance.3": "outstanding"}, default="requires_improvement")],
        board=known_round.board,
        manager=known_round.manager,
        title="Self-assessment 2025",
    )
    previous.round.created_at = known_round.round.created_at.replace(year=2025)
    db.session.commit()
    login(known_round.manager)
    soup = page(client.get(f"/rounds/{known_round.round.id}/report"))
    section = soup.select_one("#previous")
    assert "Compared with ‘Self-assessment 2025’" in section.get_text(" ", strip=True)
    # Then: members' medians (Requires improvement; governance.3 Outstanding). Now: agreed ratings.
    improved = len(known_round.built.framework.benchmarks) - 2
    assert f"{improved} improved, 2 declined, 0 did not change" in section.get_text(" ", strip=True)
    changes = {tr.th.get_text(" ", strip=True): tr.select("td")[-1].get_text(strip=True) for tr in section.select("#previous-benchmarks tbody tr")}
    assert changes["1.1 Outcome measures for children"] == "↓ Declined"
    assert changes["3.3 Attendance and seniority of members"] == "↓ Declined"
    assert changes["1.2 Performance information with analysis"] == "↑ Improved"
    domains = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")] for tr in section.select("#previous-domains tbody tr")}
    assert domains["Establishing effective governance"] == ["Requires improvement", "Good", "↑ Improved"]


def test_the_report_data_takes_the_same_number_of_queries_for_more_respondents(app, build_round):
    def queries_for(respondents: int) -> int:
        built = build_round([Respondent("police") for _ in range(respondents)])
        db.session.add(AgreedRating(round_id=built.round.id, benchmark_id="outcomes.1", rating="good", rationale=""))
        db.session.commit()
        build_report(built.round, today=date(2026, 6, 1))  # the round's framework is read once per process
        db.session.expire_all()
        with counted_queries() as statements:
            build_report(built.round, today=date(2026, 6, 1))
        return len(statements)

    assert queries_for(1) == queries_for(6)


def test_the_chart_reads_in_black_and_white():
    chart = ChartData(
        categories=("Outcomes", "Strategy"),
        levels=(("Inadequate", 1), ("Requires improvement", 2), ("Good", 3), ("Outstanding", 4)),
        members=(2.5, 3.0),
        agreed=(2.0, None),
        target=3.0,
        inspection=(2.0, 3.0),
    )
    svg = report_chart_svg(chart)
    assert "<script" not in svg
    # A pattern or solid black for each series, named in the legend, and every bar's value printed.
    assert 'id="members"' in svg and 'id="inspection"' in svg and "url(#members)" in svg and "#0b0c0c" in svg
    for name in ("Members’ medians", "Agreed ratings", "Inspection", "Target"):
        assert f">{name}<" in svg
    assert ">2.5<" in svg and ">2.0<" in svg


def test_a_round_nobody_has_answered_yet_still_has_a_report(client, login, open_round):
    login(open_round.manager)
    soup = page(client.get(f"/rounds/{open_round.round.id}/report"))
    assert soup.select_one("#overall").get_text(" ", strip=True) == "There is no overall judgement yet: no domain could be scored."
    assert soup.select_one("#summary-actions").get_text(" ", strip=True) == "There are no actions in the plan yet."
    assert "No submitted response from" not in soup.select_one("#participation").get_text()
    assert soup.select_one("#statutory-missing").get_text(" ", strip=True).startswith("Statutory partners with no submitted response:")


def test_the_inspectors_words_on_a_domain_sit_beside_the_board_s_ratings_once_published(client, login, known_round):
    framework = known_round.built.framework
    found = "Partners are not held to account: actions agreed at the board are rarely followed up."
    inspection = record_findings(
        known_round.round, known_round.inspector, all_domains(framework, "requires_improvement"), texts={"governance": found}, published=False
    )
    login(known_round.manager)
    path = f"/rounds/{known_round.round.id}/report"
    assert page(client.get(path)).select_one("#inspection-finding-governance") is None  # a draft is not shown
    inspection.status = "published"
    db.session.commit()
    soup = page(client.get(path))
    shown = soup.select_one("#domain-governance #inspection-finding-governance")
    assert shown is not None and found in shown.get_text()
    # Each domain the inspectors wrote about has its own words beside it (the helper writes "Summary for <domain>").
    assert soup.select_one("#domain-outcomes #inspection-finding-outcomes").get_text(" ", strip=True).endswith("Summary for outcomes")
