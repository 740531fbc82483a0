"""The assessment file: a whole round as one JSON document (pure: no Flask, no database).

``sait export-assessment`` writes it and ``sait import-assessment`` reads it;
``app/reports/assessment_export.py`` and ``assessment_import.py`` do the
database side. The format is described for administrators in
``docs/assessment-format.md``.

:func:`read_document` either returns a document whose every part has been
checked, or raises :class:`AssessmentFileError` listing every problem, each
as ``path: what is wrong`` (``responses[3].answers[12].rating: 'excelent' is
not a level (...)``), so nothing half-checked is ever saved. :func:`dump`
writes a document the same way every time, so export, import and export
again gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from app.agencies import AGENCY_BY_ID
from app.framework import Framework, FrameworkError, parse_framework

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "AssessmentFileError",
    "dump",
    "embedded_framework",
    "format_datetime",
    "parse_date",
    "parse_datetime",
    "read_document",
]

FORMAT = "sait-assessment"
FORMAT_VERSION = 1

ROUND_STATUSES = ("open", "closed", "moderated", "published")
RESPONSE_STATUSES = ("in_progress", "submitted")
ACTION_STATUSES = ("not_started", "on_track", "at_risk", "done")
ROLES = ("business_manager", "member", "inspector")
INSPECTION_STATUSES = ("draft", "published")
PRIORITIES = ("immediate", "improvement")
CHALLENGE_ROLES = ("inspector", "business_manager")
NOT_LEVELS = ("not_known", "not_applicable")
#: Free text longer than this is refused (the columns are unlimited; a file is not).
LONG_TEXT = 100_000


class AssessmentFileError(Exception):
    """The file cannot be imported; ``problems`` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


# -- values ----------------------------------------------------------------


def format_datetime(value: datetime | None) -> str | None:
    """A time as the file stores it: ISO 8601 in UTC, e.g. ``2026-03-01T09:30:00Z``."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def parse_datetime(text: str | None) -> datetime | None:
    """The time a checked file's text stands for (UTC)."""
    return None if text is None else datetime.fromisoformat(text).astimezone(timezone.utc)


