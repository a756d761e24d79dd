"""The vectorised exact bill backend (numpy): many bills at once, equal to the scalar bill functions.

    from tariffc.compiler.vector import TimeGrid, bill_grid, bill_intervals, bill_totals, monthly_periods

Inputs are integer arrays: energy in Wh, demand in W, gas in millitherms (thousandths of the billed
unit), instants in UTC epoch seconds. Results are exact (integer fixed point with an overflow guard,
see `compiler/runtime/vector.py`) and equal, amount by amount and line by line, to what the scalar bill function
computes; the total is rounded once, by the schedule's rule. See docs/vector.md.

Needs numpy: ``pip install 'tariffc[fast]'``.
"""

from __future__ import annotations

try:
    import numpy as np
except ImportError as exc:  # pragma: no cover - the plain install has no numpy
    raise ImportError("the vectorised backend needs numpy: pip install 'tariffc[fast]'") from exc

import datetime as dt

from tariffc.compiler.vector import _scalar, plan as _plan, structure as _structure
from tariffc.compiler.vector.errors import VectorUnsupported
from tariffc.compiler.vector.refusals import located_refusals
from tariffc.compiler.vector.evaluate import TABLES
from tariffc.compiler.runtime.vector import TimeGrid
from tariffc.compiler.vector.results import VectorBills
from tariffc.compiler.vector.sources import _UNIONS, READY, STRUCTURES, IntervalSource, TotalsSource, \
    clear_cache as _clear_sources

__all__ = ["TimeGrid", "VectorBills", "VectorUnsupported", "bill_arrays", "bill_grid", "bill_intervals",
           "bill_series", "bill_totals", "clear_cache", "differential_backend", "monthly_periods"]


def clear_cache(plans: bool = False) -> None:
    """Forget every cached grid classification (the clock, interval layouts, TOU groupings, demand
    windows); with `plans=True` also the schedule plans (period tables built from the IR clauses,
    which depend on the schedule and the named inputs, never on a grid)."""
    _clear_sources()
    if plans:
        TABLES.clear()
        _UNIONS.clear()
        _plan.PLANS.clear()


