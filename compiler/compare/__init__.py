"""Compare rate options on a customer's own interval data: bills per period, cheapest first.

    slices, notes = choose_periods(series)                      # billing periods of the data
    result = compare(slices, source=series.source, units=series.units,
                     candidates=parse_candidates("E-1,E-2,E-1+E-EEC-1"), schedules=ir_by_id,
                     biller=Tariffs.load("schedules"), inputs={"green_option": "renewable_100"})

One module per job:

    periods.py     billing periods of interval data (calendar months, meter-read dates, the file's
                   own billing-period reads) and what each period holds (readings, gaps, straddling)
    measures.py    kWh and maximum demand per billed period (demand by runtime.intervals, the bill's rule)
    candidates.py  rate options (`E-1+E-EEC-1`), what a schedule bills, applicability from its `limit`s
    inputs.py      `--set NAME=VALUE` typed per schedule that declares NAME
    run.py         the comparison: each candidate billed period by period, ranked; refusals; notes
    tariffs.py     what bills: the checked schedules and the bill API, or the rates in effect on a date
    render.py      text, JSON, CSV          chart.py  the bills per period as SVG/PNG (matplotlib)
    errors.py      CompareError, InputError

`tariffc compare` (compiler/cli/compare.py) is options → these → output.
"""

from tariffc.compiler.compare.candidates import (
    ANNUAL_EXPORT,
    EXPORT_SCHEDULES,
    Candidate,
    applicability,
    billing_unit,
    bills_demand,
    demand_minutes,
    is_time_of_use,
    limit_notes,
    parse_candidates,
)
from tariffc.compiler.compare.errors import CompareError, InputError
from tariffc.compiler.compare.inputs import convert_inputs
from tariffc.compiler.compare.measures import PeriodMeasure, interval_minutes, max_demand
from tariffc.compiler.compare.run import Comparison, PeriodBill, Refusal, Result, compare

__all__ = [
    "ANNUAL_EXPORT", "EXPORT_SCHEDULES", "Candidate", "CompareError", "Comparison", "InputError", "PeriodBill",
    "PeriodMeasure", "Refusal", "Result", "applicability", "billing_unit", "bills_demand", "compare",
    "convert_inputs", "demand_minutes", "interval_minutes", "is_time_of_use", "limit_notes", "max_demand",
    "parse_candidates",
]
