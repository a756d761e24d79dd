"""Surface AST → IR: exact values, resolved names, dates, seasons, periods, merged rules per version.

Lowering never stops at the first problem: it records a Diagnostic and carries on with what it can
build, so one `tariffc check` run shows everything that is wrong.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from fractions import Fraction

import attrs

from tariffc.compiler import ir
from tariffc.dsl import ast
from tariffc.dsl.diagnostics import Diagnostic, Span, error

QUANTITY_OF_UNIT = {
    "kWh": "kwh", "kW": "kw", "therm": "therms", "therms": "therms", "month": "bill", "day": "days",
    "lamp per month": "lamps", "1000 kWh": "green_blocks",
}
MEASURED = ("kwh", "kw", "therms", "exported_kwh", "days", "bill", "lamps")
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
ROUNDING_MODES = ("half_up", "half_even", "down", "up")
SECTION_RATES = "C. Unbundled rates"
# A rounding step is a positive amount no finer than a millionth and no coarser than a million (cents,
# whole kWh and therms are the steps the sheets use); anything else is a typo no bill can use.
STEP_MIN, STEP_MAX = Fraction(1, 10**6), Fraction(10**6)


class Lowerer:
    def __init__(self):
        self.diagnostics: list[Diagnostic] = []

    def err(self, code: str, message: str, span: Span, *notes: str, hint: str | None = None) -> None:
        self.diagnostics.append(error(code, message, span, *notes, hint=hint))

    # -------------------------------------------------------------- literals
    def number(self, lit: ast.Lit) -> ir.Number:
        if lit.text == "?":  # not yet entered; checks.entered reports it, so no bill or page uses it
            return ir.Number(value=Fraction(0), text="?", entered=False, span=lit.span)
        text = lit.text.rstrip("%")
        return ir.Number(value=Fraction(text), text=text, span=lit.span)

    def integer(self, lit: ast.Lit) -> int:
        return int(lit.text)

    def positive_integer(self, lit: ast.Lit, what: str) -> int:
        value = int(lit.text)
        if value < 1:
            self.err("T316", f"{what} of {lit.text} can bill nothing", lit.span, f"{what} must be at least 1")
            return 1
        return value

    def demand_minutes(self, lit: ast.Lit) -> int:
        """Demand interval: a whole number of minutes that divides the day (5, 15, 30, 60, …)."""
        value = int(lit.text)
        if not 1 <= value <= 1440 or 1440 % value:
            self.err("T316", f"a demand interval of {lit.text} minutes cannot be used", lit.span,
                     "the demand interval is a number of minutes that divides the day (1 to 1440)",
                     hint="the sheets measure demand over 15 minutes")
            return 15
        return value

    def rounding_step(self, lit: ast.Lit) -> Fraction:
        value = self.number(lit).value
        if not STEP_MIN <= value <= STEP_MAX:
            self.err("T316", f"a rounding step of {lit.text} cannot be used", lit.span,
                     "a rounding step is between 0.000001 and 1000000",
                     hint="the sheets round bills to the cent (0.01) and allowances to a whole unit (1)")
            return Fraction(1, 100) if value < STEP_MIN else STEP_MAX
        return value

    def timezone(self, text: ast.Text | None) -> str:
        if text is None:
            return "America/Los_Angeles"
        try:
            zoneinfo.ZoneInfo(text.value)
        except (ValueError, OSError, zoneinfo.ZoneInfoNotFoundError):
            self.err("T315", f"unknown time zone \"{text.value}\"", text.span,
                     "a time zone is an IANA tz database name",
                     hint='CPAU bills in "America/Los_Angeles"')
            return "America/Los_Angeles"
        return text.value

    def date(self, lit: ast.Lit) -> dt.date | None:
        try:
            return dt.date.fromisoformat(lit.text)
        except ValueError:
            self.err("T304", f"'{lit.text}' is not a calendar date", lit.span, hint="write dates as YYYY-MM-DD")
            return None

    def month_day(self, month: ast.Lit, day: ast.Lit) -> tuple[int, int]:
        m = ir.MONTHS.index(month.text) + 1
        d = int(day.text)
        try:
            dt.date(2024, m, d)  # a leap year admits Feb 29
        except ValueError:
            self.err("T304", f"{month.text} {d} is not a day of the year", day.span)
            d = 1
        return m, d

    def condition(self, cond: ast.Condition | None) -> ir.Condition | None:
        if cond is None:
            return None
        return ir.Condition(kind=cond.kind, input=cond.name.text, value=cond.value.text if cond.value else None)

    def source(self, src: ast.Source | None) -> ir.Source | None:
        if src is None:
            return None
        return ir.Source(document=src.document.value, sheet=src.sheet.value if src.sheet else None,
                         line=int(src.line.text) if src.line else None, span=src.span)

    # -------------------------------------------------------------- calendars
    def calendar(self, cal: ast.Calendar, path: str) -> ir.Calendar:
        holidays = []
        for h in cal.holidays:
            label = h.label.value if h.label else h.name.text.replace("_", " ")
            observed = h.observed.text if h.observed else "none"
            if observed not in ("none", "nearest_weekday"):
                self.err("T309", f"unknown observance rule '{observed}'", h.observed.span,
                         hint="use `observed nearest_weekday` or leave it out")
                observed = "none"
            offset = 0
            if h.offset is not None:
                offset = int(h.offset.days.text) * (-1 if h.offset.sign.text == "-" else 1)
            if isinstance(h.date, ast.FixedDate):
                month, day = self.month_day(h.date.month, h.date.day)
                holidays.append(ir.Holiday(name=h.name.text, label=label, month=month, day=day,
                                           observed=observed, offset_days=offset, span=h.span))
            elif isinstance(h.date, ast.RelativeDate):
                offset += 1 if h.date.relation.text == "after" else -1
                holidays.append(ir.Holiday(name=h.name.text, label=label, month=0, relative_to=h.date.holiday.text,
                                           observed=observed, offset_days=offset, span=h.span))
            else:
                holidays.append(ir.Holiday(
                    name=h.name.text, label=label, month=ir.MONTHS.index(h.date.month.text) + 1,
                    ordinal=ORDINALS[h.date.ordinal.text], weekday=ir.WEEKDAYS.index(h.date.weekday.text),
                    observed=observed, offset_days=offset, span=h.span))
        holidays = self.relative_holidays(cal, holidays)
        return ir.Calendar(
            name=cal.name.text, title=cal.title.value if cal.title else cal.name.text,
            timezone=self.timezone(cal.timezone),
            holidays=tuple(holidays), billing=self.billing(cal.billing, ir.Billing()),
            notes=tuple(n.text.value for n in cal.notes), path=path,
            prorate=tuple((p.what.text, p.doc.value if p.doc else None)
                          for p in (cal.billing.statements if cal.billing else ()) if isinstance(p, ast.Prorate)),
            prorate_spans=tuple((p.what.text, p.span) for p in (cal.billing.statements if cal.billing else ())
                                if isinstance(p, ast.Prorate)),
            span=cal.span)

    PRORATE = {"seasons": "days", "versions": "days", "intervals": "timestamp"}

    def check_prorate(self, stmt: ast.Prorate) -> None:
        """`prorate seasons|versions by days`: totals, demand and monthly quantities of a bill that
        spans a season or version change are shared by days; `prorate intervals by timestamp`:
        interval-priced charges (time-of-use energy) take each interval in the season and version
        of its timestamp. One proration rule, declared (issue: calendar, docs/language.md)."""
        what, how = stmt.what.text, stmt.how.text if stmt.how else "days"
        if what not in self.PRORATE:
            self.err("T309", f"cannot prorate '{what}'", stmt.what.span,
                     hint="`prorate seasons by days`, `prorate versions by days` or `prorate intervals by timestamp`")
        elif how != self.PRORATE[what]:
            self.err("T309", f"'{what}' are prorated by {self.PRORATE[what]}, not by {how}", stmt.how.span,
                     hint=f"`prorate {what} by {self.PRORATE[what]}`")

    def relative_holidays(self, cal: ast.Calendar, holidays: list[ir.Holiday]) -> list[ir.Holiday]:
        """Resolve `day after NAME`: NAME must be another holiday of the calendar, and following the
        references must end at a dated holiday (no cycle). The month is the base holiday's (for the docs)."""
        by_name = {h.name: h for h in holidays}
        refs = {h.name.text: h.date.holiday for h in cal.holidays if isinstance(h.date, ast.RelativeDate)}
        out = []
        for holiday in holidays:
            if holiday.relative_to is None:
                out.append(holiday)
                continue
            seen, name = [holiday.name], holiday.relative_to
            while name in refs and name not in seen:
                seen.append(name)
                name = refs[name].text
            ref = refs[holiday.name]
            if holiday.relative_to not in by_name:
                self.err("T311", f"holiday '{holiday.name}' is relative to '{holiday.relative_to}', which this "
                         "calendar does not define", ref.span,
                         hint=f"holidays defined: {', '.join(sorted(n for n in by_name if n != holiday.name))}")
            elif name in seen:
                self.err("T311", f"holiday '{holiday.name}' is relative to itself ({' -> '.join(seen + [name])})",
                         ref.span, hint="relate it to a holiday with a date (`day after thanksgiving`)")
            else:
                out.append(attrs.evolve(holiday, month=by_name[name].month))
        return out

    def billing(self, node: ast.Billing | None, base: ir.Billing) -> ir.Billing:
        if node is None:
            return base
        changes = {"doc": node.doc.value if node.doc else base.doc, "span": node.span}
        for stmt in node.statements:
            if isinstance(stmt, ast.Prorate):
                self.check_prorate(stmt)
                continue  # a convention of the rules, see Lowerer.calendar
            if isinstance(stmt, ast.BillingPeriod):
                if stmt.convention.text != "end_exclusive":
                    self.err("T309", f"unknown billing-period convention '{stmt.convention.text}'",
                             stmt.convention.span, hint="the supported convention is `end_exclusive`")
                changes["max_days"] = self.positive_integer(stmt.max_days, "a billing period maximum")
            elif isinstance(stmt, ast.MonthlyCharges):
                if stmt.mode.text not in ("per_bill", "prorated"):
                    self.err("T309", f"unknown monthly-charge rule '{stmt.mode.text}'", stmt.mode.span,
                             hint="use `monthly_charges per_bill` or `monthly_charges prorated 30`")
                changes["monthly_charges"] = stmt.mode.text
                if stmt.divisor:
                    changes["proration_divisor"] = self.positive_integer(stmt.divisor, "a proration divisor")
            elif isinstance(stmt, ast.Rounding):
                if stmt.mode.text not in ROUNDING_MODES:
                    self.err("T309", f"unknown rounding mode '{stmt.mode.text}'", stmt.mode.span,
                             hint=f"use one of {', '.join(ROUNDING_MODES)}")
                changes["rounding_mode"] = stmt.mode.text
                changes["rounding_step"] = self.rounding_step(stmt.step)
        return attrs.evolve(base, **changes)

    # -------------------------------------------------------------- rules
    def clause(self, c: ast.Clause) -> ir.Clause:
        if c.kind != "days":
            return ir.Clause(kind=c.kind, span=c.span)
        days_text = c.days.text
        weekdays: frozenset[int] = frozenset()
        holidays_only = False
        if days_text == "every day":
            weekdays = frozenset(range(7))
        elif days_text == "holidays":
            holidays_only = True
        else:
            first, _, last = days_text.partition("-")
            a = ir.WEEKDAYS.index(first)
            b = ir.WEEKDAYS.index(last) if last else a
            weekdays = frozenset(range(a, b + 1)) if a <= b else frozenset(list(range(a, 7)) + list(range(0, b + 1)))
        hours = []
        for lit in c.hours or ():
            start, end = lit.text.split("-")
            s, e = _minutes(start), _minutes(end)
            if s is None or e is None or e <= s:
                self.err("T305", f"'{lit.text}' is not an hour range within one day", lit.span,
                         hint="write HH:MM-HH:MM with the end after the start (24:00 for midnight); "
                              "split a range over midnight in two")
                continue
            hours.append((s, e))
        return ir.Clause(kind="days", weekdays=weekdays, holidays_only=holidays_only,
                         hours=tuple(hours) if c.hours else ((0, 1440),),
                         except_holidays=c.except_holidays, span=c.span)

    def rules(self, statements, base: ir.Rules, seasons_known: set[str] | None = None) -> ir.Rules:
        """Merge rule statements over `base` (the schedule-level rules)."""
        r = attrs.asdict(base, recurse=False)
        replaced_periods: set[tuple[str, str | None]] = set()
        replaced_tiers: set[str] = set()
        notes = list(base.notes)
        for stmt in statements:
            if isinstance(stmt, ast.Seasons):
                r["seasons"] = tuple(
                    ir.Season(name=s.name.text, label=s.label.value if s.label else s.name.text,
                              start=self.month_day(s.start_month, s.start_day),
                              end=self.month_day(s.end_month, s.end_day), span=s.span)
                    for s in stmt.seasons)
                r["seasons_doc"] = stmt.doc.value if stmt.doc else None
            elif isinstance(stmt, ast.Prorate):
                self.check_prorate(stmt)
                kept = tuple(p for p in r["prorate"] if p[0] != stmt.what.text)
                r["prorate"] = kept + ((stmt.what.text, stmt.doc.value if stmt.doc else None),)
                r["prorate_spans"] = tuple(p for p in r["prorate_spans"] if p[0] != stmt.what.text) + \
                    ((stmt.what.text, stmt.span),)
            elif isinstance(stmt, ast.Tiers):
                rule = self.tier_rule(stmt)
                if rule.quantity not in replaced_tiers:
                    r["tiers"] = tuple(t for t in r["tiers"] if t.quantity != rule.quantity)
                    replaced_tiers.add(rule.quantity)
                r["tiers"] = r["tiers"] + (rule,)
            elif isinstance(stmt, ast.Periods):
                key = (stmt.charge.text, stmt.partition)
                if key not in replaced_periods:
                    r["periods"] = tuple(p for p in r["periods"]
                                         if (p.charge, p.partition) != key)
                    replaced_periods.add(key)
                r["periods"] = r["periods"] + (ir.PeriodSet(
                    partition=stmt.partition, charge=stmt.charge.text,
                    season=stmt.season.text if stmt.season else None,
                    periods=tuple(ir.Period(name=line.name.text,
                                            clauses=tuple(self.clause(c) for c in line.clauses),
                                            span=line.span) for line in stmt.lines),
                    condition=self.condition(stmt.condition),
                    doc=stmt.doc.value if stmt.doc else None, span=stmt.span),)
            elif isinstance(stmt, ast.Demand):
                r["demand_minutes"] = self.demand_minutes(stmt.minutes)
                r["demand_doc"] = stmt.doc.value if stmt.doc else None
                r["demand_span"] = stmt.span
            elif isinstance(stmt, ast.Adjustment):
                kept = tuple(a for a in r["adjustments"] if a.name != stmt.name.text)
                step = step_input = threshold = None
                if stmt.scaled:
                    step = self.number(stmt.scaled[0]).value
                    step_input = stmt.scaled[1].text
                    threshold = self.number(stmt.scaled[2]).value
                r["adjustments"] = kept + (ir.Adjustment(
                    kind=stmt.kind, name=stmt.name.text, percent=self.number(stmt.percent),
                    charges=tuple(c.text for c in stmt.charges), condition=self.condition(stmt.condition),
                    doc=stmt.doc.value if stmt.doc else None, step=step, step_input=step_input,
                    threshold=threshold, span=stmt.span),)
            elif isinstance(stmt, ast.Exempt):
                r["exemptions"] = r["exemptions"] + (ir.Exemption(
                    charge=stmt.charge.text, condition=self.condition(stmt.condition),
                    doc=stmt.doc.value if stmt.doc else None, span=stmt.span),)
            elif isinstance(stmt, ast.Minimum):
                r["minimum"] = ir.Minimum(
                    charge=stmt.charge.text if stmt.charge else None,
                    amount=self.number(stmt.amount) if stmt.amount else None,
                    unit=stmt.unit, doc=stmt.doc.value if stmt.doc else None,
                    condition=self.condition(stmt.condition), span=stmt.span)
            elif isinstance(stmt, ast.Billing):
                r["billing"] = self.billing(stmt, base.billing)
            elif isinstance(stmt, ast.Note):
                notes.append(stmt.text.value)
        r["notes"] = tuple(notes)
        return ir.Rules(**r)

    def tier_rule(self, stmt: ast.Tiers) -> ir.TierRule:
        tiers = []
        for t in stmt.tiers:
            allowances = []
            for a in t.allowances:
                allowances.append(ir.Allowance(
                    amount=self.number(a.amount).value, unit=a.unit,
                    per_days=int(a.per_days.text) if a.per_days else 1,
                    season=a.season.text if a.season else None, span=a.span))
            tiers.append(ir.Tier(name=t.name.text, allowances=tuple(allowances), span=t.span))
        rounding = stmt.rounding
        if rounding and rounding.mode.text not in ROUNDING_MODES:
            self.err("T309", f"unknown rounding mode '{rounding.mode.text}'", rounding.mode.span,
                     hint=f"use one of {', '.join(ROUNDING_MODES)}")
        return ir.TierRule(
            quantity=stmt.quantity.text, tiers=tuple(tiers),
            round_step=self.rounding_step(rounding.step) if rounding else None,
            round_mode=rounding.mode.text if rounding else None,
            doc=stmt.doc.value if stmt.doc else None, span=stmt.span)

    # -------------------------------------------------------------- charges
    def charge(self, c: ast.Charge) -> ir.Charge:
        name = c.name.text
        label = c.label.value if c.label else name.replace("_", " ")
        quantity = c.on.text if c.on else QUANTITY_OF_UNIT.get(c.unit, "bill")
        section = f"{SECTION_RATES} › {label}"
        rows: list[ir.Row] = []
        columns = tuple(col.text for col in c.columns)
        if c.value is not None:
            columns = (name,)
            rows.append(ir.Row(keys=("all",), label=None, components=((name, self.number(c.value)),),
                               total=None, section=section, span=c.value.span))
        seen: dict[tuple[str, ...], Span] = {}
        for row in c.rows:
            keys = tuple(k.text for k in row.keys)
            if keys in seen:
                self.err("T306", f"row '{' '.join(keys)}' appears twice in charge '{name}'", row.span,
                         f"first written at line {seen[keys].line}")
            seen[keys] = row.span
            if len(row.cells) != len(columns):
                self.err("T306", f"row '{' '.join(keys)}' has {len(row.cells)} values for "
                                 f"{len(columns)} columns ({', '.join(columns)})", row.span,
                         hint="write `-` for a blank cell")
            if (row.total is not None) != (c.total_column is not None):
                which = "a total but the columns declare none" if row.total is not None else \
                    "no total but the columns end with `= total`"
                self.err("T306", f"row '{' '.join(keys)}' has {which}", row.span)
            components = tuple(
                (col, None if cell.text == "-" else self.number(cell))
                for col, cell in zip(columns, row.cells))
            rows.append(ir.Row(keys=keys, label=row.label.value if row.label else None,
                               components=components,
                               total=self.number(row.total) if row.total is not None else None,
                               section=f"{section} › {' '.join(keys)}", span=row.span))
        bands = []
        for b in c.bands:
            high = None if b.high.text == "inf" else self.number(b.high).value
            bands.append(ir.Band(key=b.key.text, label=b.label.value if b.label else None,
                                 low=self.number(b.low).value, low_closed=not b.open_low,
                                 high=high, high_closed=not b.open_high and high is not None,
                                 value=self.number(b.value), span=b.span))
        return ir.Charge(
            name=name, label=label, unit=c.unit, quantity=quantity, credit=c.credit,
            condition=self.condition(c.condition), columns=columns or ("total",),
            has_total=c.total_column is not None, rows=tuple(rows),
            band_input=c.band_input.text if c.band_input else None, bands=tuple(bands),
            section=section, span=c.span)

    def version(self, v: ast.Version, base_rules: ir.Rules) -> ir.Version | None:
        effective = self.date(v.effective)
        if effective is None:
            return None
        supersedes = self.date(v.supersedes) if v.supersedes else None
        charges, passthroughs, declared, rule_stmts, source = [], [], [], [], None
        header: dict[str, str] = {}
        ends_declared = None
        for stmt in v.statements:
            if isinstance(stmt, ast.Ends):
                day = self.date(stmt.date)
                if day is not None and day <= effective:
                    self.err("T307", f"version {effective} ends on {day}, which is not after it takes effect",
                             stmt.date.span, hint="`ends` names the first day the version no longer applies")
                elif day is not None:
                    ends_declared = (day, stmt.reason.value)
            elif isinstance(stmt, ast.Header):
                header[stmt.kind] = stmt.value.value
            elif isinstance(stmt, ast.Source):
                source = self.source(stmt)
            elif isinstance(stmt, ast.Charge):
                charge = self.charge(stmt)
                if any(c.name == charge.name for c in charges):
                    self.err("T306", f"charge '{charge.name}' is declared twice in this version", stmt.name.span)
                charges.append(charge)
            elif isinstance(stmt, ast.PassThrough):
                passthroughs.append(ir.PassThrough(
                    name=stmt.name.text, label=stmt.label.value if stmt.label else stmt.name.text,
                    unit=stmt.unit, minimum=self.number(stmt.low) if stmt.low else None,
                    maximum=self.number(stmt.high) if stmt.high else None,
                    span=stmt.span))
            elif isinstance(stmt, ast.Declared):
                declared.append(ir.Declared(kind=stmt.kind, path=tuple(p.text for p in stmt.path),
                                            reason=stmt.reason.value, span=stmt.span))
            else:
                rule_stmts.append(stmt)
        return ir.Version(effective=effective, supersedes=supersedes, ends=None, source=source,
                          charges=tuple(charges), passthroughs=tuple(passthroughs),
                          rules=self.rules(rule_stmts, base_rules), declared=tuple(declared),
                          ends_declared=ends_declared,
                          applicability=header.get("applicability"), territory=header.get("territory"),
                          span=v.span)

    # -------------------------------------------------------------- schedules
    def schedule(self, s: ast.Schedule, versions: list[ast.Version], calendars: dict[str, ir.Calendar],
                 path: str) -> ir.Schedule:
        header: dict[str, object] = {}
        limits, inputs, rule_stmts, notes = [], [], [], []
        calendar = None
        for stmt in s.statements:
            if isinstance(stmt, ast.Header):
                kind, value = stmt.kind, stmt.value
                if kind == "calendar":
                    calendar = calendars.get(value.text)
                    if calendar is None:
                        self.err("T301", f"calendar '{value.text}' is not defined", value.span,
                                 *_calendar_help(calendars)[0], hint=_calendar_help(calendars)[1])
                else:
                    header[kind] = value.value if isinstance(value, ast.Text) else value.text
            elif isinstance(stmt, ast.Limit):
                limits.append(ir.Limit(
                    quantity=stmt.quantity.text,
                    low=self.number(stmt.low).value if stmt.low else None,
                    high=self.number(stmt.high).value if stmt.high else None,
                    unit=stmt.unit, doc=stmt.doc.value if stmt.doc else None, span=stmt.span))
            elif isinstance(stmt, ast.Input):
                inputs.append(ir.Input(name=stmt.name.text, type=stmt.type, unit=stmt.unit,
                                       choices=tuple(c.text for c in stmt.choices),
                                       doc=stmt.doc.value if stmt.doc else None, span=stmt.span))
            elif isinstance(stmt, ast.Source):
                pass
            elif isinstance(stmt, ast.Note):
                notes.append(stmt.text.value)
            else:
                rule_stmts.append(stmt)
        base_billing = calendar.billing if calendar else ir.Billing()
        inherited = calendar.prorate if calendar else ()
        base = self.rules(rule_stmts, ir.Rules(billing=base_billing, prorate=inherited,
                                               prorate_spans=calendar.prorate_spans if calendar else ()))
        self.version_order(versions)
        lowered = [lv for lv in (self.version(v, base) for v in versions) if lv is not None]
        return ir.Schedule(
            id=s.id.text, title=s.title.value, utility=str(header.get("utility", "")),
            customer_class=str(header.get("class", "")), calendar=calendar,
            applicability=str(header.get("applicability", "")), territory=str(header.get("territory", "")),
            limits=tuple(limits), inputs=tuple(inputs), versions=tuple(_with_end_dates(lowered)),
            notes=tuple(notes), path=path, span=s.span)

    def version_order(self, versions: list[ast.Version]) -> None:
        """Versions are written oldest first, one per effective date, each after what it supersedes."""
        seen: dict[str, ast.Version] = {}
        previous = None
        for v in versions:
            date = v.effective.text
            if date in seen:
                self.err("T307", f"two versions are effective on {date}", v.effective.span,
                         f"the first is at line {seen[date].span.line}",
                         hint="merge them, or correct the effective date")
            elif previous is not None and date < previous.effective.text:
                self.err("T307", f"version {date} is written after version {previous.effective.text}",
                         v.effective.span, hint="write versions oldest first")
            if v.supersedes is not None and v.supersedes.text >= date:
                self.err("T307", f"version {date} supersedes {v.supersedes.text}, which is not earlier",
                         v.supersedes.span, hint="a version supersedes an earlier sheet")
            seen.setdefault(date, v)
            previous = v

    # -------------------------------------------------------------- published tables
    def published(self, p: ast.Published, path: str) -> ir.PublishedTable:
        columns = tuple(c.text for c in p.columns)
        usable = True
        for index, column in enumerate(p.columns):
            if column.text not in ("change", "pct_change") and self.date(column) is None:
                usable = False  # T304 said why; no cell of this table can be compared
            if column.text in columns[:index]:
                self.err("T306", f"the column {column.text} is written twice", column.span)
                usable = False
        rows = []
        for row in (p.rows if usable else ()):
            names = [n.text for n in row.path]
            if len(names) < 2:
                self.err("T401", "a published row names a charge, its row keys and a column", row.span,
                         hint="e.g. `E-1 energy tier1 total 0.19461 0.20570`")
                continue
            if len(row.values) != len(columns):
                self.err("T401", f"the row has {len(row.values)} values for {len(columns)} columns "
                                 f"({' '.join(columns)})", row.span)
            rows.append(ir.PublishedRow(
                schedule=row.schedule.text, charge=names[0], keys=tuple(names[1:-1]), column=names[-1],
                values=tuple((col, self.number(v)) for col, v in zip(columns, row.values)), span=row.span))
        discrepancies = tuple(
            ir.Declared(kind="published", path=(d.schedule.text, *(n.text for n in d.path)),
                        reason=d.reason.value, span=d.span) for d in p.discrepancies)
        return ir.PublishedTable(title=p.title.value, caption=p.caption.value if p.caption else None,
                                 source=self.source(p.source), columns=columns, rows=tuple(rows),
                                 discrepancies=discrepancies, path=path, span=p.span)


