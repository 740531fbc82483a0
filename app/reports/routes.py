"""Report views: the self-evaluation report (preview and PDF) and the exports of the answers.

Who may have them (see docs/permissions.md):

- the report: the board's business manager and the board's inspectors. It
  lists rigour flags and the inspector's challenge threads, which members do
  not see in the app either; it shows published findings only, so both get
  the same document.
- the CSV/XLSX of raw answers, and the board pack (the answers with the
  agreed ratings, judgements, flags, actions and evidence register, as one
  workbook or CSV files in a zip): the business manager only, as they name
  each member against their ratings and evidence.

The report is made in the language asked for (``?lang=cy``) or, without one,
the language the person reads the service in. The CSV/XLSX exports are data
for spreadsheets and other systems: their column headers and values stay in
English whatever the page's language, so files from different people line up.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response, abort, current_app, request, url_for
from flask_babel import force_locale
from flask_login import login_required

from app.core.report_content import Report
from app.data.framework_store import framework_for_round
from app.data.reports import build_report
from app.reports.blueprint import bp
from app.reports.board_pack import board_pack, board_pack_zip
from app.reports.exports import answer_rows, answers_csv, answers_xlsx, xlsx_bytes
from app.reports.pdf import STYLESHEET
from app.reports.render import pdf_for, report_html, report_key_for, report_today
from app.web.i18n import current_language
from app.web.permissions import require_round_capability

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _lang() -> str:
    """The report's language: ``?lang=`` if given, else the language the person is reading the service in."""
    lang = request.args.get("lang") or current_language()
    if lang not in current_app.config["LANGUAGES"]:
        abort(404)
    return lang


def _download_name(*parts: str, suffix: str) -> str:
    words = unicodedata.normalize("NFKC", " ".join(parts)).lower()
    return re.sub(r"[^\w]+", "-", words).strip("-")[:120] + suffix


def _attachment(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    # RFC 6266: an ASCII fallback and the UTF-8 name (board names can be Welsh).
    fallback = filename.encode("ascii", "ignore").decode() or "download"
    response.headers["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _report(round_id: int) -> Report:
    """The report on a round, for someone allowed to read it, in the language asked for."""
    assessment_round, _membership = require_round_capability(round_id, "read_report")
    return build_report(assessment_round, lang=_lang(), today=report_today())


@bp.get("/rounds/<int:round_id>/report")
@login_required
def report_preview(round_id: int):
    report = _report(round_id)
    links = {
        "stylesheet": url_for("static", filename=STYLESHEET),
        "pdf": url_for("reports.report_pdf", round_id=round_id, lang=report.lang),
        "round": url_for("rounds.round_page", round_id=round_id),
    }
    return Response(report_html(report, links), mimetype="text/html")


@bp.get("/rounds/<int:round_id>/report.pdf")
@login_required
def report_pdf(round_id: int):
    report = _report(round_id)
    key = report_key_for(report)
    if request.if_none_match.contains_weak(key):
        response = Response(status=304)
    else:
        response = _attachment(pdf_for(report, key), "application/pdf", _download_name(report.board, report.title, "report", suffix=".pdf"))
    response.set_etag(key)
    # The browser may keep it, but must ask each time: the ETag makes that cheap.
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _answer_rows(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "export_answers")
    framework = framework_for_round(assessment_round)
    # Data for spreadsheets: English whatever the page's language (agency names included).
    with force_locale("en"):
        return assessment_round, answer_rows(assessment_round, framework)


@bp.get("/rounds/<int:round_id>/answers.csv")
@login_required
def answers_csv_download(round_id: int):
    assessment_round, rows = _answer_rows(round_id)
    name = _download_name(assessment_round.board.name, assessment_round.title, "answers", suffix=".csv")
    return _attachment(answers_csv(rows), "text/csv", name)


@bp.get("/rounds/<int:round_id>/answers.xlsx")
@login_required
def answers_xlsx_download(round_id: int):
    assessment_round, rows = _answer_rows(round_id)
    name = _download_name(assessment_round.board.name, assessment_round.title, "answers", suffix=".xlsx")
    title = f"{assessment_round.board.name}: {assessment_round.title}"
    return _attachment(answers_xlsx(rows, title), XLSX_MIMETYPE, name)


def _board_pack(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "export_answers")
    # Data for spreadsheets: English whatever the page's language, as the answers export.
    with force_locale("en"):
        report = build_report(assessment_round, lang="en", today=report_today())
        return assessment_round, board_pack(assessment_round, report)


@bp.get("/rounds/<int:round_id>/board-pack.xlsx")
@login_required
def board_pack_xlsx_download(round_id: int):
    assessment_round, sheets = _board_pack(round_id)
    name = _download_name(assessment_round.board.name, assessment_round.title, "board pack", suffix=".xlsx")
    return _attachment(xlsx_bytes(sheets, f"{assessment_round.board.name}: {assessment_round.title}"), XLSX_MIMETYPE, name)


@bp.get("/rounds/<int:round_id>/board-pack.zip")
@login_required
def board_pack_zip_download(round_id: int):
    assessment_round, sheets = _board_pack(round_id)
    name = _download_name(assessment_round.board.name, assessment_round.title, "board pack", suffix=".zip")
    return _attachment(board_pack_zip(sheets), "application/zip", name)