def monthly_periods(first: dt.date, last: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Calendar-month billing periods [first of month, first of next month) from the month of
    `first` through the month of `last`."""
    out = []
    day = dt.date(first.year, first.month, 1)
    while day <= last:
        nxt = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
        out.append((day, nxt))
        day = nxt
    return out


def _calendar(schedule):
    cal = schedule.calendar
    return (cal.timezone if cal else "America/Los_Angeles"), tuple(cal.holidays if cal else ())


@located_refusals
def bill_totals(schedule, periods, *, kwh=None, kw=None, therms=None, exported_kwh=None, values=None) -> VectorBills:
    """Bills of C customers x B periods from per-bill totals.

    `schedule`: the checked IR (`Tariffs.schedule(id)`); `periods`: B (start, end) dates, [start,
    end); each given quantity an integer array (C, B): `kwh` and `exported_kwh` in Wh, `kw` in W,
    `therms` in millitherms. `values`: the named inputs (as `Tariffs.bill`), shared by all.
    Raises BillInputError as the scalar path (missing quantity, period refused, bad input) and
    VectorUnsupported for what this backend does not compute (TOU energy needs interval data)."""
    s = _structure.build(schedule, periods, values)
    shape = None
    for value in (kwh, kw, therms, exported_kwh):
        if value is not None:
            shape = np.shape(value)
            break
    if shape is None:
        shape = (1, len(s.bills))
    if len(shape) != 2 or shape[1] != len(s.bills):
        raise _scalar.BillInputError("kwh", f"shape {shape}", f"expected (customers, {len(s.bills)}) totals")
    _scalar.refuse_unbilled(schedule, {"kwh": kwh, "kw": kw, "therms": therms, "exported_kwh": exported_kwh})
    source = TotalsSource(shape, kwh=kwh, kw=kw, therms=therms, exported_kwh=exported_kwh)
    return VectorBills(_plan.evaluate(s, source, _plan_key(schedule, periods, values, source)))


@located_refusals
def bill_grid(schedule, periods, grid: TimeGrid, wh, values=None, *, therms=None, exported_kwh=None,
              cache: bool = True) -> VectorBills:
    """Bills of C customers x B periods from interval Wh on a shared grid.

    `wh`: integer array (C, grid.count) (or (grid.count,) for one customer), Wh delivered in each
    interval; `therms`, `exported_kwh`: optional per-bill totals (C, B) as in `bill_totals` (a
    demand total is not taken with interval data, as in the scalar path). The grid must tile each billing period (local midnight to local midnight). The grid's
    classification (local time, day, holiday, season, version, TOU period, demand window) is cached
    by (grid, calendar, schedule, periods); `cache=False` classifies afresh and stores nothing."""
    periods = _listed(periods)
    plain = cache and not values and therms is None and exported_kwh is None
    if plain:  # a grid billed before with this schedule and these periods: straight to its kernel
        ready_key = (id(schedule), grid, periods)
        try:
            hash(ready_key)
        except TypeError:  # periods of unhashable things: structure.build refuses or reads them
            plain = False
    if plain:
        ready = READY.get(ready_key)
        if ready is not None and ready[0] is schedule:
            found = _bill_ready(ready, grid, wh)
            if found is not None:
                return found
    key = _key(schedule, periods, values)
    s = _structure_of(schedule, periods, values, cache, key)
    timezone, holidays = _calendar(schedule)
    if grid.timezone != timezone:
        raise _scalar.BillInputError("grid.timezone", grid.timezone, f"schedule {schedule.id} runs on "
                                                                     f"{timezone} time")
    _scalar.refuse_unbilled(schedule, {"intervals": True, "therms": therms, "exported_kwh": exported_kwh})
    source = IntervalSource(grid, wh, s, holidays, _scalar.holidays_in, cache=cache, therms=therms,
                            exported_kwh=exported_kwh)
    plan_key = None if key is None else key + ("IntervalSource", ())
    ev = _plan.evaluate(s, source, plan_key, cache=cache)
    if plain and plan_key is not None and getattr(ev, "_values", 0) is None:  # billed by a kernel: keep it ready
        plan, kern, dens = source.layout.groups.get(("kernel", plan_key), (None, None, None))
        if kern is not None and plan is ev.plan:
            READY[ready_key] = (schedule, s, source.layout, plan, kern, dens)
    return VectorBills(ev)


def _bill_ready(ready, grid: TimeGrid, wh):
    """`bill_grid` by a kernel kept ready for (schedule, grid, periods) with no named inputs or
    other totals (every check of the readings the kernel makes as always), or None when `wh` is not
    plain int64 readings of the grid's shape or the kernel declines (the general path then bills
    or refuses it)."""
    _, s, layout, plan, kern, dens = ready
    if type(wh) is not np.ndarray or wh.dtype != np.int64:
        return None
    if wh.ndim == 1:
        wh = wh[None, :]
    if wh.ndim != 2 or wh.shape[1] != grid.count:
        return None
    source = IntervalSource.on_layout(grid, wh, s, layout)
    fused = _plan.kernel_total(kern, source, plan.step, plan.mode)
    if fused is None:
        return None
    return VectorBills(_plan.PlannedEvaluation(s, source, plan, None, True, (dens, fused)))


def _listed(periods):
    """The periods as a tuple, each pair a tuple: an iterator is read once (not emptied by the first
    cache key), and a list or numpy array of pairs can key the caches (breaker2: lists raised
    `unhashable type`, a generator was billed as no periods). What is not iterable is passed on
    for `structure.build` to refuse."""
    try:
        return tuple(tuple(p) if isinstance(p, (list, np.ndarray)) else p for p in periods)
    except TypeError:
        return periods


def _key(schedule, periods, values):
    """(schedule, periods, named inputs) as a cache key, or None when an input is not hashable."""
    try:
        key = (id(schedule), tuple(periods), tuple(sorted((values or {}).items())))
        hash(key)
    except TypeError:
        return None
    return key


def _plan_key(schedule, periods, values, source):
    """The compiled plan's key: it depends on the schedule, the periods, the named inputs and the
    kind of source (which quantities it measures), never on a grid or a customer."""
    key = _key(schedule, periods, values)
    if key is None:
        return None
    given = tuple(sorted(getattr(source, "_q", {}))) if not source.intervals else ()
    return key + (type(source).__name__, given)


def _structure_of(schedule, periods, values, cache: bool, key=False):
    """The periods' structure, cached with the grid classification (it depends on the schedule, the
    periods and the named inputs only); `key`: `_key(...)` when the caller has it."""
    key = (_key(schedule, periods, values) if key is False else key) if cache else None
    if key is None:
        return _structure.build(schedule, periods, values)
    return STRUCTURES.get_or(key, lambda: _structure.build(schedule, periods, values))


@located_refusals
def bill_intervals(schedule, periods, *, start: int, seconds: int, wh, values=None, therms=None,
                   exported_kwh=None, cache: bool = True):
    """One customer's interval data (Wh, shape (n,), interval i starting at start + i*seconds, UTC
    epoch seconds) → one `Bill` per period, equal to the scalar bill function's. `therms`,
    `exported_kwh`: optional per-bill totals, shape (B,), in millitherms / Wh."""
    timezone, _ = _calendar(schedule)
    wh = np.asarray(wh)
    if wh.ndim != 1:
        raise _scalar.BillInputError("intervals", f"shape {wh.shape}", "expected one customer's intervals (n,)")
    grid = TimeGrid(int(start), int(seconds), int(wh.shape[0]), timezone)
    extra = {name: None if value is None else np.asarray(value)[None, :]
             for name, value in (("therms", therms), ("exported_kwh", exported_kwh))}
    result = bill_grid(schedule, periods, grid, wh[None, :], values, cache=cache, **extra)
    return [result.bill(0, b) for b in range(len(result.periods))]


def bill_series(schedule, periods, series, values=None):
    """The meter readers' `IntervalSeries` (delivered kWh, a regular grid) → one `Bill` per period."""
    from tariffc.compiler.vector.series import series_arrays  # noqa: PLC0415

    start, seconds, wh = series_arrays(series)
    return bill_intervals(schedule, periods, start=start, seconds=seconds, wh=wh, values=values)


