"""What the import contracts cannot say: the data layer never reads the request.

import-linter forbids modules; these names are attributes of ``flask``, so the
rule for them is checked here, on the source of every module of app/data.
"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

DATA = Path(__file__).resolve().parents[2] / "app" / "data"
REQUEST_ONLY = {"request", "session", "g", "flash", "url_for", "redirect", "abort", "current_user", "login_user", "logout_user"}


def flask_names_imported(source: str) -> set[str]:
    """The names a module imports from Flask or Flask-Login, wherever the import sits."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module in {"flask", "flask_login", "flask.globals"}:
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
