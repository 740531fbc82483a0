"""Inspections as real reviews give them: one overall judgement with its summary and reasons, domain judgements optional.

The board agreed every benchmark "good", so its own overall judgement (by the
scoring rules) is Good. The inspectors judge the board "requires improvement"
overall: one level below, so the overall difference is +1. With no domain or
benchmark judgement, that difference is the round's over-optimism.
"""

from __future__ import annotations

import csv
import io
from datetime import date

from pypdf import PdfReader
from sqlalchemy import select

from app.data.framework_store import current_framework
from app.data.inspection import findings_stamp, round_findings
from app.data.models import AuditEvent, Finding, Inspection
from app.extensions import db
from tests.factories import csrf_token, page
from tests.integration.govuk import banner, errors, table_rows
from tests.integration.inspection_helpers import agree, all_domains, record_findings
from tests.integration.questionnaire_helpers import domain_form_data

RI = "requires_improvement"
SUMMARY = "The board knows its partnership well but cannot yet show what its work changes for children."
REASONS = "Reports to the board count activity, not outcomes for children.\n\n  Partners are not held to account for actions agreed at the board.  \n"


def _overall_url(round_id: int) -> str:
    return f"/rounds/{round_id}/inspection/overall"


def _overall_form(client, round_id: int, **overrides) -> dict:
    soup = page(client.get(_overall_url(round_id)))
    data = domain_form_data(soup)
    data["inspected_on"] = [box.get("value", "") for box in soup.select("input[name=inspected_on]")]
    data.update(overrides)
    return data


def _publish(client, round_id: int):
    stamp = findings_stamp(round_findings(round_id))
    return client.post(f"/rounds/{round_id}/inspection/publish", data={"csrf_token": csrf_token(client, "/"), "seen": stamp})


def _summary_list(soup, list_id: str) -> dict[str, str]:
    return {
        row.select_one("dt").get_text(" ", strip=True): row.select_one("dd").get_text(" ", strip=True)
        for row in soup.select(f"#{list_id} .govuk-summary-list__row")
    }


def _agree_good(setup) -> None:
    agree(setup.round, {b.id: "good" for b in current_framework().benchmarks})


def test_an_inspection_with_only_an_overall_judgement_is_entered_refused_then_published(client, login, inspected_round):
    setup = inspected_round
    _agree_good(setup)
    round_id = setup.round.id
    login(setup.inspector)
    soup = page(client.get(f"/rounds/{round_id}/inspection"))
    links = [a.get_text(strip=True) for a in soup.select("#inspector-actions a")]
    assert links[0] == "Enter the inspection date and the overall judgement, with its summary and reasons"
    assert "Select the overall judgement of the board" in soup.select_one("#missing").get_text()

    soup = page(client.get(_overall_url(round_id)))
    assert soup.select_one("h1").get_text(strip=True) == "Inspection date and overall judgement"
    assert [r["value"] for r in soup.select("input[name=overall-judgement]")] == ["outstanding", "good", RI, "inadequate"]

    # Publishing with nothing: an error summary naming each field, linking to it on the overall judgement page.
    response = _publish(client, round_id)
    soup = page(response)
    assert soup.select_one("title").get_text().startswith("Error: ")
    assert errors(soup) == ["Enter the date of the inspection", "Select the overall judgement of the board", "Enter the summary of the overall judgement"]
    hrefs = [a["href"] for a in soup.select(".govuk-error-summary__list a")]
    assert hrefs[1] == f"/rounds/{round_id}/inspection/overall#overall-judgement"
    assert db.session.scalar(select(Inspection.status)) is None  # nothing was published (nor started)

    entered = {"inspected_on": ["14", "3", "2026"], "overall-judgement": RI, "overall-summary": SUMMARY, "overall-reasons": REASONS}
    data = _overall_form(client, round_id, **entered)
    response = client.post(_overall_url(round_id), data=data)
    assert response.status_code == 302
    soup = page(client.get(response.headers["Location"]))
    assert "The inspection date and overall judgement were saved." in banner(soup)
    shown = _summary_list(soup, "overall-judgement")
    assert shown["Overall judgement"] == "Requires improvement"
    assert shown["Summary"] == SUMMARY
    assert [li.get_text(strip=True) for li in soup.select("#overall-reasons-list li")] == [
        "Reports to the board count activity, not outcomes for children.",
        "Partners are not held to account for actions agreed at the board.",
    ]
    # No domain was judged, and none needs to be.
    assert {row[0] for row in table_rows(soup, "domain-judgements")} == {"No judgement yet"}
    assert soup.select_one("#missing") is None
    saved = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "finding_saved")).all()
    assert sorted(event.detail["subject"] for event in saved) == ["overall", "overall_reasons"]

    seen = soup.select_one("input[name=seen]")["value"]
    response = client.post(f"/rounds/{round_id}/inspection/publish", data={"csrf_token": csrf_token(client, "/"), "seen": seen})
    soup = page(client.get(response.headers["Location"]))
    assert "The findings are published" in banner(soup)
    assert db.session.scalar(select(Inspection.status)) == "published"


