"""`tariffc`: check | fmt | rates | diff | bill | build | docs | inspect | compare.

Exit codes: 0 clean, 1 errors found (in schedules or bill input), 2 usage or I/O error.
An unexpected exception prints one line asking for a report; its traceback only under --debug.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from tariffc.compiler.project import UsageError, load
from tariffc.dsl.diagnostics import Severity, render_all, to_json


class Group(click.Group):
    """Turns an unexpected exception into one line (traceback with --debug)."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            click.echo(f"tariffc: {exc}", err=True)
            ctx.exit(2)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except Exception as exc:  # noqa: BLE001 - the last line of defence
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.echo(f"tariffc: internal error ({type(exc).__name__}: {exc}); please report it "
                       "with the command you ran (rerun with --debug for the traceback)", err=True)
            ctx.exit(3)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.pass_context
def main(ctx, debug):
    """tariffc: CPAU rate schedules as checked code."""
    ctx.ensure_object(dict)["debug"] = debug


def summary_counts(project) -> dict:
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


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--quiet", "-q", is_flag=True, help="Print only errors and the summary.")
def check(paths, fmt, quiet):
    """Parse and check .tariff files or directories (recursively)."""
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
    sys.exit(1 if summary["errors"] else 0)


def _register_optional_commands():
    """Commands living in their own modules (one job each)."""
    import importlib

    for module, name in (
        ("tariffc.compiler.fmt_command", "fmt"),
        ("tariffc.compiler.rates_command", "rates"),
        ("tariffc.compiler.rates_command", "diff"),
        ("tariffc.compiler.bill_command", "bill"),
        ("tariffc.compiler.bill_command", "build"),
        ("tariffc.compiler.docs_command", "docs"),
        ("tariffc.compiler.meterdata_command", "inspect"),
        ("tariffc.compiler.compare_command", "compare"),
    ):
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            continue
        main.add_command(getattr(mod, name))


_register_optional_commands()


if __name__ == "__main__":
    main()
