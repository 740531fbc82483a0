from __future__ import annotations

from pathlib import Path

from flask import current_app, jsonify, render_template, send_from_directory
from flask_login import current_user

from app.data.database import database_answers
from app.data.framework_store import current_framework
from app.data.home import boards_for_home
from app.main.blueprint import bp


@bp.get("/")
def home():
    framework = current_framework()
    if not current_user.is_authenticated:
        return render_template("main/start.html", framework=framework)
    return render_template("main/home.html", framework=framework, boards=boards_for_home(current_user))


@bp.get("/health")
def health():
    """For load balancers: the app answers and the database is reachable."""
    try:
        database_answers()
    except Exception:  # noqa: BLE001 - any failure means unhealthy
        return jsonify(status="unavailable", database="unreachable"), 503
    return jsonify(status="ok", database="ok", framework=current_framework().version)


@bp.get("/accessibility")
def accessibility():
    return render_template("main/accessibility.html")


@bp.get("/assets/<path:filename>")
def govuk_assets(filename: str):
    """GOV.UK Frontend's stylesheet asks for its fonts and images under /assets/."""
    directory = Path(current_app.root_path) / "static" / "govuk" / "assets"
    return send_from_directory(directory, filename, max_age=31536000)
