"""Whatever an autosave body holds, the reply is a clear refusal or a save, never a 500.

The probe behind issue 12 (defect 9) got 500s from autosave fields sent as
lists or objects, a huge `version` or `evidence_ids`, deeply nested JSON and
a lone surrogate. Hypothesis sends bodies built from the fields the page
sends, each given any JSON value, and raw bytes that are barely JSON.
"""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.data.framework_store import current_framework
from app.data.models import Answer
from app.extensions import db
from tests.factories import csrf_token

FIELDS = ("benchmark_id", "rating", "evidence", "no_evidence_yet", "evidence_ids", "version", "typed_by")

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 2**31 - 1, 2**31, 2**63, 10**30, -1]),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(["good", "outstanding", "not_known", "outcomes.1", "\ud800", "\x00", "x" * 6000]),
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12)
bodies = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=len(FIELDS))

# Bodies no field-by-field strategy reaches: nesting past any parser's depth, bad bytes, huge numbers.
RAW = [
    b"[" * 100_000,
    b'{"benchmark_id": ' + b"[" * 5_000 + b"]" * 5_000 + b', "version": 1}',
    b'{"benchmark_id": "outcomes.1", "version": ' + b"9" * 5_000 + b"}",
    b'{"benchmark_id": "outcomes.1", "version": 1, "evidence_ids": [' + b"9" * 400 + b"]}",
    b'{"benchmark_id": "\\ud800", "version": 1}',
    b'{"benchmark_id": "outcomes.1", "version": 1, "evidence": "\\udfff"}',
    b"\xff\xfe\x00",
    b"",
    b"null",
    b'"just a string"',
    b"1e999999",
]


def _post(client, url, token, raw: bytes):
    return client.post(url, data=raw, headers={"X-CSRFToken": token, "Content-Type": "application/json"})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=bodies, first_benchmark=st.booleans())
def test_no_autosave_body_gets_a_server_error(client, login, open_round, body, first_benchmark):
    domain = current_framework().domains[0]
    if first_benchmark and "benchmark_id" not in body:
        body = {**body, "benchmark_id": domain.benchmarks[0].id}
    page_url = f"/rounds/{open_round.round.id}/respond/{domain.id}"
    if client.get(page_url).status_code != 200:
        login(open_round.member)
    token = csrf_token(client, page_url)
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}/autosave"
    reply = _post(client, url, token, json.dumps(body).encode())
    assert reply.status_code < 500, (body, reply.get_data(as_text=True)[:300])
    assert reply.is_json and isinstance(reply.json, dict)
    if reply.status_code == 200:
        # Saved means what was sent is what is stored.
        db.session.expire_all()
        answer = db.session.scalar(select(Answer).where(Answer.response_id == open_round.response.id, Answer.benchmark_id == body["benchmark_id"]))
        assert answer.rating == body.get("rating")
        assert answer.version == reply.json["version"]
    else:
        assert reply.json["error"]


def test_bodies_no_parser_should_take_are_refused_clearly(client, login, open_round):
    domain = current_framework().domains[0]
    login(open_round.member)
    token = csrf_token(client, f"/rounds/{open_round.round.id}/respond/{domain.id}")
    url = f"/rounds/{open_round.round.id}/respond/{domain.id}/autosave"
    for raw in RAW:
        reply = _post(client, url, token, raw)
        assert 400 <= reply.status_code < 500, (raw[:60], reply.status_code)
        assert reply.is_json and reply.json["error"], raw[:60]
    db.session.expire_all()
    assert db.session.scalars(select(Answer.rating).where(Answer.response_id == open_round.response.id)).all() == [None] * len(
        current_framework().benchmarks
    )
