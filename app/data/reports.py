"""Gathering everything a self-evaluation report shows, from the database, as a :class:`Report`.

:func:`build_report` uses the other areas' data-layer functions
(``round_picture``, ``round_actions``, ``round_progress`` ...) in a fixed
number of queries, whatever the number of benchmarks or respondents, and
turns their results into the plain data of ``app/core/report_content.py``; the
executive summary is worked out by the pure functions in
``app/core/report_summary.py``.

Everything is gathered with the report's language forced (Flask-Babel's
``force_locale``), so the wording drawn from the catalogue (status, agency,
role and flag names, the report's own phrases) is in the report's language,
whoever asks for it and from wherever (a page in the other language, the
command line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, union
from sqlalchemy.engine import Row

from app.core import report_summary as summary
from app.core.catalogue import named_in
from app.core.comparison import InspectorJudgements, compare_round, format_levels
from app.core.framework import Benchmark, Framework
from app.core.links import web_address
from app.core.report_content import (
    ActionRow,
    AgencyParticipation,
    AnsweredFlag,
    BenchmarkRow,
    ChallengeEntry,
    ChallengeThread,
    ChartData,
    DomainSection,
    EvidenceRow,
    InspectionDomain,
    InspectionSummary,
    PreviousRound,
    Report,
    SignOffLine,
    rating_label,
)
from app.core.rigour import Flag, flags_by_benchmark
from app.core.round_comparison import compare_rounds
from app.core.scoring import AssessmentScore
from app.core.vocabulary import OVERALL_SUBJECT
from app.data.flag_responses import FlagsAnswered, round_flags_answered
from app.data.models import Action, AgreedRating, Answer, AssessmentRound, EvidenceItem, Membership, Response, User, agreed_rating_evidence, answer_evidence
from app.data.moderation import RoundPicture, round_picture
from app.data.plan import action_progress, carried_from, round_actions, uncovered_gaps
from app.data.questionnaire import round_progress, rounds_for_board
from app.data.report_inspection import InspectionInput, inspection_for_round
from app.data.report_statements import report_sign_off, report_statements
from app.extensions import db
from app.web.agencies import agency_name, board_partners
from app.web.i18n import LONDON
from app.web.labels import ACTION_STATUS_NAMES, FLAG_RESPONSE_NAMES, MEASURE_ABOUT_NAMES, ROUND_STATUS_NAMES

__all__ = ["build_report", "round_answers"]


def build_report(assessment_round: AssessmentRound, *, lang: str = "en", today: date) -> Report:
    """Everything the report on ``assessment_round`` shows, in ``lang``, as at ``today``."""
    with force_locale(lang):
        return _build_report(assessment_round, lang, today)


def _build_report(assessment_round: AssessmentRound, lang: str, today: date) -> Report:
    picture = round_picture(assessment_round, lang)
    framework = picture.framework
    score = picture.score()
    answered = round_flags_answered(assessment_round.id, picture.flags)
    found = inspection_for_round(picture)
    evidence, refs_by_item = _evidence(assessment_round, framework, lang)
    domains = _domain_sections(picture, score, found, refs_by_item, answered, lang)
    actions = round_actions(assessment_round.id)
    action_rows = _action_rows(actions, framework, today, lang, carried_from(actions))
    uncovered = uncovered_gaps(score, actions)
    inspection = _inspection_summary(framework, score, found, lang, _over_optimism_shown(picture, found))
    statements = report_statements(assessment_round.id)
    domains = tuple(replace(d, analysis=statements[d.id].text) if d.id in statements else d for d in domains)
    approval = report_sign_off(assessment_round.id)
    return Report(
        round_id=assessment_round.id,
        lang=lang,
        today=today,
        board=named_in(assessment_round.board.name, assessment_round.board.name_cy, lang),
        title=named_in(assessment_round.title, assessment_round.title_cy, lang),
        status=ROUND_STATUS_NAMES.get(assessment_round.status, assessment_round.status),
        opened=_local_date(assessment_round.created_at),
        deadline=assessment_round.deadline,
        closed=_local_date(assessment_round.closed_at) if assessment_round.closed_at else None,
        framework_title=framework.title.get(lang),
        framework_version=framework.version,
        target=rating_label(framework, assessment_round.target_level, lang) or "",
        source=picture.source,
        submitted=picture.agreement.submitted,
        in_progress=picture.agreement.in_progress,
        summary=summary.executive_summary(
            overall=rating_label(framework, score.judgement, lang),
            overall_gap=score.gap,
            domains=[(d.title, d.judgement, d.gap) for d in domains],
            rows=[row for domain in domains for row in domain.benchmarks],
            flag_counts=summary.count_flags(picture.flags),
            actions=action_rows,
            action_status_names=ACTION_STATUS_NAMES,
            uncovered=len(uncovered.benchmark_ids),
            over_optimism=inspection.over_optimism if inspection else None,
            flags_open_answered=summary.flag_status(answered.open, [flag for flag, _response in answered.answered]),
            statutory_missing=tuple(agency_name(a) for a in picture.agreement.statutory_missing),
        ),
        chart=_chart(picture, found, lang),
        domains=domains,
        participation=_participation(assessment_round),
        statutory_missing=tuple(agency_name(a) for a in picture.agreement.statutory_missing),
        round_flags=tuple(flag.message for flag in picture.round_flags),
        actions=action_rows,
        uncovered=tuple(f"{framework.reference(b)} {framework.benchmark(b).title.get(lang)}" for b in uncovered.benchmark_ids),
        previous=_previous_round(assessment_round, framework, score, lang),
        inspection=inspection,
        evidence=evidence,
        challenges=_challenge_threads(found, framework, lang),
        answered_flags=tuple(
            AnsweredFlag(
                name=flag.name,
                subject=_flag_subject(framework, flag, lang),
                message=flag.message,
                response=str(FLAG_RESPONSE_NAMES.get(response.response, response.response)),
                reason=response.reason,
            )
            for flag, response in answered.answered
        ),
        statement=statements[OVERALL_SUBJECT].text if OVERALL_SUBJECT in statements else "",
        sign_off=SignOffLine(approval.approved_on, approval.chair_name) if approval else None,
    )


def _flag_subject(framework: Framework, flag: Flag, lang: str) -> str:
    if flag.benchmark_id:
        return f"{framework.reference(flag.benchmark_id)} {framework.benchmark(flag.benchmark_id).title.get(lang)}"
    return agency_name(flag.agency) if flag.agency else ""


def _local_date(moment: datetime) -> date:
    """The day it was in Wales at ``moment``."""
    return moment.astimezone(LONDON).date()


def _median_words(framework: Framework, middle: tuple[str, str] | None, lang: str) -> str:
    if middle is None:
        return _("No level ratings")
    low, high = (rating_label(framework, level, lang) for level in middle)
    return (low or "") if middle[0] == middle[1] else _("%(low)s to %(high)s", low=low, high=high)


def _refs(agreed: AgreedRating | None, refs_by_item: dict[int, str]) -> tuple[str, ...]:
    """The appendix numbers of the evidence an agreed rating cites, in number order."""
    if agreed is None:
        return ()
    refs = {refs_by_item[item.id] for item in agreed.evidence if item.id in refs_by_item}
    return tuple(sorted(refs, key=lambda ref: int(ref[1:])))


def _descriptor(benchmark: Benchmark, rating: str | None, lang: str) -> str:
    """The benchmark's descriptor of ``rating`` in ``lang`` (empty for Not known, Not applicable or no rating)."""
    descriptor = benchmark.descriptors.get(rating) if rating else None
    return descriptor.get(lang) if descriptor else ""


