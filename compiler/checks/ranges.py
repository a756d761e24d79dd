"""Amounts, percentages, ranges and units that no rate sheet prints: each would check clean and then
bill wrong money (a negative customer charge, a 250% discount, an inverted applicability range, a
per-therm charge in an electric schedule). Fee amounts are T252 (checks/fees.py), tier allowances T205,
pass-through ranges T211, a `bound` T251.

- T254: a negative amount: a rate cell (component or printed total), a fixed charge, a band's amount
  or edge, a minimum bill, a limit's bound, a pass-through's minimum or maximum. No CPAU sheet of the
  seeds prints one (their only negative figures are the change columns of the staff tables, T4xx);
  money returned to the customer is a `credit` charge with a positive rate (E-EEC-1 C., E-NSE-1 C.).
- T255: a discount or surcharge percentage outside (0, 100]. The sheets print a share of the named
  charges ("a discount of 2 1/2 percent", E-4-TOU D.6; 2.8 percent, E-7-TOU D.6): 0 changes nothing,
  above 100 a discount turns the charges into a credit, and no surcharge doubles a charge.
- T256: an inverted or empty range: a `limit` whose low is not below its high (A. Applicability:
  `low <= value < high`), a band whose low edge is above its high edge.
- T257: a unit that does not belong where it is written: a charge, tier rule, limit or input unit of
  the other utility (electric: kWh, kW, 1000 kWh, lamp per month; gas: therms, scfh; both: month,
  day); a limit whose unit is not the quantity it limits (demand in kW, usage in kWh or therms); a
  charge whose label prints a unit (`Customer Charge ($/month)`, `Demand Charge (per kW)`) other
  than the one it is billed per.
"""

from __future__ import annotations

import re
from fractions import Fraction

from tariffc.compiler import ir
from tariffc.dsl.diagnostics import error

# The units each utility's quantities are measured in; `month` and `day` (fixed and minimum charges)
# belong to both. Charge units as lowered (ir.Charge.unit), tier and limit units as written.
TIME_UNITS = ("month", "day")
UTILITY_UNITS = {
    "electric": ("kWh", "kW", "1000 kWh", "lamp per month"),
    "gas": ("therm", "therms", "scfh"),
}
LIMIT_UNITS = {"demand": ("kW",), "usage": ("kWh", "therm", "therms")}
TIER_UNITS = {"kwh": "kWh", "therms": "therms"}

# The unit a charge's label prints, read from the sheet's own words: "$/month", "(per kW)", "(kWh)",
# "Per kilowatt-hour", "per 1000 kWh block", "Per Lamp Per Month", "Monthly Service Charge".
_LABEL_UNITS = (
    (re.compile(r"per 1000 kWh", re.I), "1000 kWh"),
    (re.compile(r"per lamp", re.I), "lamp per month"),
    (re.compile(r"(\$/|\bper\s+|\()(kilowatt-hour|kWh)\b", re.I), "kWh"),
    (re.compile(r"(\$/|\bper\s+|\()(kilowatt|kW)\b(?!h)", re.I), "kW"),
    (re.compile(r"(\$/|\bper\s+|\()therms?\b", re.I), "therm"),
    (re.compile(r"(\$/|\bper\s+|\()month\b|\bmonthly\b", re.I), "month"),
    (re.compile(r"(\$/|\bper\s+|\()day\b|\bdaily\b", re.I), "day"),
)


