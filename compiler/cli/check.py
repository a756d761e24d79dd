"""`tariffc check PATH…`: parse and check .tariff files or directories; exit 1 on any error."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tariffc.compiler.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, fail
from tariffc.compiler.project import load
from tariffc.dsl.diagnostics import Severity, render_all, to_json


def summary_counts(project) -> dict:
    """The counts of the summary line (and of the JSON summary)."""
    from tariffc.compiler.checks import cells_proven

    count = {s: sum(1 for d in project.diagnostics if d.severity == s) for s in Severity}
    declared = sum(1 for d in project.diagnostics if d.code in ("T213", "T403"))
    return {
        "files": len(project.files),
        "schedules": len(project.schedules),
        "versions": sum(len(s.versions) for s in project.schedules),
        "published_tables": len(project.published),
        "rate_cells_proven": cells_proven(project),
        "declared_discrepancies": declared,
        "errors": count[Severity.ERROR],
        "warnings": count[Severity.WARNING],
        "notes": count[Severity.NOTE],
    }


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
def check(paths, fmt, quiet):
    """Parse and check .tariff files or directories (recursively); with no PATHS, the schedules tree
    ($TARIFFC_SCHEDULES, else the schedules shipped with tariffc). A file checked alone is read with
    the calendars and published tables of its tree (the nearest directory above with calendars/)."""
    if not paths:
        from tariffc.compiler.schedules_tree import NoSchedules, resolve

        try:
            paths = (resolve(None).path,)
        except NoSchedules as exc:
            fail("check", str(exc), EXIT_USAGE)
    project = load(list(paths))
    summary = summary_counts(project)
    shown = [d for d in project.diagnostics if not quiet or d.severity == Severity.ERROR]
    if fmt == "json":
        click.echo(to_json(shown, summary))
    else:
        if shown:
            click.echo(render_all(shown, project.sources))
            click.echo()
        click.echo(
            f"checked {summary['files']} files: {summary['schedules']} schedules, {summary['versions']} versions, "
            f"{summary['published_tables']} published tables, {summary['rate_cells_proven']} rate rows proven, "
            f"{summary['declared_discrepancies']} declared discrepancies; "
            f"{summary['errors']} errors, {summary['warnings']} warnings, {summary['notes']} notes")
    sys.exit(EXIT_ERRORS if summary["errors"] else EXIT_OK)