def _inspected(framework: Framework, inspection: InspectionInput, benchmark_id: str, domain_id: str, lang: str) -> str | None:
    """The inspection's level for a benchmark; its domain's, marked so, when the benchmark was not judged itself."""
    own = inspection.benchmark_levels.get(benchmark_id)
    if own is not None:
        return rating_label(framework, own, lang)
    domain_level = inspection.domain_levels.get(domain_id)
    return None if domain_level is None else _("%(level)s (domain)", level=rating_label(framework, domain_level, lang))


def _domain_sections(
    picture: RoundPicture,
    score: AssessmentScore,
    inspection: InspectionInput,
    refs_by_item: dict[int, str],
    answered: FlagsAnswered,
    lang: str,
) -> tuple[DomainSection, ...]:
    framework = picture.framework
    flags = picture.flags_by_benchmark
    still_open = flags_by_benchmark(answered.open)
    target = rating_label(framework, score.target_level, lang) or ""
    sections = []
    for domain in framework.domains:
        result = score.domain(domain.id)
        rows = []
        for benchmark, scored in zip(domain.benchmarks, result.benchmarks, strict=True):
            figures = picture.agreement.benchmarks[benchmark.id]
            agreed = picture.agreed.get(benchmark.id)
            benchmark_flags = flags.get(benchmark.id, [])
            rows.append(
                BenchmarkRow(
                    id=benchmark.id,
                    title=benchmark.title.get(lang),
                    median=_median_words(framework, figures.middle, lang),
                    spread=figures.spread,
                    answered=figures.answered,
                    agreed=rating_label(framework, agreed.rating if agreed else None, lang),
                    target=target,
                    rating=rating_label(framework, scored.rating, lang),
                    score=scored.score,
                    gap=scored.gap,
                    is_gap=scored.is_gap,
                    inspection=_inspected(framework, inspection, benchmark.id, domain.id, lang),
                    flag_names=tuple(dict.fromkeys(flag.name for flag in benchmark_flags)),
                    flags=tuple(flag.message for flag in benchmark_flags),
                    rationale=agreed.rationale if agreed else "",
                    evidence_refs=_refs(agreed, refs_by_item),
                    open_flag_names=tuple(dict.fromkeys(flag.name for flag in still_open.get(benchmark.id, []))),
                    question=benchmark.question.get(lang),
                    descriptor=_descriptor(benchmark, agreed.rating if agreed else None, lang),
                    ref=framework.reference(benchmark.id),
                )
            )
        sections.append(
            DomainSection(
                id=domain.id,
                title=domain.title.get(lang),
                summary=domain.summary.get(lang),
                judgement=rating_label(framework, result.judgement, lang),
                gap=result.gap,
                mean=None if result.mean is None else round(result.mean, 2),
                limits=tuple(
                    _(
                        "%(higher)s lowered to %(lower)s: %(rule)s",
                        higher=rating_label(framework, applied.from_level, lang),
                        lower=rating_label(framework, applied.to_level, lang),
                        rule=applied.rule.text.get(lang),
                    )
                    for applied in result.limits_applied
                ),
                benchmarks=tuple(rows),
                inspection=rating_label(framework, inspection.domain_levels.get(domain.id), lang),
                inspection_text=inspection.domain_texts.get(domain.id, ""),
            )
        )
    return tuple(sections)


