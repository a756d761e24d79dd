"""The impact table as text, CSV or JSON. Values are exact until here; each is shown rounded
half-up to the cent (dollars) or to 0.1 (%), and JSON also carries the exact decimals."""

from __future__ import annotations

import csv
import io
import json
from fractions import Fraction

from tariffc.compiler.impact.levels import ImpactRow, Scenario
from tariffc.compiler.runtime import decimal_text, money


def percent_text(value: Fraction | None) -> str:
    return "-" if value is None else f"{money(value, 1)}%"


def signed(value: Fraction) -> str:
    return ("+" if value > 0 else "") + money(value)


def text(scenario: Scenario, rows: tuple[ImpactRow, ...]) -> str:
    first = rows[0]
    months = sorted({b.start.strftime("%b") for r in rows for b in r.current_bills})
    lines = [f"{scenario.schedule}: bill impact of version {first.proposed_version} against {first.current_version}",
             f"(each bill {_days(rows)} from the 1st of {', '.join(months)}; "
             f"{_method(rows)}; bills rounded as the schedule says)", ""]
    head = f"{'usage':<28} {'current $':>12} {'proposed $':>12} {'change $':>11} {'change %':>9}"
    lines += [head, "-" * len(head)]
    for row in rows:
        lines.append(f"{row.level.label:<28} {money(row.current):>12} {money(row.proposed):>12} "
                     f"{signed(row.change):>11} {percent_text(row.percent):>9}")
    return "\n".join(lines) + "\n"


def _days(rows) -> str:
    days = sorted({(b.end - b.start).days for r in rows for b in r.current_bills})
    return " or ".join(f"{d} days" for d in days)


def _method(rows) -> str:
    counts = {len(r.current_bills) for r in rows}
    return "one bill per level" if counts == {1} else "weighted mean of the sample bills"


def to_csv(rows: tuple[ImpactRow, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["usage", "current_version", "proposed_version", "current", "proposed", "change",
                     "change_pct"])
    for row in rows:
        writer.writerow([row.level.label, row.current_version, row.proposed_version, money(row.current),
                         money(row.proposed), money(row.change), "" if row.percent is None else money(row.percent, 1)])
    return out.getvalue()


def to_json(scenario: Scenario, rows: tuple[ImpactRow, ...]) -> str:
    def bills(samples):
        return [{"start": b.start.isoformat(), "end": b.end.isoformat(), "version": b.version,
                 "weight": str(b.weight), "total": str(b.total)} for b in samples]

    return json.dumps({
        "schedule": scenario.schedule, "from": scenario.current.isoformat(), "to": scenario.proposed.isoformat(),
        "rows": [{
            "usage": row.level.label, "quantities": dict(row.level.usage),
            "current_version": row.current_version, "proposed_version": row.proposed_version,
            "current": money(row.current), "proposed": money(row.proposed), "change": money(row.change),
            "change_pct": None if row.percent is None else money(row.percent, 1),
            "current_exact": decimal_text(row.current), "proposed_exact": decimal_text(row.proposed),
            "current_bills": bills(row.current_bills), "proposed_bills": bills(row.proposed_bills),
        } for row in rows]}, indent=2) + "\n"
