"""Bill inputs and their validation: the one typing layer the CLI, the Python API, `compare` and
the reference interpreter all use.

Quantities become exact numbers (`Decimal`, or `Q` for a rational that does not terminate) within
`MAX_MAGNITUDE` and `MAX_PLACES` (an absurd magnitude is refused by name at once, never by an
`InvalidOperation` deep in a bill); named inputs are typed by the schedule's `input` declarations;
pass-through prices stay within the sheet's printed range; interval data must tile the period.
Every refusal is a `BillInputError` naming the field and the value.
"""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
import difflib
import numbers
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from .errors import BillInputError
from .numbers import Q, decimal_text
from .timetext import local_time_text
from .words import with_article

#: Largest quantity or price accepted (kWh, kW, therms, $/unit, counts): 10^12 is a thousand times
#: the largest customer's yearly use; beyond it a value is a typo or an attack.
MAX_MAGNITUDE = Decimal(10) ** 12
#: Decimal places accepted in a quantity (a Wh is 0.001 kWh; 12 leaves room for any meter).
MAX_PLACES = 12
MEASURED = ("kwh", "kw", "therms", "exported_kwh")
FLAGS = {"true": True, "yes": True, "1": True, "on": True, "false": False, "no": False, "0": False, "off": False}
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A decimal (or a ratio of two): ASCII digits only; the words NaN and Infinity reach Decimal, which
# reads them, so that they are refused as not finite by name.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?(?:/[0-9]+)?|[+-]?(?:nan|snan|inf|infinity)",
                     re.IGNORECASE)


@dataclass(frozen=True)
class Interval:
    """One interval of metered energy: `start` is timezone-aware; `seconds` long; `kwh` delivered."""

    start: dt.datetime
    seconds: int
    kwh: object  # Decimal or Q


@dataclass(frozen=True)
class IntervalArrays:
    """Interval data as arrays (the meter readers' and a Parquet store's form): `start` the UTC
    epoch second of the first interval, `seconds` the interval length, `wh` integer Wh per interval
    (interval i covers [start + i*seconds, start + (i+1)*seconds))."""

    start: int
    seconds: int
    wh: object  # a sequence of ints (list, tuple or an int64 numpy array)


@dataclass(frozen=True)
class BillInputs:
    """What a bill function takes: the period [start, end) in local dates, the measured totals, the
    interval data, and the named inputs (typed by `typed_values` once the schedule is known)."""

    start: dt.date
    end: dt.date
    kwh: object = None
    kw: object = None
    therms: object = None
    exported_kwh: object = None
    intervals: tuple[Interval, ...] | None = None
    values: dict = field(default_factory=dict)

    @property
    def days(self) -> int:
        return (self.end - self.start).days


@dataclass(frozen=True)
class InputSpec:
    """A declared named input: `type` flag | count | number | choice | unit; `maximum` bounds a
    number (1 for a fraction such as a power factor, 8,784 for hours in a year), `why_maximum` says
    why; `positive` refuses 0 (an index ratio: a ratio of 0 would cancel every indexed fee)."""

    name: str
    type: str
    unit: str | None = None
    choices: tuple[str, ...] = ()
    maximum: Decimal | None = None
    positive: bool = False
    why_maximum: str = ""  # the reason for `maximum`, said in the refusal ("hours in a year: 366 x 24")


@dataclass(frozen=True)
class PriceSpec:
    """A pass-through price input and the range the sheet prints for it ($ per `unit`)."""

    name: str
    unit: str
    minimum: Decimal | None = None
    maximum: Decimal | None = None


# ------------------------------------------------------------------ one value
def show(value) -> str:
    """A value for a message: decimals, never a '3/2' fraction or a float repr of 28 digits."""
    if isinstance(value, Decimal) and not value.is_finite():
        return str(value)  # NaN, sNaN, Infinity: no exact ratio to show
    if isinstance(value, (Fraction, Decimal)):
        return decimal_text(value)
    text = repr(value) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _exact(x):
    """A Decimal when the Fraction terminates, else a Q."""
    if isinstance(x, Decimal):
        return x
    d = x.denominator
    while d % 2 == 0:
        d //= 2
    while d % 5 == 0:
        d //= 5
    if d == 1:
        return Decimal(x.numerator) / Decimal(x.denominator)  # terminates; default context holds 28 digits
    return Q(x)


