"""IR → one Python module per schedule, with one straight-line function per version.

A version function `version_YYYY_MM_DD(b, part)` is the version's sheet written out in its order:
each charge's quantity for the part — the tier split (`kwh_tier1 = min(kwh, allowance['tier1'])`,
the allowance from the version's `allowances_YYYY_MM_DD(part)`: allowance per day x days in each
season, rounded as the rule says), TOU energy by period, billing demand per window in force,
months, days — each row's quantity × each component's printed rate, the pass-through prices, the
adjustments (power factor, primary-voltage discount), the minimum bill. Conditions are `if`
statements. Rates and tier allowances are constants `D('0.10373')` from the source text in a
`Rates_…` table beside the function, one per sheet cell; TOU periods and demand windows are named
records in the sheet's words (`PERIODS_…`, `WINDOWS_…`). The module's `bill_period` runs the parts
and rounds the total once with the billing rule's constants. Every generated statement is mapped
to the `.tariff` line and sheet section it computes (LINE_MAP → LOC), which the loader uses to name
`X.tariff:LINE` when a bill fails.

What the runtime does for every schedule alike lives in `runtime/` and answers only data
questions: checking inputs, splitting the period into version parts and season segments, measured
totals, summing the parts' tier allowances, kWh of the interval data by TOU period, the Maximum
Demand by window.

Safe by construction: identifiers through `py_ident`, strings through `repr`, comments through
`safe_comment`; deterministic (no timestamps; the header names the sources' sha256); compiled as
a self-check before it is returned.
"""

from __future__ import annotations

import hashlib
import itertools

from tariffc.compiler import ir, runtime as rt
from tariffc.compiler.runtime import decimal_text

from .fees import emit_fees
from .references import emit_references
from .names import py_ident, safe_comment
from .values import Code, billing, calendar, decimal, period_set, render
from .writer import Writer
from . import credits
from .credits import demand_terms

RULES = "D. Special notes"
UNIT_SET = {"kWh": "energy", "kW": "demand"}


class Locations:
    """LOC keys: one per (file:line, sheet section); key 0 is 'no rule'."""

    def __init__(self, path: str):
        self.path = path
        self.table: dict[int, tuple[str, str]] = {}
        self._keys: dict[tuple[str, str], int] = {}

    def __call__(self, span, section: str) -> int:
        entry = (f"{getattr(span, 'path', None) or self.path}:{getattr(span, 'line', 0)}", section)
        key = self._keys.get(entry)
        if key is None:
            key = self._keys[entry] = len(self.table) + 1
            self.table[key] = entry
        return key


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _cond_expr(c) -> str:
    if c.kind == "flag":
        return f"b.flag({c.input!r})"
    if c.kind == "not":
        return f"not b.flag({c.input!r})"
    return f"b.choice({c.input!r}) == {c.value!r}"


