"""Rate tables: C. Unbundled rates of one version (components, printed totals, units, sources),
the history table between two versions (staff form: current, proposed, change, % change),
and the compact key-rates list of the home page."""

from __future__ import annotations

from decimal import Decimal

from tariffc.compiler import ir
from tariffc.compiler.docsgen.html import (column_words, esc, md_escape, plain, rate_address, rate_td, table, td_html,
                                           words)
from tariffc.compiler.rates import changes


def unit_words(charge: ir.Charge) -> str:
    unit = {"month": "$/month", "day": "$/day", "lamp per month": "$ per lamp per month",
            "1000 kWh": "$ per 1000 kWh block"}.get(charge.unit, f"$/{charge.unit}")
    return unit + (" (credit)" if charge.credit else "")


def row_words(keys: tuple[str, ...], label: str | None, rules: ir.Rules) -> str:
    """`Summer Period · Peak`; the sheet's row label, when written, stands for the last key."""
    parts = []
    for key in keys:
        season = rules.season(key)
        parts.append(season.label if season else words(key))
    if label:
        parts = parts[:-1] + [label] if parts and not rules.season(keys[-1]) else parts + [label]
        if len(parts) >= 2 and parts[-1] == parts[-2]:
            parts.pop()
    return " · ".join(parts)


def flags_for(version: ir.Version) -> dict[tuple, str]:
    """Declared unresolved values and sum discrepancies by (charge, keys, column)."""
    out = {}
    for d in version.declared:
        if d.kind == "unresolved" and len(d.path) >= 2:
            out[(d.path[0], tuple(d.path[1:-1]), d.path[-1])] = f"unresolved: {d.reason}"
        elif len(d.path) >= 1:
            out[(d.path[0], tuple(d.path[1:]), "total")] = f"declared discrepancy: {d.reason}"
    return out


def charge_heading(charge: ir.Charge, schedule: ir.Schedule) -> str:
    bits = [unit_words(charge), f"billed on `{charge.quantity}`"]
    if charge.condition is not None:
        bits.append(f"when `{charge.condition.describe()}`")
    return f"**{md_escape(charge.label)}** (`{charge.name}`; {'; '.join(bits)})"


def charge_table(schedule: ir.Schedule, version: ir.Version, charge: ir.Charge, source_href: str) -> str:
    sid, vid = schedule.id, version.label
    flags = flags_for(version)

    def src(span) -> str:
        return td_html(f'<a href="{esc(source_href)}#L-{span.line}">line {span.line}</a>', "source")

    if charge.bands:
        rows = []
        for band in charge.bands:
            low = ("[" if band.low_closed else "(") + plain(band.low)
            high = ("∞)" if band.high is None else plain(band.high) + ("]" if band.high_closed else ")"))
            rows.append([band.label or words(band.key), f"{low}, {high} {charge.band_input or ''}".strip(),
                         rate_td(sid, vid, charge.name, (band.key,), "total", band.value), src(band.span)])
        return table(["Band", "Range", unit_words(charge), "Source"], rows)
    fixed = charge.columns == (charge.name,)
    headers = ["Row"] + ([] if fixed else [column_words(c) for c in charge.columns])
    if charge.has_total or fixed:
        headers.append("Total" if not fixed else unit_words(charge))
    headers.append("Source")
    rows = []
    for row in charge.rows:
        cells = [row_words(row.keys, row.label, version.rules) or "All"]
        if fixed:
            value = row.components[0][1] if row.components else row.total
            cells.append(rate_td(sid, vid, charge.name, row.keys, "total", value,
                                 flags.get((charge.name, row.keys, "total"), "")))
        else:
            for column, value in row.components:
                cells.append(rate_td(sid, vid, charge.name, row.keys, column, value,
                                     flags.get((charge.name, row.keys, column), "")))
            if charge.has_total:
                cells.append(rate_td(sid, vid, charge.name, row.keys, "total", row.total,
                                     flags.get((charge.name, row.keys, "total"), "")))
        cells.append(src(row.span))
        rows.append(cells)
    return table(headers, rows)


def applies_words(condition: ir.Condition | None) -> str:
    """When a rule applies, as plain text for a table cell: `every bill`, `when green_option is
    block_1000`, `when medical`, `unless medical`."""
    if condition is None:
        return "every bill"
    return f"unless {condition.input}" if condition.kind == "not" else f"when {condition.describe()}"


def minimum_table(schedule: ir.Schedule, version: ir.Version, source_href: str) -> str:
    """Every minimum bill with an amount, one row each with the condition it applies under (the bill
    bills each whose condition holds: E-2-G 2020-07-01 C.1 and C.2); "" when the version has none."""
    shown = [m for m in version.rules.minimums if m.amount is not None]
    if not shown:
        return ""
    return table(["Row", "Applies", "Rate", "Unit", "Source"], [[
        "Minimum bill", applies_words(m.condition),
        rate_td(schedule.id, version.label, "minimum", (m.key,), "total", m.amount), f"$/{m.unit}",
        td_html(f'<a href="{esc(source_href)}#L-{m.span.line}">line {m.span.line}</a>', "source")]
        for m in shown])