#: The largest index ratio accepted (E-16 F.'s CPI adjustment: later CPI-U / base-year CPI-U). The
#: CPI-U has not doubled in any 20 years since 1983; a ratio above 10 is the index typed for the ratio.
MAX_INDEX_RATIO = Decimal(10)
#: The most hours a quantity in hours per TERM can hold: a leap year, the longest month (an estimate's
#: `h per year`, E-16 D.a.2; a bound's). More is not a schedule's hours but a typo.
HOURS_IN = {"year": (Decimal(8784), "a year has at most 8,784 hours: 366 days x 24"),
            "month": (Decimal(744), "a month has at most 744 hours: 31 days x 24")}


def integer(raw) -> int | None:
    """`raw` as an int when it is an exact integer: a Python int or an integer scalar of numpy (or any
    `numbers.Integral`), never a bool; else None (a float, even 600.0, is not exact)."""
    if isinstance(raw, bool) or not isinstance(raw, numbers.Integral):
        return None
    return int(raw)


def number(name: str, raw, *, negative: bool = False, maximum=None, why_maximum: str = ""):
    """An exact number from a decimal string, int (numpy integer scalars too), Decimal or Fraction
    (floats and bools are refused: they are not exact or not numbers). Bounded by
    `MAX_MAGNITUDE`/`MAX_PLACES`."""
    if integer(raw) is not None:
        raw = integer(raw)
    if isinstance(raw, (bool, float)) or not isinstance(raw, (str, int, Decimal, Fraction)):
        kind = "a float" if isinstance(raw, float) else with_article(type(raw).__name__)
        raise BillInputError(name, show(raw), f"expected an exact number (a decimal string, int or Decimal), "
                                              f"not {kind}")
    if isinstance(raw, int) and abs(raw) > MAX_MAGNITUDE:
        raise BillInputError(name, show(str(raw)[:30]), f"is beyond the largest value accepted ({MAX_MAGNITUDE:E})")
    if isinstance(raw, str):
        text = raw.strip()
        if len(text) > 60:
            raise BillInputError(name, show(text), "expected a number of at most 60 characters")
        if not _NUMBER.fullmatch(text):
            # Decimal and Fraction also take '1_000', Arabic-Indic or full-width digits and spaces
            # inside a fraction: a typo or a paste, not a number written the way the sheets write them
            raise BillInputError(name, show(raw), "expected a number written in the digits 0-9 (e.g. 600, 0.92, "
                                                  "1e3, 3/2; no '_' or ',' separators)")
        try:
            value = Fraction(text) if "/" in text else Decimal(text)
        except (ValueError, ZeroDivisionError, InvalidOperation):
            raise BillInputError(name, show(raw), "expected a number") from None
    else:
        value = raw
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise BillInputError(name, show(raw), "expected a finite number")
        if value and (value.adjusted() > 12 or abs(value) > MAX_MAGNITUDE):
            raise BillInputError(name, show(raw), f"is beyond the largest value accepted ({MAX_MAGNITUDE:E})")
        if value.as_tuple().exponent < -MAX_PLACES and value != value.quantize(Decimal(1).scaleb(-MAX_PLACES),
                                                                                 context=_WIDE):
            raise BillInputError(name, show(raw), f"has more than {MAX_PLACES} decimal places")
        value = value + 0 if value.as_tuple().exponent >= -MAX_PLACES else value.normalize(_WIDE)
    else:
        value = Fraction(value)
        if abs(value) > MAX_MAGNITUDE or value.denominator > 10 ** MAX_PLACES:
            raise BillInputError(name, show(raw), f"is beyond the largest value or precision accepted "
                                                  f"({MAX_MAGNITUDE:E}, 1/10^{MAX_PLACES})")
        value = _exact(value)
    if not negative and value < 0:
        raise BillInputError(name, show(raw), "cannot be negative")
    if maximum is not None and value > maximum:
        raise BillInputError(name, show(raw), f"must be at most {maximum}"
                             + (f" ({why_maximum})" if why_maximum else
                                f" (a fraction: {show(raw)}% is {show(value / 100)})" if maximum == 1 else ""))
    return value


_WIDE = __import__("decimal").Context(prec=80)


def quantity(name: str, raw):
    """A measured total (kWh, kW, therms, exported kWh): exact, 0 or more, bounded; None stays None."""
    return None if raw is None else number(name, raw)


