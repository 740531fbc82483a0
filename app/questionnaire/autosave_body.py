"""The JSON body of an autosave, read strictly (no Flask here: tested directly).

Pydantic reads the raw bytes with its own JSON parser, which refuses what
Python's ``json`` would pass on or fail on: a lone surrogate (it cannot be
stored), nesting deeper than a couple of hundred levels (``json`` raises
RecursionError), numbers too long to read. Each field has its JSON type
(strict: no "1" for 1, no 0 for false), ids and versions fit the database's
integers, and texts and lists have a ceiling. Keys the page does not send
are ignored.

``evidence`` is only bounded loosely here; the configured limit
(``SAIT_EVIDENCE_MAX_CHARS``), with its GOV.UK message, is checked by the
view after the text is trimmed, as the form does.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, ValidationError

#: The largest id or version any row can have (PostgreSQL's ``integer``).
MAX_INT = 2**31 - 1
#: Far above any sensible evidence limit; only stops absurd bodies early.
EVIDENCE_CEILING = 100_000
#: More items than any board's register holds.
MAX_CITES = 1_000

DatabaseInt = Annotated[int, Field(ge=0, le=MAX_INT)]


class AutosaveBody(BaseModel):
    """One answer sent by the domain page's autosave (see app/static/js/autosave.js)."""

    model_config = ConfigDict(strict=True, frozen=True, extra="ignore")

    benchmark_id: str = Field(max_length=100)
    rating: str | None = Field(default=None, max_length=50)
    evidence: str = Field(default="", max_length=EVIDENCE_CEILING)
    no_evidence_yet: bool = False
    # None (the key left out) leaves the citations as stored.
    evidence_ids: list[DatabaseInt] | None = Field(default=None, max_length=MAX_CITES)
    version: DatabaseInt
    # The page's signed owner token, used only if the session has ended.
    typed_by: str | None = Field(default=None, max_length=1_000)


class BodyProblem(Exception):
    """Why a body was refused: ``field`` names the first field at fault, or None if it is not a JSON object at all."""

    def __init__(self, field: str | None, kind: str):
        super().__init__(f"{field or 'body'}: {kind}")
        self.field = field
        self.kind = kind


def parse_autosave_body(raw: bytes) -> AutosaveBody:
    """The body as an :class:`AutosaveBody`; :class:`BodyProblem` if it is not one."""
    try:
        return AutosaveBody.model_validate_json(raw)
    except ValidationError as error:
        first = error.errors(include_url=False, include_context=False, include_input=False)[0]
        location = first["loc"]
        if first["type"] in ("json_invalid", "json_type", "model_type") or not location:
            raise BodyProblem(None, first["type"]) from None
        raise BodyProblem(str(location[0]), first["type"]) from None
