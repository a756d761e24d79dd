"""A schedule's bill arithmetic compiled into a plan: the measured quantities in, a few integer
dot products out.

The generic evaluation (`evaluate.Evaluation`) walks the IR for every call: charges, rows, seasons,
tiers, adjustments, each a handful of array operations on small (C, B) arrays, so a call costs
Python overhead, not data. But for a given schedule, set of billing periods and named inputs, that
walk always does the same thing, and what it computes is a *linear* function of the quantities the
source measures (kWh per bill, TOU energy per (kind, period), demand per window: the *features*),
except where the schedule takes a minimum, a maximum or a comparison (the tier split, the minimum
bill). So the walk is run once with symbolic values (`Sym`: a constant per bill plus a coefficient
per bill for each feature or nonlinear result), which records

- the source calls that give the features (replayed on every call, on the real source),
- the nonlinear steps, in order (`min`, `max`, `less`, `where`), each over linear forms,
- the total and each charge's amount as a linear form.

Then `compile` turns each linear form into integers: per bill `b` a denominator ``D[b]`` and
integer weights ``W[f, b] = coef[f, b] * D[b] / den_f`` (``den_f`` the feature's denominator), so
the form's value is ``(C[b] + sum_f num_f[c, b] * W[f, b]) / D[b]``, exactly. The sum runs in int64
only when its bound ``|C| + sum_f bound_f * max|W_f|`` fits (every partial sum is below it), else in
Python ints (object arrays): as `runtime.vector.QArray`, exact either way. The total is rounded
once, per bill, with `runtime.vector.round_ratio` (the rule of `runtime.round_to`).

Because the plan is recorded from the same code the generic evaluation runs, it bills exactly the
same amounts and refuses exactly the same inputs: a refusal in the walk is raised at tracing, and the
source calls (which refuse bad data, and whose results decide where rows are needed) run on every
call; a plan is reused only when the source gives the same features in the same bills (its
*signature*). An operation the plan does not represent raises `NotCompiled` while tracing, and that
schedule is billed by the generic evaluation. `VectorBills.bill(c, b)` (the lines) runs the generic
evaluation on the same source when first asked: lines are written from the same exact quantities.
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

import numpy as np

from tariffc.compiler.runtime.vector import LIMIT, QArray, round_ratio
from tariffc.compiler.vector.evaluate import Evaluation
from tariffc.compiler.vector.kernel import Kernel, kernel_total
from tariffc.compiler.vector.sources import _LRU

PLANS = _LRU(64)  # (schedule, periods, named inputs, source kind) -> {signature: Plan} or NOT_COMPILED
NOT_COMPILED = object()


class NotCompiled(Exception):
    """The walk did something a plan does not represent; the generic evaluation bills it."""


# ------------------------------------------------------------------ symbolic values (tracing only)
class Mask:
    """The symbolic result of a comparison: index of its step."""

    __slots__ = ("index", "tracer")

    def __init__(self, index: int, tracer):
        self.index, self.tracer = index, tracer

    def __array__(self, *args, **kwargs):
        raise NotCompiled("a symbolic comparison used as an array")

    def __bool__(self):
        raise NotCompiled("a symbolic comparison used as a truth value")


class Sym:
    """A linear form: ``const[b] + sum_a terms[a][b] * atom_a[c, b]``; coefficients are object
    arrays (B,) of Fractions; an atom is a feature or a nonlinear step's result."""

    __slots__ = ("terms", "const", "tracer")

    def __init__(self, terms: dict, const, tracer):
        self.terms, self.const, self.tracer = terms, const, tracer

    def __add__(self, other):
        tr = self.tracer
        if isinstance(other, Sym):
            terms = dict(self.terms)
            for a, x in other.terms.items():
                terms[a] = terms[a] + x if a in terms else x
            return Sym(terms, self.const + other.const, tr)
        return Sym(self.terms, self.const + tr.const(other), tr)

    __radd__ = __add__

    def __neg__(self):
        return Sym({a: -x for a, x in self.terms.items()}, -self.const, self.tracer)

    def __sub__(self, other):
        return self + (-other)

    def __rsub__(self, other):
        return (-self) + other

    def times(self, value):
        f = Fraction(value)
        return Sym({a: x * f for a, x in self.terms.items()}, self.const * f, self.tracer)

    def __mul__(self, other):
        if isinstance(other, Sym):
            raise NotCompiled("a product of two measured quantities")
        k = self.tracer.const(other)
        return Sym({a: x * k for a, x in self.terms.items()}, self.const * k, self.tracer)

    __rmul__ = __mul__

    def minimum(self, other):
        return self.tracer.step("min", self, other)

    def maximum(self, other):
        return self.tracer.step("max", self, other)

    def less(self, other):
        return self.tracer.mask(self, other)

    def greater(self, other):  # other < self (QArray.less(Sym) comes here)
        return self.tracer.mask(other, self)

    def where(self, mask, other):
        return self.tracer.step("where", self, other, mask)

    def rwhere(self, mask, first):  # QArray.where(mask, Sym): first where mask, else self
        return self.tracer.step("where", first, self, mask)

    @property
    def bound(self):
        raise NotCompiled("the bound of a symbolic value")

    def at(self, index):
        raise NotCompiled("an element of a symbolic value")


