"""NREL PySAM `Utilityrate5` set up as CPAU E-4-TOU, version 2025-07-01 (the peer of
benchmarks/vector_speed.py). Rates are read from the checked IR, never typed here.

PySAM's model of a rate: a 12 x 24 period schedule per month and hour for weekdays and one for
weekends, in a 365-day year that starts on a Monday; no holidays; no daylight saving time (its hours
are clock positions). Energy periods 1-6: summer peak, mid-peak, off-peak, winter peak, mid-peak,
off-peak. Demand: TOU periods 1 (summer peak), 2 (winter peak), 3 (no peak charge); the Max
Demand charge is PySAM's flat monthly demand charge. The customer charge is the monthly fixed charge.
"""

from __future__ import annotations

from fractions import Fraction

SUMMER = range(5, 11)  # May..October (months 1-12)


def _rate(version, charge: str, *keys) -> float:
    row = version.charge(charge).row(keys)
    return float(row.total.value if row.total is not None else sum(x.value for _, x in row.components if x))


def _hours(clauses) -> set[int]:
    out = set()
    for c in clauses:
        for a, b in c.hours:
            out.update(range(a // 60, b // 60))
    return out


def model(version, steps_per_hour: int = 4):
    """A PySAM Utilityrate5 model of `version` (E-4-TOU 2025-07-01's structure)."""
    import PySAM.Utilityrate5 as ur  # noqa: PLC0415 - the benchmark-only extra

    rules = version.rules
    energy = {(s.season, p.name): p for s in rules.periods if s.charge == "energy" for p in s.periods}
    number = {("summer", "peak"): 1, ("summer", "mid_peak"): 2, ("summer", "off_peak"): 3,
              ("winter", "peak"): 4, ("winter", "mid_peak"): 5, ("winter", "off_peak"): 6}
    weekday, weekend = [], []
    dweekday, dweekend = [], []
    for month in range(1, 13):
        season = "summer" if month in SUMMER else "winter"
        peak = _hours(energy[(season, "peak")].clauses)
        mid = _hours(energy[(season, "mid_peak")].clauses)
        row = [number[(season, "peak")] if h in peak else number[(season, "mid_peak")] if h in mid
               else number[(season, "off_peak")] for h in range(24)]
        weekday.append(row)
        weekend.append([number[(season, "off_peak")]] * 24)
        dweekday.append([(1 if season == "summer" else 2) if h in peak else 3 for h in range(24)])
        dweekend.append([3] * 24)
    m = ur.new()
    m.Lifetime.analysis_period = 1
    m.Lifetime.system_use_lifetime_output = 0
    m.Lifetime.inflation_rate = 0
    m.ElectricityRates.rate_escalation = [0]
    m.ElectricityRates.ur_metering_option = 0
    m.ElectricityRates.ur_monthly_fixed_charge = _rate(version, "customer", "all") \
        if version.charge("customer").row(("all",)) else float(version.charge("customer").rows[0].total.value)
    m.ElectricityRates.ur_monthly_min_charge = 0
    m.ElectricityRates.ur_annual_min_charge = 0
    m.ElectricityRates.ur_ec_sched_weekday = weekday
    m.ElectricityRates.ur_ec_sched_weekend = weekend
    m.ElectricityRates.ur_ec_tou_mat = [[number[k], 1, 1e38, 0, _rate(version, "energy", *k), 0] for k in number]
    m.ElectricityRates.ur_dc_enable = 1
    m.ElectricityRates.ur_dc_sched_weekday = dweekday
    m.ElectricityRates.ur_dc_sched_weekend = dweekend
    m.ElectricityRates.ur_dc_tou_mat = [[1, 1, 1e38, _rate(version, "demand", "summer", "peak")],
                                        [2, 1, 1e38, _rate(version, "demand", "winter", "peak")],
                                        [3, 1, 1e38, 0.0]]
    m.ElectricityRates.ur_dc_flat_mat = [[month - 1, 1, 1e38, _rate(version, "demand",
                                          "summer" if month in SUMMER else "winter", "max")]
                                         for month in range(1, 13)]
    m.ElectricityRates.ur_en_ts_sell_rate = 0
    m.ElectricityRates.ur_en_ts_buy_rate = 0
    m.ElectricityRates.ur_sell_eq_buy = 0
    m.ElectricityRates.ur_nm_yearend_sell_rate = 0
    m.SystemOutput.degradation = [0]
    m.Load.load_escalation = [0]
    m.SystemOutput.gen = [0.0] * (8760 * steps_per_hour)
    return m


def bill_year(m, kw: list[float]) -> list[float]:
    """Monthly bills ($, floats) of a year of load in kW (8760 x steps values, PySAM's clock)."""
    m.Load.load = kw
    m.execute(0)
    return list(m.Outputs.utility_bill_wo_sys_ym[1][1:13]) if len(m.Outputs.utility_bill_wo_sys_ym[1]) > 12 \
        else list(m.Outputs.utility_bill_wo_sys_ym[1])


def exact_check(value) -> Fraction:
    return Fraction(value)
