"""An id in a web address that no row can have is 'Page not found', never an error.

Every route with a whole-number argument is requested with 0, -1, 2**63 and
10**30 in that argument (the others real), by GET and by POST with a valid
CSRF token, signed in as the board's business manager and as an
administrator, and not signed in. Before ids were bounded, 2**63 and larger
reached the database and failed there (500).
"""

from __future__ import annotations

import pytest
from werkzeug.routing import IntegerConverter, Rule

from app.web.routing import MAX_ID
from tests.integration.route_walk import ARGUMENTS, build_board, csrf_for, make_admin, methods, signed_in_client, walked_rules

OUT_OF_RANGE = (0, -1, 2**63, 10**30, MAX_ID + 1)


def _int_arguments(rule: Rule) -> list[str]:
    return sorted(name for name, converter in rule._converters.items() if isinstance(converter, IntegerConverter))


def _path(rule: Rule, world, name: str, bad: int) -> str:
    values = {arg: ARGUMENTS[arg].value(world) for arg in rule.arguments}
    values[name] = bad
    return rule.build(values, append_unknown=False)[1]


def test_every_id_argument_is_bounded(app):
    rules = [rule for rule in walked_rules(app) if _int_arguments(rule)]
    assert len(rules) > 40  # the walk really covers the app's id routes
    unbounded = [rule.rule for rule in rules for name in _int_arguments(rule) if rule._converters[name].max != MAX_ID]
    assert unbounded == []


def test_out_of_range_ids_are_page_not_found_for_everyone(app):
    world = build_board("Bounds")
    people = {
        "manager": signed_in_client(app, world.manager),
        "admin": signed_in_client(app, make_admin()),
        "anonymous": signed_in_client(app, None),
    }
    tokens = {who: csrf_for(client) for who, client in people.items()}
    failures = []
    for rule in walked_rules(app):
        for name in _int_arguments(rule):
            for bad in OUT_OF_RANGE:
                path = _path(rule, world, name, bad)
                for who, client in people.items():
                    for method in methods(rule):
                        response = client.get(path) if method == "GET" else client.post(path, data={"csrf_token": tokens[who]})
                        if response.status_code != 404:
                            failures.append(f"{method} {path} as {who}: {response.status_code}")
    assert failures == []


def test_the_largest_real_id_still_reaches_the_page(app):
    """The bound is the database's, not lower: an id at the limit is looked up (and not found)."""
    world = build_board("Edge")
    client = signed_in_client(app, world.manager)
    response = client.get(f"/boards/{MAX_ID}/audit")
    assert response.status_code == 404
    assert client.get(f"/boards/{world.board.id}/audit").status_code == 200


@pytest.mark.parametrize("text", ["007", "1e3", "٣"])
def test_odd_spellings_of_numbers_are_not_ids(app, text):
    world = build_board("Odd")
    client = signed_in_client(app, world.manager)
    assert client.get(f"/boards/{text}/audit").status_code == 404
