"""Reading inspection findings from a CSV or JSON file (no Flask, no database).

The formats are described for inspectors in ``docs/findings-format.md``.
:func:`read_findings_file` either returns the whole set of findings or raises
:class:`FindingsFileError` listing every problem, each as
``"<where>, <field>: <what is wrong>"`` (``"Row 4, judgement: 'excelent' is
not a level on the scale (...)"``), so the inspector can fix them all at
once. Nothing is saved unless every row is right: the caller saves only what
this returns.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from app.framework import Framework
from app.models.inspection import RECOMMENDATION_PRIORITIES

__all__ = [
    "CSV_COLUMNS",
    "KINDS",
    "FindingInput",
    "FindingsFile",
    "FindingsFileError",
    "RecommendationInput",
    "read_findings_file",
]

#: The kinds of row in a CSV file, in the order the format describes them.
KINDS: tuple[str, ...] = ("inspection", "domain", "benchmark", "recommendation")
#: The CSV columns (any order; a column no row needs may be left out).
CSV_COLUMNS: tuple[str, ...] = ("kind", "subject", "judgement", "text", "priority", "date")
MAX_ROWS = 2000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True)
class FindingInput:
    """A judgement and/or finding for a domain or a benchmark (a domain always has both)."""

    subject_id: str
    level: str | None
    text: str


@dataclass(frozen=True)
class RecommendationInput:
    text: str
    priority: str
    subject_ids: tuple[str, ...]


@dataclass(frozen=True)
class FindingsFile:
    """Everything a valid file holds: the inspection date, findings and recommendations."""

    inspected_on: date
    findings: tuple[FindingInput, ...]
    recommendations: tuple[RecommendationInput, ...]


class FindingsFileError(Exception):
    """The file cannot be imported; ``problems`` lists every one, in file order."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class _Record:
    """One row (CSV) or entry (JSON), its place in the file and how the file names each field."""

    where: str
    kind: str
    values: dict[str, object]
    names: Mapping[str, str] = field(default_factory=dict)
    # Problems found while reading the row or entry itself (its shape, unknown keys).
    problems: list[str] = field(default_factory=list)
    # A row whose cells cannot be matched to columns: its values are not checked.
    unreadable: bool = False

    def name(self, key: str) -> str:
        return self.names.get(key, key)


def read_findings_file(
    data: bytes,
    filename: str,
    framework: Framework,
    *,
    today: date,
    max_text: int,
) -> FindingsFile:
    """Read and check a findings file; ``FindingsFileError`` (and nothing else) if anything is wrong.

    The format is chosen by the file name's extension (``.csv`` or
    ``.json``), or, without one, by whether the text starts with ``{``.
    Judgements are level ids or labels of ``framework``'s scale; subjects
    are its domain and benchmark ids. ``max_text`` caps each text.
    """
    text = _decode(data)
    records = _json_records(text) if _is_json(filename, text) else _csv_records(text)
    return _check(records, framework, today=today, max_text=max_text)


