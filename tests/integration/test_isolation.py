"""No one reaches a board's data without a role on it that allows it.

The routes are discovered from `app.url_map`, so a route added later without
a permission check fails here. Two boards, A and B, are built with a person in
every role and data of every kind (tests/integration/route_walk.py); every
route that takes an id is requested with board A's ids by people of board B,
by an administrator with no role on A, by someone on no board and by someone
not signed in. The role matrix then checks each role on board A against the
route table in docs/permissions.md.
"""

from __future__ import annotations

from itertools import combinations

import pytest

from tests.integration.route_walk import (
    NO_BOARD_DATA,
    ROLES,
    BoardWorld,
    build_board,
    csrf_for,
    is_public_link,
    make_admin,
    make_loner,
    methods,
    path_for,
    permission_table,
    post_json,
    scoped_arguments,
    sent_to_sign_in,
    signed_in_client,
    snapshot,
    walked_rules,
)


@pytest.fixture
def board_a(app) -> BoardWorld:
    return build_board("Zephyr")


@pytest.fixture
def board_b(app) -> BoardWorld:
    return build_board("Quill")


@pytest.fixture
def table() -> dict[str, dict[str, str]]:
    return permission_table()


class Person:
    """A browser signed in as someone (or no one), with its CSRF token."""

    def __init__(self, app, label: str, user, role: str):
        self.label, self.role = label, role
        self.client = signed_in_client(app, user)
        self.token = csrf_for(self.client)

    def request(self, method: str, path: str):
        return self.client.get(path) if method == "GET" else post_json(self.client, path, self.token)


def outsiders(app, board_b: BoardWorld) -> list[Person]:
    """Everyone who has no role on board A."""
    return [
        *(Person(app, f"{role} of another board", board_b.user(role), role) for role in ("business_manager", "member", "inspector")),
        Person(app, "administrator with no role on the board", make_admin(), "admin"),
        Person(app, "someone on no board", make_loner(), "member"),
        Person(app, "someone not signed in", None, "anonymous"),
    ]


def leaked(body: str, world: BoardWorld, *, names_allowed: bool = False) -> list[str]:
    """Which of the board's texts appear in a page (its name and round title too, unless allowed)."""
    texts = world.content if names_allowed else world.names + world.content
    return [text for text in texts if text in body]


def refusal_problem(rule, person: Person, response, world: BoardWorld, admin_may: bool) -> str | None:
    """What is wrong with how a route answered someone with no right to the board's data."""
    body = response.get_data(as_text=True)
    shown = leaked(body, world, names_allowed=admin_may)
    if shown:
        return f"shows {shown}"
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if is_public_link(rule):
        return None if status == 404 else f"an unknown link answered {status}, expected 404"
    if person.role == "anonymous":
        return None if sent_to_sign_in(response) else f"answered {status} {response.location or ''}, expected 401 or a redirect to sign in"
    if admin_may:
        return None if status < 400 else f"refused the administrator ({status}), but docs/permissions.md allows it"
    return None if status in (403, 404) else f"answered {status}, expected 403 or 404"


def walk_problems(app, world: BoardWorld, people: list[Person], table) -> list[str]:
    """Every route with an id, with `world`'s ids, as each person: what went wrong."""
    problems = []
    for rule in walked_rules(app):
        path = path_for(rule, world)
        for person in people:
            admin_may = person.role == "admin" and table.get(rule.endpoint, {}).get("admin") == "yes"
            for method in methods(rule):
                if admin_may and method == "POST":
                    continue  # the administrator's own changes are tested in test_admin.py
                response = person.request(method, path)
                problem = refusal_problem(rule, person, response, world, admin_may)
                if problem:
                    problems.append(f"{method} {path} ({rule.endpoint}) as {person.label}: {problem}")
    return problems


def test_every_route_with_an_id_refuses_people_not_on_the_board(app, board_a, board_b, table):
    endpoints = {rule.endpoint for rule in walked_rules(app)}
    assert {"admin.board_members", "rounds.round_page", "questionnaire.autosave"} <= endpoints
    people = outsiders(app, board_b)
    before = snapshot()
    assert walk_problems(app, board_a, people, table) == []
    assert snapshot() == before, "a refused request changed the database"


def test_the_walk_catches_a_route_added_without_a_check(app, board_a, board_b, table):
    from app.data.models import Board
    from app.extensions import db

    @app.get("/boards/<int:board_id>/careless")
    def careless(board_id: int):
        return db.session.get(Board, board_id).name

    problems = walk_problems(app, board_a, outsiders(app, board_b), table)
    careless_problems = [p for p in problems if "(careless)" in p]
    assert len(careless_problems) == 6 and problems == careless_problems
    assert f"shows ['{board_a.board.name}']" in careless_problems[0]


def test_a_route_with_an_argument_the_walk_cannot_fill_fails_loudly(app):
    @app.get("/widgets/<int:widget_id>")
    def widget(widget_id: int):
        return ""

    with pytest.raises(pytest.fail.Exception, match=r"/widgets/<int:widget_id> \(widget\) takes widget_id"):
        walked_rules(app)


