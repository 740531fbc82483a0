"""Command line for administrators and automation: `flask --app wsgi sait ...`."""

from flask.cli import AppGroup

from app.cli.demo import demo
from app.cli.framework import check_framework
from app.cli.users import create_user

sait = AppGroup("sait", help="Administer the SAIT self-assessment tool.")
sait.add_command(check_framework)
sait.add_command(demo)
sait.add_command(create_user)
