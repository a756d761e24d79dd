"""`tariffc compare`: bills of several rate options on a customer's own interval data, cheapest first.

    tariffc compare --intervals usage.xml --schedules E-1,E-2,E-2-G --set green_option=renewable_100
    tariffc compare --intervals load.csv --schedules E-4,E-4-TOU --format json --plot bills.svg
    tariffc compare --intervals solar.csv --schedules E-1,E-1+E-EEC-1 --read-dates dates.txt

Billing periods: calendar months the data cover whole (default), calendar months cut to
`--start`/`--end`, or meter-read dates (`--read-dates 2025-01-03,2025-02-02,...` or a file with one
date per line). Exit codes: 0 at least one option billed, 1 bad meter data or no option can be
billed, 2 usage error (bad option, date or file name).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

import click

from tariffc.compiler.bill_periods import (
    PeriodError,
    calendar_months,
    covered_days,
    is_billing_period_reads,
    parse_date,
    parse_read_dates,
    read_date_periods,
    reads_as_periods,
    split,
    whole_months,
)
from tariffc.compiler.compare import (
    Comparison,
    CompareError,
    InputError,
    convert_inputs,
    interval_minutes,
    parse_candidates,
)
from tariffc.compiler.compare import compare as run_compare
from tariffc.compiler.meterdata import NAMED_LAYOUTS, MeterDataError
from tariffc.compiler.cli.common import note_tree, require_extra, resolve_schedules, warn_newer_rates
from tariffc.compiler.cli.meter_input import _interactive, clock_option, read_with_progress
from tariffc.compiler.project import UsageError

PLOT_SUFFIXES = (".svg", ".png")


def load_tariffs(schedules_dir: Path, ids: list[str]):
    """(biller, {id: ir.Schedule}): the bill API and the checked schedules it bills."""
    from tariffc.compiler.api import ScheduleError, Tariffs

    try:
        tariffs = Tariffs.load(schedules_dir)
        return tariffs, {schedule_id: tariffs.schedule(schedule_id) for schedule_id in ids}
    except ScheduleError as error:
        raise UsageError(str(error)) from None


def bill_errors() -> tuple[type[BaseException], ...]:
    from tariffc.compiler.runtime import BillInputError

    errors: list[type[BaseException]] = [BillInputError]
    try:
        from tariffc.compiler import api

        errors += [getattr(api, name) for name in dir(api) if name.endswith("Error")
                   and isinstance(getattr(api, name), type) and issubclass(getattr(api, name), Exception)]
    except ImportError:  # pragma: no cover
        pass
    return tuple(dict.fromkeys(errors))


def _settings(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for item in values:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set '{item}': write NAME=VALUE")
        out[name.strip()] = value.strip()
    return out


def unusable(series) -> str | None:
    """What in a file read whole still makes every bill from it doubtful (shared with `tariffc bill`)."""
    from tariffc.compiler.meterdata.fitness import unfit_for_bills

    return unfit_for_bills(series)


def choose_periods(series, start, end, read_dates):
    """(slices, notes): the data cut into billing periods."""
    if read_dates and (start or end):
        raise UsageError("give --read-dates or --start/--end, not both")
    if is_billing_period_reads(series):
        if read_dates:
            raise UsageError("the file holds billing-period reads (one per bill): they are the periods; "
                             "drop --read-dates (--start/--end choose which reads are compared)")
        try:
            slices = reads_as_periods(series)
        except MeterDataError as error:
            _fail(str(error))
        notes = ["the file holds billing-period reads: each read is billed as one period"]
        if start or end:
            try:
                low = parse_date(start, "--start") if start else slices[0].period.start
                high = parse_date(end, "--end") if end else slices[-1].period.end
            except PeriodError as error:
                raise UsageError(str(error)) from None
            inside = tuple(s for s in slices if low <= s.period.start and s.period.end <= high)
            partly = [s.period.label() for s in slices if s not in inside and s.period.start < high and low < s.period.end]
            notes.append(f"--start/--end {low}..{high}: {len(inside)} of {len(slices)} reads lie inside"
                         + (f"; left out, partly outside the range: {', '.join(partly)}" if partly else ""))
            if not inside:
                _fail(f"no billing-period read lies wholly inside {low}..{high} (end exclusive); the reads cover "
                      f"{slices[0].period.start}..{slices[-1].period.end}")
            slices = inside
        return slices, tuple(notes)
    try:
        if read_dates:
            periods, notes = read_date_periods(parse_read_dates(read_dates)), ()
        elif start or end:
            first, last = covered_days(series)
            low = parse_date(start, "--start") if start else first
            high = parse_date(end, "--end") if end else last
            periods, notes = calendar_months(low, high), ()
        else:
            periods, notes = whole_months(series)
    except PeriodError as error:
        raise UsageError(str(error)) from None
    if not periods:
        _fail("; ".join(notes) or "no billing period")
    return split(series, periods), notes


@click.command(name="compare")
@click.argument("options", nargs=-1, metavar="OPTION...")
@click.option("--intervals", "intervals", required=True, type=click.Path(path_type=Path, dir_okay=False),
              help="Green Button XML or CSV interval file.")
@click.option("--start", default=None, help="First day billed (YYYY-MM-DD); periods are calendar months.")
@click.option("--end", default=None, help="Day after the last day billed (YYYY-MM-DD, exclusive).")
@click.option("--read-dates", default=None, help="Meter-read dates: D1,D2,... or a file with one date per line.")
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="A named bill input (repeatable).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True)
@click.option("--plot", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="Write a chart of the bills per period (.svg or .png).")
@click.option("--schedules", "schedules", type=click.Path(path_type=Path), default=None, metavar="DIR",
              help="The schedules tree; default: the schedules shipped with tariffc, or $TARIFFC_SCHEDULES.")
@click.option("--schedules-dir", "schedules_dir", type=click.Path(path_type=Path), default=None, hidden=True)
@click.option("--csv-layout", "layout", type=click.Choice(sorted(NAMED_LAYOUTS)), default=None)
@click.option("--service", type=click.Choice(["electricity", "gas"]), default=None)
@clock_option()
@click.option("--at", "at", default=None, metavar="DATE",
              help="Bill every period at the rates of the versions in effect on DATE (YYYY-MM-DD): "
                   "past usage at today's rates.")
def compare_cmd(options, intervals, start, end, read_dates, settings, fmt, plot, schedules, schedules_dir, layout,
                service, clock, at):
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
    inputs = _settings(settings)
    try:
        candidates = parse_candidates(listed)
    except CompareError as error:
        raise UsageError(str(error)) from None
    schedules_dir = tree.path
    ids = sorted({c.base for c in candidates} | {c.export for c in candidates if c.export})
    biller, by_id = load_tariffs(schedules_dir, ids)
    at_note = None
    if at is not None:
        biller, at_note = _rates_at(biller, ids, at)
    try:
        convert_inputs(inputs, [by_id[i] for i in ids])  # a bad --set is a usage error, found before reading
    except InputError as error:
        raise UsageError(str(error)) from None
    try:
        series = read_with_progress(intervals, layout=layout, service=service, clock=clock,
                                    longest_read_days=max(_max_days(s) for s in by_id.values()))
    except MeterDataError as error:
        _fail(str(error))
    problem = unusable(series)
    if problem:
        _fail(problem)
    slices, period_notes = choose_periods(series, start, end, read_dates)
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
    result = _with_notes(result, period_notes + ((at_note,) if at_note else ()))
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
        write_chart(result, plot)
        click.echo(f"chart written to {plot}", err=True)
    sys.exit(0 if result.results else 1)


compare = compare_cmd  # the name in cli.COMMANDS


def _rates_at(tariffs, ids: list[str], at: str):
    """(biller at the rates in effect on `at`, a note naming the version of each schedule)."""
    from tariffc.compiler.rates_at import RatesAt
    from tariffc.compiler.runtime import BillInputError

    try:
        on = parse_date(at, "--at")
    except PeriodError as error:
        raise UsageError(str(error)) from None
    biller = RatesAt(tariffs, on)
    try:
        labels = [f"{i} {biller.version_label(i)}" for i in ids]
    except BillInputError as error:
        raise UsageError(str(error)) from None
    return biller, (f"--at {on}: every period is billed at the rates in effect on {on} ({', '.join(labels)}), "
                    "with the seasons, weekdays and holidays of the days billed")


def _max_days(schedule) -> int:
    """The longest bill the schedule's billing rule allows (`period ... max N days`)."""
    from tariffc.compiler.meterdata import LONGEST_READ_DAYS

    calendar = getattr(schedule, "calendar", None)
    return calendar.billing.max_days if calendar is not None else LONGEST_READ_DAYS


