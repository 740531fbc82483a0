"""A round's raw answers as CSV and XLSX: one row per respondent and benchmark.

Spreadsheets run formulas, and a member's evidence is free text: a cell that
starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before looking) would be read as a formula, the
"CSV injection" attack. Such text is written with a leading apostrophe, so
it shows as typed and never runs.

The files are data for spreadsheets and other systems, not pages: their
column headers and values (ratings, statuses, "Yes"/"No") are English
whatever language the person downloading them reads the service in, so
every copy of a round's answers has the same columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.core.framework import Framework
from app.core.report_content import rating_label
from app.data.evidence import titles_cited_by_answers
from app.data.models import AssessmentRound
from app.data.reports import round_answers
from app.web.agencies import agency_name
from app.web.i18n import LONDON

__all__ = ["COLUMNS", "AnswerRow", "Sheet", "answer_rows", "answers_csv", "answers_sheet", "answers_xlsx", "csv_bytes", "safe_cell", "xlsx_bytes"]

COLUMNS = (
    "Agency",
    "Respondent",
    "Domain",
    "Benchmark id",
    "Benchmark",
    "Rating",
    "Evidence",
    "Register items cited",
    "No evidence yet",
    "Response status",
    "Updated at",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RESPONSE_STATUS_NAMES = {"submitted": "Submitted", "in_progress": "In progress"}
XLSX_WIDTHS = (28, 24, 30, 14, 40, 22, 70, 40, 10, 14, 18)


@dataclass(frozen=True)
class AnswerRow:
    agency: str
    respondent: str
    domain: str
    benchmark_id: str
    benchmark: str
    rating: str
    evidence: str
    cited: tuple[str, ...]  # titles of the evidence register items the answer cites
    no_evidence_yet: bool
    status: str
    updated_at: datetime | None  # None while the answer has never been given

    def values(self) -> tuple:
        local = self.updated_at.astimezone(LONDON).replace(tzinfo=None) if self.updated_at else None
        return (
            self.agency,
            self.respondent,
            self.domain,
            self.benchmark_id,
            self.benchmark,
            self.rating,
            self.evidence,
            "; ".join(self.cited),
            "Yes" if self.no_evidence_yet else "No",
            self.status,
            local,
        )


def safe_cell(value: str) -> str:
    """Text as a spreadsheet must store it: a leading apostrophe if it would start a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def answer_rows(assessment_round: AssessmentRound, framework: Framework, lang: str = "en") -> list[AnswerRow]:
    """Every answer of every respondent, by agency, then name, then framework order (two queries)."""
    rows = round_answers(assessment_round.id)
    cited = titles_cited_by_answers([row.answer_id for row in rows])
    order = {b.id: n for n, b in enumerate(framework.benchmarks)}
    rows = sorted(rows, key=lambda r: (agency_name(r.agency), r.name, r.id, order.get(r.benchmark_id, len(order)), r.benchmark_id))
    result = []
    for row in rows:
        try:
            benchmark = framework.benchmark(row.benchmark_id)
            title, domain = benchmark.title.get(lang), framework.domain(benchmark.domain_id).title.get(lang)
        except KeyError:
            title, domain = "", ""
        titles = tuple(cited.get(row.answer_id, ()))
        given = row.rating is not None or bool(row.evidence) or bool(titles) or row.no_evidence_yet
        result.append(
            AnswerRow(
                agency=agency_name(row.agency),
                respondent=row.name,
                domain=domain,
                benchmark_id=row.benchmark_id,
                benchmark=title,
                rating=rating_label(framework, row.rating, lang) or "",
                evidence=row.evidence,
                cited=titles,
                no_evidence_yet=row.no_evidence_yet,
                status=RESPONSE_STATUS_NAMES.get(row.status, row.status),
                updated_at=row.updated_at if given else None,
            )
        )
    return result


@dataclass(frozen=True)
class Sheet:
    """One table of an export: its name, column headers (with widths in the workbook) and rows."""

    name: str
    columns: tuple[str, ...]
    widths: tuple[int, ...]
    rows: list[tuple] = field(default_factory=list)
    wrapped: frozenset[str] = frozenset()  # long text columns, wrapped in the workbook

    def __post_init__(self) -> None:
        assert len(self.columns) == len(self.widths), self.name


def _local(value):
    """A time as people in Wales read it (a time without a zone is taken as already local); anything else unchanged."""
    if isinstance(value, datetime) and value.tzinfo:
        return value.astimezone(LONDON).replace(tzinfo=None)
    return value


def csv_text(value) -> str:
    """A cell of a CSV file: formula-safe text, times as 2026-03-01 09:30, dates as 2026-03-01, nothing as ''."""
    value = _local(value)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return safe_cell(str(value))


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    """UTF-8 CSV with a byte order mark, so spreadsheet programs read Welsh letters correctly."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return out.getvalue().encode("utf-8-sig")


def xlsx_bytes(sheets: Sequence[Sheet], title: str) -> bytes:
    """An Excel workbook, a sheet per table: bold frozen headers, filters, dates as dates, long text wrapped.

    Text cells can never be formulas: openpyxl stores text starting with "=" as
    a formula, and refuses control characters, so text is made safe first.
    """
    workbook = Workbook()
    first = workbook.active
    assert isinstance(first, Worksheet), "a new workbook starts with one worksheet"
    workbook.remove(first)
    wrap = Alignment(wrap_text=True, vertical="top")
    for spec in sheets:
        sheet = workbook.create_sheet(spec.name)
        sheet.append(spec.columns)
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        wrapped = [n for n, name in enumerate(spec.columns, start=1) if name in spec.wrapped]
        for row in spec.rows:
            values = [safe_cell(ILLEGAL_CHARACTERS_RE.sub("", value)) if isinstance(value, str) else _local(value) for value in row]
            sheet.append(values)
            for n, value in enumerate(values, start=1):
                if isinstance(value, datetime):
                    sheet.cell(sheet.max_row, n).number_format = "yyyy-mm-dd hh:mm"
                elif isinstance(value, date):
                    sheet.cell(sheet.max_row, n).number_format = "yyyy-mm-dd"
            for n in wrapped:
                sheet.cell(sheet.max_row, n).alignment = wrap
        for index, width in enumerate(spec.widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = sheet.dimensions
    workbook.properties.title = title[:250]
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def answers_sheet(rows: list[AnswerRow]) -> Sheet:
    """The answers as one table, for the answers export and the board pack."""
    return Sheet("Answers", COLUMNS, XLSX_WIDTHS, [row.values() for row in rows], frozenset({"Evidence"}))


def answers_csv(rows: list[AnswerRow]) -> bytes:
    return csv_bytes(COLUMNS, (row.values() for row in rows))


def answers_xlsx(rows: list[AnswerRow], title: str) -> bytes:
    """An Excel workbook with one sheet of answers; text cells can never be formulas."""
    return xlsx_bytes([answers_sheet(rows)], title)
