"""Moments shown in messages and reports: local wall time with the zone's abbreviation."""

from __future__ import annotations

import datetime as dt


def local_time_text(moment: dt.datetime, tz: dt.tzinfo | None = None) -> str:
    """'2025-07-01 00:00 PDT': an aware `moment` in `tz` (default: its own zone), minutes, and the
    zone's abbreviation. Where the zone has none — America/Los_Angeles before 1883 ran on local mean
    time, which zoneinfo calls 'LMT', an abbreviation nobody reads — the UTC offset instead:
    '0001-01-01 00:00 UTC-07:52:58'."""
    local = moment.astimezone(tz) if tz is not None else moment
    wall = local.replace(tzinfo=None).isoformat(" ", "minutes")  # four-digit years (strftime's %Y gives '1')
    name = local.tzname() or ""
    if name and name != "LMT" and not name.startswith(("+", "-")):
        return f"{wall} {name}"
    offset = local.utcoffset() or dt.timedelta(0)
    sign = "-" if offset < dt.timedelta(0) else "+"
    seconds = abs(int(offset.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{wall} UTC{sign}{hours:02d}:{minutes:02d}" + (f":{secs:02d}" if secs else "")
