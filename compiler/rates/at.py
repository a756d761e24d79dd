"""Bill past (or future) usage at the rates of a chosen version: "what would last year have cost at
today's rates?"

    biller = RatesAt(Tariffs.load("schedules"), date(2025, 7, 1))
    bill = biller.bill("E-1", start="2024-08-01", end="2024-09-01", kwh="600")
    bill.versions   # ('2025-07-01',): the rates used, whatever the dates billed

For each schedule the version in effect on the chosen date is taken whole (its rates and its rules:
tiers, periods, demand, minimum, billing rule) and applied to any billing period; the calendar
stays the billed days' own (seasons, weekdays and holidays of the dates billed). The schedule is
compiled afresh with that single version effective from the earliest date, through the same code
generator as every bill. A schedule with no version on the chosen date is refused by name.
"""

from __future__ import annotations

import datetime as dt

import attrs

from tariffc.compiler import codegen
from tariffc.compiler.api import Tariffs, make_inputs
from tariffc.compiler.runtime import Bill, BillInputError

_EARLIEST = dt.date(1900, 1, 1)  # the re-dated version applies from here on, to any period billed


class RatesAt:
    """A biller (`bill(schedule_id, *, start, end, **quantities)`) at the rates in effect on `on`."""

    def __init__(self, tariffs: Tariffs, on: dt.date) -> None:
        self.tariffs = tariffs
        self.on = on
        self._modules: dict[str, tuple[object, str]] = {}

    def version_label(self, schedule_id: str) -> str:
        return self._module(schedule_id)[1]

    def _module(self, schedule_id: str):
        if schedule_id not in self._modules:
            schedule = self.tariffs.schedule(schedule_id)
            version = schedule.version_on(self.on)
            if version is None:
                first = min((v.effective for v in schedule.versions), default=None)
                raise BillInputError("--at", self.on.isoformat(), f"schedule {schedule_id} has no version in effect "
                                     f"on that date" + (f" (its first is effective {first})" if first else ""))
            redated = attrs.evolve(version, effective=_EARLIEST, supersedes=None, ends=None, ends_declared=None)
            single = attrs.evolve(schedule, versions=(redated,))
            source = codegen.generate(single)
            module = codegen.load_module(source, schedule.path, codegen.module_name(schedule_id) + "_at")
            self._modules[schedule_id] = (module, version.label)
        return self._modules[schedule_id]

    def bill(self, schedule_id: str, *, start, end, kwh=None, kw=None, therms=None, exported_kwh=None,
             intervals=None, **values) -> Bill:
        """As `Tariffs.bill`, at the chosen version's rates; the bill's `versions` name that version."""
        module, label = self._module(schedule_id)
        values = {**values.pop("values", {}), **values}
        inputs = make_inputs(start=start, end=end, kwh=kwh, kw=kw, therms=therms, exported_kwh=exported_kwh,
                             intervals=intervals, values=values)
        result = module.bill(inputs)
        result.versions = (f"{label} (rates in effect {self.on.isoformat()})",)  # not the re-dated label
        return result
