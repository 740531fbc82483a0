"""What the import contracts cannot say: the data layer never reads the request.

import-linter forbids modules; these names are attributes of ``flask``, so the
rule for them is checked here, on the source of every module of app/data.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

DATA = Path(__file__).resolve().parents[2] / "app" / "data"
# ... and the page's language: the caller says which language it wants.
REQUEST_ONLY = {"request", "session", "g", "flash", "url_for", "redirect", "abort", "current_user", "login_user", "logout_user", "current_language"}


def flask_names_imported(source: str) -> set[str]:
    """The names a module imports from Flask, Flask-Login or app.web.i18n, wherever the import sits."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in {"flask", "flask_login", "flask.globals", "app.web.i18n"}:
            names.update(alias.name for alias in node.names)
    return names


def test_the_reader_sees_request_only_names():
    assert flask_names_imported("def f():\n    from flask import request, current_app\n") == {"request", "current_app"}


def test_no_data_module_imports_the_request_or_the_signed_in_user():
    offenders = {
        str(path.relative_to(DATA)): sorted(flask_names_imported(path.read_text(encoding="utf-8")) & REQUEST_ONLY) for path in sorted(DATA.rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def import_cycles(imports: dict[str, set[str]]) -> list[list[str]]:
    """Groups of modules that import each other, directly or round a loop (Tarjan's strongly connected components)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(imports.get(module, ())):
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for module in sorted(imports):
        if module not in order:
            visit(module)
    return cycles


def test_the_cycle_finder_finds_a_loop_of_three():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_of_the_app_is_part_of_an_import_cycle():
    graph = grimp.build_graph("app")
    imports = {module: set(graph.find_modules_directly_imported_by(module)) for module in graph.modules}
    assert import_cycles(imports) == []


APP = DATA.parent
# Where something outside the database must wait until the data is durable
# (app/web/transaction.py says why; each line says so too). The demo seeding
# and the command line have no request, so they commit their own work.
EARLY_COMMITS = {
    "admin/boards.py": 1,  # the set-password email's link
    "auth/invitations.py": 1,  # the invitation email's link
    "auth/reset.py": 2,  # the reset and set-password emails' links
    "auth/routes.py": 1,  # a changed password before the new session
    "data/database.py": 2,  # commit_early() and finish_request(), the one commit of every request
    "data/report_cache.py": 2,  # a stored report; the read ended before a long render
}


def commits_in(source: str) -> int:
    return sum(
        1
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Attribute) and node.func.attr == "commit" and not node.args)
            or (isinstance(node.func, ast.Name | ast.Attribute) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "commit_early")
        )
    )


def test_the_commit_counter_sees_a_commit_in_a_function():
    assert commits_in("def save():\n    db.session.add(x)\n    db.session.commit()\n") == 1
    assert commits_in("def invite():\n    commit_early()\n    send()\n") == 1


def test_a_request_commits_once_in_one_place_with_the_early_commits_listed():
    found = {}
    for path in sorted(APP.rglob("*.py")):
        where = str(path.relative_to(APP))
        if where.startswith(("demo/", "cli/")):
            continue
        if count := commits_in(path.read_text(encoding="utf-8")):
            found[where] = count
    assert found == EARLY_COMMITS


# The layers whose modules may hold the database session: the data layer
# itself, and the demo seeding and command line, which run without a request.
SESSION_HOLDERS = ("data/", "demo/", "cli/", "__init__.py", "extensions.py")


def session_imports(source: str) -> set[str]:
    """How a module reaches the database session itself: `db` from app.extensions, or app.extensions.db."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module == "app.extensions":
            found |= {f"app.extensions.{alias.name}" for alias in node.names if alias.name == "db"}
        if isinstance(node, ast.Attribute) and node.attr == "db" and ast.unparse(node.value) == "app.extensions":
            found.add("app.extensions.db")
    return found


def test_the_session_finder_sees_both_spellings():
    assert session_imports("from app.extensions import db, limiter\n") == {"app.extensions.db"}
    assert session_imports("import app.extensions\napp.extensions.db.session.get(X, 1)\n") == {"app.extensions.db"}
    assert session_imports("from app.extensions import limiter\n") == set()


def test_only_the_data_layer_holds_the_database_session():
    """Blueprints and app/web ask app/data; they never query or commit themselves (docs/architecture.md)."""
    found = {}
    for path in sorted(APP.rglob("*.py")):
        where = str(path.relative_to(APP))
        if where.startswith(SESSION_HOLDERS):
            continue
        if names := session_imports(path.read_text(encoding="utf-8")):
            found[where] = names
    assert found == {}
