"""Reference interpreter: bills straight from the IR, day by day, written to be obvious, not fast.

Every day of [start, end) carries 1/days of the bill: its version and season are looked up for
that day alone, and each charge takes that day's share of the usage, of the demand, of the tier
quantities and of the month. The generated bill functions (codegen/scalar.py) write each version's
arithmetic out over version parts and season segments instead; the two must agree exactly, line by
line (tests/compiler/test_differential.py).

Imports only the IR and runtime primitives: input typing and interval tiling (runtime.inputs), the
calendar (runtime.calendar), the version in effect (ir.Schedule.version_on) and the one rounding are
shared; the differential test is about the arithmetic.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction
from zoneinfo import ZoneInfo

from tariffc.compiler import ir
from tariffc.compiler.interpret.fees import fee_lines
from tariffc.compiler.interpret.references import bill_kwh, reference_lines
from tariffc.compiler.runtime import Bill, BillInputError, BillInputs, Line, round_to, round_total
from tariffc.compiler.runtime import calendar as cal
from tariffc.compiler.runtime.conditions import condition_holds
from tariffc.compiler.runtime.demand_interval import check_offered, chosen_minutes
from tariffc.compiler.runtime.inputs import check_intervals, check_quantities, typed_values
from tariffc.compiler.runtime.places import refused_at


def _holds(cond: ir.Condition | None, values: dict) -> bool:
    """A `when` condition by the runtime's one reading (runtime/conditions.py); a choice not given
    is refused."""
    return cond is None or condition_holds(cond.kind, cond.input, cond.value, values, _choice_not_given)


def _choice_not_given(name: str) -> bool:
    raise BillInputError(name, "not given", "needed to choose the charges")


def _season(rules: ir.Rules, day: dt.date) -> str | None:
    return cal.season_of(rules.seasons, day)


def _sets(rules: ir.Rules, name: str, season, values) -> list[ir.PeriodSet]:
    return [s for s in rules.periods if s.charge == name and s.season in (None, season) and _holds(s.condition, values)]


def interpret(schedule: ir.Schedule, inputs: BillInputs) -> Bill:
    """The bill of `inputs` under `schedule`, day by day. Raises BillInputError naming the field, the
    value and the `.tariff` line declaring the field (runtime/places.py), as the generated functions do."""
    try:
        return _interpret(schedule, inputs)
    except BillInputError as error:
        raise refused_at(error, schedule.places(), inputs.start) from None


def _interpret(schedule: ir.Schedule, inputs: BillInputs) -> Bill:
    check_quantities(inputs, schedule.id, schedule.measured_inputs())
    n = inputs.days
    days = [inputs.start + dt.timedelta(days=i) for i in range(n)]
    version_of = {d: schedule.version_on(d) for d in days}
    if any(v is None for v in version_of.values()):
        missing = next(d for d, v in version_of.items() if v is None)
        raise BillInputError("start", inputs.start.isoformat(), f"no version in effect on {missing.isoformat()}")
    first = version_of[days[0]]
    if n > first.rules.billing.max_days:
        raise BillInputError("end", inputs.end.isoformat(), "the period is longer than the billing rule allows")
    used = list(dict.fromkeys(version_of.values()))
    if len(used) > 1 and not all(any(p[0] == "versions" for p in v.rules.prorate) for v in used):
        raise BillInputError("end", inputs.end.isoformat(), "the period crosses a version change")
    effective = {v.effective for v in used}
    values = typed_values(schedule.id, schedule.input_specs(),
                          [p for when, p in schedule.price_specs() if when in effective], schedule.lamp_inputs(),
                          inputs.values)
    check_offered([(v.rules.demand_minutes, v.rules.demand_option, v.rules.demand_input) for v in used], values)
    values = {k: Fraction(x) if not isinstance(x, (bool, str, int)) else x for k, x in values.items()}
    inputs = BillInputs(start=inputs.start, end=inputs.end, intervals=inputs.intervals, values=inputs.values,
                        **{k: None if getattr(inputs, k) is None else Fraction(getattr(inputs, k))
                           for k in ("kwh", "kw", "therms", "exported_kwh")})
    tz = ZoneInfo(schedule.calendar.timezone if schedule.calendar else "America/Los_Angeles")
    holidays = tuple(schedule.calendar.holidays if schedule.calendar else ())
    if inputs.intervals is not None:
        check_intervals(inputs, tz)
    for v in used:
        if len({_season(v.rules, d) for d in days if version_of[d] is v}) > 1 and \
                not any(p[0] == "seasons" for p in v.rules.prorate):
            raise BillInputError("end", inputs.end.isoformat(), "the period spans seasons")

    def total(name):
        if name == "kwh" and inputs.kwh is None and inputs.intervals is not None:
            return sum((Fraction(i.kwh) for i in inputs.intervals), Fraction(0))
        value = getattr(inputs, name)
        if value is None:
            raise BillInputError(name, "not given", "needed by a charge")
        return value

    def month(day):
        billing = version_of[day].rules.billing
        return Fraction(1, billing.proration_divisor) if billing.monthly_charges == "prorated" else Fraction(1, n)

    def where(local):
        day = local.date()
        v = version_of[day]
        return v, _season(v.rules, day), local.weekday(), cal.is_holiday(holidays, day), local.hour * 60 + local.minute

    def periods_now(name, local):
        v, season, weekday, holiday, minute = where(local)
        return tuple(p for s in _sets(v.rules, name, season, values) for p in cal.periods_at(s, weekday, holiday, minute))

    tiers_done: dict[str, dict[str, Fraction]] = {}

    def tier_totals(quantity):
        if quantity not in tiers_done:
            allowance: dict[str, Fraction] = {}
            rule0 = None
            for day in days:
                rule = version_of[day].rules.tier_rule(quantity)
                rule0 = rule0 or rule
                for tier in rule.tiers:
                    for a in tier.allowances:
                        if a.season in (None, _season(version_of[day].rules, day)):
                            allowance[tier.name] = allowance.get(tier.name, Fraction(0)) + a.amount / a.per_days
                            break
            if rule0.round_step is not None:
                allowance = {k: round_to(x, rule0.round_step, rule0.round_mode) for k, x in allowance.items()}
            left, out = total(quantity), {}
            for tier in rule0.tiers:
                out[tier.name] = min(left, allowance[tier.name]) if tier.allowances else left
                left -= out[tier.name]
            tiers_done[quantity] = out
        return tiers_done[quantity]

    demand_done: dict[str, dict[str, Fraction]] = {}

    def demand(name):
        if name not in demand_done:
            demand_done[name] = max_demand(name)
        return demand_done[name]

    def max_demand(name):
        if inputs.intervals is None:
            if inputs.kw is None:
                raise BillInputError("kw", "not given", "needed by a demand charge")
            return {"*": inputs.kw}
        first = next((v.rules for v in used if v.rules.demand_minutes), None)
        minutes = first and chosen_minutes(first.demand_minutes, first.demand_option, first.demand_input, values)
        if minutes is None:  # as the engine: interval data with no demand interval declared
            raise BillInputError("intervals", "given", f"schedule {schedule.id} declares no `demand N minutes` "
                                                       "to measure demand from intervals; give kw instead")
        blocks: dict[int, Fraction] = {}
        for i in inputs.intervals:
            if i.seconds > minutes * 60 or minutes * 60 % i.seconds:
                raise BillInputError("intervals", f"{i.seconds // 60} minutes", f"demand is measured over {minutes}-"
                                     "minute intervals; the data must divide them")
            key = int(i.start.timestamp()) // (minutes * 60)
            blocks[key] = blocks.get(key, Fraction(0)) + Fraction(i.kwh)
        best = {"*": Fraction(0)}
        for key, kwh in blocks.items():
            local = dt.datetime.fromtimestamp(key * minutes * 60, dt.timezone.utc).astimezone(tz)
            for w in ("*",) + periods_now(name, local):
                best[w] = max(best.get(w, Fraction(0)), kwh * 60 / minutes)
        return best

    # quantity[(version, charge name, row keys)]
    quantity: dict[tuple, Fraction] = {}

    def add(v, charge, keys, q):
        k = (v.effective, charge.name, tuple(keys))
        quantity[k] = quantity.get(k, Fraction(0)) + q

    credited: dict[tuple, Fraction] = {}  # kW the Maximum Demand credit takes off, same keys

    def take(v, charge, keys, q):
        k = (v.effective, charge.name, tuple(keys))
        credited[k] = credited.get(k, Fraction(0)) + q

    for v in used:
        for charge in v.charges:
            if not _holds(charge.condition, values) or any(
                    e.charge == charge.name and _holds(e.condition, values) for e in v.rules.exemptions):
                continue
            seasons = {s.name for s in v.rules.seasons}
            name = charge.name if any(p.charge == charge.name for p in v.rules.periods) else \
                {"kWh": "energy", "kW": "demand"}.get(charge.unit, charge.name)
            period_names = {p.name for s in v.rules.periods if s.charge == name for p in s.periods}
            rule = v.rules.tier_rule(charge.quantity)
            keys_used = {k for r in charge.rows for k in r.keys}
            by_season, by_period = bool(keys_used & seasons), bool(keys_used & period_names)
            by_tier = bool(rule and keys_used & {t.name for t in rule.tiers})
            my_days = [d for d in days if version_of[d] is v]
            if charge.bands:
                if charge.band_input not in values:
                    raise BillInputError(charge.band_input, "not given", f"charge {charge.name} depends on it")
                add(v, charge, ("band",), sum(month(d) for d in my_days))
                continue
            if charge.quantity in ("kwh", "therms", "exported_kwh") and by_period:
                spans = {(version_of[d].effective, _season(version_of[d].rules, d)) for d in days}
                if len(spans) > 1 and not all(any(p[0] == "intervals" for p in u.rules.prorate) for u in used):
                    raise BillInputError("end", inputs.end.isoformat(), "TOU energy across a change needs "
                                                                        "`prorate intervals by timestamp`")
                for i in inputs.intervals or ():
                    local = i.start.astimezone(tz)
                    if version_of[local.date()] is v:
                        season = _season(v.rules, local.date())
                        add(v, charge, ((season,) if by_season else ()) + periods_now(name, local)[:1],
                            Fraction(i.kwh))
                if inputs.intervals is None:
                    raise BillInputError("intervals", "not given", "time-of-use energy needs interval data")
                continue
            for day in my_days:
                s = (_season(v.rules, day),) if by_season else ()
                if charge.quantity == "bill":
                    add(v, charge, s, month(day))
                elif charge.quantity == "days":
                    add(v, charge, s, Fraction(1))
                elif charge.quantity == "lamps":
                    for r in charge.rows:
                        if values.get(f"lamps.{r.keys[0]}"):
                            add(v, charge, r.keys, values[f"lamps.{r.keys[0]}"] * month(day))
                elif charge.quantity in ("kwh", "therms", "exported_kwh") and by_tier:
                    for tier, q in tier_totals(charge.quantity).items():
                        add(v, charge, s + (tier,), q / n)
                elif charge.quantity in ("kwh", "therms", "exported_kwh"):
                    add(v, charge, s, total(charge.quantity) / n)
                elif charge.quantity == "kw":
                    active = _sets(v.rules, name, _season(v.rules, day), values)
                    windowed = any(c.kind != "always" for st in active for p in st.periods for c in p.clauses)
                    if windowed and inputs.intervals is None:
                        raise BillInputError("intervals", "not given", "demand in time windows needs interval data")
                    best = demand(name)
                    credits = _credits(v, charge, values)  # the Maximum Demand credit: (window, kW)
                    if active and (by_period or windowed):
                        for w in sorted({p.name for st in active for p in st.periods}):
                            add(v, charge, s + ((w,) if by_period else ()), best.get(w, Fraction(0)) / n)
                            for window, kw in credits:
                                if window in (None, w):
                                    take(v, charge, s + ((w,) if by_period else ()),
                                         min(best.get(w, Fraction(0)), kw) / n)
                    else:
                        add(v, charge, s, best["*"] / n)
                        for _, kw in credits:
                            take(v, charge, s, min(best["*"], kw) / n)
                elif values.get(charge.quantity):
                    add(v, charge, s, Fraction(values[charge.quantity]) * month(day))
    return _lines(schedule, inputs, used, version_of, days, quantity, values, total, month, credited)


def _credits(v: ir.Version, charge: ir.Charge, values: dict) -> list[tuple[str | None, Fraction]]:
    """(window, kW) of each Maximum Demand credit on `charge` the bill asks for (its input given and
    not 0, its condition holding); a credit the sheet cannot decide is refused when asked for."""
    out = []
    for credit in v.rules.credits:
        kw = Fraction(values.get(credit.input) or 0)
        if charge.name not in credit.charges or not kw:
            continue
        if credit.refused is not None:
            raise BillInputError(credit.input, str(values[credit.input]), "the Maximum Demand credit cannot be "
                                 f"computed for this version: {credit.refused}")
        if _holds(credit.condition, values):
            out.append((credit.window, kw))
    return out


def _lines(schedule, inputs, used, version_of, days, quantity, values, total, month, credited=None) -> Bill:
    lines: list[Line] = []
    for v in used:
        mine: list[Line] = []
        for charge in v.charges:
            for (eff, name, keys), q in quantity.items():
                if eff != v.effective or name != charge.name or not q:
                    continue
                sign = -1 if charge.credit else 1
                if keys == ("band",):
                    band = next((b for b in charge.bands if b.contains(Fraction(values[charge.band_input]))), None)
                    if band is None:
                        raise BillInputError(charge.band_input, values[charge.band_input],
                                             f"no band of charge '{charge.name}' contains it")
                    mine.append(Line(name, name, q, "month", band.value.value, sign * q * band.value.value, "", "",
                                     v.label, (band.key,)))
                    continue
                row = charge.row(keys) or (charge.row(("all",)) if keys == () else None)
                parts = [(c, x.value) for c, x in row.components if x is not None]
                for c, rate in parts:
                    mine.append(Line(name, c, q, charge.unit, rate, sign * q * rate, "", "", v.label, row.keys))
                if row.total is not None and row.total.value != sum(r for _, r in parts):
                    diff = row.total.value - sum(r for _, r in parts)
                    mine.append(Line(name, "discrepancy", q, charge.unit, diff, sign * q * diff, "", "", v.label,
                                     row.keys))
                    parts.append(("discrepancy", diff))
                taken = (credited or {}).get((eff, name, keys))
                for c, rate in parts if taken else ():  # the Maximum Demand credit: the row at -kW
                    mine.append(Line(name, c, -taken, charge.unit, rate, -taken * rate, "", "", v.label, row.keys))
        if v.references:  # charges priced by another schedule (E-16 C.2), on the bill's kWh or its estimate
            mine += reference_lines(v, [d for d in days if version_of[d] is v], len(days),
                                    lambda: bill_kwh(v, inputs, values, days, month))
        share = Fraction(sum(1 for d in days if version_of[d] is v), len(days))
        for p in v.passthroughs:
            if p.name not in values:
                raise BillInputError(p.name, "not given", "a pass-through price is needed")
            q = total("therms" if p.unit == "therm" else "kwh") * share
            mine.append(Line(p.name, p.name, q, p.unit, values[p.name], q * values[p.name], "", "", v.label, ("all",)))
        done: list[tuple[Line, ir.Adjustment]] = []
        for adj in v.rules.adjustments:
            if not _holds(adj.condition, values):
                continue
            base = sum((x.amount for x in mine if x.charge in adj.charges), Fraction(0))
            base += sum((x.amount for x, a in done if set(a.charges) & set(adj.charges)), Fraction(0))
            pct = adj.percent.value
            if adj.step is not None:
                if adj.step_input not in values:
                    raise BillInputError(adj.step_input, "not given", f"the {adj.kind} {adj.name} depends on it")
                pct = pct * max(adj.threshold - Fraction(values[adj.step_input]) * 100, Fraction(0)) / adj.step
            rate = (-pct if adj.kind == "discount" else pct) / 100
            if base and rate:
                done.append((Line(adj.name, adj.kind, base, "$", rate, base * rate, "", "", v.label,
                                  tuple(adj.charges)), adj))
        mine += [x for x, _ in done]
        for m in v.rules.minimums:  # each minimum bill whose condition holds, in order
            if not _holds(m.condition, values):
                continue
            my_days = sum(1 for d in days if version_of[d] is v)
            if m.charge is not None:
                floor = sum((x.amount for x in mine if x.charge == m.charge), Fraction(0))
            elif m.unit == "day":
                floor = m.amount.value * my_days
            else:
                floor = m.amount.value * sum(month(d) for d in days if version_of[d] is v)
            subtotal = sum((x.amount for x in mine), Fraction(0))
            if subtotal < floor:
                mine.append(Line("minimum", "minimum", Fraction(1), "bill", floor - subtotal, floor - subtotal, "", "",
                                 v.label, ("all",)))
        mine += fee_lines(schedule, v, [d for d in days if version_of[d] is v], v is used[0], values, month)
        lines += mine
    exact = sum((x.amount for x in lines), Fraction(0))
    billing = used[0].rules.billing
    step = Fraction(billing.rounding_step)
    total_ = round_total(exact, _decimal(step), billing.rounding_mode)
    return Bill(schedule.id, tuple(v.label for v in used), inputs.start, inputs.end, tuple(lines), exact, total_,
                f"total {billing.rounding_mode} {_decimal(step)}")


def _decimal(value: Fraction):
    from decimal import Decimal  # noqa: PLC0415

    return Decimal(value.numerator) / Decimal(value.denominator)
