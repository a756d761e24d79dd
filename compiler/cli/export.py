"""`tariffc export urdb`: a schedule version as an OpenEI Utility Rate Database (v8) rate for NREL
SAM / REopt, with the loss report of the rules that form cannot hold.

    tariffc export urdb E-4-TOU --version 2025-07-01 --out e4tou.json   # + e4tou.loss.md beside it
    tariffc export urdb E-4-TOU --format json                           # {urdb, losses} on stdout
    tariffc export urdb --all --out build/urdb                          # every schedule and version

Exit 1 for a schedule the form cannot hold (the reason is printed) or schedules with errors; exit 2
for a bad option or an unwritable path. Writes only the files it names under --out.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from tariffc.compiler.cli.common import (
    EXIT_USAGE,
    fail,
    force_option,
    format_option,
    name_values,
    out_option,
    schedules_option,
)
from tariffc.compiler.cli.group import CheckedGroup
from tariffc.compiler.outpaths import check_fresh, check_output_dir, check_output_file, output_dir, write_output_file
from tariffc.compiler.project import UsageError
from tariffc.compiler.runtime.inputs import iso_date

COMMAND = "export urdb"
ALL_NAMES = ("*_*.json", "*_*.loss.md", "index.json")  # what --all writes: {id}_{version}.json, .loss.md, index


@click.group(cls=CheckedGroup)
def export():
    """Write schedules in the forms other tools read."""


def _options(values: tuple[str, ...]) -> dict[str, str]:
    out = name_values(values, "--option")
    empty = next((name for name, value in out.items() if not value), None)
    if empty is not None:
        fail(COMMAND, f"--option {empty}=: give a value (e.g. green_option=block_1000)", EXIT_USAGE)
    return out


def _version(schedule, text: str | None):
    if text is None:
        return schedule.version_on(dt.date.today()) or schedule.versions[-1]
    try:
        day = iso_date(text)
    except ValueError as exc:
        fail(COMMAND, f"--version {text!r:.40} {exc}", EXIT_USAGE)
    exact = next((v for v in schedule.versions if v.effective == day), None)
    found = exact or schedule.version_on(day)
    if found is None:
        known = ", ".join(v.label for v in schedule.versions)
        fail(COMMAND, f"{schedule.id} has no version in effect on {day} (versions: {known})")
    return found


def _write(path: Path, text: str, force: bool) -> None:
    """Write through a temporary name beside the target (compiler/outpaths.py: missing folders made, an
    existing file — or a link, replaced, never followed — only with `force`), so a failed run leaves
    no half file."""
    try:
        write_output_file(path, text.encode("utf-8"), force=force)
    except UsageError as exc:
        fail(COMMAND, str(exc), EXIT_USAGE)


def _loss_path(out: Path) -> Path:
    """The loss report beside a single export: NAME.loss.md."""
    return out.with_name(f"{out.stem}.loss.md")


def _document(result, fmt: str) -> str:
    body = result.to_json() if fmt == "json" else result.rate
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


@export.command()
@click.argument("schedule_id", required=False)
@click.option("--version", "version_text", default=None,
              help="The version effective on this date (YYYY-MM-DD); default: in effect today.")
@click.option("--all", "all_", is_flag=True, help="Every electric schedule and version (needs --out DIR).")
@click.option("--option", "option_values", multiple=True, metavar="NAME=VALUE",
              help="A choice input's value (e.g. green_option=block_1000); default: its first choice.")
@format_option("urdb", "json")
@out_option(help="The file to write (the loss report goes beside it as NAME.loss.md); with --all, a directory.")
@force_option("Replace existing output files (with --all: write into a folder holding other files).")
@schedules_option()
def urdb(schedule_id, version_text, all_, option_values, fmt, out, schedules, force):
    """A schedule version as a URDB v8 rate (for NREL SAM and REopt), with its loss report.

    `--format urdb` (default) writes the rate object itself, as SAM's URDB converter and REopt's
    `urdb_response` read it; `--format json` writes {schedule, version, urdb, losses}. The loss report
    goes to stderr (or beside --out)."""
    from tariffc.compiler.export.loss import render_markdown, render_text
    from tariffc.compiler.export.urdb import Unrepresentable, export as export_version, refusal
    from tariffc.compiler.project import load, unknown_schedule_message
    from tariffc.dsl.diagnostics import render_all

    if all_ == bool(schedule_id):
        fail(COMMAND, "give one SCHEDULE, or --all with --out DIR", EXIT_USAGE)
    if all_ and (out is None or version_text):
        fail(COMMAND, "--all writes every version into the directory given by --out (no --version)", EXIT_USAGE)
    options = _options(option_values)
    if version_text is not None:
        try:
            iso_date(version_text)
        except ValueError as exc:
            fail(COMMAND, f"--version {version_text!r:.40} {exc}", EXIT_USAGE)
    try:  # refused before any work: nothing is half written
        if all_:
            check_output_dir(out)
            check_fresh(out, ALL_NAMES, force)
        elif out is not None:
            check_output_file(out, force=force)
            check_output_file(_loss_path(out), force=force)
    except UsageError as exc:
        fail(COMMAND, str(exc), EXIT_USAGE)
    schedules_dir = schedules.path
    project = load([schedules_dir])
    if project.errors:
        click.echo(render_all(project.errors, project.sources), err=True)
        fail(COMMAND, f"{len(project.errors)} errors in {schedules_dir}; run `tariffc check {schedules_dir}`")

    if all_:
        try:
            out = output_dir(out)
        except UsageError as exc:
            fail(COMMAND, str(exc), EXIT_USAGE)
        index = {"exports": [], "refused": []}
        for schedule in sorted(project.schedules, key=lambda s: s.id):
            if schedule.utility != "electric":
                continue
            reason = refusal(schedule)
            if reason:
                index["refused"].append({"schedule": schedule.id, "reason": reason})
                click.echo(f"refused {schedule.id}: {reason}", err=True)
                continue
            chosen = {k: v for k, v in options.items() if schedule.input(k) is not None}
            for version in schedule.versions:
                try:
                    result = export_version(schedule, version, chosen)
                except Unrepresentable as exc:
                    index["refused"].append({"schedule": schedule.id, "version": version.label,
                                             "reason": exc.reason})
                    continue
                stem = f"{schedule.id}_{version.label}"
                _write(out / f"{stem}.json", _document(result, fmt), True)  # check_fresh allowed these
                _write(out / f"{stem}.loss.md", render_markdown(schedule.id, version.label, result.losses), True)
                index["exports"].append({"schedule": schedule.id, "version": version.label,
                                         "file": f"{stem}.json", "losses": [l.kind for l in result.losses]})
        _write(out / "index.json", json.dumps(index, indent=2, ensure_ascii=False) + "\n", True)
        click.echo(f"wrote {len(index['exports'])} URDB rates to {out} ({len(index['refused'])} schedules refused)")
        return

    known = [s.id for s in project.schedules]
    if schedule_id not in known:
        fail(COMMAND, unknown_schedule_message(schedule_id, known))
    schedule = project.schedule(schedule_id)
    version = _version(schedule, version_text)
    try:
        result = export_version(schedule, version, options)
    except Unrepresentable as exc:
        fail(COMMAND, str(exc))
    except ValueError as exc:
        fail(COMMAND, str(exc), EXIT_USAGE)
    document = _document(result, fmt)
    if out is None:
        click.echo(document, nl=False)
        click.echo(render_text(schedule.id, version.label, result.losses), err=True, nl=False)
        return
    if out.is_dir():
        fail(COMMAND, f"--out {out} is a directory; give a file name (or use --all)", EXIT_USAGE)
    loss_path = _loss_path(out)
    _write(out, document, force)
    _write(loss_path, render_markdown(schedule.id, version.label, result.losses), force)
    click.echo(f"wrote {out} and {loss_path} ({schedule.id} {version.label}, {len(result.losses)} rules not held)")