def _chart(picture: RoundPicture, found: InspectionInput, lang: str) -> ChartData:
    """Each domain's score from members' medians and from agreed ratings, the target, and the inspection."""
    framework = picture.framework
    target_level = picture.round.target_level
    members = picture.members_score()

    def means(score: AssessmentScore) -> tuple[float | None, ...]:
        return tuple(None if d.mean is None else round(d.mean, 2) for d in score.domains)

    inspection = None
    if found.domain_levels:
        inspection = tuple(
            float(framework.scale.score(found.domain_levels[d.id])) if d.id in found.domain_levels else None
            for d in framework.domains
        )
    return ChartData(
        categories=tuple(domain.title.get(lang) for domain in framework.domains),
        levels=tuple((level.label.get(lang), level.score) for level in framework.scale.levels),
        members=means(members),
        agreed=means(picture.agreed_score()),
        target=float(framework.scale.score(target_level)),
        inspection=inspection,
    )


def _participation(assessment_round: AssessmentRound) -> tuple[AgencyParticipation, ...]:
    """Per agency (in the agencies' usual order): invited, submitted, in progress, not started."""
    counts: dict[str, list[int]] = {}
    for progress in round_progress(assessment_round):
        row = counts.setdefault(progress.response.agency, [0, 0, 0, 0])
        row[0] += 1
        if progress.response.status == "submitted":
            row[1] += 1
        elif progress.answered:
            row[2] += 1
        else:
            row[3] += 1
    partners = board_partners(assessment_round.board)  # the board's own list: its order and statutory marks
    statutory = {p.agency for p in partners if p.statutory}
    order = [p.agency for p in partners] + sorted(set(counts) - {p.agency for p in partners})
    return tuple(
        AgencyParticipation(agency_name(agency_id), agency_id in statutory, *counts[agency_id]) for agency_id in order if agency_id in counts
    )


