"""`tariffc docs`: generate the rates site's Markdown pages and SVG pictures for `mkdocs build --strict`.

    tariffc docs --schedules schedules --out build/site-src && mkdocs build --strict      # in the repository
    tariffc docs --out site-src --mkdocs mkdocs.yml && mkdocs build --strict              # anywhere else

The hand-written reference pages ship with tariffc (docsgen/reference.py), so the site is the same
wherever it runs; `--mkdocs FILE` also writes the mkdocs configuration (the repository has its own).
Exit 1 (and nothing written) when the schedules have errors; exit 2 when the output directory holds
files the generator did not write (unless --force) or a path cannot be read or written.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from tariffc.compiler.cli.common import OutputPath, require_extra, schedules_option
from tariffc.compiler.runtime.inputs import iso_date


@click.command()
@schedules_option(multiple=True, help="The schedules tree (repeatable: files or directories); default: the "
                                      "schedules shipped with tariffc, or $TARIFFC_SCHEDULES.")
@click.option("--out", type=OutputPath(), default=Path("build/site-src"), show_default=True,
              help="Where to write the pages (mkdocs.yml's docs_dir is build/site-src).")
@click.option("--force", is_flag=True, help="Write even if the output directory holds files not written here.")
@click.option("--docs", "docs_dir", type=click.Path(path_type=Path), default=None,
              help="Hand-written pages: every *.md here is copied to reference/ (language.md first); default: "
                   "the pages shipped with tariffc (this repository's docs/).")
@click.option("--mkdocs", "config", type=OutputPath(), default=None, metavar="FILE",
              help="Also write the mkdocs configuration for the pages here (outside --out), for "
                   "`mkdocs build --strict -f FILE`; an existing, different file is replaced only with --force.")
@click.option("--today", default=None, help="The run date (YYYY-MM-DD) for 'rates in effect'; default today.")
def docs(schedules, out, force, docs_dir, config, today):
    """Generate the public site of effective rates (Markdown + SVG) from the schedules."""
    require_extra("docs", "tariffc docs")
    schedules_dirs = schedules
    from tariffc.compiler.docsgen import generate
    from tariffc.compiler.docsgen.output import ForeignOutput, check_output, write_tree
    from tariffc.compiler.docsgen.reference import mkdocs_yml, reference_dir
    from tariffc.compiler.outpaths import check_output_file, write_output_file
    from tariffc.compiler.project import load
    from tariffc.dsl.diagnostics import render_all

    try:
        day = iso_date(today) if today else dt.date.today()
    except ValueError as exc:
        click.echo(f"tariffc: --today {today!r:.40} {exc}", err=True)
        sys.exit(2)
    try:
        foreign = check_output(out, force)
    except ForeignOutput as exc:
        click.echo(f"tariffc: {exc}", err=True)
        sys.exit(2)
    pages = reference_dir(docs_dir)  # UsageError (exit 2) when the pages are missing
    settings = None
    if config is not None:  # checked before any work: refused means nothing written
        settings = mkdocs_yml(config, out).encode("utf-8")
        unchanged = config.is_file() and not config.is_symlink() and config.read_bytes() == settings
        check_output_file(config, "--mkdocs", force=force or unchanged)
    project = load(list(schedules_dirs))
    if project.errors:
        click.echo(render_all(project.errors, project.sources), err=True)
        click.echo(f"tariffc: {len(project.errors)} errors in the schedules; no site written "
                   f"(run `tariffc check {' '.join(map(str, schedules_dirs))}`)", err=True)
        sys.exit(1)
    files = generate(project, today=day, schedules_dirs=list(schedules_dirs), docs_dir=pages)
    write_tree(out, files)
    if settings is not None:
        write_output_file(config, settings, "--mkdocs", force=True)  # checked above
    elif not Path("mkdocs.yml").is_file():
        click.echo("tariffc: no mkdocs.yml here to build the site with: add --mkdocs mkdocs.yml to write one", err=True)
    if foreign:
        click.echo(f"tariffc: --force: left {len(foreign)} files not written by tariffc in {out}", err=True)
    click.echo(f"wrote {len(files)} files to {out} ({len(project.schedules)} schedules, rates in effect on {day})")
