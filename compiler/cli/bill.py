"""`tariffc bill` (one bill, text or JSON) and `tariffc build` (write the generated modules).

Bad input exits 1 with one line naming the field and the value; no traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections import OrderedDict
from decimal import Decimal
from pathlib import Path

import click

from tariffc.compiler import applicability, codegen
from tariffc.compiler.api import ScheduleError, Tariffs
from tariffc.compiler.cli.common import (
    OutputPath,
    force_option,
    note_tree,
    parse_settings,
    schedules_option,
    warn_newer_rates,
)
from tariffc.compiler.cli.meter_input import clock_option, usage_point_option
from tariffc.compiler.outpaths import check_fresh, check_output_dir, output_dir, write_file
from tariffc.compiler.runtime import BillInputError, decimal_text
from tariffc.compiler.runtime.timetext import local_time_text


def _fail(message: str) -> None:
    click.echo(f"tariffc bill: error: {message}", err=True)
    sys.exit(1)


def _meter_quantities(path: str, schedule, start: str, end: str, clock: str,
                      usage_point: str | None = None) -> tuple[dict, str | None]:
    """What the bill takes from a meter-data file: the readings of [start, end) (electric: the
    intervals; gas: the therms they add up to), and a note saying how many readings lay outside.
    Refused, naming the file and line: a file unfit for any bill, readings in another unit, readings
    that straddle the period's start or end, a period the readings do not cover."""
    from tariffc.compiler.compare import billing_unit  # noqa: PLC0415
    from tariffc.compiler.compare.candidates import unit_mismatch  # noqa: PLC0415
    from tariffc.compiler.compare.periods import BillPeriod  # noqa: PLC0415
    from tariffc.compiler.meterdata import Direction, MeterDataError, read_meter_data  # noqa: PLC0415
    from tariffc.compiler.meterdata.fitness import (  # noqa: PLC0415
        duration_text,
        select_period,
        straddle_message,
        unfit_for_bills,
    )
    from tariffc.compiler.meterdata.model import THERM  # noqa: PLC0415

    calendar = schedule.calendar
    longest = calendar.billing.max_days if calendar is not None else 62
    try:
        series = read_meter_data(path, clock=clock, longest_read_days=longest, usage_point=usage_point)
    except MeterDataError as exc:  # `intervals = file:line: message`, the place named once
        place = (exc.file or path) + (f":{exc.line}" if exc.line is not None else "")
        raise BillInputError("intervals", place, exc.message + (f" (in {exc.element})" if exc.element else "")) from None
    problem = unfit_for_bills(series)
    if problem:
        raise BillInputError("intervals", path, problem)
    unit = billing_unit(schedule)
    if series.units - {unit}:
        raise BillInputError("intervals", path, unit_mismatch(series.units, schedule))
    try:
        period = BillPeriod(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    except ValueError:
        return {}, None  # the bill refuses the date itself, naming it
    tz = series.tz
    low, high = period.utc_bounds(tz)
    chosen = select_period(series.of(Direction.DELIVERED), low, high)
    if chosen.straddling:
        raise BillInputError("intervals", path, straddle_message(series.source, chosen.straddling, tz,
                                                                 f"the billing period's start or end ({start} or {end} "
                                                                 "00:00 local)"))
    if not chosen.readings:
        raise BillInputError("intervals", path, f"no readings in the billing period [{start}, {end}); the file covers "
                                                f"{series.start.astimezone(tz):%Y-%m-%d %H:%M} to "
                                                f"{local_time_text(series.end, tz)}")
    # what the reader said about the file (units converted, lines skipped, a zone disagreeing), as
    # `inspect` says it: a bill must not hide it
    notes = [f"{path}: warning: {warning}" for warning in series.warnings]
    if chosen.outside:
        notes.append(f"{path}: billed the {len(chosen.readings):,} readings in [{start}, {end}); "
                     f"{chosen.outside:,} readings outside the period were left out")
    note = "\n".join(f"tariffc bill: {n}" for n in notes) or None
    if unit == THERM:
        covered = sum(r.duration for r in chosen.readings)
        wanted = int((high - low).total_seconds())
        if covered != wanted:
            raise BillInputError("intervals", path, f"the readings cover {duration_text(covered)} of the "
                                                    f"{duration_text(wanted)} in [{start}, {end}): gas reads must "
                                                    "cover the whole billing period")
        return {"therms": sum((r.value for r in chosen.readings), Decimal(0))}, note
    return {"intervals": chosen.readings}, note


def _naming_the_file(error: BillInputError, path: str | None) -> BillInputError:
    """A refusal of the interval readings taken from the file `path`, naming the file first: the bill
    names a reading by its time (`intervals = 2025-07-10 06:00 PDT: gap: …`), which alone does not
    say which file to look at. A gap gets what to do about it."""
    if path is None or error.field != "intervals" or error.value == path:
        return error
    advice = ""
    if error.message.startswith("gap:"):
        advice = (f"; bill a period the file covers without gaps (--start/--end), or fill the gap "
                  f"(`tariffc inspect {path}` lists every gap)")
    return BillInputError("intervals", path, f"{error.value}: {error.message}{advice}", error.loc)


@click.command()
@click.argument("schedule_id", metavar="SCHEDULE")
@click.option("--start", required=True, help="First day of the billing period (YYYY-MM-DD).")
@click.option("--end", required=True, help="Meter-read date ending the period, exclusive (YYYY-MM-DD).")
@click.option("--kwh", help="Energy delivered in the period (kWh).")
@click.option("--kw", help="Billing demand (kW).")
@click.option("--therms", help="Gas delivered in the period (therms).")
@click.option("--exported-kwh", help="Energy received from the customer (kWh).")
@click.option("--intervals", type=click.Path(), help="Interval data: Green Button XML or CSV (docs/meter-data.md); "
              "readings outside [START, END) are left out and counted.")
@clock_option()
@usage_point_option()
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="A named input (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@schedules_option()
def bill(schedule_id, start, end, kwh, kw, therms, exported_kwh, intervals, clock, usage_point, settings, fmt,
         schedules):
    """Compute one bill under a schedule for the period [START, END)."""
    try:
        tariffs = Tariffs.load(schedules.path)
        metered, note = {}, None
        if intervals:
            if therms is not None:
                raise BillInputError("therms", therms, "give therms or interval data, not both")
            metered, note = _meter_quantities(intervals, tariffs.schedule(schedule_id), start, end, clock, usage_point)
        quantities = {"kwh": kwh, "kw": kw, "therms": therms, "exported_kwh": exported_kwh, **metered}
        try:
            result = tariffs.bill(schedule_id, start=start, end=end, **quantities, values=parse_settings(settings))
        except BillInputError as exc:
            raise _naming_the_file(exc, intervals if "intervals" in metered else None) from None
        if note:
            click.echo(note, err=True)
    except BillInputError as exc:
        _fail(str(exc))
    except ScheduleError as exc:
        _fail(str(exc.args[0]))
    note_tree(schedules, text=fmt == "text")
    schedule = tariffs.schedule(schedule_id)
    warn_newer_rates([schedule], result.end - dt.timedelta(days=1))
    # A. Applicability bounds judged over months of history: one bill cannot judge them (never silently met)
    usage = quantities.get("therms") if schedule.utility == "gas" else quantities.get("kwh")
    verdicts = applicability.single_bill(schedule, kw=quantities.get("kw"), usage=usage, inputs=parse_settings(settings))
    if fmt == "json":
        data = result.as_json()
        data = OrderedDict((k, data[k]) for k in ("schedule", "versions", "start", "end", "days", "lines",
                                                  "total_exact", "total", "rounding"))
        data["applicability"] = [v.as_dict() for v in verdicts]
        click.echo(json.dumps(data, indent=2))
    else:
        click.echo(render_text(result, schedule.title) + render_applicability(verdicts))


def render_applicability(verdicts) -> str:
    """The history bounds of A. Applicability as this bill sees them (empty when there are none)."""
    if not verdicts:
        return ""
    out = ["", "", "A. Applicability, judged over months of usage (this bill is one month):"]
    for v in verdicts:
        out.append(f"  {applicability.describe(v.limit)}: {v.status}: {v.reason}  "
                   f"[{v.limit.span.path}:{v.limit.span.line}]")
    return "\n".join(out)


def render_text(result, title: str) -> str:
    out = [f"{result.schedule}  {title}",
           f"Billing period {result.start.isoformat()} to {result.end.isoformat()} ({result.days} days); "
           f"version{'s' if len(result.versions) > 1 else ''} {', '.join(result.versions)}", ""]
    # The amounts are exact (unrounded): only the TOTAL is rounded, once, as the schedule says. The
    # column says so, and the line under the table, so that 46.6785 is not read as a misprinted price.
    head = f"{'charge':<16}{'row':<18}{'component':<16}{'quantity':>14} {'unit':<6}{'rate':>12}{'exact $':>14}  source"
    out += [head, "-" * len(head)]
    for line in result.lines:
        key = " ".join(line.key) if line.key != ("all",) else ""
        out.append(f"{line.charge:<16}{key[:17]:<18}{line.component:<16}{decimal_text(line.quantity, 4):>14} "
                   f"{line.unit:<6}{decimal_text(line.rate, 6):>12}{decimal_text(line.amount, 4):>14}  {line.source}")
        if line.note:
            out.append(f"{'':<16}note: {line.note}")
    out += ["exact $: amounts not rounded (as the schedule bills them); only the TOTAL is rounded, once",
            "", "By component (exact $):"]
    for component, amount in result.by_component().items():
        out.append(f"  {component:<20}{decimal_text(amount, 4):>14}")
    out += ["", f"  {'total (exact)':<20}{decimal_text(result.total_exact, 6):>14}",
            f"  {'TOTAL':<20}{'$' + str(result.total):>14}   ({result.rounding}; lines exact, rounded once)"]
    return "\n".join(out)


# What `build` writes (codegen.module_name: tariff_<id>.py) and what importing it makes.
BUILD_NAMES = ("tariff_*.py", "__pycache__")


@click.command()
@click.option("--out", "out_dir", required=True, type=OutputPath(), help="Directory for the modules.")
@force_option("Write into --out even if it holds files other than generated modules (tariff_*.py).")
@schedules_option()
def build(out_dir, schedules, force):
    """Write one generated Python bill module per schedule that checks clean."""
    check_output_dir(out_dir)
    check_fresh(out_dir, BUILD_NAMES, force)  # a rerun replaces its modules; other files need --force
    tariffs = Tariffs.load(schedules.path)
    out_dir = output_dir(out_dir)
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
        target = write_file(out_dir, f"{codegen.module_name(schedule_id)}.py", source.encode("utf-8"))
        click.echo(f"wrote {target}")
    sys.exit(1 if failed else 0)
