"""``flask --app wsgi sait check-framework [PATH]``: check a framework file before using it.

``sait check-framework --diff OLD NEW`` checks two versions and lists, for policy
leads, which benchmarks the newer one adds, changes and retires.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app, has_app_context
from flask.cli import ScriptInfo

from app.core.framework import Framework, FrameworkError, load_framework
from app.core.framework_diff import BenchmarkChange, FrameworkDiff, compare_frameworks


@click.command("check-framework")
@click.argument("path", required=False, type=click.Path(dir_okay=True, path_type=Path))
@click.option(
    "--list-untranslated",
    is_flag=True,
    help="List every text that has no Welsh translation.",
)
@click.option(
    "--diff",
    "diff_paths",
    nargs=2,
    type=click.Path(dir_okay=True, path_type=Path),
    metavar="OLD NEW",
    help="Check two versions of the file and list the benchmarks added, changed and retired from OLD to NEW.",
)
def check_framework(path: Path | None, list_untranslated: bool, diff_paths: tuple[Path, Path] | None) -> None:
    """Check the framework file at PATH (default: the app's SAIT_FRAMEWORK_PATH).

    Prints a summary and exits 0 if the file can be used; otherwise prints every
    problem as file:line: message and exits 1. A text without Welsh is a
    problem too, unless the file says ``english_only: true``.
    With --diff OLD NEW, checks both files the same way and then lists what
    changed from OLD to NEW.
    """
    if diff_paths:
        if path is not None:
            raise click.UsageError("Give either PATH or --diff OLD NEW, not both.")
        _diff(*diff_paths)
        return
    if path is None:
        path = _configured_path()
    try:
        framework = load_framework(path)
    except FrameworkError as exc:
        for error in exc.errors:
            click.echo(error, err=True)
        raise SystemExit(1) from None

    untranslated = framework.untranslated()
    if untranslated and not framework.english_only:
        # Welsh public bodies must offer the service in Welsh: a text without it is an error,
        # unless the file says it is English only on purpose.
        for problem in untranslated:
            click.echo(problem, err=True)
        click.echo(
            "Give each text its Welsh as {en: ..., cy: ...}, or add `english_only: true` "
            "at the top of the file if it is English only on purpose.",
            err=True,
        )
        raise SystemExit(1)
    click.echo(
        f"{path} (version {framework.version}): {len(framework.domains)} domains, "
        f"{len(framework.benchmarks)} benchmarks, {len(framework.scale.levels)} levels: OK"
    )
    if list_untranslated:
        for warning in untranslated:
            click.echo(f"warning: {warning}", err=True)
    elif untranslated:
        texts = "1 text has" if len(untranslated) == 1 else f"{len(untranslated)} texts have"
        click.echo(f"English only: {texts} no Welsh translation (run with --list-untranslated to see them)", err=True)


def _configured_path() -> Path:
    """The app's framework path, loading the app only now that it is needed.

    This is what ``flask.cli.with_appcontext`` would do, but done lazily so that
    checking an explicit PATH needs no app at all (and works in a plain CliRunner).
    """
    if has_app_context():
        return _path_from_config(current_app.config)
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    with app.app_context():
        return _path_from_config(app.config)


def _path_from_config(config: dict[str, object]) -> Path:
    value = config.get("SAIT_FRAMEWORK_PATH")
    if not value:
        raise click.UsageError("SAIT_FRAMEWORK_PATH is not configured; give the file's PATH instead.")
    return Path(str(value))


def _diff(old_path: Path, new_path: Path) -> None:
    """Check both files (every problem of each as file:line), then print what changed."""
    frameworks: list[Framework] = []
    failed = False
    for path in (old_path, new_path):
        try:
            frameworks.append(load_framework(path))
        except FrameworkError as exc:
            failed = True
            for error in exc.errors:
                click.echo(error, err=True)
    if failed:
        raise SystemExit(1)
    old, new = frameworks
    for line in diff_lines(compare_frameworks(old, new), old, new, old_path, new_path):
        click.echo(line)


def diff_lines(diff: FrameworkDiff, old: Framework, new: Framework, old_path: Path, new_path: Path) -> list[str]:
    """The lines ``--diff`` prints: one section per kind of change, each benchmark with its title."""
    lines = [f"From {old_path} (version {old.version}) to {new_path} (version {new.version})"]
    if diff.is_empty:
        lines.append("")
        lines.append("No benchmarks, domains or rules differ.")
        return lines

    def section(heading: str, rows: list[str]) -> None:
        lines.append("")
        lines.append(f"{heading} ({len(rows)}):" if rows else f"{heading}: none")
        lines.extend(f"  {row}" for row in rows)

    if diff.domains_added or diff.domains_retired:
        section("Domains added", [f"{d} {new.domain(d).title.en}" for d in diff.domains_added])
        section("Domains retired", [f"{d} {old.domain(d).title.en}" for d in diff.domains_retired])
    if diff.domains_changed:
        section("Domains changed", [f"{c.id} {new.domain(c.id).title.en}: {', '.join(c.parts)}" for c in diff.domains_changed])
    moved_to = {m.retired_id: m.added_id for m in diff.moved}
    moved_from = {m.added_id: m.retired_id for m in diff.moved}
    section(
        "Benchmarks added",
        [f"{b} {new.benchmark(b).title.en}" + (f" (moved from {moved_from[b]})" if b in moved_from else "") for b in diff.benchmarks_added],
    )
    section("Benchmarks changed", [f"{c.id} {new.benchmark(c.id).title.en}: {_parts(c)}" for c in diff.benchmarks_changed])
    section(
        "Benchmarks retired",
        [
            f"{b} {old.benchmark(b).title.en}" + (f" (moved to {moved_to[b]})" if b in moved_to else "")
            for b in diff.benchmarks_retired
        ],
    )
    section("Rules changed", [f"{r.name}: was {r.before}, now {r.after}" for r in diff.rules_changed])
    lines.append("")
    lines.append(
        "Rounds are compared, and answers carried forward, by benchmark id: retired benchmarks are "
        "listed as retired and added ones as new."
    )
    return lines


_MARKS = {
    ("key", "yes"): "now a key benchmark",
    ("key", "no"): "no longer a key benchmark",
    ("multi_agency", "yes"): "now marked multi-agency",
    ("multi_agency", "no"): "no longer marked multi-agency",
}


def _parts(change: BenchmarkChange) -> str:
    """The changed parts in words: "question, descriptors (good), weight (was 1, now 2), now a key benchmark"."""
    before, after = dict(change.before), dict(change.after)
    words = []
    for part in change.parts:
        base = part.removesuffix(" (Welsh only)")
        if (base, after.get(base)) in _MARKS:
            words.append(_MARKS[(base, after[base])])
        elif base == "domain":
            words.append(f"moved from domain {before[base]} to {after[base]}")
        elif base == "weight":
            words.append(f"weight (was {before[base]}, now {after[base]})")
        elif base == "descriptors" and change.descriptor_levels:
            words.append(f"{part} ({', '.join(change.descriptor_levels)})")
        else:
            words.append(part.replace("evidence_prompts", "evidence prompts"))
    return ", ".join(words)
