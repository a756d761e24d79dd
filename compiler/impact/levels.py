"""Bill impacts at chosen usage levels: the staff table (usage, bill under the current version, bill
under the proposed version, change in $ and %).

    scenario = Scenario.from_levels("E-1", current=date(2024, 7, 1), proposed=date(2025, 7, 1),
                                    quantity="kwh", levels=["200", "400"])
    rows = impact_table(tariffs, scenario)          # -> tuple[ImpactRow, ...]

How a level becomes bills (the staff reports' method; tests/bills/README.md, "Conventions"):

- Each level is one or more *sample bills*, each a `days`-long billing period (30 by default) that
  starts on the 1st of a calendar month, with a weight. The row's value is the weighted sum of the
  bills, each bill rounded as its schedule says (to the cent). One bill of weight 1 is a monthly
  bill; a summer and a winter month of weight 1/2 each is the mean monthly bill the 2025 report uses
  for seasonal schedules (seed 003 Table 18); 7/12 and 5/12 give the gas tables' annual mean month.
- A sample bill for month M under the version in effect on date D starts on the first 1st of month M
  on or after D, so that it is billed under that version alone. A bill that would reach into another
  version (or past the documented coverage) is refused with the dates: an impact table compares two
  versions, never a blend of them.

Errors: `ImpactError` (a level, month or version that cannot be billed, with the reason);
`BillInputError` from the bill functions passes through unchanged (field, value, `.tariff` line).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction

import attrs

QUANTITIES = ("kwh", "kw", "therms", "exported_kwh")
UNITS = {"kwh": "kWh", "kw": "kW", "therms": "therms", "exported_kwh": "kWh exported"}


class ImpactError(ValueError):
    """A scenario that cannot be billed as asked (unknown version, a bill crossing versions, …)."""


@attrs.frozen(kw_only=True)
class SampleBill:
    """One sample billing period of a level: `days` days from the 1st of `month`, weighted."""

    month: int | None = None  # None: the month of the version's date
    days: int = 30
    weight: Fraction = Fraction(1)
    quantities: Mapping[str, str] = attrs.field(factory=dict)  # kwh/kw/therms/exported_kwh → exact text
    values: Mapping[str, str] = attrs.field(factory=dict)  # named inputs (--set NAME=VALUE)


@attrs.frozen(kw_only=True)
class Level:
    label: str
    bills: tuple[SampleBill, ...]

    @property
    def usage(self) -> Mapping[str, str]:
        """The quantities of the level when every sample bill has the same ones, else {}."""
        first = dict(self.bills[0].quantities)
        return first if all(dict(b.quantities) == first for b in self.bills) else {}


@attrs.frozen(kw_only=True)
class Scenario:
    schedule: str
    current: dt.date  # a date on which the current version is in effect
    proposed: dt.date
    levels: tuple[Level, ...]

    @classmethod
    def from_levels(cls, schedule: str, *, current: dt.date, proposed: dt.date, quantity: str,
                    levels: Sequence[str], months: Sequence[int] = (), days: int = 30,
                    fixed: Mapping[str, str] | None = None, values: Mapping[str, str] | None = None) -> Scenario:
        """One level per value of `quantity` (e.g. kwh 200, 400, …); `fixed` adds the same other
        quantities to each (e.g. kw for a demand schedule); several `months` make each level the
        equal-weight mean of one bill per month."""
        if quantity not in QUANTITIES:
            raise ImpactError(f"unknown quantity {quantity!r}; one of {', '.join(QUANTITIES)}")
        if not levels:
            raise ImpactError("no usage levels given")
        chosen = tuple(months) or (None,)
        weight = Fraction(1, len(chosen))
        out = []
        for text in levels:
            quantities = {quantity: text, **dict(fixed or {})}
            label = " ".join(f"{v} {UNITS[k]}" for k, v in quantities.items())
            bills = tuple(SampleBill(month=m, days=days, weight=weight, quantities=quantities,
                                     values=dict(values or {})) for m in chosen)
            out.append(Level(label=label, bills=bills))
        return cls(schedule=schedule, current=current, proposed=proposed, levels=tuple(out))


@attrs.frozen(kw_only=True)
class BilledSample:
    start: dt.date
    end: dt.date
    version: str
    weight: Fraction
    total: Decimal  # the bill as rounded by the schedule


@attrs.frozen(kw_only=True)
class ImpactRow:
    level: Level
    current_version: str
    proposed_version: str
    current_bills: tuple[BilledSample, ...]
    proposed_bills: tuple[BilledSample, ...]

    @property
    def current(self) -> Fraction:
        """Weighted sum of the current version's bills (each rounded as billed), exact."""
        return sum((b.weight * Fraction(b.total) for b in self.current_bills), Fraction(0))

    @property
    def proposed(self) -> Fraction:
        return sum((b.weight * Fraction(b.total) for b in self.proposed_bills), Fraction(0))

    @property
    def change(self) -> Fraction:
        return self.proposed - self.current

    @property
    def percent(self) -> Fraction | None:
        """Change as a percentage of the current bill (None when the current bill is zero)."""
        return None if self.current == 0 else self.change / self.current * 100


def first_start(day: dt.date, month: int | None) -> dt.date:
    """The first 1st of `month` on or after `day` (`month` None: the month of `day`)."""
    month = day.month if month is None else month
    if not 1 <= month <= 12:
        raise ImpactError(f"month {month} is not 1-12")
    start = dt.date(day.year, month, 1)
    return start if start >= day else dt.date(day.year + 1, month, 1)


def impact_table(tariffs, scenario: Scenario) -> tuple[ImpactRow, ...]:
    """Bill every level under the version in effect on `scenario.current` and on `scenario.proposed`.

    `tariffs` is a `tariffc.compiler.api.Tariffs`. Raises ImpactError for a date with no version or a
    sample bill that would not lie inside its version; BillInputError for a bad quantity or input."""
    from tariffc.compiler.rates import NoVersion, version_on  # noqa: PLC0415

    schedule = tariffs.schedule(scenario.schedule)
    versions = {}
    for name, day in (("--from", scenario.current), ("--to", scenario.proposed)):
        try:
            versions[name] = version_on(schedule, day)
        except NoVersion as exc:
            raise ImpactError(f"{name} {day}: {exc}") from None
    rows = []
    for level in scenario.levels:
        billed = {}
        for name, day in (("--from", scenario.current), ("--to", scenario.proposed)):
            version = versions[name]
            samples = []
            for sample in level.bills:
                start = first_start(day, sample.month)
                end = start + dt.timedelta(days=sample.days)
                limit = _version_end(schedule, version)
                if limit is not None and end > limit:
                    raise ImpactError(
                        f"{scenario.schedule}: the {sample.days}-day bill {start} to {end} is not inside version "
                        f"{version.label} ({name} {day}), which stops applying on {limit}; choose an earlier "
                        "month (--months) or date")
                bill = tariffs.bill(scenario.schedule, start=start, end=end, **dict(sample.quantities),
                                    values=dict(sample.values))
                samples.append(BilledSample(start=start, end=end, version=version.label, weight=sample.weight,
                                            total=bill.total))
            billed[name] = tuple(samples)
        rows.append(ImpactRow(level=level, current_version=versions["--from"].label,
                              proposed_version=versions["--to"].label,
                              current_bills=billed["--from"], proposed_bills=billed["--to"]))
    return tuple(rows)


def _version_end(schedule, version) -> dt.date | None:
    """Where `version` stops applying (exclusive): the next version's date or its declared coverage end."""
    return version.ends
