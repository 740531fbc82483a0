"""The SAIT web application: `create_app` builds and configures it.

Flask is imported inside `create_app`, so that importing the pure code in
`app.core` (which loads this package first) loads no web framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.config import MIGRATIONS_DIR, Config

if TYPE_CHECKING:
    from flask import Flask


def create_app(config: type[Config] | dict[str, Any] | None = None) -> Flask:
    """Create the app. `config` is a Config class or a mapping of overrides."""
    from flask import Flask
    from jinja2 import ChoiceLoader, PackageLoader, PrefixLoader

    app = Flask(__name__, instance_relative_config=False)
    app.config.from_object(Config)
    if isinstance(config, dict):
        app.config.update(config)
    elif config is not None:
        app.config.from_object(config)
    if not app.config.get("SECRET_KEY"):
        raise SystemExit(
            "SECRET_KEY is not set. Set it in the environment, or run `make run` "
            "once, which writes one to instance/secret_key."
        )

    app.jinja_loader = ChoiceLoader(
        [
            PackageLoader("app"),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )

    from app.cli import sait
    from app.data import database, framework_store
    from app.extensions import csrf, db, limiter, migrate
    from app.web import agencies, anonymous_writes, errors, i18n, routing, security, templating, transaction

    routing.init_app(app)
    framework_store.init_app(app)
    agencies.init_app(app)
    db.init_app(app)
    transaction.init_app(app)
    database.init_app(app)
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR))
    anonymous_writes.init_app(app)
    csrf.init_app(app)
    limiter.init_app(app)
    security.init_app(app)
    i18n.init_app(app)
    templating.init_app(app)
    errors.init_app(app)

    from app.auth import init_app as init_auth
    from app.main import bp as main_bp

    init_auth(app)
    app.register_blueprint(main_bp)
    for blueprint in _feature_blueprints():
        app.register_blueprint(blueprint)

    app.cli.add_command(sait)
    return app


def _feature_blueprints() -> list:
    """Blueprints for each area of work, imported late to keep start-up simple."""
    from app.admin import bp as admin_bp
    from app.evidence import bp as evidence_bp
    from app.inspection import bp as inspection_bp
    from app.moderation import bp as moderation_bp
    from app.plan import bp as plan_bp
    from app.questionnaire import bp as questionnaire_bp
    from app.reports import bp as reports_bp
    from app.rounds import bp as rounds_bp

    return [admin_bp, rounds_bp, questionnaire_bp, moderation_bp, plan_bp, evidence_bp, reports_bp, inspection_bp]
