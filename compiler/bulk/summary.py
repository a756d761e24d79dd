"""The distribution of bill changes over customers: count, mean, percentiles of the $ and % change,
by usage band; and, for rate options, who would save by moving.

Money stays exact: each customer's change is a Decimal (a difference of rounded bills), the mean is
exact (shown rounded half-up to the cent), and percentiles are nearest-rank values of the sorted
changes (an actual customer's change, no interpolation): the p-th percentile of n values is the
ceil(p/100 x n)-th smallest.
"""

from __future__ import annotations

import math
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from tariffc.compiler.bulk.population import REASONS, CustomerResult, Plan, Refusal

PERCENTILES = (5, 25, 50, 75, 95)
# Usage bands in average monthly use over the test year (kWh/month or therms/month).
BANDS = {"kwh": ((0, 250), (250, 500), (500, 1000), (1000, None)),
         "therms": ((0, 20), (20, 50), (50, 100), (100, None))}
CENT = Decimal("0.01")


def change(result: CustomerResult) -> Decimal:
    return result.totals[1] - result.totals[0]


def percent(result: CustomerResult) -> Decimal | None:
    """The change as a % of the current bills, to 0.01 (half up); None when the current bills are 0."""
    if result.totals[0] == 0:
        return None
    return (change(result) / result.totals[0] * 100).quantize(CENT, rounding=ROUND_HALF_UP)


def monthly_use(result: CustomerResult) -> Fraction:
    """Average monthly use over the test year, kWh (or therms)."""
    return Fraction(result.usage, 1000 * result.months)


def band_of(use: Fraction, quantity: str) -> str:
    for low, high in BANDS[quantity]:
        if use >= low and (high is None or use < high):
            return band_label(low, high, quantity)
    raise ValueError(use)


def band_label(low, high, quantity) -> str:
    unit = "kWh/mo" if quantity == "kwh" else "therms/mo"
    return f"{low}+ {unit}" if high is None else f"{low}-{high} {unit}"


def nearest_rank(values: list, p: int):
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p / 100 * len(ordered))) - 1]


def stats(values: list[Decimal]) -> dict:
    if not values:
        return {"count": 0}
    mean = sum(values, Decimal(0)) / len(values)
    return {"count": len(values), "mean": str(mean.quantize(CENT, rounding=ROUND_HALF_UP)),
            **{f"p{p}": str(nearest_rank(values, p)) for p in PERCENTILES},
            "min": str(min(values)), "max": str(max(values))}


def summarize(plan: Plan, results: list[CustomerResult], refusals: list[Refusal]) -> dict:
    """A JSON-ready summary. Impact mode: $ and % change, overall and by band. Options mode: the mean
    annual bill under each option, and how many customers each option is cheapest for."""
    reasons = Counter(r.reason for r in refusals)
    out = {
        "mode": plan.mode, "test_year": plan.test_year.isoformat(), "months": plan.months,
        "periods": "meter-read dates" if plan.read_dates else "calendar months",
        "test_year_end": plan.periods[-1][1].isoformat() if plan.periods else None,
        "columns": [{"label": c.label, "schedule": c.schedule, "version": c.version,
                     "billed_year_start": c.year_start.isoformat()} for c in plan.columns],
        "customers_billed": len(results), "customers_refused": len(refusals),
        "refused_by_reason": {reason: reasons[reason] for reason in REASONS if reasons[reason]},
    }
    if plan.judged:  # A. bounds judged over each customer's year (compiler/bulk/eligibility.py)
        out["applicability"] = {plan.columns[i].label: dict(sorted(Counter(
            r.applicability[i][0] for r in results if r.applicability).items())) for i in plan.judged}
    if plan.mode == "impact":
        out["change_dollars"] = stats([change(r) for r in results])
        out["change_percent"] = stats([p for p in (percent(r) for r in results) if p is not None])
        out["current_total"] = str(sum((r.totals[0] for r in results), Decimal(0)))
        out["proposed_total"] = str(sum((r.totals[1] for r in results), Decimal(0)))
        bands = []
        for low, high in BANDS[plan.quantity]:
            label = band_label(low, high, plan.quantity)
            members = [r for r in results if band_of(monthly_use(r), plan.quantity) == label]
            bands.append({"band": label, "change_dollars": stats([change(r) for r in members]),
                          "change_percent": stats([p for p in (percent(r) for r in members) if p is not None])})
        out["by_band"] = bands
    else:
        labels = [c.label for c in plan.columns]
        cheapest = Counter(labels[_cheapest(r)] for r in results)
        out["options"] = [{
            "schedule": label,
            "mean_annual_bill": stats([r.totals[i] for r in results]).get("mean"),
            "cheapest_for": cheapest[label],
            "saving_vs_first": stats([r.totals[0] - r.totals[i] for r in results]) if i else None,
        } for i, label in enumerate(labels)]
    return out


