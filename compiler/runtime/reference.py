"""Days of a version part by the referenced schedule's version and season (E-16 C.2: "using Electric
Rate Schedule E2"): what a generated charge priced by another schedule calls. Stdlib only."""

from __future__ import annotations

import datetime as dt

from .calendar import season_of
from .errors import BillInputError


def reference_days(part, targets, why: str) -> dict:
    """{(target index, season or None): days} over the days of `part` (its `start`, `end`).

    `targets`: ((effective 'YYYY-MM-DD', ends 'YYYY-MM-DD' or None, seasons), …) in date order, the
    referenced versions; a day none of them covers is refused (BillInputError naming the day and `why`)."""
    out: dict = {}
    day = part.start
    while day < part.end:
        text = day.isoformat()
        index = None
        for i, (effective, ends, _) in enumerate(targets):
            if effective <= text and (ends is None or text < ends):
                index = i
        if index is None:
            raise BillInputError("start", part.start.isoformat(), f"{why}; no version is in effect on {text}")
        key = (index, season_of(targets[index][2], day))
        out[key] = out.get(key, 0) + 1
        day += dt.timedelta(days=1)
    return out
