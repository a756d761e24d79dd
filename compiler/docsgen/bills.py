"""Typical bills (computed by the compiled bill functions, `tariffc.compiler.api`) and the bill-against-
usage curves of tiered schedules (from the bill API when it works, else from the tier rule and rates)."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from tariffc.compiler import ir
from tariffc.compiler.docsgen.html import esc, md_escape, table, words
from tariffc.compiler.docsgen.scenarios import assumed_inputs, scenarios, supply_prices
from tariffc.compiler.docsgen.words import allowance_for, tier_rates


class BillSource:
    """The bill API if it imports and answers; `reason` says why not otherwise."""

    def __init__(self, schedules_dirs: list[Path]):
        self.tariffs = None
        self.reason = ""
        try:
            api = importlib.import_module("tariffc.compiler.api")  # optional stage, written by another helper
        except ImportError as exc:
            self.reason = ("the bill API (module tariffc.compiler.api) is not in this build" if
                           getattr(exc, "name", None) in ("tariffc.compiler.api", None) or "api" in str(exc)
                           else f"the bill API does not import: {exc}")
            return
        try:
            self.tariffs = api.Tariffs.load(schedules_dirs[0])
        except Exception as exc:  # noqa: BLE001 - any failure makes bills unavailable, stated on the page
            self.reason = f"Tariffs.load failed: {type(exc).__name__}: {exc}"

    @classmethod
    def unavailable(cls, reason: str) -> "BillSource":
        source = cls.__new__(cls)
        source.tariffs, source.reason = None, reason
        return source

    def total(self, schedule_id: str, start: dt.date, end: dt.date, **usage) -> Decimal:
        bill = self.tariffs.bill(schedule_id, start=start, end=end, **usage)
        total = getattr(bill, "total", bill)
        return Decimal(str(total))


def season_window(version: ir.Version, season: ir.Season | None, days: int = 30) -> tuple[dt.date, dt.date] | None:
    """The first `days`-day bill inside the version's time in effect and inside one season."""
    start = version.effective
    last = version.ends or (version.effective + dt.timedelta(days=366))
    while start + dt.timedelta(days=days) <= last:
        end = start + dt.timedelta(days=days)
        if season is None or all(_in(season, start + dt.timedelta(days=i)) for i in range(days)):
            return start, end
        start += dt.timedelta(days=1)
    return None


def _in(season: ir.Season, day: dt.date) -> bool:
    md = (day.month, day.day)
    if season.start <= season.end:
        return season.start <= md <= season.end
    return md >= season.start or md <= season.end


def monthly_fixed(version: ir.Version) -> Fraction:
    total = Fraction(0)
    for charge in version.charges:
        if charge.unit == "month" and charge.quantity == "bill" and charge.condition is None and charge.rows:
            total += charge.rows[0].rate()
    return total


