"""Which text columns hold what people wrote, kept beside the models.

Every text column of every table is in exactly one of the two lists below (a
test walks the models and fails on a column in neither). What people wrote
(evidence, rationales, findings, plans) is board content: the audit trail,
which the administrator reads for every board, shows it only as a number of
characters, whatever key an event stores it under.

The other list holds codes, identifiers, numbers kept as text, the names and
emails of accounts (which the administrator manages anyway), and secrets that
are never put in an audit event at all.
"""

from __future__ import annotations

WRITTEN: dict[str, frozenset[str]] = {
    "answers": frozenset({"evidence"}),
    "agreed_ratings": frozenset({"rationale"}),
    "evidence_items": frozenset({"title", "impact", "reference"}),
    "actions": frozenset({"description", "lead_person", "success_measure", "baseline", "target", "latest"}),
    "flag_responses": frozenset({"reason"}),
    "inspection_findings": frozenset({"text"}),
    "inspection_recommendations": frozenset({"text"}),
    "challenge_comments": frozenset({"text"}),
    "assessment_rounds": frozenset({"title", "title_cy"}),
    "held_saves": frozenset({"form_data"}),
    "report_statements": frozenset({"text"}),
    "report_sign_offs": frozenset({"chair_name"}),
}

NOT_WRITTEN: dict[str, frozenset[str]] = {
    "boards": frozenset({"name", "name_cy", "kind", "nation"}),
    "board_partners": frozenset({"agency"}),
    "board_local_authorities": frozenset({"name"}),
    "users": frozenset({"email", "name", "password_hash", "session_token", "language"}),
    "memberships": frozenset({"role", "agency"}),
    "invitations": frozenset({"email", "name", "role", "agency", "token_hash"}),
    "password_resets": frozenset({"token_hash"}),
    "audit_events": frozenset({"action", "object_type", "object_id", "ip_address", "detail"}),
    "inspections": frozenset({"status"}),
    "inspection_findings": frozenset({"subject_id", "level"}),
    "inspection_recommendations": frozenset({"priority"}),
    "inspection_recommendation_subjects": frozenset({"subject_id"}),
    "challenge_comments": frozenset({"benchmark_id", "author_role"}),
    "evidence_items": frozenset({"source_agency", "kind"}),
    "evidence_item_subjects": frozenset({"subject_id"}),
    "flag_responses": frozenset({"flag_kind", "subject", "response"}),
    "agreed_ratings": frozenset({"benchmark_id", "rating"}),
    "actions": frozenset({"owner_agency", "status", "domain_id", "measure_about"}),
    "action_benchmarks": frozenset({"benchmark_id"}),
    "report_pdfs": frozenset({"lang", "cache_key"}),
    "framework_versions": frozenset({"version", "content_hash", "source_text"}),
    "assessment_rounds": frozenset({"target_level", "status"}),
    "responses": frozenset({"agency", "status"}),
    "answers": frozenset({"benchmark_id", "rating"}),
    "held_saves": frozenset({"key", "path"}),
    "report_statements": frozenset({"subject"}),
}


def written_column_names() -> frozenset[str]:
    """Every column name, in any table, that holds what people wrote."""
    return frozenset().union(*WRITTEN.values())
