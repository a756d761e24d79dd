"""`tariffc check PATH…`: parse and check .tariff files or directories; exit 1 on any error."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tariffc.compiler.cli.common import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, fail, plain_integer
from tariffc.compiler.project import load
from tariffc.dsl.diagnostics import Severity, render_all, to_json



def _count(n: int, one: str, many: str | None = None) -> str:
    """'1 file', '2 files' (the summary line counts anything from 0 up)."""
    return f"{n:,} {one if n == 1 else many or one + 's'}"

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


def terminal_width() -> int | None:
    """Columns to fit excerpts in: the terminal's when stdout is one, else $COLUMNS, else None
    (a file or pipe gets whole lines)."""
    import os
    import shutil

    columns = plain_integer(os.environ.get("COLUMNS", ""))  # `²` passes isdigit() but not int()
    if columns is not None and columns > 0:
        return columns
    try:
        if sys.stdout.isatty():
            return shutil.get_terminal_size().columns
    except (AttributeError, ValueError, OSError):
        pass
    return None


def notes_by_code(diagnostics) -> str:
    """`T213 x38, T403 x16`: the notes not listed, counted by code (most first, then by code)."""
    counts: dict[str, int] = {}
    for d in diagnostics:
        if d.severity == Severity.NOTE:
            counts[d.code] = counts.get(d.code, 0) + 1
    return ", ".join(f"{code} x{n}" for code, n in sorted(counts.items(), key=lambda item: (-item[1], item[0])))


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--notes", "-v", "--verbose", "notes", is_flag=True,
              help="List the notes too (declared discrepancies, unresolved values); by default only counted.")
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
def check(paths, fmt, notes, quiet):
    """Parse and check .tariff files or directories (recursively); with no PATHS, the schedules tree
    ($TARIFFC_SCHEDULES, else the schedules shipped with tariffc). A file checked alone is read with
    the calendars and published tables of its tree (the nearest directory above with calendars/).

    Errors and warnings are listed; notes are counted by code unless --notes."""
    if not paths:
        from tariffc.compiler.schedules_tree import NoSchedules, resolve

        try:
            paths = (resolve(None).path,)
        except NoSchedules as exc:
            fail("check", str(exc), EXIT_USAGE)
    project = load(list(paths))
    summary = summary_counts(project)
    if fmt == "json":
        shown = [d for d in project.diagnostics if not quiet or d.severity == Severity.ERROR]
        click.echo(to_json(shown, summary))
        sys.exit(EXIT_ERRORS if summary["errors"] else EXIT_OK)
    if quiet:
        shown = [d for d in project.diagnostics if d.severity == Severity.ERROR]
    else:
        shown = [d for d in project.diagnostics if notes or d.severity != Severity.NOTE]
    if shown:
        click.echo(render_all(shown, project.sources, terminal_width()))
        click.echo()
    hidden = [d for d in project.diagnostics if d not in shown and d.severity == Severity.NOTE]
    counted = f" ({notes_by_code(hidden)}; list them with --notes)" if hidden and not quiet else ""
    click.echo(
        f"checked {_count(summary['files'], 'file')}: {_count(summary['schedules'], 'schedule')}, "
        f"{_count(summary['versions'], 'version')}, {_count(summary['published_tables'], 'published table')}, "
        f"{_count(summary['rate_cells_proven'], 'rate row')} proven, "
        f"{_count(summary['declared_discrepancies'], 'declared discrepancy', 'declared discrepancies')}; "
        f"{_count(summary['errors'], 'error')}, {_count(summary['warnings'], 'warning')}, "
        f"{_count(summary['notes'], 'note')}{counted}")
    sys.exit(EXIT_ERRORS if summary["errors"] else EXIT_OK)
