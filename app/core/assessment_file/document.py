"""Reading an assessment document (pure: no Flask, no database).

:func:`read_document` checks each part of a document against its pydantic
model in ``schema.py`` (each entry of a list on its own), then that
everything a well-formed part names exists: benchmarks, domains and levels
of the framework the file carries, people listed in ``people`` and evidence
listed in ``evidence``. Every problem is collected, each as ``path: what is
wrong``, and raised together in one :class:`AssessmentFileError`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from pydantic import BaseModel

from app.core.assessment_file.schema import (
    FORMAT,
    FORMAT_VERSION,
    NOT_LEVELS,
    READ_VERSIONS,
    Action,
    AgreedRating,
    Answer,
    Board,
    Challenge,
    Checker,
    Document,
    EmbeddedFramework,
    Evidence,
    Finding,
    Inspection,
    Person,
    Recommendation,
    ReportPart,
    Response,
    RigourFlag,
    Round,
    SignOff,
    Statement,
    json_type,
)
from app.core.framework import Framework, FrameworkError, parse_framework
from app.core.json_source import JsonShapeError, read_json
from app.core.vocabulary import OVERALL_REASONS_SUBJECT, OVERALL_SUBJECT, OVERALL_SUBJECTS


class AssessmentFileError(Exception):
    """The file cannot be imported; ``problems`` lists every one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def embedded_framework(document: Mapping[str, Any]) -> Framework:
    """The framework whose source text a checked document carries."""
    part = document["framework"]
    return parse_framework(part["source"], f"framework version {part['version']}")


def read_document(text: str, filename: str = "the file", *, limits: Mapping[str, int] | None = None) -> dict[str, Any]:
    """The checked document in ``text``; :class:`AssessmentFileError` with every problem otherwise.

    ``limits``: the web's limits on texts, by name (``WEB_LIMITS`` in
    ``schema.py``); without them, texts are held only to the file's own
    limits. The import passes them (``read_assessment`` in
    ``app/data/assessment_import.py``).
    """
    try:
        document = read_json(text)
    except json.JSONDecodeError as error:
        raise AssessmentFileError([f"{filename}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})"]) from None
    except JsonShapeError as error:
        raise AssessmentFileError([f"{filename}:{error.line}:{error.column}: {error.message}"]) from None
    checker = Checker(limits)
    document = _as_current_version(document)
    _check_document(checker, document)
    if checker.problems:
        raise AssessmentFileError(checker.problems)
    return document


def _check_document(c: Checker, document: Any) -> None:
    """Note on ``c`` every problem in ``document``: each part's shape, then what the part names."""
    if not isinstance(document, dict):
        c.problem("(top level)", f"must be an object, not {json_type(document)}")
        return
    if document.get("format") != FORMAT:
        c.problem("format", f"must be {FORMAT!r}: this is not an assessment file")
        return
    version = document.get("format_version")
    if isinstance(version, bool):  # true equals 1 in Python: refused here, before anything is read as version 1
        c.problem("format_version", "must be a whole number, not true or false")
        return
    if version not in READ_VERSIONS:  # a version 1 file has already been read as version 2 (_as_current_version)
        *earlier, last = (str(number) for number in READ_VERSIONS)
        versions = f"{', '.join(earlier)} and {last}" if earlier else last
        c.problem("format_version", f"{version!r} is not supported (this installation reads versions {versions})")
        return
    c.part(Document, document, "")
    if "board" in document:
        c.part(Board, document["board"], "board")
    framework = _check_framework(c, document["framework"]) if "framework" in document else None
    people = _check_people(c, document.get("people"))
    evidence, evidence_refs = _check_evidence(c, document.get("evidence"), people)
    refs = _References(c, framework, people, evidence_refs)
    for path, item in evidence:
        _check_evidence_tags(c, item, path, refs)
    round_part = c.part(Round, document["round"], "round") if "round" in document else None
    if round_part is not None:
        refs.level(round_part.target_level, "round.target_level", ratings=False)
        refs.person(round_part.opened_by, "round.opened_by")
    _check_responses(c, document.get("responses"), refs)
    seen: set[str] = set()
    for path, agreed in c.items(AgreedRating, document.get("agreed_ratings"), "agreed_ratings"):
        refs.benchmark(agreed.benchmark, f"{path}.benchmark", seen)
        refs.level(agreed.rating, f"{path}.rating")
        refs.cites(agreed.cites, f"{path}.cites")
        refs.person(agreed.updated_by, f"{path}.updated_by")
    for path, action in c.items(Action, document.get("actions"), "actions"):
        refs.domain(action.domain, f"{path}.domain")
        for n, benchmark_id in enumerate(action.benchmarks):
            refs.benchmark(benchmark_id, f"{path}.benchmarks[{n}]")
        _check_measure(c, action, path)
        refs.people_in(action, path, ("created_by", "updated_by"))
    if document.get("inspection") is not None:
        _check_inspection(c, document["inspection"], refs)
    for path, challenge in c.items(Challenge, document.get("challenges"), "challenges"):
        refs.benchmark(challenge.benchmark, f"{path}.benchmark")
        refs.person(challenge.author, f"{path}.author")
    if "report" in document:
        _check_report(c, document["report"], refs)
    c.items(RigourFlag, document.get("rigour_flags"), "rigour_flags")


