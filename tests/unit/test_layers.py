"""What the import contracts cannot say: the data layer never reads the request.

import-linter forbids modules; these names are attributes of ``flask``, so the
rule for them is checked here, on the source of every module of app/data.
"""

from __future__ import annotations

import ast
from pathlib import Path

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