class VersionEmitter:
    def __init__(self, w: Writer, loc: Locations, schedule: ir.Schedule, version: ir.Version, rates_name: str):
        self.w, self.loc, self.schedule, self.version = w, loc, schedule, version
        self.rules = version.rules
        self.rates_name = rates_name
        self.rates: list[tuple[str, object, int]] = []  # (attribute, Decimal, line)
        self._used: set[str] = set()
        # names of generated locals derived from .tariff text (tiers): never one of the fixed ones
        self._locals: set[str] = {"r", "b", "part", "lines", "since", "V", "q", "qs", "x", "n", "key", "total",
                                  "price", "base", "rate", "charged", "floor", "what", "subtotal", "allowance",
                                  "rt", "D", "kw", "kwh_by_period"}
        self._vars: dict[str, str] = {}
        self.allowances_fn = "None"
        self.period_names: dict[int, str] = {}  # id(ir.PeriodSet) -> the module constant written for it

    def rate(self, name: str, value, line: int) -> str:
        attr = py_ident(name, self._used)
        self.rates.append((attr, value, line))
        return f"r.{attr}"

    # ------------------------------------------------------------------ the function
    def emit(self, fn: str) -> None:
        w, v = self.w, self.version
        here = None  # the set-up lines compute no rule of the sheet
        w.line(f"def {fn}(b, part):", here)
        w.indent()
        w.line(f'"""The lines of the days `part` of bill `b` under the version effective {v.label}: its sheet\'s')
        w.line("arithmetic in the sheet's order (each statement's .tariff line is in LINE_MAP and its comment)."
               '"""')
        w.line(f"r = {self.rates_name}", here)
        w.line("lines = b.lines", here)
        w.line("since = len(lines)  # this part's lines start here", here)
        w.line(f"V = {v.label!r}", here)
        for charge in v.charges:
            self.charge(charge)
        emit_references(self)
        for p in v.passthroughs:
            self.passthrough(p)
        self.adjustments()
        self.minimum()
        emit_fees(self)
        w.dedent()

    def _guard(self, charge: ir.Charge) -> bool:
        tests = []
        if charge.condition is not None:
            tests.append(_cond_expr(charge.condition))
        exempt = [e for e in self.rules.exemptions if e.charge == charge.name]
        if exempt:
            names = " or ".join(_cond_expr(e.condition) for e in exempt)
            tests.append(f"not ({names})")
        if not tests:
            return False
        where = exempt[0].span.line if exempt else charge.span.line
        self.w.line(f"if {' and '.join(tests)}:  # line {where}", self.loc(exempt[0].span, f"{RULES} › exempt "
                                                                            f"{charge.name}") if exempt else
                    self.loc(charge.span, charge.section))
        self.w.indent()
        return True

    def charge(self, c: ir.Charge) -> None:
        w = self.w
        here = self.loc(c.span, c.section)
        w.line("")
        w.line(f"# charge {safe_comment(c.name)} per {safe_comment(c.unit)} on {safe_comment(c.quantity)}  "
               f"(line {c.span.line})", here)
        guarded = self._guard(c)
        seasons = [s.name for s in self.rules.seasons]
        lookup = c.name if any(p.charge == c.name for p in self.rules.periods) else UNIT_SET.get(c.unit, c.name)
        periods = {p.name for s in self.rules.periods if s.charge == lookup for p in s.periods}
        tier = self.rules.tier_rule(c.quantity)
        tiers = [t.name for t in tier.tiers] if tier else []
        keys = {k for row in c.rows for k in row.keys}
        by_season = bool(keys & set(seasons))
        by_period = bool(keys & periods)
        by_tier = bool(keys & set(tiers))
        measured = c.quantity in ("kwh", "therms", "exported_kwh")
        if c.bands:
            self.bands(c, here)
        elif c.quantity == "lamps":
            for row in c.rows:
                w.line(f"n = b.value({'lamps.' + row.keys[0]!r})", self.loc(row.span, row.section))
                w.line("if n:", self.loc(row.span, row.section))
                w.indent()
                self.row(c, row, "n * part.months")
                w.dedent()
        elif measured and by_period:
            self.tou_energy(c, lookup, by_season, here)
        elif c.quantity == "kw":
            self.demand(c, lookup, by_season, by_period, here)
        elif measured and by_tier:
            split = self.tier_split(c, tier)
            for season in (seasons if by_season else [None]):
                for name in tiers:
                    key = ((season,) if season else ()) + (name,)
                    share = f"part.share_in({season!r})" if season else "part.share"
                    self.keyed(c, key, f"{split[name]} * {share}", season, here)
        else:
            if c.quantity == "bill":
                base = "part.months{}"
            elif c.quantity == "days":
                base = "part.days{}"
            elif measured:
                w.line(f"total = b.total({c.quantity!r}, {c.name!r})", here)
                base = "total * part.share{}"
            else:  # a declared input: a monthly quantity
                w.line(f"x = b.value({c.quantity!r})", here)
                w.line("if x:", here)
                w.indent()
                base = "x * part.months{}"
            for season in (seasons if by_season else [None]):
                key = (season,) if season else ()
                expr = base.format(f"_in({season!r})" if season else "")
                self.keyed(c, key, expr, season, here)
            if not measured and c.quantity not in ("bill", "days"):
                w.dedent()
        if guarded:
            w.dedent()

    # ------------------------------------------------------------------ TOU periods, demand windows
    def period_constants(self, used: set[str]) -> list[str]:
        """Write the version's TOU period sets and demand windows as module constants, in the
        sheet's words (`rt.period('peak', 'mon-fri 16:00-21:00 except holidays')`); their names, in
        order (the version record lists them; the runtime classifies intervals by them)."""
        w, out = self.w, []
        if not self.rules.periods:
            return out
        w.line(f"# TOU periods and demand windows of the version effective {self.version.label}, in the sheet's words")
        for s in self.rules.periods:
            kind = "periods" if s.partition else "windows"
            name = py_ident(f"{kind}_{s.charge}_{s.season or 'all'}_{self.version.effective:%Y_%m_%d}".upper(), used)
            self.period_names[id(s)] = name
            section = f"{RULES} › {kind} {s.charge}" + (f" {s.season}" if s.season else "")
            when = f" when {safe_comment(_cond_expr(s.condition))}" if s.condition is not None else ""
            here = self.loc(s.span, section)
            w.line(f"# {kind} {safe_comment(s.charge)}{' ' + safe_comment(s.season) if s.season else ''}  "
                   f"(line {s.span.line}){when}", here)
            w.line(f"{name} = {render(period_set(s), 0)}", here)
            out.append(name)
        w.line("")
        w.line("")
        return out

    # ------------------------------------------------------------------ tiers
    def allowances(self, fn: str) -> bool:
        """Write `fn(part)`: the tier allowances of the days `part` under this version, by quantity and
        tier — each allowance per day (or per N days) of the season in effect x the part's days in it,
        as the tier rule says (sheet D. "Calculation of Usage Tiers"). False when the version has no
        tier rule (nothing written)."""
        if not self.rules.tiers:
            return False
        w, v = self.w, self.version
        seasons = [s.name for s in self.rules.seasons] or [None]
        w.line(f"def {fn}(part):")
        w.indent()
        w.line(f'"""Tier allowances of the days `part` under the version effective {v.label}: for each tier rule, '
               "each")
        w.line("tier's allowance x the part's days (in each season), summed over the whole bill by the version "
               'functions."""')
        w.line(f"r = {self.rates_name}")
        out = []
        local = set(self._locals)
        for rule in self.rules.tiers:
            rule_loc = self.loc(rule.span, f"{RULES} › tiers {rule.quantity}")
            w.line(f"# tiers {safe_comment(rule.quantity)}  (line {rule.span.line})", rule_loc)
            terms = []
            for tier in rule.tiers:
                if not tier.allowances:
                    continue
                here = self.loc(tier.span, f"{RULES} › tiers {rule.quantity} › {tier.name}")
                parts = []
                for season in seasons:
                    a = next((x for x in tier.allowances if x.season is None or x.season == season), None)
                    if a is None:  # no allowance for a season of the version: a bill with days in it is refused
                        why = f"tier {tier.name} has no allowance for season {season}"
                        w.line(f"if part.days_in({season!r}):  # line {tier.span.line}", here)
                        w.indent()
                        w.line(f"raise rt.BillInputError('start', part.start.isoformat(), {why!r})", here)
                        w.dedent()
                        continue
                    name = f"{rule.quantity}_{tier.name}_allowance" + (f"_{season}" if len(seasons) > 1 else "")
                    ref = self.rate(name, decimal(a.amount), a.span.line or tier.span.line)
                    days = f"part.days_in({season!r})" if len(seasons) > 1 else "part.days"
                    parts.append(f"{ref} * {days}" if a.per_days == 1 else f"rt.div({ref} * {days}, {a.per_days})")
                var = py_ident(f"{rule.quantity}_{tier.name}", local)
                per = " and ".join(f"{decimal(a.amount)} {safe_comment(a.unit)} per "
                                   f"{'day' if a.per_days == 1 else str(a.per_days) + ' days'}"
                                   + (f" in {safe_comment(a.season)}" if a.season else "") for a in tier.allowances)
                w.line(f"{var} = {' + '.join(parts) or '0'}  # line {tier.span.line}: {per}", here)
                terms.append(f"{tier.name!r}: {var}")
            out.append(f"{rule.quantity!r}: {{{', '.join(terms)}}}")
        w.line(f"return {{{', '.join(out)}}}")
        w.dedent()
        w.line("")
        w.line("")
        return True

    def tier_split(self, c: ir.Charge, rule: ir.TierRule) -> dict[str, str]:
        """Write the tier split of the whole bill's quantity for charge `c`: the allowance over the
        bill's days (each part at its version's allowance), rounded as the rule says, the usage
        filling the tiers in order, the last tier the rest. Returns tier name → variable."""
        w, q = self.w, rule.quantity
        here = self.loc(rule.span, f"{RULES} › tiers {q}")
        w.line(f"# tiers {safe_comment(q)} (line {rule.span.line}): the bill's usage fills the tiers in order, each up "
               "to its allowance over the bill's days", here)
        w.line(f"allowance = b.allowance({q!r}, {self.allowances_fn})  # each part's days at its version's "
               f"allowances", here)
        total = self._var(q)
        w.line(f"{total} = b.total({q!r}, {c.name!r})", here)
        names: dict[str, str] = {}
        used: list[str] = []
        for tier in rule.tiers:
            var = self._var(f"{q}_{tier.name}")
            names[tier.name] = var
            left = " - ".join([total] + used)
            if tier.allowances:
                limit = f"allowance[{tier.name!r}]"
                if rule.round_step is not None:
                    limit = (f"rt.rounded({limit}, D({str(decimal(rule.round_step))!r}), {rule.round_mode!r})")
                    note = f"  # the allowance rounded to {decimal(rule.round_step)} {rule.round_mode}"
                else:
                    note = ""
                w.line(f"{var} = min({left}, {limit}){note}", self.loc(tier.span, f"{RULES} › tiers {q} › {tier.name}"))
            else:
                w.line(f"{var} = {left}  # the rest", self.loc(tier.span, f"{RULES} › tiers {q} › {tier.name}"))
            used.append(var)
        return names

    def _var(self, name: str) -> str:
        """The local variable for `name` (derived from .tariff text): the same name each time asked."""
        if name not in self._vars:
            self._vars[name] = py_ident(name, self._locals)
        return self._vars[name]

    def keyed(self, c: ir.Charge, key: tuple, expr: str, season, here: int) -> None:
        """Lines of the row with `key` (or the `all` row for the empty key) for quantity `expr`; a
        quantity with no row to price it is refused when the part has days in its season."""
        row = c.row(key) or (c.row(("all",)) if key == () else None)
        if row is None:
            test = f"if part.days_in({season!r}):" if season else "if True:"
            self.w.line(f"{test}  # the sheet has no row for this", here)
            self.w.indent()
            self.w.line(f"b.no_row({c.name!r}, part.version, {key!r})", here)
            self.w.dedent()
            return
        self.w.line(f"q = {expr}", self.loc(row.span, row.section))
        self.w.line("if q:", self.loc(row.span, row.section))
        self.w.indent()
        self.row(c, row, "q")
        self.w.dedent()

    # ------------------------------------------------------------------ TOU energy and demand
    def _row_for(self, c: ir.Charge, key: tuple):
        """The row pricing quantity `key` (the `all` row for the empty key), or None."""
        return c.row(key) or (c.row(("all",)) if key == () else None)

    def _sets(self, lookup: str) -> list:
        return [s for s in self.rules.periods if s.charge == lookup]

    def _seasons(self) -> list:
        return [s.name for s in self.rules.seasons] or [None]

    def tou_energy(self, c: ir.Charge, lookup: str, by_season: bool, here: int) -> None:
        """Time-of-use energy: the part's interval kWh summed by (season, TOU period) — each interval
        in the period its start is in (the runtime's one aggregation primitive, over the period sets
        written above the function) — then each row's kWh x each component's rate."""
        w = self.w
        seasons = self._seasons()
        sets = self._sets(lookup)
        names = ", ".join(self.period_names.get(id(s), "?") for s in sets)
        w.line(f"kwh_by_period = b.energy_by_period(part, {lookup!r}, {c.name!r})  # kWh by (season, period) of the part's "
               f"intervals, classified by {safe_comment(names)}", here)
        exprs: dict[tuple, list[str]] = {}
        arise: list[tuple[str | None, tuple]] = []  # (season, row key) of every period an interval may fall in
        for season in seasons:
            for s in sets:
                if s.season not in (None, season):
                    continue
                for p in s.periods:
                    key = ((season,) if by_season else ()) + (p.name,)
                    term = f"kwh_by_period.get({(season, p.name)!r}, 0)"
                    if term not in exprs.setdefault(key, []):
                        exprs[key].append(term)
                        arise.append((season, key))
        for season, key in arise:  # a period with no row to price it: refused when an interval is in it
            if self._row_for(c, key) is None:
                w.line(f"if {(season, key[-1])!r} in kwh_by_period:  # the sheet has no row for this period", here)
                w.indent()
                w.line(f"b.no_row({c.name!r}, part.version, {key!r})", here)
                w.dedent()
        for row in c.rows:
            key = () if row.keys == ("all",) else row.keys
            if key in exprs:
                self.priced(c, row, " + ".join(exprs[key]))

    def demand(self, c: ir.Charge, lookup: str, by_season: bool, by_window: bool, here: int) -> None:
        """Billing demand per row, as the sheet defines it: the Maximum Demand (the highest average kW
        over the schedule's demand interval, from the runtime's one maximum primitive, or --kw) in
        each demand window in force (windows chosen by their conditions here), prorated to the
        part's seasons by days; then each row's kW x each component's rate."""
        w = self.w
        seasons = self._seasons()
        sets = self._sets(lookup)
        conds: list[str] = []
        for s in sets:
            if s.condition is not None and _cond_expr(s.condition) not in conds:
                conds.append(_cond_expr(s.condition))
        branches = []
        for combo in itertools.product((True, False), repeat=len(conds)):
            holds = dict(zip(conds, combo))
            per_key: dict[tuple, list[tuple[str | None, str]]] = {}  # (window or None for '*', share)
            missing: list[tuple[str | None, tuple]] = []
            windowed_in: list[str | None] = []
            for season in seasons:
                active = [s for s in sets if s.season in (None, season)
                          and (s.condition is None or holds[_cond_expr(s.condition)])]
                windowed = any(cl.kind != "always" for s in active for p in s.periods for cl in p.clauses)
                if windowed:
                    windowed_in.append(season)
                skey = (season,) if by_season else ()
                share = f"part.share_in({season!r})" if season else "part.share"
                if active and (by_window or windowed):
                    for window in sorted({p.name for s in active for p in s.periods}):
                        key = skey + ((window,) if by_window else ())
                        per_key.setdefault(key, []).append((window, share))
                        if self._row_for(c, key) is None and (season, key) not in missing:
                            missing.append((season, key))
                else:
                    per_key.setdefault(skey, []).append((None, share))
                    if self._row_for(c, skey) is None and (season, skey) not in missing:
                        missing.append((season, skey))
            if not windowed_in:
                windowed = "False"
            elif len(windowed_in) == len(seasons):
                windowed = "True"
            else:  # windows in some seasons only: measured in windows when the part has days in one of them
                windowed = "bool(" + " or ".join(f"part.days_in({x!r})" for x in windowed_in) + ")"
            branches.append((combo, per_key, missing, windowed))
        keys = []
        for _, per_key, _, _ in branches:
            keys += [k for k in per_key if k not in keys]
        single = len(branches) == 1
        names = {k: self._var("kw_" + "_".join(k or ("all",))) for k in keys}
        for index, (combo, per_key, missing, windowed) in enumerate(branches):
            if not single:
                test = " and ".join(x if held else f"not {x}" for x, held in zip(conds, combo))
                sets_here = [self.period_names.get(id(s), "?") for s in sets if s.condition is not None
                             and dict(zip(conds, combo))[_cond_expr(s.condition)]]
                note = f"  # windows in force: {safe_comment(', '.join(sets_here))}" if sets_here else \
                    "  # no conditional windows in force"
                w.line(f"{'if' if index == 0 else 'elif' if index < len(branches) - 1 else 'else'}"
                       f"{' ' + test if index < len(branches) - 1 else ''}:{note}", here)
                w.indent()
            w.line(f"kw = b.max_demand({lookup!r}, {c.name!r}, {windowed})  # the Maximum Demand in kW by window, "
                   "and over the whole bill", here)
            for season, key in missing:
                w.line(f"if {'part.days_in(' + repr(season) + ')' if season else 'True'}:  # the sheet has no row "
                       "for this", here)
                w.indent()
                w.line(f"b.no_row({c.name!r}, part.version, {key!r})", here)
                w.dedent()
            if not single:
                for k in keys:
                    w.line(f"{names[k]} = {demand_terms(per_key.get(k, []))}", here)
                credits.branch_vars(self, c, per_key, keys)  # the Maximum Demand credit, if any (credits.py)
                w.dedent()
        for row in c.rows:
            key = () if row.keys == ("all",) else row.keys
            if key not in keys:
                continue
            self.priced(c, row, demand_terms(branches[0][1][key]) if single else names[key])
        credits.rows(self, c, branches[0][1] if single else None, keys)  # the Maximum Demand credit lines

    def priced(self, c: ir.Charge, row: ir.Row, expr: str) -> None:
        """`q = expr`, and the row's lines when q is not zero."""
        here = self.loc(row.span, row.section)
        self.w.line(f"q = {expr}", here)
        self.w.line("if q:", here)
        self.w.indent()
        self.row(c, row, "q")
        self.w.dedent()

    def row(self, c: ir.Charge, row: ir.Row, q: str) -> None:
        """`q = q` (unless it is already), then the row's lines (`row_lines`) under charge `c`."""
        here = self.loc(row.span, row.section)
        if q != "q":
            self.w.line(f"q = {q}", here)
        self.row_lines(row, name=c.name, unit=c.unit, prefix=c.name, here=here, sign="-" if c.credit else "")

    def row_lines(self, row: ir.Row, *, name: str, unit: str, prefix: str, here: int, sign: str = "",
                  note: str = "") -> None:
        """The lines of one priced row, on the quantity `q` the emitted code holds: one line per printed
        component (q × rate, negated when `sign` is "-", a credit); a printed total that differs from
        the sum of its components (a declared discrepancy) is billed, the difference a line of its own.
        Lines are billed as charge `name` in `unit`; their rates are named `<prefix>_<row key>_<component>`
        in the version's rate table; `note` is every line's note (a charge priced by another schedule
        names the row it priced: codegen/references.py). The one row writer of the generated code."""
        parts = []
        for component, value in row.components:
            if value is None:
                continue
            rate = decimal(value)
            parts.append(rate)
            ref = self.rate(f"{prefix}_{'_'.join(row.keys)}_{component}", rate, row.span.line)
            self.w.line(f"lines.append(({name!r}, {component!r}, q, {unit!r}, {ref}, {sign}(q * {ref}), {here}, V, "
                        f"{tuple(row.keys)!r}, {note!r}))  # line {row.span.line}", here)
        if row.total is not None and decimal(row.total) == sum(parts, rt.D(0)):  # the printed total, for the reader
            self.rate(f"{prefix}_{'_'.join(row.keys)}_total", decimal(row.total), row.span.line)
        if row.total is not None and decimal(row.total) != sum(parts, rt.D(0)):
            total = decimal(row.total)
            diff = total - sum(parts, rt.D(0))
            ref = self.rate(f"{prefix}_{'_'.join(row.keys)}_discrepancy", diff, row.span.line)
            why = (f"printed total {total} differs from the sum of its components "
                   f"{decimal_text(sum(parts, rt.D(0)))}; the printed total is billed")
            self.w.line(f"lines.append(({name!r}, 'discrepancy', q, {unit!r}, {ref}, {sign}(q * {ref}), {here}, V, "
                        f"{tuple(row.keys)!r}, {(note + '; ' + why if note else why)!r}))  # line {row.span.line}: "
                        f"printed total {total}", here)

    def bands(self, c: ir.Charge, here: int) -> None:
        w = self.w
        w.line(f"x = b.need({c.band_input!r}, {'charge ' + repr(c.name) + ' depends on it'!r})", here)
        for i, band in enumerate(c.bands):
            bloc = self.loc(band.span, f"{c.section} › {band.key}")
            low = f"x >= D({str(decimal(band.low))!r})" if band.low_closed else f"x > D({str(decimal(band.low))!r})"
            tests = [low]
            if band.high is not None:
                op = "<=" if band.high_closed else "<"
                tests.append(f"x {op} D({str(decimal(band.high))!r})")
            w.line(f"{'if' if i == 0 else 'elif'} {' and '.join(tests)}:  # band {safe_comment(band.key)}, line "
                   f"{band.span.line}", bloc)
            w.indent()
            ref = self.rate(f"{c.name}_{band.key}", decimal(band.value), band.span.line)
            sign = "-" if c.credit else ""
            w.line(f"lines.append(({c.name!r}, {c.name!r}, part.months, 'month', {ref}, {sign}(part.months * {ref}), "
                   f"{bloc}, V, {(band.key,)!r}, ''))", bloc)
            w.dedent()
        w.line("else:", here)
        w.indent()
        w.line(f"raise rt.BillInputError({c.band_input!r}, rt.decimal_text(x), "
               f"{'no band of charge ' + repr(c.name) + ' contains it'!r})", here)
        w.dedent()

    def passthrough(self, p: ir.PassThrough) -> None:
        here = self.loc(p.span, f"C. Unbundled rates › {p.label}")
        measured = "therms" if p.unit == "therm" else "kwh"
        self.w.line("")
        self.w.line(f"# pass-through {safe_comment(p.name)} per {safe_comment(p.unit)}  (line {p.span.line})", here)
        why = f"schedule {self.schedule.id} bills the pass-through '{p.name}' per {p.unit}: its price"
        self.w.line(f"price = b.need({p.name!r}, {why!r})", here)
        self.w.line(f"q = b.total({measured!r}, {p.name!r}) * part.share", here)
        self.w.line(f"lines.append(({p.name!r}, {p.name!r}, q, {p.unit!r}, price, q * price, {here}, V, ('all',), "
                    "'pass-through price given as input'))", here)

    def adjustments(self) -> None:
        w = self.w
        if not self.rules.adjustments:
            return
        w.line("")
        w.line("charged = len(lines)  # adjustments apply to the charges above")
        done: list[tuple[str, ir.Adjustment]] = []
        for i, adj in enumerate(self.rules.adjustments):
            here = self.loc(adj.span, f"{RULES} › {adj.kind} {adj.name}")
            var = f"adj{i}"
            w.line("")
            w.line(f"# {adj.kind} {safe_comment(adj.name)}: {decimal(adj.percent)}% of "
                   f"{safe_comment(', '.join(adj.charges))}  (line {adj.span.line})", here)
            w.line(f"{var} = 0", here)
            w.line(f"if {_cond_expr(adj.condition)}:", here)
            w.indent()
            overlap = [v for v, a in done if set(a.charges) & set(adj.charges)]
            base = f"b.sum(since, charged, {tuple(adj.charges)!r})" + "".join(f" + {v}" for v, _ in
                                                                                [(x, None) for x in overlap])
            w.line(f"base = {base}", here)
            sign = "-" if adj.kind == "discount" else ""
            percent = decimal(adj.percent)
            if adj.step is not None:
                why = f"the {adj.kind} '{adj.name}' depends on it"
                w.line(f"x = b.need({adj.step_input!r}, {why!r})", here)
                w.line(f"# {percent}% for each {decimal(adj.step)}% that {safe_comment(adj.step_input)} is below "
                       f"{decimal(adj.threshold)}%", here)
                w.line(f"rate = rt.div({sign}D({str(percent)!r}) * max(D({str(decimal(adj.threshold))!r}) - x * 100, 0), "
                       f"D({str(decimal(adj.step))!r}) * 100)", here)
            else:
                w.line(f"rate = D({str(rt.div(-percent if sign else percent, 100))!r})  # {sign}{percent}%", here)
            w.line("if base and rate:", here)
            w.indent()
            w.line(f"{var} = base * rate", here)
            note = f"{percent}% of {', '.join(adj.charges)}"
            w.line(f"lines.append(({adj.name!r}, {adj.kind!r}, base, '$', rate, {var}, {here}, V, "
                   f"{tuple(adj.charges)!r}, {note!r}))", here)
            w.dedent()
            w.dedent()
            done.append((var, adj))

    def minimum(self) -> None:
        """One `if` block per minimum bill rule, in order (each its own .tariff line): the bill bills
        each whose condition holds (E-2-G 2020-07-01 C.1 / C.2)."""
        for m in self.rules.minimums:
            self._minimum(m)

    def _minimum(self, m) -> None:
        w = self.w
        here = self.loc(m.span, f"{RULES} › minimum")
        w.line("")
        w.line(f"# minimum bill  (line {m.span.line})", here)
        if m.condition is not None:
            w.line(f"if {_cond_expr(m.condition)}:", here)
            w.indent()
        if m.charge is not None:
            w.line(f"floor = b.sum(since, len(lines), {(m.charge,)!r})", here)
            w.line(f"what = {'the ' + m.charge + ' charge'!r}", here)
        elif m.unit == "day":
            amount = decimal(m.amount)
            ref = self.rate("minimum_per_day", amount, m.span.line)
            w.line(f"floor = {ref} * part.days", here)
            w.line(f"what = f'{amount} per day x {{part.days}} days'", here)
        else:
            amount = decimal(m.amount)
            ref = self.rate("minimum_per_month", amount, m.span.line)
            w.line(f"floor = {ref} * part.months", here)
            w.line(f"what = '{amount} per month'", here)
        w.line("subtotal = b.subtotal(since)", here)
        w.line("if subtotal < floor:", here)
        w.indent()
        w.line("lines.append(('minimum', 'minimum', 1, 'bill', floor - subtotal, floor - subtotal, "
               f"{here}, V, ('all',), b.minimum_note(floor, what, subtotal)))", here)
        w.dedent()
        if m.condition is not None:
            w.dedent()

    def rates_table(self) -> list[str]:
        v = self.version
        out = [f"class {self.rates_name}:",
               f'    """Rates of the version effective {v.label} as printed (each with its .tariff line)."""', ""]
        if not self.rates:
            out.append("    pass")
        for attr, value, line in self.rates:
            note = "  (the printed total; the components are billed)" if attr.endswith("_total") else ""
            out.append(f"    {attr} = D({str(value)!r})  # line {line}{note}")
        return out