def _check_report(c: Checker, part: Any, refs: _References) -> None:
    """The board's statements (``overall`` or a domain of the framework, each once) and its sign-off."""
    report = c.part(ReportPart, part, "report")
    if report is None:
        return
    seen: set[str] = set()
    for path, statement in c.items(Statement, report.statements, "report.statements"):
        if statement.subject != OVERALL_SUBJECT:
            refs.domain(statement.subject, f"{path}.subject")
        if statement.subject in seen:
            c.problem(f"{path}.subject", f"{statement.subject!r} is listed twice")
        seen.add(statement.subject)
        refs.person(statement.updated_by, f"{path}.updated_by")
    if report.sign_off is not None:
        sign_off = c.part(SignOff, report.sign_off, "report.sign_off")
        if sign_off is not None:
            refs.person(sign_off.recorded_by, "report.sign_off.recorded_by")


_MEASURE_KEYS = ("measure_about", "baseline", "baseline_on", "target", "target_by", "latest", "latest_on")


def _added_in_2(part: str) -> dict[str, Any]:
    """The keys version 2 added to an entry of ``part``, as a version 1 file is read: an untagged item, an action with no measure."""
    if part == "evidence":
        return {"kind": None, "period_start": None, "period_end": None, "subjects": []}
    return dict.fromkeys(_MEASURE_KEYS)


def _as_current_version(document: Any) -> Any:
    """A version 1 or 2 document as the version 3 document it stands for; any other value as it is.

    Only keys an older file cannot have are added, so what the file does
    hold is checked as it is written.
    """
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        return document
    version = document.get("format_version")
    if isinstance(version, bool) or version not in (1, 2):  # true equals 1 in Python; the checks refuse it
        return document
    upgraded = {**document, "format_version": FORMAT_VERSION}
    if version == 1:
        for part in ("evidence", "actions"):
            if isinstance(document.get(part), list):
                upgraded[part] = [{**_added_in_2(part), **entry} if isinstance(entry, dict) else entry for entry in document[part]]
    if isinstance(document.get("board"), dict):
        upgraded["board"] = {**ADDED_IN_3_BOARD, **document["board"]}
    if isinstance(document.get("round"), dict):
        upgraded["round"] = {"title_cy": None, **document["round"]}
    upgraded.setdefault("report", {"statements": [], "sign_off": None})
    return upgraded


#: What version 3 added to the board, as an older file is read: a Welsh local board with Wales's partners, as before.
ADDED_IN_3_BOARD: dict[str, Any] = {"name_cy": None, "kind": "local_safeguarding_children_board", "nation": "wales", "local_authorities": [], "partners": None}


def _check_framework(c: Checker, part: Any) -> Framework | None:
    checked = c.part(EmbeddedFramework, part, "framework")
    if checked is None:
        return None
    if hashlib.sha256(checked.source.encode("utf-8")).hexdigest() != checked.sha256:
        c.problem("framework.sha256", "does not match the framework's source text (was the file edited?)")
    try:
        framework = parse_framework(checked.source, f"framework version {checked.version}")
    except FrameworkError as error:
        for message in error.errors:
            c.problem("framework.source", message)
        return None
    if framework.version != checked.version:
        c.problem("framework.version", f"{checked.version!r} is not the version in the source text ({framework.version!r})")
    return framework


def _named(part: Any, key: str) -> list[tuple[int, dict[str, Any]]]:
    """Entries of a list that have a text ``key``, even if other fields are wrong, so one
    mistake in an entry does not make every reference to it a problem too."""
    if not isinstance(part, list):
        return []
    return [(n, item) for n, item in enumerate(part) if isinstance(item, dict) and isinstance(item.get(key), str)]


def _check_people(c: Checker, part: Any) -> dict[str, dict[str, Any]]:
    for path, checked in c.items(Person, part, "people"):
        if (checked.role is None) != (checked.agency is None):
            c.problem(path, "give both a role and an agency, or neither")
    people: dict[str, dict[str, Any]] = {}
    for n, person in _named(part, "email"):
        email = person["email"].lower()
        if email in people:
            c.problem(f"people[{n}].email", f"{person['email']!r} is listed twice")
        people[email] = person
    return people


def _check_evidence(c: Checker, part: Any, people: Mapping[str, Any]) -> tuple[list[tuple[str, Evidence]], set[str]]:
    """The well-formed items, each with its path, and every ref; what the items name in the framework is checked later."""
    items = c.items(Evidence, part, "evidence")
    for path, checked in items:
        for key, email in (("created_by", checked.created_by), ("updated_by", checked.updated_by)):
            if email is not None and email.lower() not in people:
                c.problem(f"{path}.{key}", f"{email!r} is not in people")
    refs: set[str] = set()
    for n, item in _named(part, "ref"):
        if item["ref"] in refs:
            c.problem(f"evidence[{n}].ref", f"{item['ref']!r} is used by two pieces of evidence")
        refs.add(item["ref"])
    return items, refs