def direct_curve(version: ir.Version, rule: ir.TierRule, season: str | None, top: int,
                 rates: dict) -> list[tuple[Fraction, Fraction]]:
    """Bill of a 30-day period against usage, from the tier rule and the rates (no bill API)."""
    allowances = []
    for tier in rule.tiers:
        if not tier.allowances:
            allowances.append(None)
            continue
        a = next((x for x in tier.allowances if x.season in (season, None)), tier.allowances[0])
        allowances.append(allowance_for(a, 30, rule)[1])
    fixed = monthly_fixed(version)
    # the minimums of every bill per day (a bill is raised to each in turn: the largest decides)
    floor = max((m.amount.value * 30 for m in version.rules.minimums
                 if m.amount is not None and m.unit == "day" and m.condition is None), default=0)
    points = []
    step = max(top // 100, 1)
    for usage in range(0, top + 1, step):
        left, amount = Fraction(usage), Fraction(0)
        for tier, allowance in zip(rule.tiers, allowances):
            used = left if allowance is None else min(left, allowance)
            amount += used * rates[tier.name].rate()
            left -= used
        points.append((Fraction(usage), max(fixed + amount, Fraction(floor))))
    return points


def bills_page(schedule: ir.Schedule, source: BillSource) -> list[str]:
    out = [f"# {schedule.id}: typical bills", "",
           f"Back to [{schedule.id}](../schedules/{schedule.id}.md).", ""]
    if source.tariffs is None:
        out += ['!!! warning "Typical bills are unavailable in this build"', "",
                f"    {md_escape(source.reason)}. The rates and rules on the schedule page are complete; "
                "this page will show bills once the compiled bill functions load.", ""]
        return out
    cases, said = scenarios(schedule)
    out += ["Illustrative usage levels (ours, not taken from the documents), 30-day bills inside one season, "
            "computed by the compiled bill function of each version (`tariffc.compiler.api`). Amounts in "
            "dollars, rounded once as the billing conventions say; a credit is negative.", ""]
    out += [f"- {md_escape(s)}" for s in said] + ([""] if said else [])
    for version in reversed(schedule.versions):
        seasons = version.rules.seasons or (None,)
        rows = []
        for case in cases:
            cells = [case.label]
            for season in seasons:
                window = season_window(version, season)
                if window is None:
                    cells.append("(no 30-day bill in this version)")
                    continue
                try:
                    total = source.total(schedule.id, window[0], window[1], **case.usage(*window))
                    cells.append(f'<td class="amount">{esc(f"{total:,}")}</td>')
                except Exception as exc:  # noqa: BLE001 - shown in the cell, reported
                    cells.append(f"not computed: {type(exc).__name__}: {exc}")
            rows.append(cells)
        errors = {c for row in rows for c in row[1:] if c.startswith("not computed: ")}
        if errors and all(c.startswith("not computed: ") for row in rows for c in row[1:]) and len(errors) == 1:
            out += [f"## Version {version.label}", "", f"Bills not computed: {md_escape(errors.pop()[14:])}", ""]
            continue
        heads = ["Usage"] + [f"{s.label} bill ({_window_text(version, s)})" if s else
                             f"Bill ({_window_text(version, None)})" for s in seasons]
        out += [f"## Version {version.label}", "", table(heads, rows, "bills"), ""]
    return out


def _window_text(version: ir.Version, season) -> str:
    window = season_window(version, season)
    return f"30 days from {window[0]}" if window else "none"


def tier_curves(schedule: ir.Schedule, source: BillSource):
    """[(label, points)], unit, note — or None when the schedule has no tier rule."""
    curves, unit, used_api, failure = [], None, False, ""
    versions = [v for v in schedule.versions if v.rules.tiers][-2:]
    for version in versions:
        rule = version.rules.tiers[0]
        unit = "kWh" if rule.quantity == "kwh" else "therms"
        seasons = sorted({a.season for t in rule.tiers for a in t.allowances if a.season}) or [None]
        first = next(a for a in rule.tiers[0].allowances)
        top = int(first.amount * 30 / first.per_days * 4) or 100
        for season in seasons:
            label = version.label + (f" {words(season)}" if season else "")
            points = None
            if source.tariffs is not None:
                window = season_window(version, version.rules.season(season) if season else None)
                base, _ = assumed_inputs(schedule)
                try:
                    prices = supply_prices(schedule, window[0])
                    points = [(Fraction(u), Fraction(source.total(schedule.id, *window, **base, **prices,
                                                                  **{rule.quantity: u})))
                              for u in range(0, top + 1, max(top // 40, 1))]
                    used_api = True
                except Exception as exc:  # noqa: BLE001 - fall back to the rule, and say so
                    points, failure = None, f"{type(exc).__name__}: {exc}"
            if points is None:
                charge, rates = tier_rates(version, rule, season)
                if charge is None:
                    continue
                points = direct_curve(version, rule, season, top, rates)
            curves.append((label, points))
    if not curves:
        return None
    if used_api and not failure:
        note = "Computed by the compiled bill functions (30-day bills" + (
            "; supply at the assumed prices stated on the typical-bills page)." if
            any(v.passthroughs for v in schedule.versions) else ").")
    else:
        why = f"the bill API failed: {failure}" if failure else "bill API unavailable"
        note = ("Computed from the tier rule and the printed rates plus fixed monthly charges, 30-day bills "
                f"({why[:120]}).")
    return curves, unit, note
