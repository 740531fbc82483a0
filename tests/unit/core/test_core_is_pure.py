"""app.core is importable with no Flask, no database library and no forms, as its contract says."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import app.core

REPO = Path(__file__).resolve().parents[3]
# Imported by the parent package or the web layer, never by the pure code.
WEB_OR_DATABASE = ("flask", "flask_babel", "flask_login", "flask_sqlalchemy", "flask_wtf", "sqlalchemy", "wtforms", "werkzeug")

CHILD = """
import importlib, sys
for name in sys.argv[1:]:
    importlib.import_module(name)
print(" ".join(sorted({m.split(".")[0] for m in sys.modules})))
"""


def test_every_core_module_imports_without_flask_or_a_database():
    modules = [info.name for info in pkgutil.walk_packages(app.core.__path__, "app.core.")]
    assert "app.core.scoring" in modules and "app.core.assessment_file.document" in modules
    # A fresh interpreter: this test process has Flask loaded by the suite's conftest.
    done = subprocess.run([sys.executable, "-c", CHILD, *modules], capture_output=True, text=True, timeout=60, cwd=REPO, check=True)
    loaded = set(done.stdout.split())
    assert "app" in loaded
    assert loaded.isdisjoint(WEB_OR_DATABASE), sorted(loaded & set(WEB_OR_DATABASE))
