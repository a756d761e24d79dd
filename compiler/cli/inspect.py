"""`tariffc inspect FILE`: the data-quality report to read before billing a meter-data file.

Exit codes: 0 the file was read (the report may still list gaps and warnings), 1 the file cannot
be used (MeterDataError: the message names the file, line or element), 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from tariffc.compiler.cli.common import schedules_option
from tariffc.compiler.cli.meter_input import clock_option, read_with_progress, usage_point_option
from tariffc.compiler.meterdata import NAMED_LAYOUTS, IntervalSeries, MeterDataError, quality_report
from tariffc.compiler.meterdata.quality import LONG_READ


def demand_remark(series: IntervalSeries, schedules_dir: Path | None) -> str:
    """Whether the intervals can show the demand (15-minute maximum) that demand schedules bill on."""
    short = [r.duration for r in series.readings if r.duration < LONG_READ]
    if not short:
        return "reads of a day or longer, not intervals: no maximum demand can be taken from this file"
    longest = max(short)
    wanted: dict[int, list[str]] = {}
    if schedules_dir is not None and schedules_dir.is_dir():
        try:
            from tariffc.compiler.project import load

            project = load([schedules_dir], check=False)
            for schedule in project.schedules:
                if any(c.quantity == "kw" for v in schedule.versions for c in v.charges):
                    minutes = {v.rules.demand_minutes for v in schedule.versions} - {None}
                    for m in minutes:
                        wanted.setdefault(m, []).append(schedule.id)
        except Exception:  # noqa: BLE001 - the remark is a courtesy; the report stands without it
            wanted = {}
    if not wanted:
        wanted = {15: ["schedules with a demand charge"]}
    too_coarse = {m: ids for m, ids in wanted.items() if longest > m * 60}
    if not too_coarse:
        return f"intervals of {longest // 60} min or shorter: short enough for the demand schedules bill on"
    return "; ".join(f"intervals of {longest // 60} min cannot show the maximum {m}-minute demand that "
                     f"{', '.join(sorted(ids))} bill on: their demand charges cannot be billed from this file"
                     for m, ids in sorted(too_coarse.items()))


@click.command()
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--csv-layout", "layout", type=click.Choice(sorted(NAMED_LAYOUTS)), default=None,
              help="Name the CSV layout instead of detecting it from the header.")
@click.option("--service", type=click.Choice(["electricity", "gas"]), default=None,
              help="Green Button file with several UsagePoints: the one to read.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@schedules_option(must_exist=False, help="Schedules consulted for the demand interval they bill on.")
@clock_option()
@usage_point_option()
def inspect(file, layout, service, fmt, schedules, clock, usage_point):
    """Data-quality report of a Green Button (XML) or CSV interval file, before any bill."""
    try:
        series = read_with_progress(file, layout=layout, service=service, clock=clock, usage_point=usage_point)
    except MeterDataError as error:
        click.echo(f"tariffc inspect: {error}", err=True)
        sys.exit(1)
    report = quality_report(series)
    remark = demand_remark(series, schedules.path)
    if fmt == "json":
        data = report.as_dict()
        data["demand"] = remark
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(report.render())
        click.echo(f"  demand: {remark}")