def iso_date(text: str) -> dt.date:
    """The date written YYYY-MM-DD (ASCII digits; not the other forms `date.fromisoformat` reads,
    such as 20250701). ValueError whose message ends a sentence about the text: "is not a date
    (YYYY-MM-DD)", "is not a day: February 2025 has 28 days", "is not a date: there is no month 13"."""
    text = text.strip() if isinstance(text, str) else text
    if not isinstance(text, str) or not _DATE.fullmatch(text):
        raise ValueError("is not a date (YYYY-MM-DD)")
    year, month, day = (int(part) for part in text.split("-"))
    if year < 1:
        raise ValueError("is not a date: years start at 0001")
    if not 1 <= month <= 12:
        raise ValueError(f"is not a date: there is no month {month}")
    last = _calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        raise ValueError(f"is not a day: {_calendar.month_name[month]} {year} has {last} days")
    return dt.date(year, month, day)


def date(name: str, raw) -> dt.date:
    """A date: a `datetime.date` (not a datetime) or the text YYYY-MM-DD."""
    if type(raw) is dt.date:
        return raw
    if isinstance(raw, str) and _DATE.fullmatch(raw.strip()):
        try:
            return iso_date(raw)
        except ValueError as exc:
            raise BillInputError(name, show(raw), str(exc).removeprefix("is ")) from None
    raise BillInputError(name, show(raw), "expected a date YYYY-MM-DD")


def flag(name: str, raw) -> bool:
    if isinstance(raw, bool):
        return raw
    if integer(raw) is not None:
        raw = integer(raw)
    if isinstance(raw, (str, int)) and str(raw).strip().lower() in FLAGS:
        return FLAGS[str(raw).strip().lower()]
    raise BillInputError(name, show(raw), "expected a flag: true or false")


def count(name: str, raw) -> int:
    value = number(name, raw)
    if value != int(value):
        raise BillInputError(name, show(raw), "expected a whole number, 0 or more")
    return int(value)


def typed(spec: InputSpec, raw):
    """A named input typed by its declaration (flag, count, choice, number or a unit quantity)."""
    if spec.type == "flag":
        return flag(spec.name, raw)
    if spec.type == "count":
        return count(spec.name, raw)
    if spec.type == "choice":
        if not isinstance(raw, str) or raw.strip() not in spec.choices:
            raise BillInputError(spec.name, show(raw), f"expected one of {', '.join(spec.choices)}")
        return raw.strip()
    value = number(spec.name, raw, maximum=spec.maximum, why_maximum=spec.why_maximum)
    if spec.positive and not value:
        raise BillInputError(spec.name, show(raw), "must be more than 0 (an index ratio is the later index / "
                                                   "the base index: 1 in the base year)")
    return value


def price(spec: PriceSpec, raw):
    """A pass-through price within the sheet's printed range."""
    value = number(spec.name, raw)
    low = spec.minimum if spec.minimum is not None else 0
    if value < low or (spec.maximum is not None and value > spec.maximum):
        span = f"{spec.minimum} to {spec.maximum}" if spec.maximum is not None else f"at least {low}"
        raise BillInputError(spec.name, show(raw), f"the pass-through price must be within the sheet's range, "
                                                   f"{span} $/{spec.unit}")
    return value


def typed_values(schedule_id: str, specs, prices, lamps, raw: dict) -> dict:
    """Named inputs typed: `specs` (InputSpec), `prices` (PriceSpec; every version's range applies
    to its days, so a name may come several times), `lamps` the `lamps.ROW` count names."""
    if not isinstance(raw, dict):
        raise BillInputError("values", show(raw), "expected a mapping of input names to values")
    if not raw:
        return {}
    by_name = {s.name: s for s in specs}
    by_price: dict[str, list] = {}
    for p in prices:
        by_price.setdefault(p.name, []).append(p)
    known = sorted(set(by_name) | set(by_price) | set(lamps))
    out: dict = {}
    for name, value in raw.items():
        if not isinstance(name, str):
            raise BillInputError(show(name), show(value), "an input name must be a string")
        if name in by_name:
            out[name] = typed(by_name[name], value)
        elif name in by_price:
            for p in by_price[name]:
                out[name] = price(p, value)
        elif name in lamps:
            out[name] = count(name, value)
        else:
            close = difflib.get_close_matches(name.lower(), known, n=1, cutoff=0.5) or \
                [k for k in known if k.lower() == name.lower()]
            hint = f"; did you mean {close[0]}?" if close else ""
            raise BillInputError(name, show(value), f"schedule {schedule_id} has no input of this name{hint} "
                                                    f"(inputs: {', '.join(known) if known else 'none'})")
    return out


