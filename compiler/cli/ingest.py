"""`tariffc ingest DIR_OR_FILES… --out DATASET`: Green Button XML and CSV interval files → one Parquet
dataset (see compiler/bulk/ingest.py: ids, units, verdicts, resuming). Needs the `bulk` extra.

Exit 0 when every file was ingested, skipped (done before) or refused with its reason in
DATASET/refused.csv (a refused file is not an error of the run); 2 for a bad path or a missing extra.
"""

from __future__ import annotations

from pathlib import Path

import click

from tariffc.compiler.cli.common import out_option
from tariffc.compiler.project import UsageError


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@out_option(required=True, help="The dataset directory (new, or one made by an earlier ingest).")
def ingest(paths, out):
    """Read Green Button / CSV interval files into a Parquet dataset; resumable, bad files refused."""
    from tariffc.compiler.bulk import dataset  # noqa: PLC0415

    dataset.require_pyarrow()
    from tqdm import tqdm  # noqa: PLC0415

    from tariffc.compiler.bulk.ingest import REFUSED, ingest as run, input_files  # noqa: PLC0415

    try:
        total = len(input_files(paths))
        with tqdm(total=total, unit="file", desc="ingest", disable=None, leave=False) as bar:
            summary = run(paths, out, progress=bar.update)
    except dataset.DatasetError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"{out}: cannot write ({exc.strerror})") from None
    click.echo(f"{summary.files} files: {summary.ingested} ingested, {summary.skipped} done before, "
               f"{summary.refused} refused now, {summary.refused_before} refused before (unchanged); "
               f"{summary.customers} customers, {summary.rows} interval rows added"
               + (f"; removed {summary.removed_partial_parts} unfinished parts of an interrupted run"
                  if summary.removed_partial_parts else ""))
    if summary.refused or summary.refused_before:
        click.echo(f"refused files and reasons: {Path(out) / REFUSED}")
