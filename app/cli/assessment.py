"""`sait export-assessment` and `sait import-assessment`: a whole round as a JSON file (docs/assessment-format.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.extensions import db
from app.models import AssessmentRound


@click.command("export-assessment")
@click.argument("round_id", type=int)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Where to write the JSON file.")
@with_appcontext
def export_assessment_command(round_id: int, output: Path) -> None:
    """Write round ROUND_ID, with its board, framework, answers, moderation, actions and findings, to a JSON file."""
    from app.assessment_file import dump
    from app.audit import record
    from app.reports.assessment_export import export_assessment

    assessment_round = db.session.get(AssessmentRound, round_id)
    if assessment_round is None:
        raise click.ClickException(f"There is no round {round_id}.")
    document = export_assessment(assessment_round)
    output.write_text(dump(document), encoding="utf-8")
    record("assessment_exported", board_id=assessment_round.board_id, object_type="round", object_id=round_id, detail={"by": "command line"})
    db.session.commit()
    click.echo(
        f"Wrote {output}: {assessment_round.board.name}, {assessment_round.title} "
        f"({len(document['responses'])} responses, {len(document['actions'])} actions)"
    )


@click.command("import-assessment")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_assessment_command(path: Path) -> None:
    """Load the round in the JSON file at PATH, creating its board, people and framework version if missing.

    A file with any problem is refused, every problem listed, and nothing is saved.
    """
    from app.assessment_file import AssessmentFileError, read_document
    from app.reports.assessment_import import import_assessment

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path} is not UTF-8 text; nothing was imported.") from None
    try:
        imported = import_assessment(read_document(text, str(path)))
    except AssessmentFileError as error:
        for problem in error.problems:
            click.echo(f"{path}: {problem}" if not problem.startswith(str(path)) else problem, err=True)
        count = len(error.problems)
        raise click.ClickException(f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.") from None
    click.echo(f"Imported round {imported.round_id} ({imported.responses} responses, {imported.actions} actions).")
    if imported.board_created:
        click.echo("Created the board.")
    if imported.framework_created:
        click.echo("Stored the round's framework version.")
    if imported.people_created:
        click.echo(f"Created {len(imported.people_created)} accounts, disabled and without passwords until invited:")
        for email in imported.people_created:
            click.echo(f"  {email}")