def parse_date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def dump(document: Mapping[str, Any]) -> str:
    """The document as the file's text: UTF-8 JSON, two-space indent, keys in the format's order."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def embedded_framework(document: Mapping[str, Any]) -> Framework:
    """The framework whose source text a checked document carries."""
    part = document["framework"]
    return parse_framework(part["source"], f"framework version {part['version']}")


# -- checking --------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """What one key of an object must hold. ``kind``: text, email, date, datetime, choice, bool, int, list, object, any."""

    kind: str
    nullable: bool = False
    max_len: int = LONG_TEXT
    blank: bool = True
    choices: tuple[str, ...] = ()
    what: str = "one of"


def _text(max_len: int = LONG_TEXT, *, blank: bool = True, nullable: bool = False) -> Field:
    return Field("text", nullable=nullable, max_len=max_len, blank=blank)


def _choice(choices: Iterable[str], what: str, *, nullable: bool = False) -> Field:
    return Field("choice", nullable=nullable, choices=tuple(choices), what=what)


EMAIL = Field("email", max_len=254)
EMAIL_OR_NULL = Field("email", nullable=True, max_len=254)
WHEN = Field("datetime")
WHEN_OR_NULL = Field("datetime", nullable=True)
AGENCY = _choice(AGENCY_BY_ID, "an agency")

# The parts that are objects are checked on their own, so here they may be anything.
TOP = {
    "format": _text(),
    "format_version": Field("int"),
    "board": Field("any", nullable=True),
    "framework": Field("any", nullable=True),
    "round": Field("any", nullable=True),
    "people": Field("list"),
    "evidence": Field("list"),
    "responses": Field("list"),
    "agreed_ratings": Field("list"),
    "actions": Field("list"),
    "inspection": Field("any", nullable=True),
    "challenges": Field("list"),
    "rigour_flags": Field("list"),
}
BOARD = {"name": _text(200, blank=False)}
FRAMEWORK = {"version": _text(64, blank=False), "sha256": _text(64, blank=False), "source": _text(2_000_000, blank=False)}
ROUND = {
    "title": _text(200, blank=False),
    "status": _choice(ROUND_STATUSES, "a round status"),
    "target_level": _text(32, blank=False),
    "deadline": Field("date", nullable=True),
    "opened_at": WHEN,
    "closed_at": WHEN_OR_NULL,
    "opened_by": EMAIL_OR_NULL,
}
PERSON = {
    "email": EMAIL,
    "name": _text(200, blank=False),
    "role": _choice(ROLES, "a role", nullable=True),
    "agency": _choice(AGENCY_BY_ID, "an agency", nullable=True),
    "removed_at": WHEN_OR_NULL,
}
EVIDENCE = {
    "ref": _text(16, blank=False),
    "title": _text(200, blank=False),
    "source_agency": AGENCY,
    "date": Field("date"),
    "impact": _text(),
    "reference": _text(500),
    "created_at": WHEN,
    "created_by": EMAIL_OR_NULL,
    "updated_at": WHEN,
    "updated_by": EMAIL_OR_NULL,
}
RESPONSE = {
    "respondent": EMAIL,
    "agency": AGENCY,
    "status": _choice(RESPONSE_STATUSES, "a response status"),
    "created_at": WHEN,
    "submitted_at": WHEN_OR_NULL,
    "answers": Field("list"),
}
ANSWER = {
    "benchmark": _text(64, blank=False),
    "rating": _text(32, nullable=True),
    "evidence": _text(),
    "no_evidence_yet": Field("bool"),
    "cites": Field("list"),
    "updated_at": WHEN,
    "updated_by": EMAIL_OR_NULL,
}
AGREED = {
    "benchmark": _text(64, blank=False),
    "rating": _text(32),
    "rationale": _text(),
    "cites": Field("list"),
    "updated_at": WHEN,
    "updated_by": EMAIL_OR_NULL,
}
ACTION = {
    "description": _text(blank=False),
    "owner_agency": AGENCY,
    "lead_person": _text(200, blank=False),
    "due_date": Field("date"),
    "success_measure": _text(blank=False),
    "status": _choice(ACTION_STATUSES, "an action status"),
    "domain": _text(32, nullable=True),
    "benchmarks": Field("list"),
    "created_at": WHEN,
    "created_by": EMAIL_OR_NULL,
    "updated_at": WHEN,
    "updated_by": EMAIL_OR_NULL,
}
INSPECTION = {
    "inspected_on": Field("date", nullable=True),
    "status": _choice(INSPECTION_STATUSES, "an inspection status"),
    "published_at": WHEN_OR_NULL,
    "published_by": EMAIL_OR_NULL,
    "created_at": WHEN,
    "created_by": EMAIL_OR_NULL,
    "updated_at": WHEN,
    "updated_by": EMAIL_OR_NULL,
    "findings": Field("list"),
    "recommendations": Field("list"),
}
FINDING = {"subject": _text(64, blank=False), "level": _text(32, nullable=True), "text": _text(), "updated_at": WHEN, "updated_by": EMAIL_OR_NULL}
RECOMMENDATION = {
    "text": _text(blank=False),
    "priority": _choice(PRIORITIES, "a priority"),
    "subjects": Field("list"),
    "created_at": WHEN,
    "created_by": EMAIL_OR_NULL,
    "updated_at": WHEN,
    "updated_by": EMAIL_OR_NULL,
}
CHALLENGE = {
    "benchmark": _text(64, blank=False),
    "author": EMAIL,
    "role": _choice(CHALLENGE_ROLES, "a challenge role"),
    "text": _text(blank=False),
    "created_at": WHEN,
}
FLAG = {"kind": _text(64, blank=False), "benchmark": _text(64, nullable=True), "agency": _text(32, nullable=True), "message": _text()}


class _Checker:
    """Collects every problem as ``path: message``."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def object(self, value: Any, path: str, spec: Mapping[str, Field]) -> dict[str, Any] | None:
        """``value`` if it is an object with exactly ``spec``'s keys, each of the right kind (else None)."""
        if not isinstance(value, dict):
            self.problem(path, f"must be an object, not {_json_type(value)}")
            return None
        before = len(self.problems)
        for key in value:
            if key not in spec:
                self.problem(_join(path, key), "is not part of the format")
        for key, field in spec.items():
            if key not in value:
                self.problem(_join(path, key), "is missing")
            else:
                self.value(value[key], _join(path, key), field)
        return value if len(self.problems) == before else None

    def value(self, value: Any, path: str, field: Field) -> None:
        if value is None:
            if not field.nullable:
                self.problem(path, "must not be null")
            return
        check = _KIND_CHECKS[field.kind]
        message = check(value, field)
        if message:
            self.problem(path, message)

    def items(self, value: Any, path: str, spec: Mapping[str, Field]) -> list[tuple[str, dict[str, Any]]]:
        """The entries of a list of objects that are well formed, each with its path."""
        if not isinstance(value, list):
            return []
        checked = []
        for n, item in enumerate(value):
            item_path = f"{path}[{n}]"
            if self.object(item, item_path, spec) is not None:
                checked.append((item_path, item))
        return checked

    def strings(self, value: Any, path: str) -> list[str]:
        """A list of strings, or [] (with a problem) if it is not one."""
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(path, "must be a list of strings")
            return []
        return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _check_text(value: Any, field: Field) -> str | None:
    if not isinstance(value, str):
        return f"must be text, not {_json_type(value)}"
    if not field.blank and not value.strip():
        return "must not be empty"
    if len(value) > field.max_len:
        return f"is {len(value)} characters long; at most {field.max_len} are allowed"
    if "\x00" in value:
        return "contains a NUL character"
    return None


