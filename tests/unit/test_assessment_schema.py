"""The assessment file's shape, checked by pydantic models, refused in the import's words with the JSON path (issue 13).

Each case changes one thing in the good example file and expects exactly the
problems the reader lists (``path: what is wrong``), so a wrong path, a
pydantic message leaking through or a check that stops refusing all fail.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from app.core.assessment_file import AssessmentFileError, read_document

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "assessment"
GOOD = FIXTURES / "good.json"  # version 1
GOOD_V3 = FIXTURES / "good_v3.json"  # the version export writes
DELETE = object()
LEVELS = "inadequate, requires_improvement, good, outstanding"
AGENCIES = (
    "local_authority, health_board, nhs_trust, police, probation, youth_offending, education, third_sector, lay_member, other, "
    "integrated_care_board, fire_and_rescue, housing"
)

Keys = tuple[str | int, ...]


def problems(*edits: tuple[Keys, Any], limits: Mapping[str, int] | None = None, base: Path = GOOD) -> list[str]:
    """The problems read_document lists for the good file (``base``) with each ``(keys, value)`` edit made ([] if none)."""
    document = json.loads(base.read_text(encoding="utf-8"))
    for keys, value in edits:
        part = document
        for key in keys[:-1]:
            part = part[key]
        if value is DELETE:
            del part[keys[-1]]
        else:
            part[keys[-1]] = value
    try:
        read_document(json.dumps(document), limits=limits)
    except AssessmentFileError as error:
        return error.problems
    return []


def test_the_good_file_has_no_problems():
    """Every case below starts from it, so each problem comes from its own edit."""
    assert problems() == []
    assert problems(base=GOOD_V3) == []


CASES = [
    # wrong JSON type
    ("text as a number", [(("people", 0, "name"), 5)], ["people[0].name: must be text, not a number"]),
    (
        "true or false as text",
        [(("responses", 0, "answers", 0, "no_evidence_yet"), "no")],
        ["responses[0].answers[0].no_evidence_yet: must be true or false, not text"],
    ),
    ("a whole number as true", [(("format_version",), True)], ["format_version: must be a whole number, not true or false"]),
    ("a list as text", [(("rigour_flags",), "none")], ["rigour_flags: must be a list, not text"]),
    ("an object as a list", [(("board",), [])], ["board: must be an object, not a list"]),
    ("an object as null", [(("board",), None)], ["board: must be an object, not null"]),
    ("a value as null", [(("round", "opened_at"), None)], ["round.opened_at: must not be null"]),
    # missing and unknown keys
    ("a missing key", [(("round", "status"), DELETE)], ["round.status: is missing"]),
    ("a missing part", [(("challenges",), DELETE)], ["challenges: is missing"]),
    ("an unknown part", [(("comments",), [])], ["comments: is not part of the format"]),
    ("an unknown key holding null", [(("evidence", 0, "note"), None)], ["evidence[0].note: is not part of the format"]),
    (
        "a misspelt key, listed before the key it misses",
        [(("round", "title"), DELETE), (("round", "titel"), "Hunanasesiad 2026")],
        ["round.titel: is not part of the format", "round.title: is missing"],
    ),
    # texts
    ("an id one over its length", [(("rigour_flags", 0, "kind"), "k" * 65)], ["rigour_flags[0].kind: is 65 characters long; at most 64 are allowed"]),
    ("a name one over its default", [(("board", "name"), "b" * 201)], ["board.name: is 201 characters long; at most 200 are allowed"]),
    ("a blank text that must not be", [(("actions", 0, "description"), "  ")], ["actions[0].description: must not be empty"]),
    ("a NUL in a text", [(("challenges", 0, "text"), "a\x00b")], ["challenges[0].text: contains a NUL character"]),
    ("not an email address", [(("round", "opened_by"), "manager at gwyr")], ["round.opened_by: 'manager at gwyr' is not an email address"]),
    # codes to choose from
    (
        "a status not in the list",
        [(("actions", 0, "status"), "finished")],
        ["actions[0].status: 'finished' is not an action status (one of: not_started, on_track, at_risk, done)"],
    ),
    ("an agency as a number", [(("people", 0, "agency"), 7)], [f"people[0].agency: 7 is not an agency (one of: {AGENCIES})"]),
    # dates and times
    ("a date that does not exist", [(("round", "deadline"), "2026-02-30")], ["round.deadline: '2026-02-30' is not a date like 2026-03-31"]),
    ("a date as a number", [(("evidence", 0, "date"), 20260214)], ["evidence[0].date: 20260214 is not a date like 2026-03-31"]),
    ("a time that is not one", [(("round", "opened_at"), "yesterday")], ["round.opened_at: 'yesterday' is not a time like 2026-03-31T14:30:00Z"]),
    (
        "a time without a zone",
        [(("round", "closed_at"), "2026-03-20T09:30:00")],
        ["round.closed_at: '2026-03-20T09:30:00' has no time zone (end it with Z for UTC)"],
    ),
    # lists inside lists
    ("a cite that is not text", [(("responses", 0, "answers", 2, "cites"), ["E1", 3])], ["responses[0].answers[2].cites[1]: must be text, not a number"]),
    (
        "a null subject of a recommendation",
        [(("inspection", "recommendations", 0, "subjects"), ["outcomes", None])],
        ["inspection.recommendations[0].subjects[1]: must not be null"],
    ),
    ("an answer that is null", [(("responses", 1, "answers", 0), None)], ["responses[1].answers[0]: must be an object, not null"]),
    (
        "a bad answer does not hide what its neighbour names",
        [(("responses", 0, "answers", 0, "rating"), 5), (("responses", 0, "answers", 1, "rating"), "excelent")],
        [
            "responses[0].answers[0].rating: must be text, not a number",
            f"responses[0].answers[1].rating: 'excelent' is not a level (one of: {LEVELS}, not_known, not_applicable)",
        ],
    ),
    (
        "every problem of one entry, unknown keys first",
        [(("actions", 0, "status"), "finished"), (("actions", 0, "due_date"), "31/09/2026"), (("actions", 0, "owner"), "Siân")],
        [
            "actions[0].owner: is not part of the format",
            "actions[0].due_date: '31/09/2026' is not a date like 2026-03-31",
            "actions[0].status: 'finished' is not an action status (one of: not_started, on_track, at_risk, done)",
        ],
    ),
]


@pytest.mark.parametrize(("edits", "expected"), [(edits, expected) for _name, edits, expected in CASES], ids=[name for name, _edits, _expected in CASES])
def test_a_bad_value_is_refused_in_the_import_s_words_at_its_path(edits, expected):
    assert problems(*edits) == expected


def test_a_web_limit_replaces_the_file_s_own_limit_when_given():
    evidence = ("responses", 0, "answers", 0, "evidence")
    # The file's own limit on an answer's evidence is 100,000 characters; the web's (given by the import) is lower.
    assert problems((evidence, "e" * 5001)) == []
    assert problems((evidence, "e" * 5001), limits={"answer_evidence": 5000}) == [
        "responses[0].answers[0].evidence: is 5001 characters long; at most 5000 are allowed"
    ]
    assert problems((evidence, "e" * 5000), limits={"answer_evidence": 5000}) == []
    # A web limit above the file's own default is the one that applies.
    assert problems((("board", "name"), "b" * 201), limits={"board_name": 300}) == []
    assert problems((("board", "name"), "b" * 21), limits={"board_name": 20}) == ["board.name: is 21 characters long; at most 20 are allowed"]


# -- what version 2 added: evidence items' kind, period and subjects; actions' measures --------

KINDS = "audit, performance_data, children_and_families, practitioner_views, inspection_or_review, case_review_learning"
ITEM = ("evidence", 0)
ACTION = ("actions", 0)
MEASURE_KEYS = ("measure_about", "baseline", "baseline_on", "target", "target_by", "latest", "latest_on")

V2_CASES = [
    ("an unknown kind", [((*ITEM, "kind"), "survey")], [f"evidence[0].kind: 'survey' is not a kind of evidence (one of: {KINDS})"]),
    ("a kind as a number", [((*ITEM, "kind"), 1)], [f"evidence[0].kind: 1 is not a kind of evidence (one of: {KINDS})"]),
    (
        "an unknown benchmark as a subject",
        [((*ITEM, "subjects"), ["outcomes", "outcomes.99"])],
        ["evidence[0].subjects[1]: 'outcomes.99' is not a domain or benchmark of framework test.1"],
    ),
    ("a subject listed twice", [((*ITEM, "subjects"), ["outcomes.1", "outcomes.1"])], ["evidence[0].subjects[1]: 'outcomes.1' is listed twice"]),
    ("a subject that is not text", [((*ITEM, "subjects"), ["outcomes", 2])], ["evidence[0].subjects[1]: must be text, not a number"]),
    ("subjects as null", [((*ITEM, "subjects"), None)], ["evidence[0].subjects: must not be null"]),
    (
        "a period that ends before it starts",
        [((*ITEM, "period_start"), "2026-02-01"), ((*ITEM, "period_end"), "2026-01-31")],
        ["evidence[0].period_end: '2026-01-31' is before the start of the period ('2026-02-01')"],
    ),
    ("a period start that is not a date", [((*ITEM, "period_start"), "2025-13-01")], ["evidence[0].period_start: '2025-13-01' is not a date like 2026-03-31"]),
    ("a period end that is not a date", [((*ITEM, "period_end"), "31/01/2026")], ["evidence[0].period_end: '31/01/2026' is not a date like 2026-03-31"]),
    ("a version 2 item without its kind", [((*ITEM, "kind"), DELETE)], ["evidence[0].kind: is missing"]),
    (
        "an unknown measure_about",
        [((*ACTION, "measure_about"), "children")],
        ["actions[0].measure_about: 'children' is not what a measure is about (one of: children_and_families, board_process)"],
    ),
    ("a baseline date that is not a date", [((*ACTION, "baseline_on"), "2026-02-30")], ["actions[0].baseline_on: '2026-02-30' is not a date like 2026-03-31"]),
    ("a blank target", [((*ACTION, "target"), "  ")], ["actions[0].target: must not be empty"]),
    ("a reading one over its length", [((*ACTION, "latest"), "6" * 201)], ["actions[0].latest: is 201 characters long; at most 200 are allowed"]),
    (
        "a target checked before its baseline",
        [((*ACTION, "target_by"), "2026-02-28")],
        ["actions[0].target_by: '2026-02-28' is before baseline_on ('2026-03-01')"],
    ),
    (
        "a reading before the baseline",
        [((*ACTION, "latest_on"), "2026-02-28")],
        ["actions[0].latest_on: '2026-02-28' is before baseline_on ('2026-03-01')"],
    ),
    (
        "a measure given in part",
        [((*ACTION, "target"), None), ((*ACTION, "target_by"), None)],
        ["actions[0]: the measure is given in part (target, target_by null): give all of measure_about, baseline, baseline_on, target, target_by, or none"],
    ),
    ("a reading without its date", [((*ACTION, "latest_on"), None)], ["actions[0]: give both latest and latest_on, or neither"]),
    ("a version 2 action without its measure's keys", [((*ACTION, "latest"), DELETE)], ["actions[0].latest: is missing"]),
]


@pytest.mark.parametrize(("edits", "expected"), [(edits, expected) for _name, edits, expected in V2_CASES], ids=[name for name, _edits, _expected in V2_CASES])
def test_a_bad_tag_or_measure_is_refused_at_its_path(edits, expected):
    assert problems(*edits, base=GOOD_V3) == expected


def test_an_untagged_item_and_an_action_without_a_measure_are_well_formed():
    untagged = [((*ITEM, key), None) for key in ("kind", "period_start", "period_end")] + [((*ITEM, "subjects"), [])]
    assert problems(*untagged, *[((*ACTION, key), None) for key in MEASURE_KEYS], base=GOOD_V3) == []
    # A period may be open at either end, and may be one day; a reading is optional.
    assert problems(((*ITEM, "period_start"), None), base=GOOD_V3) == []
    assert problems(((*ITEM, "period_end"), None), base=GOOD_V3) == []
    assert problems(((*ITEM, "period_start"), "2026-01-31"), base=GOOD_V3) == []
    assert problems(((*ACTION, "latest"), None), ((*ACTION, "latest_on"), None), base=GOOD_V3) == []


def test_a_version_1_file_is_read_as_version_3_with_untagged_items_and_no_measures():
    document = read_document(GOOD.read_text(encoding="utf-8"))
    assert document["format_version"] == 3
    item = document["evidence"][0]
    assert (item["kind"], item["period_start"], item["period_end"], item["subjects"]) == (None, None, None, [])
    assert all(document["actions"][0][key] is None for key in MEASURE_KEYS)
    # What a version 1 file holds is still checked as it is written.
    assert problems(((*ITEM, "date"), "2026-02-30")) == ["evidence[0].date: '2026-02-30' is not a date like 2026-03-31"]


def test_a_version_2_file_is_read_as_a_welsh_local_board_with_the_nation_s_partners():
    document = read_document((FIXTURES / "good_v2.json").read_text(encoding="utf-8"))
    assert document["format_version"] == 3
    board = document["board"]
    assert (board["name_cy"], board["kind"], board["nation"], board["local_authorities"], board["partners"]) == (
        None, "local_safeguarding_children_board", "wales", [], None
    )
    assert document["round"]["title_cy"] is None


def test_only_versions_1_to_3_are_read():
    assert problems((("format_version",), 4)) == ["format_version: 4 is not supported (this installation reads versions 1, 2 and 3)"]
    assert problems((("format_version",), 0), base=GOOD_V3) == ["format_version: 0 is not supported (this installation reads versions 1, 2 and 3)"]
