"""``flask --app wsgi sait check-framework [PATH]``: check a framework file before using it."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import ScriptInfo

from app.core.framework import FrameworkError, load_framework


@click.command("check-framework")
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--list-untranslated",
    is_flag=True,
    help="List every text that has no Welsh translation.",
)
def check_framework(path: Path | None, list_untranslated: bool) -> None:
    """Check the framework file at PATH (default: the app's SAIT_FRAMEWORK_PATH).

    Prints a summary and exits 0 if the file can be used; otherwise prints every
    problem as file:line: message and exits 1. Missing Welsh is a warning only.
    """
    if path is None:
        path = _configured_path()
    try:
        framework = load_framework(path)
    except FrameworkError as exc:
        for error in exc.errors:
            click.echo(error, err=True)
        raise SystemExit(1) from None

    click.echo(
        f"{path} (version {framework.version}): {len(framework.domains)} domains, "
        f"{len(framework.benchmarks)} benchmarks, {len(framework.scale.levels)} levels: OK"
    )
    untranslated = framework.untranslated()
    if list_untranslated:
        for warning in untranslated:
            click.echo(f"warning: {warning}", err=True)
    elif untranslated:
        texts = "1 text has" if len(untranslated) == 1 else f"{len(untranslated)} texts have"
        click.echo(f"{texts} no Welsh translation (run with --list-untranslated to see them)", err=True)


def _configured_path() -> Path:
    """The app's framework path, loading the app only now that it is needed.

    This is what ``flask.cli.with_appcontext`` would do, but done lazily so that
    checking an explicit PATH needs no app at all (and works in a plain CliRunner).
    """
    if has_app_context():
        return _path_from_config(current_app.config)
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    with app.app_context():
        return _path_from_config(app.config)


def _path_from_config(config: dict[str, object]) -> Path:
    value = config.get("SAIT_FRAMEWORK_PATH")
    if not value:
        raise click.UsageError("SAIT_FRAMEWORK_PATH is not configured; give the file's PATH instead.")
    return Path(str(value))
