"""Every name a schedule uses is defined: row keys, inputs, charges, seasons; units agree."""

from __future__ import annotations

from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.ir import Condition
from tariffc.compiler.lower.values import MEASURED
from tariffc.dsl.diagnostics import error

UNIT_QUANTITIES = {
    "kWh": ("kwh", "exported_kwh"), "kW": ("kw",), "therm": ("therms",), "therms": ("therms",),
    "month": ("bill",), "day": ("days",), "lamp per month": ("lamps",),
}
INPUT_UNIT_FOR_CHARGE = {"kWh": ("kWh",), "kW": ("kW",), "therm": ("therms", "therm"), "1000 kWh": ()}


def _conditions(version: ir.Version):
    for charge in version.charges:
        if charge.condition:
            yield charge.condition, charge.span
    for adjustment in version.rules.adjustments:
        yield adjustment.condition, adjustment.span
        if adjustment.step_input:
            yield Condition(kind="flag", input=adjustment.step_input), adjustment.span
    for minimum in version.rules.minimums:
        if minimum.condition:
            yield minimum.condition, minimum.span
    for exemption in version.rules.exemptions:
        yield exemption.condition, exemption.span
    for period_set in version.rules.periods:
        if period_set.condition:
            yield period_set.condition, period_set.span


def _row_keys_allowed(version: ir.Version, charge: ir.Charge) -> set[str]:
    rules = version.rules
    allowed = {"all"} | {s.name for s in rules.seasons}
    for rule in rules.tiers:
        allowed |= {t.name for t in rule.tiers}
    for period_set in rules.period_sets(charge.name):
        allowed |= {p.name for p in period_set.periods}
    return allowed


def references_exist(schedule: ir.Schedule):
    inputs = {i.name: i for i in schedule.inputs}
    reported = set()

    def once(diagnostic):
        key = (diagnostic.code, diagnostic.message, diagnostic.span)
        if key not in reported:
            reported.add(key)
            yield diagnostic

    if schedule.calendar is None and any(
            v.rules.periods for v in schedule.versions):
        yield error("T209", f"schedule {schedule.id} has time-of-use periods but names no calendar",
                    schedule.span, hint="add `calendar cpau` so holidays are defined")
    for version in schedule.versions:
        names = {c.name for c in version.charges}
        seasons = {s.name for s in version.rules.seasons}
        for condition, span in _conditions(version):
            declared = inputs.get(condition.input)
            if declared is None:
                yield from once(error("T209", f"input '{condition.input}' is not declared", span,
                                      f"declared inputs: {', '.join(sorted(inputs)) or 'none'}",
                                      hint=f"declare it in the schedule header: `input {condition.input} flag \"why\"`"))
            elif condition.kind == "is" and condition.value not in declared.choices:
                yield from once(error("T209", f"'{condition.value}' is not a choice of input '{condition.input}'",
                                      span, f"choices: {', '.join(declared.choices) or 'none'}"))
        for charge in version.charges:
            if charge.quantity not in MEASURED and charge.quantity not in inputs:
                yield from once(error("T209", f"charge '{charge.name}' is billed on '{charge.quantity}', which is "
                                              f"neither measured nor a declared input", charge.span,
                                      f"measured: {', '.join(MEASURED)}"))
            if charge.band_input and charge.band_input not in inputs:
                yield from once(error("T209", f"input '{charge.band_input}' is not declared", charge.span,
                                      hint=f"declare it: `input {charge.band_input} scfh \"why\"`"))
            if charge.quantity == "lamps":
                continue  # row keys are lamp types
            allowed = _row_keys_allowed(version, charge)
            for row in charge.rows:
                for key in row.keys:
                    if key not in allowed:
                        yield from once(error("T209", f"row key '{key}' names no season, period, window or tier",
                                              row.span, f"known here: {', '.join(sorted(allowed))}",
                                              hint="declare it under D. special notes (seasons, periods, tiers)"))
        for adjustment in version.rules.adjustments:
            for name in adjustment.charges:
                if name not in names:
                    yield from once(error("T210", f"{adjustment.kind} '{adjustment.name}' applies to charge "
                                                  f"'{name}', which version {version.label} does not have",
                                          adjustment.span, f"charges: {', '.join(sorted(names))}"))
        for exemption in version.rules.exemptions:
            if exemption.charge not in names:
                yield from once(error("T210", f"exemption names charge '{exemption.charge}', which version "
                                              f"{version.label} does not have", exemption.span))
        for minimum in version.rules.minimums:
            if minimum.charge and minimum.charge not in names:
                yield from once(error("T210", f"the minimum bill names charge '{minimum.charge}', which version "
                                              f"{version.label} does not have", minimum.span))
        for period_set in version.rules.periods:
            if period_set.season and period_set.season not in seasons:
                yield from once(error("T209", f"season '{period_set.season}' is not defined", period_set.span,
                                      f"seasons: {', '.join(sorted(seasons)) or 'none'}"))
            if period_set.charge not in names:
                yield from once(error("T209", f"periods for charge '{period_set.charge}', which version "
                                              f"{version.label} does not have", period_set.span))