def _check_evidence_tags(c: Checker, item: Evidence, path: str, refs: _References) -> None:
    """What an item is about exists in the framework, each once, and its period does not end before it starts."""
    seen: set[str] = set()
    for n, subject_id in enumerate(item.subjects):
        refs.subject(subject_id, f"{path}.subjects[{n}]")
        if subject_id in seen:
            c.problem(f"{path}.subjects[{n}]", f"{subject_id!r} is listed twice")
        seen.add(subject_id)
    if item.period_start is not None and item.period_end is not None and item.period_end < item.period_start:
        c.problem(f"{path}.period_end", f"{item.period_end.isoformat()!r} is before the start of the period ({item.period_start.isoformat()!r})")


#: What a measure needs; a latest reading (with its date) is optional.
_MEASURE = _MEASURE_KEYS[:5]


def _check_measure(c: Checker, action: Action, path: str) -> None:
    """An action's measure as the plan's form takes it: whole or not at all, a reading with its date, no date before the baseline."""
    given = [key for key in _MEASURE if getattr(action, key) is not None]
    if given and len(given) < len(_MEASURE):
        missing = [key for key in _MEASURE if key not in given]
        c.problem(path, f"the measure is given in part ({', '.join(missing)} null): give all of {', '.join(_MEASURE)}, or none")
    if (action.latest is None) != (action.latest_on is None):
        c.problem(path, "give both latest and latest_on, or neither")
    start = action.baseline_on
    if start is None:
        return
    for key in ("target_by", "latest_on"):
        value = getattr(action, key)
        if value is not None and value < start:
            c.problem(f"{path}.{key}", f"{value.isoformat()!r} is before baseline_on ({start.isoformat()!r})")


class _References:
    """Checks that ids, levels, people and evidence a document names exist."""

    def __init__(self, c: Checker, framework: Framework | None, people: Mapping[str, Any], evidence_refs: set[str]) -> None:
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

    def people_in(self, part: BaseModel, path: str, keys: Iterable[str]) -> None:
        for key in keys:
            self.person(getattr(part, key), f"{path}.{key}")

    def cites(self, refs: list[str], path: str) -> None:
        for n, ref in enumerate(refs):
            if ref not in self.evidence_refs:
                self.c.problem(f"{path}[{n}]", f"{ref!r} is not the ref of a piece of evidence in this file")


def _check_responses(c: Checker, part: Any, refs: _References) -> None:
    respondents: set[str] = set()
    for path, response in c.items(Response, part, "responses"):
        email = response.respondent.lower()
        refs.person(email, f"{path}.respondent")
        if email in respondents:
            c.problem(f"{path}.respondent", f"{response.respondent!r} has two responses")
        respondents.add(email)
        person = refs.people.get(email)
        if person is not None and person.get("role") is None:
            c.problem(f"{path}.respondent", f"{response.respondent!r} has no role on the board in people")
        seen: set[str] = set()
        for answer_path, answer in c.items(Answer, response.answers, f"{path}.answers"):
            refs.benchmark(answer.benchmark, f"{answer_path}.benchmark", seen)
            refs.level(answer.rating, f"{answer_path}.rating")
            refs.cites(answer.cites, f"{answer_path}.cites")
            refs.person(answer.updated_by, f"{answer_path}.updated_by")


def _check_inspection(c: Checker, part: Any, refs: _References) -> None:
    inspection = c.part(Inspection, part, "inspection")
    if inspection is None:
        return
    refs.people_in(inspection, "inspection", ("published_by", "created_by", "updated_by"))
    seen: set[str] = set()
    for path, finding in c.items(Finding, inspection.findings, "inspection.findings"):
        if finding.subject not in OVERALL_SUBJECTS:  # the overall judgement and its reasons are no domain or benchmark
            refs.subject(finding.subject, f"{path}.subject")
        if finding.subject == OVERALL_REASONS_SUBJECT and finding.level is not None:
            c.problem(f"{path}.level", f"must be null for {OVERALL_REASONS_SUBJECT!r} (the reasons are text only)")
        if finding.subject in seen:
            c.problem(f"{path}.subject", f"{finding.subject!r} has two findings")
        seen.add(finding.subject)
        refs.level(finding.level, f"{path}.level", ratings=False)
        refs.person(finding.updated_by, f"{path}.updated_by")
    for path, recommendation in c.items(Recommendation, inspection.recommendations, "inspection.recommendations"):
        for n, subject_id in enumerate(recommendation.subjects):
            refs.subject(subject_id, f"{path}.subjects[{n}]")
        refs.people_in(recommendation, path, ("created_by", "updated_by"))
