"""The business manager's responses to a round's rigour flags.

A flag is named by its kind and its subject: the benchmark it is about, or,
for a missing statutory partner, the agency (see :func:`flag_subject`). A
response is kept with that name, so it stays with the flag while the
round's figures change, and a flag that no longer arises keeps its response
for the record (it is simply no longer shown as open).

Responses are saved like the other multi-row pages, with a compare-and-set
on ``version`` (app/data/versioning.py): a save that loses to someone
else's keeps the losing text in the audit trail and the page shows both.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.rigour import Flag
from app.data.models import AssessmentRound, FlagResponse, User
from app.data.versioning import SaveOutcome, VersionedRows, insert_first_version, save_versioned, update_if_version
from app.extensions import db

#: The subject of a flag that is about the round as a whole (neither a benchmark nor an agency).
ROUND_SUBJECT = "round"


def flag_subject(flag: Flag) -> str:
    """What a flag is about: its benchmark id, else its agency id, else the round."""
    return flag.benchmark_id or flag.agency or ROUND_SUBJECT


def flag_key(kind: str, subject: str) -> str:
    """The one string that names a flag of a round (``"unevidenced:governance.3"``)."""
    return f"{kind}:{subject}"


def key_of(flag: Flag) -> str:
    return flag_key(flag.kind, flag_subject(flag))


@dataclass(frozen=True)
class FlagResponseInput:
    """What the business manager submitted for one flag (version 0: no response yet)."""

    kind: str
    subject: str
    response: str
    reason: str
    version: int

    @property
    def key(self) -> str:
        return flag_key(self.kind, self.subject)


@dataclass(frozen=True)
class FlagsAnswered:
    """A round's flags split into those still open and those answered, with each answer."""

    open: list[Flag]
    answered: list[tuple[Flag, FlagResponse]]

    @property
    def open_benchmarks(self) -> frozenset[str]:
        """The benchmarks with at least one open flag."""
        return frozenset(flag.benchmark_id for flag in self.open if flag.benchmark_id)

    def counts(self, kinds: Iterable[str]) -> dict[str, tuple[int, int]]:
        """Per kind (in the order given): how many flags are open and how many answered."""
        counts = {kind: [0, 0] for kind in kinds}
        for flag in self.open:
            counts.setdefault(flag.kind, [0, 0])[0] += 1
        for flag, _response in self.answered:
            counts.setdefault(flag.kind, [0, 0])[1] += 1
        return {kind: (n_open, n_answered) for kind, (n_open, n_answered) in counts.items()}


def flag_responses(round_id: int, keys: Iterable[str] | None = None) -> dict[str, FlagResponse]:
    """The round's responses (all, or those for ``keys``), by flag key, with who saved them (two queries)."""
    query = select(FlagResponse).where(FlagResponse.round_id == round_id).options(selectinload(FlagResponse.updated_by))
    rows = db.session.scalars(query).all()
    by_key = {flag_key(row.flag_kind, row.subject): row for row in rows}
    if keys is None:
        return by_key
    wanted = set(keys)
    return {key: row for key, row in by_key.items() if key in wanted}


def split_flags(flags: Iterable[Flag], responses: Mapping[str, FlagResponse]) -> FlagsAnswered:
    """Which of ``flags`` are open (no response) and which answered; responses to flags no longer raised are left out."""
    open_flags: list[Flag] = []
    answered: list[tuple[Flag, FlagResponse]] = []
    for flag in flags:
        response = responses.get(key_of(flag))
        if response is None:
            open_flags.append(flag)
        else:
            answered.append((flag, response))
    return FlagsAnswered(open_flags, answered)


def round_flags_answered(round_id: int, flags: Iterable[Flag]) -> FlagsAnswered:
    """The round's flags, open and answered (one query for the responses)."""
    return split_flags(flags, flag_responses(round_id))


class _FlagResponses(VersionedRows[FlagResponse, FlagResponseInput]):
    """A round's flag responses, for :func:`app.data.versioning.save_versioned`."""

    kind = "flag_response"

    def __init__(self, assessment_round: AssessmentRound, user: User):
        self.round, self.board_id, self.user = assessment_round, assessment_round.board_id, user

    def key(self, item: FlagResponseInput) -> str:
        return item.key

    def load(self, keys: list[str]) -> dict[str, FlagResponse]:
        return flag_responses(self.round.id, keys)

    def says(self, row: FlagResponse | None, item: FlagResponseInput) -> bool:
        return row is not None and (row.response, row.reason) == (item.response, item.reason)

    def write(self, row: FlagResponse | None, item: FlagResponseInput) -> int | None:
        if row is None:
            return self._insert(item) if item.version == 0 else None
        if update_if_version(FlagResponse, row.id, item.version, self.user, response=item.response, reason=item.reason):
            return row.id
        return None

    def _insert(self, item: FlagResponseInput) -> int | None:
        """A new response; None if someone else answered the flag first."""
        row = FlagResponse(round_id=self.round.id, flag_kind=item.kind, subject=item.subject, response=item.response, reason=item.reason)
        return insert_first_version(row, self.user)

    def detail(self, item: FlagResponseInput) -> dict:
        return {"round": self.round.id, "flag": item.kind, "subject": item.subject, "response": item.response, "reason": item.reason}


def save_flag_responses(assessment_round: AssessmentRound, inputs: list[FlagResponseInput], user: User) -> SaveOutcome:
    """Store changed responses with a version check; audit each save and each conflict. (The request commits it.)"""
    return save_versioned(_FlagResponses(assessment_round, user), inputs)
