"""A comparison as text (tables for a terminal), JSON and CSV; every amount printed from its Decimal."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from tariffc.compiler.compare.measures import interval_minutes
from tariffc.compiler.compare.run import Comparison


def money(value: Decimal) -> str:
    """Dollars with thousands separators, two decimals: 1,234.50."""
    return f"{value:,.2f}"


def signed(value: Decimal) -> str:
    """A difference to the cheapest: `-` for none, else +12.34."""
    return "-" if value == 0 else f"+{value:,.2f}"


def qty(value: Decimal | None) -> str:
    """A quantity to three decimals at most, thousands separated; `-` for none."""
    if value is None:
        return "-"
    return f"{value.quantize(Decimal('0.001')).normalize():,f}"


def render_text(result: Comparison, series, slices) -> str:
    """The comparison for a terminal: ranking, bills per period, refusals, periods not billed, notes."""
    out = io.StringIO()
    w = out.write
    minutes = interval_minutes(slices)
    first, last = result.periods[0], result.periods[-1]
    kwh = sum((m.kwh for m in result.measures), Decimal(0))
    received = sum((m.received_kwh for m in result.measures), Decimal(0))
    w(f"Rate options for {result.source}\n")
    what = f"{minutes} min" if minutes < 1440 else "a day or longer (billing-period reads)"
    w(f"  data: {len(series):,} readings of {what}; billed {first.start}..{last.end} "
      f"(end exclusive, {series.timezone}) in {len(result.periods)} periods, {sum(p.days for p in result.periods)} days\n")
    w(f"  delivered {qty(kwh)} {result.unit}; received {qty(received)} {result.unit}\n\n")
    if result.results:
        rows = [("rank", "option", "class", "total ($)", "vs cheapest ($)")]
        rows += [(str(r.rank), r.candidate.label, r.customer_class, money(r.total), signed(r.difference))
                 for r in result.results]
        w(_table(rows, right=(0, 3, 4)) + "\n\n")
        w("Bills per period ($)\n")
        minutes = sorted({m.demand_minutes for m in result.measures if m.demand_minutes})
        demand = (f"max kW ({'/'.join(map(str, minutes))} min)",) if minutes else ()
        head = ("period", "days", result.unit) + demand + tuple(r.candidate.label for r in result.results)
        rows = [head]
        for index, measure in enumerate(result.measures):
            rows.append((measure.period.label(), str(measure.period.days), qty(measure.kwh))
                        + ((qty(measure.max_kw),) if demand else ())
                        + tuple(money(r.bills[index].total) for r in result.results))
        rows.append(("total", str(sum(p.days for p in result.periods)), qty(kwh)) + (("",) if demand else ())
                    + tuple(money(r.total) for r in result.results))
        w(_table(rows, right=tuple(range(1, len(head)))) + "\n")
    else:
        w("No option could be billed.\n")
    if result.refused:
        w("\nRefused\n")
        for refusal in result.refused:
            w(f"  {refusal.reason}\n")
    if result.skipped:
        w("\nNot billed: missing data (billed for no option, so the totals stay comparable)\n")
        for period, why in result.skipped:
            w(f"  {period.label()}: {why}\n")
    if result.notes:
        w("\nNotes\n")
        for note in result.notes:
            w(f"  - {note}\n")
    return out.getvalue().rstrip("\n")


def _table(rows, right=()) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) for i, cell in enumerate(row)]
        lines.append("  " + "  ".join(cells).rstrip())
    return "\n".join(lines)


def _bill_json(bill) -> dict | None:
    if bill is None:
        return None
    if hasattr(bill, "as_json"):
        return bill.as_json()
    return {"total": str(bill.total)}


def as_json(result: Comparison, slices=()) -> dict:
    """The comparison as JSON-ready data; amounts and quantities as decimal strings."""
    return {
        "source": result.source,
        "unit": result.unit,
        "periods": [{"label": m.period.label(), "start": m.period.start.isoformat(), "end": m.period.end.isoformat(),
                     "days": m.period.days, "kwh": str(m.kwh), "received_kwh": str(m.received_kwh),
                     "max_kw": None if m.max_kw is None else str(m.max_kw),
                     "max_kw_minutes": m.demand_minutes} for m in result.measures],
        "options": [{
            "rank": r.rank, "option": r.candidate.label, "schedule": r.candidate.base, "export": r.candidate.export,
            "class": r.customer_class, "title": r.title, "total": str(r.total), "difference": str(r.difference),
            "bills": [{"period": b.period.label(), "start": b.period.start.isoformat(), "end": b.period.end.isoformat(),
                       "total": str(b.total), "base": _bill_json(b.base), "export": _bill_json(b.export)}
                      for b in r.bills],
        } for r in result.results],
        "refused": [{"option": x.candidate.label, "reason": x.reason} for x in result.refused],
        "not_billed": [{"period": p.label(), "start": p.start.isoformat(), "end": p.end.isoformat(), "reason": why}
                       for p, why in result.skipped],
        "notes": list(result.notes),
    }


def as_csv(result: Comparison) -> str:
    """One row per option and period, a total row per option, then refusals and periods not billed."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["rank", "option", "class", "period", "start", "end", "days", "kwh", "received_kwh",
                     "max_kw", "max_kw_minutes", "bill", "difference", "note"])
    for r in result.results:
        for bill, m in zip(r.bills, result.measures):
            writer.writerow([r.rank, r.candidate.label, r.customer_class, m.period.label(), m.period.start, m.period.end,
                             m.period.days, m.kwh, m.received_kwh, "" if m.max_kw is None else m.max_kw,
                             m.demand_minutes or "", bill.total,
                             "", ""])
        writer.writerow([r.rank, r.candidate.label, r.customer_class, "total", result.periods[0].start,
                         result.periods[-1].end, sum(p.days for p in result.periods),
                         sum((m.kwh for m in result.measures), Decimal(0)),
                         sum((m.received_kwh for m in result.measures), Decimal(0)), "", "", r.total, r.difference, ""])
    for x in result.refused:
        writer.writerow(["", x.candidate.label, "", "", "", "", "", "", "", "", "", "", "", x.reason])
    for period, why in result.skipped:
        writer.writerow(["", "", "", period.label(), period.start, period.end, period.days, "", "", "", "", "", "",
                         f"not billed: {why}"])
    return out.getvalue()
