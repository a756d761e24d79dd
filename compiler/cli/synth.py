"""`tariffc synth --customers N --out DATASET`: a seeded synthetic population (compiler/bulk/synth.py).
No real customer data exists in this project; the dataset says so in dataset.json. Needs `bulk`."""

from __future__ import annotations

from pathlib import Path

import click

from tariffc.compiler.cli.common import Integer, out_option
from tariffc.compiler.project import UsageError
from tariffc.compiler.runtime.inputs import iso_date


@click.command()
@click.option("--customers", type=Integer(1, 10_000_000), required=True, help="How many customers.")
@out_option(required=True, help="A new (or empty) directory for the dataset.")
@click.option("--seed", type=Integer(0), default=1, show_default=True, help="Same seed, same data.")
@click.option("--start", default="2024-07-01", show_default=True, help="First day (the 1st of a month).")
@click.option("--months", type=Integer(1, 36), default=12, show_default=True)
@click.option("--interval", "minutes", type=click.Choice(["15", "60"]), default="60", show_default=True,
              help="Interval length in minutes.")
@click.option("--kind", type=click.Choice(["residential", "commercial", "mixed"]), default="residential",
              show_default=True, help="Load shapes: residential, small commercial, or 85/15 mixed.")
def synth(customers, out, seed, start, months, minutes, kind):
    """Write a seeded synthetic population of interval data (hourly or 15-minute, DST-correct)."""
    from tariffc.compiler.bulk import dataset  # noqa: PLC0415

    dataset.require_pyarrow()
    try:
        first = iso_date(start)
    except ValueError as exc:
        raise UsageError(f"--start {start!r:.40} {exc}") from None
    if first.day != 1:
        raise UsageError(f"--start {start}: give the 1st of a month (bills are calendar months)")
    from tqdm import tqdm  # noqa: PLC0415

    from tariffc.compiler.bulk.synth import synthesize  # noqa: PLC0415

    try:
        with tqdm(total=customers, unit="customer", desc="synth", disable=None, leave=False) as bar:
            described = synthesize(Path(out), customers=customers, seed=seed, start=first, months=months,
                                   minutes=int(minutes), kind=kind, progress=bar.update)
    except dataset.DatasetError as exc:
        raise UsageError(str(exc)) from None
    click.echo(f"{customers} synthetic {kind} customers, {minutes}-minute intervals, "
               f"{described['start']} to {described['end']} (seed {seed}) written to {out}")
    click.echo(described["note"])
