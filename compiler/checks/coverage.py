"""Every row a bill can look up exists: a rate table keyed by season, tier or time-of-use period
prices every season, tier and period its version's rules name.

Without this a schedule checks clean and every bill that reaches the missing row is refused (a
`tiers` rule naming `tier3` over a table that prices `tier1` and `tier2`). The keys are formed as
the bill forms them (compiler/bill_lines.py `_dims`): season first, then the period or the tier.
"""

from __future__ import annotations

from tariffc.compiler import ir
from tariffc.dsl.diagnostics import error

PERIOD_CHARGE_OF_UNIT = {"kWh": "energy", "kW": "demand"}


def _period_sets(version: ir.Version, charge: ir.Charge) -> list[ir.PeriodSet]:
    name = charge.name
    if not any(s.charge == name for s in version.rules.periods):
        name = PERIOD_CHARGE_OF_UNIT.get(charge.unit, charge.name)
    return [s for s in version.rules.periods if s.charge == name]


def _required_keys(version: ir.Version, charge: ir.Charge):
    """(key, what) for every row key a bill of this version can ask the charge for."""
    keys = {k for row in charge.rows for k in row.keys}
    seasons = [s.name for s in version.rules.seasons]
    use_season = bool(keys & set(seasons))
    sets = _period_sets(version, charge)
    use_period = bool(keys & {p.name for s in sets for p in s.periods})
    rule = next((t for t in version.rules.tiers if t.quantity == charge.quantity), None)
    tiers = [t.name for t in rule.tiers] if rule else []
    use_tier = not use_period and bool(keys & set(tiers))
    for season in (seasons if use_season else [None]):
        head = (season,) if season else ()
        if use_period:
            names = sorted({p.name for s in sets if s.season in (None, season) for p in s.periods})
            yield from (((*head, n), f"period {n}") for n in names)
        elif use_tier:
            yield from (((*head, t), f"tier {t}") for t in tiers)
        elif use_season:
            yield head, f"season {season}"


def rows_cover_keys(schedule: ir.Schedule):
    for version in schedule.versions:
        for charge in version.charges:
            if charge.bands or not charge.rows:
                continue
            # A row holding the key's names among others has an unknown key: T209 reports that one.
            missing = [(key, what) for key, what in _required_keys(version, charge)
                       if charge.row(key) is None and not any(set(key) <= set(r.keys) for r in charge.rows)]
            if missing:
                shown = ", ".join(" ".join(key) for key, _ in missing)
                yield error("T215", f"charge {charge.name} of version {version.label} has no row for {shown}",
                            charge.span,
                            *(f"the version's rules name {what}; a bill reaching it would be refused"
                              for _, what in missing[:3]),
                            hint="add the row as the sheet prints it, or remove the name from the rule")