def amounts_not_negative(schedule: ir.Schedule):
    """T254: every printed amount and bound is 0 or more (module docstring)."""
    for version in schedule.versions:
        for charge in version.charges:
            for row in charge.rows:
                cells = [(column, value) for column, value in row.components if value is not None]
                if row.total is not None and charge.has_total:
                    cells.append(("total", row.total))
                for column, value in cells:
                    if value.value < 0:
                        yield _negative(f"{_cell(charge, row, column)} is {value.text}", value.span or row.span,
                                        version, charge)
            for band in charge.bands:
                if band.value.value < 0:
                    yield _negative(f"band '{band.key}' of charge '{charge.name}' is {band.value.text}",
                                    band.value.span or band.span, version, charge)
                if band.low < 0:
                    yield _negative(f"band '{band.key}' of charge '{charge.name}' starts at {_text(band.low)}",
                                    band.span, version, charge, hint="a band edge is a size: write it from 0")
        for minimum in version.rules.minimums:  # each is billed (E-2-G 2020-07-01 C.1 and C.2)
            if minimum.amount is not None and minimum.amount.value < 0:
                yield _negative(f"the minimum bill is {minimum.amount.text} per {minimum.unit}",
                                minimum.amount.span or minimum.span, version, None,
                                hint="write the sheet's Minimum Bill ($/day) as printed: it is what a bill is at "
                                     "least")
        for passthrough in version.passthroughs:
            for end, value in (("minimum", passthrough.minimum), ("maximum", passthrough.maximum)):
                if value is not None and value.value < 0:
                    yield _negative(f"the {end} of pass-through '{passthrough.name}' is {value.text}",
                                    value.span or passthrough.span, version, None,
                                    hint="the sheets print a pass-through range from $0.00 up "
                                         "(G-1: Commodity $0.10-$4.00)")
    for limit in schedule.limits:
        for end, value in (("low", limit.low), ("high", limit.high)):
            if value is not None and value < 0:
                yield error("T254", f"`limit {limit.quantity}` has a negative {end} bound {_text(value)} "
                                    f"{limit.unit}", limit.span,
                            f"a {limit.quantity} is never below 0: the bound admits what no meter reads",
                            hint=f"write the sheet's bound from 0 up, e.g. `limit {limit.quantity} 500 to 1000 "
                                 f"{limit.unit}` or `up_to N {limit.unit}`")


def _negative(what: str, span, version: ir.Version, charge: ir.Charge | None, hint: str | None = None):
    note = f"version {version.label}; no rate sheet prints a negative amount"
    if charge is not None and charge.credit:
        note += f" (charge '{charge.name}' is a credit: its rate is written positive and paid to the customer)"
    return error("T254", f"{what}: an amount cannot be negative", span, note,
                 hint=hint or "write the amount as printed; money paid to the customer is a `credit` charge "
                              "with a positive rate (E-EEC-1 C.)")


def _cell(charge: ir.Charge, row: ir.Row, column: str) -> str:
    if not charge.rows or (len(charge.rows) == 1 and len(charge.columns) == 1 and column == charge.name):
        return f"charge '{charge.name}'"
    keys = " ".join(row.keys)
    return f"the {column} of row '{keys}' of charge '{charge.name}'"


def percents_in_range(schedule: ir.Schedule):
    """T255: a discount or surcharge percentage outside (0, 100] (module docstring)."""
    seen = set()
    for version in schedule.versions:
        for adjustment in version.rules.adjustments:
            if adjustment.span in seen:  # a schedule-level rule is in every version's rules
                continue
            seen.add(adjustment.span)
            percent = adjustment.percent.value
            if 0 < percent <= 100:
                continue
            effect = {True: "would change nothing", False: "would turn the charges it names into a credit"
                      if adjustment.kind == "discount" else "would bill more than twice the charges it names"}
            why = effect[True] if percent == 0 else (
                "would raise the charges it names" if percent < 0 and adjustment.kind == "discount" else
                "would lower the charges it names" if percent < 0 else effect[False])
            yield error("T255", f"{adjustment.kind} '{adjustment.name}' is {adjustment.percent.text}%: it {why}",
                        adjustment.percent.span or adjustment.span,
                        "a discount or surcharge is a share of the charges it names: more than 0% and at most "
                        "100% (E-4-TOU D.6: 'a discount of 2 1/2 percent')",
                        hint=f"write the percentage the sheet prints, e.g. `{adjustment.kind} {adjustment.name} "
                             f"2.5% of …`")