def _decode(data: bytes) -> str:
    if not data.strip():
        raise FindingsFileError(["The file is empty"])
    if data.startswith(ZIP_SIGNATURE):
        raise FindingsFileError(["The file is a spreadsheet workbook, not CSV. In your spreadsheet, save it as ‘CSV UTF-8’ and upload that"])
    if b"\x00" in data:
        raise FindingsFileError(["The file is not a CSV or JSON text file"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FindingsFileError(
            [f"Line {line}: the file is not UTF-8 text. In your spreadsheet, save it as ‘CSV UTF-8’ and upload it again"]
        ) from None


def _is_json(filename: str, text: str) -> bool:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in ("csv", "json"):
        return extension == "json"
    return text.lstrip().startswith("{")


# --- CSV -------------------------------------------------------------------


def _header(cells: list[str]) -> list[str]:
    return [re.sub(r"[\s-]+", "_", cell.strip().lower()) for cell in cells]


def _csv_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet shows them (the header is row 1), blank rows skipped."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if any(cell.strip() for cell in cells):
                yield number, cells
    except csv.Error as exc:
        raise FindingsFileError([f"Row {number + 1}: the file cannot be read as CSV ({exc})"]) from None


def _csv_records(text: str) -> list[_Record]:
    rows = _csv_rows(text)
    first = next(rows, None)
    if first is None:
        raise FindingsFileError(["The file is empty"])
    header = _header(first[1])
    problems = [f"Row {first[0]}, header: unknown column ‘{name}’ (the columns are {', '.join(CSV_COLUMNS)})" for name in header if name not in CSV_COLUMNS]
    problems += [f"Row {first[0]}, header: the column ‘{name}’ appears twice" for name in sorted({n for n in header if header.count(n) > 1})]
    if "kind" not in header:
        problems.append(f"Row {first[0]}, header: the column ‘kind’ is missing")
    if problems:
        raise FindingsFileError(problems)
    records: list[_Record] = []
    for number, cells in rows:
        if len(records) >= MAX_ROWS:
            raise FindingsFileError([f"Row {number}: the file has more than {MAX_ROWS:,} rows"])
        where = f"Row {number}"
        if len(cells) > len(header):
            message = f"{where}: it has {len(cells)} cells but the header has {len(header)} columns (put text containing commas in double quotes)"
            records.append(_Record(where, "", {}, problems=[message], unreadable=True))
            continue
        values = dict(zip(header, [cell.strip() for cell in cells]))
        records.append(_Record(where, str(values.pop("kind", "")).lower(), values))
    return records


# --- JSON ------------------------------------------------------------------

# Each list in a JSON file: its key, the kind of entry, and each field's key for the canonical name.
JSON_LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "domains": ("domain", {"subject": "domain", "judgement": "judgement", "text": "summary"}),
    "benchmarks": ("benchmark", {"subject": "benchmark", "judgement": "judgement", "text": "finding"}),
    "recommendations": ("recommendation", {"subject": "about", "text": "text", "priority": "priority"}),
}
JSON_TOP_KEYS = ("inspected_on", *JSON_LISTS)


def _json_records(text: str) -> list[_Record]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FindingsFileError([f"Line {exc.lineno}: the file is not valid JSON ({exc.msg}, column {exc.colno})"]) from None
    except RecursionError:
        raise FindingsFileError(["The file is nested too deeply to read"]) from None
    if not isinstance(document, dict):
        raise FindingsFileError(["The file must hold one JSON object, starting with {"])
    top = _Record("The file", "inspection", {"date": document.get("inspected_on", "")}, {"date": "inspected_on"})
    top.problems = [f"The file, {key}: unknown key (the keys are {', '.join(JSON_TOP_KEYS)})" for key in document if key not in JSON_TOP_KEYS]
    records = [top]
    for list_key, (kind, names) in JSON_LISTS.items():
        entries = document.get(list_key, [])
        if not isinstance(entries, list):
            top.problems.append(f"The file, {list_key}: must be a list, in [ ]")
            continue
        if len(records) + len(entries) > MAX_ROWS:
            raise FindingsFileError([f"The file has more than {MAX_ROWS:,} entries"])
        reverse = {file_key: canonical for canonical, file_key in names.items()}
        for number, entry in enumerate(entries, start=1):
            where = f"{list_key.capitalize()} item {number}"
            if not isinstance(entry, dict):
                records.append(_Record(where, kind, {}, problems=[f"{where}: must be an object, in {{ }}"], unreadable=True))
                continue
            unknown = [f"{where}, {key}: unknown key (the keys are {', '.join(names.values())})" for key in entry if key not in reverse]
            values = {reverse[key]: value for key, value in entry.items() if key in reverse}
            records.append(_Record(where, kind, values, names, problems=unknown))
    return records


# --- Checks ----------------------------------------------------------------


class _Checker:
    """Checks records one by one, collecting every problem."""

    def __init__(self, framework: Framework, today: date, max_text: int) -> None:
        self.framework = framework
        self.today = today
        self.max_text = max_text
        self.problems: list[str] = []
        scale = framework.scale
        self.levels: dict[str, str] = {}
        for level in scale.levels:
            for name in (level.id, level.label.en, level.label.cy or level.id):
                self.levels[_key(name)] = level.id
        self.domain_ids = [d.id for d in framework.domains]
        self.benchmark_ids = [b.id for b in framework.benchmarks]

    def problem(self, record: _Record, key: str, message: str) -> None:
        self.problems.append(f"{record.where}, {record.name(key)}: {message}")

    def string(self, record: _Record, key: str) -> str:
        value = record.values.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(record, key, "must be text, in double quotes")
            return ""
        return value.strip()

    def empty(self, record: _Record, *keys: str) -> None:
        for key in keys:
            if key in record.values and record.values[key] not in ("", None, []):
                self.problem(record, key, f"leave this empty on a ‘{record.kind}’ row")

    def level(self, record: _Record, *, required: bool) -> str | None:
        value = self.string(record, "judgement")
        if not value:
            if required:
                self.problem(record, "judgement", f"enter the judgement ({', '.join(self.framework.scale.ids)})")
            return None
        level = self.levels.get(_key(value))
        if level is None:
            self.problem(record, "judgement", f"‘{value}’ is not a level on the scale ({', '.join(self.framework.scale.ids)})")
        return level

    def text(self, record: _Record, *, required: str | None) -> str:
        value = self.string(record, "text").replace("\r\n", "\n")
        if not value and required:
            self.problem(record, "text", required)
        if len(value) > self.max_text:
            self.problem(record, "text", f"must be {self.max_text:,} characters or fewer (it has {len(value):,})")
        return value

    def inspected_on(self, record: _Record) -> date | None:
        value = self.string(record, "date")
        if not value:
            self.problem(record, "date", "enter the date of the inspection, like 2026-03-14")
            return None
        for pattern in DATE_FORMATS:
            try:
                day = datetime.strptime(value, pattern).date()
            except ValueError:
                continue
            if day > self.today:
                self.problem(record, "date", f"‘{value}’ is in the future; enter the date the inspection took place")
                return None
            return day
        self.problem(record, "date", f"‘{value}’ is not a date; write it like 2026-03-14")
        return None

    def subjects(self, record: _Record) -> tuple[str, ...]:
        raw = record.values.get("subject", "")
        if isinstance(raw, list):
            if not all(isinstance(item, str) for item in raw):
                self.problem(record, "subject", "must be a list of domain and benchmark ids, in double quotes")
                return ()
            parts = [item.strip() for item in raw if item.strip()]
        else:
            parts = [part for part in re.split(r"[\s,;]+", self.string(record, "subject")) if part]
        known = set(self.domain_ids) | set(self.benchmark_ids)
        for part in parts:
            if part not in known:
                self.problem(record, "subject", f"‘{part}’ is not a domain or benchmark id of this round’s framework")
        ordered = [*self.domain_ids, *self.benchmark_ids]
        return tuple(sorted({p for p in parts if p in known}, key=ordered.index))


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", " ", name.strip().lower())


def _check(records: list[_Record], framework: Framework, *, today: date, max_text: int) -> FindingsFile:
    check = _Checker(framework, today, max_text)
    inspected_on: date | None = None
    inspection_rows: list[str] = []
    findings: list[FindingInput] = []
    seen: dict[str, str] = {}
    recommendations: list[RecommendationInput] = []
    for record in records:
        check.problems += record.problems
        if record.unreadable:
            continue
        if record.kind == "inspection":
            inspection_rows.append(record.where)
            if len(inspection_rows) > 1:
                check.problem(record, "kind", f"there is already an ‘inspection’ row ({inspection_rows[0]}); give the date once")
                continue
            check.empty(record, "subject", "judgement", "text", "priority")
            inspected_on = check.inspected_on(record)
        elif record.kind in ("domain", "benchmark"):
            finding = _finding(check, record, seen)
            if finding is not None:
                findings.append(finding)
        elif record.kind == "recommendation":
            check.empty(record, "judgement", "date")
            text = check.text(record, required="enter the recommendation")
            priority = check.string(record, "priority").lower()
            if priority not in RECOMMENDATION_PRIORITIES:
                shown = f"‘{priority}’ is not a priority" if priority else "enter the priority"
                check.problem(record, "priority", f"{shown} ({', '.join(RECOMMENDATION_PRIORITIES)})")
            recommendations.append(RecommendationInput(text, priority, check.subjects(record)))
        else:
            shown = f"‘{record.kind}’ is not a kind of row" if record.kind else "enter the kind of row"
            check.problem(record, "kind", f"{shown} ({', '.join(KINDS)})")
    if not inspection_rows:
        check.problems.insert(0, "The file, inspection: add a row of kind ‘inspection’ with the date of the inspection")
    if check.problems:
        raise FindingsFileError(check.problems)
    assert inspected_on is not None
    return FindingsFile(inspected_on, tuple(findings), tuple(recommendations))


def _finding(check: _Checker, record: _Record, seen: dict[str, str]) -> FindingInput | None:
    is_domain = record.kind == "domain"
    check.empty(record, "priority", "date")
    subject = check.string(record, "subject")
    known = check.domain_ids if is_domain else check.benchmark_ids
    if not subject:
        check.problem(record, "subject", f"enter the {record.kind} id, like {known[0]}")
    elif subject not in known:
        check.problem(record, "subject", f"‘{subject}’ is not a {record.kind} id of this round’s framework (for example {known[0]})")
    elif subject in seen:
        check.problem(record, "subject", f"‘{subject}’ is already given in {seen[subject]}")
    level = check.level(record, required=is_domain)
    text = check.text(record, required="enter the summary of the findings for the domain" if is_domain else None)
    if not is_domain and not text and not check.string(record, "judgement"):
        check.problem(record, "judgement", f"enter a judgement, a finding in ‘{record.name('text')}’, or both")
    if subject in known and subject not in seen:
        seen[subject] = record.where
        return FindingInput(subject, level, text)
    return None