def _places(places) -> list[str]:
    """`PLACES = (...)`, one (field, effective, Loc) a line (runtime/places.py)."""
    if not places:
        return ["PLACES = ()"]
    return ["PLACES = ("] + [f"    ({name!r}, {render(day)}, rt.Loc({loc.path!r}, {loc.line}, {loc.section!r})),"
                             for name, day, loc in places] + [")"]


def generate(schedule: ir.Schedule, sources: dict[str, str] | None = None) -> str:
    """Python source of the bill module of `schedule` (compiled once as a self-check)."""
    sources = sources or {}
    loc = Locations(schedule.path)
    used: set[str] = {"rt", "D", "bill", "bill_period", "LOC", "LINE_MAP", "VERSIONS", "SCHEDULE", "CALENDAR", "INPUTS",
                      "SCHEDULE_ID", "SOURCES", "BILLING", "PRICES", "LAMPS", "BILLS_ON", "PLACES"}
    hashes = [(schedule.path, sha256(sources[schedule.path]) if schedule.path in sources else "unknown")]
    if schedule.calendar is not None:
        path = schedule.calendar.path
        hashes.append((path, sha256(sources[path]) if path in sources else "unknown"))
    inputs = schedule.input_specs()
    prices = schedule.price_specs()
    lamps = schedule.lamp_inputs()
    w = Writer()
    for text in ['"""Bill functions generated by tariffc from a .tariff schedule; do not edit (tariffc build).',
                 "",
                 "Read it beside the schedule file (SOURCES): each version_* function is one version's sheet",
                 "written out, in the sheet's order; its Rates_* table holds the printed rates; the comment on a",
                 "statement names the .tariff line it computes (LINE_MAP and LOC, at the end, do the same for",
                 "tracebacks). bill() bills a period over every version in effect: bill_period() has the runtime",
                 "check the inputs and split the period into version parts and season segments, runs each part's",
                 "version function, sums the lines exactly and rounds the total once, as the billing rule says.",
                 "",
                 "In a version function, `b` is the bill being computed and `part` the days of it under this",
                 "version: part.days, part.share (= part days / bill days), part.months (the '$/month' quantity:",
                 "part days / bill days, or / the divisor when monthly charges are prorated), the same *_in(season)",
                 "for a season's days. What a function asks the runtime is data, never a decision: b.total(q) a",
                 "measured total; b.allowance(q, f) a tier allowance summed over the bill's parts (each part's",
                 "allowances_* function, written out here); b.energy_by_period(part, ...) the part's interval kWh by",
                 "(season, TOU period), each interval in the period of the PERIODS_* records its start is in;",
                 "b.max_demand(...) the Maximum Demand in kW by window of the WINDOWS_* records and over the bill",
                 "('*'), from the interval data or the kw input; b.flag/b.choice/b.value/b.need the named inputs.",
                 "The tier split, the windows in force, demand prorated to the seasons, every price, adjustment and",
                 "minimum are written out below. A line is (charge, component, quantity, unit, rate, amount, LOC",
                 "key, version, row key, note). Arithmetic is exact: Decimal under runtime.EXACT, rationals",
                 "(runtime.Q) where a share of days does not terminate.",
                 '"""', "", "from tariffc.compiler import runtime as rt", "from tariffc.compiler.runtime import D",
                 "", f"SCHEDULE_ID = {schedule.id!r}", "SOURCES = " + render(tuple(hashes), 0),
                 "CALENDAR = " + render(calendar(schedule.calendar), 0),
                 "INPUTS = " + render(inputs, 0), "PRICES = " + render(prices, 0),
                 "LAMPS = " + render(lamps, 0),
                 "BILLS_ON = " + render(schedule.measured_inputs(), 0),
                 "# where each bill input is declared (field, version effective, .tariff line): a refused value names it",
                 *_places(schedule.places())]:
        w.line(text)
    functions = []
    for version in schedule.versions:
        fn = py_ident(f"version_{version.effective:%Y_%m_%d}", used)
        rates = py_ident(f"Rates_{version.effective:%Y_%m_%d}", used)
        single = py_ident(f"bill_{version.effective:%Y_%m_%d}", used)
        allowances = py_ident(f"allowances_{version.effective:%Y_%m_%d}", used)
        emitter = VersionEmitter(Writer(), loc, schedule, version, rates)
        period_names = emitter.period_constants(used)
        if emitter.allowances(allowances):
            emitter.allowances_fn = allowances
        emitter.emit(fn)
        # the rates table goes first; the function's lines are shifted by its length
        table = emitter.rates_table()
        w.line("")
        w.line("")
        for text in table:
            w.line(text)
        w.line("")
        w.line("")
        offset = len(w.lines)
        w.lines.extend(emitter.w.lines)
        w.map.extend((n + offset, key) for n, key in emitter.w.map)
        w.unmapped()
        functions.append((version, fn, single, emitter.allowances_fn, period_names))
    w.line("")
    w.line("")
    w.line("VERSIONS = (")
    for version, fn, _, allowances, period_names in functions:
        rules = version.rules
        prorate = {what for what, _ in rules.prorate}
        record = rt.Version(effective=version.effective, ends=version.ends, billing=billing(rules.billing),
                            lines=Code(fn), allowances=None if allowances == "None" else Code(allowances),
                            seasons=tuple(rt.Season(name=s.name, start=tuple(s.start), end=tuple(s.end))
                                                      for s in rules.seasons),
                            prorate_seasons="seasons" in prorate, prorate_versions="versions" in prorate,
                            prorate_intervals="intervals" in prorate,
                            demand_minutes=rules.demand_minutes, demand_option=rules.demand_option,
                            demand_input=rules.demand_input,
                            periods=tuple(Code(name) for name in period_names))
        w.line("    " + render(record, 4) + ",")
    w.line(")")
    w.line("SCHEDULE = rt.Schedule(id=SCHEDULE_ID, calendar=CALENDAR, inputs=INPUTS, prices=PRICES, lamps=LAMPS,")
    w.line("                       bills_on=BILLS_ON, loc=None, places=PLACES)  # loc: set below, once LOC is written")
    w.line("")
    w.line("")
    rounding = {(v.rules.billing.rounding_mode, decimal(v.rules.billing.rounding_step)) for v in schedule.versions}
    first = schedule.versions[0].rules.billing
    w.line("def bill_period(versions, inputs):")
    w.line('    """Bill `inputs` over `versions` (the ones that may be in effect): the set-up (inputs checked, the')
    w.line("    period split into version parts and season segments), each part's version function, the sum of")
    w.line('    the lines exact, then the one rounding the schedule declares."""')
    w.line("    with rt.exact_arithmetic():")
    w.line("        b = rt.Run(SCHEDULE, versions, inputs)")
    w.line("        for part in b.parts:")
    w.line("            part.version.lines(b, part)")
    w.line("        total_exact = sum([line[5] for line in b.lines], 0)")
    if len(rounding) == 1:
        mode, step = rounding.pop()
        where = loc(first.span, "billing › rounding")
        origin = safe_comment(str(getattr(first.span, "path", None) or schedule.path).rsplit("/", 1)[-1])
        w.line(f"        total = rt.round_total(total_exact, D({str(step)!r}), {mode!r})  # rounding total {mode} {step}"
               f" (billing rule, {origin} line {getattr(first.span, 'line', 0)})", where)
        w.unmapped()
    else:  # the versions round differently: the first part's version's rule
        w.line("        total = rt.round_total(total_exact, b.billing.rounding_step, b.billing.rounding_mode)")
    w.line("    return b.result(total_exact, total)")
    w.line("")
    w.line("")
    w.line("def bill(inputs):")
    w.line('    """Bill `inputs` (a runtime.BillInputs) over every version in effect; the total rounded once."""')
    w.line("    try:")
    w.line("        return bill_period(VERSIONS, inputs)")
    w.line("    except Exception as error:  # name the .tariff line of the rule that was being computed")
    w.line("        raise rt.located(error, SCHEDULE, __file__, LINE_MAP)")
    for index, (version, _, single, _, _) in enumerate(functions):
        w.line("")
        w.line("")
        w.line(f"def {single}(inputs):")
        w.line(f'    """Bill a period that lies inside the version effective {version.label}."""')
        w.line("    try:")
        w.line(f"        return bill_period((VERSIONS[{index}],), inputs)")
        w.line("    except Exception as error:")
        w.line("        raise rt.located(error, SCHEDULE, __file__, LINE_MAP)")
    w.line("")
    w.line("")
    w.line("# Where each rule is in the .tariff file: LOC key -> (file:line, sheet section); LINE_MAP: the first")
    w.line("# generated line computing each LOC key, in order (a line maps to the entry at or before it).")
    w.line("LOC = {")
    for key, (where, section) in sorted(loc.table.items()):
        w.line(f"    {key}: ({where!r}, {section!r}),")
    w.line("}")
    pairs = ", ".join(f"({n}, {k})" for n, k in w.map)
    w.line(f"LINE_MAP = ({pairs},)" if w.map else "LINE_MAP = ()")
    w.line("SCHEDULE = rt.Schedule(id=SCHEDULE_ID, calendar=CALENDAR, inputs=INPUTS, prices=PRICES, lamps=LAMPS,")
    w.line("                       bills_on=BILLS_ON, loc=LOC, places=PLACES)")
    source = w.text()
    compile(source, f"<tariffc:{schedule.path}>", "exec")
    return source
