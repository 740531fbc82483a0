"""Business manager views: moderate each domain and mark the round moderated (the rigour flags: flags.py)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from app.core.framework import Domain, Framework
from app.data.evidence import register_items
from app.data.models import AgreedRating
from app.data.moderation import (
    AgreedInput,
    RoundPicture,
    mark_moderated,
    member_answers,
    round_picture,
    save_agreed_ratings,
)
from app.data.versioning import version_from_form
from app.moderation.blueprint import bp
from app.moderation.forms import RATIONALE_REQUIRED, build_moderation_form, moderation_fields
from app.questionnaire.forms import field_key
from app.web.conflicts import show_latest_beside_typed
from app.web.form_fields import ConfirmForm
from app.web.i18n import current_language, round_title
from app.web.permissions import require_round_capability


def domain_or_404(framework: Framework, domain_id: str) -> Domain:
    try:
        return framework.domain(domain_id)
    except KeyError:
        abort(404)


@bp.get("/rounds/<int:round_id>/moderation")
@login_required
def overview(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "moderate")
    picture = round_picture(assessment_round, current_language())
    return render_template(
        "moderation/overview.html",
        round=assessment_round,
        picture=picture,
        framework=picture.framework,
        agreed_score=picture.agreed_score(),
        confirm_form=ConfirmForm(),
        page_title=_("Moderation: %(round)s", round=round_title(assessment_round)),
    )


def _initial_data(domain: Domain, agreed: dict[str, AgreedRating]) -> dict[str, object]:
    data: dict[str, object] = {}
    for benchmark in domain.benchmarks:
        key = field_key(benchmark.id)
        row = agreed.get(benchmark.id)
        data[f"{key}-rating"] = row.rating if row else None
        data[f"{key}-rationale"] = row.rationale if row else ""
        data[f"{key}-evidence"] = [item.id for item in row.evidence] if row else []
        data[f"{key}-version"] = str(row.version if row else 0)
    return data


def _check_rows(form, picture: RoundPicture, domain: Domain) -> bool:
    """Per benchmark: a rating when anything else is given; a reason when it differs from the median."""
    ok = True
    lang = current_language()
    for benchmark in domain.benchmarks:
        rating, rationale, evidence, _version = moderation_fields(form, benchmark)
        text = (rationale.data or "").strip()
        if not rating.data:
            if text or evidence.data:
                rating.errors = [*rating.errors, _("Select the agreed rating for ‘%(benchmark)s’", benchmark=benchmark.title.get(lang))]
                ok = False
            continue
        middle = picture.agreement.benchmarks[benchmark.id].middle
        if middle != (rating.data, rating.data) and not text:
            # Named, so an error summary listing several says which benchmark each is about.
            rationale.errors = [*rationale.errors, str(RATIONALE_REQUIRED) % {"benchmark": benchmark.title.get(lang)}]
            ok = False
    return ok


def _inputs(form, domain: Domain) -> list[AgreedInput]:
    inputs = []
    for benchmark in domain.benchmarks:
        rating, rationale, evidence, version = moderation_fields(form, benchmark)
        if not rating.data:
            continue
        inputs.append(
            AgreedInput(
                benchmark_id=benchmark.id,
                rating=rating.data,
                rationale=(rationale.data or "").strip().replace("\r\n", "\n"),
                evidence_ids=frozenset(evidence.data or ()),
                version=version_from_form(version.data),
            )
        )
    return inputs


@bp.route("/rounds/<int:round_id>/moderation/<domain_id>", methods=["GET", "POST"])
@login_required
def domain_page(round_id: int, domain_id: str):
    assessment_round, _membership = require_round_capability(round_id, "moderate")
    picture = round_picture(assessment_round, current_language())
    framework = picture.framework
    domain = domain_or_404(framework, domain_id)
    evidence = register_items(assessment_round.board_id)
    rationale_max = current_app.config["SAIT_EVIDENCE_MAX_CHARS"]
    editable = not picture.is_moderated
    conflicts: dict[str, AgreedRating] = {}

    if request.method == "POST":
        if not editable:
            flash(_("The round is moderated, so agreed ratings can no longer be changed."), "info")
            return redirect(url_for("moderation.overview", round_id=round_id))
        form = build_moderation_form(framework, domain, evidence, rationale_max, formdata=request.form)
        valid = form.validate()
        valid = _check_rows(form, picture, domain) and valid
        if valid:
            outcome = save_agreed_ratings(assessment_round, _inputs(form, domain), current_user)
            if not outcome.conflicts:
                flash(_("Agreed ratings for ‘%(domain)s’ were saved.", domain=domain.title.get(current_language())), "success")
                following = _next_domain(framework, domain)
                if following is None:
                    return redirect(url_for("moderation.overview", round_id=round_id))
                return redirect(url_for("moderation.domain_page", round_id=round_id, domain_id=following.id))
            picture = round_picture(assessment_round, current_language())
            conflicts = show_latest_beside_typed(form, outcome.conflicts, picture.agreed, lambda b: f"{field_key(b)}-version")
    else:
        form = build_moderation_form(framework, domain, evidence, rationale_max, data=_initial_data(domain, picture.agreed))

    return render_template(
        "moderation/domain.html",
        round=assessment_round,
        picture=picture,
        framework=framework,
        domain=domain,
        form=form,
        answers=member_answers(round_id, [b.id for b in domain.benchmarks]),
        editable=editable,
        conflicts=conflicts,
        rationale_max=rationale_max,
        evidence_count=len(evidence),
        field_key=field_key,
        moderation_fields=moderation_fields,
        page_title=_("Moderate: %(domain)s", domain=domain.title.get(current_language())),
    )


def _next_domain(framework: Framework, domain: Domain) -> Domain | None:
    ids = [d.id for d in framework.domains]
    index = ids.index(domain.id)
    return framework.domains[index + 1] if index + 1 < len(ids) else None


@bp.post("/rounds/<int:round_id>/moderation/complete")
@login_required
def complete(round_id: int):
    assessment_round, _membership = require_round_capability(round_id, "moderate")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    picture = round_picture(assessment_round, current_language())
    if picture.is_moderated:
        flash(_("This round is already moderated."), "info")
    elif picture.unagreed:
        flash(
            ngettext(
                "%(num)d benchmark still needs an agreed rating before the round can be marked as moderated.",
                "%(num)d benchmarks still need an agreed rating before the round can be marked as moderated.",
                len(picture.unagreed),
            ),
            "info",
        )
    elif mark_moderated(assessment_round):
        flash(
            _(
                "The round is marked as moderated. It was also closed, so members can no longer change their answers. "
                "The results now use the agreed ratings."
            ),
            "success",
        )
    else:
        flash(_("The round is marked as moderated. The results now use the agreed ratings."), "success")
    return redirect(url_for("moderation.overview", round_id=round_id))
