from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, InputRequired, Length

from app.auth.passwords import password_problems
from app.web.form_fields import EmailAddress


def strip(value: str | None) -> str | None:
    """Leading and trailing spaces are not part of a name or an address."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter your email address")), Length(max=254)],
    )
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your password")), Length(max=256)],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class NewPasswordMixin:
    """A new password and its confirmation, checked against the password rules."""

    def new_password_acceptable(self, email: str, name: str = "") -> bool:
        """Apply the rules (length, hard to guess, not the person's email or name); problems go on the field."""
        problems = password_problems(
            self.new_password.data or "", min_length=current_app.config["SAIT_PASSWORD_MIN_LENGTH"], email=email, name=name
        )
        self.new_password.errors = [*self.new_password.errors, *problems]
        return not problems

    new_password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        description=_l("At least 12 characters. A short sentence is easy to remember and hard to guess."),
        validators=[InputRequired(message=_l("Enter a new password"))],
    )
    confirm_password = PasswordField(
        _l("Confirm new password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Confirm your new password")),
            EqualTo("new_password", message=_l("Passwords must match")),
        ],
    )


class ChangePasswordForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=_l("Enter your current password"))],
    )
    submit = SubmitField(_l("Change password"), widget=GovSubmitInput())


class ResetRequestForm(FlaskForm):
    email = EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter your email address")),
            EmailAddress(message=_l("Enter an email address in the correct format, like name@example.com")),
            Length(max=254),
        ],
    )
    submit = SubmitField(_l("Send reset link"), widget=GovSubmitInput())


class ResetPasswordForm(NewPasswordMixin, FlaskForm):
    submit = SubmitField(_l("Set new password"), widget=GovSubmitInput())


class JoinBoardForm(FlaskForm):
    """Accepting an invitation with an account the person already has."""

    submit = SubmitField(_l("Accept invitation"), widget=GovSubmitInput())


class AcceptInvitationForm(NewPasswordMixin, FlaskForm):
    name = StringField(
        _l("Your full name"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired(message=_l("Enter your full name")), Length(max=200, message=_l("Name must be 200 characters or fewer"))],
    )
    submit = SubmitField(_l("Create account and accept"), widget=GovSubmitInput())