class Tracer:
    """Collects the atoms (features and nonlinear steps) of one symbolic walk."""

    def __init__(self, bills: int):
        self.B = bills
        self.atoms: list[tuple] = []  # ("src", call, key) | ("min"|"max", a, b) | ("less", a, b) | ("where", m, a, b)
        self.calls: list[tuple] = []  # (method, args, signature)
        self.results: list = []  # the real results of the calls
        self.ones = np.array([Fraction(1)] * bills, dtype=object)
        self.zeros = np.array([Fraction(0)] * bills, dtype=object)

    def const(self, value) -> np.ndarray:
        """A constant (QArray of shape () or (B,), int, Fraction) as an object array (B,) of Fractions."""
        if isinstance(value, Sym):
            raise NotCompiled("a symbolic value where a constant was expected")
        if isinstance(value, QArray):
            num = value.num
            if num.ndim == 0:
                return np.array([Fraction(int(num), value.den)] * self.B, dtype=object)
            if num.shape != (self.B,):
                raise NotCompiled(f"a constant of shape {num.shape}")
            return np.array([Fraction(int(x), value.den) for x in num.tolist()], dtype=object)
        if isinstance(value, (int, Fraction)) and not isinstance(value, bool):
            return np.array([Fraction(value)] * self.B, dtype=object)
        raise NotCompiled(f"a constant of type {type(value).__name__}")

    def sym(self, value) -> Sym:
        return value if isinstance(value, Sym) else Sym({}, self.const(value), self)

    def atom(self, spec) -> Sym:
        self.atoms.append(spec)
        return Sym({len(self.atoms) - 1: self.ones}, self.zeros, self)

    def step(self, op, a, b, mask=None) -> Sym:
        if op == "where":
            if isinstance(mask, Mask):
                return self.atom(("where", mask.index, self.sym(a), self.sym(b)))
            raise NotCompiled("a constant mask")  # not produced by the walk today
        return self.atom((op, self.sym(a), self.sym(b)))

    def mask(self, a, b) -> Mask:
        self.atoms.append(("less", self.sym(a), self.sym(b)))
        return Mask(len(self.atoms) - 1, self)


def _signature(method: str, result):
    """What a source call's result decides in the walk: which features exist (and, for TOU
    energy, in which bills), never their values."""
    if method == "total":
        return result is None
    if method == "tou":
        energy, present = result
        return tuple((key, present[key].tobytes()) for key in energy)
    return tuple(result)


class _TracingSource:
    """The real source, whose quantities are handed to the walk as symbolic features."""

    def __init__(self, source, tracer: Tracer):
        self.real, self.tracer = source, tracer
        self.intervals, self.shape = source.intervals, source.shape
        self._seen: dict = {}

    def _call(self, method: str, args: tuple, result, convert):
        key = (method, args)
        if key not in self._seen:
            index = len(self.tracer.calls)
            self.tracer.calls.append((method, args, _signature(method, result)))
            self.tracer.results.append(result)
            self._seen[key] = convert(index, result)
        return self._seen[key]

    def _feature(self, index, key, q):
        if not isinstance(q, QArray):
            raise NotCompiled("a source quantity that is not an array")
        return self.tracer.atom(("src", index, key))

    def total(self, name):
        result = self.real.total(name)
        return self._call("total", (name,), result,
                          lambda i, q: None if q is None else self._feature(i, None, q))

    def tou(self, structure, lookup, tables, charge, schedule_id):
        result = self.real.tou(structure, lookup, tables, charge, schedule_id)
        return self._call("tou", (lookup, tables, charge, schedule_id), result,
                          lambda i, r: ({k: self._feature(i, k, q) for k, q in r[0].items()}, r[1]))

    def demand(self, structure, lookup, tables, windowed, minutes, charge, schedule_id):
        result = self.real.demand(structure, lookup, tables, windowed, minutes, charge, schedule_id)
        return self._call("demand", (lookup, tables, windowed, minutes, charge, schedule_id), result,
                          lambda i, r: {k: self._feature(i, k, q) for k, q in r.items()})


