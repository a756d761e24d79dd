"""Which version's rates a date takes, and the warning that newer rates have probably been adopted.

The version in effect on a date is `ir.Schedule.version_on` (one rule: runtime.proration.in_effect);
`version_on` here adds the one wording of "no version in effect" that commands print.
"""

from __future__ import annotations

import datetime as dt

from tariffc.compiler import ir


class NoVersion(Exception):
    """No version of the schedule is in effect on the date asked (the message says why)."""


def version_on(schedule: ir.Schedule, day: dt.date) -> ir.Version:
    """The version in effect on `day`; NoVersion naming the schedule, the date and the versions known."""
    version = schedule.version_on(day)
    if version is not None:
        return version
    if not schedule.versions:
        raise NoVersion(f"{schedule.id} has no version")
    first = schedule.versions[0]
    if day < first.effective:
        raise NoVersion(f"{schedule.id} has no version in effect on {day}: its first version in the "
                        f"documents is effective {first.effective}")
    raise NoVersion(f"{schedule.id} has no version in effect on {day} in the documents "
                    f"(versions: {', '.join(v.label for v in schedule.versions)})")


ADOPTION_MONTH_DAY = (7, 1)  # CPAU's fiscal year: the Council adopts new rates effective every July 1


def next_adoption(after: dt.date) -> dt.date:
    """The first July 1 strictly after `after` (the next date new CPAU rates usually take effect)."""
    july = dt.date(after.year, *ADOPTION_MONTH_DAY)
    return july if july > after else dt.date(after.year + 1, *ADOPTION_MONTH_DAY)


def newer_rates_note(schedule: ir.Schedule, day: dt.date) -> str | None:
    """A warning when the rates for `day` come from the latest version known and `day` lies more than
    a year after its effective date or on or past the next July 1 (CPAU adopts rates every fiscal
    year from July 1), so a newer sheet has probably been adopted that this tree does not hold.
    None when the version in effect on `day` is not the latest one, or `day` is within its year."""
    if not schedule.versions:
        return None
    latest = max(schedule.versions, key=lambda v: v.effective)
    if day < latest.effective or schedule.version_on(day) is not latest:
        return None
    try:
        year_later = latest.effective.replace(year=latest.effective.year + 1)
    except ValueError:  # 29 February
        year_later = dt.date(latest.effective.year + 1, 3, 1)
    adoption = next_adoption(latest.effective)
    if day < adoption and day <= year_later:
        return None
    return (f"newer rates may have been adopted: {day} is on or after {adoption}, the first July 1 after "
            f"{schedule.id}'s latest version known here ({latest.label}), and CPAU adopts new rates every July 1; "
            "check the City's current rate schedule")