def _fail(message: str):
    click.echo(f"tariffc compare: {message}", err=True)
    sys.exit(1)


def _with_notes(result: Comparison, notes: tuple[str, ...]) -> Comparison:
    import attrs

    return attrs.evolve(result, notes=tuple(notes) + result.notes) if notes else result


# -- output ----------------------------------------------------------------------------------------

def money(value: Decimal) -> str:
    return f"{value:,.2f}"


def signed(value: Decimal) -> str:
    return "-" if value == 0 else f"+{value:,.2f}"


def qty(value: Decimal | None) -> str:
    if value is None:
        return "-"
    return f"{value.quantize(Decimal('0.001')).normalize():,f}"


def render_text(result: Comparison, series, slices) -> str:
    out = io.StringIO()
    w = out.write
    minutes = interval_minutes(slices)
    first, last = result.periods[0], result.periods[-1]
    kwh = sum((m.kwh for m in result.measures), Decimal(0))
    received = sum((m.received_kwh for m in result.measures), Decimal(0))
    w(f"Rate options for {result.source}\n")
    what = f"{minutes} min" if minutes < 1440 else "a day or longer (billing-period reads)"
    w(f"  data: {len(series):,} readings of {what}; billed {first.start}..{last.end} "
      f"(end exclusive, {series.timezone}) in {len(result.periods)} periods, {sum(p.days for p in result.periods)} days\n")
    w(f"  delivered {qty(kwh)} {result.unit}; received {qty(received)} {result.unit}\n\n")
    if result.results:
        rows = [("rank", "option", "class", "total ($)", "vs cheapest ($)")]
        rows += [(str(r.rank), r.candidate.label, r.customer_class, money(r.total), signed(r.difference))
                 for r in result.results]
        w(_table(rows, right=(0, 3, 4)) + "\n\n")
        w("Bills per period ($)\n")
        minutes = sorted({m.demand_minutes for m in result.measures if m.demand_minutes})
        demand = (f"max kW ({'/'.join(map(str, minutes))} min)",) if minutes else ()
        head = ("period", "days", result.unit) + demand + tuple(r.candidate.label for r in result.results)
        rows = [head]
        for index, measure in enumerate(result.measures):
            rows.append((measure.period.label(), str(measure.period.days), qty(measure.kwh))
                        + ((qty(measure.max_kw),) if demand else ())
                        + tuple(money(r.bills[index].total) for r in result.results))
        rows.append(("total", str(sum(p.days for p in result.periods)), qty(kwh)) + (("",) if demand else ())
                    + tuple(money(r.total) for r in result.results))
        w(_table(rows, right=tuple(range(1, len(head)))) + "\n")
    else:
        w("No option could be billed.\n")
    if result.refused:
        w("\nRefused\n")
        for refusal in result.refused:
            w(f"  {refusal.reason}\n")
    if result.skipped:
        w("\nNot billed: missing data (billed for no option, so the totals stay comparable)\n")
        for period, why in result.skipped:
            w(f"  {period.label()}: {why}\n")
    if result.notes:
        w("\nNotes\n")
        for note in result.notes:
            w(f"  - {note}\n")
    return out.getvalue().rstrip("\n")


