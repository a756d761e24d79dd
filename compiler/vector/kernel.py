"""A compiled plan fused with a classified grid: the bill totals of interval data in a few passes.

A plan (plan.py) computes each linear form (the total, and each operand of its minimums and
comparisons) as ``const[b] + sum_a num_a[c, b] * W_a[b]`` over features: TOU energy per (kind,
period), the maximum demand per window, kWh per bill. On a grid whose classification is cached, the
features themselves need not be formed: TOU energy of (kind, period) in bill b is a sum of runs of
intervals (consecutive intervals of one local day in one period), so its share of a linear form is
``sum over the bill's runs of run_sum[c, r] * w[r]`` with ``w[r] = W_a[b]`` of the run's feature: one
pass over the data (the run sums), a product and a sum per bill. Demand windows are one gather and
one `maximum.reduceat` (as `sources.IntervalSource.demand`) and a (window x bill) weighted sum.
Other features (kWh per bill) and the results of nonlinear steps enter term by term, as in plan.py.

Exactness: the same integers as plan.py, added in another order. Bounds: a run sum is at most
``peak * length`` (the largest reading times the run's intervals), so a bill's energy part is at
most ``peak * S`` with ``S = max_b sum_{r in b} length_r * |w_r|``; a demand value is at most
``peak * r`` (r intervals per demand block), so its part is at most ``peak * r * max_b sum_j
|W_j[b]|``; each partial sum is below the sum of these. The kernel runs only when that total bound
fits int64 and the data are int64 (else the plan's own path, which falls back to Python ints).

A kernel depends on the grid, the schedule, the periods and the named inputs, never on a
customer's data: it is made when the grid's layout is first used (the plan's signature and the
features' denominators read off the layout, plan.evaluate) and kept with the layout
(`sources._Layout.groups`), like the runs it reads, so every customer on the grid shares it;
`clear_cache()` drops it with the layout. Where a demand call's runs tile the grid, the readings
are checked in the same pass as their maxima (`Kernel.run`, `IntervalSource.accept_peak`).
"""

from __future__ import annotations

from fractions import Fraction
from math import gcd

import numpy as np

from tariffc.compiler.runtime.vector import LIMIT, round_int, round_ratio
from tariffc.compiler.vector.sources import MILLI


def _bill_cuts(source, starts: np.ndarray):
    """The bills in time order (a reduceat over runs needs increasing cuts; runs between bills have
    weight 0): the index of each bill's first run among `starts` in time order, and the inverse
    order (None when the bills are in time order). Found once per runs (energy and demand
    windows mostly share theirs)."""
    groups = source.layout.groups
    found = groups.get(("bill cuts", id(starts)))
    if found is None or found[0] is not starts:
        found = groups[("bill cuts", id(starts))] = (starts, _find_bill_cuts(source, starts))
    return found[1]


def _find_bill_cuts(source, starts: np.ndarray):
    edges = source.layout.bill_edges
    firsts = [a for a, _ in edges]
    order = sorted(range(len(firsts)), key=firsts.__getitem__)
    cuts = np.searchsorted(starts, np.array([firsts[b] for b in order], dtype=np.int64))
    if order == list(range(len(order))):
        return cuts, None
    inverse = [0] * len(order)
    for i, b in enumerate(order):
        inverse[b] = i
    return cuts, np.array(inverse, dtype=np.int64)


#: Customers x bills up to which a kernel finishes a form in Python ints (see `Kernel._evaluate_few`).
FEW = 64


