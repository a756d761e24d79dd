"""One checked schedule version → a rate in the OpenEI Utility Rate Database form (API version 8),
the form NREL SAM (PySAM `Utilityrate5`, via `PySAM.UtilityRateTools.URDBv8_to_ElectricityRates`)
and REopt (`urdb_response`) read, with the loss report of what that form cannot hold.

Field names are URDB v8's (https://openei.org/services/doc/rest/util_rates/?version=8):
`energyratestructure` (periods × tiers of {rate, max, unit}), `energyweekdayschedule` /
`energyweekendschedule` (12 months × 24 hours of 0-based period indices), `demandratestructure` +
`demandweekdayschedule` / `demandweekendschedule` (time-of-use demand), `flatdemandstructure` +
`flatdemandmonths` (demand at any time of the month, by month), `fixedchargefirstmeter` +
`fixedchargeunits`, `mincharge` + `minchargeunits`, `startdate` / `enddate` (Unix seconds),
`peakkwcapacitymin` / `peakkwcapacitymax`, `demandwindow` (minutes), and the comment fields.

Reads only the IR (`compiler/ir.py`): rates are each row's billed rate (`Row.rate()`, the printed
total where the sheet prints one), periods are classified with `checks.partition.coverage`, the
function that proves the periods partition the week.

    from tariffc.compiler.export.urdb import export
    result = export(schedule, schedule.version_on(date(2025, 7, 1)))
    result.rate            # dict, URDB v8 fields
    result.losses          # tuple[Loss, ...]

Raises `Unrepresentable` (with the reason) for a schedule the form cannot hold at all.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs

from tariffc.compiler import applicability, ir
from tariffc.compiler.checks.partition import coverage
from tariffc.compiler.export.loss import Loss, ordered

UTILITY = "City of Palo Alto Utilities"
SECTORS = {"residential": "Residential", "non_residential": "Commercial", "street_lighting": "Lighting"}
WEEKDAYS = range(5)  # URDB's weekday schedule: Monday to Friday
WEEKEND = (5, 6)
HOURS = range(24)
YEAR = 2029  # a common year, only used to ask which season each month's days are in


class Unrepresentable(Exception):
    """A schedule (or version) the URDB form cannot hold at all; `reason` says why."""

    def __init__(self, schedule_id: str, reason: str):
        super().__init__(f"{schedule_id}: not exported to URDB: {reason}")
        self.schedule_id = schedule_id
        self.reason = reason

    def __reduce__(self):  # pickled as its fields (the default would pass the message as schedule_id)
        return type(self), (self.schedule_id, self.reason)


@attrs.frozen
class Export:
    """A URDB rate for one schedule version and what it loses."""

    schedule: str
    version: dt.date
    rate: dict  # URDB v8 fields
    losses: tuple[Loss, ...]
    options: dict = attrs.field(factory=dict)  # choice inputs the export was made for

    def to_json(self) -> dict:
        return {"schedule": self.schedule, "version": self.version.isoformat(), "options": self.options,
                "urdb": self.rate, "losses": [loss.to_json() for loss in self.losses]}


def refusal(schedule: ir.Schedule) -> str | None:
    """Why the URDB form cannot hold this schedule at all, or None when it can."""
    if schedule.utility != "electric":
        return "URDB (and SAM's Utilityrate5) hold electric rates only"
    charges = [c for v in schedule.versions for c in v.charges]
    if any(c.quantity == "lamps" or c.unit.startswith("lamp") for c in charges):
        return ("billed per lamp per month from a table of lamp types and sizes (with a charge per separately "
                "switched circuit); URDB has no per-lamp quantity and SAM bills metered energy, so there is "
                "nothing to bill from a load profile")
    if schedule.customer_class == "unmetered":
        return ("unmetered service: energy is billed under Schedule E-2 on the kWh estimated from the "
                "contract inventory (wattage × operating hours), plus a customer charge and per-foot/per-pole "
                "license fees; there is no meter and no load profile for SAM to bill, and the fees have no "
                "URDB field. Model the energy with the E-2 export")
    if charges and all(c.credit for c in charges):
        return ("a compensation rate for exported energy, applied together with the customer's otherwise "
                "applicable schedule (not a rate schedule on its own); URDB holds export rates only as `sell` "
                "values inside the importing schedule's entry and has no rider form")
    if not any(_is_energy(c) for c in charges):
        return "no per-kWh energy charge: nothing a URDB energy rate structure can hold"
    return None


def _is_energy(charge: ir.Charge) -> bool:
    return charge.unit == "kWh" and charge.quantity == "kwh" and not charge.credit


def _is_demand(charge: ir.Charge) -> bool:
    return charge.unit == "kW" and charge.quantity == "kw" and not charge.credit


def _is_fixed(charge: ir.Charge) -> bool:
    return charge.unit in ("month", "day") and charge.quantity in ("bill", "days") and not charge.credit


def default_options(schedule: ir.Schedule) -> dict[str, str]:
    """The choice inputs an export is made for: the first choice of each, unless given."""
    return {i.name: i.choices[0] for i in schedule.inputs if i.type == "choice" and i.choices}


def _money(value: Fraction) -> int | float:
    """A JSON number for an exact value (integers stay integers; decimals print as written: 0.2057)."""
    return int(value) if value.denominator == 1 else float(value)


def _epoch(day: dt.date, tz: str) -> int:
    return int(dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(tz)).timestamp())


class _Builder:
    def __init__(self, schedule: ir.Schedule, version: ir.Version, options: dict[str, str]):
        self.schedule, self.version, self.rules = schedule, version, version.rules
        self.options = options
        self.losses: list[Loss] = []
        self.where = f"{schedule.id} {version.label}"
        self.timed = False  # some charge depends on the hour of the day

    # ------------------------------------------------------------ conditions and choices
    def holds(self, condition: ir.Condition | None, what: str, doc: str | None = None) -> bool:
        """Whether a conditional rule is in the export. A choice follows `options`; a flag is off (the
        export is for a customer without it) and is reported."""
        if condition is None:
            return True
        if condition.kind == "is" and condition.input in self.options:
            return self.options[condition.input] == condition.value
        spec = self.schedule.input(condition.input)
        about = spec.doc if spec and spec.doc else condition.input
        self.losses.append(Loss(
            kind="conditional_rule", rule=f"{what} when {condition.describe()}",
            tariffc=f"applies when the bill input `{condition.input}` says so ({about})",
            urdb="not in the export: a URDB rate has no customer inputs; the export is for a customer "
                 f"for whom `{condition.describe()}` does not hold",
            effect="bills of customers for whom it holds differ; others are the same",
            differs=False, source=doc))
        return condition.kind == "not"

    # ------------------------------------------------------------ seasons by month
    def month_seasons(self) -> list[str | None]:
        seasons = self.rules.seasons
        if not seasons:
            return [None] * 12
        out = []
        for month in range(1, 13):
            days = _calendar.monthrange(YEAR, month)[1]
            names = [_season_of(seasons, dt.date(YEAR, month, d)) for d in range(1, days + 1)]
            counts = {n: names.count(n) for n in names}
            main = max(counts, key=counts.get)
            if len(counts) > 1:
                self.losses.append(Loss(
                    kind="seasons_by_day", rule=f"season change within {_calendar.month_name[month]}",
                    tariffc="seasons begin and end on the sheet's days; a bill is split at the change",
                    urdb=f"URDB schedules are by month: all of {_calendar.month_name[month]} is billed as {main}",
                    effect=f"bills covering {_calendar.month_name[month]} differ", differs=True,
                    source=self.rules.seasons_doc))
            out.append(main)
        return out

    # ------------------------------------------------------------ hour-of-day periods
    def period_sets(self, charge: str, season: str | None) -> list[ir.PeriodSet]:
        found = []
        for ps in self.rules.period_sets(charge):
            if ps.season not in (None, season):
                continue
            if ps.condition is not None:
                if not self.holds(ps.condition, f"{charge} periods ({ps.season or 'all year'})", ps.doc):
                    continue
            found.append(ps)
        return found

    def hourly(self, cover: dict[str, set], days, holiday: bool, what: str) -> list[tuple[str, ...]]:
        """For each hour: the names whose coverage holds every minute of the hour on every day in `days`."""
        out = []
        for hour in HOURS:
            names = set()
            for name, cells in cover.items():
                full = [all((d, holiday, m) in cells for m in range(hour * 60, hour * 60 + 60)) for d in days]
                part = [any((d, holiday, m) in cells for m in range(hour * 60, hour * 60 + 60)) for d in days]
                if any(part) and not all(full):
                    raise Unrepresentable(self.schedule.id, f"{self.where}: {what} '{name}' does not cover whole "
                                          "clock hours on every day of the URDB day type (weekday Mon-Fri, "
                                          "weekend Sat-Sun); URDB schedules are 12 months × 24 hours")
                if all(full):
                    names.add(name)
            out.append(tuple(sorted(names)))
        return out

    def holiday_moves(self, cover: dict[str, set], charge: str, season, holidays_seen: dict) -> None:
        """Record the hours whose period on a weekday holiday differs from an ordinary weekday."""
        for day in WEEKDAYS:
            for hour in HOURS:
                m = hour * 60
                ordinary = tuple(sorted(n for n, cells in cover.items() if (day, False, m) in cells))
                holiday = tuple(sorted(n for n, cells in cover.items() if (day, True, m) in cells))
                if ordinary != holiday:
                    holidays_seen.setdefault((charge, season, ordinary, holiday), set()).add(hour)

    # ------------------------------------------------------------ energy
    def energy(self, month_seasons, holidays_seen) -> dict:
        charges = [c for c in self.version.charges if _is_energy(c)
                   and self.holds(c.condition, f"energy charge '{c.name}'", c.label)]
        if not charges:
            raise Unrepresentable(self.schedule.id, f"{self.where}: no energy charge applies with options "
                                  f"{self.options}")
        tier_rule = self.rules.tier_rule("kwh")
        tiers = tier_rule.tiers if tier_rule else ()
        seasons = sorted({s for s in month_seasons}, key=lambda s: month_seasons.index(s))
        periods: list[tuple[str | None, str | None]] = []  # (season, period) in URDB period order
        structure = []
        labels = []
        weekday = [[0] * 24 for _ in range(12)]
        weekend = [[0] * 24 for _ in range(12)]
        for season in seasons:
            sets = self.period_sets("energy", season)
            if len(sets) > 1:
                raise Unrepresentable(self.schedule.id, f"{self.where}: more than one energy period set in "
                                      f"season {season}")
            if sets:
                cover = coverage(sets[0])
                names = [p.name for p in sets[0].periods]
                by_hour_wd = self.hourly(cover, WEEKDAYS, False, "energy period")
                by_hour_we = self.hourly(cover, WEEKEND, False, "energy period")
                self.holiday_moves(cover, "energy", season, holidays_seen)
                self.timed = True
            else:
                names = [None]
                by_hour_wd = by_hour_we = [(None,)] * 24
            if tiers and sets:
                raise Unrepresentable(self.schedule.id, f"{self.where}: usage tiers within time-of-use periods")
            index = {}
            for name in names:
                index[name] = len(periods)
                periods.append((season, name))
                structure.append(self.energy_tiers(charges, season, name, tiers))
                labels.append(" ".join(x for x in (season, name) if x) or "all")
            for month in range(12):
                if month_seasons[month] != season:
                    continue
                for hour in HOURS:
                    weekday[month][hour] = index[by_hour_wd[hour][0]]
                    weekend[month][hour] = index[by_hour_we[hour][0]]
        return {"energyratestructure": structure, "energyweekdayschedule": weekday,
                "energyweekendschedule": weekend, "energytoulabels": labels}

    def _rate(self, charges, keys_wanted: dict[str, str | None], kind: str) -> Fraction:
        """The sum, over the charges, of the rate of the row whose keys select these season/period/tier."""
        total = Fraction(0)
        for charge in charges:
            rows = [r for r in charge.rows if _selects(r.keys, keys_wanted, self.rules, kind)]
            if len(rows) != 1:
                raise Unrepresentable(self.schedule.id, f"{self.where}: charge '{charge.name}' has "
                                      f"{len(rows)} rows for {keys_wanted}")
            total += rows[0].rate()
        return total

    def energy_tiers(self, charges, season, period, tiers) -> list[dict]:
        if not tiers:
            return [{"rate": _money(self._rate(charges, {"season": season, "period": period, "tier": None},
                                               "energy")), "unit": "kWh"}]
        out = []
        cumulative: Fraction | None = Fraction(0)
        unit = "kWh daily"
        for tier in tiers:
            entry = {"rate": _money(self._rate(charges, {"season": season, "period": period, "tier": tier.name},
                                               "energy"))}
            if tier.allowances:
                allowance = next((a for a in tier.allowances if a.season in (None, season)), None)
                if allowance is None:
                    raise Unrepresentable(self.schedule.id, f"{self.where}: tier {tier.name} has no allowance "
                                          f"in season {season}")
                if allowance.per_days == 1:
                    unit = "kWh daily"
                else:
                    unit = "kWh"
                    self.losses.append(Loss(
                        kind="tier_allowance", rule=f"tier {tier.name}: {allowance.amount} kWh per "
                                                    f"{allowance.per_days} days",
                        tariffc=f"the allowance is {allowance.amount} × days/{allowance.per_days} of the bill",
                        urdb=f"a monthly tier limit of {allowance.amount} kWh",
                        effect="bills of months other than 30 days differ", differs=True,
                        source=tier_rule_doc(self.rules)))
                cumulative += Fraction(allowance.amount)
                entry["max"] = _money(cumulative)
            entry["unit"] = unit
            out.append(entry)
        for entry in out:
            entry["unit"] = unit
        rule = self.rules.tier_rule("kwh")
        if rule.round_step is not None:
            self.losses.append(Loss(
                kind="tier_allowance", rule=f"tier allowance rounded ({rule.round_mode}, step {rule.round_step})",
                tariffc="the bill's tier allowance is rounded", urdb="SAM does not round tier limits",
                effect="bills whose usage falls within the rounding of the allowance differ", differs=True,
                source=rule.doc))
        return out

    # ------------------------------------------------------------ demand
    def demand(self, month_seasons, holidays_seen) -> dict:
        charges = [c for c in self.version.charges if _is_demand(c)
                   and self.holds(c.condition, f"demand charge '{c.name}'", c.label)]
        if not charges:
            return {}
        out: dict = {}
        seasons = sorted(set(month_seasons), key=lambda s: month_seasons.index(s))
        flat_rates: dict[str | None, Fraction] = {}
        tou_structure, tou_labels = [], []
        weekday = [[0] * 24 for _ in range(12)]
        weekend = [[0] * 24 for _ in range(12)]
        any_tou = False
        for season in seasons:
            sets = [ps for ps in self.period_sets("demand", season)]
            windows = [(p.name, ps) for ps in sets for p in ps.periods]
            cover = {}
            for ps in sets:
                cover.update(coverage(ps))
            everywhere = {n for n, cells in cover.items() if len(cells) == 7 * 2 * 1440}
            timed = {n: cells for n, cells in cover.items() if n not in everywhere}
            rows_keyed = {n for c in charges for r in c.rows for n in r.keys if n in cover}
            flat = Fraction(0)
            if not windows or not rows_keyed:
                flat = self._rate(charges, {"season": season, "period": None, "tier": None}, "demand")
            else:
                for name in sorted(everywhere & rows_keyed):
                    flat += self._rate(charges, {"season": season, "period": name, "tier": None}, "demand")
            flat_rates[season] = flat
            timed = {n: cells for n, cells in timed.items() if n in rows_keyed}
            if timed:
                any_tou = True
                by_wd = self.hourly(timed, WEEKDAYS, False, "demand window")
                by_we = self.hourly(timed, WEEKEND, False, "demand window")
                if any(len(names) > 1 for names in by_wd + by_we):
                    raise Unrepresentable(self.schedule.id, f"{self.where}: overlapping time-of-use demand "
                                          "windows (a URDB hour belongs to one demand period)")
                self.holiday_moves(timed, "demand", season, holidays_seen)
                self.timed = True
                index = {}
                for name in [w for w, _ in windows if w in timed]:
                    index[name] = len(tou_structure)
                    tou_structure.append([{"rate": _money(self._rate(
                        charges, {"season": season, "period": name, "tier": None}, "demand"))}])
                    tou_labels.append(f"{season} {name}" if season else name)
                index[()] = len(tou_structure)  # hours in no timed window
                tou_structure.append([{"rate": 0}])
                tou_labels.append(f"{season} outside the windows" if season else "outside the windows")
                for month in range(12):
                    if month_seasons[month] != season:
                        continue
                    for hour in HOURS:
                        weekday[month][hour] = index[by_wd[hour][0] if by_wd[hour] else ()]
                        weekend[month][hour] = index[by_we[hour][0] if by_we[hour] else ()]
        if any(flat_rates.values()):
            values = []
            for season in seasons:
                if flat_rates[season] not in values:
                    values.append(flat_rates[season])
            out["flatdemandstructure"] = [[{"rate": _money(v)}] for v in values]
            out["flatdemandmonths"] = [values.index(flat_rates[month_seasons[m]]) for m in range(12)]
            out["flatdemandunit"] = "kW"
        if any_tou:
            out.update(demandratestructure=tou_structure, demandweekdayschedule=weekday,
                       demandweekendschedule=weekend, demandtoulabels=tou_labels, demandrateunit="kW")
        if self.rules.demand_minutes:
            out["demandwindow"] = self.rules.demand_minutes
        out["demandunits"] = "kW"
        return out

    # ------------------------------------------------------------ fixed, minimum
    def fixed(self) -> dict:
        per = {"month": Fraction(0), "day": Fraction(0)}
        for charge in self.version.charges:
            if _is_fixed(charge) and self.holds(charge.condition, f"charge '{charge.name}'", charge.label):
                per[charge.unit] += charge.rows[0].rate()
        if per["month"] and per["day"]:
            raise Unrepresentable(self.schedule.id, f"{self.where}: both monthly and daily fixed charges")
        if per["day"]:
            self.losses.append(Loss(
                kind="fixed_per_day", rule=f"fixed charge {per['day']} $/day",
                tariffc="× the days of the bill", urdb="fixedchargeunits $/day: SAM bills 365/12 days every month",
                effect="every month's bill differs by (days − 365/12) × the daily charge", differs=True))
            return {"fixedchargefirstmeter": _money(per["day"]), "fixedchargeunits": "$/day"}
        if per["month"]:
            return {"fixedchargefirstmeter": _money(per["month"]), "fixedchargeunits": "$/month"}
        return {}

    def minimum(self) -> dict:
        """`mincharge`/`minchargeunits`: the minimum bill of the exported customer. Of the version's
        minimums (`Rules.minimums`, each billed when its condition holds), those that hold for this
        export's options and flags (`holds`: one choice's minimum is the customer's, E-2-G 2020-07-01
        C.1 for green_option=renewable_100, C.2 for block_1000; a flag's minimum is reported as a
        conditional rule). URDB holds one minimum: of several that hold per the same unit the largest
        is exported (the bill is raised to each in turn, so the largest decides: nothing lost);
        several per different units, or a minimum equal to a charge, raise `Unrepresentable`."""
        held = [m for m in self.rules.minimums if self.holds(m.condition, "minimum bill", m.doc)]
        if not held:
            return {}
        if any(m.amount is None for m in held):
            raise Unrepresentable(self.schedule.id, f"{self.where}: a minimum bill equal to a charge")
        if len({m.unit for m in held}) > 1:
            raise Unrepresentable(self.schedule.id, f"{self.where}: minimum bills per day and per month both "
                                  f"apply (lines {', '.join(str(m.span.line) for m in held)}); URDB holds one")
        rule = max(held, key=lambda m: m.amount.value)
        if rule.unit == "day":
            self.losses.append(Loss(
                kind="minimum_per_day", rule=f"minimum bill {rule.amount.text} $/day",
                tariffc="the bill is at least the daily minimum × the days of the bill",
                urdb="minchargeunits $/day: SAM's converter makes it a monthly minimum of 365/12 days",
                effect="bills differ in months where the minimum decides the bill (small usage): tariffc's "
                       "daily minimum × the month's days against SAM's × 365/12",
                differs=True, source=rule.doc))
            return {"mincharge": _money(rule.amount.value), "minchargeunits": "$/day"}
        return {"mincharge": _money(rule.amount.value), "minchargeunits": "$/month"}


def tier_rule_doc(rules: ir.Rules) -> str | None:
    rule = rules.tier_rule("kwh")
    return rule.doc if rule else None


def _season_of(seasons, day: dt.date) -> str:
    md = (day.month, day.day)
    for s in seasons:
        if (s.start <= md <= s.end) if s.start <= s.end else (md >= s.start or md <= s.end):
            return s.name
    raise LookupError(day)


def _selects(keys, wanted: dict, rules: ir.Rules, charge: str) -> bool:
    """Whether a row with these selector keys bills the wanted season/period/tier (a row without a
    season key applies in every season, and so on)."""
    season_names = {s.name for s in rules.seasons}
    period_names = {p.name for ps in rules.period_sets(charge) for p in ps.periods}
    tier_names = {t.name for tr in rules.tiers for t in tr.tiers}
    got = {"season": None, "period": None, "tier": None}
    for key in keys:
        if key in season_names:
            got["season"] = key
        elif key in period_names:
            got["period"] = key
        elif key in tier_names:
            got["tier"] = key
        else:
            return False
    return all(got[k] in (None, wanted[k]) if k == "season" else got[k] == wanted[k] for k in got)


# ---------------------------------------------------------------- losses every version states
def _standing_losses(b: _Builder, holidays_seen: dict) -> None:
    schedule, version, rules = b.schedule, b.version, b.rules
    cal = schedule.calendar
    if holidays_seen and cal:
        names = ", ".join(h.label for h in cal.holidays)
        moves = []
        for (charge, season, ordinary, holiday), hours in sorted(holidays_seen.items(), key=str):
            moves.append({"charge": charge, "season": season, "hours": sorted(hours),
                          "weekday": list(ordinary), "holiday": list(holiday)})
        said = "; ".join(f"{m['charge']} {m['season'] or ''} {_hours_text(m['hours'])}: "
                         f"{'/'.join(m['weekday']) or 'none'} on a weekday, "
                         f"{'/'.join(m['holiday']) or 'none'} on a holiday" for m in moves)
        b.losses.append(Loss(
            kind="holidays", rule=f"holidays ({len(cal.holidays)} declared in calendar {cal.name})",
            tariffc=f"CPAU bills its {len(cal.holidays)} declared holidays ({names}) like a weekend day: "
                    f"{said}",
            urdb="URDB has no holiday dimension, so SAM and REopt bill a holiday that falls on a weekday as a "
                 "weekday",
            effect="bills of months with a holiday on a weekday differ: the holiday's kWh in those hours × "
                   "(weekday rate − holiday rate), and a demand window's maximum may be set on the holiday",
            differs=True, source="; ".join(dict.fromkeys(n for n in cal.notes)),
            detail={"moves": moves, "holidays": [h.name for h in cal.holidays]}))
    multi = [c for c in version.charges if len([x for x in c.columns if x != c.name]) > 1
             and (_is_energy(c) or _is_demand(c) or _is_fixed(c))]
    if multi:
        parts = "; ".join(f"{c.name}: {' + '.join(c.columns)}" for c in multi)
        sums = [d for d in version.declared if d.kind == "sum"]
        extra = (f" The sheet's printed totals are used where they differ from the components' sum "
                 f"({len(sums)} declared: " + "; ".join(d.reason for d in sums) + ")") if sums else ""
        b.losses.append(Loss(
            kind="components", rule="unbundled rate components",
            tariffc=f"each rate is the sum of its unbundled components ({parts}), shown per component on the bill",
            urdb="one rate per period and tier: the printed total (the adopted figure)." + extra,
            effect="totals are the same; the split by component is not in the export", differs=False))
    if rules.seasons and any(p[0] == "seasons" for p in rules.prorate):
        words = next((p[1] for p in rules.prorate if p[0] == "seasons"), None)
        dates = ", ".join(f"{s.name} {_day(s.start)} to {_day(s.end)}" for s in rules.seasons)
        starts = " or ".join(_day(s.start) for s in rules.seasons)
        by_month = all(s.start[1] == 1 for s in rules.seasons)
        b.losses.append(Loss(
            kind="season_proration", rule=f"seasons by day ({dates}) and bills spanning a season change",
            tariffc="seasons are dates; a bill spanning a change is prorated by the days in each season, "
                    "each share at its season's rates",
            urdb="URDB seasons are whole months of the 12 × 24 schedules" + (
                 ": these seasons start on the 1st, so the months hold them exactly" if by_month else "")
                 + "; SAM and REopt bill calendar months, so they never split a bill",
            effect=f"calendar-month bills are the same; bills of meter-read periods spanning {starts} differ",
            differs=False, source=words))
    if any(p[0] == "versions" for p in rules.prorate) or (cal and any(p[0] == "versions" for p in cal.prorate)):
        words = next((p[1] for p in (*rules.prorate, *(cal.prorate if cal else ())) if p[0] == "versions"), None)
        b.losses.append(Loss(
            kind="version_proration", rule="bills spanning a rate change",
            tariffc="a bill spanning a new version's effective date is prorated by the days under each version",
            urdb="one URDB entry holds one version's rates (startdate/enddate); SAM bills a year at them",
            effect="calendar-month bills within the version are the same; a bill spanning July 1 differs",
            differs=False, source=words))
    for adj in rules.adjustments:
        how = (f"{adj.percent.text}% for each {adj.step}% that {adj.step_input} is below {adj.threshold}%"
               if adj.step is not None else f"{adj.percent.text}%")
        b.losses.append(Loss(
            kind="adjustment", rule=f"{adj.kind} {adj.name} ({how} of {', '.join(adj.charges)}) "
                                    f"when {adj.condition.describe()}",
            tariffc=f"a {adj.kind} of {how} of the {' and '.join(adj.charges)} charges",
            urdb="not in the export: URDB has no percentage adjustment of charges and no customer inputs",
            effect=f"bills of customers with {adj.condition.describe()} differ by that {adj.kind}; others are "
                   "the same", differs=False, source=adj.doc))
    _lang2_losses(b, schedule, rules)
    for charge in version.charges:
        if _is_energy(charge) or _is_demand(charge) or _is_fixed(charge):
            continue
        cond = charge.condition
        if cond is not None and cond.kind == "is" and b.options.get(cond.input, cond.value) != cond.value:
            continue  # belongs to another option's export
        exempt = [e for e in rules.exemptions if e.charge == charge.name]
        rates = ", ".join(f"{' '.join(r.keys)} {_text(r)}" for r in charge.rows)
        spec = schedule.input(charge.quantity)
        about = f" ({spec.doc})" if spec and spec.doc else ""
        b.losses.append(Loss(
            kind="excluded_charge", rule=f"{charge.label} ({charge.name})",
            tariffc=f"per {charge.unit} of `{charge.quantity}`{about}: {rates}"
                    + (f"; not charged when {', '.join(e.condition.describe() for e in exempt)}" if exempt else ""),
            urdb=f"not in the export: URDB has no `{charge.quantity}` quantity",
            effect=f"bills of customers with `{charge.quantity}` differ by that charge; others are the same",
            differs=False))
    if b.timed:
        b.losses.append(Loss(
            kind="clock", rule="local clock time",
            tariffc=f"time-of-use periods are read on the Pacific local clock ({cal.timezone if cal else 'local'}, "
                    "with daylight saving time)",
            urdb="URDB hours are clock hours with no time zone; SAM's 8760-hour year has no daylight saving shift",
            effect="the same when the load given to SAM is in local clock hours; a load in standard time "
                   "shifts every period by an hour from March to November", differs=False))
    b.losses.append(Loss(
        kind="exports", rule="energy exported by customer generation",
        tariffc="exports are compensated under Schedule E-EEC-1 (per kWh exported) or, for net-metering "
                "customers, E-NSE-1 (annual net surplus), alongside this schedule",
        urdb="the export sets no `dgrules` or `sell` rates: SAM assumes net metering at this schedule's rates",
        effect="bills with exports differ; bills without generation are the same", differs=False))
    billing = rules.billing
    b.losses.append(Loss(
        kind="billing_period", rule="billing period and rounding",
        tariffc=f"a bill covers the meter-read days (up to {billing.max_days}); $/month charges once per bill; "
                f"the total rounded {billing.rounding_mode.replace('_', '-')} to "
                f"{_decimal(billing.rounding_step)}",
        urdb="SAM and REopt bill calendar months, in floating point, unrounded",
        effect="calendar-month bills agree to the cent; other billing periods are not modelled", differs=False,
        source=billing.doc))


def _day(month_day: tuple[int, int]) -> str:
    return f"{_calendar.month_abbr[month_day[0]]} {month_day[1]}"


def _decimal(value: Fraction) -> str:
    return str(Decimal(value.numerator) / Decimal(value.denominator))


def _text(row: ir.Row) -> str:
    return row.total.text if row.total is not None else _decimal(row.rate())


def _hours_text(hours: list[int]) -> str:
    spans, start = [], None
    for i, h in enumerate(hours):
        if start is None:
            start = h
        if i + 1 == len(hours) or hours[i + 1] != h + 1:
            spans.append(f"{start:02d}:00-{h + 1:02d}:00")
            start = None
    return ", ".join(spans)


def export(schedule: ir.Schedule, version: ir.Version, options: dict[str, str] | None = None) -> Export:
    """The URDB v8 rate for one version of a checked schedule, and its loss report.

    `options` picks a choice input's value (e.g. {"green_option": "renewable_100"}); each choice not given
    takes its first value. Raises `Unrepresentable` when the form cannot hold the schedule."""
    reason = refusal(schedule)
    if reason:
        raise Unrepresentable(schedule.id, reason)
    chosen = {**default_options(schedule), **(options or {})}
    for name, value in chosen.items():
        spec = schedule.input(name)
        if spec is None or spec.type != "choice" or value not in spec.choices:
            known = ", ".join(f"{i.name}={'|'.join(i.choices)}" for i in schedule.inputs if i.type == "choice")
            raise ValueError(f"{schedule.id}: no choice {name}={value} (choices: {known or 'none'})")
    b = _Builder(schedule, version, chosen)
    for spec in schedule.inputs:
        if spec.type == "choice" and len(spec.choices) > 1:
            others = [c for c in spec.choices if c != chosen[spec.name]]
            b.losses.append(Loss(
                kind="option", rule=f"{spec.name}: one of {', '.join(spec.choices)}",
                tariffc=f"the customer's choice ({spec.doc or spec.name})",
                urdb=f"one URDB entry per choice: this one is {spec.name}={chosen[spec.name]}; export "
                     f"{', '.join(others)} with --option {spec.name}=…",
                effect="bills of customers on another option differ", differs=False))
    month_seasons = b.month_seasons()
    holidays_seen: dict = {}
    rate: dict = {}
    tz = schedule.calendar.timezone if schedule.calendar else "America/Los_Angeles"
    later = [v for v in schedule.versions if v.effective > version.effective]
    end = version.ends or (later[0].effective if later else None)
    rate.update(
        name=f"{schedule.id} {schedule.title}" + (f" ({', '.join(f'{k}={v}' for k, v in chosen.items())})"
                                                  if chosen else ""),
        utility=UTILITY, sector=SECTORS.get(schedule.customer_class, "Commercial"), country="USA",
        servicetype="Bundled", description=version.applicability or schedule.applicability,
        startdate=_epoch(version.effective, tz))
    if end:
        rate["enddate"] = _epoch(end, tz)
    if version.source:
        rate["source"] = (f"City of Palo Alto Council-adopted rate sheet: {version.source.document}, "
                          f"{version.source.sheet}" + (f", line {version.source.line}" if version.source.line else ""))
    for limit in schedule.limits:
        if limit.quantity == "demand":
            if limit.low is not None:
                rate["peakkwcapacitymin"] = _money(limit.low)
            if limit.high is not None:
                rate["peakkwcapacitymax"] = _money(limit.high)
    rate.update(b.energy(month_seasons, holidays_seen))
    rate.update(b.demand(month_seasons, holidays_seen))
    rate.update(b.fixed())
    rate.update(b.minimum())
    _standing_losses(b, holidays_seen)
    losses = ordered(_unique(b.losses))
    rate["energycomments"] = "; ".join(f"{l.rule}: {l.urdb}" for l in losses if l.kind in
                                       ("holidays", "components", "tier_allowance", "seasons_by_day")) or None
    rate["demandcomments"] = (f"Demand is the maximum {b.rules.demand_minutes}-minute average kW. "
                              if b.rules.demand_minutes else "") + (b.rules.demand_doc or "")
    rate["basicinformationcomments"] = (
        f"Exported by tariffc from the checked schedule {Path(schedule.path).name} (version {version.label}). "
        f"Not held by this entry: " + "; ".join(l.rule for l in losses) + ".")
    rate = {k: v for k, v in rate.items() if v not in (None, "")}
    return Export(schedule.id, version.effective, rate, losses, chosen)


def _unique(losses):
    seen, out = set(), []
    for loss in losses:
        key = (loss.kind, loss.rule)
        if key not in seen:
            seen.add(key)
            out.append(loss)
    return out


def exports_of(schedule: ir.Schedule, options: dict[str, str] | None = None) -> list[Export]:
    """Every version of a schedule (oldest first). Raises `Unrepresentable` for the whole schedule."""
    return [export(schedule, v, options) for v in schedule.versions]


def _lang2_losses(b, schedule: ir.Schedule, rules: ir.Rules) -> None:
    """The Maximum Demand credit, the City's alternative demand interval and the A. bounds judged over
    months (issue 15, lang2): rules on customer inputs or history, which a URDB rate cannot hold."""
    for credit in rules.credits:
        where = f" ({credit.window} demand)" if credit.window else ""
        b.losses.append(Loss(
            kind="demand_credit", rule=f"Maximum Demand credit on {', '.join(credit.charges)}{where}",
            tariffc=(f"not computed for this version: {credit.refused}" if credit.refused is not None else
                     f"the billing demand is reduced by the kW of bill input `{credit.input}`, never below zero"
                     + (f", when {credit.condition.describe()}" if credit.condition else "")),
            urdb="not in the export: a URDB rate has no customer inputs",
            effect=f"bills of customers giving `{credit.input}` differ; others are the same", differs=False,
            source=credit.doc))
    if rules.demand_option is not None:
        b.losses.append(Loss(
            kind="demand_interval", rule=f"the City's {rules.demand_option}-minute demand interval",
            tariffc=f"demand over {rules.demand_minutes} minutes, or {rules.demand_option} minutes when the bill "
                    f"input `{rules.demand_input}` asks for it",
            urdb=f"the export's demand window is {rules.demand_minutes} minutes (`demandwindow`)",
            effect=f"bills of customers the City meters over {rules.demand_option} minutes differ; others are the "
                   "same", differs=False, source=rules.demand_doc))
    for limit in schedule.limits:
        if limit.history is None and limit.condition is None:
            continue
        b.losses.append(Loss(
            kind="applicability_history", rule=f"applicability: {applicability.describe(limit)}",
            tariffc="judged over the customer's months of usage (compare, impact --data); one bill cannot "
                    "judge it",
            urdb="a URDB rate bounds one month's demand at most (`peakkwcapacitymin/max`); SAM does not "
                 "judge eligibility",
            effect="no bill differs: it decides who may take the schedule, not what a bill costs", differs=False,
            source=limit.doc))