# ------------------------------------------------------------------ the measured inputs
def check_quantities(inputs: BillInputs, schedule_id: str | None = None, bills_on=None) -> None:
    """The period is at least a day; usage is not negative; totals and interval data are not both
    given; and (with `bills_on`) no input is given that the schedule does not bill on."""
    if inputs.end <= inputs.start:
        raise BillInputError("end", inputs.end.isoformat(), f"the period must end after it starts "
                                                            f"({inputs.start.isoformat()}); days = end - start")
    given = [(name, value) for name, value in (("kwh", inputs.kwh), ("kw", inputs.kw), ("therms", inputs.therms),
                                               ("exported_kwh", inputs.exported_kwh)) if value is not None]
    for name, value in given:
        if value < 0:
            raise BillInputError(name, show(value), "usage cannot be negative")
    if inputs.intervals is not None:
        if inputs.kwh is not None:
            raise BillInputError("kwh", show(inputs.kwh), "give kWh totals or interval data, not both")
        if inputs.kw is not None:
            raise BillInputError("kw", show(inputs.kw), "give demand or interval data, not both")
        given.append(("intervals", "given"))
    if bills_on is not None:
        for name, value in given:
            if name not in bills_on:
                uses = ", ".join(sorted(bills_on)) or "no measured quantity"
                raise BillInputError(name, show(value), f"schedule {schedule_id} does not bill on {name} "
                                                        f"(it bills on: {uses}); leave it out")


def bills_on(quantities) -> frozenset[str]:
    """The measured inputs a schedule accepts, from the quantities its charges are billed on:
    interval data wherever kWh or kW is billed (totals and demand come from it)."""
    found = {q for q in quantities if q in MEASURED}
    if found & {"kwh", "kw"}:
        found.add("intervals")
    return frozenset(found)


def intervals(raw) -> tuple[Interval, ...] | None:
    """Interval data as `Interval`s, from: a meter reader's `IntervalSeries` (its delivered kWh
    readings), `IntervalArrays` (or a mapping with keys start, seconds, wh), or a sequence of
    `Interval`, meter `IntervalReading` or (start, seconds, kwh) items."""
    if raw is None:
        return None
    if isinstance(raw, dict):  # interval arrays as a mapping: exactly the three keys
        keys = {str(key) for key in raw}
        wanted = {"start", "seconds", "wh"}
        if keys != wanted:
            missing, extra = sorted(wanted - keys), sorted(keys - wanted)
            raise BillInputError("intervals", "{" + ", ".join(sorted(keys))[:60] + "}",
                                 "interval arrays are a mapping of start (UTC epoch seconds), seconds (interval "
                                 "length) and wh (integer Wh per interval): "
                                 + "; ".join(part for part in (
                                     f"the {'key' if len(missing) == 1 else 'keys'} {', '.join(missing)} "
                                     f"{'is' if len(missing) == 1 else 'are'} missing" if missing else "",
                                     f"{', '.join(extra)} {'is not a key' if len(extra) == 1 else 'are not keys'} "
                                     "of it" if extra else "") if part))
    if isinstance(raw, IntervalArrays) or isinstance(raw, dict):
        return _from_arrays(raw if isinstance(raw, IntervalArrays) else IntervalArrays(**raw))
    if hasattr(raw, "readings") and hasattr(raw, "units"):  # a meterdata.IntervalSeries
        units = set(raw.units)
        if units - {"kWh"}:
            raise BillInputError("intervals", getattr(raw, "source", "series"),
                                 f"the readings are in {', '.join(sorted(units))}, not kWh")
        items = [r for r in raw.readings if getattr(getattr(r, "direction", None), "name", "DELIVERED") == "DELIVERED"]
    elif isinstance(raw, (str, bytes)) or not hasattr(raw, "__iter__"):
        raise BillInputError("intervals", show(raw), "expected interval data: an IntervalSeries, IntervalArrays, "
                                                     "or a sequence of (start, seconds, kwh)")
    else:
        items = list(raw)
    return tuple(_interval(i, item) for i, item in enumerate(items))


