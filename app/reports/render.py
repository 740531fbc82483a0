"""Producing a round's report: its HTML (the preview, and the PDF's input) and its PDF, through the cache.

The route, the ``sait report`` command and ``bench/report.py`` all come
through :func:`produce_pdf`, so they render the same document the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import force_locale

from app.core.report_chart import chart_data_url
from app.data.models import AssessmentRound
from app.data.report_cache import cached_pdf, report_key
from app.data.reports import Report, build_report
from app.reports.page_css import margin_css
from app.reports.pdf import html_to_pdf, template_version
from app.web.i18n import LONDON

__all__ = ["ProducedReport", "pdf_for", "produce_pdf", "report_html", "report_key_for", "report_today"]


def report_today() -> date:
    """Today in Wales: the date a report is "as at" (overdue actions are judged against it)."""
    return datetime.now(LONDON).date()


def report_html(report: Report, links: dict[str, str] | None = None) -> str:
    """The report as HTML. ``links`` (stylesheet, pdf, round) makes it the browser preview.

    Without ``links`` it is the PDF's input, with the page margins' words
    (running header, "Page 3 of 12") in a ``<style>``; the preview leaves
    them out, as its page's CSP allows no inline style.
    """
    template = current_app.jinja_env.get_template("reports/report.html")
    # Dates and any translated wording follow the report's language, not the reader's page.
    with force_locale(report.lang):
        return template.render(
            report=report,
            chart_url=chart_data_url(report.chart, report.lang),
            links=links,
            page_css=None if links else margin_css(draft=report.is_draft),
        )


def report_key_for(report: Report) -> str:
    return report_key(report, template_version(current_app.static_folder))


@dataclass(frozen=True)
class ProducedReport:
    key: str
    pdf: bytes


def pdf_for(report: Report, key: str) -> bytes:
    """The report's PDF: from the store if one with this key is there, else rendered now and stored."""
    static_folder = str(Path(current_app.root_path) / "static")
    return cached_pdf(report.round_id, report.lang, key, lambda: html_to_pdf(report_html(report), static_folder))


def produce_pdf(assessment_round: AssessmentRound, *, lang: str = "en", today: date | None = None) -> ProducedReport:
    """The round's PDF report: from the store when nothing it shows has changed, else rendered and stored."""
    report = build_report(assessment_round, lang=lang, today=today or report_today())
    key = report_key_for(report)
    return ProducedReport(key, pdf_for(report, key))