def bill_arrays(schedule, start, end, intervals, values=None, therms=None, exported_kwh=None):
    """One bill [start, end) from interval arrays through the vector path, or None when the scalar
    path should take it (the caller then does, and gives its own refusals): `intervals` an
    `IntervalArrays` (or a mapping start/seconds/wh) or a meter reader's `IntervalSeries` whose
    delivered kWh readings are on one grid in whole Wh, covering exactly [start 00:00, end 00:00)
    local time. `therms`, `exported_kwh`: exact totals or None. Used by `Tariffs.bill`.

    None only for the vector path's declared refusals: inputs not in its form (checked here, before
    it runs), `VectorUnsupported` (a layout or feature it does not compute) and `BillInputError`
    (data it refuses: the scalar path refuses them with its own message and `.tariff` line). Any
    other exception is a fault of the vector path and propagates: it never hides behind the slow
    path."""
    form = _array_form(schedule, start, end, intervals, therms, exported_kwh)
    if form is None:
        return None
    start, end, first, seconds, wh, extra = form
    try:
        (bill,) = bill_intervals(schedule, [(start, end)], start=first, seconds=seconds, wh=wh, values=values,
                                 **extra)
    except (VectorUnsupported, _scalar.BillInputError):
        return None
    return bill


def _array_form(schedule, start, end, intervals, therms, exported_kwh):
    """(start, end, first instant, seconds, wh, extra totals) when the inputs are in the vector
    path's form, else None (the scalar path types and refuses them)."""
    from decimal import Decimal, InvalidOperation  # noqa: PLC0415
    from fractions import Fraction  # noqa: PLC0415

    from tariffc.compiler.runtime.vector import local_midnight_utc  # noqa: PLC0415

    if hasattr(intervals, "readings"):
        from tariffc.compiler.vector.series import series_arrays  # noqa: PLC0415

        try:
            first, seconds, wh = series_arrays(intervals)
        except _scalar.BillInputError:
            return None  # not one grid of whole Wh: the scalar path bills the readings
    else:
        if isinstance(intervals, dict):
            if set(intervals) != {"start", "seconds", "wh"}:
                return None
            first, seconds, raw = intervals["start"], intervals["seconds"], intervals["wh"]
        elif all(hasattr(intervals, k) for k in ("start", "seconds", "wh")):
            first, seconds, raw = intervals.start, intervals.seconds, intervals.wh
        else:
            return None
        if isinstance(first, bool) or not isinstance(first, (int, np.integer)) or \
                isinstance(seconds, bool) or not isinstance(seconds, (int, np.integer)):
            return None
        if not isinstance(raw, np.ndarray):
            if not isinstance(raw, (list, tuple)):
                return None
            try:
                raw = np.asarray(raw)
            except (ValueError, TypeError, OverflowError):
                return None  # ragged, or not numbers: the scalar input layer names the problem
        wh = raw
        if wh.dtype.kind not in "iu":
            return None
    if not isinstance(start, dt.date) or not isinstance(end, dt.date) or isinstance(start, dt.datetime) or \
            isinstance(end, dt.datetime):
        try:
            start, end = dt.date.fromisoformat(str(start)), dt.date.fromisoformat(str(end))
        except ValueError:
            return None
    timezone, _ = _calendar(schedule)
    if wh.ndim != 1 or seconds <= 0 or seconds % 60 or end <= start or \
            int(first) != local_midnight_utc(start, timezone) or \
            int(first) + int(seconds) * wh.size != local_midnight_utc(end, timezone):
        return None
    extra = {}
    for name, value in (("therms", therms), ("exported_kwh", exported_kwh)):
        if value is not None:
            try:
                scaled = Fraction(Decimal(value) if not isinstance(value, Fraction) else value) * 1000
            except (InvalidOperation, TypeError, ValueError):
                return None  # not a number: the scalar input layer refuses it by name
            if scaled.denominator != 1 or abs(scaled) > 2**62:
                return None  # not whole thousandths (or beyond int64): the scalar path bills it exactly
            extra[name] = np.array([int(scaled)], dtype=np.int64)
    return start, end, int(first), int(seconds), wh, extra


