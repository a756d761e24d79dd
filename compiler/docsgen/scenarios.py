"""Illustrative bill scenarios for the typical-bills pages (usage levels are ours, not the documents';
each page states them). A scenario gives the bill API's keyword arguments for a period [start, end)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Callable
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler import ir

ZONE = ZoneInfo("America/Los_Angeles")


@attrs.frozen
class Scenario:
    label: str
    usage: Callable[[dt.date, dt.date], dict]


def needs_intervals(schedule: ir.Schedule) -> bool:
    """Time-of-use energy or demand in time windows (without a condition): totals are not enough."""
    for version in schedule.versions:
        for ps in version.rules.periods:
            if ps.condition is None and (ps.partition or any(c.kind != "always" for p in ps.periods
                                                             for c in p.clauses)):
                return True
    return False


def flat_load(start: dt.date, end: dt.date, kw: int) -> list:
    """A constant load of `kw` kilowatts: 15-minute intervals, local time."""
    first = dt.datetime.combine(start, dt.time(), ZONE)
    count = (end - start).days * 96
    return [(first + dt.timedelta(minutes=15 * i), 900, Fraction(kw, 4)) for i in range(count)]


def business_load(start: dt.date, end: dt.date, kw: int) -> list:
    """`kw` on weekdays 08:00-18:00, a third of it otherwise (15-minute intervals, local time)."""
    out = []
    day = start
    while day < end:
        for i in range(96):
            at = dt.datetime.combine(day, dt.time(), ZONE) + dt.timedelta(minutes=15 * i)
            busy = day.weekday() < 5 and 8 <= at.hour < 18
            out.append((at, 900, Fraction(kw, 4) if busy else Fraction(kw, 12)))
        day += dt.timedelta(days=1)
    return out


# Example supply prices for the gas bills ($/therm: commodity, cap-and-trade, transportation and carbon
# offset together). The documents do not print the monthly pass-through prices; these are the prices
# that reproduce every bill of the FY 2026 gas staff report's Table 13 (see SUPPLY_SOURCE and
# tests/bills/seed003-gas-table13-residential-bill-impacts.toml, where the range is derived).
SUPPLY_PRICE = {"summer": "0.859", "winter": "0.9024"}  # summer April-October, winter November-March
SUMMER_MONTHS = range(4, 11)
SUPPLY_SOURCE = ("Table 13, 'Impact on Residential Monthly Bill due to Proposed Gas Rate Changes' "
                 "(Finance Committee Agenda Packet, 15 April 2025, line 3881), whose footnote 11 (line 3909) "
                 "says its supply rates are actual commodity prices to January 2025 and forecasts to June 2025")


def supply_prices(schedule: ir.Schedule, start: dt.date) -> dict:
    """The pass-through inputs of a bill starting on `start`: the season's example supply price as the
    commodity price, the other pass-throughs 0 (only their sum enters a bill; each is in its range)."""
    names = sorted({p.name for v in schedule.versions for p in v.passthroughs})
    if not names:
        return {}
    season = "summer" if start.month in SUMMER_MONTHS else "winter"
    return {name: (SUPPLY_PRICE[season] if name == "commodity" else "0") for name in names}


def assumed_inputs(schedule: ir.Schedule) -> tuple[dict, list[str]]:
    """Named inputs every scenario of the schedule needs (pass-through prices: `supply_prices`, by the
    bill's season), and the sentences that state them."""
    values, said = {}, []
    if any(v.passthroughs for v in schedule.versions):
        said.append(f"Assumed supply prices (not printed in the documents): ${SUPPLY_PRICE['summer']}/therm "
                    f"for bills in summer (April to October) and ${SUPPLY_PRICE['winter']}/therm in winter "
                    "(November to March), for the commodity, cap-and-trade, transportation and carbon-offset "
                    "charges together (entered as the commodity price, the others $0). They are the prices that "
                    f"reproduce every bill of {SUPPLY_SOURCE}. Actual monthly prices vary.")
    if schedule.input("meter_capacity"):
        values["meter_capacity"] = "200"
        said.append("Meter capacity 200 scfh (the smallest band).")
    return values, said


def scenarios(schedule: ir.Schedule) -> tuple[list[Scenario], list[str]]:
    base, said = assumed_inputs(schedule)
    choices = [i for i in schedule.inputs if i.type == "choice" and i.choices]
    option_sets = [{}]
    if choices:
        option_sets = [{choices[0].name: c} for c in choices[0].choices]
        said.append(f"One row per {choices[0].name} option; the 1000 kWh block option buys one block.")
    limit = next((x for x in schedule.limits if x.quantity == "demand"), None)
    has_demand = any(c.quantity == "kw" for v in schedule.versions for c in v.charges)
    out: list[Scenario] = []

    def add(label: str, usage: Callable[[dt.date, dt.date], dict]):
        for options in option_sets:
            extra = dict(options)
            if "block" in "".join(options.values()) and schedule.input("green_blocks"):
                extra["green_blocks"] = "1"
            suffix = f" ({', '.join(options.values())})" if options else ""
            out.append(Scenario(label + suffix, lambda s, e, u=usage, x=extra: {
                **base, **supply_prices(schedule, s), **x, **u(s, e)}))

    if schedule.utility == "gas":
        levels = (500, 2000, 10000) if schedule.customer_class == "non_residential" and not schedule.input(
            "meter_capacity") else (20, 50, 100)
        for therms in levels:
            add(f"{therms:,} therms", lambda s, e, t=therms: {"therms": str(t)})
    elif any(c.quantity == "exported_kwh" for v in schedule.versions for c in v.charges):
        for kwh in (100, 500):
            add(f"{kwh} kWh exported", lambda s, e, k=kwh: {"exported_kwh": str(k)})
    elif any(c.quantity == "lamps" for v in schedule.versions for c in v.charges):
        latest = schedule.versions[-1].charge("lamps") or next(c for c in schedule.versions[-1].charges
                                                                  if c.quantity == "lamps")
        for row in latest.rows[:3]:
            key = row.keys[-1]
            add(f"10 lamps: {row.label or key}", lambda s, e, k=key: {"values": {f"lamps.{k}": "10"}})
    elif needs_intervals(schedule):
        kw = int(limit.low) if limit and limit.low else 500
        add(f"flat load {kw} kW (every hour)", lambda s, e, k=kw: {"intervals": flat_load(s, e, k)})
        add(f"{kw} kW weekdays 08:00-18:00, a third of it ({(Decimal(kw) / 3).quantize(Decimal('0.1'))} kW) otherwise",
            lambda s, e, k=kw: {"intervals": business_load(s, e, k)})
        said.append("Loads are synthetic 15-minute interval series in local time (America/Los_Angeles).")
    elif has_demand:
        kws = [int(limit.low), int(limit.high)] if limit and limit.low and limit.high else \
            ([int(limit.low), int(limit.low) * 2] if limit and limit.low else [100, 300])
        for kw in kws:
            add(f"{kw} kW, {kw * 360:,} kWh (50% load factor)", lambda s, e, k=kw: {"kw": str(k), "kwh": str(k * 360)})
    elif any(v.rules.estimate is not None for v in schedule.versions):  # E-16 D.a: kWh from the inventory
        for watts, hours in ((250, 4380), (1000, 8760)):
            monthly = Decimal(watts * hours) / 12000
            add(f"{watts:,} W for {hours:,} h a year ({monthly.normalize():f} kWh a month, D.a)",
                lambda s, e, w=watts, h=hours: {"values": {"total_watts": str(w), "annual_hours": str(h)}})
        said.append("Unmetered kWh estimated as the sheet's D.a says: watts x hours a year / 1000 / 12 a month.")
    elif not any(c.quantity in ("kwh", "kw") for v in schedule.versions for c in v.charges):
        add("one service, a month (no charge depends on usage)", lambda s, e: {})
    elif schedule.customer_class == "residential":
        for kwh in (300, 600, 1000):
            add(f"{kwh} kWh", lambda s, e, k=kwh: {"kwh": str(k)})
    else:
        for kwh in (100, 1000, 5000):
            add(f"{kwh:,} kWh", lambda s, e, k=kwh: {"kwh": str(k)})
    return out, said
