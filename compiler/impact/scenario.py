"""A scenario file (TOML) for `tariffc impact --scenario FILE`: usage levels with their own
quantities, inputs, months and weights (what a command line cannot say).

    schedule = "E-4"            # optional when the command names the schedule
    from = "2024-07-01"         # optional: --from / --to override
    to = "2025-07-01"
    days = 30                   # default for every bill
    months = [7, 3]             # default: each level is the equal-weight mean of one bill per month
    set = { }                   # named inputs for every bill

    [[level]]
    label = "160,000 kWh at 274 kW"
    kwh = "160000"
    kw = "274"

    [[level]]                   # explicit bills: weights are exact rationals ("7/12")
    label = "annual mean month"
    [[level.bill]]
    weight = "7/12"
    month = 4
    therms = "17"
    set = { commodity = "0.859" }

Quantities are strings (exact decimals). Errors: ScenarioError naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from fractions import Fraction
from pathlib import Path

from tariffc.compiler.impact.levels import QUANTITIES, UNITS, ImpactError, Level, SampleBill, Scenario
from tariffc.compiler.inpaths import open_input


class ScenarioError(ImpactError):
    """A scenario file that cannot be read or has a wrong key or value."""


def _date(path: Path, key: str, value) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ScenarioError(f"{path}: {key} = {value!r} is not a date (YYYY-MM-DD)") from None


def _text(path: Path, where: str, key: str, value) -> str:
    if isinstance(value, float):
        raise ScenarioError(f"{path}: {where}.{key} = {value!r}: write quantities as strings (\"{value}\") "
                            "so they stay exact")
    if not isinstance(value, (str, int)) or isinstance(value, bool):
        raise ScenarioError(f"{path}: {where}.{key} = {value!r} is not a number")
    return str(value)


def _values(path: Path, where: str, table) -> dict[str, str]:
    if not isinstance(table, dict):
        raise ScenarioError(f"{path}: {where}.set must be a table {{ name = \"value\" }}")
    return {str(k): str(v).lower() if isinstance(v, bool) else str(v) for k, v in table.items()}


# A weight is a share of the level's value: positive, and no larger or finer than a bill's quantities
# (the same bound as every bill input, 10**12), so a typo cannot make a wrong sign or an endless number.
MAX_WEIGHT_TERM = 10**12


def _weight(path: Path, where: str, value) -> Fraction:
    """A bill's weight: an exact positive rational ("7/12", 1, "0.5"); ScenarioError otherwise."""
    if isinstance(value, (bool, float)) or not isinstance(value, (str, int, Fraction)) or len(str(value)) > 40:
        raise ScenarioError(f"{path}: {where}.weight = {value!r} is not a rational number (write it as \"7/12\")")
    try:
        w = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise ScenarioError(f"{path}: {where}.weight = {value!r} is not a rational number") from None
    if w <= 0:
        raise ScenarioError(f"{path}: {where}.weight = {value!r}: a weight must be positive")
    if w.numerator > MAX_WEIGHT_TERM or w.denominator > MAX_WEIGHT_TERM:
        raise ScenarioError(f"{path}: {where}.weight = {value!r} is beyond the largest or finest weight accepted "
                            f"(numerator and denominator up to {MAX_WEIGHT_TERM:.0e})")
    return w


def _tables(path: Path, key: str, value, section: str) -> list[dict]:
    """`value` as an array of tables (`[[section]]`); ScenarioError naming the key otherwise."""
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ScenarioError(f"{path}: {key} must be an array of tables ([[{section}]] sections), not {value!r}")
    return value


def _list(path: Path, key: str, value) -> list | None:
    """`value` as a list (or None when absent); ScenarioError naming the key otherwise."""
    if value is not None and not isinstance(value, list):
        raise ScenarioError(f"{path}: {key} must be a list such as [7, 3], not {value!r}")
    return value


def _bill(path: Path, where: str, spec: dict, *, month, days, weight, values) -> SampleBill:
    known = {"weight", "month", "days", "set", "label", *QUANTITIES}
    unknown = sorted(set(spec) - known - {"bill", "months"})
    if unknown:
        raise ScenarioError(f"{path}: {where}: unknown key(s) {', '.join(unknown)}; known: {', '.join(sorted(known))}")
    quantities = {q: _text(path, where, q, spec[q]) for q in QUANTITIES if q in spec}
    if not quantities:
        raise ScenarioError(f"{path}: {where}: no quantity (one of {', '.join(QUANTITIES)})")
    w = _weight(path, where, spec.get("weight", weight))
    m = spec.get("month", month)
    if m is not None and (not isinstance(m, int) or not 1 <= m <= 12):
        raise ScenarioError(f"{path}: {where}.month = {m!r} is not a month number 1-12")
    d = spec.get("days", days)
    if not isinstance(d, int) or not 1 <= d <= 366:
        raise ScenarioError(f"{path}: {where}.days = {d!r} is not a number of days")
    return SampleBill(month=m, days=d, weight=w, quantities=quantities,
                      values={**values, **_values(path, where, spec.get("set", {}))})


def read_scenario(path: Path, *, schedule: str | None = None, current: dt.date | None = None,
                  proposed: dt.date | None = None) -> Scenario:
    """Read a scenario file; arguments given on the command line override the file's keys."""
    try:
        with open_input(path) as stream:
            data = tomllib.loads(stream.read().decode("utf-8"))
    except OSError as exc:
        raise ScenarioError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {exc.start}); TOML files are UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML ({exc})") from None
    schedule = schedule or data.get("schedule")
    if not schedule:
        raise ScenarioError(f"{path}: no schedule (give SCHEDULE or `schedule = \"E-1\"`)")
    if current is None:
        if "from" not in data:
            raise ScenarioError(f"{path}: no `from` date (or give --from)")
        current = _date(path, "from", data["from"])
    if proposed is None:
        if "to" not in data:
            raise ScenarioError(f"{path}: no `to` date (or give --to)")
        proposed = _date(path, "to", data["to"])
    days = data.get("days", 30)
    months = _list(path, "months", data.get("months")) or [None]
    values = _values(path, "", data.get("set", {}))
    levels = []
    for index, spec in enumerate(_tables(path, "level", data.get("level", []), "level"), start=1):
        where = f"level {index}"
        if "bill" in spec:
            bills = tuple(_bill(path, f"{where} bill {j}", {**b}, month=None, days=days, weight=1,
                                values={**values, **_values(path, where, spec.get("set", {}))})
                          for j, b in enumerate(_tables(path, f"{where}.bill", spec["bill"], "level.bill"), start=1))
        else:
            level_months = _list(path, f"{where}.months", spec.get("months")) or months
            bills = tuple(_bill(path, where, spec, month=m, days=days, weight=Fraction(1, len(level_months)),
                                values=values) for m in level_months)
        label = spec.get("label") or " ".join(f"{v} {UNITS[k]}" for k, v in bills[0].quantities.items())
        levels.append(Level(label=str(label), bills=bills))
    if not levels:
        raise ScenarioError(f"{path}: no [[level]] tables")
    return Scenario(schedule=str(schedule), current=current, proposed=proposed, levels=tuple(levels))
