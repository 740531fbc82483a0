"""The demo's inspections: an overall judgement with its summary and reasons, and texts that fit their levels."""

from __future__ import annotations

from sqlalchemy import select

from app.data.inspection import round_findings
from app.data.models import Inspection
from app.demo import DEMO_PASSWORD
from app.demo.inspection import OVERALL_SUMMARIES, SUMMARIES
from app.extensions import db
from tests.factories import csrf_token, page

# What only a Good or Outstanding domain can be said to show; attendance alone may be said of one that requires improvement.
STRENGTHS = ("tested by audit", "are shared", "analyses what", "followed up at the next meeting")


def test_each_demo_inspection_has_an_overall_judgement_whose_texts_fit_the_levels(runner):
    assert runner.invoke(args=["sait", "demo"]).exit_code == 0
    inspections = db.session.scalars(select(Inspection).where(Inspection.status == "published")).all()
    assert len(inspections) == 2
    for inspection in inspections:
        findings = round_findings(inspection.round_id)
        overall = findings.overall
        assert overall is not None and overall.level and overall.text in OVERALL_SUMMARIES.values()
        assert len(findings.overall_reasons) == 3
        ids = ["inadequate", "requires_improvement", "good", "outstanding"]
        domains = {subject: f for subject, f in findings.findings.items() if subject in SUMMARIES}
        # Outcomes for children limit the overall judgement.
        assert ids.index(overall.level) <= ids.index(domains["outcomes"].level)
        for domain_id, finding in domains.items():
            band = {"inadequate": "failing", "requires_improvement": "weak"}.get(finding.level, "strong")
            assert finding.text == SUMMARIES[domain_id][band], domain_id
            if band != "strong":
                assert not any(words in finding.text for words in STRENGTHS), (domain_id, finding.level)
            if band == "failing":
                assert "well attended" not in finding.text, domain_id
        for benchmark_finding in (f for s, f in findings.findings.items() if "." in s):
            if benchmark_finding.level == "inadequate":
                assert "no evidence" in benchmark_finding.text


def test_the_demo_inspector_sees_the_overall_comparison(runner, client):
    assert runner.invoke(args=["sait", "demo"]).exit_code == 0
    round_id = db.session.scalar(select(Inspection.round_id).order_by(Inspection.inspected_on.desc()))
    signed_in = client.post(
        "/sign-in", data={"email": "inspector@demo.example.org", "password": DEMO_PASSWORD, "csrf_token": csrf_token(client, "/sign-in")}
    )
    assert signed_in.status_code == 302
    soup = page(client.get(f"/rounds/{round_id}/comparison"))
    rows = {r.dt.get_text(" ", strip=True): r.dd.get_text(" ", strip=True) for r in soup.select("#overall-judgements .govuk-summary-list__row")}
    assert rows["The inspectors’ overall judgement"] != "Not judged"
    assert rows["Inspectors’ summary"] in OVERALL_SUMMARIES.values()
    assert len(soup.select("#overall-reasons li")) == 3