def _check_email(value: Any, field: Field) -> str | None:
    problem = _check_text(value, field)
    if problem:
        return problem
    local, at, domain = value.partition("@")
    if not (at and local and "." in domain) or any(c.isspace() for c in value):
        return f"{value!r} is not an email address"
    return None


def _check_date(value: Any, field: Field) -> str | None:
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return f"{value!r} is not a date like 2026-03-31"
    return None


def _check_datetime(value: Any, field: Field) -> str | None:
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return f"{value!r} is not a time like 2026-03-31T14:30:00Z"
    if parsed.tzinfo is None:
        return f"{value!r} has no time zone (end it with Z for UTC)"
    return None


def _check_choice(value: Any, field: Field) -> str | None:
    if value not in field.choices:
        return f"{value!r} is not {field.what} (one of: {', '.join(field.choices)})"
    return None


def _check_type(expected: type, name: str) -> Callable[[Any, Field], str | None]:
    def check(value: Any, field: Field) -> str | None:
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            return f"must be {name}, not {_json_type(value)}"
        return None

    return check


_KIND_CHECKS: dict[str, Callable[[Any, Field], str | None]] = {
    "text": _check_text,
    "email": _check_email,
    "date": _check_date,
    "datetime": _check_datetime,
    "choice": _check_choice,
    "bool": _check_type(bool, "true or false"),
    "int": _check_type(int, "a whole number"),
    "list": _check_type(list, "a list"),
    "object": _check_type(dict, "an object"),
    "any": lambda value, field: None,
}


