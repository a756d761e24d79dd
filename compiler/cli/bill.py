"""`tariffc bill` (one bill, text or JSON) and `tariffc build` (write the generated modules).

Bad input exits 1 with one line naming the field and the value; no traceback.
"""

from __future__ import annotations

import json
import sys
from collections import OrderedDict
from pathlib import Path

import click

from tariffc.compiler import codegen
from tariffc.compiler.api import ScheduleError, Tariffs
from tariffc.compiler.runtime import BillInputError, decimal_text


def _fail(message: str) -> None:
    click.echo(f"tariffc bill: error: {message}", err=True)
    sys.exit(1)


def _read_intervals(path: str):
    from tariffc.compiler.meterdata import Direction, MeterDataError, read_meter_data  # noqa: PLC0415

    try:
        series = read_meter_data(path)
    except MeterDataError as exc:
        raise BillInputError("intervals", path, exc.render()) from None
    if series.units - {"kWh"}:
        raise BillInputError("intervals", path, f"the readings are in {', '.join(sorted(series.units))}, not kWh")
    return series.of(Direction.DELIVERED)


def _settings(pairs) -> dict:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise BillInputError("--set", pair, "expected NAME=VALUE")
        values[name.strip()] = value.strip()
    return values


@click.command()
@click.argument("schedule_id", metavar="SCHEDULE")
@click.option("--start", required=True, help="First day of the billing period (YYYY-MM-DD).")
@click.option("--end", required=True, help="Meter-read date ending the period, exclusive (YYYY-MM-DD).")
@click.option("--kwh", help="Energy delivered in the period (kWh).")
@click.option("--kw", help="Billing demand (kW).")
@click.option("--therms", help="Gas delivered in the period (therms).")
@click.option("--exported-kwh", help="Energy received from the customer (kWh).")
@click.option("--intervals", type=click.Path(), help="Interval data: CSV (header start,kwh; local times) or Green Button XML.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="A named input (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--schedules", "schedules_dir", default="schedules", show_default=True, type=click.Path(path_type=Path))
def bill(schedule_id, start, end, kwh, kw, therms, exported_kwh, intervals, settings, fmt, schedules_dir):
    """Compute one bill under a schedule for the period [START, END)."""
    try:
        tariffs = Tariffs.load(schedules_dir)
        series = _read_intervals(intervals) if intervals else None
        result = tariffs.bill(schedule_id, start=start, end=end, kwh=kwh, kw=kw, therms=therms,
                              exported_kwh=exported_kwh, intervals=series, values=_settings(settings))
    except BillInputError as exc:
        _fail(str(exc))
    except ScheduleError as exc:
        _fail(str(exc.args[0]))
    if fmt == "json":
        data = result.as_json()
        data = OrderedDict((k, data[k]) for k in ("schedule", "versions", "start", "end", "days", "lines",
                                                  "total_exact", "total", "rounding"))
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(render_text(result, tariffs.schedule(schedule_id).title))


def render_text(result, title: str) -> str:
    out = [f"{result.schedule}  {title}",
           f"Billing period {result.start.isoformat()} to {result.end.isoformat()} ({result.days} days); "
           f"version{'s' if len(result.versions) > 1 else ''} {', '.join(result.versions)}", ""]
    head = f"{'charge':<16}{'row':<18}{'component':<16}{'quantity':>14} {'unit':<6}{'rate':>12}{'amount':>14}  source"
    out += [head, "-" * len(head)]
    for line in result.lines:
        key = " ".join(line.key) if line.key != ("all",) else ""
        out.append(f"{line.charge:<16}{key[:17]:<18}{line.component:<16}{decimal_text(line.quantity, 4):>14} "
                   f"{line.unit:<6}{decimal_text(line.rate, 6):>12}{decimal_text(line.amount, 4):>14}  {line.source}")
        if line.note:
            out.append(f"{'':<16}note: {line.note}")
    out += ["", "By component:"]
    for component, amount in result.by_component().items():
        out.append(f"  {component:<20}{decimal_text(amount, 4):>14}")
    out += ["", f"  {'total (exact)':<20}{decimal_text(result.total_exact, 6):>14}",
            f"  {'TOTAL':<20}{'$' + str(result.total):>14}   ({result.rounding}; lines exact, rounded once)"]
    return "\n".join(out)


@click.command()
@click.option("--out", "out_dir", required=True, type=click.Path(path_type=Path), help="Directory for the modules.")
@click.option("--schedules", "schedules_dir", default="schedules", show_default=True, type=click.Path(path_type=Path))
def build(out_dir, schedules_dir):
    """Write one generated Python bill module per schedule that checks clean."""
    tariffs = Tariffs.load(schedules_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    failed = 0
    for schedule_id in tariffs.ids:
        try:
            schedule = tariffs.schedule(schedule_id)
        except ScheduleError as exc:
            click.echo(f"tariffc build: skipped {schedule_id}: {exc.args[0]}", err=True)
            failed += 1
            continue
        source = tariffs.source(schedule_id)
        del schedule
        target = out_dir / f"{codegen.module_name(schedule_id)}.py"
        target.write_text(source, encoding="utf-8")
        click.echo(f"wrote {target}")
    sys.exit(1 if failed else 0)
