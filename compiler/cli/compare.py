"""`tariffc compare`: bills of several rate options on a customer's own interval data, cheapest first.

    tariffc compare --intervals usage.xml --schedules E-1,E-2,E-2-G --set green_option=renewable_100
    tariffc compare --intervals load.csv --schedules E-4,E-4-TOU --format json --plot bills.svg
    tariffc compare --intervals solar.csv --schedules E-1,E-1+E-EEC-1 --read-dates dates.txt

Billing periods: calendar months the data cover whole (default), calendar months cut to
`--start`/`--end`, or meter-read dates (`--read-dates 2025-01-03,2025-02-02,...` or a file with one
date per line). Exit codes: 0 at least one option billed, 1 bad meter data or no option can be
billed, 2 usage error (bad option, date or file name).

This module is the command only: options → compiler/compare/ → output.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from tariffc.compiler.cli.common import (
    OutputPath,
    force_option,
    note_tree,
    parse_settings,
    require_extra,
    resolve_schedules,
    warn_newer_rates,
)
from tariffc.compiler.cli.meter_input import _interactive, clock_option, read_with_progress, usage_point_option
from tariffc.compiler.compare import CompareError, InputError, convert_inputs, parse_candidates
from tariffc.compiler.compare import compare as run_compare
from tariffc.compiler.compare.chart import PLOT_SUFFIXES
from tariffc.compiler.compare.periods import PeriodError, choose_periods
from tariffc.compiler.compare.render import as_csv, as_json, render_text
from tariffc.compiler.compare.tariffs import TreeError, bill_errors, load_tariffs, max_days, rates_at
from tariffc.compiler.meterdata import NAMED_LAYOUTS, MeterDataError
from tariffc.compiler.meterdata.fitness import unfit_for_bills
from tariffc.compiler.outpaths import check_output_file
from tariffc.compiler.project import UsageError


@click.command(name="compare")
@click.argument("options", nargs=-1, metavar="OPTION...")
@click.option("--intervals", "intervals", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Green Button XML or CSV interval file.")
@click.option("--start", default=None, help="First day billed (YYYY-MM-DD); periods are calendar months.")
@click.option("--end", default=None, help="Day after the last day billed (YYYY-MM-DD, exclusive).")
@click.option("--read-dates", default=None, help="Meter-read dates: D1,D2,... or a file with one date per line.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="A named bill input (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--plot", type=OutputPath(), default=None,
              help="Write a chart of the bills per period (.svg or .png).")
@force_option("Replace an existing --plot file.")
@click.option("--schedules", "schedules", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="The schedules tree; default: the schedules shipped with tariffc, or $TARIFFC_SCHEDULES.")
@click.option("--schedules-dir", "schedules_dir", type=click.Path(path_type=Path), default=None, hidden=True)
@click.option("--csv-layout", "layout", type=click.Choice(sorted(NAMED_LAYOUTS)), default=None)
@click.option("--service", type=click.Choice(["electricity", "gas"]), default=None)
@clock_option()
@usage_point_option()
@click.option("--at", "at", default=None, metavar="DATE",
              help="Bill every period at the rates of the versions in effect on DATE (YYYY-MM-DD): "
                   "past usage at today's rates.")
def compare_cmd(options, intervals, start, end, read_dates, settings, fmt, plot, force, schedules, schedules_dir,
                layout, service, clock, usage_point, at):
    """Bill rate options on your own meter data, per period and in total, cheapest first.

    OPTION... are the schedules to compare (`E-1 E-2` or `E-1,E-2`); `E-1+E-EEC-1` adds export
    compensation to E-1."""
    listed, tree_given = ",".join(options), schedules or schedules_dir
    if not listed and schedules is not None and not schedules.is_dir():
        # the older spelling `--schedules E-1,E-2 [--schedules-dir DIR]`: the list, not a tree
        listed, tree_given = str(schedules), schedules_dir
    if not listed:
        raise UsageError("name the rate options to compare: tariffc compare E-1 E-2 --intervals FILE")
    tree = resolve_schedules(tree_given)
    if plot is not None and plot.suffix.lower() not in PLOT_SUFFIXES:
        raise UsageError(f"--plot {plot}: the chart is written as .svg or .png")
    if plot is not None:
        require_extra("plot", "--plot")
        check_output_file(plot, "--plot", force=force)  # before any work: an existing file needs --force
    elif force:
        raise UsageError("--force applies to --plot FILE (replace it)")
    inputs = parse_settings(settings)
    try:
        candidates = parse_candidates(listed)
        ids = sorted({c.base for c in candidates} | {c.export for c in candidates if c.export})
        biller, by_id = load_tariffs(tree.path, ids)
        at_note = None
        if at is not None:
            biller, at_note = rates_at(biller, ids, at)
        convert_inputs(inputs, [by_id[i] for i in ids])  # a bad --set is a usage error, found before reading
    except (CompareError, TreeError, PeriodError) as error:
        raise UsageError(str(error)) from None
    try:
        series = read_with_progress(intervals, layout=layout, service=service, clock=clock, usage_point=usage_point,
                                    longest_read_days=max(max_days(s) for s in by_id.values()))
        problem = unfit_for_bills(series)
        if problem:
            _fail(problem)
        slices, period_notes = choose_periods(series, start, end, read_dates)
    except PeriodError as error:
        raise UsageError(str(error)) from None
    except (CompareError, MeterDataError) as error:
        _fail(str(error))
    from tqdm import tqdm

    with tqdm(total=len(candidates), desc="billing", unit="option", leave=False, disable=not _interactive(),
              delay=0.5) as bar:
        try:
            result = run_compare(slices, source=series.source, units=series.units, candidates=candidates,
                                 schedules=by_id, biller=biller, inputs=inputs, bill_errors=bill_errors(),
                                 progress=bar.update)
        except InputError as error:
            raise UsageError(str(error)) from None
        except (CompareError, MeterDataError) as error:
            _fail(str(error))
    result = result.with_notes(period_notes + ((at_note,) if at_note else ()))
    note_tree(tree, text=fmt == "text")
    if result.periods:  # the rates used are those of --at, else of the last day billed
        rates_day = dt.date.fromisoformat(at) if at else result.periods[-1].end - dt.timedelta(days=1)
        warn_newer_rates([by_id[i] for i in ids], rates_day)
    if fmt == "json":
        click.echo(json.dumps(as_json(result, slices), indent=2))
    elif fmt == "csv":
        click.echo(as_csv(result), nl=False)
    else:
        click.echo(render_text(result, series, slices))
    if plot is not None:
        from tariffc.compiler.compare.chart import write_chart

        write_chart(result, plot, force=force)
        click.echo(f"chart written to {plot}", err=True)
    sys.exit(0 if result.results else 1)


compare = compare_cmd  # the name in cli.COMMANDS


def _fail(message: str):
    click.echo(f"tariffc compare: {message}", err=True)
    sys.exit(1)
