"""Bill lines of one version's part of a bill: charges (by row and component), pass-through prices,
discounts and surcharges, the minimum bill. Called by `bill_engine.compute`."""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler.runtime import BillInputError, Line, decimal_text

MEASURED = ("kwh", "therms", "exported_kwh")


def part_lines(ctx, index: int) -> list[Line]:
    version = ctx.parts[index][0]
    segs = [s for s in ctx.segs if s.part == index]
    lines: list[Line] = []
    for charge in version.charges:
        if charge.when is not None and not ctx.holds(charge.when):
            continue
        if any(e.charge == charge.name and ctx.holds(e.when) for e in version.exemptions):
            continue
        lines.extend(charge_lines(ctx, version, segs, charge))
    for passthrough in version.passthroughs:
        if passthrough.name not in ctx.values:
            raise BillInputError(passthrough.name, "not given", f"schedule {ctx.schedule.id} bills the "
                                 f"pass-through '{passthrough.name}' per {passthrough.unit}; set its price with "
                                 f"--set {passthrough.name}=PRICE")
        price = ctx.values[passthrough.name]
        quantity = ctx.total("therms" if passthrough.unit == "therm" else "kwh", passthrough.name) * \
            sum((ctx.share(s) for s in segs), Fraction(0))
        source, section = ctx.where(passthrough.loc)
        lines.append(Line(passthrough.name, passthrough.name, quantity, passthrough.unit, price, quantity * price,
                          source, section, version.label, ("all",), "pass-through price given as input"))
    lines.extend(adjustment_lines(ctx, version, lines))
    lines.extend(minimum_lines(ctx, version, segs, lines))
    return lines


def _dims(ctx, version, charge) -> tuple[set, set, set, str]:
    seasons = {s.name for s in version.seasons}
    lookup = charge.name
    if not any(p.charge == lookup for p in version.periods):
        lookup = {"kWh": "energy", "kW": "demand"}.get(charge.unit, charge.name)
    periods = {p.name for s in version.periods if s.charge == lookup for p in s.periods}
    rule = next((t for t in version.tiers if t.quantity == charge.on), None)
    tiers = {t.name for t in rule.tiers} if rule else set()
    keys = {k for row in charge.rows for k in row.key}
    return keys & seasons, keys & periods, keys & tiers, lookup


def charge_lines(ctx, version, segs, charge) -> list[Line]:
    """Quantities by row key, then one line per component of each row."""
    quantities: dict[tuple[str, ...], Fraction] = {}

    def add(key, q):
        quantities[key] = quantities.get(key, Fraction(0)) + q

    use_season, use_period, use_tier, lookup = _dims(ctx, version, charge)
    if charge.band_input is not None:
        if charge.band_input not in ctx.values:
            raise BillInputError(charge.band_input, "not given", f"charge '{charge.name}' depends on it; set it "
                                                                 f"with --set {charge.band_input}=VALUE")
        value = Fraction(ctx.values[charge.band_input])
        band = next((b for b in charge.bands if b.contains(value)), None)
        if band is None:
            raise BillInputError(charge.band_input, value, f"no band of charge '{charge.name}' contains it")
        months = sum((ctx.months(s) for s in segs), Fraction(0))
        source, section = ctx.where(band.loc)
        amount = months * Fraction(band.value)
        return [Line(charge.name, charge.name, months, "month", Fraction(band.value),
                     -amount if charge.credit else amount, source, section, version.label, (band.key,))]
    for i, seg in enumerate(segs):
        season = (seg.season,) if use_season else ()
        if charge.on == "bill":
            add(season, ctx.months(seg))
        elif charge.on == "days":
            add(season, Fraction(seg.days))
        elif charge.on == "lamps":
            for row in charge.rows:
                count = ctx.values.get(f"lamps.{row.key[0]}", 0)
                if count:
                    add(row.key, count * ctx.months(seg))
        elif charge.on in MEASURED and use_period:
            if i == 0:  # interval energy is assigned exactly, once for the whole part
                for (where, period), q in sorted(ctx.tou_energy(lookup, charge.name).items()):
                    if ctx.segs[where].part == seg.part:
                        add(((ctx.segs[where].season,) if use_season else ()) + (period,), q)
        elif charge.on in MEASURED and use_tier:
            for tier, q in ctx.tier_quantities(charge.on, charge.name).items():
                add(season + (tier,), q * ctx.share(seg))
        elif charge.on in MEASURED:
            add(season, ctx.total(charge.on, charge.name) * ctx.share(seg))
        elif charge.on == "kw":
            active = ctx.active_sets(version, lookup, seg.season)
            windowed = any(any(c.kind != "always" for p in s.periods for c in p.clauses) for s in active)
            demand = ctx.demand(lookup, charge.name, windowed)
            if active and (use_period or windowed):
                for window in sorted({p.name for s in active for p in s.periods}):
                    add(season + ((window,) if use_period else ()), demand.get(window, Fraction(0)) * ctx.share(seg))
            else:
                add(season, demand["*"] * ctx.share(seg))
        else:  # a declared input: a monthly quantity (reserved kW, blocks, circuits)
            value = ctx.values.get(charge.on)
            if value:
                add(season, Fraction(value) * ctx.months(seg))
    lines = []
    for key, quantity in quantities.items():
        row = next((r for r in charge.rows if r.key == key), None)
        if row is None and key == ():
            row = next((r for r in charge.rows if r.key == ("all",)), None)
        if row is None:
            where, section = ctx.where(charge.loc)
            raise BillInputError("start", ctx.inputs.start.isoformat(), f"charge '{charge.name}' of version "
                                 f"{version.label} has no row for '{' '.join(key) or 'all'}' ({where}, {section})")
        if quantity:
            lines.extend(row_lines(ctx, version, charge, row, quantity))
    return lines