def ranges_ordered(schedule: ir.Schedule):
    """T256: a range whose low end is not below its high end (module docstring)."""
    for limit in schedule.limits:
        if limit.low is not None and limit.high is not None and limit.low >= limit.high:
            yield error("T256", f"`limit {limit.quantity} {_text(limit.low)} to {_text(limit.high)} {limit.unit}` "
                                "admits no value", limit.span,
                        "a limit admits low <= value < high; its low end must be below its high end",
                        hint=f"write the lower bound first: `limit {limit.quantity} {_text(min(limit.low, limit.high))} "
                             f"to {_text(max(limit.low, limit.high))} {limit.unit}`")
    for version in schedule.versions:
        for charge in version.charges:
            for band in charge.bands:
                if band.high is None:
                    continue
                if band.low > band.high or (band.low == band.high and not (band.low_closed and band.high_closed)):
                    yield error("T256", f"band '{band.key}' of charge '{charge.name}' runs from {_text(band.low)} "
                                        f"down to {_text(band.high)}: it admits no value", band.span,
                                f"version {version.label}; a band's low edge is below its high edge",
                                hint="write the lower edge first, e.g. (220, 4000)")


def units_belong(schedule: ir.Schedule):
    """T257: units of the other utility, a limit in another quantity's unit, a charge whose label prints
    another unit (module docstring)."""
    own = UTILITY_UNITS.get(schedule.utility)
    allowed = (*own, *TIME_UNITS) if own is not None else None
    hint = f"the units of {schedule.utility} schedules: {', '.join(allowed)}" if allowed else None

    def foreign(unit: str | None) -> bool:
        return allowed is not None and unit is not None and unit not in allowed

    for i in schedule.inputs:
        if i.type == "unit" and foreign(i.unit):
            yield error("T257", f"input '{i.name}' is in {i.unit}, a unit of no {schedule.utility} service",
                        i.span, f"schedule {schedule.id} is `utility {schedule.utility}`", hint=hint)
    for limit in schedule.limits:
        if foreign(limit.unit):
            yield error("T257", f"`limit {limit.quantity}` is in {limit.unit}, a unit of no {schedule.utility} "
                                "service", limit.span, f"schedule {schedule.id} is `utility {schedule.utility}`",
                        hint=hint)
        elif limit.quantity in LIMIT_UNITS and limit.unit not in LIMIT_UNITS[limit.quantity]:
            yield error("T257", f"`limit {limit.quantity}` is in {limit.unit}, which does not measure "
                                f"{limit.quantity}", limit.span,
                        "demand is a rate of use (kW); usage is an amount (kWh or therms)",
                        hint=f"a {limit.quantity} limit is in {' or '.join(LIMIT_UNITS[limit.quantity])}")
    seen = set()
    for version in schedule.versions:
        for rule in version.rules.tiers:
            if rule.span not in seen and foreign(TIER_UNITS.get(rule.quantity)):
                seen.add(rule.span)
                yield error("T257", f"`tiers {rule.quantity}` counts {TIER_UNITS[rule.quantity]}, a unit of no "
                                    f"{schedule.utility} service", rule.span,
                            f"version {version.label}; schedule {schedule.id} is `utility {schedule.utility}`",
                            hint=hint)
        for charge in (*version.charges, *version.references):  # a reference is a charge priced elsewhere
            if foreign(charge.unit):
                yield error("T257", f"charge '{charge.name}' is per {charge.unit}, a unit of no "
                                    f"{schedule.utility} service", charge.span,
                            f"version {version.label}; schedule {schedule.id} is `utility {schedule.utility}`: "
                            f"its bills measure no {charge.unit}", hint=hint)
                continue
            printed = label_unit(charge.label)
            if printed is not None and not _same_unit(printed, charge.unit):
                yield error("T257", f"charge '{charge.name}' is billed per {charge.unit}, but its label prints "
                                    f"{printed}: \"{charge.label}\"", charge.span,
                            f"version {version.label}; the label is the sheet's words, the unit what a bill "
                            "multiplies the rate by",
                            hint=f"bill it `per {printed}` as the sheet prints, or correct the label")


def label_unit(label: str) -> str | None:
    """The unit a charge label prints ("Customer Charge ($/month)" → "month"), or None if it names
    none or more than one (then nothing is judged)."""
    found = {unit for pattern, unit in _LABEL_UNITS if pattern.search(label)}
    if "1000 kWh" in found:
        found.discard("kWh")
    if "lamp per month" in found:
        found.discard("month")
    return found.pop() if len(found) == 1 else None


def _same_unit(printed: str, unit: str) -> bool:
    return printed == unit or {printed, unit} <= {"therm", "therms"}


def _text(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else str(float(value))
