"""Where a bill's measured quantities come from: per-bill totals, or interval data on a grid.

Both give, per customer x bill (shape (C, B), as exact `QArray`): the delivered kWh, and on request TOU
energy per (kind, period) and the maximum demand per window. Interval sums are int64 sums of
integer Wh (`np.add.reduceat`), guarded: the largest interval value times the number of intervals
must stay below 2**63 (else the data go through Python ints).
"""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict
from fractions import Fraction
from math import gcd

import numpy as np

from tariffc.compiler.runtime import vector as g
from tariffc.compiler.vector._scalar import BillInputError
from tariffc.compiler.vector.errors import VectorUnsupported
from tariffc.compiler.runtime.vector import LIMIT, QArray, run_starts

MILLI = 1000  # Wh per kWh, W per kW, millitherms per therm


def int_array(name: str, value, shape=None) -> np.ndarray:
    """An integer array from `value`; floats and other dtypes are refused naming the field."""
    arr = np.asarray(value)
    if arr.dtype.kind not in "iu":
        raise BillInputError(name, f"array of {arr.dtype}", "expected integers (Wh, W or millitherms); floats are "
                                                            "not exact")
    if shape is not None and arr.shape != shape:
        raise BillInputError(name, f"shape {arr.shape}", f"expected shape {shape} (customers, bills)")
    if arr.dtype == np.uint64 and arr.size and int(arr.max()) > LIMIT:
        raise BillInputError(name, int(arr.max()), "too large")
    return arr.astype(np.int64, copy=False)


#: The largest quantity the scalar path accepts (`runtime.inputs.MAX_MAGNITUDE`), in thousandths.
MAX_THOUSANDTHS = 10**15


def _check_bounded(name: str, arr: np.ndarray) -> None:
    if arr.size and int(arr.max()) > MAX_THOUSANDTHS:
        where = np.unravel_index(int(np.argmax(arr)), arr.shape)
        raise BillInputError(name, f"{int(arr[where])} at index {tuple(int(i) for i in where)}",
                             "is beyond the largest value accepted (1E+12 in kWh, kW or therms)")


def _check_nonnegative(name: str, arr: np.ndarray, what: str) -> None:
    if arr.size and int(arr.min()) < 0:
        where = np.unravel_index(int(np.argmin(arr)), arr.shape)
        raise BillInputError(name, f"{int(arr[where])} at index {tuple(int(i) for i in where)}",
                             f"{what} cannot be negative")


class TotalsSource:
    """Per-bill totals, each int64 (C, B) in thousandths (Wh, W, millitherms)."""

    intervals = False

    def __init__(self, shape, kwh=None, kw=None, therms=None, exported_kwh=None):
        self.shape = shape
        self._q = {}
        for name, value in (("kwh", kwh), ("kw", kw), ("therms", therms), ("exported_kwh", exported_kwh)):
            if value is None:
                continue
            arr = int_array(name, value, shape)
            _check_nonnegative(name, arr, "usage")
            _check_bounded(name, arr)
            self._q[name] = QArray(arr, MILLI)

    def total(self, name: str) -> QArray | None:
        return self._q.get(name)

    def tou(self, structure, lookup, tables, charge, schedule_id):
        raise BillInputError("intervals", "not given", f"schedule {schedule_id} bills charge '{charge}' by "
                                                       "time-of-use period: interval data", give=("intervals",))

    def demand(self, structure, lookup, tables, windowed, minutes, charge, schedule_id) -> dict[str, QArray]:
        if windowed:
            raise BillInputError("intervals", "not given", f"schedule {schedule_id} bills charge '{charge}' on the "
                                                           "demand in time windows: interval data", give=("intervals",))
        if "kw" not in self._q:
            raise BillInputError("kw", "not given", f"schedule {schedule_id} bills charge '{charge}' per kW of "
                                                    "demand", give=("kw", "intervals"))
        return {"*": self._q["kw"]}


_NO_TOTALS = TotalsSource(None)  # no per-bill totals besides the interval data (read only: `total` gives None)