def read_document(text: str, filename: str = "the file") -> dict[str, Any]:
    """The checked document in ``text``; :class:`AssessmentFileError` with every problem otherwise."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise AssessmentFileError([f"{filename}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})"]) from None
    except RecursionError:
        raise AssessmentFileError([f"{filename}: nested too deeply to read"]) from None
    checker = _Checker()
    _check_document(checker, document)
    if checker.problems:
        raise AssessmentFileError(checker.problems)
    return document


def _check_document(c: _Checker, document: Any) -> None:
    if not isinstance(document, dict):
        c.problem("(top level)", f"must be an object, not {_json_type(document)}")
        return
    if document.get("format") != FORMAT:
        c.problem("format", f"must be {FORMAT!r}: this is not an assessment file")
        return
    if document.get("format_version") != FORMAT_VERSION:
        c.problem("format_version", f"{document.get('format_version')!r} is not supported (this installation reads version {FORMAT_VERSION})")
        return
    c.object(document, "", TOP)
    if "board" in document:
        c.object(document["board"], "board", BOARD)
    framework = _check_framework(c, document["framework"]) if "framework" in document else None
    people = _check_people(c, document.get("people"))
    evidence_refs = _check_evidence(c, document.get("evidence"), people)
    refs = _References(c, framework, people, evidence_refs)
    round_part = c.object(document["round"], "round", ROUND) if "round" in document else None
    if round_part is not None:
        refs.level(round_part["target_level"], "round.target_level", ratings=False)
        refs.person(round_part["opened_by"], "round.opened_by")
    _check_responses(c, document.get("responses"), refs)
    seen: set[str] = set()
    for path, agreed in c.items(document.get("agreed_ratings"), "agreed_ratings", AGREED):
        refs.benchmark(agreed["benchmark"], f"{path}.benchmark", seen)
        refs.level(agreed["rating"], f"{path}.rating")
        refs.cites(agreed["cites"], f"{path}.cites")
        refs.person(agreed["updated_by"], f"{path}.updated_by")
    for path, action in c.items(document.get("actions"), "actions", ACTION):
        refs.domain(action["domain"], f"{path}.domain")
        for n, benchmark_id in enumerate(c.strings(action["benchmarks"], f"{path}.benchmarks")):
            refs.benchmark(benchmark_id, f"{path}.benchmarks[{n}]")
        refs.people_in(action, path, ("created_by", "updated_by"))
    if document.get("inspection") is not None:
        _check_inspection(c, document["inspection"], refs)
    for path, challenge in c.items(document.get("challenges"), "challenges", CHALLENGE):
        refs.benchmark(challenge["benchmark"], f"{path}.benchmark")
        refs.person(challenge["author"], f"{path}.author")
    c.items(document.get("rigour_flags"), "rigour_flags", FLAG)


def _check_framework(c: _Checker, part: Any) -> Framework | None:
    checked = c.object(part, "framework", FRAMEWORK)
    if checked is None:
        return None
    source = checked["source"]
    if hashlib.sha256(source.encode("utf-8")).hexdigest() != checked["sha256"]:
        c.problem("framework.sha256", "does not match the framework's source text (was the file edited?)")
    try:
        framework = parse_framework(source, f"framework version {checked['version']}")
    except FrameworkError as error:
        for message in error.errors:
            c.problem("framework.source", message)
        return None
    if framework.version != checked["version"]:
        c.problem("framework.version", f"{checked['version']!r} is not the version in the source text ({framework.version!r})")
    return framework


def _named(part: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """Entries of a list that have a text ``key``, even if other fields are wrong, so one
    mistake in an entry does not make every reference to it a problem too."""
    if not isinstance(part, list):
        return []
    return [(n, item) for n, item in enumerate(part) if isinstance(item, dict) and isinstance(item.get(key), str)]


def _check_people(c: _Checker, part: Any) -> dict[str, dict[str, Any]]:
    for path, person in c.items(part, "people", PERSON):
        if (person["role"] is None) != (person["agency"] is None):
            c.problem(path, "give both a role and an agency, or neither")
    people: dict[str, dict[str, Any]] = {}
    for n, person in _named(part, "email"):
        email = person["email"].lower()
        if email in people:
            c.problem(f"people[{n}].email", f"{person['email']!r} is listed twice")
        people[email] = person
    return people


def _check_evidence(c: _Checker, part: Any, people: Mapping[str, Any]) -> set[str]:
    for path, item in c.items(part, "evidence", EVIDENCE):
        for key in ("created_by", "updated_by"):
            if item[key] is not None and item[key].lower() not in people:
                c.problem(f"{path}.{key}", f"{item[key]!r} is not in people")
    refs: set[str] = set()
    for n, item in _named(part, "ref"):
        if item["ref"] in refs:
            c.problem(f"evidence[{n}].ref", f"{item['ref']!r} is used by two pieces of evidence")
        refs.add(item["ref"])
    return refs


class _References:
    """Checks that ids, levels, people and evidence a document names exist."""

    def __init__(self, c: _Checker, framework: Framework | None, people: Mapping[str, Any], evidence_refs: set[str]) -> None:
        self.c, self.framework, self.people, self.evidence_refs = c, framework, people, evidence_refs
        self.benchmark_ids = {b.id for b in framework.benchmarks} if framework else set()
        self.domain_ids = {d.id for d in framework.domains} if framework else set()

    def benchmark(self, benchmark_id: str, path: str, seen: set[str] | None = None) -> None:
        if self.framework is not None and benchmark_id not in self.benchmark_ids:
            self.c.problem(path, f"{benchmark_id!r} is not a benchmark of framework {self.framework.version}")
        if seen is not None:
            if benchmark_id in seen:
                self.c.problem(path, f"{benchmark_id!r} is listed twice")
            seen.add(benchmark_id)

    def domain(self, domain_id: str | None, path: str) -> None:
        if domain_id is not None and self.framework is not None and domain_id not in self.domain_ids:
            self.c.problem(path, f"{domain_id!r} is not a domain of framework {self.framework.version}")

    def subject(self, subject_id: str, path: str) -> None:
        if self.framework is not None and subject_id not in self.domain_ids | self.benchmark_ids:
            self.c.problem(path, f"{subject_id!r} is not a domain or benchmark of framework {self.framework.version}")

    def level(self, rating: str | None, path: str, *, ratings: bool = True) -> None:
        if rating is None or self.framework is None:
            return
        allowed = self.framework.scale.ids + (NOT_LEVELS if ratings else ())
        if rating not in allowed:
            self.c.problem(path, f"{rating!r} is not a level (one of: {', '.join(allowed)})")

    def person(self, email: str | None, path: str) -> None:
        if email is not None and email.lower() not in self.people:
            self.c.problem(path, f"{email!r} is not in people")

    def people_in(self, part: Mapping[str, Any], path: str, keys: Iterable[str]) -> None:
        for key in keys:
            self.person(part[key], f"{path}.{key}")

    def cites(self, value: Any, path: str) -> None:
        for n, ref in enumerate(self.c.strings(value, path)):
            if ref not in self.evidence_refs:
                self.c.problem(f"{path}[{n}]", f"{ref!r} is not the ref of a piece of evidence in this file")


def _check_responses(c: _Checker, part: Any, refs: _References) -> None:
    respondents: set[str] = set()
    for path, response in c.items(part, "responses", RESPONSE):
        email = response["respondent"].lower()
        refs.person(email, f"{path}.respondent")
        if email in respondents:
            c.problem(f"{path}.respondent", f"{response['respondent']!r} has two responses")
        respondents.add(email)
        person = refs.people.get(email)
        if person is not None and person.get("role") is None:
            c.problem(f"{path}.respondent", f"{response['respondent']!r} has no role on the board in people")
        seen: set[str] = set()
        for answer_path, answer in c.items(response["answers"], f"{path}.answers", ANSWER):
            refs.benchmark(answer["benchmark"], f"{answer_path}.benchmark", seen)
            refs.level(answer["rating"], f"{answer_path}.rating")
            refs.cites(answer["cites"], f"{answer_path}.cites")
            refs.person(answer["updated_by"], f"{answer_path}.updated_by")


def _check_inspection(c: _Checker, part: Any, refs: _References) -> None:
    inspection = c.object(part, "inspection", INSPECTION)
    if inspection is None:
        return
    refs.people_in(inspection, "inspection", ("published_by", "created_by", "updated_by"))
    seen: set[str] = set()
    for path, finding in c.items(inspection["findings"], "inspection.findings", FINDING):
        refs.subject(finding["subject"], f"{path}.subject")
        if finding["subject"] in seen:
            c.problem(f"{path}.subject", f"{finding['subject']!r} has two findings")
        seen.add(finding["subject"])
        refs.level(finding["level"], f"{path}.level", ratings=False)
        refs.person(finding["updated_by"], f"{path}.updated_by")
    for path, recommendation in c.items(inspection["recommendations"], "inspection.recommendations", RECOMMENDATION):
        for n, subject_id in enumerate(c.strings(recommendation["subjects"], f"{path}.subjects")):
            refs.subject(subject_id, f"{path}.subjects[{n}]")
        refs.people_in(recommendation, path, ("created_by", "updated_by"))
