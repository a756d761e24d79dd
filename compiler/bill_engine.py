"""The shared bill semantics called by every generated module (through `runtime.compute_bill`).

A bill covers [start, end) (days = end - start). It is cut into *parts* (one per version in
effect) and each part into *segments* (one per season). Usage given as totals is prorated to the
segments by days; TOU energy from interval data is assigned exactly, interval by interval; demand
(the highest 15-minute average kW in each window) is prorated to the segments by days; a tier
allowance is one allowance for the whole bill (the sum over segments of allowance x days, rounded
as the tier rule says), and each tier's quantity is prorated to the segments by days. Every line
is exact; the total is rounded once, as the billing rule says. See docs/api.md.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from fractions import Fraction
from zoneinfo import ZoneInfo

from tariffc.compiler import bill_calendar as cal
from tariffc.compiler.runtime import Bill, BillInputError, Line, round_to
from tariffc.compiler.bill_inputs import check_intervals, check_quantities, typed_values


@dataclass(frozen=True)
class Seg:
    part: int
    version: object
    season: str | None
    start: dt.date
    days: int


class Context:
    def __init__(self, schedule, inputs, parts, values):
        self.schedule = schedule
        self.inputs = inputs
        self.parts = parts  # [(version, start, end)]
        self.values = values
        self.days = inputs.days
        self.tz = ZoneInfo(schedule.calendar.timezone)
        self.holidays = schedule.calendar.holidays
        self.segs = [s for i, p in enumerate(parts) for s in _segments(i, *p)]
        self._tiers: dict[str, dict[str, Fraction]] = {}
        self._cache: dict[tuple, dict] = {}
        self._days: dict[dt.date, tuple] = {}
        self._periods: dict[tuple, tuple[str, ...]] = {}

    # ---------------------------------------------------------- provenance
    def where(self, loc: int) -> tuple[str, str]:
        return self.schedule.loc.get(loc, ("?", "?"))

    # ---------------------------------------------------------- measured quantities
    def total(self, name: str, charge: str) -> Fraction:
        value = getattr(self.inputs, name, None)
        if value is None and name == "kwh" and self.inputs.intervals is not None:
            return sum((i.kwh for i in self.inputs.intervals), Fraction(0))
        if value is None:
            raise BillInputError(name, "not given", f"schedule {self.schedule.id} bills charge '{charge}' on "
                                                    f"{name}; give --{name.replace('_', '-')}")
        return value

    def months(self, seg: Seg) -> Fraction:
        billing = seg.version.billing
        if billing.monthly_charges == "prorated":
            return Fraction(seg.days, billing.divisor)
        return Fraction(seg.days, self.days)

    def share(self, seg: Seg) -> Fraction:
        return Fraction(seg.days, self.days)

    # ---------------------------------------------------------- tiers: one allowance for the bill
    def tier_quantities(self, quantity: str, charge: str) -> dict[str, Fraction]:
        if quantity in self._tiers:
            return self._tiers[quantity]
        rules = [(seg, next((t for t in seg.version.tiers if t.quantity == quantity), None)) for seg in self.segs]
        first = next(rule for _, rule in rules if rule is not None)
        names = [t.name for t in first.tiers]
        allowance = {name: Fraction(0) for name in names}
        for seg, rule in rules:
            for tier in (rule or first).tiers:
                if not tier.allowances:
                    continue
                a = next((a for a in tier.allowances if a.season in (None, seg.season)), None)
                if a is None:
                    raise BillInputError("start", seg.start.isoformat(), f"tier {tier.name} has no allowance "
                                                                        f"for season {seg.season}")
                allowance[tier.name] = allowance.get(tier.name, Fraction(0)) + \
                    Fraction(a.amount) * seg.days / a.per_days
        if first.round_step is not None:
            allowance = {k: round_to(v, Fraction(first.round_step), first.round_mode) for k, v in allowance.items()}
        left = self.total(quantity, charge)
        out = {}
        for tier in first.tiers:
            if tier.allowances:
                out[tier.name] = min(left, allowance[tier.name])
            else:
                out[tier.name] = left
            left -= out[tier.name]
        self._tiers[quantity] = out
        return out

    # ---------------------------------------------------------- time of use
    def active_sets(self, version, name: str, season: str | None):
        return [s for s in version.periods if s.charge == name and s.season in (None, season)
                and (s.when is None or self.holds(s.when))]

    def local(self, instant: dt.datetime) -> dt.datetime:
        return instant.astimezone(self.tz)

    def seg_of(self, day: dt.date) -> int:
        for index, seg in enumerate(self.segs):
            if seg.start <= day < seg.start + dt.timedelta(days=seg.days):
                return index
        raise BillInputError("intervals", day.isoformat(), "the interval is outside the billing period")

    def classify(self, name: str, local: dt.datetime) -> tuple[int, tuple[str, ...]]:
        """(segment index, periods or windows of charge set `name`) of a local instant; memoised by
        (segment, weekday, holiday, minute of the day)."""
        day = local.date()
        info = self._days.get(day)
        if info is None:
            info = self._days[day] = (self.seg_of(day), cal.is_holiday(self.holidays, day), day.weekday())
        index, holiday, weekday = info
        minute = local.hour * 60 + local.minute
        key = (name, index, weekday, holiday, minute)
        found = self._periods.get(key)
        if found is None:
            seg = self.segs[index]
            found = ()
            for period_set in self.active_sets(seg.version, name, seg.season):
                found += cal.periods_at(period_set, weekday, holiday, minute)
            self._periods[key] = found
        return index, found

    def tou_energy(self, name: str, charge: str) -> dict[tuple[int, str], Fraction]:
        key = ("energy", name)
        if key not in self._cache:
            self._cache[key] = self._tou_energy(name, charge)
        return self._cache[key]

    def _tou_energy(self, name: str, charge: str) -> dict[tuple[int, str], Fraction]:
        if self.inputs.intervals is None:
            raise BillInputError("intervals", "not given", f"schedule {self.schedule.id} bills charge '{charge}' by "
                                                           "time-of-use period; give interval data (--intervals)")
        out: dict[tuple[int, str], Fraction] = {}
        for interval in self.inputs.intervals:
            index, periods = self.classify(name, self.local(interval.start))
            for period in periods[:1]:
                out[(index, period)] = out.get((index, period), Fraction(0)) + interval.kwh
        return out

    def demand(self, name: str, charge: str, windowed: bool) -> dict[str, Fraction]:
        """Highest average kW over `demand_minutes` blocks, per window ('*' = the whole bill)."""
        key = ("demand", name, windowed)
        if key not in self._cache:
            self._cache[key] = self._demand(name, charge, windowed)
        return self._cache[key]

    def _demand(self, name: str, charge: str, windowed: bool) -> dict[str, Fraction]:
        if self.inputs.intervals is None:
            if windowed:
                raise BillInputError("intervals", "not given", f"schedule {self.schedule.id} bills charge "
                                     f"'{charge}' on the demand in time windows; give interval data (--intervals)")
            if self.inputs.kw is None:
                raise BillInputError("kw", "not given", f"schedule {self.schedule.id} bills charge '{charge}' per kW "
                                                        "of demand; give --kw or --intervals")
            return {"*": self.inputs.kw}
        minutes = next((s.version.demand_minutes for s in self.segs if s.version.demand_minutes), None)
        if minutes is None:
            raise BillInputError("intervals", "given", f"schedule {self.schedule.id} does not say over how many "
                                                       "minutes demand is measured; give --kw")
        blocks: dict[int, Fraction] = {}
        step = minutes * 60
        for interval in self.inputs.intervals:
            if interval.seconds > step or step % interval.seconds:
                raise BillInputError("intervals", f"{interval.seconds // 60} minutes", f"demand is measured over "
                                     f"{minutes}-minute intervals; the data must divide them")
            block = int(interval.start.timestamp()) // step
            previous = blocks.get(block)
            blocks[block] = interval.kwh if previous is None else previous + interval.kwh
        # kW = kWh x 60 / minutes is monotonic in kWh: find the largest block energy per window, scale once.
        top: dict[str, Fraction] = {"*": Fraction(0)}
        for block, kwh in blocks.items():
            if kwh > top["*"]:
                top["*"] = kwh
            local = self.local(dt.datetime.fromtimestamp(block * step, dt.timezone.utc))
            for window in self.classify(name, local)[1]:
                best = top.get(window)
                if best is None or kwh > best:
                    top[window] = kwh
        return {window: kwh * 60 / minutes for window, kwh in top.items()}

    # ---------------------------------------------------------- conditions
    def holds(self, cond) -> bool:
        value = self.values.get(cond.input)
        if cond.kind == "flag":
            return bool(value)
        if cond.kind == "not":
            return not value
        if value is None:
            raise BillInputError(cond.input, "not given", f"schedule {self.schedule.id} needs it to choose its "
                                                          f"charges (set it with --set {cond.input}=VALUE)")
        return value == cond.value


def _segments(index: int, version, start: dt.date, end: dt.date) -> list[Seg]:
    out: list[Seg] = []
    day = start
    while day < end:
        season = cal.season_of(version.seasons, day)
        if out and out[-1].season == season:
            out[-1] = Seg(index, version, season, out[-1].start, out[-1].days + 1)
        else:
            out.append(Seg(index, version, season, day, 1))
        day += dt.timedelta(days=1)
    return out


def version_parts(schedule, versions, start: dt.date, end: dt.date):
    ordered = sorted(versions, key=lambda v: v.effective)
    parts = []
    day = start
    while day < end:
        version = None
        for v in ordered:
            if v.effective <= day and (v.ends is None or day < v.ends):
                version = v
        if version is None:
            if day < ordered[0].effective:
                raise BillInputError("start" if day == start else "end", (start if day == start else end).isoformat(),
                                     f"schedule {schedule.id} has no version in effect on {day.isoformat()}; its "
                                     f"first version is effective {ordered[0].effective.isoformat()}")
            before = [v for v in ordered if v.effective <= day]
            after = [v for v in ordered if v.effective > day]
            raise BillInputError("start" if day == start else "end", (start if day == start else end).isoformat(),
                                 f"schedule {schedule.id} has no version in effect on {day.isoformat()} (version "
                                 f"{before[-1].label} ended {before[-1].ends.isoformat()}"
                                 + (f"; the next is effective {after[0].label})" if after else ")"))
        stop = min(end, version.ends) if version.ends else end
        parts.append((version, day, stop))
        day = stop
    return parts


def compute(schedule, versions, inputs) -> Bill:
    from tariffc.compiler.bill_lines import part_lines  # noqa: PLC0415 - the second half of the engine

    check_quantities(inputs)
    parts = version_parts(schedule, versions, inputs.start, inputs.end)
    billing = parts[0][0].billing
    if inputs.days > billing.max_days:
        raise BillInputError("end", inputs.end.isoformat(), f"the period is {inputs.days} days; the billing rule "
                                                            f"allows at most {billing.max_days} days")
    if len(parts) > 1 and not all(p[0].prorate_versions for p in parts):
        change = parts[1][1].isoformat()
        raise BillInputError("end", inputs.end.isoformat(),
                             f"the period crosses the change to version {change} and schedule {schedule.id} does not "
                             "declare `prorate versions by days`; bill the days before and after the change "
                             "separately (end one bill on " + change + ")")
    values = typed_values(schedule, [p[0] for p in parts], inputs.values)
    if inputs.intervals is not None:
        check_intervals(inputs, ZoneInfo(schedule.calendar.timezone))
    ctx = Context(schedule, inputs, parts, values)
    for index, (version, _, _) in enumerate(parts):
        seasons = {s.season for s in ctx.segs if s.part == index}
        if len(seasons) > 1 and not version.prorate_seasons:
            raise BillInputError("end", inputs.end.isoformat(),
                                 f"the period spans seasons ({', '.join(sorted(seasons))}) and schedule "
                                 f"{schedule.id} does not declare `prorate seasons by days`")
    lines: list[Line] = []
    for index in range(len(parts)):
        lines.extend(part_lines(ctx, index))
    total_exact = sum((line.amount for line in lines), Fraction(0))
    step = billing.rounding_step
    rounded = round_to(total_exact, Fraction(step), billing.rounding_mode)
    total = (type(step)(rounded.numerator) / type(step)(rounded.denominator)).quantize(step)
    return Bill(schedule=schedule.id, versions=tuple(p[0].label for p in parts), start=inputs.start,
                end=inputs.end, lines=tuple(lines), total_exact=total_exact, total=total,
                rounding=f"total {billing.rounding_mode} {step}")


def did_you_mean(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f"; did you mean {close[0]}?" if close else ""