# ------------------------------------------------------------------ interval data on a grid
class _LRU(OrderedDict):
    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def get_or(self, key, make):
        if key in self:
            self.move_to_end(key)
            return self[key]
        value = make()
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value


CLOCKS = _LRU(32)  # (grid, calendar) -> (calendar, DayClock)
LAYOUTS = _LRU(32)  # (grid, structure) -> _Layout (with its TOU and demand-window runs)
STRUCTURES = _LRU(32)  # (schedule, periods, named inputs) -> structure.Structure (it holds the schedule)
READY = _LRU(32)  # (schedule id, grid, periods) -> (schedule, structure, layout, plan, kernel, dens): see bill_grid


def clear_cache() -> None:
    """Forget every cached grid classification."""
    CLOCKS.clear()
    LAYOUTS.clear()
    STRUCTURES.clear()
    READY.clear()


class _Layout:
    """Where each interval of a grid falls for one schedule and set of billing periods."""

    def __init__(self, grid: g.TimeGrid, structure, clock: g.DayClock, schedule_id: str):
        self.grid = grid
        n = grid.count
        if structure.overlapping:
            raise BillInputError("periods", ", ".join(f"{b.start}..{b.end}" for b in structure.bills),
                                 "billing periods of interval data must not overlap: each day belongs to one bill")
        edges = _edges_from_clock(grid, structure, clock)
        if edges is None:
            edges = _edges_exact(grid, structure)
        self.bill_edges = edges  # per bill: [first interval, end interval)
        cuts = sorted({i for pair in edges for i in pair if i < n})
        self.cuts = np.array(cuts, dtype=np.int64)
        at = {x: i for i, x in enumerate(cuts)}
        self.bill_cuts = [(at[a], at[z] if z < n else len(cuts)) for a, z in edges]
        # per local day of the grid: its bill and kind (-1: in no bill), the offset of its row in
        # the period tables (kind x day class x minute, flattened) and its (bill, kind) group; the
        # days the grid and the periods share are one slice of each
        D, d0 = clock.days.size, int(clock.days[0]) if clock.days.size else 0
        lo = max(d0, structure.first_day)
        hi = min(d0 + D, structure.first_day + structure.bill_of_day.size)
        self.bill_day = np.full(D, -1, dtype=np.int64)
        kind_day = np.full(D, -1, dtype=np.int64)
        if lo < hi:
            self.bill_day[lo - d0:hi - d0] = structure.bill_of_day[lo - structure.first_day:hi - structure.first_day]
            kind_day[lo - d0:hi - d0] = structure.kind_of_day[lo - structure.first_day:hi - structure.first_day]
        K = max(len(structure.kinds), 1)
        billed = self.bill_day >= 0  # (a billed day has a kind)
        self.base = np.where(billed, (kind_day * 14 + clock.cls) * 1440, -1)
        self.bill_kind_day = np.where(billed, self.bill_day * K + kind_day, -1)
        self.clock = clock
        self.structure = structure  # keeps the cache key's id() alive
        self.groups: dict = {}  # (what, charge name, tables id) -> (tables, runs)


