"""`sait demo`: load the demo board."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only load the demo if it is not already there (for `make run`).")
@with_appcontext
def demo(if_empty: bool) -> None:
    """Load a realistic demo board with people in every role."""
    from app.demo import DEMO_BOARD, demo_exists, load_demo, login_lines

    if demo_exists():
        if not if_empty:
            raise click.ClickException(f"'{DEMO_BOARD}' already exists; nothing was changed.")
        click.echo(f"'{DEMO_BOARD}' is already loaded.")
    else:
        load_demo()
        click.echo(f"Loaded '{DEMO_BOARD}'.")
    for line in login_lines():
        click.echo(line)