class _Energy:
    """One TOU call's runs: their starts, and per linear form a weight per run and the sum per bill."""

    def __init__(self, source, structure, lookup, tables, keys: dict):
        runs = source.tou_layout(structure, lookup, tables)[0]  # sources._TouRuns
        K, P, B = len(structure.kinds), len(tables.names), len(structure.bills)
        self.KP, self.size = K * P, B * K * P
        self.starts = runs.starts
        # per run its group bill * K * P + kind * P + period, or the spare last entry (weight 0)
        self.group = np.where(runs.gid >= 0, runs.gid, self.size)
        self.cell = {a: k * P + tables.names.index(name) for (k, name), a in keys.items()}
        self.longest = max((z - a for a, z in source.layout.bill_edges), default=0)  # intervals
        self.cuts, self.inverse = _bill_cuts(source, self.starts)

    def weights(self, terms: dict, plan, code, call: int):
        """Per run the weight of its feature in a form (terms: atom -> (W (B,) int64, max |W|)),
        and a bound factor S >= max over bills of sum_{r in bill} length_r * |w_r|: the bill's
        intervals times the largest |w|. The weight per group depends on the plan alone: kept
        with it; per grid, one gather."""
        cells = tuple(sorted((a, self.cell[a]) for a in terms))

        def table():
            out = np.zeros(self.size + 1, dtype=np.int64)  # per group; the last: runs of no feature
            for a, cell in cells:
                out[cell:self.size:self.KP] = terms[a][0]  # group b * K * P + cell, for every bill b
            return out

        found = plan.kept(("energy weights", id(code), call, self.size, self.KP, cells), table)
        return found[self.group], self.longest * max((wmax for _, wmax in terms.values()), default=0)


class _Demand:
    """One demand call: the runs of blocks, the gather and cuts of every window, the scale."""

    masks = None

    def __init__(self, source, structure, lookup, tables, minutes, dens_by_key: dict):
        found = source.demand_masks(structure, lookup, tables, minutes, structure.schedule.id)
        if found is not None:  # blocks of one interval: each window's maximum per bill, masked
            self.starts, self.names, self.masks = found
            self.cuts, self.inverse = _bill_cuts(source, self.starts)
        else:
            _, data = source.demand_layout(structure, lookup, tables, minutes, structure.schedule.id)
            self.starts, self.names, self.take, self.cuts, self.place = data
        step = minutes * 60
        self.r = step // source.grid.seconds
        f = Fraction(60, minutes)  # as QArray(x, MILLI).times(f): numerator p over MILLI / g * f.den
        g = gcd(f.numerator, MILLI)
        self.p = f.numerator // g
        den = MILLI // g * f.denominator
        if any(d != den for d in dens_by_key.values()):
            raise LookupError("demand denominators differ from the plan's")


def _demand_weights(by_key: dict, d: _Demand, B: int):
    """A form's demand weights (windows x bills, int64) and their bound factor (see the module
    docstring); LookupError when a weight leaves int64."""
    rows = [[0] * B if name not in by_key else [int(x) * d.p for x in by_key[name].tolist()]
            for name in d.names]  # Python ints: exact, checked against int64 below
    S = max((sum(abs(row[b]) for row in rows) for b in range(B)), default=0) * d.r
    if any(abs(x) > LIMIT for row in rows for x in row):
        raise LookupError("a demand weight beyond int64")
    return np.array(rows, dtype=np.int64).reshape(len(d.names), B), S


def _half_up(dens: list, step):
    f = Fraction(step)
    b = [d * f.numerator for d in dens]
    top = max(b)
    return None if 2 * top > LIMIT else (np.array(b, dtype=np.int64), f.denominator, top,
                                         np.array(b, dtype=np.int64) * 2)