def _edges_exact(grid: g.TimeGrid, structure) -> list[tuple[int, int]]:
    """Each bill's [first interval, end interval), its local midnights found with `zoneinfo`;
    refuses (BillInputError) a bill the grid does not cover or tile."""
    edges = []
    for bill in structure.bills:
        lo = g.local_midnight_utc(bill.start, grid.timezone)
        hi = g.local_midnight_utc(bill.end, grid.timezone)
        for when, at in ((bill.start, lo), (bill.end, hi)):
            if at < grid.start or at > grid.end:
                raise BillInputError("intervals", f"grid {_utc(grid.start)} to {_utc(grid.end)}",
                                     f"the interval data do not cover the billing period {bill.start.isoformat()} "
                                     f"to {bill.end.isoformat()} (no data at {when.isoformat()} 00:00 local)")
            if (at - grid.start) % grid.seconds:
                raise BillInputError("intervals", f"{grid.seconds // 60} minutes from {_utc(grid.start)}",
                                     f"no interval starts at {when.isoformat()} 00:00 local; intervals must tile "
                                     "the billing period")
        edges.append(((lo - grid.start) // grid.seconds, (hi - grid.start) // grid.seconds))
    return edges


def _edges_from_clock(grid: g.TimeGrid, structure, clock: g.DayClock):
    """Each bill's [first interval, end interval) read off the day clock: the first interval of the
    local day of its start (and end) date, when that interval starts at 00:00 local; the end may be
    the grid's end when that is local midnight. None when some edge is not found so (a date outside
    the grid, a day not starting at midnight): the caller then finds each edge from `zoneinfo` and
    refuses the bill by name."""
    days = clock.days
    n = grid.count
    if not days.size:
        return None
    d0, count = int(days[0]), days.size
    out = []
    first, m0 = clock.first.tolist(), clock.m0.tolist()  # Python ints: two dozen look-ups follow

    def index(date) -> int | None:
        d = g.daynum(date) - d0
        if d == count:  # the day after the last: the grid must end at its midnight
            return n if clock.end_local == (d0 + d) * g.DAY else None
        if not 0 <= d < count or first[d + 1] == first[d]:
            return None
        start_minute = int(clock.minutes[d][0]) if d in clock.minutes else m0[d]
        return first[d] if start_minute == 0 else None

    for bill in structure.bills:
        a, z = index(bill.start), index(bill.end)
        if a is None or z is None:
            return None
        out.append((a, z))
    return out


_UNIONS = _LRU(64)  # ((id(tables), what) ..., step) -> (the tables, their change slots): tables are kept


def _union_slots(wanted, step: int):
    """The change slots of every (tables, what) in `wanted` together (None when `step` does not
    divide a day); found once per set of tables (they depend on no grid)."""
    key = (tuple((id(t), what) for t, what in wanted), step)
    found = _UNIONS.get(key)
    if found is None or any(a is not b for a, b in zip(found[0], (t for t, _ in wanted))):
        slots = [t.slots(what, step) for t, what in wanted]
        union = None
        if all(s is not None for s in slots):
            union = slots[0]
            for more in slots[1:]:
                union = np.union1d(union, more)
        found = _UNIONS[key] = (tuple(t for t, _ in wanted), union)
    return found[1]


class _TouRuns:
    """The runs of one TOU call over a grid layout: their starts (intervals), each run's group id
    (bill * K * P + kind * P + period; -1: in no bill or period), which groups have intervals
    (bool (B * K * P,)), and on request the runs in group order (`grouping`)."""

    __slots__ = ("starts", "gid", "present", "_grouping")

    def __init__(self, starts: np.ndarray, gid: np.ndarray, size: int):
        self.starts, self.gid = starts, gid
        present = np.zeros(size + 1, dtype=bool)
        present[gid] = True  # a run in no group marks the spare last entry
        self.present = present[:size]
        self._grouping = None

    def grouping(self):
        """(kept runs in group order, the first of each group among them, group ids)."""
        if self._grouping is None:
            keep = np.flatnonzero(self.gid >= 0)
            order = np.argsort(self.gid[keep], kind="stable")
            ordered = self.gid[keep][order]
            firsts = run_starts(ordered) if ordered.size else np.zeros(0, np.int64)
            self._grouping = (keep[order], firsts, ordered[firsts])
        return self._grouping


def _cells(structure, tables, present):
    """For each (kind, period) with intervals in some bill: its column in the dense (bill, kind,
    period) sums per bill (the last, always-zero column where the bill has none) and the bills that
    have it."""
    K, P, B = len(structure.kinds), len(tables.names), len(structure.bills)
    here = present.reshape(B, K * P)
    cols = np.where(here, np.arange(B * K * P).reshape(B, K * P), B * K * P)
    return [((kp // P, tables.names[kp % P]), cols[:, kp], here[:, kp])
            for kp in np.flatnonzero(here.any(axis=0)).tolist()]


def _day_clock(grid, holidays, holidays_in) -> g.DayClock:
    """The grid's day clock; a zone whose clock goes back across midnight is refused by name (the
    scalar bill function bills such a grid)."""
    try:
        return g.day_clock(grid, holidays, holidays_in)
    except g.ClockGoesBack as exc:
        raise VectorUnsupported(f"{exc}: the vector path cuts a grid into consecutive local days; the scalar "
                                "bill function bills this grid") from None


def _utc(t: int) -> str:
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


class IntervalSource:
    """Interval Wh (C, n) on a `TimeGrid`."""

    intervals = True

    def __init__(self, grid: g.TimeGrid, wh, structure, calendar_holidays, holidays_in, cache: bool = True,
                 therms=None, exported_kwh=None):
        self.grid = grid
        wh = np.asarray(wh)
        if wh.ndim == 1:
            wh = wh[None, :]
        if wh.ndim != 2 or wh.shape[1] != grid.count:
            raise BillInputError("intervals", f"shape {wh.shape}", f"expected (customers, {grid.count}) interval values")
        if wh.dtype.kind not in "iu":  # named as the scalar input layer names it
            where = "intervals.wh[0]" if wh.shape[0] == 1 else "intervals.wh[0, 0]"
            raise BillInputError(where, f"array of {wh.dtype}", "expected integer Wh; floats are not exact")
        self.raw = int_array("intervals", wh)  # int64, checked when first read (`wh`, `peak`)
        self._wh = None
        self._peak = None
        self.structure = structure
        self.shape = (self.raw.shape[0], len(structure.bills))
        hol = tuple(calendar_holidays)
        calendar = structure.schedule.calendar
        make_clock = lambda: (calendar, _day_clock(grid, hol, holidays_in))  # noqa: E731 - holds the key's id()
        clock = (CLOCKS.get_or((grid, id(calendar)), make_clock) if cache else make_clock())[1]
        key = (grid, id(structure))  # the layout holds the structure: the id stays its own
        make_layout = lambda: _Layout(grid, structure, clock, structure.schedule.id)  # noqa: E731
        self.layout = LAYOUTS.get_or(key, make_layout) if cache else make_layout()
        self.cache = cache
        self._kwh = None
        self._others = TotalsSource(self.shape, therms=therms, exported_kwh=exported_kwh)

    @classmethod
    def on_layout(cls, grid: g.TimeGrid, raw: np.ndarray, structure, layout) -> IntervalSource:
        """A source of int64 readings `raw` (C, grid.count) on a grid whose layout for `structure`
        is already made (`layout`), with no other totals: what `__init__` makes for them, without
        looking the layout up again. The readings are checked when first read, as always."""
        self = object.__new__(cls)
        self.grid, self.raw, self._wh, self._peak, self._kwh = grid, raw, None, None, None
        self.structure, self.layout, self.cache = structure, layout, True
        self.shape = (raw.shape[0], len(structure.bills))
        self._others = _NO_TOTALS
        return self

    # -------------------------------------------------------------- the readings, checked
    @property
    def wh(self) -> np.ndarray:
        """The readings (C, n): int64, or Python ints when a sum could leave int64; checked."""
        if self._wh is None:
            self.accept_peak(self._largest())
        return self._wh

    @property
    def peak(self) -> int:
        """The largest reading (the bound of every interval value)."""
        if self._wh is None:
            self.accept_peak(self._largest())
        return self._peak

    def _largest(self) -> int:
        # one pass finds both: viewed as uint64, a negative value is above 2**63 - 1
        return int(self.raw.view(np.uint64).max()) if self.raw.size else 0

    def accept_peak(self, hi: int) -> None:
        """Check the readings given their largest value viewed as uint64 (`hi`, from one pass over
        all of them: here or the kernel's run maxima): a negative reading (above 2**63 - 1 as
        uint64) and one beyond the largest accepted are refused by name (BillInputError); when
        `hi` times the number of intervals leaves int64, the readings become Python ints."""
        if hi > LIMIT:
            where = np.unravel_index(int(np.argmin(self.raw)), self.raw.shape)
            raise BillInputError("intervals", f"{int(self.raw[where])} Wh at customer {int(where[0])}, interval "
                                              f"{int(where[1])}", "the interval's usage is negative")
        if hi > MAX_THOUSANDTHS:
            _check_bounded("intervals", self.raw)
        self._peak = hi
        # a sum could leave int64: add as Python ints
        self._wh = self.raw.astype(object) if hi * max(self.grid.count, 1) > LIMIT else self.raw

    # -------------------------------------------------------------- totals
    def total(self, name: str) -> QArray | None:
        if name != "kwh":
            return self._others.total(name)
        if self._kwh is None:
            lay = self.layout
            if lay.cuts.size:
                parts = np.add.reduceat(self.wh, lay.cuts, axis=1)
            else:
                parts = np.zeros((self.wh.shape[0], 0), dtype=self.wh.dtype)
            if all(z - a == 1 for a, z in lay.bill_cuts):  # each bill one stretch of the grid
                sums = parts[:, [a for a, _ in lay.bill_cuts]]
            else:
                sums = np.stack([parts[:, a:z].sum(axis=1) for a, z in lay.bill_cuts], axis=1)
            self._kwh = QArray(sums, MILLI, self.peak * self.grid.count)
        return self._kwh

    # -------------------------------------------------------------- without the readings
    def signature(self, structure, method: str, args: tuple):
        """What `plan._signature` reads off the result of `method(*args)` (which features exist, in
        which bills), from the layout alone: it never depends on the readings. Raises what the call
        raises (the demand layout's refusals)."""
        if method == "total":
            return args[0] != "kwh" and self._others.total(args[0]) is None
        if method == "tou":
            _, cells = self.tou_layout(structure, args[0], args[1])
            return tuple((key, here.tobytes()) for key, _, here in cells)
        lookup, tables, _, minutes, _, schedule_id = args
        masks = self.demand_masks(structure, lookup, tables, minutes, schedule_id)
        if masks is not None:
            return tuple(masks[1])
        return tuple(self.demand_layout(structure, lookup, tables, minutes, schedule_id)[1][1])

    @staticmethod
    def feature_den(method: str, args: tuple) -> int:
        """The denominator of the features `method(*args)` gives when some reading is not zero:
        Wh / 1000 for energy; demand W / 1000 times 60 / minutes, cancelled as `QArray.times` does."""
        if method != "demand":
            return MILLI
        f = Fraction(60, args[3])
        return MILLI // gcd(f.numerator, MILLI) * f.denominator

    def share_runs(self, calls) -> None:
        """Before a plan's source calls on a new layout: the runs of every table they read per
        interval (TOU periods of energy, demand windows over blocks of one interval) found at once,
        by the tables' change slots (`runtime.vector.day_runs_by_slots`: a few whole-array
        operations) or, on a grid of many odd days, in one pass over the day patterns
        (`runtime.vector.day_runs_of`); each call then reads its runs from there (finer runs: every
        table is constant on each)."""
        if not self.cache:
            return
        wanted = []
        for method, args in calls:
            if method == "tou":
                wanted.append((args[1], "first"))
            elif method == "demand" and args[3] is not None and args[3] * 60 == self.grid.seconds:
                wanted.append((args[1], "bits"))
        wanted = list({(id(t), what): (t, what) for t, what in wanted}.values())
        if wanted:
            self._share(wanted)

    def _share(self, wanted) -> None:
        lay = self.layout
        flats = tuple(getattr(t, what).reshape(-1) for t, what in wanted)
        found = None
        union = _union_slots(wanted, lay.clock.step)
        if union is not None:
            found = g.day_runs_by_slots(lay.clock, lay.base, flats, union)
        if found is None:
            if len(wanted) < 2:
                return
            starts, values = g.day_runs_of(lay.clock, lay.base, flats)
            days = None
        else:
            starts, values, days = found
            group = lay.bill_kind_day[days]
        for (t, what), v in zip(wanted, values):
            lay.groups[("runs-of", id(t), what)] = (t, starts, v, days, group if days is not None else None)

    def _day_runs(self, tables, what: str, r: int):
        """The runs of `tables.first` or `.bits` over blocks of `r` intervals (shared when
        `share_runs` found them together): (starts, values, each run's (bill, kind) group as
        `_Layout.bill_kind_day`)."""
        lay = self.layout
        if self.cache and r == 1:
            key = ("runs-of", id(tables), what)
            found = lay.groups.get(key)
            if found is None or found[0] is not tables:
                self._share([(tables, what)])
                found = lay.groups.get(key)
            if found is not None and found[0] is tables:
                if found[4] is not None:
                    return found[1], found[2], found[4]
                return found[1], found[2], lay.bill_kind_day[np.searchsorted(lay.clock.first, found[1], "right") - 1]
        starts, values = g.day_runs(lay.clock, lay.base, getattr(tables, what).reshape(-1), r)
        return starts, values, lay.bill_kind_day[np.searchsorted(lay.clock.first // r, starts, side="right") - 1]

    # -------------------------------------------------------------- TOU energy
    def _group(self, what, lookup, tables, make):
        """TOU and demand-window runs, kept on the layout (tables are the structure's own)."""
        if not self.cache:
            return make()
        key = (what, lookup, id(tables))
        found = self.layout.groups.get(key)
        if found is None or found[0] is not tables:
            found = self.layout.groups[key] = (tables, make())
        return found[1]

    def tou_layout(self, structure, lookup, tables):
        """The data-free part of `tou`: its runs (`_TouRuns`) and the cells (`_cells`), kept on the
        layout."""
        lay = self.layout
        K, P = len(structure.kinds), len(tables.names)

        def make():
            starts, codes, bk = self._day_runs(tables, "first", 1)
            return _TouRuns(starts, np.where((bk >= 0) & (codes >= 0), bk * P + codes, -1),
                            len(structure.bills) * K * P)

        runs = self._group("tou", lookup, tables, make)
        return runs, self._group("tou-cells", lookup, tables, lambda: _cells(structure, tables, runs.present))

    def tou(self, structure, lookup, tables, charge, schedule_id):
        """{(kind, period name): QArray (C, B)} and {(kind, period name): bool (B,) present}."""
        K, P = len(structure.kinds), len(tables.names)
        found, layout = self.tou_layout(structure, lookup, tables)
        starts = found.starts
        take, firsts, groups = found.grouping()
        runs = np.add.reduceat(self.wh, starts, axis=1) if starts.size else np.zeros((self.wh.shape[0], 0), np.int64)
        sums = np.add.reduceat(runs[:, take], firsts, axis=1) if firsts.size else runs[:, :0]
        B = len(structure.bills)
        dense = np.zeros((self.wh.shape[0], B * K * P + 1), dtype=runs.dtype)  # last column: always 0
        if groups.size:
            dense[:, groups] = sums
        bound = self.peak * self.grid.count
        energy = {key: QArray(dense[:, cols], MILLI, bound) for key, cols, _ in layout}
        present = {key: here for key, _, here in layout}
        return energy, present

    # -------------------------------------------------------------- demand
    def demand_blocks(self, minutes, schedule_id) -> int:
        """Intervals per demand block; refuses (as `demand` does) a grid they cannot be read on."""
        grid = self.grid
        if minutes is None:
            raise BillInputError("intervals", "given", f"schedule {schedule_id} does not say over how many minutes "
                                                       "demand is measured", give=("kw",))
        step = minutes * 60
        if grid.seconds > step or step % grid.seconds:
            raise BillInputError("intervals", f"{grid.seconds // 60} minutes", f"demand is measured over {minutes}-"
                                 "minute intervals; the data must divide them")
        lay = self.layout
        if grid.start % step or any((a * grid.seconds) % step for a, _ in lay.bill_edges):
            raise VectorUnsupported(f"interval grid not aligned to the {minutes}-minute demand blocks (the scalar "
                                    "path bills it)")
        r = step // grid.seconds

        if r > 1 and (lay.clock.first % r).any():
            raise VectorUnsupported(f"local days of the grid do not start on {minutes}-minute demand blocks")
        return r

    def demand_masks(self, structure, lookup, tables, minutes, schedule_id):
        """For the kernel, when a demand block is one interval (else None): (run starts, window names
        ("*": every block, then the windows with a block in some bill), masks int64 (names, runs): 1
        where the run is in a bill and in the window), kept on the layout; refuses as `demand`."""
        if self.demand_blocks(minutes, schedule_id) != 1 or not self.cache:
            return None
        lay = self.layout

        def make():
            starts, bits, group = self._day_runs(tables, "bits", 1)
            billed = group >= 0  # (a billed day has a kind)
            seen = int(np.bitwise_or.reduce(bits[billed])) if billed.any() else 0
            present = [w for w in range(len(tables.names)) if (seen >> w) & 1]
            masks = np.empty((1 + len(present), starts.size), dtype=np.int64)
            masks[0] = billed
            if present:
                masks[1:] = (bits[None, :] >> np.array(present, dtype=np.int64)[:, None]) & billed
            return starts, ["*"] + [tables.names[w] for w in present], masks

        return self._group("demand-masks", lookup, tables, make)

    def demand_layout(self, structure, lookup, tables, minutes, schedule_id):
        """The data-free part of `demand` (its refusals included): (intervals per demand block,
        (block run starts, window names, gather, cuts, placement)), kept on the layout."""
        r = self.demand_blocks(minutes, schedule_id)
        lay = self.layout

        def make():
            starts, bits, group = self._day_runs(tables, "bits", r)
            bill = np.where(group >= 0, group // max(len(structure.kinds), 1), -1)

            def selection(mask):
                runs = np.flatnonzero(mask & (bill >= 0))
                if runs.size == 0:
                    return None
                bills = bill[runs]
                cuts = run_starts(bills)
                return runs, cuts, bills[cuts]

            everything = selection(np.ones(starts.size, dtype=bool))
            windows = {w: selection(((bits >> w) & 1).astype(bool)) for w in range(len(tables.names))}
            # all selections as one gather and one maximum.reduceat: the runs of "*" (every block)
            # and of each window, each cut by bill, placed at column j * B + bill of the result
            present = [(tables.names[w], sel) for w, sel in windows.items() if sel is not None]
            names = ["*"] + [name for name, _ in present]
            chosen = [] if everything is None else [everything] + [sel for _, sel in present]
            slots = range(len(chosen))
            B = len(structure.bills)
            if chosen:
                sizes = [sel[0].size for sel in chosen]
                base = np.cumsum([0] + sizes[:-1])
                take = np.concatenate([sel[0] for sel in chosen])
                cuts = np.concatenate([sel[1] + o for sel, o in zip(chosen, base.tolist())])
                place = np.concatenate([sel[2] + j * B for sel, j in zip(chosen, slots)])
            else:
                take = cuts = place = np.zeros(0, np.int64)
            return starts, names, take, cuts, place

        return r, self._group("demand", lookup, tables, make)

    def demand(self, structure, lookup, tables, windowed, minutes, charge, schedule_id) -> dict[str, QArray]:
        grid = self.grid
        r, (starts, names, take, cuts, place) = self.demand_layout(structure, lookup, tables, minutes, schedule_id)
        C, B = self.shape
        wh = self.wh
        block = wh if r == 1 else np.add.reduceat(wh, np.arange(0, grid.count, r), axis=1)
        out = np.zeros((C, len(names) * B), dtype=block.dtype)  # a window with no block in a bill: 0 kW
        if take.size:
            runmax = np.maximum.reduceat(block, starts, axis=1)
            out[:, place] = np.maximum.reduceat(runmax[:, take], cuts, axis=1)
        scale = Fraction(60, minutes)
        bound = self.peak * r
        return {name: QArray(out[:, j * B:(j + 1) * B], MILLI, bound).times(scale) for j, name in enumerate(names)}
