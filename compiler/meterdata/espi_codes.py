"""ESPI code values this reader understands, and exact decimal scaling.

Only the codes the bill code needs are converted: uom 72 (Wh, reported as kWh) and 169 (therm);
flowDirection 1 (delivered) and 19 (received); ServiceCategory kind 0 (electricity) and 1 (gas).
Anything else is carried through by number and reported, never guessed.

A bill needs the energy of each interval. A ReadingType says whether its readings are that, in three
codes of IEC 61968-9 that ESPI uses: `kind` (MeasurementKind: 12 energy; 8 demand is a rate of use),
`accumulationBehaviour` (AccumulationKind: 4 deltaData, the amount in the interval; 1 bulkQuantity,
3 cumulative and 9 summation are register readings that grow from one interval to the next) and
`dataQualifier` (DataQualifierKind: 12 normal; 8 maximum and 2 average are statistics of something
else). `not_interval_energy` says why a ReadingType's readings are not billable amounts.
"""

from __future__ import annotations

from decimal import Decimal

from tariffc.compiler.meterdata.model import KWH, THERM, Direction

ESPI_NS = "http://naesb.org/espi"
ATOM_NS = "http://www.w3.org/2005/Atom"

UOM_WH = 72
UOM_THERM = 169

# uom -> (series unit, extra power of ten): Wh are reported as kWh, so divide by 10^3.
_UNIT_BY_UOM = {UOM_WH: (KWH, -3), UOM_THERM: (THERM, 0)}

FLOW_DELIVERED = 1
FLOW_RECEIVED = 19
_DIRECTION_BY_FLOW = {FLOW_DELIVERED: Direction.DELIVERED, FLOW_RECEIVED: Direction.RECEIVED}

_SERVICE_BY_KIND = {0: "electricity", 1: "gas"}

# ESPI IntervalReading/cost is in hundred-thousandths of the ReadingType currency.
COST_POWER_OF_TEN = -5


def unit_for_uom(uom: int) -> tuple[str, int] | None:
    """(unit, power-of-ten adjustment) for a converted uom, None for one carried as `uom N`."""
    return _UNIT_BY_UOM.get(uom)


def unconverted_unit(uom: int) -> str:
    return f"uom {uom}"


def direction_for_flow(flow_direction: int) -> Direction | None:
    return _DIRECTION_BY_FLOW.get(flow_direction)


def service_for_kind(kind: int | None) -> str | None:
    if kind is None:
        return None
    return _SERVICE_BY_KIND.get(kind, f"ServiceCategory kind {kind}")


def scale_exact(raw: int | Decimal, power_of_ten: int) -> Decimal:
    """raw x 10^power_of_ten, exactly: shift the exponent, never divide or round."""
    sign, digits, exponent = Decimal(raw).as_tuple()
    return Decimal((sign, digits, exponent + power_of_ten))


# IEC 61968-9 code names, for messages. Absent or 0 ("none": implied by the unit) is accepted.
_ACCUMULATION = {0: "none", 1: "bulkQuantity", 2: "continuousCumulative", 3: "cumulative", 4: "deltaData",
                 6: "indicating", 9: "summation", 10: "timeDelay", 12: "instantaneous", 13: "latchingQuantity",
                 14: "boundedQuantity"}
_MEASUREMENT = {0: "none", 8: "demand", 12: "energy"}
_QUALIFIER = {0: "none", 2: "average", 4: "excess", 5: "highThreshold", 7: "lowThreshold", 8: "maximum",
              9: "minimum", 11: "nominal", 12: "normal", 16: "secondMaximum", 17: "secondMinimum",
              23: "thirdMaximum", 24: "fourthMaximum", 25: "fifthMaximum", 26: "sum"}
INTERVAL_ACCUMULATION = frozenset({0, 4})  # none, deltaData
INTERVAL_KINDS = frozenset({0, 12})  # none, energy
INTERVAL_QUALIFIERS = frozenset({0, 12, 26})  # none, normal, sum


def _named(code: int, names: dict[int, str]) -> str:
    return f"{code} ({names[code]})" if code in names else str(code)


def not_interval_energy(kind: int | None, accumulation: int | None, qualifier: int | None) -> str | None:
    """Why readings of this ReadingType are not the energy of each interval (so cannot be billed as
    interval amounts), or None when they are or the codes are absent. Codes: module docstring."""
    if accumulation is not None and accumulation not in INTERVAL_ACCUMULATION:
        return (f"accumulationBehaviour {_named(accumulation, _ACCUMULATION)}: the readings are register "
                "values, not the energy of each interval (deltaData, 4)")
    if kind is not None and kind not in INTERVAL_KINDS:
        return f"kind {_named(kind, _MEASUREMENT)}: the readings are not energy (kind 12)"
    if qualifier is not None and qualifier not in INTERVAL_QUALIFIERS:
        return (f"dataQualifier {_named(qualifier, _QUALIFIER)}: the readings are a statistic, not the "
                "energy of each interval (normal, 12)")
    return None