def _progress(action: Action, today: date) -> str | None:
    """"met", "missed" (the target date passed, the numbers short of it), "check" (passed, the values are words) or None."""
    progress = action_progress(action, today)
    if progress.met:
        return "met"
    if progress.overdue:
        return "missed" if progress.met is False else "check"
    return None


def _action_rows(
    actions: Sequence[Action], framework: Framework, today: date, lang: str, sources: dict[int, tuple[Action, AssessmentRound]]
) -> tuple[ActionRow, ...]:
    known = {b.id: b.title.get(lang) for b in framework.benchmarks}
    domains = {d.id: d.title.get(lang) for d in framework.domains}
    return tuple(
        ActionRow(
            description=action.description,
            owner=agency_name(action.owner_agency),
            lead=action.lead_person,
            due=action.due_date,
            success_measure=action.success_measure,
            status=action.status,
            status_name=ACTION_STATUS_NAMES.get(action.status, action.status),
            overdue=action.is_overdue(today),
            benchmarks=tuple(f"{framework.reference(b)} {known.get(b, '')}".strip() for b in action.benchmark_ids),
            domain=domains.get(action.domain_id) if action.domain_id else None,
            carried=action.carried_from_id is not None,
            baseline=action.baseline,
            baseline_on=action.baseline_on,
            target=action.target,
            target_by=action.target_by,
            latest=action.latest,
            latest_on=action.latest_on,
            measure_about=str(MEASURE_ABOUT_NAMES.get(action.measure_about, action.measure_about)) if action.measure_about else None,
            progress=_progress(action, today),
            carried_from=sources[action.id][1].title if action.id in sources else None,
        )
        for action in actions
    )


def _cited_items(round_id: int) -> dict[int, set[str]]:
    """Evidence register items cited in this round (by agreed ratings or answers) -> benchmark ids."""
    citing = union(
        select(agreed_rating_evidence.c.evidence_item_id, AgreedRating.benchmark_id)
        .join(AgreedRating, AgreedRating.id == agreed_rating_evidence.c.agreed_rating_id)
        .where(AgreedRating.round_id == round_id),
        select(answer_evidence.c.evidence_item_id, Answer.benchmark_id)
        .join(Answer, Answer.id == answer_evidence.c.answer_id)
        .join(Response, Response.id == Answer.response_id)
        .where(Response.round_id == round_id),
    )
    cited: dict[int, set[str]] = {}
    for item_id, benchmark_id in db.session.execute(citing):
        cited.setdefault(item_id, set()).add(benchmark_id)
    return cited


def _evidence(assessment_round: AssessmentRound, framework: Framework, lang: str) -> tuple[tuple[EvidenceRow, ...], dict[int, str]]:
    """The evidence cited in the round, newest first, numbered E1, E2 ...; and each item's number by id."""
    cited = _cited_items(assessment_round.id)
    if not cited:
        return (), {}
    items = db.session.scalars(
        select(EvidenceItem)
        .where(EvidenceItem.id.in_(cited), EvidenceItem.board_id == assessment_round.board_id)
        .order_by(EvidenceItem.evidence_date.desc(), EvidenceItem.id.desc())
    ).all()
    order = {b.id: n for n, b in enumerate(framework.benchmarks)}
    rows = tuple(
        EvidenceRow(
            ref=f"E{n}",
            title=item.title,
            agency=agency_name(item.source_agency),
            day=item.evidence_date,
            impact=item.impact,
            reference=item.reference,
            cited_by=tuple(framework.reference(b) for b in sorted(cited[item.id], key=lambda b: (order.get(b, len(order)), b))),
            link=web_address(item.reference),
        )
        for n, item in enumerate(items, start=1)
    )
    return rows, {item.id: f"E{n}" for n, item in enumerate(items, start=1)}


def _previous_round(assessment_round: AssessmentRound, framework: Framework, score: AssessmentScore, lang: str) -> PreviousRound | None:
    """The board's round before this one, compared by stable ids even when its framework version differs."""
    earlier = [
        r
        for r in rounds_for_board(assessment_round.board_id)
        if (r.created_at, r.id) < (assessment_round.created_at, assessment_round.id)
    ]
    if not earlier:
        return None
    previous = earlier[0]
    before = round_picture(previous, lang)
    before_score = before.score()
    changes = compare_rounds(before.framework, before_score, framework, score, lang)
    return PreviousRound(
        title=previous.title,
        opened=_local_date(previous.created_at),
        source=before.source,
        overall_before=rating_label(before.framework, before_score.judgement, lang),
        overall_after=rating_label(framework, score.judgement, lang),
        domains=changes.domains,
        benchmarks=tuple(replace(change, ref=framework.reference(change.id)) for change in changes.benchmarks),
        retired=tuple(replace(change, ref=before.framework.reference(change.id)) for change in changes.retired),
        version_before=changes.version_before,
        version_after=changes.version_after,
        overall_direction=_direction(before.framework, before_score.judgement, framework, score.judgement),
    )


