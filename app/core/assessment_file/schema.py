"""What an assessment file holds (pure: no Flask, no database).

The format's name and version, how times, dates and the whole document are
written, and the shape of every object as a pydantic model: its keys (all
required, no others) and what each may hold. :class:`Checker` validates a
value against a model and words pydantic's errors as the import reports them
(``path: what is wrong``, see :func:`describe`); which part of a document has
which model, and what the parts may name, is ``document.py``'s job.

Texts people type in the web app carry the web limit that applies to them
(:class:`WebLimit`, one of :data:`WEB_LIMITS`). A checker given those limits'
values (the import passes them: ``web_text_limits`` in
``app/data/assessment_import.py``, from the table the web forms use,
``app/core/text_limits.py``) refuses a text the web would refuse.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, GetCoreSchemaHandler, StringConstraints, ValidationError, ValidationInfo
from pydantic_core import ErrorDetails, PydanticCustomError, PydanticKnownError, core_schema

from app.core.email_address import is_email_address
from app.core.vocabulary import (
    ACTION_STATUSES,
    AGENCY_IDS,
    EVIDENCE_KINDS,
    INSPECTION_STATUSES,
    MEASURE_ABOUTS,
    RECOMMENDATION_PRIORITIES,
    RESPONSE_STATUSES,
    ROLES,
    ROUND_STATUSES,
    Role,
)

FORMAT = "sait-assessment"
#: The version export writes. Version 2 (2026.2) added evidence items' kind,
#: period and subjects and actions' measures; version 3 the board's Welsh name,
#: kind, nation, local authorities and partners, the round's Welsh title, and
#: the board's statements in its report and their sign-off.
#: ``document.py`` still reads versions 1 and 2, as if the keys they lack held
#: null (no subjects: an untagged item; no partner list: the nation's).
FORMAT_VERSION = 3
READ_VERSIONS = (1, 2, 3)

CHALLENGE_ROLES: tuple[str, ...] = (Role.INSPECTOR.value, Role.BUSINESS_MANAGER.value)
NOT_LEVELS = ("not_known", "not_applicable")
#: Free text longer than this is refused (the columns are unlimited; a file is not).
LONG_TEXT = 100_000

#: The limits the web forms put on texts people type, by name: which field of
#: the file each applies to is in the models below (:class:`WebLimit`).
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
    "action_measure_value",
    "finding_text",
    "recommendation_text",
    "challenge_text",
    "report_statement",
    "report_chair",
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


# -- what a value may be -----------------------------------------------------


def _problem(detail: str) -> PydanticCustomError:
    # One custom error type whose message is already in the import's words (describe passes it on).
    return PydanticCustomError("sait", "{detail}", {"detail": detail})


def _not_blank(value: str) -> str:
    if not value.strip():
        raise _problem("must not be empty")
    return value


def _no_nul(value: str) -> str:
    # PostgreSQL cannot store a NUL in a text column.
    if "\x00" in value:
        raise _problem("contains a NUL character")
    return value


def _email_address(value: str) -> str:
    # Checked as the web forms and the command line check it (app.core.email_address).
    if value != value.strip() or not is_email_address(value):
        raise _problem(f"{value!r} is not an email address")
    return value


def _date(value: Any) -> date:
    # date.fromisoformat decides, as it does for parse_date when the import reads the value.
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise _problem(f"{value!r} is not a date like 2026-03-31") from None


def _datetime(value: Any) -> datetime:
    # datetime.fromisoformat decides, as it does for parse_datetime; a time without a zone would be read as local time.
    try:
        parsed = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise _problem(f"{value!r} is not a time like 2026-03-31T14:30:00Z") from None
    if parsed.tzinfo is None:
        raise _problem(f"{value!r} has no time zone (end it with Z for UTC)")
    return parsed


@dataclass(frozen=True)
class WebLimit:
    """A text's most characters: the value of web limit ``name`` if the checker was given it, else ``default``.

    Read at validation time (pydantic's context), so one model serves both a
    plain read and the import, which holds texts to the web's limits.
    """

    name: str
    default: int

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self._check, handler(source))

    def _check(self, value: str, info: ValidationInfo) -> str:
        most = (info.context or {}).get("web_limits", {}).get(self.name, self.default)
        if len(value) > most:
            raise PydanticKnownError("string_too_long", {"max_length": most})
        return value


@dataclass(frozen=True)
class OneOf:
    """A code that must be one of ``values``; ``what`` names them in the message ("'done!' is not an action status (one of: ...)")."""

    values: tuple[str, ...]
    what: str

    def __get_pydantic_core_schema__(self, source: Any, handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        # Before the type check, so a number gets the same message, with the codes to choose from.
        return core_schema.no_info_before_validator_function(self._check, handler(source))

    def _check(self, value: Any) -> Any:
        if value not in self.values:
            raise _problem(f"{value!r} is not {self.what} (one of: {', '.join(self.values)})")
        return value


NOT_BLANK = AfterValidator(_not_blank)
NO_NUL = AfterValidator(_no_nul)

# Each text is checked for its length first, then (where it may not be blank) for blankness, then for a NUL.
LongText = Annotated[str, StringConstraints(max_length=LONG_TEXT), NO_NUL]
#: An id or hash that may not be blank; document.py checks that a benchmark or subject is one of the framework's.
Id = Annotated[str, StringConstraints(max_length=64), NOT_BLANK, NO_NUL]
#: A level, domain or agency code as given (a rating may be blank); document.py checks levels and domains against the framework.
Code = Annotated[str, StringConstraints(max_length=32), NO_NUL]
Email = Annotated[str, WebLimit("email", 254), NO_NUL, AfterValidator(_email_address)]
IsoDate = Annotated[date, BeforeValidator(_date)]
Timestamp = Annotated[datetime, BeforeValidator(_datetime)]
Agency = Annotated[str, OneOf(AGENCY_IDS, "an agency")]
#: An action's baseline, target or latest reading ("58%", "12 of 20 audits").
MeasureValue = Annotated[str, WebLimit("action_measure_value", 200), NOT_BLANK, NO_NUL]


# -- shapes ----------------------------------------------------------------


class _Part(BaseModel):
    """An object of the file: exactly these keys, each required (null only where its type says ``| None``)."""

    # strict: in a file "1" is not 1 and 0 is not false; frozen: a checked part is only read.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class Document(_Part):
    """The top level: which parts a file has.

    Each part is checked by its own model (``document.py``), a list's entries
    one by one, so one bad entry does not hide the problems of the others.
    """

    # read_document checks these two first: a file of another format is refused outright.
    format: str
    format_version: int
    board: Any
    framework: Any
    round: Any
    people: list[Any]
    evidence: list[Any]
    responses: list[Any]
    agreed_ratings: list[Any]
    actions: list[Any]
    inspection: Any
    challenges: list[Any]
    report: Any
    rigour_flags: list[Any]


BoardName = Annotated[str, WebLimit("board_name", 200), NOT_BLANK, NO_NUL]
RoundTitle = Annotated[str, WebLimit("round_title", 200), NOT_BLANK, NO_NUL]


class BoardPartner(_Part):
    agency: Agency
    statutory: bool


class Board(_Part):
    name: BoardName
    # From version 3. The kind and nation are codes of partners.yaml, which the import checks.
    name_cy: BoardName | None
    kind: Id
    nation: Id
    local_authorities: list[BoardName]
    # Null (a file from before version 3): the nation's partners, as for a board made by hand.
    partners: list[BoardPartner] | None


class EmbeddedFramework(_Part):
    """The framework the round was assessed against, as its source text (``document.py`` parses it)."""

    version: Id
    sha256: Id
    source: Annotated[str, StringConstraints(max_length=2_000_000), NOT_BLANK, NO_NUL]


class Round(_Part):
    title: RoundTitle
    title_cy: RoundTitle | None  # from version 3
    status: Annotated[str, OneOf(ROUND_STATUSES, "a round status")]
    target_level: Annotated[str, StringConstraints(max_length=32), NOT_BLANK, NO_NUL]
    deadline: IsoDate | None
    opened_at: Timestamp
    closed_at: Timestamp | None
    opened_by: Email | None


class Person(_Part):
    email: Email
    name: Annotated[str, WebLimit("person_name", 200), NOT_BLANK, NO_NUL]
    role: Annotated[str, OneOf(ROLES, "a role")] | None
    agency: Agency | None
    removed_at: Timestamp | None


class Evidence(_Part):
    ref: Annotated[str, StringConstraints(max_length=16), NOT_BLANK, NO_NUL]
    title: Annotated[str, WebLimit("evidence_title", 200), NOT_BLANK, NO_NUL]
    source_agency: Agency
    date: IsoDate
    impact: Annotated[str, WebLimit("evidence_impact", LONG_TEXT), NO_NUL]
    reference: Annotated[str, WebLimit("evidence_reference", 500), NO_NUL]
    # From version 2; null (and no subjects) for an item nobody has tagged yet.
    kind: Annotated[str, OneOf(EVIDENCE_KINDS, "a kind of evidence")] | None
    period_start: IsoDate | None
    period_end: IsoDate | None
    subjects: list[str]  # domain and benchmark ids; document.py checks them against the framework
    created_at: Timestamp
    created_by: Email | None
    updated_at: Timestamp
    updated_by: Email | None


class Response(_Part):
    respondent: Email
    agency: Agency
    status: Annotated[str, OneOf(RESPONSE_STATUSES, "a response status")]
    created_at: Timestamp
    submitted_at: Timestamp | None
    answers: list[Any]  # each an Answer, checked on its own


class Answer(_Part):
    benchmark: Id
    rating: Code | None
    evidence: Annotated[str, WebLimit("answer_evidence", LONG_TEXT), NO_NUL]
    no_evidence_yet: bool
    cites: list[str]
    updated_at: Timestamp
    updated_by: Email | None


class AgreedRating(_Part):
    benchmark: Id
    rating: Code
    rationale: Annotated[str, WebLimit("agreed_rationale", LONG_TEXT), NO_NUL]
    cites: list[str]
    updated_at: Timestamp
    updated_by: Email | None


class Action(_Part):
    description: Annotated[str, WebLimit("action_description", LONG_TEXT), NOT_BLANK, NO_NUL]
    owner_agency: Agency
    lead_person: Annotated[str, WebLimit("action_lead_person", 200), NOT_BLANK, NO_NUL]
    due_date: IsoDate
    success_measure: Annotated[str, WebLimit("action_success_measure", LONG_TEXT), NOT_BLANK, NO_NUL]
    # From version 2; all null for an action with no measure (document.py checks it is given whole or not at all).
    measure_about: Annotated[str, OneOf(MEASURE_ABOUTS, "what a measure is about")] | None
    baseline: MeasureValue | None
    baseline_on: IsoDate | None
    target: MeasureValue | None
    target_by: IsoDate | None
    latest: MeasureValue | None
    latest_on: IsoDate | None
    status: Annotated[str, OneOf(ACTION_STATUSES, "an action status")]
    domain: Code | None
    benchmarks: list[str]
    created_at: Timestamp
    created_by: Email | None
    updated_at: Timestamp
    updated_by: Email | None


class Inspection(_Part):
    inspected_on: IsoDate | None
    status: Annotated[str, OneOf(INSPECTION_STATUSES, "an inspection status")]
    published_at: Timestamp | None
    published_by: Email | None
    created_at: Timestamp
    created_by: Email | None
    updated_at: Timestamp
    updated_by: Email | None
    findings: list[Any]  # each a Finding, checked on its own
    recommendations: list[Any]  # each a Recommendation, checked on its own


class Finding(_Part):
    subject: Id
    level: Code | None
    text: Annotated[str, WebLimit("finding_text", LONG_TEXT), NO_NUL]
    updated_at: Timestamp
    updated_by: Email | None


class Recommendation(_Part):
    text: Annotated[str, WebLimit("recommendation_text", LONG_TEXT), NOT_BLANK, NO_NUL]
    priority: Annotated[str, OneOf(RECOMMENDATION_PRIORITIES, "a priority")]
    subjects: list[str]
    created_at: Timestamp
    created_by: Email | None
    updated_at: Timestamp
    updated_by: Email | None


class Challenge(_Part):
    benchmark: Id
    author: Email
    role: Annotated[str, OneOf(CHALLENGE_ROLES, "a challenge role")]
    text: Annotated[str, WebLimit("challenge_text", LONG_TEXT), NOT_BLANK, NO_NUL]
    created_at: Timestamp


class Statement(_Part):
    """One of the board's statements in its report: ``overall``, or a domain's analysis (from version 3)."""

    subject: Id
    text: Annotated[str, WebLimit("report_statement", LONG_TEXT), NO_NUL]
    updated_at: Timestamp
    updated_by: Email | None


class SignOff(_Part):
    """The board's approval of its report (from version 3)."""

    approved_on: IsoDate
    chair: Annotated[str, WebLimit("report_chair", 200), NOT_BLANK, NO_NUL]
    recorded_at: Timestamp
    recorded_by: Email | None


class ReportPart(_Part):
    """The board's own words in its report and its sign-off (null: not signed off)."""

    statements: list[Any]
    sign_off: Any


class RigourFlag(_Part):
    kind: Id
    benchmark: Annotated[str, StringConstraints(max_length=64), NO_NUL] | None
    agency: Code | None
    message: LongText


# -- checking --------------------------------------------------------------

PartT = TypeVar("PartT", bound=BaseModel)

# What a value of the wrong JSON type should have been, by pydantic's error type.
_EXPECTED = {
    "string_type": "text",
    "bool_type": "true or false",
    "int_type": "a whole number",
    "list_type": "a list",
    "model_type": "an object",
}


class Checker:
    """Checks values against the models, collecting every problem as ``path: message``.

    ``limits`` holds the values of web limits (:data:`WEB_LIMITS`) by name: a
    text under one of them may hold that many characters instead of its
    default (:class:`WebLimit`).
    """

    def __init__(self, limits: Mapping[str, int] | None = None) -> None:
        self.problems: list[str] = []
        self._context = {"web_limits": limits or {}}

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def part(self, model: type[PartT], value: Any, path: str) -> PartT | None:
        """``value`` as ``model`` if it is an object with exactly its keys, each as it says; else None, its problems noted."""
        try:
            return model.model_validate(value, context=self._context)
        except ValidationError as error:
            # Unknown keys first, as the reader has always listed them: a misspelt key explains the "is missing" after it.
            for detail in sorted(error.errors(include_url=False), key=lambda detail: detail["type"] != "extra_forbidden"):
                self.problem(_path(path, detail["loc"]), describe(detail))
            return None

    def items(self, model: type[PartT], value: Any, path: str) -> list[tuple[str, PartT]]:
        """The entries of a list that are well formed ``model`` objects, each with its path (not a list: its part said so)."""
        if not isinstance(value, list):
            return []
        checked = []
        for n, item in enumerate(value):
            item_path = f"{path}[{n}]"
            part = self.part(model, item, item_path)
            if part is not None:
                checked.append((item_path, part))
        return checked


def describe(error: ErrorDetails) -> str:
    """One of pydantic's errors in the import's words, from its ``type``, ``loc`` and ``input``."""
    kind, value = error["type"], error["input"]
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return "is not part of the format"
    if value is None and error["loc"]:  # a key holding null (a part or entry that is null is "not an object")
        return "must not be null"
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, not {json_type(value)}"
    if kind == "string_too_long":
        return f"is {len(value)} characters long; at most {error['ctx']['max_length']} are allowed"
    # This module's own checks (_problem) are already in these words; any other error keeps pydantic's message.
    return error["msg"]


def _path(path: str, loc: tuple[int | str, ...]) -> str:
    """``loc`` (``("answers", 12, "rating")``) under ``path`` (``responses[3]``): ``responses[3].answers[12].rating``."""
    for key in loc:
        path += f"[{key}]" if isinstance(key, int) else f".{key}" if path else key
    return path


def json_type(value: Any) -> str:
    """What kind of JSON value ``value`` is, in the words of the problem messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return {dict: "an object", list: "a list", str: "text", int: "a number", float: "a number"}.get(type(value), type(value).__name__)
