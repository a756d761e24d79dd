"""What bills a comparison: the checked schedules and the bill API (or the rates in effect on a date)."""

from __future__ import annotations

from pathlib import Path

from tariffc.compiler.compare.periods import parse_date


class TreeError(ValueError):
    """A schedules tree that does not load clean, or a schedule it does not hold (a usage error)."""


def load_tariffs(schedules_dir: Path, ids: list[str]):
    """(biller, {id: ir.Schedule}): the bill API and the checked schedules it bills. Raises TreeError."""
    from tariffc.compiler.api import ScheduleError, Tariffs

    try:
        tariffs = Tariffs.load(schedules_dir)
        return tariffs, {schedule_id: tariffs.schedule(schedule_id) for schedule_id in ids}
    except ScheduleError as error:
        raise TreeError(str(error)) from None


def bill_errors() -> tuple[type[BaseException], ...]:
    """The exceptions that refuse one bill (BillInputError and the API's errors), not the comparison."""
    from tariffc.compiler.runtime import BillInputError

    errors: list[type[BaseException]] = [BillInputError]
    try:
        from tariffc.compiler import api

        errors += [getattr(api, name) for name in dir(api) if name.endswith("Error")
                   and isinstance(getattr(api, name), type) and issubclass(getattr(api, name), Exception)]
    except ImportError:  # pragma: no cover
        pass
    return tuple(dict.fromkeys(errors))


def rates_at(tariffs, ids: list[str], at: str):
    """(biller at the rates in effect on `at`, a note naming the version of each schedule) for
    `compare --at`. Raises PeriodError for a bad date, TreeError for a schedule with no version then."""
    from tariffc.compiler.rates.at import RatesAt
    from tariffc.compiler.runtime import BillInputError

    on = parse_date(at, "--at")
    biller = RatesAt(tariffs, on)
    try:
        labels = [f"{i} {biller.version_label(i)}" for i in ids]
    except BillInputError as error:
        raise TreeError(str(error)) from None
    return biller, (f"--at {on}: every period is billed at the rates in effect on {on} ({', '.join(labels)}), "
                    "with the seasons, weekdays and holidays of the days billed")


def max_days(schedule) -> int:
    """The longest bill the schedule's billing rule allows (`period ... max N days`)."""
    from tariffc.compiler.meterdata import LONGEST_READ_DAYS

    calendar = getattr(schedule, "calendar", None)
    return calendar.billing.max_days if calendar is not None else LONGEST_READ_DAYS
