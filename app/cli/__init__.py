"""Command line for administrators and automation: `flask --app wsgi sait ...`."""

from flask.cli import AppGroup

from app.cli.assessment import export_assessment_command, import_assessment_command
from app.cli.demo import demo
from app.cli.framework import check_framework
from app.cli.reports import report
from app.cli.users import create_user

sait = AppGroup("sait", help="Administer the SAIT self-assessment tool.")
sait.add_command(check_framework)
sait.add_command(demo)
sait.add_command(create_user)
sait.add_command(report)
sait.add_command(export_assessment_command)
sait.add_command(import_assessment_command)