def _cheapest(result: CustomerResult) -> int:
    return min(range(len(result.totals)), key=lambda i: (result.totals[i], i))


def render(summary: dict) -> str:
    """The summary as text for the terminal."""
    lines = []
    cols = summary["columns"]
    if summary["mode"] == "impact":
        a, b = cols
        kind = "monthly bills" if summary["periods"] == "calendar months" else "bills between meter-read dates"
        lines.append(f"{a['schedule']}: version {b['version']} against {a['version']}, every customer's test year "
                     f"{summary['test_year']}..{summary['test_year_end']} ({summary['months']} {kind} each; proposed "
                     f"bills on the same usage re-dated to {b['billed_year_start']})")
    else:
        lines.append(f"Rate options {', '.join(c['schedule'] for c in cols)} on the test year from "
                     f"{summary['test_year']} (rates of {', '.join(c['version'] for c in cols)})")
    lines.append(f"customers billed: {summary['customers_billed']}   refused: {summary['customers_refused']}"
                 + ("  (" + ", ".join(f"{k} {v}" for k, v in summary["refused_by_reason"].items()) + ")"
                    if summary["refused_by_reason"] else ""))
    for label, counts in summary.get("applicability", {}).items():
        lines.append(f"A. Applicability over the year, {label}: "
                     + ", ".join(f"{status} {n}" for status, n in counts.items()) + " (results.csv says why)")
    if summary["mode"] == "impact" and summary["customers_billed"]:
        lines.append(f"annual bills: current ${summary['current_total']}, proposed ${summary['proposed_total']}")
        lines.append("")
        head = f"{'':<22}{'count':>7}{'mean':>10}" + "".join(f"{'p' + str(p):>10}" for p in PERCENTILES)
        lines.append("change per customer over the year")
        lines.append(head)
        lines.append(_stat_line("$ change", summary["change_dollars"]))
        lines.append(_stat_line("% change", summary["change_percent"]))
        lines.append("")
        lines.append("by usage band (average monthly use)")
        lines.append(head)
        for band in summary["by_band"]:
            lines.append(_stat_line(f"{band['band']} $", band["change_dollars"]))
            lines.append(_stat_line(f"{band['band']} %", band["change_percent"]))
    elif summary["customers_billed"]:
        lines.append("")
        lines.append(f"{'option':<14}{'mean annual $':>15}{'cheapest for':>14}{'mean saving vs ' + cols[0]['schedule']:>26}")
        for option in summary["options"]:
            saving = option["saving_vs_first"]["mean"] if option["saving_vs_first"] else "-"
            lines.append(f"{option['schedule']:<14}{option['mean_annual_bill']:>15}{option['cheapest_for']:>14}"
                         f"{saving:>26}")
    return "\n".join(lines) + "\n"


def _stat_line(label: str, s: dict) -> str:
    if not s.get("count"):
        return f"{label:<22}{0:>7}{'-':>10}"
    return f"{label:<22}{s['count']:>7}{s['mean']:>10}" + "".join(f"{s['p' + str(p)]:>10}" for p in PERCENTILES)
