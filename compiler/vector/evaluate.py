"""The bill arithmetic over arrays: every customer x bill at once, for one schedule.

This follows the scalar semantics statement by statement (`bill_engine` / `bill_lines`, and the
reference `compiler/interpret/`): a bill is cut into version parts and season segments; a charge's quantity
per row key is the measured total x share of days (share = segment days / bill days), or the
months (segment days / divisor when monthly charges are prorated, else segment days / bill days),
or the days, or TOU energy assigned interval by interval, or the demand per window x share; a tier
allowance is one per bill (sum over segments of allowance x days / per-days, rounded by the tier
rule) and the tier split is min(left, allowance); each row bills quantity x its printed total (the
sum of its component lines and of the declared-discrepancy line is exactly that); pass-through
price x quantity; discounts and surcharges x the charges they name; the minimum bill; the total
rounded once. Everything is a `QArray` (exact, see runtime/vector.py), so each amount is the same
rational number the scalar path computes.

Per-bill coefficients (share, months, tier allowances) are arrays of shape (B,) that broadcast
against the per customer x bill quantities of shape (C, B).
"""

from __future__ import annotations

from fractions import Fraction
from math import lcm

import numpy as np

from tariffc.compiler.runtime import vector as g
from tariffc.compiler.runtime.conditions import condition_holds
from tariffc.compiler.vector._scalar import BillInputError, round_to
from tariffc.compiler.vector.errors import VectorUnsupported
from tariffc.compiler.runtime.vector import QArray, round_units
from tariffc.compiler.vector.sources import _LRU

MEASURED = ("kwh", "therms", "exported_kwh")
TABLES = _LRU(64)


def holds(cond, values: dict, schedule_id: str) -> bool:
    """As the scalar `Context.holds`: a flag is true when set, `not` when unset, `is` needs the value."""
    if cond is None:
        return True

    def not_given(name: str) -> bool:
        raise BillInputError(name, "not given", f"schedule {schedule_id} needs it to choose its charges",
                             give=(name,))

    return condition_holds(cond.kind, cond.input, cond.value, values, not_given)


class PeriodTables:
    """For one charge name (`lookup`) and the active period sets of each kind: the period names, and
    per (kind, day class, minute) the first period (int16, -1: none) and the bit mask of all of them
    (int64), as `calendar.periods_at` concatenated over the active sets."""

    def __init__(self, names, first, bits, key, keep):
        self.names, self.first, self.bits, self.key, self.keep = names, first, bits, key, keep
        self._slots: dict = {}

    def slots(self, what: str, step: int):
        """`runtime.vector.change_slots` of `self.first` or `self.bits` for `step`-minute intervals
        (found once: the tables depend on no grid)."""
        key = (what, step)
        if key not in self._slots:
            self._slots[key] = g.change_slots((getattr(self, what),), step)
        return self._slots[key]


def period_tables(structure, lookup: str, values: dict, schedule_id: str, cache: bool = True) -> PeriodTables:
    active = []
    names: list[str] = []
    for v, season in structure.kinds:
        sets = [s for s in structure.versions[v].rules.periods
                if s.charge == lookup and s.season in (None, season) and holds(s.condition, values, schedule_id)]
        active.append(sets)
        for s in structure.versions[v].rules.periods:
            if s.charge == lookup:
                for p in s.periods:
                    if p.name not in names:
                        names.append(p.name)
    if len(names) > 62:
        raise VectorUnsupported(f"more than 62 periods named for '{lookup}'")
    key = (lookup, tuple(names), tuple(tuple(id(s) for s in sets) for sets in active))

    def make():
        K = len(structure.kinds)
        first = np.full((max(K, 1), 14, 1440), -1, dtype=np.int16)
        bits = np.zeros((max(K, 1), 14, 1440), dtype=np.int64)
        for k, sets in enumerate(active):
            for s in sets:
                b, f = g.set_matches(s, names)
                free = first[k] == -1
                first[k][free] = f[free]
                bits[k] |= b
        return PeriodTables(names, first, bits, key, active)

    return TABLES.get_or(key, make) if cache else make()


