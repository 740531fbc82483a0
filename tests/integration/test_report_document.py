"""The report as a chair reads it: change words, references people use, links, figures as the web pages give them, page breaks."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest
from pypdf import PdfReader

from app.core.rigour import DISAGREEMENT, Flag
from app.data.models import AgreedRating, ChallengeComment, EvidenceItem
from app.data.reports import _flag_subject
from app.extensions import db
from app.reports.pdf import html_to_pdf
from tests.factories import page
from tests.integration.inspection_helpers import all_domains, record_findings
from tests.integration.report_round import Respondent

STATIC = Path(__file__).resolve().parents[2] / "app" / "static"


def ref(framework, benchmark_id: str) -> str:
    """How people refer to a benchmark: its domain's number, then its number in the domain."""
    domain_id, _dot, number = benchmark_id.partition(".")
    position = [d.id for d in framework.domains].index(domain_id) + 1
    return f"{position}.{number}"


def preview(client, login, known_round):
    login(known_round.manager)
    return page(client.get(f"/rounds/{known_round.round.id}/report"))


def test_the_overall_row_of_the_previous_round_says_how_the_overall_judgement_changed(client, login, build_round, known_round):
    previous = build_round(
        [Respondent("police", default="inadequate")],
        board=known_round.board,
        manager=known_round.manager,
        title="Self-assessment 2025",
    )
    previous.round.created_at = known_round.round.created_at.replace(year=2025)
    db.session.commit()
    soup = preview(client, login, known_round)
    total = soup.select_one("#previous-domains tr.total")
    cells = [td.get_text(strip=True) for td in total.select("td")]
    assert cells[0] == "Inadequate" and cells[1] == "Requires improvement"
    assert cells[2] == "↑ Improved"


def test_the_overall_row_says_no_change_when_the_judgement_is_the_same(client, login, build_round, known_round):
    previous = build_round(
        [Respondent("police", default="requires_improvement")], board=known_round.board, manager=known_round.manager, title="Self-assessment 2025"
    )
    previous.round.created_at = known_round.round.created_at.replace(year=2025)
    db.session.commit()
    soup = preview(client, login, known_round)
    cells = [td.get_text(strip=True) for td in soup.select_one("#previous-domains tr.total").select("td")]
    assert cells[0] == cells[1] == "Requires improvement"
    assert cells[2] == "= No change"


