"""`tariffc impact`: the bill impact of a proposed version.

    tariffc impact E-1 --from 2024-07-01 --to 2025-07-01 --kwh 200,400,600,1000       # staff table
    tariffc impact E-4 --from 2024-07-01 --to 2025-07-01 --kwh 160000 --kw 274 --months 7,3
    tariffc impact --scenario levels.toml --format csv --chart impact.svg
    tariffc impact --data DATASET --schedule E-1 --from 2024-07-01 --to 2025-07-01    # every customer
    tariffc impact --data DATASET --schedules E-1,E-2 --from 2025-07-01 --to 2025-07-01   # rate options

Exit codes: 0 done, 1 a bill or scenario that cannot be computed (one line naming the reason),
2 usage error (bad option, date, path; a missing extra).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from tariffc.compiler.cli.common import (
    Integer,
    OutputPath,
    fail,
    parse_date,
    parse_settings,
    plain_integer,
    resolve_schedules,
)
from tariffc.compiler.outpaths import check_output_file
from tariffc.compiler.project import UsageError


def _date(value: str | None, option: str) -> dt.date | None:
    return None if value is None else parse_date(value, option)


def _in_order(current: dt.date | None, proposed: dt.date | None) -> None:
    """UsageError when --from is later than --to (the table would show the newer rates as current)."""
    if current is not None and proposed is not None and current > proposed:
        raise UsageError(f"--from {current} is later than --to {proposed}: --from dates the current rates and --to "
                         f"the proposed ones; give the earlier date as --from (--from {proposed} --to {current})")


def _list(value: str | None, option: str) -> list[str]:
    if value is None:
        return []
    items = [part.strip() for part in value.split(",")]
    if not all(items):
        raise UsageError(f"{option} {value!r}: write values separated by commas, e.g. 200,400,600")
    return items


def _months(value: str | None) -> list[int]:
    out = []
    for item in _list(value, "--months"):
        month = plain_integer(item)  # the digits 0-9 only: `٣` or `²` are not months (int() reads the one, not the other)
        if month is None or not 1 <= month <= 12:
            raise UsageError(f"--months: {item[:40]!r} is not a month number 1-12")
        out.append(month)
    return out


@click.command()
@click.argument("schedule_id", metavar="[SCHEDULE]", required=False)
@click.option("--from", "current", help="A date on which the current rates are in effect (YYYY-MM-DD).")
@click.option("--to", "proposed", help="A date on which the proposed rates are in effect (YYYY-MM-DD).")
@click.option("--kwh", help="Usage levels in kWh per bill: 200,400,600")
@click.option("--therms", help="Usage levels in therms per bill.")
@click.option("--kw", help="Demand levels in kW; with --kwh, one demand for every level (or one per level).")
@click.option("--months", help="Bill months 1-12 (default: the month of each date); several: their mean bill.")
@click.option("--days", type=Integer(1, 366), default=30, show_default=True, help="Days per sample bill.")
@click.option("--scenario", type=click.Path(path_type=Path, dir_okay=False), help="Levels from a TOML scenario file.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="A named bill input (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--chart", type=OutputPath(), help="Write a picture (.svg or .png).")
@click.option("--data", type=click.Path(path_type=Path, file_okay=False),
              help="A Parquet dataset (tariffc ingest / synth): bill every customer.")
@click.option("--schedule", "data_schedule", help="With --data: the schedule every customer is billed on.")
@click.option("--options", "options", metavar="A,B,…",
              help="With --data: rate options A,B,… (who would save by moving).")
@click.option("--out", type=OutputPath(),
              help="With --data: directory for per-customer results, summary and pictures.")
@click.option("--force", is_flag=True,
              help="Replace an existing --chart file; with --data: write into --out even if it holds files other "
                   "than a previous run's.")
@click.option("--read-dates", default=None,
              help="With --data: meter-read dates D1,D2,… (or a file, one per line): bill the periods between "
                   "them instead of calendar months.")
@click.option("--workers", type=Integer(1, 256), default=None, help="With --data: local Dask workers.")
@click.option("--scheduler", default=None, help="With --data: address of a running dask.distributed scheduler.")
@click.option("--schedules", "schedules", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="The schedules tree; default: the schedules shipped with tariffc, or $TARIFFC_SCHEDULES.")
@click.option("--schedules-dir", "schedules_dir", type=click.Path(path_type=Path), default=None, hidden=True)
def impact(schedule_id, current, proposed, kwh, therms, kw, months, days, scenario, settings, fmt, chart, data,
           data_schedule, options, out, force, read_dates, workers, scheduler, schedules, schedules_dir):
    """Bill impact of a proposed rate: at usage levels (the staff table) or over every customer's data.

    The schedules tree is `--schedules DIR`, as in every command (`--schedules-dir` is the older,
    hidden spelling); rate options for --data are `--options A,B,…` (the older `--schedules A,B,…`,
    a list that is not a directory, is still read as the options)."""
    tree_given = schedules or schedules_dir
    if options is None and schedules is not None and not schedules.is_dir() and "," in str(schedules):
        options, tree_given = str(schedules), schedules_dir  # the older spelling of --options
    schedules_dir = resolve_schedules(tree_given).path
    _in_order(_date(current, "--from"), _date(proposed, "--to"))
    if data is not None:
        from tariffc.compiler.cli.impact_data import run_population  # noqa: PLC0415

        return run_population(data=data, schedule=data_schedule or schedule_id, options=options,
                              current=_date(current, "--from"), proposed=_date(proposed, "--to"),
                              values=parse_settings(settings), out=out, fmt=fmt, workers=workers, scheduler=scheduler,
                              schedules_dir=schedules_dir, read_dates=read_dates, force=force)
    if read_dates is not None:
        raise UsageError("--read-dates applies to --data (the table bills sample months: --months, --days)")
    if out is not None:
        raise UsageError("--out applies to --data (the table is printed; --chart FILE writes a picture)")
    if force and chart is None:
        raise UsageError("--force applies to --chart FILE (replace it) and to --data --out DIR")
    from tariffc.compiler.api import ScheduleError, Tariffs  # noqa: PLC0415
    from tariffc.compiler.impact import render  # noqa: PLC0415
    from tariffc.compiler.impact.levels import ImpactError, Scenario, impact_table  # noqa: PLC0415
    from tariffc.compiler.runtime import BillInputError  # noqa: PLC0415

    if chart is not None and chart.suffix.lower() not in (".svg", ".png"):
        raise UsageError(f"--chart {chart}: the picture is written as .svg or .png")
    if chart is not None:
        check_output_file(chart, "--chart", force=force)  # before the billing: an existing file needs --force
    values = parse_settings(settings)
    try:
        if scenario is not None:
            if kwh or therms or kw:
                raise UsageError("--scenario gives the levels; leave out --kwh/--therms/--kw")
            from tariffc.compiler.impact.scenario import read_scenario  # noqa: PLC0415

            spec = read_scenario(scenario, schedule=schedule_id, current=_date(current, "--from"),
                                 proposed=_date(proposed, "--to"))
            if values:
                spec = _with_values(spec, values)
        else:
            spec = _scenario_from_options(schedule_id, current, proposed, kwh, therms, kw, months, days, values,
                                          Scenario)
        _in_order(spec.current, spec.proposed)  # the dates of a --scenario file too
        rows = impact_table(Tariffs.load(schedules_dir), spec)
    except (ImpactError, ScheduleError, BillInputError) as exc:
        fail("impact", str(exc))
    if fmt == "json":
        click.echo(render.to_json(spec, rows), nl=False)
    elif fmt == "csv":
        click.echo(render.to_csv(rows), nl=False)
    else:
        click.echo(render.text(spec, rows), nl=False)
    if chart is not None:
        try:
            from tariffc.compiler.impact.chart import write_chart  # noqa: PLC0415

            write_chart(spec, rows, chart, force=force)
        except ModuleNotFoundError:
            raise UsageError("--chart needs matplotlib: pip install 'tariffc[bulk]' (or the docs extra)") from None
        except OSError as exc:
            raise UsageError(f"--chart {chart}: cannot write ({exc.strerror})") from None
        click.echo(f"chart written to {chart}", err=True)


def _scenario_from_options(schedule_id, current, proposed, kwh, therms, kw, months, days, values, Scenario):
    if not schedule_id:
        raise UsageError("name the SCHEDULE (or give --scenario FILE, or --data DATASET)")
    if current is None or proposed is None:
        raise UsageError("give --from DATE and --to DATE (dates on which each version is in effect)")
    given = [(name, text) for name, text in (("kwh", kwh), ("therms", therms)) if text]
    if len(given) > 1:
        raise UsageError("give --kwh or --therms, not both")
    fixed = {}
    if not given:
        if not kw:
            raise UsageError("give usage levels: --kwh 200,400,600 (or --therms, --kw, --scenario FILE)")
        given = [("kw", kw)]
    elif kw:
        demands = _list(kw, "--kw")
        levels = _list(given[0][1], f"--{given[0][0]}")
        if len(demands) == 1:
            fixed = {"kw": demands[0]}
        elif len(demands) != len(levels):
            raise UsageError(f"--kw gives {len(demands)} demands for {len(levels)} levels; give one, or one per level")
        else:
            return _paired(schedule_id, current, proposed, given[0][0], levels, demands, months, days, values)
    quantity, text = given[0]
    return Scenario.from_levels(schedule_id, current=_date(current, "--from"), proposed=_date(proposed, "--to"),
                                quantity=quantity, levels=_list(text, f"--{quantity}"), months=_months(months),
                                days=days, fixed=fixed, values=values)


def _paired(schedule_id, current, proposed, quantity, levels, demands, months, days, values):
    from fractions import Fraction  # noqa: PLC0415

    from tariffc.compiler.impact.levels import UNITS, Level, SampleBill, Scenario  # noqa: PLC0415

    chosen = _months(months) or [None]
    out = []
    for level, demand in zip(levels, demands):
        quantities = {quantity: level, "kw": demand}
        out.append(Level(label=f"{level} {UNITS[quantity]} {demand} kW", bills=tuple(
            SampleBill(month=m, days=days, weight=Fraction(1, len(chosen)), quantities=quantities, values=values)
            for m in chosen)))
    return Scenario(schedule=schedule_id, current=_date(current, "--from"), proposed=_date(proposed, "--to"),
                    levels=tuple(out))


def _with_values(spec, values):
    import attrs  # noqa: PLC0415

    levels = tuple(attrs.evolve(level, bills=tuple(attrs.evolve(b, values={**b.values, **values})
                                                   for b in level.bills)) for level in spec.levels)
    return attrs.evolve(spec, levels=levels)