def test_the_board_reads_the_overall_comparison_with_over_optimism_from_the_overall_difference(client, login, inspected_round):
    setup = inspected_round
    _agree_good(setup)
    record_findings(setup.round, setup.inspector, {"overall": RI}, texts={"overall": SUMMARY, "overall_reasons": "First reason.\nSecond reason."})
    login(setup.manager)
    soup = page(client.get(f"/rounds/{setup.round.id}/comparison"))
    shown = _summary_list(soup, "overall-judgements")
    assert shown["The board’s overall judgement (from its self-ratings)"] == "Good"
    assert shown["From agreed ratings"] == "Good"
    assert shown["The inspectors’ overall judgement"] == "Requires improvement"
    assert shown["Difference (self-assessed minus inspection)"].startswith("+1 Above inspection")
    assert shown["Inspectors’ summary"] == SUMMARY
    assert [li.get_text(strip=True) for li in soup.select("#overall-reasons li")] == ["First reason.", "Second reason."]
    optimism = _summary_list(soup, "overall")["Over-optimism overall"]
    assert optimism == "+1 (from the overall judgements: the inspectors judged no domain or benchmark)"
    # No domain was judged: the domain table says so rather than inventing a difference.
    assert {row[2] for row in table_rows(soup, "domain-comparison")} == {"Not judged"}


def test_with_domain_judgements_too_over_optimism_stays_over_the_benchmarks(client, login, inspected_round):
    setup = inspected_round
    framework = current_framework()
    _agree_good(setup)
    record_findings(setup.round, setup.inspector, {**all_domains(framework, RI), "overall": "inadequate"})
    login(setup.inspector)
    soup = page(client.get(f"/rounds/{setup.round.id}/comparison"))
    shown = _summary_list(soup, "overall-judgements")
    assert shown["The inspectors’ overall judgement"] == "Inadequate"
    assert shown["Difference (self-assessed minus inspection)"].startswith("+2 Above inspection")
    optimism = _summary_list(soup, "overall")["Over-optimism overall"]
    assert optimism == f"+1 (over {len(framework.benchmarks)} benchmarks)"
    assert soup.select_one("#optimism-basis") is None