def version_rates(schedule: ir.Schedule, version: ir.Version, source_href: str) -> list[str]:
    out = []
    for charge in version.charges:
        out += [charge_heading(charge, schedule), "", charge_table(schedule, version, charge, source_href), ""]
    minimum = minimum_table(schedule, version, source_href)
    if minimum:
        out += ["**Minimum bill**", "", minimum, ""]
    if version.passthroughs:
        rows = []
        for p in version.passthroughs:
            rng = (f"{p.minimum.text} to {p.maximum.text}" if p.minimum is not None and p.maximum is not None
                   else "pass-through (no range printed)")
            rows.append([p.label, f"$/{p.unit}", rng, td_html(
                f'<a href="{esc(source_href)}#L-{p.span.line}">line {p.span.line}</a>', "source")])
        out += ["**Pass-through charges** (set monthly; a bill input)", "",
                table(["Charge", "Unit", "Range", "Source"], rows), ""]
    return out


def history_table(schedule: ir.Schedule, old: ir.Version, new: ir.Version) -> str:
    rows = []
    for ch in changes(schedule, old, new):
        cell = ch.cell
        name = f"{cell.label} · {row_words(cell.keys, cell.row_label, new.rules)}"
        address = lambda column, v: esc(rate_address(schedule.id, v, cell.charge, cell.keys, column))  # noqa: E731
        old_keys = _old_keys(old, cell.charge, cell.keys)
        old_address = esc(rate_address(schedule.id, old.label, cell.charge, old_keys, "total"))
        cur = (f'<td class="rate" data-rate="{old_address}">{esc(_text(ch.current))}</td>'
               if ch.current is not None else "<td>(none)</td>")
        new_td = (f'<td class="rate" data-rate="{address("total", new.label)}">{esc(_text(ch.proposed))}</td>'
                  if ch.proposed is not None else "<td>(none)</td>")
        change = ch.change
        pct = ch.percent
        rows.append([name, cell.unit, cur, new_td,
                     f'<td class="change">{esc(_signed(change))}</td>' if change is not None else "<td></td>",
                     f'<td class="pct">{esc(_signed(pct) + "%")}</td>' if pct is not None else "<td></td>"])
    return table(["Charge", "Unit", f"Current ({old.label})", f"Proposed ({new.label})", "Change", "% Change"],
                 rows, "history")


def _old_keys(old: ir.Version, charge_name: str, keys: tuple[str, ...]) -> tuple[str, ...]:
    """The row of the old version compared with `keys` (a single old row stands for every new band/row;
    a minimum of every bill for each new conditional minimum)."""
    if charge_name == "minimum":
        m = old.rules.minimum_for(keys[0])
        return (m.key,) if m is not None else keys
    charge = old.charge(charge_name)
    if charge is None or charge.row(keys) is not None or any((b.key,) == keys for b in charge.bands):
        return keys
    if len(charge.rows) == 1 and not charge.bands:
        return charge.rows[0].keys
    return keys


def _text(value: Decimal) -> str:
    return str(value)


def _signed(value: Decimal) -> str:
    return f"+{value}" if value > 0 else str(value)


KEY_QUANTITIES = ("kwh", "kw", "therms", "bill", "exported_kwh", "days", "lamps")


def key_rates(schedule: ir.Schedule, version: ir.Version) -> str:
    """Home page: each charge's rates in effect (printed totals), one line per charge."""
    lines = []
    for charge in version.charges:
        if charge.quantity not in KEY_QUANTITIES:
            continue  # standby on reserved_kw, green blocks, switching: on the schedule page
        if charge.bands:
            cells = [(band.label or words(band.key), (band.key,), band.value) for band in charge.bands]
        else:
            cells = [(" ".join(words(k) for k in r.keys if k != "all").capitalize(), r.keys,
                      r.total if r.total is not None else (r.components[0][1] if len(r.components) == 1 else None))
                     for r in charge.rows]
        shown = []
        for label, keys, number in cells:
            if number is None:
                continue
            address = esc(rate_address(schedule.id, version.label, charge.name, keys, "total"))
            prefix = f"{esc(label)} " if label else ""
            shown.append(f'{prefix}<span class="rate" data-rate="{address}">{esc(number.text)}</span>')
        if shown:
            lines.append(f"<b>{esc(words(charge.name).capitalize())}</b> ({esc(unit_words(charge))}): "
                         + ", ".join(shown))
    for m in version.rules.minimums:
        if m.amount is None:
            continue
        address = esc(rate_address(schedule.id, version.label, "minimum", (m.key,), "total"))
        when = f", {esc(applies_words(m.condition))}" if m.condition else ""
        lines.append(f'<b>Minimum bill</b> ($/{m.unit}{when}): <span class="rate" data-rate="{address}">'
                     f"{esc(m.amount.text)}</span>")
    return "<br>".join(lines)
