"""Units a meter-data file may name, and how each becomes the series unit (kWh or therm).

A unit comes from a units column, a `(unit)` in the usage column's header, a usage column named
after its unit (`kWh`, `Wh`, `therms`), or an export's preamble line (`UOM: kWh`). It is honoured
or refused by name; a unit tariffc does not know is never read as kWh.

    energy   Wh = 0.001 kWh, kWh, MWh = 1000 kWh
    power    W, kW, MW: the average power over the interval, so kWh = kW x interval hours
    gas      therm; dekatherm (Dth) = 10 therms; MMBtu = 10 therms; kBtu = 0.01 therm;
             Btu = 0.00001 therm (a therm is 100,000 Btu by definition)
    refused  CCF, HCF, MCF, cubic feet, m3: gas volumes; a therm is heat, and the heat content of a
             cubic foot (the "therm factor" printed on each gas bill) changes month to month and is
             not in the schedules, so no conversion is assumed. Reactive and apparent energy
             (kVArh, kVAh) and demand-only readings are not energy delivered.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

import attrs

from tariffc.compiler.meterdata.model import KWH, THERM


class UnitError(ValueError):
    """A unit that is refused or not known; the message names it and says why."""


@attrs.frozen(kw_only=True)
class MeterUnit:
    """How values written in `name` become `unit`: value x factor (x interval hours for power)."""

    name: str  # as the file wrote it
    unit: str  # KWH or THERM
    factor: Decimal
    power: bool = False  # an average rate (kW), multiplied by the interval's length in hours

    @property
    def identity(self) -> bool:
        return self.factor == 1 and not self.power

    def describe(self) -> str:
        """`Wh -> kWh (x 0.001)`, `kW -> kWh (average power x interval hours)`."""
        if self.identity:
            return self.unit
        if self.power:
            scale = "" if self.factor == 1 else f" x {self.factor:f}"
            return f"{self.name} -> {self.unit} (average power{scale} x interval hours)"
        return f"{self.name} -> {self.unit} (x {self.factor:f})"


_ENERGY = {"wh": Decimal("0.001"), "kwh": Decimal(1), "mwh": Decimal(1000), "gwh": Decimal(1000000)}
_POWER = {"w": Decimal("0.001"), "kw": Decimal(1), "mw": Decimal(1000)}
_GAS = {"therm": Decimal(1), "thm": Decimal(1), "dth": Decimal(10), "dekatherm": Decimal(10),
        "decatherm": Decimal(10), "mmbtu": Decimal(10), "kbtu": Decimal("0.01"), "btu": Decimal("0.00001")}
_VOLUME = ("ccf", "hcf", "mcf", "cf", "cubic feet", "cubic foot", "ft3", "m3", "cubic meters", "cubic metres",
           "cubic meter", "cubic metre", "scf")
_NOT_ENERGY = ("kvarh", "varh", "kvah", "vah", "kvar", "kva")
_WORDS = {"kilowatt hours": "kwh", "kilowatt-hours": "kwh", "kilowatthours": "kwh", "watt hours": "wh",
          "watt-hours": "wh", "megawatt hours": "mwh", "megawatt-hours": "mwh", "kilowatts": "kw", "kilowatt": "kw",
          "watts": "w", "watt": "w", "megawatts": "mw", "therms": "therm", "thms": "therm", "dekatherms": "dth",
          "decatherms": "dth", "mmbtus": "mmbtu", "kbtus": "kbtu", "btus": "btu", "mcfs": "mcf", "ccfs": "ccf",
          "hcfs": "hcf"}


def _key(text: str) -> str:
    key = " ".join(text.replace("\ufeff", "").replace("³", "3").casefold().split())
    key = _WORDS.get(key, key)
    return key.replace(" ", "") if re.fullmatch(r"[a-z]+ [a-z]+", key) and key.replace(" ", "") in _ENERGY else key


def is_unit_word(text: str) -> bool:
    """Whether `text` names a unit tariffc knows of (honoured or refused): `kWh`, `Wh`, `CCF`, ..."""
    key = _key(text)
    return key in _ENERGY or key in _POWER or key in _GAS or key in _VOLUME or key in _NOT_ENERGY


def meter_unit(text: str) -> MeterUnit:
    """The unit a file names, or UnitError saying why it is refused or unknown."""
    key = _key(text)
    name = text.strip()
    if key in _ENERGY:
        return MeterUnit(name=name, unit=KWH, factor=_ENERGY[key])
    if key in _POWER:
        return MeterUnit(name=name, unit=KWH, factor=_POWER[key], power=True)
    if key in _GAS:
        return MeterUnit(name=name, unit=THERM, factor=_GAS[key])
    if key in _VOLUME:
        raise UnitError(f"unit {name!r} is a gas volume; CPAU bills gas in therms (heat), and converting a volume "
                        "needs the heat content of the gas (the therm factor printed on the bill), which changes "
                        "month to month: convert the readings to therms first")
    if key in _NOT_ENERGY:
        raise UnitError(f"unit {name!r} is reactive or apparent power/energy, not energy delivered (kWh)")
    raise UnitError(f"unit {name!r} is not one tariffc knows (energy: Wh, kWh, MWh; average power: W, kW, MW; "
                    "gas: therm, Dth, MMBtu, kBtu, Btu); it is not assumed to be kWh")


def convert(value: Decimal, unit: MeterUnit, seconds: int) -> Decimal:
    """`value` in `unit` as kWh or therms, exactly; UnitError when an average power over an
    interval of `seconds` has no exact length in decimal hours (e.g. 7 minutes = 0.11666... h)."""
    if unit.identity:
        return value
    result = value * unit.factor
    if unit.power:
        hours = Fraction(seconds, 3600)
        rest = hours.denominator
        for prime in (2, 5):
            while rest % prime == 0:
                rest //= prime
        if rest != 1:
            raise UnitError(f"{unit.name} is an average power; an interval of {seconds} s is not an exact decimal "
                            "number of hours, so it has no exact kWh")
        result = result * Decimal(hours.numerator) / Decimal(hours.denominator)
    return result