def _minutes(text: str) -> int | None:
    try:
        h, m = text.split(":")
        value = int(h) * 60 + int(m)
    except ValueError:
        return None
    return value if 0 <= value <= 1440 and int(m) < 60 else None


def _with_end_dates(versions: list[ir.Version]) -> list[ir.Version]:
    """A version applies until the next one; if that one says it supersedes a later sheet than
    this one (a version the documents do not contain), this one ends on that sheet's date; an
    `ends DATE` declaration ends it earlier (what the documents show it covered)."""
    ordered = sorted(versions, key=lambda v: v.effective)
    out = []
    for index, version in enumerate(ordered):
        ends = None
        if index + 1 < len(ordered):
            nxt = ordered[index + 1]
            ends = nxt.effective
            if nxt.supersedes and version.effective < nxt.supersedes < nxt.effective:
                ends = nxt.supersedes
        if version.ends_declared is not None and (ends is None or version.ends_declared[0] < ends):
            ends = version.ends_declared[0]
        out.append(attrs.evolve(version, ends=ends))
    return out


def _calendar_help(calendars: dict[str, ir.Calendar]) -> tuple[tuple[str, ...], str]:
    """(notes, hint) of T301: which calendars were found, and how to name the missing one."""
    if not calendars:
        return (("no calendar was loaded: there is no calendars/ directory at or above this file",),
                "check the file inside its schedules tree (a directory holding calendars/), "
                "or name the calendar file too: `tariffc check FILE CALENDAR.tariff`")
    paths = sorted({c.path for c in calendars.values()})
    return ((f"calendars loaded: {', '.join(sorted(calendars))} (from {', '.join(paths)})",),
            "declare it with `calendar NAME` in the tree's calendars/ directory")
