"""What an assessment file holds (pure: no Flask, no database).

The format's name and version, how times, dates and the whole document are
written, and the shape of every object: its keys and what each may hold
(:class:`Field`). :class:`Checker` checks values against those shapes and
collects every problem as ``path: what is wrong``; which part of a document
has which shape, and what the parts may name, is ``document.py``'s job.

Texts people type in the web app are named by the web limit that applies to
them (:data:`WEB_LIMITS`). A checker given those limits' values (the import
reads them where the web forms do: ``web_text_limits`` in
``app/data/assessment_import.py``) refuses a text the web would refuse.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

from app.core.vocabulary import AGENCY_IDS

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

#: The limits the web forms put on texts people type, by name: which field of
#: the file each applies to is in the shapes below (``Field.limit``).
WEB_LIMITS = (
    "board_name",
    "round_title",
    "person_name",
    "email",
    "evidence_title",
    "evidence_impact",
    "evidence_reference",
    "answer_evidence",
    "agreed_rationale",
    "action_description",
    "action_lead_person",
    "action_success_measure",
    "finding_text",
    "recommendation_text",
    "challenge_text",
)


# -- values ----------------------------------------------------------------


def format_datetime(value: datetime | None) -> str | None:
    """A time as the file stores it: ISO 8601 in UTC, e.g. ``2026-03-01T09:30:00Z``."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def parse_datetime(text: str | None) -> datetime | None:
    """The time a checked file's text stands for (UTC)."""
    return None if text is None else datetime.fromisoformat(text).astimezone(UTC)


def parse_date(text: str | None) -> date | None:
    """The date a checked file's text stands for."""
    return None if text is None else date.fromisoformat(text)


def dump(document: Mapping[str, Any]) -> str:
    """The document as the file's text: UTF-8 JSON, two-space indent, keys in the format's order."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


# -- shapes ----------------------------------------------------------------


@dataclass(frozen=True)
class Field:
    """What one key of an object must hold. ``kind``: text, email, date, datetime, choice, bool, int, list, object, any.

    ``limit`` names the web limit (one of :data:`WEB_LIMITS`) that replaces
    ``max_len`` when the checker is given its value.
    """

    kind: str
    nullable: bool = False
    max_len: int = LONG_TEXT
    blank: bool = True
    choices: tuple[str, ...] = ()
    what: str = "one of"
    limit: str | None = None


def _text(max_len: int = LONG_TEXT, *, blank: bool = True, nullable: bool = False, limit: str | None = None) -> Field:
    return Field("text", nullable=nullable, max_len=max_len, blank=blank, limit=limit)


def _choice(choices: Iterable[str], what: str, *, nullable: bool = False) -> Field:
    return Field("choice", nullable=nullable, choices=tuple(choices), what=what)


EMAIL = Field("email", max_len=254, limit="email")
EMAIL_OR_NULL = Field("email", nullable=True, max_len=254, limit="email")
WHEN = Field("datetime")
WHEN_OR_NULL = Field("datetime", nullable=True)
AGENCY = _choice(AGENCY_IDS, "an agency")

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
BOARD = {"name": _text(200, blank=False, limit="board_name")}
FRAMEWORK = {"version": _text(64, blank=False), "sha256": _text(64, blank=False), "source": _text(2_000_000, blank=False)}
ROUND = {
    "title": _text(200, blank=False, limit="round_title"),
    "status": _choice(ROUND_STATUSES, "a round status"),
    "target_level": _text(32, blank=False),
    "deadline": Field("date", nullable=True),
    "opened_at": WHEN,
    "closed_at": WHEN_OR_NULL,
    "opened_by": EMAIL_OR_NULL,
}
PERSON = {
    "email": EMAIL,
    "name": _text(200, blank=False, limit="person_name"),
    "role": _choice(ROLES, "a role", nullable=True),
    "agency": _choice(AGENCY_IDS, "an agency", nullable=True),
    "removed_at": WHEN_OR_NULL,
}
EVIDENCE = {
    "ref": _text(16, blank=False),
    "title": _text(200, blank=False, limit="evidence_title"),
    "source_agency": AGENCY,
    "date": Field("date"),
    "impact": _text(limit="evidence_impact"),
    "reference": _text(500, limit="evidence_reference"),
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
    "evidence": _text(limit="answer_evidence"),
    "no_evidence_yet": Field("bool"),
    "cites": Field("list"),
    "updated_at": WHEN,
    "updated_by": EMAIL_OR_NULL,
}
AGREED = {
    "benchmark": _text(64, blank=False),
    "rating": _text(32),
    "rationale": _text(limit="agreed_rationale"),
    "cites": Field("list"),
    "updated_at": WHEN,
    "updated_by": EMAIL_OR_NULL,
}
ACTION = {
    "description": _text(blank=False, limit="action_description"),
    "owner_agency": AGENCY,
    "lead_person": _text(200, blank=False, limit="action_lead_person"),
    "due_date": Field("date"),
    "success_measure": _text(blank=False, limit="action_success_measure"),
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
FINDING = {
    "subject": _text(64, blank=False),
    "level": _text(32, nullable=True),
    "text": _text(limit="finding_text"),
    "updated_at": WHEN,
    "updated_by": EMAIL_OR_NULL,
}
RECOMMENDATION = {
    "text": _text(blank=False, limit="recommendation_text"),
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
    "text": _text(blank=False, limit="challenge_text"),
    "created_at": WHEN,
}
FLAG = {"kind": _text(64, blank=False), "benchmark": _text(64, nullable=True), "agency": _text(32, nullable=True), "message": _text()}


# -- checking --------------------------------------------------------------


class Checker:
    """Collects every problem as ``path: message``.

    ``limits`` holds the values of web limits (:data:`WEB_LIMITS`) by name: a
    field with one of them may hold that many characters instead of its
    ``max_len``.
    """

    def __init__(self, limits: Mapping[str, int] | None = None) -> None:
        self.problems: list[str] = []
        self.limits: Mapping[str, int] = limits or {}

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def object(self, value: Any, path: str, spec: Mapping[str, Field]) -> dict[str, Any] | None:
        """``value`` if it is an object with exactly ``spec``'s keys, each of the right kind (else None)."""
        if not isinstance(value, dict):
            self.problem(path, f"must be an object, not {json_type(value)}")
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
        """Note a problem if ``value`` is not what ``field`` allows."""
        if value is None:
            if not field.nullable:
                self.problem(path, "must not be null")
            return
        if field.limit in self.limits:
            field = replace(field, max_len=self.limits[field.limit])
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


def json_type(value: Any) -> str:
    """What kind of JSON value ``value`` is, in the words of the problem messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _check_text(value: Any, field: Field) -> str | None:
    if not isinstance(value, str):
        return f"must be text, not {json_type(value)}"
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
            return f"must be {name}, not {json_type(value)}"
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