class Kernel:
    """The total (and the operands of the nonlinear steps) of a plan over one cached grid layout."""

    def __init__(self, plan, dens: tuple, source, structure):
        self.B = len(structure.bills)
        self.plan = plan
        steps, total, _ = plan.compiled(dens)
        self.steps = steps
        self.total = total
        # each source atom: (call index, key); group the plan's calls
        src = [(i, spec) for i, spec in enumerate(plan.atoms) if spec[0] == "src"]
        self.energy: dict[int, _Energy] = {}
        self.demand: dict[int, _Demand] = {}
        self.totals: dict[int, str] = {}  # atom -> total name
        feature_den = dict(zip((i for i, _ in src), dens))
        for call, (method, args) in enumerate(plan.calls):
            mine = {spec[2]: i for i, spec in src if spec[1] == call}
            if method == "tou":
                lookup, tables = args[0], args[1]
                self.energy[call] = _Energy(source, structure, lookup, tables, mine)
                if any(feature_den[a] != MILLI for a in mine.values()):
                    raise LookupError("energy denominators differ from the plan's")
            elif method == "demand":
                lookup, tables, _, minutes = args[:4]
                self.demand[call] = _Demand(source, structure, lookup, tables, minutes,
                                            {k: feature_den[a] for k, a in mine.items()})
            elif method == "total" and args == ("kwh",):
                for a in mine.values():
                    self.totals[a] = "kwh"
            else:
                raise LookupError(f"a {method} call the kernel does not fuse")
        self.call_of = {i: spec[1] for i, spec in src}
        self.key_of = {i: spec[2] for i, spec in src}
        self.nonlinear = [(i, step) for i, step in enumerate(steps) if step[0] != "src"]
        # a demand call over single intervals whose runs tile the grid: its run maxima check the readings
        n = source.grid.count
        self.checks = next((call for call, d in self.demand.items()
                            if d.r == 1 and d.starts.size and int(d.starts[0]) == 0 and int(d.starts[-1]) < n), None)
        self.forms = {}
        for step in steps:
            if step[0] != "src":
                self._form(step[2])
                self._form(step[3])
        self._form(total)
        self._quick = self._quick_form()

    def _quick_form(self):
        """The pieces of `quick` when the plan is the common TOU one (one energy call and one demand
        call over the same runs of single intervals, which check the readings; no nonlinear step,
        no other term), else None."""
        if self.nonlinear or self.totals or len(self.energy) != 1 or len(self.demand) != 1:
            return None
        (e,), ((dcall, d),) = self.energy.values(), self.demand.items()
        code, e_parts, d_parts, other = self.forms[id(self.total)]
        if d.masks is None or self.checks != dcall or d.starts is not e.starts or other or len(e_parts) != 1 \
                or len(d_parts) != 1:
            return None
        (_, w_run, s_energy), (_, Wd, s_demand) = e_parts[0], d_parts[0]
        return (e.starts, w_run, e.cuts, e.inverse, d.masks, d.cuts, d.inverse,
                self.plan.kept(("const", id(code)), code.const.tolist),
                self.plan.kept(("rows", id(Wd)), Wd.tolist), s_energy + s_demand, code.const_max)

    def quick(self, source):
        """`run` for one customer under the common TOU plan (`_quick_form`): the same passes and
        the same integers, with the little arithmetic after them in Python ints. (total
        numerators [[B ints]], bound) or None (as `run`)."""
        starts, w_run, e_cuts, e_inverse, masks, d_cuts, d_inverse, const, rows, S, top_const = self._quick
        top = np.maximum.reduceat(source.raw[0].view(np.uint64), starts)  # run maxima, and the readings' check
        peak = int(np.maximum.reduce(top))
        source.accept_peak(peak)
        wh = source.wh
        bound = top_const + peak * S
        if wh.dtype != np.int64 or bound > LIMIT:
            return None
        energy = np.add.reduceat(np.add.reduceat(wh[0], starts) * w_run, e_cuts)
        demand = np.maximum.reduceat(top.view(np.int64) * masks, d_cuts, axis=1)  # (window, bill)
        total = [c + x for c, x in zip(const, (energy if e_inverse is None else energy[e_inverse]).tolist())]
        for got, weight in zip((demand if d_inverse is None else demand[:, d_inverse]).tolist(), rows):
            total = [x + y * z for x, y, z in zip(total, got, weight)]
        return [total], bound

    def _form(self, code):
        """Split a compiled linear form into its energy weights per run, its demand weights per
        (window, bill), and its other terms; with the bound factors."""
        if id(code) in self.forms:
            return
        energy = {}
        demand = {}
        other = []
        for a, w, wmax in code.terms:
            if w.dtype == object:
                raise LookupError("a weight beyond int64")
            call = self.call_of.get(a)
            if call in self.energy:
                energy.setdefault(call, {})[a] = (w, wmax)
            elif call in self.demand:
                demand.setdefault(call, {})[self.key_of[a]] = w
            else:
                other.append((a, w, wmax))
        e_parts = []
        for call, terms in energy.items():
            w_run, S = self.energy[call].weights(terms, self.plan, code, call)
            e_parts.append((call, w_run, S))
        d_parts = []
        for call, by_key in demand.items():
            d = self.demand[call]
            # the weights per (window, bill) depend on the plan and the windows present, not on the
            # grid's days: kept with the plan (`Plan.kept`)
            key = ("demand weights", id(code), call, tuple(d.names), d.p, d.r)
            Wd, S = self.plan.kept(key, lambda: _demand_weights(by_key, d, self.B))
            d_parts.append((call, Wd, S))
        self.forms[id(code)] = (code, e_parts, d_parts, other)

    def half_up(self, step):
        """(den * step.num (B,), step.den, max of it, twice it) for rounding the total to `step`
        (made once per plan; None when it does not fit int64)."""
        return self.plan.kept(("half up", id(self.total), step), lambda: _half_up(self.total.den, step))

    # ------------------------------------------------------------------ running
    def run(self, source):
        """(total numerators (C, B), bound, values of the nonlinear steps) or None when the bound
        does not fit int64 or the data are not int64 (the plan's own path then bills it)."""
        C, B = source.shape
        runmax = {}
        if self.checks is not None and source._wh is None and source.raw.size:
            # the readings' check in the same pass as the run maxima: those runs tile the grid, so
            # their largest value viewed as uint64 is the readings' (a negative one above 2**63 - 1)
            call = self.checks
            raw = source.raw.view(np.uint64)
            if C == 1:  # one customer: the 1-D reduction (cheaper to set up than the 2-D one)
                top = np.maximum.reduceat(raw[0], self.demand[call].starts)
                source.accept_peak(int(np.maximum.reduce(top)))
                top = top[None, :]
            else:
                top = np.maximum.reduceat(raw, self.demand[call].starts, axis=1)
                source.accept_peak(int(np.maximum.reduce(top, axis=None)))
            runmax[call] = top.view(np.int64)
        wh = source.wh
        if wh.dtype != np.int64:
            return None
        peak = source.peak
        if C == 1:
            runs = {call: np.add.reduceat(wh[0], e.starts)[None, :] for call, e in self.energy.items()}
        else:
            runs = {call: np.add.reduceat(wh, e.starts, axis=1) for call, e in self.energy.items()}
        windows = {}
        for call, d in self.demand.items():
            if d.masks is not None:  # blocks of one interval: each window's runs masked (readings >= 0)
                found = runmax.get(call)
                if found is None:
                    found = np.maximum.reduceat(wh, d.starts, axis=1)
                out = np.maximum.reduceat(found[:, None, :] * d.masks, d.cuts, axis=2)
                windows[call] = out if d.inverse is None else out[:, :, d.inverse]
                continue
            block = wh if d.r == 1 else np.add.reduceat(wh, np.arange(0, source.grid.count, d.r), axis=1)
            out = np.zeros((C, len(d.names) * B), dtype=np.int64)
            if d.take.size:
                found = runmax.get(call)
                if found is None:
                    found = np.maximum.reduceat(block, d.starts, axis=1)
                out[:, d.place] = np.maximum.reduceat(found[:, d.take], d.cuts, axis=1)
            windows[call] = out.reshape(C, len(d.names), B)
        values: list = [None] * len(self.steps)
        for i, name in self.totals.items():
            q = source.total(name)
            values[i] = (q.num, q.bound)
        for i, step in self.nonlinear:
            op, m, a, b, ka, kb, kamax, kbmax = step
            found = self._evaluate(a, runs, windows, values, peak)
            other = self._evaluate(b, runs, windows, values, peak)
            if found is None or other is None:
                return None
            (an, abound), (bn, bbound) = found, other
            bound = max(abound * kamax, bbound * kbmax)
            if bound > LIMIT:
                return None
            an, bn = an * ka, bn * kb
            if op == "less":
                values[i] = (an < bn, 0)
            elif op == "min":
                values[i] = (np.minimum(an, bn), bound)
            elif op == "max":
                values[i] = (np.maximum(an, bn), bound)
            else:
                values[i] = (np.where(values[m][0], an, bn), bound)
        if C * B <= FEW:
            return self._evaluate_few(self.total, runs, windows, values, peak, C)
        return self._evaluate(self.total, runs, windows, values, peak)

    def _bound(self, code, values, peak) -> int:
        """The bound of a form's value (see the module docstring)."""
        _, e_parts, d_parts, other = self.forms[id(code)]
        bound = code.const_max
        for _, _, S in e_parts:
            bound += peak * S
        for _, _, S in d_parts:
            bound += peak * S
        for a, _, wmax in other:
            bound += values[a][1] * wmax
        return bound

    def _evaluate_few(self, code, runs, windows, values, peak, C: int):
        """`_evaluate` for a few bills (C * B <= FEW): the sums over runs by numpy, the rest of the
        form in Python ints (for a few dozen numbers a numpy call costs more than the arithmetic);
        the numerators as C lists of B ints."""
        bound = self._bound(code, values, peak)
        if bound > LIMIT:
            return None
        _, e_parts, d_parts, other = self.forms[id(code)]
        const = self.plan.kept(("const", id(code)), code.const.tolist)
        rows = [list(const) for _ in range(C)]
        for call, w_run, _ in e_parts:
            e = self.energy[call]
            part = np.add.reduceat(runs[call] * w_run, e.cuts, axis=1)
            for row, got in zip(rows, (part if e.inverse is None else part[:, e.inverse]).tolist()):
                row[:] = [x + y for x, y in zip(row, got)]
        for call, Wd, _ in d_parts:
            weights = self.plan.kept(("rows", id(Wd)), Wd.tolist)  # Wd is kept with the plan too
            for row, got in zip(rows, windows[call].tolist()):
                for window, weight in zip(got, weights):
                    row[:] = [x + y * z for x, y, z in zip(row, window, weight)]
        for a, w, _ in other:
            weight = w.tolist()
            for row, got in zip(rows, np.broadcast_to(values[a][0], (C, self.B)).tolist()):
                row[:] = [x + y * z for x, y, z in zip(row, got, weight)]
        return rows, bound

    def _evaluate(self, code, runs, windows, values, peak):
        _, e_parts, d_parts, other = self.forms[id(code)]
        bound = self._bound(code, values, peak)
        if bound > LIMIT:
            return None
        acc = code.const
        for call, w_run, _ in e_parts:
            e = self.energy[call]
            part = np.add.reduceat(runs[call] * w_run, e.cuts, axis=1)
            acc = acc + (part if e.inverse is None else part[:, e.inverse])
        for call, Wd, _ in d_parts:
            acc = acc + (windows[call] * Wd).sum(axis=1)
        for a, w, _ in other:
            acc = acc + values[a][0] * w
        return acc, bound