def test_an_id_of_one_board_cannot_be_reached_through_another_boards_address(app, board_a, board_b):
    """Board B's own ids in the address, with one of board A's slipped in (and the reverse)."""
    people = outsiders(app, board_b)[:3]
    before = snapshot()
    problems, tried = [], 0
    for rule in walked_rules(app):
        scoped = scoped_arguments(rule)
        for size in range(1, len(scoped)):
            for from_a in combinations(scoped, size):
                path = path_for(rule, board_a, mixed_with=board_b, from_world=frozenset(from_a))
                tried += 1
                for person in people:
                    for method in methods(rule):
                        response = person.request(method, path)
                        problem = refusal_problem(rule, person, response, board_a, admin_may=False)
                        if problem:
                            problems.append(f"{method} {path} ({rule.endpoint}) as {person.label}: {problem}")
    assert tried >= 4, "expected routes with two ids (a round and a response, a board and a membership ...)"
    assert problems == []
    assert snapshot() == before, "a refused request changed the database"


def test_pages_without_an_id_show_nothing_of_another_board(app, board_a, board_b, table):
    people = outsiders(app, board_b)
    problems = []
    for rule in app.url_map.iter_rules():
        if rule.arguments or "GET" not in rule.methods:
            continue
        for person in people:
            admin_may = person.role == "admin" and table.get(rule.endpoint, {}).get("admin") == "yes"
            response = person.client.get(rule.rule)
            shown = leaked(response.get_data(as_text=True), board_a, names_allowed=admin_may)
            if shown or response.status_code >= 500:
                problems.append(f"GET {rule.rule} as {person.label}: {response.status_code}, shows {shown}")
    assert problems == []


# The role matrix: each role on board A against every route.


def test_every_route_is_in_the_permission_table(app, table):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - NO_BOARD_DATA.keys()
    missing = sorted(endpoints - table.keys())
    assert missing == [], f"add a row for each to the route table in docs/permissions.md: {missing}"
    assert sorted(table.keys() - endpoints) == [], "docs/permissions.md lists routes that no longer exist"


def board_people(app, world: BoardWorld) -> dict[str, Person]:
    people = {role: Person(app, role, world.user(role), role) for role in ("business_manager", "member", "inspector")}
    people["admin"] = Person(app, "admin", make_admin(), "admin")
    people["anonymous"] = Person(app, "anonymous", None, "anonymous")
    return people


def allowed(response) -> bool:
    """The page or action worked: not refused, not sent to sign in, no server error."""
    return response.status_code < 500 and response.status_code not in (401, 403, 404) and not sent_to_sign_in(response)


def denial_problem(rule, role: str, response) -> str | None:
    """Refused as docs/permissions.md says: sign in, 403 on the board, 404 off it."""
    if role == "anonymous":
        return None if sent_to_sign_in(response) else f"answered {response.status_code}, expected a redirect to sign in"
    off_board = role == "admin" and bool(scoped_arguments(rule))
    expected = 404 if off_board else 403
    return None if response.status_code == expected else f"answered {response.status_code}, expected {expected}"


def matrix_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint not in NO_BOARD_DATA]


def test_each_role_on_a_board_gets_what_the_permission_table_says(app, board_a, table):
    people = board_people(app, board_a)
    walked_rules(app)  # fails first on an argument the walk cannot fill
    before = snapshot()
    problems = []
    for rule in matrix_rules(app):
        path = path_for(rule, board_a)
        for role in ROLES:
            person, expected = people[role], table.get(rule.endpoint, {}).get(role)
            if expected is None:
                continue  # reported by test_every_route_is_in_the_permission_table
            if expected == "link":
                response = person.request(methods(rule)[0], path)
                if response.status_code != 404:
                    problems.append(f"{path} as {role}: an unknown link answered {response.status_code}")
                continue
            if "GET" in rule.methods:
                response = person.request("GET", path)
                if expected == "yes" and not allowed(response):
                    problems.append(f"GET {path} ({rule.endpoint}) as {role}: refused with {response.status_code}, the table says yes")
                if expected == "no" and (problem := denial_problem(rule, role, response)):
                    problems.append(f"GET {path} ({rule.endpoint}) as {role}: {problem}")
            if "POST" in rule.methods and expected == "no" and (problem := denial_problem(rule, role, person.request("POST", path))):
                    problems.append(f"POST {path} ({rule.endpoint}) as {role}: {problem}")
    assert problems == []
    assert snapshot() == before, "reading a page or a refused request changed the database"


def test_actions_work_for_the_roles_the_table_allows(app, table):
    """Each POST-only route, as each role allowed it, on a fresh board (the action changes it)."""
    problems, tried = [], 0
    for rule in matrix_rules(app):
        if "GET" in rule.methods:
            continue  # pages that take a form were checked by their GET above
        for role in ROLES:
            if table.get(rule.endpoint, {}).get(role) != "yes":
                continue
            world = build_board("Fresh")
            person = board_people(app, world)[role]
            response = person.request("POST", path_for(rule, world))
            tried += 1
            if not allowed(response):
                problems.append(f"POST {rule.rule} ({rule.endpoint}) as {role}: refused with {response.status_code}")
    assert tried >= 8
    assert problems == []
