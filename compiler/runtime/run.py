"""One bill being computed: the set-up every generated bill function shares (input checks, the
version parts and season segments, typed named inputs) and the questions its arithmetic asks
(measured totals, the tier allowance summed over the parts, kWh by TOU period, the Maximum Demand
by window, conditions). Only sums, maxima and day counts are computed here;
the schedule's decisions (tier split, which windows, proration of demand, every price) are in the
generated functions.

A generated module's `bill(inputs)` sets up a `Run` (under `exact_arithmetic()`), calls each
part's version function `lines(run, part)`, which writes the lines, then sums the lines and rounds
the total once as its schedule declares (written out there), and returns `run.result(...)`.
"""

from __future__ import annotations

import decimal
import threading
from zoneinfo import ZoneInfo

from .bill import Bill
from .conditions import condition_holds
from .demand_interval import check_offered, demand_interval
from .errors import BillInputError
from .inputs import check_intervals, check_quantities, typed_values
from .places import refused_at
from .intervals import Classifier, energy_by_period, max_demand
from .numbers import EXACT, decimal_text, div
from .proration import parts as version_parts, segments as season_segments

_local = threading.local()


def _context() -> decimal.Context:
    ctx = getattr(_local, "ctx", None)
    if ctx is None:
        ctx = _local.ctx = EXACT.copy()
    return ctx


class Part:
    """The days [start, end) of a bill under one version, and its season segments.

    `share` = days / bill days; `months` the '$/month' quantity of the part (per the billing rule);
    `*_in(season)` the same restricted to a season."""

    __slots__ = ("index", "version", "start", "end", "days", "segments", "share", "months", "_n")

    def __init__(self, index, version, start, end, n):
        self.index = index
        self.version = version
        self.start = start
        self.end = end
        self.days = (end - start).days
        self.segments = season_segments(version.seasons, start, end)
        self._n = n
        self.share = 1 if self.days == n else div(self.days, n)
        self.months = self._months(self.days)

    def _months(self, days):
        billing = self.version.billing
        if billing.monthly_charges == "prorated":
            return div(days, billing.divisor)
        return 1 if days == self._n else div(days, self._n)

    def days_in(self, season) -> int:
        return sum(s.days for s in self.segments if s.season == season)

    def share_in(self, season):
        days = self.days_in(season)
        return 0 if not days else 1 if days == self._n else div(days, self._n)

    def months_in(self, season):
        days = self.days_in(season)
        return 0 if not days else self._months(days)


