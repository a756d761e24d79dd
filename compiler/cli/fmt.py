"""`tariffc fmt PATH… [--check]`: rewrite files in canonical layout, or show the diff and exit 1."""

from __future__ import annotations

import difflib
import os
import sys
from pathlib import Path

import click

from tariffc.compiler.outpaths import rewrite_file
from tariffc.compiler.project import read_and_parse, tariff_files
from tariffc.dsl.diagnostics import render_all
from tariffc.dsl.fmt import FormatRefused, format_checked


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing; show the diff and exit 1 if a file is not formatted.")
def fmt(paths, check):
    """Lay out .tariff files canonically (aligned rate columns, comments kept)."""
    unformatted, failed = [], False
    for file in tariff_files(list(paths)):
        name, text, tree, problems = read_and_parse(file)
        if tree is None:
            click.echo(render_all(problems, {name: text}), err=True)
            failed = True
            continue
        try:
            formatted = format_checked(text, name, tree)  # never change meaning; a formatter bug stops here
        except FormatRefused as exc:
            click.echo(f"tariffc: {exc}", err=True)
            failed = True
            continue
        if formatted == text:
            continue
        unformatted.append(name)
        if check:
            click.echo("".join(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True),
                                                    f"{name} (as written)", f"{name} (formatted)")))
        elif file.is_symlink():
            # Writing through the link would change a file the command was not given (perhaps outside
            # the tree); replacing the link by a file would cut it. Neither: say where the file is.
            click.echo(f"tariffc: refusing to format {name}: a symbolic link to {os.readlink(file)}; "
                       "run `tariffc fmt` on the file it names", err=True)
            failed = True
        else:
            rewrite_file(file, formatted.encode("utf-8"), "fmt")  # atomic; keeps the file's mode
            click.echo(f"formatted {name}")
    if check and unformatted:
        click.echo(f"{len(unformatted)} file(s) not formatted: run `tariffc fmt` on them", err=True)
    sys.exit(1 if failed or (check and unformatted) else 0)