def kernel_total(kernel: Kernel, source, step, mode):
    """(total numerators, bound, rounded units) by the kernel, or None (see `Kernel.run`)."""
    if kernel._quick is not None and source.shape[0] == 1 and source._wh is None:
        found = kernel.quick(source)
    else:
        found = kernel.run(source)
    if found is None:
        return None
    num, bound = found
    if type(num) is list:  # a few bills, in Python ints: rounded by the same rule, one by one
        f = Fraction(step)
        dens = [d * f.numerator for d in kernel.total.den]
        units = [[round_int(n * f.denominator, b, mode) for n, b in zip(row, dens)] for row in num]
        return np.array(num, dtype=np.int64), bound, np.array(units, dtype=np.int64)
    num = np.broadcast_to(num, source.shape)
    half = kernel.half_up(step) if mode == "half_up" else None
    if half is not None and 2 * bound * half[1] + half[2] <= LIMIT:
        # runtime.round_to's half_up (halves away from zero), as round_ratio, its constants kept
        b, sd, _, twice = half
        magnitude = (np.abs(num * sd if sd != 1 else num) * 2 + b) // twice
        return num, bound, np.where(num < 0, -magnitude, magnitude)
    return num, bound, round_ratio(num, kernel.total.den_array, bound, step, mode)
