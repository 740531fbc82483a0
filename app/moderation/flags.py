"""The rigour flags page: each flag, what it means, and the business manager's response to it.

Everyone who may read the flags sees which are open and which answered;
whoever may moderate records a response per flag ("accepted: rating
lowered", "explained" with a reason, "evidence added"). Responses are saved
with a version check, like the other multi-row pages: on a conflict the
saved response is shown beside what the person typed, which stays in the form.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.core import rigour
from app.core.framework import Framework
from app.core.rigour import Flag, flag_names
from app.core.vocabulary import FlagResponseKind
from app.data.flag_responses import FlagResponseInput, flag_key, flag_responses, flag_subject, key_of, save_flag_responses, split_flags
from app.data.models import FlagResponse
from app.data.moderation import round_picture
from app.data.versioning import version_from_form
from app.moderation.blueprint import bp
from app.moderation.forms import build_flag_responses_form, flag_field_key, flag_response_fields
from app.web.agencies import agency_name
from app.web.conflicts import show_latest_beside_typed
from app.web.i18n import current_language, round_title
from app.web.labels import FLAG_RESPONSE_NAMES
from app.web.permissions import can, require_round_capability


def _flag_title(flag: Flag, framework: Framework, lang: str) -> str:
    """The flag's name and what it is about, for labels and error messages."""
    if flag.benchmark_id:
        return f"{flag.name}: {framework.benchmark(flag.benchmark_id).title.get(lang)}"
    if flag.agency:
        return f"{flag.name}: {agency_name(flag.agency)}"
    return flag.name


def _flag_initial_data(flags: list[Flag], responses) -> dict[str, object]:
    data: dict[str, object] = {}
    for flag in flags:
        key = flag_field_key(flag.kind, flag_subject(flag))
        row = responses.get(key_of(flag))
        data[f"{key}-response"] = row.response if row else None
        data[f"{key}-reason"] = row.reason if row else ""
        data[f"{key}-version"] = str(row.version if row else 0)
    return data


def _flag_inputs(
    form, flags: list[Flag], titles: dict[tuple[str, str], str], responses: dict[str, FlagResponse], moderated: bool
) -> list[FlagResponseInput] | None:
    """What was answered, or None (with each field's error set) when something is missing or cannot be true.

    Once the round is moderated its agreed ratings are fixed, so a flag can no
    longer be newly answered "accepted: rating lowered" (an answer given before
    moderation may stand).
    """
    inputs: list[FlagResponseInput] = []
    ok = True
    for flag in flags:
        subject = flag_subject(flag)
        response, reason, version = flag_response_fields(form, flag.kind, subject)
        text = (reason.data or "").strip().replace("\r\n", "\n")
        if not response.data:
            if text:
                response.errors = [*response.errors, _("Select a response to ‘%(flag)s’", flag=titles[(flag.kind, subject)])]
                ok = False
            continue
        if response.data == FlagResponseKind.EXPLAINED and not text:
            reason.errors = [*reason.errors, _("Enter why the rating stands despite ‘%(flag)s’", flag=titles[(flag.kind, subject)])]
            ok = False
            continue
        previous = responses.get(flag_key(flag.kind, subject))
        if (
            moderated
            and response.data == FlagResponseKind.ACCEPTED_RATING_LOWERED
            and (previous is None or previous.response != FlagResponseKind.ACCEPTED_RATING_LOWERED)
        ):
            response.errors = [
                *response.errors,
                _(
                    "The round is moderated, so the rating behind ‘%(flag)s’ can no longer be lowered: choose Explained or Evidence added",
                    flag=titles[(flag.kind, subject)],
                ),
            ]
            ok = False
            continue
        inputs.append(FlagResponseInput(flag.kind, subject, response.data, text, version_from_form(version.data)))
    return inputs if ok else None


@bp.route("/rounds/<int:round_id>/flags", methods=["GET", "POST"])
@login_required
def flags(round_id: int):
    assessment_round, membership = require_round_capability(round_id, "read_flags")
    lang = current_language()
    picture = round_picture(assessment_round, lang)
    framework = picture.framework
    may_respond = can(membership, "moderate")
    responses = flag_responses(round_id)
    titles = {(flag.kind, flag_subject(flag)): _flag_title(flag, framework, lang) for flag in picture.flags}
    keys = list(titles)
    reason_max = current_app.config["SAIT_EVIDENCE_MAX_CHARS"]
    conflicts: dict[str, FlagResponse] = {}
    form = None
    if request.method == "POST":
        if not may_respond:
            abort(403)
        form = build_flag_responses_form(keys, titles, reason_max, formdata=request.form)
        valid = form.validate()
        inputs = _flag_inputs(form, picture.flags, titles, responses, picture.is_moderated)
        if valid and inputs is not None:
            outcome = save_flag_responses(assessment_round, inputs, current_user)
            if not outcome.conflicts:
                flash(ngettext("%(num)d response was saved.", "%(num)d responses were saved.", len(outcome.saved)), "success")
                return redirect(url_for("moderation.flags", round_id=round_id))
            responses = flag_responses(round_id)
            conflicts = show_latest_beside_typed(
                form, outcome.conflicts, responses, lambda key: flag_field_key(*key.split(":", 1)) + "-version"
            )
    elif may_respond:
        form = build_flag_responses_form(keys, titles, reason_max, data=_flag_initial_data(picture.flags, responses))
    answered = split_flags(picture.flags, responses)
    names = flag_names(lang)
    return render_template(
        "moderation/flags.html",
        round=assessment_round,
        membership=membership,
        picture=picture,
        framework=framework,
        answered=answered,
        counts=answered.counts(names),
        flag_names=names,
        response_names=FLAG_RESPONSE_NAMES,
        explanations=_explanations(lang),
        titles=titles,
        form=form,
        may_respond=may_respond,
        conflicts=conflicts,
        reason_max=reason_max,
        flag_subject=flag_subject,
        flag_key=key_of,
        flag_field_key=flag_field_key,
        flag_response_fields=flag_response_fields,
        page_title=_("Rigour flags: %(round)s", round=round_title(assessment_round)),
    )


def _explanations(lang: str) -> dict[str, str]:
    """What each kind of flag means and how to answer it."""
    return rigour.flag_explanations(lang)