def _direction(before_framework: Framework, before: str | None, framework: Framework, after: str | None) -> str:
    """up, down or same from one level to another (by the scale's scores); none when either is not a level."""
    if before is None or after is None or before not in before_framework.scale.ids or after not in framework.scale.ids:
        return "none"
    old, new = before_framework.scale.score(before), framework.scale.score(after)
    return "up" if new > old else "down" if new < old else "same"


def _over_optimism_shown(picture: RoundPicture, found: InspectionInput) -> str:
    """Over-optimism as the comparison page shows it ("+0.65", "−0.5", "0"; "" for none), from the exact figure.

    ``found.over_optimism`` is already rounded to a float, so the exact value is worked out again from the same
    inputs (no query) and worded by the page's own :func:`format_levels`.
    """
    if not found.has_findings:
        return ""
    comparison = compare_round(
        picture.framework,
        members=picture.agreement.benchmarks,
        agreed=picture.agreed_ratings,
        inspection=InspectorJudgements(dict(found.domain_levels), dict(found.benchmark_levels), found.overall_level),
        target_level=picture.round.target_level,
    )
    return format_levels(comparison.over_optimism)


def _inspection_summary(
    framework: Framework, score: AssessmentScore, found: InspectionInput, lang: str, over_optimism_shown: str = ""
) -> InspectionSummary | None:
    if not found.has_findings:
        return None
    return InspectionSummary(
        inspected_on=found.inspected_on,
        over_optimism=found.over_optimism,
        over_optimism_shown=over_optimism_shown,
        optimism_basis=found.optimism_basis,
        overall_self=rating_label(framework, score.judgement, lang),
        overall_finding=rating_label(framework, found.overall_level, lang),
        overall_difference=found.overall_difference,
        overall_summary=found.overall_summary,
        overall_reasons=found.overall_reasons,
        domains=tuple(
            InspectionDomain(
                title=framework.domain(domain.domain_id).title.get(lang),
                self_assessed=rating_label(framework, domain.judgement, lang),
                finding=rating_label(framework, found.domain_levels.get(domain.domain_id), lang),
                difference=found.domain_differences.get(domain.domain_id),
            )
            for domain in score.domains
        ),
        recommendations=found.recommendations,
    )


def _subject(framework: Framework, subject_id: str, lang: str) -> str:
    """A benchmark ("2.3 Title") or domain ("Title") named for the reader."""
    try:
        return f"{framework.reference(subject_id)} {framework.benchmark(subject_id).title.get(lang)}"
    except KeyError:
        pass
    try:
        return framework.domain(subject_id).title.get(lang)
    except KeyError:
        return subject_id


def _challenge_threads(found: InspectionInput, framework: Framework, lang: str) -> tuple[ChallengeThread, ...]:
    return tuple(
        ChallengeThread(_subject(framework, thread.subject_id, lang), tuple(ChallengeEntry(*entry) for entry in thread.entries))
        for thread in found.challenges
    )


def round_answers(round_id: int) -> Sequence[Row]:
    """Every answer of every respondent to the round, for the answers export, in no order (one query).

    Each row has ``answer_id``, the response's ``id``, ``agency`` and ``status``, the respondent's
    ``name``, and the answer's ``benchmark_id``, ``rating``, ``evidence``, ``no_evidence_yet`` and ``updated_at``.
    """
    return db.session.execute(
        select(
            Answer.id.label("answer_id"),
            Response.id,
            Response.agency,
            Response.status,
            User.name,
            Answer.benchmark_id,
            Answer.rating,
            Answer.evidence,
            Answer.no_evidence_yet,
            Answer.updated_at,
        )
        .join(Response, Response.id == Answer.response_id)
        .join(Membership, Membership.id == Response.membership_id)
        .join(User, User.id == Membership.user_id)
        .where(Response.round_id == round_id)
    ).all()
