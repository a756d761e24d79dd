"""Python API: load the schedules, compile them to bill modules, bill.

    from tariffc.compiler.api import Tariffs
    tariffs = Tariffs.load()            # the schedules shipped with tariffc (or Tariffs.load("my/tree"))
    bill = tariffs.bill("E-1", start="2025-07-01", end="2025-07-31", kwh="600")
    bill.total            # Decimal('132.13')

Schedules are compiled on first use (one generated module per schedule, see codegen.py); a schedule
whose file does not check clean is refused with its errors counted.
"""

from __future__ import annotations

import os
from pathlib import Path

from tariffc.compiler import codegen
from tariffc.compiler.project import declarations, load, unknown_schedule_message
from tariffc.compiler.runtime import Bill, BillInputError, BillInputs, IntervalArrays, inputs
from tariffc.compiler.runtime.places import refused_at

__all__ = ["Tariffs", "ScheduleError", "make_inputs", "Bill", "BillInputError", "BillInputs", "IntervalArrays"]


class ScheduleError(LookupError):
    """An unknown schedule, or one whose file has errors."""


class Tariffs:
    """Schedules found under a directory, billed through their generated modules."""

    def __init__(self, files: dict[str, Path], calendars: list[Path],
                 duplicates: dict[str, list[Path]] | None = None):
        self._files = files  # schedule id → .tariff file
        self._duplicates = duplicates or {}  # schedule id → every file declaring it, when more than one
        self._calendars = calendars
        self._modules: dict[str, object] = {}
        self._schedules: dict[str, object] = {}
        self._sources: dict[str, str] = {}

    @classmethod
    def load(cls, directory=None) -> Tariffs:
        """The schedules of a tree: `directory`, else $TARIFFC_SCHEDULES, else the schedules shipped
        with tariffc (see schedules_tree.py). Raises ScheduleError when it is not a directory."""
        from tariffc.compiler.schedules_tree import NoSchedules, resolve

        if directory is not None and not isinstance(directory, (str, os.PathLike)):
            raise ScheduleError(f"a schedules tree is named by a path, not {type(directory).__name__} "
                                f"{directory!r:.40}")
        try:
            root = resolve(directory).path
        except NoSchedules as exc:
            raise ScheduleError(str(exc)) from None
        if not root.is_dir():
            raise ScheduleError(f"{root}: no such schedules directory")
        files: dict[str, Path] = {}
        declared: dict[str, list[Path]] = {}
        calendars = []
        for path in sorted(root.rglob("*.tariff")):
            kinds = declarations(path)  # its role from what it declares, not its name
            if kinds.get("calendar"):
                calendars.append(path)
            for schedule_id in kinds.get("schedule", []):
                files.setdefault(schedule_id, path)
                declared.setdefault(schedule_id, []).append(path)
            if not kinds:  # declares nothing readable: bill attempts show its diagnostics
                files.setdefault(path.stem, path)
        # a schedule declared in two files is ambiguous (T302 in `tariffc check`): never bill either
        duplicates = {sid: paths for sid, paths in declared.items() if len(paths) > 1}
        if not files and not calendars:  # a mistyped --schedules or $TARIFFC_SCHEDULES: say so, not "unknown E-1"
            raise ScheduleError(f"{root}: no .tariff file in this directory (a schedules tree holds schedule "
                                f"files and calendars/)")
        return cls(files, calendars, duplicates)

    @property
    def ids(self) -> list[str]:
        return sorted(self._files)

    def _load(self, schedule_id: str):
        if not isinstance(schedule_id, str) or schedule_id not in self._files:
            raise ScheduleError(unknown_schedule_message(schedule_id, self.ids))
        if schedule_id in self._duplicates:
            where = " and ".join(str(p) for p in self._duplicates[schedule_id])
            raise ScheduleError(f"schedule {schedule_id} is declared in more than one file ({where}): "
                                f"T302; keep one (run `tariffc check` on the tree)")
        project = load([self._files[schedule_id], *self._calendars])
        if project.errors:
            raise ScheduleError(f"schedule {schedule_id} does not check clean ({len(project.errors)} errors); "
                                f"run `tariffc check {self._files[schedule_id]}`")
        schedule = project.schedule(schedule_id)
        self._schedules[schedule_id] = schedule
        source = codegen.generate(schedule, project.sources)
        self._sources[schedule_id] = source
        self._modules[schedule_id] = codegen.load_module(source, schedule.path, codegen.module_name(schedule_id))
        return self._modules[schedule_id]

    def schedule(self, schedule_id: str):
        """The checked IR of a schedule (`ir.Schedule`)."""
        if not isinstance(schedule_id, str) or schedule_id not in self._schedules:
            self._load(schedule_id)
        return self._schedules[schedule_id]

    def source(self, schedule_id: str) -> str:
        """The generated Python source of a schedule's bill module."""
        if not isinstance(schedule_id, str) or schedule_id not in self._sources:
            self._load(schedule_id)
        return self._sources[schedule_id]

    def module(self, schedule_id: str):
        """The generated bill module of a schedule."""
        if not isinstance(schedule_id, str):  # None, a number, a list: ScheduleError, never a TypeError
            return self._load(schedule_id)
        return self._modules.get(schedule_id) or self._load(schedule_id)

    def bill(self, schedule_id: str, *, start, end, kwh=None, kw=None, therms=None, exported_kwh=None,
             intervals=None, **values) -> Bill:
        """Bill a period [start, end). Named inputs go as keyword arguments (`green_option="block_1000"`,
        `commodity="0.859"`) or in a dict `values={...}` (for names such as `lamps.led_70w_eq`).
        Raises BillInputError naming the field, the value and (`.loc`) the `.tariff` line declaring the
        field or computing the rule that refused it; ScheduleError for an unknown schedule."""
        try:
            return self._bill(schedule_id, start, end, kwh, kw, therms, exported_kwh, intervals, values)
        except BillInputError as error:
            if error.loc is None:  # refused before the bill function ran (a quantity, interval data)
                try:
                    places = self.schedule(schedule_id).places()
                except ScheduleError:
                    raise error from None
                raise refused_at(error, places, _day(start)) from None
            raise

    def _bill(self, schedule_id, start, end, kwh, kw, therms, exported_kwh, intervals, values) -> Bill:
        given = values.pop("values", None) or {}
        if not isinstance(given, dict):
            raise BillInputError("values", repr(given)[:60], "expected a mapping of input names to values")
        values = {**given, **values}
        if _arrays(intervals) and kwh is None and kw is None and therms is None and exported_kwh is None:
            found = self._bill_arrays(schedule_id, start, end, intervals, values)
            if found is not None:
                return found
        inputs = make_inputs(start=start, end=end, kwh=kwh, kw=kw, therms=therms, exported_kwh=exported_kwh,
                             intervals=intervals, values=values)
        return self.module(schedule_id).bill(inputs)

    def _bill_arrays(self, schedule_id, start, end, arrays, values):
        """Interval arrays go to the vectorised backend when it is installed and takes the schedule
        (it returns the same Bill as the scalar function; `tests/compiler/test_differential.py`);
        None: bill through the scalar function."""
        try:
            from tariffc.compiler import vector  # noqa: PLC0415 - optional (numpy)
        except ImportError:
            return None
        # data that do not tile [start, end) exactly, or are not integer Wh, go to the scalar
        # function, which bills or refuses them with its own messages (bill_arrays returns None)
        return vector.bill_arrays(self.schedule(schedule_id), inputs.date("start", start), inputs.date("end", end),
                                  arrays, values)


def _day(start):
    """`start` as a date, or None when it is not one (then the oldest version's line is named)."""
    try:
        return inputs.date("start", start)
    except BillInputError:
        return None


def _arrays(intervals) -> bool:
    return isinstance(intervals, IntervalArrays) or (isinstance(intervals, dict)
                                                     and set(intervals) == {"start", "seconds", "wh"})


def make_inputs(*, start, end, kwh=None, kw=None, therms=None, exported_kwh=None, intervals=None,
                values=None) -> BillInputs:
    """Bill inputs typed by the one input layer (`runtime.inputs`): dates YYYY-MM-DD, exact
    bounded quantities, interval data from an `IntervalSeries`, `IntervalArrays` (UTC epoch
    seconds, interval seconds, integer Wh) or (start, seconds, kwh) items. Raises BillInputError
    naming the field and the value."""
    return BillInputs(start=inputs.date("start", start), end=inputs.date("end", end),
                      kwh=inputs.quantity("kwh", kwh), kw=inputs.quantity("kw", kw),
                      therms=inputs.quantity("therms", therms),
                      exported_kwh=inputs.quantity("exported_kwh", exported_kwh),
                      intervals=inputs.intervals(intervals), values=dict(values or {}))