def test_the_national_overview_counts_overall_judgements_and_the_mean_overall_difference(client, login, inspected_round, build_round, make_board, add_member):
    setup = inspected_round
    framework = current_framework()
    _agree_good(setup)
    record_findings(setup.round, setup.inspector, {"overall": RI}, inspected_on=date(2026, 3, 14))
    # A second board, judged per domain and overall: both its figures count.
    other = build_round([], board=make_board("Bro Safeguarding Board"), title="Bro round")
    add_member(setup.inspector, other.board, "inspector", "other")
    agree(other.round, {b.id: "good" for b in framework.benchmarks})
    record_findings(other.round, setup.inspector, {**all_domains(framework, "good"), "overall": "good"}, inspected_on=date(2026, 2, 1))

    login(setup.inspector)
    soup = page(client.get("/national-overview?sort=judgement&order=desc"))
    summary = soup.select_one("#national-summary").get_text(" ", strip=True)
    assert "Mean overall difference (board’s overall judgement minus the inspectors’) +0.5" in summary
    assert "Mean over-optimism of these boards +0.5" in summary
    rows = {tr.select_one("th a").get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.select("td")] for tr in soup.select("#boards tbody tr")}
    judged_overall_only = rows[setup.board.name]
    assert judged_overall_only[-2] == "Self: Good Inspection: Requires improvement Difference: +1 Above inspection"
    assert judged_overall_only[-1] == "+1 (from the overall judgements)"
    assert rows["Bro Safeguarding Board"][-2] == "Self: Good Inspection: Good Difference: 0"
    assert rows["Bro Safeguarding Board"][-1] == "0"
    # Sorted by the overall difference, the board most above its inspection first.
    assert [tr.select_one("th a").get_text(strip=True) for tr in soup.select("#boards tbody tr")][0] == setup.board.name
    levels = {tr.th.get_text(strip=True): [td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("#levels-overall tbody tr")}
    assert levels == {"The board (self-assessed)": ["0", "0", "2", "0"], "The inspectors": ["0", "1", "1", "0"]}

    lines = {row["board"]: row for row in csv.DictReader(io.StringIO(client.get("/national-overview.csv").get_data(as_text=True)))}
    first = lines[setup.board.name]
    assert (first["overall_self_assessed"], first["overall_inspected"], first["overall_difference"], first["over_optimism_basis"]) == (
        "Good",
        "Requires improvement",
        "+1",
        "overall",
    )
    assert lines["Bro Safeguarding Board"]["over_optimism_basis"] == "benchmarks"


def test_two_inspectors_saving_the_overall_judgement_at_once_keep_both(client, app, login, inspected_round, make_user, add_member):
    setup = inspected_round
    other = make_user("Second Inspector")
    add_member(other, setup.board, "inspector", "other")
    second_client = app.test_client()
    login(setup.inspector)
    login(other, test_client=second_client)
    url = _overall_url(setup.round.id)
    first = _overall_form(client, setup.round.id, **{"overall-judgement": "good", "overall-summary": "First view.", "overall-reasons": "A first reason."})
    theirs = {"overall-judgement": "inadequate", "overall-summary": "Second view.", "overall-reasons": "A second reason."}
    second = _overall_form(second_client, setup.round.id, **theirs)
    assert client.post(url, data=first).status_code == 302
    soup = page(second_client.post(url, data=second))
    assert "changed by someone else at the same time" in soup.select_one("#conflicts").get_text()
    warnings = " ".join(w.get_text(" ", strip=True) for w in soup.select("#overall-section .govuk-warning-text"))
    assert "First view." in warnings and "A first reason." in warnings
    assert soup.select_one("#overall-summary").get_text() == "Second view."
    assert soup.select_one("#overall-reasons").get_text() == "A second reason."
    assert soup.select_one("input[name=overall-judgement][value=inadequate]").has_attr("checked")
    assert db.session.scalar(select(Finding.text).where(Finding.subject_id == "overall")) == "First view."
    # Saving again, having seen the other version, goes through.
    assert second_client.post(url, data={**domain_form_data(soup), "inspected_on": ["", "", ""]}).status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Finding.text).where(Finding.subject_id == "overall")) == "Second view."


def test_an_over_long_summary_is_refused_naming_the_field(client, app, login, inspected_round):
    setup = inspected_round
    login(setup.inspector)
    limit = app.config["SAIT_EVIDENCE_MAX_CHARS"]
    data = _overall_form(client, setup.round.id, **{"overall-judgement": "good", "overall-summary": "x" * (limit + 1)})
    soup = page(client.post(_overall_url(setup.round.id), data=data))
    assert errors(soup) == [f"Summary of the overall judgement must be {limit:,} characters or fewer"]
    assert soup.select_one(".govuk-error-summary__list a")["href"] == "#overall-summary"
    assert db.session.scalar(select(Finding.id)) is None