class _Trace(Evaluation):
    """The generic walk over symbolic values; the total is not rounded (the plan rounds it)."""

    def _round(self):
        self.step, self.mode = self._once("round", self._rounding)


# ------------------------------------------------------------------ the plan
class Plan:
    """One traced walk: its source calls, its atoms, its outputs (total and amounts by charge as
    linear forms), the rounding; compiled to integers per set of feature denominators."""

    def __init__(self, tracer: Tracer, trace: _Trace, schedule):
        self.schedule = schedule  # keeps the cache key's id() alive
        self.B = tracer.B
        self.calls = [(method, args) for method, args, _ in tracer.calls]
        self.signature = tuple(sig for _, _, sig in tracer.calls)
        self.atoms = tracer.atoms
        self.total = trace.total if isinstance(trace.total, Sym) else tracer.sym(trace.total)
        self.amounts = {name: q if isinstance(q, Sym) else tracer.sym(q) for name, q in trace.amounts.items()}
        self.step, self.mode = trace.step, trace.mode
        self.memo = trace.memo
        self._compiled: dict = {}

    # ---------------------------------------------------------------- compile
    def compiled(self, dens: tuple) -> tuple:
        """(per atom: how to compute it, the total's code, the atoms' denominators) for source
        features over `dens` (made once per set of denominators)."""
        found = self._compiled.get(dens)
        if found is None:
            found = self._compiled[dens] = self._compile(dens)
        return found

    def _compile(self, dens: tuple):
        B = self.B
        atom_den: list = []
        steps = []
        feature = iter(dens)
        for spec in self.atoms:
            op = spec[0]
            if op == "src":
                atom_den.append([next(feature)] * B)
                steps.append(("src",))
                continue
            a = _linear(spec[-2], atom_den, B)
            b = _linear(spec[-1], atom_den, B)
            common = [lcm(x, y) for x, y in zip(a.den, b.den)]
            ka = [c // x for c, x in zip(common, a.den)]
            kb = [c // y for c, y in zip(common, b.den)]
            atom_den.append(None if op == "less" else common)
            steps.append((op, spec[1] if op == "where" else None, a, b, _ints(ka), _ints(kb), max(ka), max(kb)))
        return steps, _linear(self.total, atom_den, B), atom_den

    def kept(self, key, make):
        """What a kernel derives from this plan alone (weights by window, rounding constants): made
        once, kept with the plan (a LookupError raised by `make` is not kept)."""
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = make()
        return found

    def amount_codes(self, dens: tuple) -> dict:
        """The linear code of each charge's amount (made when first asked for)."""
        key = ("amounts", dens)
        if key not in self._compiled:
            atom_den = self.compiled(dens)[2]
            self._compiled[key] = {name: _linear(q, atom_den, self.B) for name, q in self.amounts.items()}
        return self._compiled[key]


class _Linear:
    """A compiled linear form: value[c, b] = (const[b] + sum num_a[c, b] * W_a[b]) / den[b]."""

    __slots__ = ("den", "terms", "const", "const_max", "den_array")

    def __init__(self, den, terms, const, const_max):
        self.den, self.terms, self.const, self.const_max = den, terms, const, const_max
        self.den_array = _ints(den)

    def evaluate(self, values: list) -> tuple:
        """(numerators (C, B) or (B,), bound) from the atoms' (numerators, bound)."""
        bound = self.const_max
        for a, _, wmax in self.terms:
            bound += values[a][1] * wmax
        wide = bound > LIMIT
        acc = self.const.astype(object) if wide else self.const
        for a, w, _ in self.terms:
            num = values[a][0]
            if wide:
                acc = acc + num.astype(object) * w.astype(object)
            else:
                acc = acc + num * w
        return acc, bound


def _ints(values: list) -> np.ndarray:
    """Python ints as an int64 array, or an object array when one does not fit."""
    if all(-LIMIT <= v <= LIMIT for v in values):
        return np.array(values, dtype=np.int64)
    arr = np.empty(len(values), dtype=object)
    arr[:] = values
    return arr


def _linear(form: Sym, atom_den: list, B: int) -> _Linear:
    den = []
    per_atom = {a: [x / atom_den[a][b] for b, x in enumerate(coef)] for a, coef in form.terms.items()
                if any(coef)}
    for b in range(B):
        den.append(lcm(form.const[b].denominator, *(per_atom[a][b].denominator for a in per_atom)))
    terms = []
    for a, coef in per_atom.items():
        w = [int(coef[b] * den[b]) for b in range(B)]
        terms.append((a, _ints(w), max(abs(x) for x in w)))
    const = [int(form.const[b] * den[b]) for b in range(B)]
    return _Linear(den, terms, _ints(const), max((abs(x) for x in const), default=0))


# ------------------------------------------------------------------ running a plan
def trace(structure, source, cache: bool):
    """A new plan from one symbolic walk (raises what the walk raises; NotCompiled when the walk
    does something a plan does not represent)."""
    tracer = Tracer(len(structure.bills))
    walk = _Trace(structure, _TracingSource(source, tracer), cache=cache)
    return Plan(tracer, walk, structure.schedule), tracer.results


def replay(plan_calls, structure, source) -> tuple[list, tuple]:
    """Run the plan's source calls on the real source: (feature QArrays in atom order, signature)."""
    results = []
    signature = []
    for method, args in plan_calls:
        if method == "total":
            r = source.total(*args)
        else:
            r = getattr(source, method)(structure, *args)
        results.append(r)
        signature.append(_signature(method, r))
    return results, tuple(signature)


class PlannedEvaluation:
    """What `VectorBills` reads, computed by a plan: the exact total per bill (numerators over a
    denominator per bill), the rounded units; the amounts by charge and the lines on request."""

    def __init__(self, structure, source, plan: Plan, results: list | None, cache: bool, fused=None):
        self.s = structure
        self.source = source
        self.cache = cache
        self.schedule = structure.schedule
        self.sid = structure.schedule.id
        self.memo = plan.memo
        self.plan = plan
        self.step, self.mode = plan.step, plan.mode
        self._values = None
        if fused is None:
            self._run(results)
        else:  # the total from a kernel (kernel.py); the features only if amounts are asked for
            dens, (num, bound, units) = fused
            self._dens = dens
            self.total_num, self.total_den, self.total_bound = num, plan.compiled(dens)[1].den, bound
            self.units = units

    def _run(self, results: list) -> None:
        plan, source = self.plan, self.source
        features = []
        for spec in plan.atoms:
            if spec[0] == "src":
                r = results[spec[1]]
                q = r if spec[2] is None else (r[0] if isinstance(r, tuple) else r)[spec[2]]
                features.append(q)
        self._dens = dens = tuple(q.den for q in features)
        steps, total, _ = plan.compiled(dens)
        values: list = []
        feature = iter(features)
        for step in steps:
            if step[0] == "src":
                q = next(feature)
                values.append((q.num, q.bound))
                continue
            op, m, a, b, ka, kb, kamax, kbmax = step
            (an, abound), (bn, bbound) = a.evaluate(values), b.evaluate(values)
            bound = max(abound * kamax, bbound * kbmax)
            if bound > LIMIT:
                an, bn, ka, kb = an.astype(object), bn.astype(object), ka.astype(object), kb.astype(object)
            an, bn = an * ka, bn * kb
            if op == "less":
                values.append((an < bn, 0))
            elif op == "min":
                values.append((np.minimum(an, bn), bound))
            elif op == "max":
                values.append((np.maximum(an, bn), bound))
            else:  # where: a where the mask holds, else b
                values.append((np.where(values[m][0], an, bn), bound))
        self._values = values
        num, bound = total.evaluate(values)
        self.total_num = np.broadcast_to(num, source.shape)
        self.total_den = total.den
        self.total_bound = bound
        self.units = round_ratio(self.total_num, total.den_array, bound, self.step, self.mode)

    def _features(self) -> list:
        """The atoms' values (replaying the source calls when a kernel gave the total)."""
        if self._values is None:
            results, _ = replay(self.plan.calls, self.s, self.source)
            self._run(results)
        return self._values

    # what the generic evaluation has, made when asked for -----------------------------
    def fraction(self, c: int, b: int) -> Fraction:
        return Fraction(int(self.total_num[c, b]), self.total_den[b])

    @property
    def amounts(self) -> dict[str, QArray]:
        """Each charge's amount as a QArray (C, B) over one denominator."""
        if not hasattr(self, "_amounts"):
            codes = self.plan.amount_codes(self._dens)
            self._amounts = {}
            for name, code in codes.items():
                num, bound = code.evaluate(self._features())
                self._amounts[name] = _one_den(np.broadcast_to(num, self.source.shape), code.den, bound)
        return self._amounts

    @property
    def total(self) -> QArray:
        if not hasattr(self, "_total"):
            self._total = _one_den(self.total_num, self.total_den, self.total_bound)
        return self._total

    @property
    def records(self) -> dict:
        """The generic walk's records (for the lines of `VectorBills.bill`), on the same source."""
        if not hasattr(self, "_records"):
            self._records = Evaluation(self.s, self.source, cache=self.cache).records
        return self._records


def _one_den(num: np.ndarray, dens: list, bound: int) -> QArray:
    """Numerators over per-bill denominators → one QArray over their lcm."""
    den = lcm(*dens)
    k = [den // d for d in dens]
    top = bound * max(k)
    if top > LIMIT or num.dtype == object:
        scaled = num.astype(object) * _ints(k).astype(object)
    else:
        scaled = num * _ints(k)
    return QArray(scaled, den, top)


def evaluate(structure, source, key, cache: bool = True):
    """The bills of `source` under `structure`: by the cached plan for `key` (schedule, periods,
    named inputs, source kind) when its signature matches, else by a new plan (stored when `cache`),
    else (NotCompiled) by the generic evaluation. With a cached grid layout, the plan is fused with
    the layout into a kernel (kernel.py) when the layout is first used, and the kernel bills the
    later calls on that grid."""
    entry = PLANS.get(key) if (cache and key is not None) else None
    if entry is NOT_COMPILED:
        _checked(source)
        return Evaluation(structure, source, cache=cache)
    groups = source.layout.groups if (entry and source.intervals and source.cache) else None
    if groups is not None:
        found = groups.get(("kernel", key))
        if found is not None and found[0] is not None and entry.get(found[0].signature) is found[0]:
            plan, kern, dens = found
            fused = kernel_total(kern, source, plan.step, plan.mode)
            if fused is not None:
                return PlannedEvaluation(structure, source, plan, None, cache, (dens, fused))
    if entry:
        calls = next(iter(entry.values())).calls
        if groups is not None and ("kernel", key) not in groups:
            # a grid layout seen for the first time: fuse the plan with it and bill by the kernel
            # (the features are not formed first: which exist, in which bills, the layout says)
            source.share_runs(calls)
            plan = entry.get(tuple(source.signature(structure, method, args) for method, args in calls))
            if plan is not None:
                dens = tuple(source.feature_den(*plan.calls[spec[1]]) for spec in plan.atoms if spec[0] == "src")
                _fuse(groups, key, plan, dens, source, structure)
                kern = groups[("kernel", key)][1]
                fused = None if kern is None else kernel_total(kern, source, plan.step, plan.mode)
                if fused is not None:
                    return PlannedEvaluation(structure, source, plan, None, cache, (dens, fused))
        _checked(source)
        results, signature = replay(calls, structure, source)
        plan = entry.get(signature)
        if plan is not None:
            ev = PlannedEvaluation(structure, source, plan, results, cache)
            if groups is not None and ("kernel", key) not in groups:
                _fuse(groups, key, plan, ev._dens, source, structure)
            return ev
    _checked(source)
    try:
        plan, results = trace(structure, source, cache)
    except NotCompiled:
        if cache and key is not None:
            PLANS[key] = NOT_COMPILED
        return Evaluation(structure, source, cache=cache)
    if cache and key is not None:
        PLANS.get_or(key, dict)[plan.signature] = plan
    ev = PlannedEvaluation(structure, source, plan, results, cache)
    if cache and key is not None and source.intervals and source.cache:
        _fuse(source.layout.groups, key, plan, ev._dens, source, structure)
    return ev


def _checked(source) -> None:
    """Interval readings are checked (refused by name: negative, too large) before any path but the
    kernel's reads them; the kernel checks them in its first pass (kernel.Kernel.run)."""
    if source.intervals:
        source.peak  # noqa: B018 - reading it checks the readings once


def _fuse(groups: dict, key, plan: Plan, dens: tuple, source, structure) -> None:
    """Keep with the grid's layout the plan fused with it (kernel.py) for features over `dens`, for
    the calls on this grid (every customer on it); a plan with a feature the kernel does not fuse
    keeps its own path."""
    try:
        groups[("kernel", key)] = (plan, Kernel(plan, dens, source, structure), dens)
    except LookupError:
        groups[("kernel", key)] = (None, None, None)
