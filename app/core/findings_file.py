"""Reading inspection findings from a CSV or JSON file (no Flask, no database).

The formats are described for inspectors in ``docs/findings-format.md``.
:func:`read_findings_file` either returns the whole set of findings or raises
:class:`FindingsFileError` listing every problem, each as
``"<where>, <field>: <what is wrong>"`` (``"Row 4, judgement: 'excelent' is
not a level on the scale (...)"``), so the inspector can fix them all at
once. Nothing is saved unless every row is right: the caller saves only what
this returns.

The problems are worded in the ``lang`` asked for, from the app's catalogue
(:mod:`app.core.catalogue`); the file's own words (column names, keys, ids and
level ids) stay as they are in the file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from app.core.catalogue import translations
from app.core.framework import Framework
from app.core.json_source import MAX_DEPTH, MAX_NUMBER_DIGITS, JsonShapeError, read_json
from app.core.vocabulary import OVERALL_REASONS_SUBJECT, OVERALL_SUBJECT, RECOMMENDATION_PRIORITIES

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
KINDS: tuple[str, ...] = ("inspection", "overall", "reason", "domain", "benchmark", "recommendation")
#: The CSV columns (any order; a column no row needs may be left out).
CSV_COLUMNS: tuple[str, ...] = ("kind", "subject", "judgement", "text", "priority", "date")
#: The most rows after a CSV file's header, blank ones included, or entries in a JSON file's lists.
MAX_ROWS = 2000
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y")
ZIP_SIGNATURE = b"PK\x03\x04"

#: gettext for the language the problems are worded in.
Gettext = Callable[[str], str]


@dataclass(frozen=True)
class FindingInput:
    """A judgement and/or finding for a domain or a benchmark (a domain always has both).

    The overall judgement and its summary come as subject ``"overall"``; the
    inspectors' reasons as ``"overall_reasons"`` (text only, one reason a line).
    """

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


def _problem(_: Gettext, where: str, name: str, message: str) -> str:
    """One problem as the inspector reads it: "Row 4, judgement: what is wrong"."""
    return _("%(where)s, %(field)s: %(problem)s") % {"where": where, "field": name, "problem": message}


def _number(n: int) -> str:
    return f"{n:,}"  # Welsh groups thousands with commas too


def read_findings_file(
    data: bytes,
    filename: str,
    framework: Framework,
    *,
    today: date,
    max_text: int,
    lang: str = "en",
) -> FindingsFile:
    """Read and check a findings file; ``FindingsFileError`` (and nothing else) if anything is wrong.

    The format is chosen by the file name's extension (``.csv`` or
    ``.json``), or, without one, by whether the text starts with ``{``.
    Judgements are level ids or labels of ``framework``'s scale; subjects
    are its domain and benchmark ids. ``max_text`` caps each text. The
    problems are worded in ``lang``.
    """
    _ = translations(lang).gettext
    text = _decode(data, _)
    records = _json_records(text, _) if _is_json(filename, text) else _csv_records(text, _)
    return _check(records, framework, today=today, max_text=max_text, gettext=_)


def _decode(data: bytes, _: Gettext) -> str:
    if not data.strip():
        raise FindingsFileError([_("The file is empty")])
    if data.startswith(ZIP_SIGNATURE):
        raise FindingsFileError([_("The file is a spreadsheet workbook, not CSV. In your spreadsheet, save it as ‘CSV UTF-8’ and upload that")])
    if b"\x00" in data:
        raise FindingsFileError([_("The file is not a CSV or JSON text file")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise FindingsFileError(
            [_("Line %(line)s: the file is not UTF-8 text. In your spreadsheet, save it as ‘CSV UTF-8’ and upload it again") % {"line": line}]
        ) from None


def _is_json(filename: str, text: str) -> bool:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in ("csv", "json"):
        return extension == "json"
    return text.lstrip().startswith("{")


# --- CSV -------------------------------------------------------------------


def _header(cells: list[str]) -> list[str]:
    return [re.sub(r"[\s-]+", "_", cell.strip().lower()) for cell in cells]


def _csv_rows(text: str, _: Gettext) -> Iterator[tuple[int, list[str]]]:
    """Rows numbered as a spreadsheet shows them (the header is row 1), blank rows skipped.

    Blank rows count towards ``MAX_ROWS``: a sheet can hold a hundred thousand of them.
    """
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    number = 0
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS + 1:
                message = _("Row %(row)s: the file has more than %(max)s rows (blank rows count too: delete them in your spreadsheet)")
                raise FindingsFileError([message % {"row": number, "max": _number(MAX_ROWS)}])
            if any(cell.strip() for cell in cells):
                yield number, cells
    except csv.Error as exc:
        raise FindingsFileError([_("Row %(row)s: the file cannot be read as CSV (%(error)s)") % {"row": number + 1, "error": exc}]) from None


def _csv_records(text: str, _: Gettext) -> list[_Record]:
    rows = _csv_rows(text, _)
    first = next(rows, None)
    if first is None:
        raise FindingsFileError([_("The file is empty")])
    header = _header(first[1])
    where, field_name = _("Row %(row)s") % {"row": first[0]}, _("header")
    columns = ", ".join(CSV_COLUMNS)
    problems = [
        _problem(_, where, field_name, _("unknown column ‘%(name)s’ (the columns are %(columns)s)") % {"name": name, "columns": columns})
        for name in header
        if name not in CSV_COLUMNS
    ]
    problems += [
        _problem(_, where, field_name, _("the column ‘%(name)s’ appears twice") % {"name": name})
        for name in sorted({n for n in header if header.count(n) > 1})
    ]
    if "kind" not in header:
        problems.append(_problem(_, where, field_name, _("the column ‘kind’ is missing")))
    if problems:
        raise FindingsFileError(problems)
    records: list[_Record] = []
    for number, cells in rows:
        where = _("Row %(row)s") % {"row": number}
        if len(cells) > len(header):
            message = _(
                "%(where)s: it has %(cells)s cells but the header has %(columns)s columns (put text containing commas in double quotes)"
            ) % {"where": where, "cells": len(cells), "columns": len(header)}
            records.append(_Record(where, "", {}, problems=[message], unreadable=True))
            continue
        values: dict[str, object] = dict(zip(header, [cell.strip() for cell in cells], strict=False))
        records.append(_Record(where, str(values.pop("kind", "")).lower(), values))
    return records


# --- JSON ------------------------------------------------------------------

# Each list in a JSON file: its key, the kind of entry, and each field's key for the canonical name.
JSON_LISTS: dict[str, tuple[str, dict[str, str]]] = {
    "domains": ("domain", {"subject": "domain", "judgement": "judgement", "text": "summary"}),
    "benchmarks": ("benchmark", {"subject": "benchmark", "judgement": "judgement", "text": "finding"}),
    "recommendations": ("recommendation", {"subject": "about", "text": "text", "priority": "priority"}),
}
JSON_TOP_KEYS = ("inspected_on", "overall", *JSON_LISTS)
#: The keys of the JSON file's ``overall`` object, by canonical name.
JSON_OVERALL_KEYS = {"judgement": "judgement", "text": "summary", "reasons": "reasons"}


def _item(_: Gettext, list_key: str, number: int) -> str:
    """Where an entry of one of the JSON file's lists is, e.g. "Domains item 2"."""
    wording = {
        "domains": _("Domains item %(number)s"),
        "benchmarks": _("Benchmarks item %(number)s"),
        "recommendations": _("Recommendations item %(number)s"),
    }
    return wording[list_key] % {"number": number}


def _json_records(text: str, _: Gettext) -> list[_Record]:
    try:
        document = read_json(text)
    except json.JSONDecodeError as exc:
        raise FindingsFileError(
            [_("Line %(line)s: the file is not valid JSON (%(error)s, column %(column)s)") % {"line": exc.lineno, "error": exc.msg, "column": exc.colno}]
        ) from None
    except JsonShapeError as exc:
        raise FindingsFileError([_json_shape_problem(exc, _)]) from None
    if not isinstance(document, dict):
        raise FindingsFileError([_("The file must hold one JSON object, starting with {")])
    the_file = _("The file")
    top = _Record(the_file, "inspection", {"date": document.get("inspected_on", "")}, {"date": "inspected_on"})
    top.problems = [
        _problem(_, the_file, key, _("unknown key (the keys are %(keys)s)") % {"keys": ", ".join(JSON_TOP_KEYS)})
        for key in document
        if key not in JSON_TOP_KEYS
    ]
    records = [top]
    if document.get("overall") is not None:
        records.append(_json_overall(document["overall"], _))
    for list_key, (kind, names) in JSON_LISTS.items():
        entries = document.get(list_key, [])
        if not isinstance(entries, list):
            top.problems.append(_problem(_, the_file, list_key, _("must be a list, in [ ]")))
            continue
        if len(records) + len(entries) > MAX_ROWS:
            raise FindingsFileError([_("The file has more than %(max)s entries") % {"max": _number(MAX_ROWS)}])
        reverse = {file_key: canonical for canonical, file_key in names.items()}
        for number, entry in enumerate(entries, start=1):
            where = _item(_, list_key, number)
            if not isinstance(entry, dict):
                problem = _("%(where)s: must be an object, in { }") % {"where": where}
                records.append(_Record(where, kind, {}, problems=[problem], unreadable=True))
                continue
            keys = ", ".join(names.values())
            unknown = [_problem(_, where, key, _("unknown key (the keys are %(keys)s)") % {"keys": keys}) for key in entry if key not in reverse]
            values = {reverse[key]: value for key, value in entry.items() if key in reverse}
            records.append(_Record(where, kind, values, names, problems=unknown))
    return records


def _json_overall(part: object, _: Gettext) -> _Record:
    """The JSON file's ``overall`` object as one record of kind ‘overall’ (its reasons under ``reasons``)."""
    where = _("The overall judgement")
    if not isinstance(part, dict):
        return _Record(where, "overall", {}, problems=[_("%(where)s: must be an object, in { }") % {"where": where}], unreadable=True)
    reverse = {file_key: canonical for canonical, file_key in JSON_OVERALL_KEYS.items()}
    keys = ", ".join(JSON_OVERALL_KEYS.values())
    unknown = [_problem(_, where, key, _("unknown key (the keys are %(keys)s)") % {"keys": keys}) for key in part if key not in reverse]
    values = {reverse[key]: value for key, value in part.items() if key in reverse}
    return _Record(where, "overall", values, JSON_OVERALL_KEYS, problems=unknown)


def _json_shape_problem(error: JsonShapeError, _: Gettext) -> str:
    """What :func:`app.core.json_source.read_json` refused, worded for the inspector: "Line 3, column 9: ..."."""
    where = {"line": error.line, "column": error.column}
    if error.reason == "long_number":
        message = _("Line %(line)s, column %(column)s: the number %(number)s is too long (%(length)s characters; at most %(max)s digits)")
        return message % {**where, "number": error.shown, "length": _number(len(error.token)), "max": MAX_NUMBER_DIGITS}
    if error.reason in ("large_number", "constant"):
        return _("Line %(line)s, column %(column)s: %(number)s cannot be read as a number") % {**where, "number": error.shown}
    if error.reason == "depth":
        return _("Line %(line)s, column %(column)s: lists and objects are nested too deeply (more than %(max)s levels)") % {**where, "max": MAX_DEPTH}
    return _("Line %(line)s, column %(column)s: the escape %(escape)s is half of a pair, not a whole character") % {**where, "escape": error.token}


# --- Checks ----------------------------------------------------------------


class _Checker:
    """Checks records one by one, collecting every problem."""

    def __init__(self, framework: Framework, today: date, max_text: int, gettext: Gettext) -> None:
        self.gettext = gettext
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
        self.problems.append(_problem(self.gettext, record.where, record.name(key), message))

    def string(self, record: _Record, key: str) -> str:
        _ = self.gettext
        value = record.values.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(record, key, _("must be text, in double quotes"))
            return ""
        return value.strip()

    def empty(self, record: _Record, *keys: str) -> None:
        _ = self.gettext
        for key in keys:
            if key in record.values and record.values[key] not in ("", None, []):
                self.problem(record, key, _("leave this empty on a ‘%(kind)s’ row") % {"kind": record.kind})

    def level(self, record: _Record, *, required: bool) -> str | None:
        _ = self.gettext
        value = self.string(record, "judgement")
        levels = ", ".join(self.framework.scale.ids)
        if not value:
            if required:
                self.problem(record, "judgement", _("enter the judgement (%(levels)s)") % {"levels": levels})
            return None
        level = self.levels.get(_key(value))
        if level is None:
            self.problem(record, "judgement", _("‘%(value)s’ is not a level on the scale (%(levels)s)") % {"value": value, "levels": levels})
        return level

    def text(self, record: _Record, *, required: str | None) -> str:
        _ = self.gettext
        value = self.string(record, "text").replace("\r\n", "\n")
        if not value and required:
            self.problem(record, "text", required)
        if len(value) > self.max_text:
            self.problem(
                record, "text", _("must be %(max)s characters or fewer (it has %(length)s)") % {"max": _number(self.max_text), "length": _number(len(value))}
            )
        return value

    def reasons(self, record: _Record) -> list[str]:
        """A JSON overall judgement's reasons: a list of texts (blank ones left out)."""
        _ = self.gettext
        raw = record.values.get("reasons")
        if raw is None:
            return []
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            self.problem(record, "reasons", _("must be a list of reasons, each in double quotes"))
            return []
        return [_one_line(item) for item in raw if item.strip()]

    def inspected_on(self, record: _Record) -> date | None:
        _ = self.gettext
        value = self.string(record, "date")
        if not value:
            self.problem(record, "date", _("enter the date of the inspection, like 2026-03-14"))
            return None
        for pattern in DATE_FORMATS:
            try:
                day = datetime.strptime(value, pattern).date()
            except ValueError:
                continue
            if day > self.today:
                self.problem(record, "date", _("‘%(value)s’ is in the future; enter the date the inspection took place") % {"value": value})
                return None
            return day
        self.problem(record, "date", _("‘%(value)s’ is not a date; write it like 2026-03-14") % {"value": value})
        return None

    def subjects(self, record: _Record) -> tuple[str, ...]:
        _ = self.gettext
        raw = record.values.get("subject", "")
        if isinstance(raw, list):
            if not all(isinstance(item, str) for item in raw):
                self.problem(record, "subject", _("must be a list of domain and benchmark ids, in double quotes"))
                return ()
            parts = [item.strip() for item in raw if item.strip()]
        else:
            parts = [part for part in re.split(r"[\s,;]+", self.string(record, "subject")) if part]
        known = set(self.domain_ids) | set(self.benchmark_ids)
        for part in parts:
            if part not in known:
                self.problem(record, "subject", _("‘%(id)s’ is not a domain or benchmark id of this round’s framework") % {"id": part})
        ordered = [*self.domain_ids, *self.benchmark_ids]
        return tuple(sorted({p for p in parts if p in known}, key=ordered.index))


def _one_line(text: str) -> str:
    """A reason on one line (the reasons are stored one a line)."""
    return " ".join(text.split())


def _key(name: str) -> str:
    return re.sub(r"[\s_-]+", " ", name.strip().lower())


def _check(records: list[_Record], framework: Framework, *, today: date, max_text: int, gettext: Gettext) -> FindingsFile:
    _ = gettext
    check = _Checker(framework, today, max_text, gettext)
    inspected_on: date | None = None
    inspection_rows: list[str] = []
    findings: list[FindingInput] = []
    seen: dict[str, str] = {}
    recommendations: list[RecommendationInput] = []
    overall_rows: list[str] = []
    overall: FindingInput | None = None
    reasons: list[tuple[_Record, str]] = []
    for record in records:
        check.problems += record.problems
        if record.unreadable:
            continue
        if record.kind == "inspection":
            inspection_rows.append(record.where)
            if len(inspection_rows) > 1:
                check.problem(record, "kind", _("there is already an ‘inspection’ row (%(where)s); give the date once") % {"where": inspection_rows[0]})
                continue
            check.empty(record, "subject", "judgement", "text", "priority")
            inspected_on = check.inspected_on(record)
        elif record.kind == "overall":
            overall_rows.append(record.where)
            if len(overall_rows) > 1:
                message = _("there is already an ‘overall’ row (%(where)s); give the overall judgement once") % {"where": overall_rows[0]}
                check.problem(record, "kind", message)
                continue
            check.empty(record, "subject", "priority", "date")
            level = check.level(record, required=True)
            summary = check.text(record, required=_("enter the summary of the overall judgement"))
            overall = FindingInput(OVERALL_SUBJECT, level, summary)
            reasons += [(record, reason) for reason in check.reasons(record)]
        elif record.kind == "reason":
            check.empty(record, "subject", "judgement", "priority", "date")
            reason = check.text(record, required=_("enter the reason"))
            if reason:
                reasons.append((record, _one_line(reason)))
        elif record.kind in ("domain", "benchmark"):
            finding = _finding(check, record, seen)
            if finding is not None:
                findings.append(finding)
        elif record.kind == "recommendation":
            check.empty(record, "judgement", "date")
            text = check.text(record, required=_("enter the recommendation"))
            priority = check.string(record, "priority").lower()
            if priority not in RECOMMENDATION_PRIORITIES:
                priorities = ", ".join(RECOMMENDATION_PRIORITIES)
                if priority:
                    message = _("‘%(value)s’ is not a priority (%(priorities)s)") % {"value": priority, "priorities": priorities}
                else:
                    message = _("enter the priority (%(priorities)s)") % {"priorities": priorities}
                check.problem(record, "priority", message)
            recommendations.append(RecommendationInput(text, priority, check.subjects(record)))
        else:
            kinds = ", ".join(KINDS)
            if record.kind:
                message = _("‘%(value)s’ is not a kind of row (%(kinds)s)") % {"value": record.kind, "kinds": kinds}
            else:
                message = _("enter the kind of row (%(kinds)s)") % {"kinds": kinds}
            check.problem(record, "kind", message)
    if not inspection_rows:
        missing = _("add a row of kind ‘inspection’ with the date of the inspection")
        check.problems.insert(0, _problem(_, _("The file"), "inspection", missing))
    if reasons and not overall_rows:
        check.problem(reasons[0][0], "kind", _("reasons need a row of kind ‘overall’ with the overall judgement and its summary"))
    reasons_text = "\n".join(reason for _record, reason in reasons)
    if len(reasons_text) > max_text:
        message = _("the reasons together must be %(max)s characters or fewer (they have %(length)s)")
        first = reasons[0][0]
        check.problem(first, "reasons" if first.kind == "overall" else "text", message % {"max": _number(max_text), "length": _number(len(reasons_text))})
    if overall is not None:
        findings.insert(0, overall)
        if reasons_text:
            findings.insert(1, FindingInput(OVERALL_REASONS_SUBJECT, None, reasons_text))
    if not check.problems and not findings and not recommendations:
        # Importing it would remove every draft finding and recommendation.
        check.problems.append(_("The file has no judgements, findings or recommendations, so nothing was imported"))
    if check.problems:
        raise FindingsFileError(check.problems)
    assert inspected_on is not None
    return FindingsFile(inspected_on, tuple(findings), tuple(recommendations))


def _finding(check: _Checker, record: _Record, seen: dict[str, str]) -> FindingInput | None:
    _ = check.gettext
    is_domain = record.kind == "domain"
    check.empty(record, "priority", "date")
    subject = check.string(record, "subject")
    known = check.domain_ids if is_domain else check.benchmark_ids
    if not subject:
        message = _("enter the domain id, like %(example)s") if is_domain else _("enter the benchmark id, like %(example)s")
        check.problem(record, "subject", message % {"example": known[0]})
    elif subject not in known:
        if is_domain:
            message = _("‘%(id)s’ is not a domain id of this round’s framework (for example %(example)s)")
        else:
            message = _("‘%(id)s’ is not a benchmark id of this round’s framework (for example %(example)s)")
        check.problem(record, "subject", message % {"id": subject, "example": known[0]})
    elif subject in seen:
        check.problem(record, "subject", _("‘%(id)s’ is already given in %(where)s") % {"id": subject, "where": seen[subject]})
    level = check.level(record, required=is_domain)
    text = check.text(record, required=_("enter the summary of the findings for the domain") if is_domain else None)
    if not is_domain and not text and not check.string(record, "judgement"):
        check.problem(record, "judgement", _("enter a judgement, a finding in ‘%(field)s’, or both") % {"field": record.name("text")})
    if subject in known and subject not in seen:
        seen[subject] = record.where
        return FindingInput(subject, level, text)
    return None