def _seconds(where: str, raw) -> int:
    if integer(raw) is not None:
        raw = integer(raw)
    if isinstance(raw, bool) or not isinstance(raw, (int, str, Decimal, Fraction)):
        raise BillInputError(where, show(raw), "expected a whole number of seconds")
    try:
        value = Fraction(str(raw))
    except (ValueError, ZeroDivisionError):
        raise BillInputError(where, show(raw), "expected a whole number of seconds") from None
    if value.denominator != 1 or not 0 < value <= 86400 * 62:
        raise BillInputError(where, show(raw), "expected a whole number of seconds, more than 0 (a fraction of a "
                                               "second is not truncated)")
    return int(value)


def _interval(index: int, item) -> Interval:
    where = f"intervals[{index}]"
    if isinstance(item, Interval):
        start, seconds, kwh = item.start, item.seconds, item.kwh
    elif hasattr(item, "duration") and hasattr(item, "value"):
        start, seconds, kwh = item.start, item.duration, item.value
    elif isinstance(item, (tuple, list)) and len(item) == 3:
        start, seconds, kwh = item
    else:
        raise BillInputError(where, show(item), "expected (start, seconds, kwh)")
    if not isinstance(start, dt.datetime) or start.tzinfo is None or start.utcoffset() is None:
        raise BillInputError(where, show(start), "expected a timezone-aware datetime for the interval's start")
    return Interval(start=start, seconds=_seconds(where, seconds), kwh=number(where, kwh, negative=True))


def _from_arrays(arrays: IntervalArrays) -> tuple[Interval, ...]:
    start = integer(arrays.start)
    if start is None:
        raise BillInputError("intervals.start", show(arrays.start), "expected UTC epoch seconds (an int)")
    seconds = _seconds("intervals.seconds", arrays.seconds)
    if not -62135596800 <= start <= 253402300799 - seconds * len(arrays.wh):
        raise BillInputError("intervals.start", show(start), "is outside the years 1 to 9999")
    out = []
    epoch = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    for i, wh in enumerate(arrays.wh):
        if integer(wh) is None:
            raise BillInputError(f"intervals.wh[{i}]", show(wh), "expected integer Wh (not "
                                 + ("a float" if isinstance(wh, float) else with_article(type(wh).__name__)) + ")")
        wh = integer(wh)
        if abs(wh) > MAX_MAGNITUDE * 1000:
            raise BillInputError(f"intervals.wh[{i}]", show(wh), "is beyond the largest value accepted")
        out.append(Interval(epoch + dt.timedelta(seconds=start + i * seconds), seconds, Decimal(wh).scaleb(-3)))
    return tuple(out)


class _Local:
    """An instant shown in local time, formatted only when a message needs it."""

    def __init__(self, instant, tz):
        self.instant, self.tz = instant, tz

    def __str__(self) -> str:
        return local_time_text(self.instant, self.tz)


def check_intervals(inputs: BillInputs, tz) -> None:
    """Intervals must tile [start 00:00, end 00:00) local time: none outside, repeated, overlapping,
    and no gap; none negative."""
    begin = dt.datetime.combine(inputs.start, dt.time(0), tzinfo=tz)
    finish = dt.datetime.combine(inputs.end, dt.time(0), tzinfo=tz)
    previous_end = begin
    seen = set()
    for interval in sorted(inputs.intervals, key=lambda i: i.start):
        text = _Local(interval.start, tz)
        end = interval.start + dt.timedelta(seconds=interval.seconds)
        if interval.kwh < 0:
            raise BillInputError("intervals", str(text), f"the interval's usage {show(interval.kwh)} kWh is negative")
        if interval.start < begin or end > finish:
            raise BillInputError("intervals", str(text), f"the interval is outside the billing period "
                                                         f"[{inputs.start.isoformat()}, {inputs.end.isoformat()})")
        if interval.start in seen:
            raise BillInputError("intervals", str(text), "two intervals start at this time (duplicated)")
        seen.add(interval.start)
        if interval.start < previous_end:
            raise BillInputError("intervals", str(text), "the interval overlaps the one before it, which ends at "
                                                         f"{local_time_text(previous_end, tz)}")
        if interval.start > previous_end:
            raise BillInputError("intervals", str(text), "gap: no data from "
                                                         f"{local_time_text(previous_end, tz)} to this "
                                                         "interval")
        previous_end = end
    if previous_end < finish:
        raise BillInputError("intervals", f"{local_time_text(previous_end, tz)}",
                             f"gap: no data from this time to the end of the period ({inputs.end.isoformat()} 00:00)")