class Run:
    """The state of one bill: `inputs`, `days`, `parts`, typed `values`, `lines` written so far."""

    def __init__(self, schedule, versions, inputs):
        self.schedule = schedule
        self.inputs = inputs
        self.lines: list[tuple] = []
        try:
            self._set_up(schedule, versions, inputs)
        except BillInputError as error:  # refused before any rule runs: name the line declaring the field
            raise refused_at(error, schedule.places, inputs.start) from None

    def _set_up(self, schedule, versions, inputs) -> None:
        """Check the inputs, split the period into version parts and season segments, type the values."""
        self.days = n = inputs.days
        check_quantities(inputs, schedule.id, schedule.bills_on)
        spans = _one_part(versions, inputs.start, inputs.end) or \
            version_parts(schedule.id, versions, inputs.start, inputs.end)
        billing = spans[0][0].billing
        if n > billing.max_days:
            raise BillInputError("end", inputs.end.isoformat(), f"the period is {n} days; the billing rule "
                                                                f"allows at most {billing.max_days} days")
        if len(spans) > 1 and not all(v.prorate_versions for v, _, _ in spans):
            change = spans[1][1].isoformat()
            raise BillInputError("end", inputs.end.isoformat(),
                                 f"the period crosses the change to version {change} and schedule {schedule.id} "
                                 "does not declare `prorate versions by days`; bill the days before and after the "
                                 "change separately (end one bill on " + change + ")")
        self.billing = billing
        used = [v for v, _, _ in spans]
        prices = [p for when, p in schedule.prices if any(when == v.effective for v in used)] if schedule.prices \
            else ()
        self.values = typed_values(schedule.id, schedule.inputs, prices, schedule.lamps, inputs.values)
        self._tz = None
        if inputs.intervals is not None:
            check_intervals(inputs, self.tz)
        self.parts = [Part(i, v, a, b, n) for i, (v, a, b) in enumerate(spans)]
        check_offered([(v.demand_minutes, v.demand_option, v.demand_input) for v in used], self.values)
        for part in self.parts:
            if len(part.segments) > 1 and not part.version.prorate_seasons:
                seasons = sorted({s.season for s in part.segments})
                raise BillInputError("end", inputs.end.isoformat(),
                                     f"the period spans seasons ({', '.join(seasons)}) and schedule "
                                     f"{schedule.id} does not declare `prorate seasons by days`")
        self._cache: dict = {}
        self._classifier = None

    @property
    def tz(self):
        if self._tz is None:
            self._tz = ZoneInfo(self.schedule.calendar.timezone)
        return self._tz

    # ---------------------------------------------------------- named inputs and conditions
    def flag(self, name: str) -> bool:
        """A flag input (not given: false)."""
        return bool(self.values.get(name))

    def choice(self, name: str):
        """A choice input; refused when not given (the schedule needs it to choose its charges)."""
        if name not in self.values:
            raise BillInputError(name, "not given", f"schedule {self.schedule.id} needs it to choose its charges",
                                 give=(name,))
        return self.values[name]

    def value(self, name: str):
        """A quantity input billed monthly (not given: 0)."""
        return self.values.get(name) or 0

    def need(self, name: str, why: str, give: tuple[str, ...] = ()):
        """An input the rule being computed cannot do without; refused when not given, asking for
        `give` (default: `name` itself) in the caller's words (`ask_for`)."""
        if name not in self.values:
            raise BillInputError(name, "not given", why, give=give or (name,))
        return self.values[name]

    def holds(self, cond) -> bool:
        """A `when` condition (conditions.py, the one reading); a choice not given is refused."""
        return condition_holds(cond.kind, cond.input, cond.value, self.values, self.choice)

    # ---------------------------------------------------------- measured quantities
    def given(self, name: str) -> bool:
        """Whether the measured total `name` (kwh, kw, therms, exported_kwh) was given: a schedule that
        can estimate it from other inputs (E-16 D.a) uses the given one, else its estimate."""
        return getattr(self.inputs, name, None) is not None

    def total(self, name: str, charge: str):
        """A measured total; kWh from interval data when only intervals are given."""
        value = getattr(self.inputs, name, None)
        if value is None and name == "kwh" and self.inputs.intervals is not None:
            if "kwh" not in self._cache:
                self._cache["kwh"] = sum((i.kwh for i in self.inputs.intervals), 0)
            return self._cache["kwh"]
        if value is None:
            raise BillInputError(name, "not given", f"schedule {self.schedule.id} bills charge '{charge}' on "
                                                    f"{name}", give=(name,))
        return value

    def allowance(self, quantity: str, own) -> dict:
        """{tier: allowance} of `quantity` over the whole bill: the sum over the bill's parts of each
        part's allowances, computed by its version's generated `allowances(part)` (`own`, the calling
        version's, for a part whose version has no rule for the quantity). A sum; the arithmetic of
        each part's allowance is in the generated module."""
        parts = self.parts
        if len(parts) == 1:
            part = parts[0]
            found = part.version.allowances(part) if part.version.allowances else {}
            return found[quantity] if quantity in found else own(part)[quantity]
        out: dict = {}
        for part in parts:
            found = part.version.allowances(part) if part.version.allowances else {}
            for tier, amount in (found[quantity] if quantity in found else own(part)[quantity]).items():
                out[tier] = out[tier] + amount if tier in out else amount
        return out

    # ---------------------------------------------------------- interval data
    @property
    def classifier(self) -> Classifier:
        if self._classifier is None:
            segments = [(p.index, p.version, s.season, s.start, s.days) for p in self.parts for s in p.segments]
            self._classifier = Classifier(segments, self.tz, self.schedule.calendar.holidays, self.holds)
        return self._classifier

    def energy_by_period(self, part: Part, name: str, charge: str) -> dict:
        """{(season, period): kWh} of this part's intervals under the period sets of charge `name`
        (each interval in the period its start is in: the by-timestamp proration rule); refused
        without interval data, or across a season or version change the schedule does not prorate
        by timestamp. The sum over the interval data; the pricing is in the generated function."""
        key = ("tou", name)
        if key not in self._cache:
            if self.inputs.intervals is None:
                raise BillInputError("intervals", "not given", f"schedule {self.schedule.id} bills charge "
                                     f"'{charge}' by time-of-use period: interval data", give=("intervals",))
            segments = [s for p in self.parts for s in p.segments]
            if len(segments) > 1 and not all(p.version.prorate_intervals for p in self.parts):
                raise BillInputError("end", self.inputs.end.isoformat(), f"the period spans a season or version "
                                     f"change and schedule {self.schedule.id} bills charge '{charge}' by "
                                     "time-of-use period without declaring `prorate intervals by timestamp`")
            self._cache[key] = energy_by_period(self.classifier, self.inputs.intervals, name)
        out: dict = {}
        segments = self.classifier.segments
        for (index, period), kwh in self._cache[key].items():
            if segments[index][0] != part.index:
                continue
            k = (segments[index][2], period)
            out[k] = out[k] + kwh if k in out else kwh
        return out

    def max_demand(self, name: str, charge: str, windowed: bool) -> dict:
        """The Maximum Demand (kW) in each window of charge `name` and over the whole bill ('*'):
        from --kw, or from interval data as the highest average kW over the schedule's demand
        interval. `windowed`: the charge needs the demand in time windows (interval data required)."""
        key = ("demand", name, windowed)
        if key in self._cache:
            return self._cache[key]
        if self.inputs.intervals is None:
            if windowed:
                raise BillInputError("intervals", "not given", f"schedule {self.schedule.id} bills charge "
                                     f"'{charge}' on the demand in time windows: interval data", give=("intervals",))
            if self.inputs.kw is None:
                raise BillInputError("kw", "not given", f"schedule {self.schedule.id} bills charge '{charge}' per "
                                                        "kW of demand", give=("kw", "intervals"))
            found = {"*": self.inputs.kw}
        else:
            minutes = demand_interval(self)  # the sheet's, or the City's alternative when asked
            if minutes is None:
                raise BillInputError("intervals", "given", f"schedule {self.schedule.id} does not say over how "
                                                           "many minutes demand is measured", give=("kw",))
            found = max_demand(self.classifier, self.inputs.intervals, name, minutes)
        self._cache[key] = found
        return found

    def no_row(self, charge: str, version, keys) -> None:
        """A quantity arose for a row the sheet does not have: refused."""
        raise BillInputError("start", self.inputs.start.isoformat(), f"charge '{charge}' of version "
                             f"{version.label} has no row for '{' '.join(keys) or 'all'}'")

    # ---------------------------------------------------------- lines
    def sum(self, start: int, stop: int, charges) -> object:
        """The sum of the amounts of lines[start:stop] of the named charges."""
        return sum((x[5] for x in self.lines[start:stop] if x[0] in charges), 0)

    def subtotal(self, since: int):
        """The sum of the amounts of the lines from `since` (this part's)."""
        return sum((x[5] for x in self.lines[since:]), 0)

    def result(self, total_exact, total) -> Bill:
        """The bill: its lines, the exact total and the total rounded as the generated `bill` did."""
        inputs = self.inputs
        return Bill(self.schedule.id, tuple([p.version.label for p in self.parts]), inputs.start, inputs.end, None,
                    total_exact, total, self.billing.label, self.lines, self.schedule.loc)

    @staticmethod
    def minimum_note(floor, what: str, subtotal) -> str:
        return f"minimum bill {decimal_text(floor)} ({what}); charges {decimal_text(subtotal)}"


def _one_part(versions, start, end):
    """[(version, start, end)] when one version (of `versions`, oldest first) governs all of
    [start, end); else None (the general rule, `proration.parts`, decides and explains)."""
    found = None
    for version in versions:
        if version.effective <= start:
            found = version
        elif version.effective < end:
            return None
    if found is None or (found.ends is not None and found.ends < end):
        return None
    if found.ends is not None and found.ends <= start:
        return None
    return [(found, start, end)]


class exact_arithmetic:
    """`with exact_arithmetic():` — a bill's arithmetic under `EXACT` (this thread's copy: every
    operation that would round raises), the caller's decimal context restored afterwards."""

    __slots__ = ("previous",)

    def __enter__(self):
        self.previous = decimal.getcontext()
        decimal.setcontext(_context())
        return self

    def __exit__(self, *exc) -> bool:
        decimal.setcontext(self.previous)
        return False
