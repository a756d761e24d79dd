"""Bill every customer of one dataset part under two versions (an impact) or several schedules (rate
options): the kernel that the single-process driver and Dask both map over the parts.

The billed year. A proposed version has not been in effect for any customer yet, so its impact is
measured the way rate analysts do: the same usage billed under both. Each customer's interval data
for the *test year* — 12 calendar months from the 1st of the `--from` month (or the periods between
given meter-read dates), which must lie inside the current version — is billed period by period
(calendar-month billing periods by default, local dates) under
the current version on its own dates, and, re-dated by whole years into the proposed version's
span, under the proposed version: usage of test-year month m is billed as month m of the proposed
version's year (interval i of the year stays interval i, so each month keeps exactly its usage;
the weekdays fall one day later per year, so a TOU schedule's weekday/weekend split can move a few
hours between periods). Years of different length (one holds Feb 29) are refused.

Per customer, before billing (each a refusal with a reason, counted, never a silent drop):
- `split`: the customer id is in several parts of the dataset (found by `layout.check_dataset`
  before billing; `driver.run` refuses it, and `bill_part` skips its rows in every part);
- `unit`: energy not in the schedule's unit (Wh for electric schedules, millitherms for gas);
- `mixed_intervals`: more than one interval length;
- `overlap`: two readings covering the same time (or the same start twice), by the one rule of
  meterdata/collisions.py (so daily reads meeting an hour apart at a DST change are not overlaps);
- `outside_year`: no data in the test year (the data lie outside the versions' dates);
- `missing_data`: the test year is not fully covered (gaps, or data that stop early);
- `demand_resolution`: a demand schedule with intervals longer than its demand interval
  (hourly data cannot show a 15-minute maximum demand);
- `bill_input`: the bill functions refused the input (e.g. a schedule needing `green_option` that
  neither `--set` nor the customer's column in customers.csv gives), with their message.
Energy received from the customer (export) is not billed by the base schedules and is ignored.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler.bulk import dataset
from tariffc.compiler.bulk.backend import TIMEZONE, Grid, choose, local_midnight
from tariffc.compiler.bulk.synth import add_months
from tariffc.compiler.meterdata.collisions import clash_mask

REASONS = ("split", "unit", "mixed_intervals", "overlap", "outside_year", "missing_data", "demand_resolution",
           "bill_input")


class PlanError(ValueError):
    """A run that cannot be billed at all (unknown schedule or version, bad year): exit 1, nothing billed."""


@attrs.frozen(kw_only=True)
class Billing:
    """One column of bills: a schedule under the version in effect on `on`, billed on `year_start`."""

    label: str  # "current", "proposed", or the schedule id (rate options)
    schedule: str
    version: str
    year_start: dt.date
    periods: tuple[tuple[dt.date, dt.date], ...] = ()  # the test year's periods re-dated to this column


@attrs.frozen(kw_only=True)
class Plan:
    """What a run bills; picklable, built once by `make_plan` and shipped to every worker."""

    schedules_dir: str
    mode: str  # "impact" (two versions of one schedule) or "options" (several schedules)
    test_year: dt.date  # first day of the test year
    months: int  # bills per customer (calendar months, or read-date periods)
    columns: tuple[Billing, ...]
    values: tuple[tuple[str, str], ...] = ()
    backend: str | None = None  # None: vector if installed; "scalar" / "vector" to insist
    unit: str = dataset.WH
    quantity: str = "kwh"  # or "therms"
    needs_grid: bool = False  # TOU or demand: bill the interval grid, not monthly totals
    demand_minutes: int | None = None
    periods: tuple[tuple[dt.date, dt.date], ...] = ()  # the test year's billing periods (local dates)
    read_dates: bool = False  # periods from meter-read dates instead of calendar months
    judged: tuple[int, ...] = ()  # the columns whose schedule has a bound judged over history (A.)


def make_plan(tariffs, *, schedules_dir, schedules: list[str], current: dt.date, proposed: dt.date | None,
              values: dict | None = None, months: int = 12, backend: str | None = None,
              read_dates: list[dt.date] | None = None) -> Plan:
    """Resolve versions and years; PlanError names what is wrong (an unknown version, a leap-year mismatch).
    `read_dates` (ascending local dates) bill the periods between consecutive reads instead of the 12
    calendar months from `current`; the test year then runs from the first read to the last."""
    from tariffc.compiler.compare import bills_demand, demand_minutes, is_time_of_use  # noqa: PLC0415
    from tariffc.compiler.rates import NoVersion, version_on  # noqa: PLC0415

    if read_dates:
        if len(read_dates) < 2 or any(b <= a for a, b in zip(read_dates, read_dates[1:])):
            raise PlanError("read dates must be at least two dates in ascending order")
        periods = tuple(zip(read_dates, read_dates[1:]))
    else:
        periods = tuple(month_periods(current.replace(day=1), months))
    test_year, year_end = periods[0][0], periods[-1][1]
    ir = {}
    for sid in schedules:
        try:
            ir[sid] = tariffs.schedule(sid)
        except LookupError as exc:
            raise PlanError(str(exc.args[0] if exc.args else exc)) from None

    def column(label, sid, on):
        try:
            version = version_on(ir[sid], on)
        except NoVersion as exc:
            raise PlanError(str(exc)) from None
        shift = 0
        while _shift(test_year, shift) < version.effective:
            shift += 1
        try:
            moved = tuple((_shift(a, shift), _shift(b, shift)) for a, b in periods)
        except ValueError:
            raise PlanError(f"{sid}: a read date on Feb 29 cannot be re-dated by {shift} years") from None
        start, end = moved[0][0], moved[-1][1]
        if version.ends is not None and end > version.ends:
            raise PlanError(f"{sid}: version {version.label} stops applying on {version.ends}; the billed year "
                            f"{start}..{end} does not fit in it (choose another --from)")
        if (end - start).days != (year_end - test_year).days:
            raise PlanError(f"{sid}: the test year {test_year}..{year_end} has {(year_end - test_year).days} days "
                            f"but {start}..{end} has {(end - start).days} (Feb 29); choose a test year that "
                            "re-dates onto a year of the same length")
        return Billing(label=label, schedule=sid, version=version.label, year_start=start, periods=moved)

    if len(schedules) == 1:
        if proposed is None:
            raise PlanError("give --to DATE (the proposed rates)")
        first = column("current", schedules[0], current)
        if first.year_start != test_year:
            raise PlanError(f"--from {current}: the test year must lie inside the current version "
                            f"(version {first.version} starts after {test_year})")
        columns = (first, column("proposed", schedules[0], proposed))
        mode = "impact"
    else:
        on = proposed or current
        columns = tuple(column(sid, sid, on) for sid in schedules)
        mode = "options"
    utilities = {ir[sid].utility for sid in schedules}
    if len(utilities) > 1:
        raise PlanError(f"schedules of different utilities ({', '.join(sorted(utilities))}) cannot bill the same data")
    gas = utilities == {"gas"}
    needs_grid = any(is_time_of_use(ir[s]) or bills_demand(ir[s]) for s in schedules)
    minutes = [m for m in (demand_minutes(ir[s], c.year_start) for s, c in zip(schedules, columns)
                           if bills_demand(ir[s])) if m]
    from tariffc.compiler.bulk.eligibility import history_limits  # noqa: PLC0415

    judged = tuple(i for i, c in enumerate(columns) if history_limits(ir[c.schedule]))
    return Plan(schedules_dir=str(schedules_dir), mode=mode, test_year=test_year, months=len(periods),
                columns=columns, periods=periods, read_dates=bool(read_dates), judged=judged,
                values=tuple(sorted((values or {}).items())), backend=backend,
                unit=dataset.MTHERM if gas else dataset.WH, quantity="therms" if gas else "kwh",
                needs_grid=needs_grid, demand_minutes=min(minutes) if minutes else None)


@attrs.frozen
class Refusal:
    customer: str
    reason: str  # one of REASONS
    message: str


@attrs.frozen
class CustomerResult:
    customer: str
    customer_class: str
    usage: int  # test-year energy: Wh (or millitherms)
    months: int
    totals: tuple[Decimal, ...]  # one per plan column: the sum of its monthly bills (each rounded)
    # one per plan column: (status, reason) of its schedule's bounds judged over the year
    # (compiler/bulk/eligibility.py); ("", "") for a schedule without such a bound
    applicability: tuple[tuple[str, str], ...] = ()


_TARIFFS: dict[str, object] = {}


def _tariffs(schedules_dir: str):
    """One Tariffs per process (a Dask worker compiles each schedule once, then reuses it)."""
    if schedules_dir not in _TARIFFS:
        from tariffc.compiler.api import Tariffs  # noqa: PLC0415

        _TARIFFS[schedules_dir] = Tariffs.load(schedules_dir)
    return _TARIFFS[schedules_dir]


def _shift(day: dt.date, years: int) -> dt.date:
    return day.replace(year=day.year + years)


_CUSTOMERS: dict[tuple[str, int], dict] = {}


def _customer_info(root: str) -> dict:
    """customers.csv of the dataset at `root`, read once per process (a Dask worker reads it once, not
    once per task, and nothing large travels with each task)."""
    path = Path(root) / "customers.csv"
    key = (root, path.stat().st_mtime_ns if path.is_file() else 0)
    if key not in _CUSTOMERS:
        _CUSTOMERS[key] = dataset.customers(Path(root))
    return _CUSTOMERS[key]


def month_periods(start: dt.date, months: int) -> list[tuple[dt.date, dt.date]]:
    return [(add_months(start, i), add_months(start, i + 1)) for i in range(months)]


def bill_part(path: str | Path, plan: Plan, customer_info: dict | None = None, timings: dict | None = None,
              skip: frozenset = frozenset()) -> tuple[list[CustomerResult], list[Refusal]]:
    """Bill every customer in one part. Returns (results, refusals), each sorted by customer.
    `customer_info` (customer → customers.csv record) defaults to the part's dataset's customers.csv.
    `timings`, if given, accumulates seconds per stage: read, check, bill (for benchmarks).
    `skip`: customer ids not billed here (refused by the caller: ids found in several parts).
    The part's schema is the caller's to check first (`layout.check_dataset`); a null, or a start
    that is not a whole second, raises DatasetError naming the part and the column."""
    import time  # noqa: PLC0415

    import numpy as np  # noqa: PLC0415

    clock = time.perf_counter()
    table = dataset.read_part(Path(path), ["customer", "start", "seconds", "value", "unit", "direction"])
    table = _decoded(table, path)
    if customer_info is None:
        customer_info = _customer_info(str(Path(path).parent.parent))
    clock = _lap(timings, "read", clock)
    names, codes = table["customer"]
    start = table["start"]
    step_codes = np.diff(codes)
    if np.any(step_codes < 0):  # parts are written grouped by customer; `_check` sorts within a customer
        order = np.lexsort((start, codes))
        codes = codes[order]
        table = {key: (value if key in ("customer", "unit", "direction") else value[order])
                 for key, value in table.items()}
        table["unit"] = (table["unit"][0], table["unit"][1][order])
        table["direction"] = (table["direction"][0], table["direction"][1][order])
    cut = np.flatnonzero(np.diff(codes)) + 1
    # a part with no rows holds no customer (not one customer with no readings)
    lows = np.concatenate(([0], cut)) if len(codes) else np.zeros(0, dtype=np.int64)
    highs = np.concatenate((cut, [len(codes)])) if len(codes) else np.zeros(0, dtype=np.int64)
    w0 = local_midnight(plan.periods[0][0])
    w1 = local_midnight(plan.periods[-1][1])
    accepted: dict[int, list[tuple[str, object]]] = {}  # interval seconds -> [(customer, wh row)]
    refusals: list[Refusal] = []
    regular = _regular_customers(table, lows, highs, plan, w0, w1)
    for lo, hi in zip(lows, highs):
        name = names[codes[lo]]
        if name in skip:
            continue
        if lo in regular:
            seconds = regular[lo]
            accepted.setdefault(seconds, []).append((name, table["value"][lo:hi]))
            continue
        verdict = _check(name, table, lo, hi, plan, w0, w1)
        if isinstance(verdict, Refusal):
            refusals.append(verdict)
        else:
            seconds, row = verdict
            accepted.setdefault(seconds, []).append((name, row))
    clock = _lap(timings, "check", clock)
    results: list[CustomerResult] = []
    tariffs = _tariffs(plan.schedules_dir)
    backend = choose(tariffs, plan.backend)
    for seconds, members in sorted(accepted.items()):
        for values, group in _by_inputs(members, plan, customer_info):
            got, refused = _bill_group(tariffs, backend, plan, seconds, group, values, w0, customer_info)
            results.extend(got)
            refusals.extend(refused)
    _lap(timings, "bill", clock)
    return sorted(results, key=lambda r: r.customer), sorted(refusals, key=lambda r: r.customer)


def _lap(timings: dict | None, stage: str, since: float) -> float:
    import time  # noqa: PLC0415

    now = time.perf_counter()
    if timings is not None:
        timings[stage] = timings.get(stage, 0.0) + now - since
    return now


def _decoded(table, path) -> dict:
    import numpy as np  # noqa: PLC0415
    import pyarrow as pa  # noqa: PLC0415
    import pyarrow.compute as pc  # noqa: PLC0415

    for name in table.column_names:
        if table.column(name).null_count:
            raise dataset.DatasetError(f"{path}: column `{name}` has {table.column(name).null_count:,} empty (null) "
                                       "values; every interval row needs all of customer, start, seconds, value, "
                                       "unit, direction")

    def dictionary(column):
        column = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
        if not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        return column.dictionary.to_pylist(), column.indices.to_numpy(zero_copy_only=False).astype(np.int64)

    start = table.column("start")
    per_second = {"s": 1, "ms": 1000, "us": 1_000_000, "ns": 1_000_000_000}[start.type.unit]
    start = start.cast(pa.int64()).to_numpy()  # UTC instants (a timestamp with any zone is stored as UTC)
    if per_second > 1:  # the layout's starts are whole seconds; a finer one is refused, never truncated
        if np.any(start % per_second):
            raise dataset.DatasetError(f"{path}: column `start` holds starts that are not whole seconds; the layout "
                                       "holds interval starts in whole seconds (timestamp[s, tz=UTC])")
        start = start // per_second
    return {
        "customer": dictionary(table.column("customer")),
        "start": start,
        "seconds": table.column("seconds").cast(pa.int64()).to_numpy(),
        "value": table.column("value").cast(pa.int64()).to_numpy(),
        "unit": dictionary(table.column("unit")),
        "direction": dictionary(table.column("direction")),
    }


def _regular_customers(table, lows, highs, plan, w0, w1) -> dict[int, int]:
    """The fast path, checked for all customers at once: {first row: interval seconds} of customers whose
    rows are exactly the test-year grid (one interval length, delivered, the schedule's unit, no gap,
    no overlap, nothing outside). Everyone else goes through `_check` one by one, for the reason."""
    import numpy as np  # noqa: PLC0415

    unit_names, unit_codes = table["unit"]
    dir_names, dir_codes = table["direction"]
    if len(unit_names) != 1 or unit_names != [plan.unit] or dir_names != ["delivered"] or len(lows) == 0:
        return {}
    seconds = table["seconds"]
    step = int(seconds[0])
    if not np.all(seconds == step) or (w1 - w0) % step or (plan.demand_minutes and step > plan.demand_minutes * 60):
        return {}
    count = (w1 - w0) // step
    sizes = highs - lows
    candidates = lows[sizes == count]
    if len(candidates) == 0:
        return {}
    if len(candidates) == len(lows):  # every customer has exactly a year of rows: 2-D views, no copy
        starts = table["start"].reshape(-1, count)
        values = table["value"].reshape(-1, count)
    else:
        starts = table["start"][candidates[:, None] + np.arange(count)[None, :]]
        values = table["value"][candidates[:, None] + np.arange(count)[None, :]]
    good = np.all(starts == np.arange(w0, w1, step)[None, :], axis=1) & np.all(values >= 0, axis=1)
    return {int(lo): step for lo in candidates[good]}


def _check(name, table, lo, hi, plan, w0, w1):
    """(interval seconds, Wh row over the test year) or a Refusal."""
    import numpy as np  # noqa: PLC0415

    unit_names, unit_codes = table["unit"]
    dir_names, dir_codes = table["direction"]
    delivered = dir_names.index("delivered") if "delivered" in dir_names else -1
    keep = np.arange(lo, hi)[dir_codes[lo:hi] == delivered]
    keep = keep[np.argsort(table["start"][keep], kind="stable")]  # the customer's rows in time order
    if len(keep) == 0:
        return Refusal(name, "outside_year", "no energy delivered to the customer in the data")
    codes, counts = np.unique(unit_codes[keep], return_counts=True)
    units = {unit_names[u]: int(n) for u, n in zip(codes, counts)}
    if set(units) != {plan.unit}:
        held = " and ".join(f"{unit} ({n:,} rows)" for unit, n in sorted(units.items()))
        what = "electricity (Wh)" if plan.unit == dataset.WH else "gas (millitherms)"
        advice = ("one id carries two meters' readings: give the electric and the gas meter their own ids"
                  if len(units) > 1 else "bill it with a schedule for its energy")
        return Refusal(name, "unit", f"energy in {held}; the schedule bills {what}: {advice}")
    seconds = np.unique(table["seconds"][keep])
    if len(seconds) > 1:
        return Refusal(name, "mixed_intervals", "mixed interval lengths: "
                       + ", ".join(f"{int(s)} s" for s in seconds) + "; bill each length as its own dataset")
    step = int(seconds[0])
    starts = table["start"][keep]
    # duplicates and overlaps, by the readers' rule, in the zone the bulk grid is read in (backend.py)
    clashes = np.flatnonzero(clash_mask(starts, step, ZoneInfo(TIMEZONE)))
    if len(clashes):
        at = int(clashes[0]) - 1
        return Refusal(name, "overlap", f"overlapping readings: {_utc(starts[at])} ({step} s) and "
                       f"{_utc(starts[at + 1])}")
    inside = (starts >= w0) & (starts < w1)
    if not inside.any():
        return Refusal(name, "outside_year", f"no data in the billed year {_utc(w0)}..{_utc(w1)} (the data run "
                       f"{_utc(starts[0])}..{_utc(starts[-1] + step)})")
    count = (w1 - w0) // step
    chosen = starts[inside]
    if len(chosen) != count or chosen[0] != w0 or (w1 - w0) % step:
        expected = np.arange(w0, w1, step)
        missing = np.setdiff1d(expected, chosen, assume_unique=True)
        first = _utc(missing[0]) if len(missing) else _utc(chosen[0])
        return Refusal(name, "missing_data", f"the billed year is not fully covered: {len(missing)} of {count} "
                       f"intervals missing, the first at {first}")
    if plan.demand_minutes and step > plan.demand_minutes * 60:
        return Refusal(name, "demand_resolution", f"{step // 60}-minute data cannot show the "
                       f"{plan.demand_minutes}-minute maximum demand the schedule bills")
    values = table["value"][keep][inside]
    if np.any(values < 0):
        return Refusal(name, "bill_input", f"negative energy {int(values[values < 0][0])} at "
                       f"{_utc(chosen[int(np.flatnonzero(values < 0)[0])])}")
    return step, values.astype(np.int64)


def _utc(epoch) -> str:
    try:
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")
    except (OverflowError, OSError, ValueError):  # beyond years 1..9999: say the number as stored
        return f"{int(epoch)} s after 1970-01-01T00:00Z"


def _by_inputs(members, plan: Plan, customer_info: dict):
    """Groups of customers sharing their named inputs: --set values, then customers.csv columns."""
    base = dict(plan.values)
    groups: dict[tuple, list] = {}
    for name, row in members:
        info = customer_info.get(name, {})
        own = {k: v for k, v in info.items() if k not in ("customer", "class", "source") and v not in (None, "")}
        key = tuple(sorted({**base, **own}.items()))
        groups.setdefault(key, []).append((name, row))
    return [(dict(key), group) for key, group in sorted(groups.items())]


def _bill_group(tariffs, backend, plan: Plan, seconds: int, group, values, w0, customer_info):
    import numpy as np  # noqa: PLC0415

    from tariffc.compiler.runtime import BillInputError  # noqa: PLC0415

    wh = np.stack([row for _, row in group])
    grid = Grid(start=w0, seconds=seconds, count=wh.shape[1])
    edges = [(local_midnight(a) - w0) // seconds for a, _ in plan.periods]
    monthly = np.add.reduceat(wh, edges, axis=1) if not plan.needs_grid else None
    columns = []
    for column in plan.columns:
        schedule = tariffs.schedule(column.schedule)
        periods = list(column.periods)
        try:
            if plan.needs_grid:
                totals = backend.bill_grid(schedule, periods, grid.shifted(local_midnight(column.year_start)), wh,
                                           values=values or None)
            else:
                totals = backend.bill_totals(schedule, periods, values=values or None, **{plan.quantity: monthly})
        except (BillInputError, ValueError) as exc:
            message = f"{column.schedule} version {column.version}: {exc}"
            return [], [Refusal(name, "bill_input", message) for name, _ in group]
        columns.append(totals)
    usage = wh.sum(axis=1)
    verdicts = _applicability(tariffs, plan, seconds, wh, edges, values)
    results = []
    for c, (name, _) in enumerate(group):
        sums = tuple(sum((t.total(c, b) for b in range(plan.months)), Decimal(0)) for t in columns)
        results.append(CustomerResult(customer=name, customer_class=customer_info.get(name, {}).get("class", ""),
                                      usage=int(usage[c]), months=plan.months, totals=sums,
                                      applicability=tuple(column[c] for column in verdicts)))
    return results, []


def _applicability(tariffs, plan: Plan, seconds: int, wh, edges, values) -> list[list[tuple[str, str]]]:
    """Per plan column, per customer: the column's A. bounds judged over the test year (eligibility.py)."""
    from tariffc.compiler.bulk.eligibility import judge_customers  # noqa: PLC0415

    if not plan.judged:
        return []
    labels = [a.strftime("%Y-%m") if not plan.read_dates else f"{a}..{b}" for a, b in plan.periods]
    return [judge_customers(tariffs.schedule(column.schedule), wh, seconds, edges, labels, plan.demand_minutes,
                            values or {}) if i in plan.judged else [("", "")] * wh.shape[0]
            for i, column in enumerate(plan.columns)]
