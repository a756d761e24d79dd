"""Which clock a file's naive timestamps were written in.

    local     the local wall clock (America/Los_Angeles): PST in winter, PDT in summer; the
              spring-forward hour does not exist and the fall-back hour occurs twice (the default:
              what utility portals export)
    standard  local *standard* time all year (UTC-08:00 in Palo Alto): 8,760-row profiles from
              building simulations and load-profile libraries, which have a 02:00 on the
              spring-forward day and no repeated hour
    utc       Coordinated Universal Time
A timestamp that carries its own offset (`2025-03-09T02:00:00-08:00`) is read as written, whatever
the clock.
"""

from __future__ import annotations

import enum
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

UTC = timezone.utc


class Clock(enum.Enum):
    LOCAL = "local"
    STANDARD = "standard"
    UTC = "utc"


CLOCKS = tuple(clock.value for clock in Clock)
CLOCK_HINT = ("if the file's times are standard time all year (an 8,760-hour profile without DST), read it with "
              "--clock standard (Python: clock=\"standard\"); if they are UTC, --clock utc")


def clock_of(value: str | Clock | None) -> Clock:
    """A Clock from its name; ValueError naming the choices."""
    if value is None:
        return Clock.LOCAL
    if isinstance(value, Clock):
        return value
    try:
        return Clock(str(value).strip().lower())
    except ValueError:
        raise ValueError(f"clock {value!r} is not one of {', '.join(CLOCKS)}") from None


def standard_offset(naive: datetime, tz: ZoneInfo) -> timedelta:
    """The zone's standard (non-DST) offset at a wall time: UTC-08:00 for America/Los_Angeles."""
    aware = naive.replace(tzinfo=tz)
    return aware.utcoffset() - (aware.dst() or timedelta(0))


def fixed_to_utc(naive: datetime, clock: Clock, tz: ZoneInfo) -> datetime:
    """A naive time on a clock without DST (standard or UTC) as a UTC instant."""
    if clock is Clock.UTC:
        return naive.replace(tzinfo=UTC)
    return (naive - standard_offset(naive, tz)).replace(tzinfo=UTC)