def test_benchmarks_are_referred_to_as_people_say_them_and_ids_stay_in_attributes(client, login, build_round, known_round):
    framework = known_round.built.framework
    db.session.add(
        ChallengeComment(round_id=known_round.round.id, benchmark_id="outcomes.1", author_id=known_round.inspector.id, author_role="inspector", text="Why?")
    )
    previous = build_round(
        [Respondent("police", ratings={"governance.3": "outstanding"}, default="requires_improvement")],
        board=known_round.board,
        manager=known_round.manager,
        title="Self-assessment 2025",
    )
    previous.round.created_at = known_round.round.created_at.replace(year=2025)
    db.session.commit()
    soup = preview(client, login, known_round)
    governance, outcomes, strategy = ref(framework, "governance.3"), ref(framework, "outcomes.1"), ref(framework, "strategy.2")
    assert re.fullmatch(r"\d\.\d+", governance)

    row = soup.select_one("#row-governance\\.3")  # the id stays in the HTML id
    assert row.th.get_text(" ", strip=True) == f"{governance} Attendance and seniority of members"
    gaps = soup.select_one("#summary-gaps").get_text(" ", strip=True)
    assert f"{outcomes} Outcome measures for children" in gaps
    changed = [tr.th.get_text(" ", strip=True) for tr in soup.select("#previous-benchmarks tbody tr")]
    assert f"{governance} Attendance and seniority of members" in changed
    assert f"{outcomes} Outcome measures for children" in soup.select_one("#action-plan").get_text(" ", strip=True)
    assert soup.select_one("#evidence-E1 p.small").get_text(" ", strip=True).endswith(f"Cited for: {strategy}.")
    assert soup.select_one("#challenges h3").get_text(" ", strip=True) == f"{outcomes} Outcome measures for children"
    flags = soup.select_one("#flags").get_text(" ", strip=True)
    assert f"{governance} Members’ ratings are" in flags
    descriptors = soup.select_one("#descriptors").get_text(" ", strip=True)
    assert f"{governance} Attendance and seniority of members" in descriptors

    # No text a reader sees carries an internal id; ids are only in attributes.
    for tag in soup.select("script, style"):
        tag.decompose()
    text = soup.body.get_text(" ", strip=True)
    ids = [b.id for b in framework.benchmarks]
    assert not [i for i in ids if re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", text)]


def test_uncovered_gaps_and_answered_flags_use_the_reference(client, login, known_round):
    framework = known_round.built.framework
    rating = db.session.query(AgreedRating).filter_by(round_id=known_round.round.id, benchmark_id="governance.3").one()
    rating.rating = "requires_improvement"  # a gap no action covers
    db.session.commit()
    soup = preview(client, login, known_round)
    assert [li.get_text(" ", strip=True) for li in soup.select("#uncovered li")] == [f"{ref(framework, 'governance.3')} Attendance and seniority of members"]
    flag = Flag(DISAGREEMENT, "Members’ ratings are 3 levels apart", "governance.3", lang="en")
    assert _flag_subject(framework, flag, "en") == f"{ref(framework, 'governance.3')} Attendance and seniority of members"


@pytest.mark.parametrize(
    ("reference", "linked"),
    [
        ("https://example.org/board/audit?year=2026&part=2", True),
        ("http://example.org/minutes", True),
        ("javascript:alert(1)", False),
        ("ftp://example.org/file", False),
        ("Board papers, item 5", False),
        ("https://example.org/a b", False),
    ],
)
def test_a_web_address_reference_is_a_link_and_nothing_else_is(client, login, known_round, reference, linked):
    item = db.session.get(EvidenceItem, known_round.evidence.id)
    item.reference = reference
    db.session.commit()
    soup = preview(client, login, known_round)
    line = soup.select_one("#evidence-E1 .reference")
    links = line.select("a")
    if linked:
        assert [a["href"] for a in links] == [reference]
        assert links[0].get_text() == reference
    else:
        assert links == []
        assert reference in line.get_text()
    assert "Web addresses are links" in soup.select_one("#evidence").get_text(" ", strip=True)


def test_the_pdf_keeps_a_web_address_as_a_link(client, login, known_round):
    address = "https://example.org/board/neglect-audit"
    item = db.session.get(EvidenceItem, known_round.evidence.id)
    item.reference = address
    db.session.commit()
    login(known_round.manager)
    response = client.get(f"/rounds/{known_round.round.id}/report.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    uris = [
        str(annotation.get_object().get("/A", {}).get("/URI", ""))
        for pdf_page in reader.pages
        for annotation in pdf_page.get("/Annots", []) or []
    ]
    assert address in uris


def over_optimism_on_the_comparison_page(client, round_id: int) -> str:
    soup = page(client.get(f"/rounds/{round_id}/comparison"))
    for row in soup.select(".govuk-summary-list__row"):
        if row.select_one(".govuk-summary-list__key").get_text(strip=True) == "Over-optimism overall":
            return row.select_one(".govuk-summary-list__value").get_text(" ", strip=True).split(" ")[0]
    raise AssertionError("no over-optimism on the comparison page")


def test_over_optimism_is_given_as_the_comparison_page_gives_it(client, login, known_round):
    framework = known_round.built.framework
    record_findings(known_round.round, known_round.inspector, all_domains(framework, "requires_improvement"))  # 50/51: +0.98
    db.session.commit()
    login(known_round.manager)
    shown = over_optimism_on_the_comparison_page(client, known_round.round.id)
    assert re.fullmatch(r"[+\u2212]\d\.\d\d", shown), shown  # two decimals and a sign, as the page has it
    soup = page(client.get(f"/rounds/{known_round.round.id}/report"))
    assert f"over-optimism {shown}:" in soup.select_one("#summary-inspection").get_text(" ", strip=True)
    assert f"Over-optimism: {shown} " in soup.select_one("#inspection").get_text(" ", strip=True)
    response = client.get(f"/rounds/{known_round.round.id}/report.pdf")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages))
    assert f"Over-optimism: {shown} " in text and f"over-optimism {shown}:" in text


def _pages_of(pdf: bytes, *needles: str) -> list[set[int]]:
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        texts = [re.sub(r"\s+", " ", p.extract_text() or "") for p in document.pages]
    return [{n for n, text in enumerate(texts) if needle in text} for needle in needles]


@pytest.mark.parametrize("filler", range(150, 262, 8))
def test_headings_and_short_tables_are_not_split_across_pages(filler):
    """Wherever a page ends, a heading stays with its table, and a short table is kept whole."""
    rows = "".join(f"<tr><th scope='row'>Domain row {n}</th><td>Good</td><td>Good</td><td>Same</td></tr>" for n in range(1, 6))
    long_rows = "".join(f"<tr><th scope='row'>Benchmark row {n}</th><td>Good</td></tr>" for n in range(1, 40))
    html = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"></head><body>
    <section class="flow" id="inspection"><div style="height: {filler}mm">Filler</div>
    <h3>Heading before the table</h3>
    <table class="numbers" id="inspection-domains"><caption>Short table caption</caption>
    <thead><tr><th>Domain</th><th>Board</th><th>Inspection</th><th>Difference</th></tr></thead><tbody>{rows}</tbody></table>
    <h3>Heading before a long table</h3>
    <table id="flag-responses"><caption>Long table caption</caption><thead><tr><th>Benchmark</th><th>Rating</th></tr></thead><tbody>{long_rows}</tbody></table>
    </section></body></html>"""
    pdf = html_to_pdf(html, str(STATIC))
    heading, caption, first, last = _pages_of(pdf, "Heading before the table", "Short table caption", "Domain row 1", "Domain row 5")
    assert heading == caption == first == last, (heading, caption, first, last)
    long_heading, long_caption, long_first = _pages_of(pdf, "Heading before a long table", "Long table caption", "Benchmark row 1 ")
    assert long_heading == long_caption == long_first, (long_heading, long_caption, long_first)