def differential_backend(schedule, inputs):
    """One `BillInputs` through the vectorised backend, for the differential test
    (tests/compiler/test_differential.py). Totals must be whole thousandths (Wh, W, millitherms)
    and interval data one regular grid in whole Wh, else VectorUnsupported (the test skips this
    backend for that example); data that do not tile the period are refused as the scalar path
    refuses them."""
    from fractions import Fraction  # noqa: PLC0415

    from tariffc.compiler.runtime.vector import local_midnight_utc  # noqa: PLC0415

    def thousandths(name, value, shape):
        if value is None:
            return None
        scaled = Fraction(value) * 1000
        if scaled.denominator != 1:
            raise VectorUnsupported(f"{name} = {value} is not a whole number of thousandths")
        return np.full(shape, int(scaled), dtype=object if abs(scaled) > 2**62 else np.int64)

    period = [(inputs.start, inputs.end)]
    values = dict(inputs.values or {})
    if inputs.intervals is None:
        result = bill_totals(schedule, period, values=values,
                             **{name: thousandths(name, getattr(inputs, name), (1, 1))
                                for name in ("kwh", "kw", "therms", "exported_kwh")})
        return result.bill(0, 0)
    for name in ("kwh", "kw"):
        if getattr(inputs, name) is not None:
            raise _scalar.BillInputError(name, _scalar.show(getattr(inputs, name)),
                                         "give totals or interval data, not both")
    items = sorted(inputs.intervals, key=lambda i: i.start)
    if not items:
        raise _scalar.BillInputError("intervals", "none", "no interval data for the period")
    seconds = items[0].seconds
    first = int(items[0].start.timestamp())
    if seconds <= 0 or seconds % 60 or any(i.seconds != seconds or int(i.start.timestamp()) != first + k * seconds
                                           for k, i in enumerate(items)):
        raise VectorUnsupported("interval data not on one regular grid")
    wh = np.array([thousandths("intervals", i.kwh, ()) for i in items])
    if wh.dtype == object:
        raise VectorUnsupported("interval values beyond int64 Wh")
    timezone, _ = _calendar(schedule)
    if first != local_midnight_utc(inputs.start, timezone) or \
            first + seconds * len(items) != local_midnight_utc(inputs.end, timezone):
        raise _scalar.BillInputError("intervals", f"{len(items)} intervals", "the intervals must tile the billing "
                                     "period from its first local midnight to its last")
    extra = {name: thousandths(name, getattr(inputs, name), (1,)) for name in ("therms", "exported_kwh")}
    return bill_intervals(schedule, period, start=first, seconds=seconds, wh=wh, values=values, **extra)[0]
