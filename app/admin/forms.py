"""Forms for boards, board members, invitations and the audit trail filter."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovRadioInput, GovSelect, GovSubmitInput, GovTextArea, GovTextInput
from wtforms import EmailField, RadioField, SelectField, SelectMultipleField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from app.auth.forms import strip
from app.core.text_limits import EMAIL_MAX_CHARS, NAME_MAX_CHARS
from app.data.models import Board
from app.web.agencies import agency_choices, agency_name, catalogue, kind_name, nation_name
from app.web.form_fields import EmailAddress
from app.web.labels import ROLE_NAMES

# Member first: it is what most invitations are for.
ROLE_CHOICES = ROLE_NAMES.choices(("member", "business_manager", "inspector"))


def _name_field(label: LazyString, required: LazyString) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        filters=[strip],
        validators=[DataRequired(message=required), Length(max=NAME_MAX_CHARS, message=_l("Name must be 200 characters or fewer"))],
    )


def _email_field() -> EmailField:
    return EmailField(
        _l("Email address"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter an email address")),
            EmailAddress(message=_l("Enter an email address in the correct format, like name@example.com")),
            Length(max=EMAIL_MAX_CHARS, message=_l("Email address must be 254 characters or fewer")),
        ],
    )


class AgencyField(SelectField):
    """The agency select: only the board's own partners (see offer_board_agencies) are accepted."""

    def pre_validate(self, form) -> None:
        offered = {choice[0] for choice in self.choices or []}
        if self.data and self.data not in offered:
            raise ValidationError(_l("Select one of the board’s partner agencies"))


def _agency_field() -> SelectField:
    return AgencyField(
        _l("Agency"),
        widget=GovSelect(),
        choices=[],  # the board's own partners: offer_board_agencies
        description=_l("The partner agency the person speaks for on the board."),
        validators=[InputRequired(message=_l("Select an agency"))],
    )


def _role_field() -> RadioField:
    return RadioField(
        _l("Role on the board"),
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        description=_l(
            "A member rates the board for their agency. A business manager runs rounds, "
            "invites people and records the agreed ratings. An inspector reads the "
            "self-assessment and records findings."
        ),
        validators=[InputRequired(message=_l("Select a role"))],
    )


def offer_board_agencies(form: BusinessManagerForm | InviteForm | MemberForm, board: Board, keep: str | None = None) -> None:
    """Offer only the board's own partner agencies (and ``keep``, the member's current one): any other is refused."""
    form.agency.choices = [("", _l("Select an agency"))] + agency_choices(board, keep)


#: The most local authorities one board covers (the largest Welsh region has six).
MAX_LOCAL_AUTHORITIES = 20


def _lazy(name_of, item_id: str) -> LazyString:
    return LazyString(name_of, item_id)


