"""D. Special notes in plain sentences, written from the IR rules (never from hand-kept text).

Each function returns Markdown paragraphs/list items; the sheet's own words follow as a quote.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, ROUND_UP, Decimal
from fractions import Fraction

from tariffc.compiler import ir
from tariffc.compiler.docsgen.fee_words import fee_sentences, reference_sentences
from tariffc.compiler.docsgen.html import (DAY_NAMES, MONTH_NAMES, decimal, hhmm, md_escape, money, month_day, plain,
                                           words)

ROUNDING = {"half_up": ROUND_HALF_UP, "half_even": ROUND_HALF_EVEN, "down": ROUND_DOWN, "up": ROUND_UP}


def quote(doc: str | None) -> str:
    return f"\n\n    > {md_escape(doc)}\n" if doc else ""


def block_quote(doc: str) -> str:
    return f"\n> {md_escape(doc)}\n"


def condition_words(condition: ir.Condition | None, schedule: ir.Schedule) -> str:
    if condition is None:
        return ""
    described = schedule.input(condition.input)
    what = f"`{condition.input}`"
    if condition.kind == "flag":
        text = f"when {what} holds"
    elif condition.kind == "not":
        text = f"unless {what} holds"
    else:
        text = f"when {what} is `{condition.value}`"
    if described and described.doc:
        text += f" ({md_escape(described.doc)})"
    return text


def rounded(value: Fraction, step: Fraction | None, mode: str | None) -> Fraction:
    if step is None:
        return value
    d = decimal(value / step).quantize(Decimal(1), rounding=ROUNDING.get(mode or "half_up", ROUND_HALF_UP))
    return Fraction(d) * step


def allowance_for(allowance: ir.Allowance, days: int, rule: ir.TierRule) -> tuple[Fraction, Fraction]:
    """(exact allowance for a bill of `days` days, the allowance after the rule's rounding)."""
    exact = allowance.amount * days / allowance.per_days
    return exact, rounded(exact, rule.round_step, rule.round_mode)


def tier_sentences(rule: ir.TierRule, version: ir.Version, schedule: ir.Schedule) -> list[str]:
    unit = "kWh" if rule.quantity == "kwh" else "therms"
    out = []
    for index, tier in enumerate(rule.tiers):
        name = words(tier.name)
        if not tier.allowances:
            previous = ", ".join(words(t.name) for t in rule.tiers[:index])
            out.append(f"- **{name}**: all usage above {previous}.")
            continue
        parts = []
        for a in tier.allowances:
            per = "per day" if a.per_days == 1 else f"per {a.per_days} days"
            season = f" in the {words(a.season)} season" if a.season else ""
            parts.append(f"{plain(a.amount)} {unit} {per}{season}")
        out.append(f"- **{name}**: the first {' and '.join(parts)} of the billing period, "
                   "prorated by meter-reading days.")
    if rule.round_step is not None:
        step = (f"the nearest whole {unit.rstrip('s')}" if rule.round_step == 1
                else f"a multiple of {plain(rule.round_step)} {unit}")
        out.append(f"- The allowance is rounded ({(rule.round_mode or 'half_up').replace('_', ' ')}) to {step}.")
    out.append("")
    out.append(worked_example(rule, version, schedule))
    return out


def tier_rates(version: ir.Version, rule: ir.TierRule, season: str | None):
    """The charge billed on the tiered quantity, and its row per tier (for `season` when rows have seasons)."""
    for charge in version.charges:
        if charge.quantity != rule.quantity or charge.credit:
            continue
        rows = {}
        for tier in rule.tiers:
            keys = [k for k in ((season, tier.name), (tier.name,)) if None not in k]
            row = next((charge.row(k) for k in keys if charge.row(k) is not None), None)
            if row is None:
                break
            rows[tier.name] = row
        else:
            return charge, rows
    return None, {}


def worked_example(rule: ir.TierRule, version: ir.Version, schedule: ir.Schedule) -> str:
    """A worked example computed from the rule and the version's rates (30-day bill, usage 1.5 × Tier 1)."""
    first = rule.tiers[0]
    if not first.allowances:
        return ""
    lines = []
    seasons = [a.season for a in first.allowances] if any(a.season for a in first.allowances) else [None]
    unit = "kWh" if rule.quantity == "kwh" else "therms"
    for allowance, season in zip(first.allowances, seasons):
        exact30, allowed30 = allowance_for(allowance, 30, rule)
        exact31, allowed31 = allowance_for(allowance, 31, rule)
        where = f" in the {words(season)} season" if season else ""
        r31 = f" = {plain(allowed31)} {unit} after rounding" if allowed31 != exact31 else ""
        lines.append(f"*Worked example{where}*: a 30-day bill has a {words(first.name)} allowance of "
                     f"{plain(allowance.amount)} × 30 / {allowance.per_days} = **{plain(allowed30)} {unit}**; "
                     f"a 31-day bill {plain(allowance.amount)} × 31 / {allowance.per_days} = "
                     f"{_short(exact31)} {unit}{r31}.")
        charge, rows = tier_rates(version, rule, season)
        if charge is None or len(rule.tiers) < 2:
            continue
        usage = (allowed30 * 3 / 2).__ceil__()
        rest = usage - allowed30
        r1, r2 = rows[rule.tiers[0].name], rows[rule.tiers[1].name]
        amount = allowed30 * r1.rate() + rest * r2.rate()
        lines.append(f"With {usage} {unit} in 30 days{where}, the `{charge.name}` charge is "
                     f"{plain(allowed30)} × {_printed(r1)} + {rest} × {_printed(r2)} = {money(amount, 2)} "
                     f"(exactly {plain(amount)}; the total is rounded once, as the billing conventions say).")
    return "\n\n".join(lines)


def _printed(row: ir.Row) -> str:
    return row.total.text if row.total is not None else plain(row.rate())


def _short(value: Fraction) -> str:
    if (value * 10 ** 6).denominator == 1:
        return plain(value)
    return f"{decimal(value).quantize(Decimal('0.001'))}…"


def season_sentences(rules: ir.Rules) -> list[str]:
    out = [f"- **{md_escape(s.label)}** (`{s.name}`): {month_day(s.start)} to {month_day(s.end)}, inclusive."
           for s in rules.seasons]
    for what, doc in rules.prorate:
        if what == "intervals":
            out.append(f"- Time-of-use energy is billed interval by interval at the season and version in effect "
                       f"at each interval's start; everything else is prorated by days.{quote(doc)}")
            continue
        out.append(f"- A bill that spans more than one {what[:-1] if what.endswith('s') else what} is "
                   f"prorated by the number of days in each.{quote(doc)}")
    return out


def _day_set(clause: ir.Clause) -> str:
    if clause.kind == "always":
        return "every day"
    if clause.holidays_only:
        return "holidays"
    days = sorted(clause.weekdays)
    if days == list(range(5)):
        text = "Monday to Friday"
    elif days == [5, 6]:
        text = "Saturday and Sunday"
    elif days == list(range(7)):
        text = "every day"
    else:
        text = ", ".join(DAY_NAMES[d] for d in days)
    return text + (" except holidays" if clause.except_holidays else "")


def clause_words(clause: ir.Clause) -> str:
    if clause.kind == "otherwise":
        return "all other hours"
    if clause.kind == "always":
        return "all hours of every day"
    hours = ", ".join(f"{hhmm(a)} to {hhmm(b)}" for a, b in clause.hours)
    if clause.hours == ((0, 1440),):
        hours = "all day"
    return f"{_day_set(clause)}, {hours}"


def period_sentences(period_set: ir.PeriodSet, schedule: ir.Schedule) -> list[str]:
    kind = "energy periods" if period_set.partition else f"{period_set.charge} windows"
    season = f"{words(period_set.season)} " if period_set.season else ""
    cond = condition_words(period_set.condition, schedule)
    head = f"**{season.capitalize() or ''}{kind if season else kind.capitalize()}**"
    head += f" ({'every hour in exactly one period' if period_set.partition else 'windows may overlap'})"
    out = [f"- {head}{', ' + cond if cond else ''}:"]
    for period in period_set.periods:
        out.append(f"    - {words(period.name)}: " + "; ".join(clause_words(c) for c in period.clauses) + ".")
    if period_set.doc:
        out.append(f"\n    > {md_escape(period_set.doc)}\n")
    return out


def adjustment_sentence(adj: ir.Adjustment, schedule: ir.Schedule) -> str:
    charges = " and ".join(f"{c}" for c in adj.charges)
    kind = "A discount" if adj.kind == "discount" else "A surcharge"
    if adj.step is not None:
        text = (f"{kind} (`{adj.name}`) of {adj.percent.text}% of the {charges} charges for each "
                f"{plain(adj.step)}% that `{adj.step_input}` is below {plain(adj.threshold)}%")
    else:
        text = f"{kind} (`{adj.name}`) of {adj.percent.text}% of the {charges} charges"
    cond = condition_words(adj.condition, schedule)
    return f"- {text}{', ' + cond if cond else ''}.{quote(adj.doc)}"


def exemption_sentence(ex: ir.Exemption, schedule: ir.Schedule) -> str:
    return f"- The `{ex.charge}` charge does not apply {condition_words(ex.condition, schedule)}.{quote(ex.doc)}"


def minimum_sentence(m: ir.Minimum, version: ir.Version, schedule: ir.Schedule) -> str:
    cond = condition_words(m.condition, schedule)
    if m.charge:
        charge = version.charge(m.charge)
        label = md_escape(charge.label) if charge else f"`{m.charge}`"
        text = f"- The minimum bill is the {label}"
    else:
        text = f"- The minimum bill is ${m.amount.text} per {m.unit}"
        if m.unit == "day":
            text += f" (a 30-day bill: at least {money(m.amount.value * 30)})"
    return f"{text}{', ' + cond if cond else ''}.{quote(m.doc)}"


def passthrough_sentence(p: ir.PassThrough) -> str:
    if p.minimum is not None and p.maximum is not None:
        rng = f"set monthly between ${p.minimum.text} and ${p.maximum.text} per {p.unit}"
    else:
        rng = f"a pass-through price per {p.unit} with no range printed on the sheet"
    return f"- **{md_escape(p.label)}** (`{p.name}`): {rng}; a bill input."


def demand_sentence(rules: ir.Rules) -> str:
    if rules.demand_minutes is None:
        return ""
    option = (f" The City may use a {rules.demand_option}-minute interval instead (bill input "
              f"`{rules.demand_input}`)." if rules.demand_option is not None else "")
    return (f"- Billing demand is the maximum demand in kilowatts taken during any "
            f"{rules.demand_minutes}-minute interval.{option}{quote(rules.demand_doc)}")


def credit_sentence(credit: ir.DemandCredit) -> str:
    """The standby sections' Maximum Demand credit, or why the sheet cannot decide it."""
    rows = f" ({credit.window} rows)" if credit.window else ""
    what = ", ".join(f"`{c}`" for c in credit.charges)
    if credit.refused is not None:
        return (f"- Maximum Demand credit on {what}: not computed for this version: {md_escape(credit.refused)}. "
                f"A bill giving `{credit.input}` is refused with this reason.{quote(credit.doc)}")
    when = f", when {md_escape(credit.condition.describe())}" if credit.condition else ""
    return (f"- Maximum Demand credit on {what}{rows}: the billing demand is reduced by the kW of bill input "
            f"`{credit.input}`, never below zero, shown as credit lines{when}.{quote(credit.doc)}")


def billing_sentences(billing: ir.Billing) -> list[str]:
    monthly = ("charges per month are billed once per bill" if billing.monthly_charges == "per_bill"
               else f"charges per month are prorated by days / {billing.proration_divisor}")
    out = [f"- A bill covers meter-read days [start, end), at most {billing.max_days} days; {monthly}; "
           f"lines are exact and the total is rounded once ({billing.rounding_mode.replace('_', ' ')}, "
           f"to {plain(billing.rounding_step)})."]
    if billing.doc:
        out.append(f"\n    > {md_escape(billing.doc)}\n")
    return out


def rules_markdown(version: ir.Version, schedule: ir.Schedule, pictures: dict[str, str],
                   billing: bool = True, same_picture_as: list[str] = ()) -> list[str]:
    """The whole D. Special notes section of one version, in sentences. `pictures`: period-set → image;
    `same_picture_as`: newer versions whose period map (shown there) is this version's too."""
    rules = version.rules
    out: list[str] = []

    def section(title: str, body: list[str]):
        if body:
            out.extend([f"#### {title}", "", *body, ""])

    section("Seasons", season_sentences(rules) + ([block_quote(rules.seasons_doc)] if rules.seasons_doc else []))
    for rule in rules.tiers:
        section(f"Tiers ({'kWh' if rule.quantity == 'kwh' else 'therms'})", tier_sentences(rule, version, schedule)
                + ([block_quote(rule.doc)] if rule.doc else []))
    periods = []
    for period_set in rules.periods:
        periods.extend(period_sentences(period_set, schedule))
    images = [line for alt, src in pictures.items() for line in (f"![{alt}]({src})", "")]
    images += [f"The period map is the one shown under [version {label}](#version-{label}) (the same periods)."
               for label in same_picture_as]
    if images and schedule.calendar is not None:
        images.append(holiday_words(schedule.calendar))
    section("Time-of-use periods", periods + [""] + images if periods else [])
    section("Demand", ([demand_sentence(rules)] if rules.demand_minutes is not None else [])
            + [credit_sentence(c) for c in rules.credits])
    section("Discounts and surcharges", [adjustment_sentence(a, schedule) for a in rules.adjustments])
    section("Exemptions", [exemption_sentence(e, schedule) for e in rules.exemptions])
    section("Pass-through charges", [passthrough_sentence(p) for p in version.passthroughs])
    section("Minimum bill", [minimum_sentence(m, version, schedule) for m in rules.minimums])
    section("Energy priced by another schedule" if version.references else "Limits of the rates",
            reference_sentences(version))
    section("Fees", fee_sentences(version))
    section("Billing conventions", billing_sentences(rules.billing) if billing else [])
    notes = list(rules.notes)
    section("Notes", [f"- {md_escape(n)}" for n in notes])
    return out


def holiday_words(calendar: ir.Calendar) -> str:
    """The holidays of the 'Holiday' row of the period maps."""
    names = []
    labels = {h.name: h.label for h in calendar.holidays}
    for h in calendar.holidays:
        month = MONTH_NAMES[h.month - 1]
        offset = h.offset_days
        if h.relative_to is not None:
            when = f"the day after {md_escape(labels.get(h.relative_to, h.relative_to))}" if offset == 1 else \
                f"the day before {md_escape(labels.get(h.relative_to, h.relative_to))}" if offset == -1 else \
                f"{abs(offset)} days {'after' if offset > 0 else 'before'} {md_escape(labels.get(h.relative_to, h.relative_to))}"
            offset = 0
        elif h.day is not None:
            when = f"{month} {h.day}"
        else:
            nth = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}[h.ordinal]
            when = f"{nth} {DAY_NAMES[h.weekday]} of {month}"
        if offset:
            when += f" {'+' if offset > 0 else '-'} {abs(offset)} day{'s' if abs(offset) != 1 else ''}"
        observed = ", moved to the nearest weekday" if h.observed == "nearest_weekday" else ""
        names.append(f"{md_escape(h.label)} ({when}{observed})")
    return (f"The *Holiday* row applies on the holidays of calendar `{calendar.name}`: " + "; ".join(names)
            + ". " + " ".join(md_escape(n) for n in calendar.notes))