def units_agree(schedule: ir.Schedule):
    inputs = {i.name: i for i in schedule.inputs}
    seen = set()
    for version in schedule.versions:
        for charge in version.charges:
            if (charge.name, charge.unit, charge.quantity) in seen:
                continue
            seen.add((charge.name, charge.unit, charge.quantity))
            expected = UNIT_QUANTITIES.get(charge.unit)
            if charge.quantity in MEASURED:
                ok = expected is not None and charge.quantity in expected
            else:
                declared = inputs.get(charge.quantity)
                ok = declared is None or declared.type in ("count", "number") or (
                    declared.type == "unit" and declared.unit in INPUT_UNIT_FOR_CHARGE.get(charge.unit, ()))
            if not ok:
                yield error("T206", f"charge '{charge.name}' is priced per {charge.unit} but billed on "
                                    f"{charge.quantity}", charge.span,
                            "a $/kW rate never meets kWh; a $/kWh rate never meets therms",
                            hint="correct the unit, or name the quantity with `on NAME`")
        for passthrough in version.passthroughs:
            if schedule.utility == "gas" and passthrough.unit not in ("therm", "therms"):
                yield error("T206", f"pass-through '{passthrough.name}' of a gas schedule is per "
                                    f"{passthrough.unit}", passthrough.span, hint="gas supply charges are per therm")


def passthrough_ranges(schedule: ir.Schedule):
    for version in schedule.versions:
        for p in version.passthroughs:
            if p.minimum is not None and p.maximum is not None and p.minimum.value > p.maximum.value:
                yield error("T211", f"pass-through '{p.name}': its minimum {p.minimum.text} is above its "
                                    f"maximum {p.maximum.text}", p.span, hint="write the range as MIN to MAX")


def bands_partition(schedule: ir.Schedule):
    for version in schedule.versions:
        for charge in version.charges:
            if not charge.bands:
                continue
            bands = sorted(charge.bands, key=lambda b: (b.low, not b.low_closed))
            edge, edge_closed = Fraction(0), True  # the next band must start here
            for band in bands:
                starts_right = band.low == edge and band.low_closed != edge_closed
                if band is bands[0]:
                    starts_right = band.low == 0 and band.low_closed
                if not starts_right:
                    yield error("T208", f"charge '{charge.name}': band '{band.key}' does not start where the "
                                        f"previous band ends", band.span,
                                "bands must cover every value from 0 up exactly once",
                                hint="e.g. [0, 220] then (220, 4000) then [4000, inf)")
                    edge = None  # one error per charge: its end is not judged past a gap
                    break
                if band.high is None:
                    edge = None
                    break
                edge, edge_closed = band.high, band.high_closed
            if edge is not None:
                yield error("T208", f"charge '{charge.name}': the last band must be open-ended (`inf`)", charge.span)


def declarations_resolve(schedule: ir.Schedule):
    for version in schedule.versions:
        for d in version.declared:
            if not d.path:
                continue
            charge = version.charge(d.path[0])
            if charge is None:
                yield error("T310", f"`{d.kind}` names charge '{d.path[0]}', which version {version.label} "
                                    f"does not have", d.span)
                continue
            keys = d.path[1:-1] if d.kind == "unresolved" else d.path[1:]
            if charge.rows and charge.row(keys) is None and not (len(charge.rows) == 1 and not keys):
                yield error("T310", f"`{d.kind}` names row '{' '.join(keys)}' of charge '{charge.name}', which "
                                    f"has no such row", d.span,
                            f"rows: {'; '.join(' '.join(r.keys) for r in charge.rows)}")
            if d.kind == "unresolved":
                column = d.path[-1]
                if column not in charge.columns and column != "total":
                    yield error("T310", f"`unresolved` names column '{column}', which charge '{charge.name}' "
                                        f"does not have", d.span, f"columns: {', '.join(charge.columns)}")