def row_lines(ctx, version, charge, row, quantity) -> list[Line]:
    """One line per printed component; when the printed total differs from their sum (a declared
    discrepancy), the total is billed and the difference is a line of its own."""
    source, section = ctx.where(row.loc)
    sign = -1 if charge.credit else 1
    out = []
    parts = Fraction(0)
    for component, value in row.parts:
        if value is None:
            continue
        rate = Fraction(value)
        parts += rate
        out.append(Line(charge.name, component, quantity, charge.unit, rate, sign * quantity * rate, source,
                        section, version.label, row.key))
    if row.total is not None and Fraction(row.total) != parts:
        diff = Fraction(row.total) - parts
        out.append(Line(charge.name, "discrepancy", quantity, charge.unit, diff, sign * quantity * diff, source,
                        section, version.label, row.key,
                        f"printed total {row.total} differs from the sum of its components "
                        f"{decimal_text(parts)}; the printed total is billed"))
    return out


def adjustment_lines(ctx, version, lines) -> list[Line]:
    out: list[Line] = []
    for adj in version.adjustments:
        if not ctx.holds(adj.when):
            continue
        base = sum((x.amount for x in lines if x.charge in adj.charges), Fraction(0))
        base += sum((x.amount for x, a in out if set(a.charges) & set(adj.charges)), Fraction(0))
        percent = Fraction(adj.percent)
        if adj.step is not None:
            if adj.step_input not in ctx.values:
                raise BillInputError(adj.step_input, "not given", f"the {adj.kind} '{adj.name}' depends on it")
            below = Fraction(adj.threshold) - Fraction(ctx.values[adj.step_input]) * 100
            percent = percent * max(below, Fraction(0)) / Fraction(adj.step)
        rate = (-percent if adj.kind == "discount" else percent) / 100
        if not base or not rate:
            continue
        source, section = ctx.where(adj.loc)
        line = Line(adj.name, adj.kind, base, "$", rate, base * rate, source, section, version.label,
                    tuple(adj.charges), f"{adj.percent}% of {', '.join(adj.charges)}")
        out.append((line, adj))
    return [x for x, _ in out]


def minimum_lines(ctx, version, segs, lines) -> list[Line]:
    rule = version.minimum
    if rule is None or (rule.when is not None and not ctx.holds(rule.when)):
        return []
    if rule.charge is not None:
        floor = sum((x.amount for x in lines if x.charge == rule.charge), Fraction(0))
        what = f"the {rule.charge} charge"
    elif rule.unit == "day":
        floor = Fraction(rule.amount) * sum(s.days for s in segs)
        what = f"{rule.amount} per day x {sum(s.days for s in segs)} days"
    else:
        floor = Fraction(rule.amount) * sum((ctx.months(s) for s in segs), Fraction(0))
        what = f"{rule.amount} per month"
    subtotal = sum((x.amount for x in lines), Fraction(0))
    if subtotal >= floor:
        return []
    source, section = ctx.where(rule.loc)
    short = floor - subtotal
    return [Line("minimum", "minimum", Fraction(1), "bill", short, short, source, section, version.label, ("all",),
                 f"minimum bill {decimal_text(floor)} ({what}); charges {decimal_text(subtotal)}")]
