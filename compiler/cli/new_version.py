"""`tariffc new-version SCHEDULE --effective DATE`: append a version whose rate cells are `?`.

The analyst's yearly update starts here (docs/yearly-update.md): the new version copies the latest
one's structure, supersedes it, and `tariffc check` names every cell still to enter. The command
writes only the schedule's own `.tariff` file, and only when that file checks clean and the date is
after its latest version.
"""

from __future__ import annotations

import os
from pathlib import Path

import click

from tariffc.compiler.cli.common import EXIT_ERRORS, EXIT_USAGE, fail, schedules_option
from tariffc.compiler.outpaths import rewrite_file
from tariffc.compiler.runtime.inputs import iso_date


@click.command("new-version")
@click.argument("schedule_id")
@click.option("--effective", required=True, help="The new version's effective date (YYYY-MM-DD).")
@schedules_option()
def new_version(schedule_id, effective, schedules):
    """Append a new version of SCHEDULE copying the latest one, every rate cell `?` (not yet entered)."""
    from tariffc.compiler.rates.new_version import NewVersionRefused, appended, new_version_text
    from tariffc.compiler.project import load, tariff_files, unknown_schedule_message
    from tariffc.dsl.diagnostics import DiagnosticError, render_all
    from tariffc.dsl.transform import parse_text

    try:
        day = iso_date(effective)
    except ValueError as exc:
        fail("new-version", f"--effective {effective!r:.40} {exc}", EXIT_USAGE)
    schedules_dir: Path = schedules.path
    if schedules.origin == "packaged" and "site-packages" in schedules_dir.resolve().parts:
        fail("new-version", f"the schedules installed with tariffc ({schedules_dir}) are not edited in place; "
                            "name your own copy with --schedules DIR", EXIT_USAGE)
    files = tariff_files([schedules_dir])
    by_id = {f.stem: f for f in files if "calendars" not in f.parts and "published" not in f.parts}
    if schedule_id not in by_id:
        fail("new-version", unknown_schedule_message(schedule_id, sorted(by_id)))
    path = by_id[schedule_id]
    calendars = [f for f in files if "calendars" in f.parts]
    project = load([path, *calendars])
    if project.errors:
        click.echo(render_all(project.errors, project.sources), err=True)
        fail("new-version", f"{path} does not check clean ({len(project.errors)} errors); nothing written")
    try:
        schedule = project.schedule(schedule_id)
    except KeyError as exc:
        fail("new-version", str(exc.args[0]))
    text = path.read_text(encoding="utf-8")
    try:
        block, cells = new_version_text(schedule, text, day)
    except NewVersionRefused as exc:
        fail("new-version", f"{exc}; nothing written", EXIT_USAGE)
    result = appended(text, block)
    try:
        parse_text(result, str(path))  # never write a file that would not parse
    except DiagnosticError as exc:  # pragma: no cover - a bug in new_version_text
        click.echo(render_all(exc.diagnostics, {str(path): result}), err=True)
        fail("new-version", "the new version would not parse (please report); nothing written", EXIT_ERRORS)
    if path.is_symlink():  # as `tariffc fmt`: never write through a link, nor cut it
        fail("new-version", f"refusing to write {path}: a symbolic link to {os.readlink(path)}; give --schedules "
                            "the tree that holds the file itself", EXIT_USAGE)
    rewrite_file(path, result.encode("utf-8"), "new-version")  # atomic; keeps the file's mode
    latest = max(v.effective for v in schedule.versions)
    click.echo(f"{path}: appended version {day} (supersedes {latest}) with {cells} rate cells to enter (`?`).")
    click.echo(f"Next: add its `source` line, enter each `?` from the adopted sheet, review the copied rules, "
               f"then `tariffc check {path}` (T220 names each cell still missing).")