def _table(rows, right=()) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines)


def _bill_json(bill) -> dict | None:
    if bill is None:
        return None
    if hasattr(bill, "as_json"):
        return bill.as_json()
    return {"total": str(bill.total)}


def as_json(result: Comparison, slices=()) -> dict:
    return {
        "source": result.source,
        "unit": result.unit,
        "periods": [{"label": m.period.label(), "start": m.period.start.isoformat(), "end": m.period.end.isoformat(),
                     "days": m.period.days, "kwh": str(m.kwh), "received_kwh": str(m.received_kwh),
                     "max_kw": None if m.max_kw is None else str(m.max_kw),
                     "max_kw_minutes": m.demand_minutes} for m in result.measures],
        "options": [{
            "rank": r.rank, "option": r.candidate.label, "schedule": r.candidate.base, "export": r.candidate.export,
            "class": r.customer_class, "title": r.title, "total": str(r.total), "difference": str(r.difference),
            "bills": [{"period": b.period.label(), "start": b.period.start.isoformat(), "end": b.period.end.isoformat(),
                       "total": str(b.total), "base": _bill_json(b.base), "export": _bill_json(b.export)}
                      for b in r.bills],
        } for r in result.results],
        "refused": [{"option": x.candidate.label, "reason": x.reason} for x in result.refused],
        "not_billed": [{"period": p.label(), "start": p.start.isoformat(), "end": p.end.isoformat(), "reason": why}
                       for p, why in result.skipped],
        "notes": list(result.notes),
    }


