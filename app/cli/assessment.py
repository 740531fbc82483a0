"""`sait export-assessment` and `sait import-assessment`: a whole round as a JSON file (docs/assessment-format.md)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click
from flask.cli import with_appcontext

from app.data.models import AssessmentRound
from app.extensions import db
from app.web.agencies import agency_name

if TYPE_CHECKING:
    from app.data.assessment_import import ImportPlan, PlannedPerson


@click.command("export-assessment")
@click.argument("round_id", type=int)
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path), help="Where to write the JSON file.")
@with_appcontext
def export_assessment_command(round_id: int, output: Path) -> None:
    """Write round ROUND_ID, with its board, framework, answers, moderation, actions and findings, to a JSON file."""
    from app.core.assessment_file import dump
    from app.data.assessment_export import export_assessment
    from app.data.audit import record

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
@click.option(
    "--grant-roles",
    is_flag=True,
    help="Let the file give roles on the board to accounts that already exist here (the plan lists them). Without it such a file is refused.",
)
@click.option("--yes", "assume_yes", is_flag=True, help="Import without asking (the plan is still printed).")
@with_appcontext
def import_assessment_command(path: Path, grant_roles: bool, assume_yes: bool) -> None:
    """Load the round in the JSON file at PATH, creating its board, people and framework version if missing.

    A file with any problem is refused, every problem listed, and nothing is
    saved. Texts are held to the limits of the web forms (evidence, reasons,
    findings and challenges to SAIT_EVIDENCE_MAX_CHARS).

    Before changing anything the command prints its plan: the board, the
    round, how many answers and evidence items, and each person with the role
    they will have on the board. It then asks "Import? [y/N]"; --yes skips the
    question.

    Roles: an account the file creates (disabled and without a password until
    an administrator invites it) gets the role the file gives it. An account
    that already exists here (same email) is never given a role on the board
    unless --grant-roles is given: without it the file is refused, nothing is
    saved and the accounts and roles are listed. With it they are given, and
    the plan marks each one with the roles it holds on other boards. A site
    administrator's account may be given a role too, with --grant-roles only,
    and the plan flags it SITE ADMINISTRATOR. A role an account already has on
    the board is kept as it is.
    """
    from app.core.assessment_file import AssessmentFileError
    from app.data.assessment_import import (
        RoleGrantRefused,
        import_assessment,
        plan_import,
        read_assessment,
    )

    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise click.ClickException(f"{path} is not UTF-8 text; nothing was imported.") from None
    try:
        document = read_assessment(text, str(path))
        plan = plan_import(document)
        _echo_plan(path, plan)
        if plan.grants and not grant_roles:
            raise RoleGrantRefused(plan.board, plan.grants)
        if not assume_yes and not click.confirm("Import?", default=False):
            raise click.ClickException("Not imported (you did not answer y): nothing was changed.")
        imported = import_assessment(document, grant_roles=grant_roles)
        db.session.commit()  # a command line has no request to commit it (app/web/transaction.py)
    except AssessmentFileError as error:
        for problem in error.problems:
            click.echo(f"{path}: {problem}" if not problem.startswith(str(path)) else problem, err=True)
        count = len(error.problems)
        raise click.ClickException(f"{count} problem{'s' if count != 1 else ''} found; nothing was imported.") from None
    except RoleGrantRefused as refused:
        count = len(refused.people)
        click.echo(
            f"The file would give a role on {refused.board!r} to {count} account{'s' if count != 1 else ''} "
            f"that already exist{'s' if count == 1 else ''} here:",
            err=True,
        )
        for person in refused.people:
            click.echo(f"  {person.email}: {_role(person.role, person.agency)}{_flags(person)}", err=True)
        raise click.ClickException(
            "Nothing was imported. If they should have these roles, re-run with --grant-roles."
        ) from None
    click.echo(f"Imported round {imported.round_id} ({imported.responses} responses, {imported.actions} actions).")
    if imported.board_created:
        click.echo("Created the board.")
    if imported.framework_created:
        click.echo("Stored the round's framework version.")
    if imported.people_created:
        click.echo(f"Created {len(imported.people_created)} accounts, disabled and without passwords until invited:")
        for email in imported.people_created:
            click.echo(f"  {email}")
    if imported.roles_granted:
        click.echo(f"Gave roles on the board to {_count(len(imported.roles_granted), 'existing account')}:")
        for email in imported.roles_granted:
            click.echo(f"  {email}")


def _echo_plan(path: Path, plan: ImportPlan) -> None:
    """What the import will do, before it does it."""
    click.echo(f"Plan for {path}:")
    click.echo(f"  Board: {plan.board}" + ("" if plan.board_exists else " (new: it will be created)"))
    click.echo(
        f"  Round: {plan.round_title} ({plan.round_status}), framework version {plan.framework_version}"
        + ("" if plan.framework_stored else " (new: it will be stored)")
    )
    click.echo(
        "  "
        + ", ".join(
            _count(number, what)
            for number, what in (
                (plan.responses, "response"),
                (plan.answers, "answer"),
                (plan.evidence, "evidence item"),
                (plan.agreed_ratings, "agreed rating"),
                (plan.actions, "action"),
                (plan.findings, "inspection finding"),
                (plan.recommendations, "recommendation"),
                (plan.challenges, "challenge comment"),
            )
        )
    )
    click.echo(f"  People ({len(plan.people)}) and their role on the board:")
    for person in plan.people:
        click.echo(f"    {person.email} ({person.name}): {_outcome(person)}{_flags(person)}")
    if plan.grants:
        count = len(plan.grants)
        click.echo(f"  {count} existing account{'s' if count != 1 else ''} would be GIVEN a role on the board.")


def _count(number: int, what: str) -> str:
    return f"{number} {what}{'s' if number != 1 else ''}"


def _role(role: str | None, agency: str | None) -> str:
    return "no role on the board" if role is None else f"{role} for {agency_name(agency)}"


def _outcome(person: PlannedPerson) -> str:
    """The role the person will have on the board, and whose account it is."""
    if person.new_account:
        return f"{_role(person.role, person.agency)} [new account]"
    if person.granted:
        return f"{_role(person.role, person.agency)} [EXISTING ACCOUNT GIVEN THIS ROLE]"
    if person.role_here is None:
        return f"{_role(None, None)} [existing account]"
    kept = f"already {person.role_here} on the board" + (", but has left it" if person.left_here else "")
    differs = "" if person.role in (None, person.role_here) else f"; the file's {person.role} is not applied"
    return f"{kept} [existing account, kept as it is{differs}]"


def _flags(person: PlannedPerson) -> str:
    """What to look at twice: a site administrator, roles on other boards, a place the file says was left."""
    flags = []
    if person.site_admin:
        flags.append("SITE ADMINISTRATOR")
    if person.granted and person.other_roles:
        flags.append("also " + ", ".join(person.other_roles))
    if person.gets_place and person.left_at is not None:
        flags.append(f"left the board on {person.left_at:%Y-%m-%d}: no access")
    return "".join(f" [{flag}]" for flag in flags)