def test_who_may_enter_the_overall_judgement(client, login, inspected_round, make_user, make_board, add_member):
    setup = inspected_round
    url = _overall_url(setup.round.id)
    for person in (setup.manager, setup.member):
        login(person)
        assert page(client.get(url)).select_one("h1").get_text(strip=True) == "You do not have permission to see this page"
        client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    elsewhere = make_user("Other Board Inspector")
    add_member(elsewhere, make_board("Another board"), "inspector", "other")
    login(elsewhere)
    assert page(client.get(url)).select_one("h1").get_text(strip=True) == "Page not found"
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/")})
    assert client.get(url).headers["Location"].startswith("/sign-in")


def test_published_overall_judgement_cannot_be_changed(client, login, inspected_round):
    setup = inspected_round
    record_findings(setup.round, setup.inspector, {"overall": "good"})
    login(setup.inspector)
    data = _overall_form(client, setup.round.id, **{"overall-judgement": "inadequate"})
    response = client.post(_overall_url(setup.round.id), data=data)
    assert "cannot be changed" in banner(page(client.get(response.headers["Location"])))
    assert db.session.scalar(select(Finding.level).where(Finding.subject_id == "overall")) == "good"


def test_welsh_pages_show_the_welsh_names_of_the_board_and_round(client, login, inspected_round):
    setup = inspected_round
    setup.board.name_cy = "Bwrdd Diogelu Prawf"
    setup.round.title_cy = "Hunanasesiad prawf"
    db.session.commit()
    record_findings(setup.round, setup.inspector, {"overall": "good"})
    login(setup.inspector)
    assert client.get("/language/cy").status_code == 302
    for url in (f"/rounds/{setup.round.id}/inspection", f"/rounds/{setup.round.id}/comparison"):
        soup = page(client.get(url))
        assert soup.select_one(".govuk-caption-l").get_text(strip=True) == "Bwrdd Diogelu Prawf: Hunanasesiad prawf", url
        assert "Hunanasesiad prawf" in soup.title.get_text()
    soup = page(client.get("/national-overview"))
    row = soup.select_one("#boards tbody th").get_text(" ", strip=True)
    assert "Bwrdd Diogelu Prawf" in row and "Hunanasesiad prawf" in row


def test_the_report_shows_an_inspection_with_only_an_overall_judgement(client, login, inspected_round):
    setup = inspected_round
    _agree_good(setup)
    record_findings(setup.round, setup.inspector, {"overall": RI}, texts={"overall": SUMMARY, "overall_reasons": REASONS})
    login(setup.manager)
    soup = page(client.get(f"/rounds/{setup.round.id}/report"))
    section = soup.select_one("#inspection")
    assert section is not None, "no inspection section for an overall-only inspection"
    assert table_rows(soup, "inspection-overall") == [["Good", "Requires improvement", "Board 1 level higher"]]
    assert soup.select_one("#inspection-overall-summary").get_text(strip=True) == SUMMARY
    reasons = [li.get_text(strip=True) for li in soup.select("#inspection-overall-reasons li")]
    assert reasons == ["Reports to the board count activity, not outcomes for children.", "Partners are not held to account for actions agreed at the board."]
    assert "overall judgement is 1 level above the inspectors’" in section.get_text(" ", strip=True)
    assert soup.select_one("#inspection-domains") is None  # no domain judged: no table of empty rows
    summary = soup.select_one("#summary-inspection").get_text(" ", strip=True)
    assert "the inspectors gave an overall judgement only: Requires improvement, against the board’s own Good (Board 1 level higher)" in summary
    # The PDF has it too.
    pdf = client.get(f"/rounds/{setup.round.id}/report.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "The overall judgement" in text and SUMMARY in text