def local_authority_names(text: str | None) -> list[str]:
    """The local authorities typed one a line, in order, blank lines dropped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class BoardForm(FlaskForm):
    """A board's name, nation, kind and the local authorities it covers (the kinds and nations come from partners.yaml)."""

    name = StringField(
        _l("Board name"),
        widget=GovTextInput(),
        filters=[strip],
        validators=[
            DataRequired(message=_l("Enter the board’s name")),
            Length(max=NAME_MAX_CHARS, message=_l("Board name must be 200 characters or fewer")),
        ],
    )
    name_cy = StringField(
        _l("Board name in Welsh (optional)"),
        widget=GovTextInput(),
        description=_l("Welsh pages and the Welsh report use it; without it they show the name above."),
        filters=[strip],
        validators=[Length(max=NAME_MAX_CHARS, message=_l("Board name in Welsh must be 200 characters or fewer"))],
    )
    nation = RadioField(
        _l("Nation"),
        widget=GovRadioInput(),
        choices=[(nation.id, _lazy(nation_name, nation.id)) for nation in catalogue().nations],
        description=_l("The law the board works under, and the partners a new board starts with, depend on it."),
        validators=[InputRequired(message=_l("Select the nation the board works in"))],
    )
    kind = RadioField(
        _l("Kind of board"),
        widget=GovRadioInput(),
        choices=[(kind.id, _lazy(kind_name, kind.id)) for kind in catalogue().kinds],
        validators=[InputRequired(message=_l("Select the kind of board"))],
    )
    local_authorities = TextAreaField(
        _l("Local authorities the board covers"),
        widget=GovTextArea(),
        description=_l("One a line. A regional board covers several; a local board one."),
        validators=[DataRequired(message=_l("Enter at least one local authority the board covers"))],
    )
    submit = SubmitField(_l("Create board"), widget=GovSubmitInput())

    def validate_kind(self, field) -> None:
        nation = catalogue().nation(self.nation.data or "")
        kind = catalogue().kind(field.data or "")
        if nation is not None and kind is not None and nation.id not in kind.nations:
            raise ValidationError(_l("A %(kind)s is not a kind of board in %(nation)s", kind=kind_name(kind.id).lower(), nation=nation_name(nation.id)))

    def validate_local_authorities(self, field) -> None:
        names = local_authority_names(field.data)
        if len(names) > MAX_LOCAL_AUTHORITIES:
            raise ValidationError(_l("Enter %(max)d local authorities or fewer", max=MAX_LOCAL_AUTHORITIES))
        if any(len(name) > NAME_MAX_CHARS for name in names):
            raise ValidationError(_l("Each local authority’s name must be 200 characters or fewer"))
        if len({name.casefold() for name in names}) != len(names):
            raise ValidationError(_l("Each local authority must be listed once"))


class BoardDetailsForm(BoardForm):
    """A board's details and its own partner agencies, which of them statutory (the administrator's page)."""

    partners = SelectMultipleField(
        _l("Partner agencies"),
        widget=GovCheckboxesInput(),
        choices=[(agency.id, _lazy(agency_name, agency.id)) for agency in catalogue().agencies],
        description=_l("The agencies whose people can be members of the board."),
    )
    statutory = SelectMultipleField(
        _l("Statutory partners"),
        widget=GovCheckboxesInput(),
        choices=[(agency.id, _lazy(agency_name, agency.id)) for agency in catalogue().agencies],
        description=_l("The partners the board must hear from in every round: a round without one of them is flagged."),
    )
    submit = SubmitField(_l("Save board details"), widget=GovSubmitInput())

    def validate_partners(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Select at least one partner agency"))

    def validate_statutory(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Select at least one statutory partner"))
        outside = [agency_id for agency_id in field.data if agency_id not in (self.partners.data or [])]
        if outside:
            names = ", ".join(agency_name(agency_id) for agency_id in outside)
            raise ValidationError(_l("A statutory partner must also be a partner agency: %(names)s", names=names))


class BusinessManagerForm(FlaskForm):
    name = _name_field(_l("Full name"), _l("Enter their full name"))
    email = _email_field()
    agency = _agency_field()
    submit = SubmitField(_l("Add business manager"), widget=GovSubmitInput())


class InviteForm(FlaskForm):
    name = _name_field(_l("Full name"), _l("Enter their full name"))
    email = _email_field()
    role = _role_field()
    agency = _agency_field()
    submit = SubmitField(_l("Send invitation"), widget=GovSubmitInput())


class MemberForm(FlaskForm):
    role = _role_field()
    agency = _agency_field()
    submit = SubmitField(_l("Save changes"), widget=GovSubmitInput())


class AuditFilterForm(FlaskForm):
    """Read from the query string, so it changes nothing and needs no CSRF token."""

    class Meta:
        csrf = False

    action = SelectField(_l("Action"), widget=GovSelect(), choices=[("", _l("All actions"))])
    submit = SubmitField(_l("Filter"), widget=GovSubmitInput())