def _dims(version, charge):
    rules = version.rules
    seasons = {s.name for s in rules.seasons}
    lookup = charge.name
    if not any(p.charge == lookup for p in rules.periods):
        lookup = {"kWh": "energy", "kW": "demand"}.get(charge.unit, charge.name)
    periods = {p.name for s in rules.periods if s.charge == lookup for p in s.periods}
    rule = rules.tier_rule(charge.quantity)
    tiers = {t.name for t in rule.tiers} if rule else set()
    keys = {k for row in charge.rows for k in row.keys}
    return bool(keys & seasons), bool(keys & periods), bool(keys & tiers), lookup


def _row_rate(row) -> Fraction:
    if row.total is not None:
        return row.total.value
    return sum((x.value for _, x in row.components if x is not None), Fraction(0))


def _coef(nums, den: int) -> QArray:
    """A per-bill rational array nums/den (nums: ints, shape (B,))."""
    return QArray(np.asarray(nums, dtype=np.int64), den)


class ChargeQuantities:
    """Quantities per row key of one charge in one version part, and for each key the bills where
    it arises (bool (B,) arrays, combined only when a key has no row to price it)."""

    def __init__(self, charge):
        self.charge = charge
        self.q: dict[tuple, QArray] = {}
        self.present: dict[tuple, list[np.ndarray]] = {}

    def add(self, key, q: QArray, kind: int, rank: int, present: np.ndarray):
        if key in self.q:
            self.q[key] = self.q[key] + q
            self.present[key].append(present)
        else:
            self.q[key] = q
            self.present[key] = [present]


