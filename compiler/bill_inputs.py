"""Bill input checks: usage, named inputs (typed by the schedule's `input` declarations, pass-through
prices within their printed range, lamp counts keyed by row) and interval data. Every refusal is a
`BillInputError` naming the field and the value."""

from __future__ import annotations

import datetime as dt
import difflib
from fractions import Fraction

from tariffc.compiler.runtime import BillInputError

FLAGS = {"true": True, "yes": True, "1": True, "on": True, "false": False, "no": False, "0": False, "off": False}


def check_quantities(inputs) -> None:
    if inputs.end <= inputs.start:
        raise BillInputError("end", inputs.end.isoformat(), f"the period must end after it starts "
                                                            f"({inputs.start.isoformat()}); days = end - start")
    for name in ("kwh", "kw", "therms", "exported_kwh"):
        value = getattr(inputs, name)
        if value is not None and value < 0:
            raise BillInputError(name, _show(value), "usage cannot be negative")
    if inputs.intervals is not None and inputs.kwh is not None:
        raise BillInputError("kwh", _show(inputs.kwh), "give kWh totals or interval data, not both")
    if inputs.intervals is not None and inputs.kw is not None:
        raise BillInputError("kw", _show(inputs.kw), "give demand or interval data, not both")


def _show(value) -> str:
    from tariffc.compiler.runtime import decimal_text  # noqa: PLC0415

    return decimal_text(value) if isinstance(value, Fraction) else str(value)


def _number(name: str, raw) -> Fraction:
    if isinstance(raw, bool) or isinstance(raw, float):
        raise BillInputError(name, raw, "expected an exact number (a decimal string, int or Decimal)")
    try:
        return Fraction(str(raw).strip()) if not isinstance(raw, Fraction) else raw
    except (ValueError, ZeroDivisionError):
        raise BillInputError(name, raw, "expected a number") from None


def typed_values(schedule, versions, raw: dict) -> dict:
    specs = {i.name: i for i in schedule.inputs}
    passthroughs = {p.name: p for v in versions for p in v.passthroughs}
    lamps = {f"lamps.{r.key[0]}" for v in versions for c in v.charges if c.on == "lamps" for r in c.rows}
    known = sorted(set(specs) | set(passthroughs) | lamps)
    out: dict = {}
    for name, value in raw.items():
        if name in specs:
            out[name] = _typed(specs[name], name, value)
        elif name in passthroughs:
            out[name] = _price(passthroughs[name], value)
            for v in versions:  # every version's range applies to its days
                for p in v.passthroughs:
                    if p.name == name:
                        _price(p, value)
        elif name in lamps:
            out[name] = _count(name, value)
        else:
            close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.5) or \
                [k for k in known if k.lower() == name.lower()]
            hint = f"; did you mean {close[0]}?" if close else ""
            listing = ", ".join(known) if known else "none"
            raise BillInputError(name, value, f"schedule {schedule.id} has no input of this name{hint} "
                                              f"(inputs: {listing})")
    return out


def _count(name: str, value) -> int:
    number = _number(name, value)
    if number.denominator != 1 or number < 0:
        raise BillInputError(name, value, "expected a whole number, 0 or more")
    return int(number)


def _typed(spec, name: str, value):
    if spec.type == "flag":
        if isinstance(value, bool):
            return value
        if str(value).strip().lower() in FLAGS:
            return FLAGS[str(value).strip().lower()]
        raise BillInputError(name, value, "expected a flag: true or false")
    if spec.type == "count":
        return _count(name, value)
    if spec.type == "choice":
        if str(value) not in spec.choices:
            raise BillInputError(name, value, f"expected one of {', '.join(spec.choices)}")
        return str(value)
    number = _number(name, value)
    if number < 0:
        raise BillInputError(name, value, "cannot be negative")
    return number


def _price(passthrough, value) -> Fraction:
    price = _number(passthrough.name, value)
    low = Fraction(passthrough.minimum) if passthrough.minimum is not None else Fraction(0)
    high = Fraction(passthrough.maximum) if passthrough.maximum is not None else None
    if price < low or (high is not None and price > high):
        span = f"{passthrough.minimum} to {passthrough.maximum}" if high is not None else f"at least {low}"
        raise BillInputError(passthrough.name, value, f"the pass-through price must be within the sheet's range, "
                                                      f"{span} $/{passthrough.unit}")
    return price


class _Local:
    """An instant shown in local time, formatted only when a message needs it."""

    def __init__(self, instant, tz):
        self.instant, self.tz = instant, tz

    def __str__(self) -> str:
        return self.instant.astimezone(self.tz).strftime("%Y-%m-%d %H:%M %Z")


def check_intervals(inputs, tz) -> None:
    """Intervals must tile [start 00:00, end 00:00) local time: none outside, repeated, overlapping,
    and no gap."""
    begin = dt.datetime.combine(inputs.start, dt.time(0), tzinfo=tz)
    finish = dt.datetime.combine(inputs.end, dt.time(0), tzinfo=tz)
    previous_end = begin
    seen = set()
    for interval in sorted(inputs.intervals, key=lambda i: i.start):
        text = _Local(interval.start, tz)
        end = interval.start + dt.timedelta(seconds=interval.seconds)
        if interval.kwh < 0:
            raise BillInputError("intervals", str(text), f"the interval's usage {interval.kwh} kWh is negative")
        if interval.start < begin or end > finish:
            raise BillInputError("intervals", str(text), f"the interval is outside the billing period "
                                                    f"[{inputs.start.isoformat()}, {inputs.end.isoformat()})")
        if interval.start in seen:
            raise BillInputError("intervals", str(text), "two intervals start at this time (duplicated)")
        seen.add(interval.start)
        if interval.start < previous_end:
            raise BillInputError("intervals", str(text), "the interval overlaps the one before it, which ends at "
                                                    f"{previous_end.astimezone(tz):%Y-%m-%d %H:%M %Z}")
        if interval.start > previous_end:
            raise BillInputError("intervals", str(text), "gap: no data from "
                                                    f"{previous_end.astimezone(tz):%Y-%m-%d %H:%M %Z} to this interval")
        previous_end = end
    if previous_end < finish:
        raise BillInputError("intervals", f"{previous_end.astimezone(tz):%Y-%m-%d %H:%M %Z}",
                             f"gap: no data from this time to the end of the period ({inputs.end.isoformat()} 00:00)")
