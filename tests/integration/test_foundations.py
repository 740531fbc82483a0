"""The app starts, migrates on both databases, serves the home page and health check."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from app import create_app
from app.config import TestConfig
from app.extensions import db
from tests.factories import page


def test_home_page_names_the_product_and_the_five_domains(client):
    soup = page(client.get("/"))
    assert soup.h1.get_text(strip=True) == "Safeguarding board self-assessment"
    domains = [li.get_text(strip=True) for li in soup.select("main ul.govuk-list li")]
    assert domains == [
        "Improving safeguarding outcomes for children",
        "Establishing the Board's strategic direction",
        "Establishing effective governance",
        "Building capacity",
        "Delivering outputs",
    ]
    # What the framework is: the SAIT's domains, with benchmarks written for this product.
    assert "were written for this service" in soup.main.get_text() and "not the national benchmarks of 2008" in soup.main.get_text()
    assert soup.select_one("link[href$='govuk-frontend.min.css']") is not None


def test_health_reports_database_and_framework_version(client, app):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json["status"] == "ok"
    assert response.json["framework"] == app.extensions["sait_framework"].version


def test_migrations_create_every_table(app):
    tables = set(inspect(db.engine).get_table_names())
    assert {"boards", "users", "memberships", "framework_versions", "assessment_rounds", "responses", "answers", "audit_events", "alembic_version"} <= tables


def test_models_match_migrations(app):
    """Autogenerate finds nothing to add: the migrations are complete."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_unknown_page_is_a_govuk_404_without_traceback(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    soup = page(response)
    assert soup.h1.get_text(strip=True) == "Page not found"
    assert "Traceback" not in response.get_data(as_text=True)


def test_app_refuses_to_start_without_secret_key():
    with pytest.raises(SystemExit) as excinfo:
        create_app({"SECRET_KEY": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert "SECRET_KEY" in str(excinfo.value)


def test_app_refuses_to_start_with_a_broken_framework(tmp_path):
    broken = tmp_path / "sait_domains.yaml"
    broken.write_text("version: '1'\ndomains: [\n", encoding="utf-8")
    with pytest.raises(SystemExit) as excinfo:
        create_app({**{k: getattr(TestConfig, k) for k in dir(TestConfig) if k.isupper()}, "SAIT_FRAMEWORK_PATH": str(broken)})
    message = str(excinfo.value)
    assert "sait_domains.yaml:" in message
    assert "Traceback" not in message
