"""`sait report ROUND_ID -o FILE.pdf`: the self-evaluation report of a round, from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.data.models import AssessmentRound
from app.extensions import db


@click.command("report")
@click.argument("round_id", type=int)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Where to write the PDF.")
@click.option("--lang", default="en", show_default=True, help="Language of the report (en or cy).")
@with_appcontext
def report(round_id: int, output: Path, lang: str) -> None:
    """Write the PDF self-evaluation report of round ROUND_ID (the same document the app serves)."""
    from app.reports.render import produce_pdf

    if lang not in current_app.config["LANGUAGES"]:
        raise click.BadParameter(f"{lang!r} is not one of: {', '.join(current_app.config['LANGUAGES'])}", param_hint="--lang")
    assessment_round = db.session.get(AssessmentRound, round_id)
    if assessment_round is None:
        raise click.ClickException(f"There is no round {round_id}.")
    produced = produce_pdf(assessment_round, lang=lang)
    output.write_bytes(produced.pdf)
    click.echo(f"Wrote {output} ({len(produced.pdf) // 1024} KB): {assessment_round.board.name}, {assessment_round.title}")