def as_csv(result: Comparison) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "option", "class", "period", "start", "end", "days", "kwh", "received_kwh",
                     "max_kw", "max_kw_minutes", "bill", "difference", "note"])
    for r in result.results:
        for bill, m in zip(r.bills, result.measures):
            writer.writerow([r.rank, r.candidate.label, r.customer_class, m.period.label(), m.period.start, m.period.end,
                             m.period.days, m.kwh, m.received_kwh, "" if m.max_kw is None else m.max_kw,
                             m.demand_minutes or "", bill.total,
                             "", ""])
        writer.writerow([r.rank, r.candidate.label, r.customer_class, "total", result.periods[0].start,
                         result.periods[-1].end, sum(p.days for p in result.periods),
                         sum((m.kwh for m in result.measures), Decimal(0)),
                         sum((m.received_kwh for m in result.measures), Decimal(0)), "", "", r.total, r.difference, ""])
    for x in result.refused:
        writer.writerow(["", x.candidate.label, "", "", "", "", "", "", "", "", "", "", "", x.reason])
    for period, why in result.skipped:
        writer.writerow(["", "", "", period.label(), period.start, period.end, period.days, "", "", "", "", "", "",
                         f"not billed: {why}"])
    return out.getvalue()


# -- chart -----------------------------------------------------------------------------------------

def write_chart(result: Comparison, path: Path) -> None:
    """Bills per period for each option, grouped bars; SVG or PNG by the suffix. Deterministic SVG
    (no date in the metadata, fixed hash salt) so the same data give the same file."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    plt.rcParams["svg.hashsalt"] = "tariffc"
    labels = [p.label() for p in result.periods]
    count = max(len(result.results), 1)
    width = 0.8 / count
    figure, axes = plt.subplots(figsize=(max(6.0, 0.7 * len(labels) + 2), 4.5))
    for index, option in enumerate(result.results):
        xs = [i - 0.4 + width * (index + 0.5) for i in range(len(labels))]
        ys = [float(b.total) for b in option.bills]  # drawing only: the numbers printed stay exact
        axes.bar(xs, ys, width=width, label=f"{option.candidate.label}  total ${money(option.total)}")
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    axes.set_ylabel("bill ($)")
    axes.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("${x:,.0f}"))
    axes.set_title(f"Bills per period: {Path(result.source).name}", fontsize=10)
    axes.legend(fontsize=8)
    axes.grid(axis="y", alpha=0.3)
    figure.tight_layout()
    kind = path.suffix.lower().lstrip(".")
    metadata = {"Date": None} if kind == "svg" else {"Software": None}
    figure.savefig(path, format=kind, metadata=metadata)
    plt.close(figure)