class Evaluation:
    """Runs the arithmetic; holds the amounts by charge, the exact total, and what `bill()` needs to
    write the scalar path's lines."""

    def __init__(self, structure, source, cache: bool = True):
        self.s = structure
        self.source = source
        self.cache = cache
        self.schedule = structure.schedule
        self.sid = structure.schedule.id
        self.memo = memo = structure.memo  # structure-only results, shared by every call on it
        if "share" not in memo:
            n = structure.n
            L = lcm(*{int(x) for x in n})
            memo["share"] = [_coef(structure.days_k[k] * (L // n), L) for k in range(len(structure.kinds))]
            memo["present"] = [structure.days_k[k] > 0 for k in range(len(structure.kinds))]
            memo["versions"] = sorted({v for b in structure.bills for v, _ in b.parts})
        self.share = memo["share"]
        self.present_k = memo["present"]
        self.amounts: dict[str, QArray] = {}
        self.records: dict[int, list] = {}
        self._tiers: dict[str, dict[str, QArray]] = {}
        self._tou: dict[str, tuple] = {}
        self._demand: dict[tuple, dict] = {}
        self._minutes = None
        for v in memo["versions"]:
            self.records[v] = self._part(v)
        self.total = QArray.zero()
        for amount in self.amounts.values():
            self.total = self.total + amount
        self._round()

    # ------------------------------------------------------------ per-bill coefficients
    def months(self, k: int) -> QArray:
        key = ("months", k)
        if key not in self.memo:
            v = self.s.kinds[k][0]
            billing = self.s.versions[v].rules.billing
            if billing.monthly_charges == "prorated":
                self.memo[key] = _coef(self.s.days_k[k], billing.proration_divisor)
            else:
                self.memo[key] = self.share[k]
        return self.memo[key]

    def _values(self, v: int) -> dict:
        return next(b.values for b in self.s.bills if any(pv == v for pv, _ in b.parts))

    def _once(self, key, make):
        """A structure-only value, made on the first call on this structure."""
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    def _total(self, name: str, charge: str) -> QArray:
        q = self.source.total(name)
        if q is None:
            raise BillInputError(name, "not given", f"schedule {self.sid} bills charge '{charge}' on {name}",
                                 give=(name,))
        return q

    # ------------------------------------------------------------ tiers: one allowance per bill
    def tiers(self, quantity: str, charge: str) -> dict[str, QArray]:
        if quantity in self._tiers:
            return self._tiers[quantity]
        shape, allows = self._once(("allow", quantity), lambda: self._allowances(quantity))
        left = self._total(quantity, charge)
        out: dict[str, QArray] = {}
        for name, has_allowance in shape:
            if has_allowance:
                out[name] = left.minimum(allows[name])
            else:
                out[name] = left
            left = left - out[name]
        self._tiers[quantity] = out
        return out

    def _allowances(self, quantity: str):
        """Per bill, the allowance of each tier (as `Context.tier_quantities`): the sum over the
        bill's segments of allowance x days / per-days, rounded by the first tier rule."""
        versions = self.s.versions
        firsts = []
        allowances = []
        for bill in self.s.bills:
            segs = [(v, s) for v, part in bill.parts for s in part]
            rules = [(v, s, versions[v].rules.tier_rule(quantity)) for v, s in segs]
            first = next(r for _, _, r in rules if r is not None)
            allowance = {t.name: Fraction(0) for t in first.tiers}
            for v, seg, rule in rules:
                season = self.s.kinds[seg.kind][1]
                for tier in (rule or first).tiers:
                    if not tier.allowances:
                        continue
                    a = next((a for a in tier.allowances if a.season in (None, season)), None)
                    if a is None:
                        raise BillInputError("start", g.date_of(seg.start).isoformat(),
                                             f"tier {tier.name} has no allowance for season {season}")
                    allowance[tier.name] = allowance.get(tier.name, Fraction(0)) + \
                        Fraction(a.amount) * seg.days / a.per_days
            if first.round_step is not None:
                allowance = {k: round_to(x, Fraction(first.round_step), first.round_mode) for k, x in allowance.items()}
            firsts.append(first)
            allowances.append(allowance)
        shapes = [tuple((t.name, bool(t.allowances)) for t in f.tiers) for f in firsts]
        if len(set(shapes)) > 1:
            raise VectorUnsupported(f"bills in one call whose tier rules for {quantity} name different tiers")
        allows = {}
        for name, has_allowance in shapes[0]:
            if has_allowance:
                values = [a[name] for a in allowances]
                den = lcm(*(x.denominator for x in values))
                allows[name] = _coef([int(x * den) for x in values], den)
        return shapes[0], allows

    # ------------------------------------------------------------ time of use
    def tables(self, lookup: str, values: dict) -> PeriodTables:
        if not self.cache:
            return period_tables(self.s, lookup, values, self.sid, False)
        return self._once(("tables", lookup), lambda: period_tables(self.s, lookup, values, self.sid))

    def tou(self, lookup: str, values: dict, charge: str):
        if lookup not in self._tou:
            for bill in self.s.bills:  # the declared proration rule (runtime.proration.PRORATION)
                if sum(len(segs) for _, segs in bill.parts) > 1 and not all(
                        any(what == "intervals" for what, _ in self.s.versions[v].rules.prorate) for v, _ in bill.parts):
                    raise BillInputError("end", bill.end.isoformat(), f"the period spans a season or version change "
                                         f"and schedule {self.sid} bills charge '{charge}' by time-of-use period "
                                         "without declaring `prorate intervals by timestamp`")
            tables = self.tables(lookup, values)
            self._tou[lookup] = self.source.tou(self.s, lookup, tables, charge, self.sid)
        return self._tou[lookup]

    def minutes(self):
        if self._minutes is None and "minutes" in self.memo:
            self._minutes = self.memo["minutes"]
        if self._minutes is None:
            found = set()
            for bill in self.s.bills:
                found.add(next((self.s.versions[v].rules.demand_minutes for v, _ in bill.parts
                                if self.s.versions[v].rules.demand_minutes), None))
            if len(found) > 1:
                raise VectorUnsupported("bills in one call whose versions measure demand over different minutes")
            self._minutes = self.memo["minutes"] = (found.pop(),)
        return self._minutes[0]

    def demand(self, lookup: str, values: dict, windowed: bool, charge: str) -> dict[str, QArray]:
        key = (lookup, windowed)
        if key not in self._demand:
            tables = self.tables(lookup, values) if self.source.intervals else None
            minutes = self.minutes() if self.source.intervals else None
            self._demand[key] = self.source.demand(self.s, lookup, tables, windowed, minutes, charge, self.sid)
        return self._demand[key]

    # ------------------------------------------------------------ one version part
    def _add_amount(self, part: dict, name: str, amount: QArray):
        part[name] = part[name] + amount if name in part else amount
        self.amounts[name] = self.amounts[name] + amount if name in self.amounts else amount

    def _part(self, v: int) -> list:
        version = self.s.versions[v]
        rules = version.rules
        values = self._values(v)
        kinds = self._once(("kinds", v), lambda: [k for k, (kv, _) in enumerate(self.s.kinds) if kv == v])
        records: list = []
        part: dict[str, QArray] = {}
        billed = self._once(("billed", v), lambda: [
            c for c in version.charges
            if (c.condition is None or holds(c.condition, values, self.sid))
            and not any(e.charge == c.name and holds(e.condition, values, self.sid) for e in rules.exemptions)])
        for charge in billed:
            records.append(self._charge(v, version, charge, kinds, values, part))
        for p in version.passthroughs:
            if p.name not in values:
                raise BillInputError(p.name, "not given", f"schedule {self.sid} bills the pass-through '{p.name}' per "
                                                          f"{p.unit}: its price", give=(p.name,))
            price = Fraction(values[p.name])
            q = self._total("therms" if p.unit == "therm" else "kwh", p.name)
            share = QArray.zero()
            for k in kinds:
                share = share + self.share[k]
            q = q * share
            self._add_amount(part, p.name, q.times(price))
            records.append(("pass", p, q, price))
        done: list[tuple[object, QArray]] = []
        pre = dict(part)
        for adj in rules.adjustments:
            if not holds(adj.condition, values, self.sid):
                continue
            base = QArray.zero()
            for name in adj.charges:
                if name in pre:
                    base = base + pre[name]
            for other, amount in done:
                if set(other.charges) & set(adj.charges):
                    base = base + amount
            pct = adj.percent.value
            if adj.step is not None:
                if adj.step_input not in values:
                    raise BillInputError(adj.step_input, "not given", f"the {adj.kind} '{adj.name}' depends on it",
                                         give=(adj.step_input,))
                pct = pct * max(Fraction(adj.threshold) - Fraction(values[adj.step_input]) * 100, Fraction(0)) / \
                    Fraction(adj.step)
            rate = (-pct if adj.kind == "discount" else pct) / 100
            if not rate:
                continue
            amount = base.times(rate)
            done.append((adj, amount))
            self._add_amount(part, adj.name, amount)
            records.append(("adj", adj, base, rate))
        for rule in rules.minimums:  # each minimum bill whose condition holds, in order
            if rule.condition is not None and not holds(rule.condition, values, self.sid):
                continue
            if rule.charge is not None:
                floor = part.get(rule.charge, QArray.zero())
            elif rule.unit == "day":
                floor = _coef(sum(self.s.days_k[k] for k in kinds), 1).times(rule.amount.value)
            else:
                months = QArray.zero()
                for k in kinds:
                    months = months + self.months(k)
                floor = months.times(rule.amount.value)
            subtotal = QArray.zero()
            for amount in part.values():
                subtotal = subtotal + amount
            short = floor - subtotal
            zero = QArray(np.zeros((), dtype=np.int64), 1, 0)
            short = short.where(subtotal.less(floor), zero)
            self._add_amount(part, "minimum", short)
            records.append(("min", rule, floor, subtotal))
        return records

    def _charge(self, v, version, charge, kinds, values, part):
        use_season, use_period, use_tier, lookup = self._once(("dims", v, charge.name), lambda: _dims(version, charge))
        sign = -1 if charge.credit else 1
        if charge.bands:
            if charge.band_input not in values:
                raise BillInputError(charge.band_input, "not given", f"charge '{charge.name}' depends on it",
                                     give=(charge.band_input,))
            value = Fraction(values[charge.band_input])
            band = next((b for b in charge.bands if _contains(b, value)), None)
            if band is None:
                raise BillInputError(charge.band_input, value, f"no band of charge '{charge.name}' contains it")
            months = QArray.zero()
            for k in kinds:
                months = months + self.months(k)
            self._add_amount(part, charge.name, months.times(sign * band.value.value))
            return ("band", charge, band, months)
        cq = ChargeQuantities(charge)
        on = charge.quantity
        if on in MEASURED and use_period:
            energy, present = self.tou(lookup, values, charge.name)
            for rank_k, k in enumerate(kinds):
                season = self.s.kinds[k][1]
                for rank, name in enumerate(sorted(p for kk, p in energy if kk == k)):
                    key = ((season,) if use_season else ()) + (name,)
                    cq.add(key, energy[(k, name)], k, rank, present[(k, name)])
        else:
            for k in kinds:
                season = self.s.kinds[k][1]
                skey = (season,) if use_season else ()
                here = self.present_k[k]
                if on == "bill":
                    cq.add(skey, self.months(k), k, 0, here)
                elif on == "days":
                    cq.add(skey, _coef(self.s.days_k[k], 1), k, 0, here)
                elif on == "lamps":
                    for rank, row in enumerate(charge.rows):
                        count = values.get(f"lamps.{row.keys[0]}", 0)
                        if count:
                            cq.add(row.keys, self.months(k).times(count), k, rank, here)
                elif on in MEASURED and use_tier:
                    for rank, (tier, q) in enumerate(self.tiers(on, charge.name).items()):
                        cq.add(skey + (tier,), q * self.share[k], k, rank, here)
                elif on in MEASURED:
                    cq.add(skey, self._total(on, charge.name) * self.share[k], k, 0, here)
                elif on == "kw":
                    active, windowed = self._once(("active", v, lookup, season), lambda: _active(
                        version, lookup, season, values, self.sid))
                    demand = self.demand(lookup, values, windowed, charge.name)
                    if active and (use_period or windowed):
                        for rank, window in enumerate(sorted({p.name for s in active for p in s.periods})):
                            q = demand.get(window)
                            q = QArray.zero() if q is None else q * self.share[k]
                            cq.add(skey + ((window,) if use_period else ()), q, k, rank, here)
                    else:
                        cq.add(skey, demand["*"] * self.share[k], k, 0, here)
                else:
                    value = values.get(on)
                    if value:
                        cq.add(skey, self.months(k).times(Fraction(value)), k, 0, here)
        rows = {}
        found = self._once(("rows", v, charge.name), dict)
        for key, present in cq.present.items():
            if key not in found:
                row = charge.row(key) or (charge.row(("all",)) if key == () else None)
                found[key] = (row, None if row is None else sign * _row_rate(row))
            row, rate = found[key]
            if row is None:
                present = np.logical_or.reduce(present)
                if present.any():
                    b = int(np.argmax(present))
                    raise BillInputError("start", self.s.bills[b].start.isoformat(),
                                         f"charge '{charge.name}' of version {version.label} has no row for "
                                         f"'{' '.join(key) or 'all'}' ({self.schedule.path}:{charge.span.line}, "
                                         f"{charge.section})")
                continue
            rows[key] = row
            self._add_amount(part, charge.name, cq.q[key].times(rate))
        order = self._once(("order", v, charge.name, tuple(rows)), lambda: _line_order(version, charge, on, use_season,
                                                                                      use_period, use_tier, rows))
        return ("charge", charge, cq, rows, order)

    # ------------------------------------------------------------ the one rounding
    def _round(self):
        self.step, self.mode = self._once("round", self._rounding)
        self.units = round_units(self.total, self.step, self.mode)

    def _rounding(self):
        rules = {(self.s.versions[b.parts[0][0]].rules.billing.rounding_step,
                  self.s.versions[b.parts[0][0]].rules.billing.rounding_mode) for b in self.s.bills}
        if len(rules) > 1:
            raise VectorUnsupported("bills in one call whose versions round the total differently")
        return rules.pop()


def _line_order(version, charge, on, use_season, use_period, use_tier, rows) -> dict:
    """The order the generated function writes a charge's lines in: rows in sheet order for
    quantities found by key (TOU energy, demand, lamps); season by season, tier by tier otherwise."""
    if (on in MEASURED and use_period) or on in ("kw", "lamps"):
        index = {id(row): i for i, row in enumerate(charge.rows)}
        return {key: (index[id(row)],) for key, row in rows.items()}
    seasons = [x.name for x in version.rules.seasons]
    rule = version.rules.tier_rule(on)
    tiers = [t.name for t in rule.tiers] if rule and use_tier else []
    return {key: ((seasons.index(key[0]),) if use_season else ()) + ((tiers.index(key[-1]),) if use_tier else ())
            for key in rows}


def _active(version, lookup, season, values, schedule_id):
    """The period sets of `lookup` in force in `season` (conditions held), and whether any of them
    has a clause that is not `always` (demand in time windows)."""
    active = [s for s in version.rules.periods if s.charge == lookup and s.season in (None, season)
              and holds(s.condition, values, schedule_id)]
    return active, any(c.kind != "always" for s in active for p in s.periods for c in p.clauses)


def _contains(band, x: Fraction) -> bool:
    above = x >= band.low if band.low_closed else x > band.low
    if band.high is None:
        return above
    return above and (x <= band.high if band.high_closed else x < band.high)
