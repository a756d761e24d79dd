"""IR → one readable Python module per schedule, with one function per version.

Each version function returns the version's rules and rates as `runtime` records, written with
their constants as `D('0.10373')` from the source text; `bill()` (and one `bill_<date>()` per
version) hands them to `runtime.compute_bill`, the bill semantics shared by every schedule.

Safe by construction: every identifier goes through `py_ident()`, every string through `repr()`,
no text from a `.tariff` file is written into a comment or a docstring. A `LOC` table maps the line
ids of rows and rules to "file:line" and the sheet section. Deterministic: no timestamps; the
header carries the sha256 of the sources. The module is compiled as a self-check before it is
returned (`generate`) or loaded (`load_module`, with filename `<tariffc:PATH>` registered in
`linecache` so tracebacks show the generated lines).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import keyword
import linecache
import re
import types
from decimal import Decimal
from fractions import Fraction

from tariffc.compiler import ir, runtime as rt
from tariffc.compiler.runtime import decimal_text

WIDTH = 110


def py_ident(name: str, used: set[str] | None = None) -> str:
    """An ASCII, keyword-safe Python identifier for `name`, unique within `used` (which it extends)."""
    text = re.sub(r"[^0-9A-Za-z_]", "_", name.encode("ascii", "replace").decode("ascii")) or "_"
    if text[0].isdigit():
        text = "_" + text
    if keyword.iskeyword(text) or keyword.issoftkeyword(text):
        text += "_"
    if used is not None:
        base, n = text, 2
        while text in used:
            text, n = f"{base}_{n}", n + 1
        used.add(text)
    return text


def _decimal(value) -> Decimal:
    """An exact value written in the source as a decimal (never through a float)."""
    if isinstance(value, ir.Number):
        return Decimal(value.text)
    text = decimal_text(Fraction(value), places=30)
    if Fraction(Decimal(text)) != Fraction(value):
        raise ValueError(f"{value} is not a terminating decimal")
    return Decimal(text)


def render(value, indent: int = 0) -> str:
    """Python source for a runtime record, tuple or scalar; wrapped to WIDTH."""
    inline = _inline(value)
    if len(inline) + indent <= WIDTH or not (dataclasses.is_dataclass(value) or isinstance(value, tuple)):
        return inline
    pad = " " * (indent + 4)
    if isinstance(value, tuple):
        items = [render(v, indent + 4) for v in value]
        return "(\n" + "".join(f"{pad}{item},\n" for item in items) + " " * indent + ")"
    fields = [(f.name, getattr(value, f.name)) for f in dataclasses.fields(value)]
    body = "".join(f"{pad}{name}={render(v, indent + 4)},\n" for name, v in fields
                   if v != _default(value, name))
    return f"rt.{type(value).__name__}(\n{body}{' ' * indent})"


def _default(record, name):
    f = next(x for x in dataclasses.fields(record) if x.name == name)
    if f.default is not dataclasses.MISSING:
        return f.default
    return object()


def _inline(value) -> str:
    if isinstance(value, Decimal):
        return f"D({str(value)!r})"
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return repr(value)
    if isinstance(value, dt.date):
        return f"rt.date({value.year}, {value.month}, {value.day})"
    if isinstance(value, frozenset):
        return "frozenset({" + ", ".join(repr(v) for v in sorted(value)) + "})" if value else "frozenset()"
    if isinstance(value, tuple):
        items = [_inline(v) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if dataclasses.is_dataclass(value):
        fields = [f"{f.name}={_inline(getattr(value, f.name))}" for f in dataclasses.fields(value)
                  if getattr(value, f.name) != _default(value, f.name)]
        return f"rt.{type(value).__name__}(" + ", ".join(fields) + ")"
    raise TypeError(f"cannot write {type(value).__name__} into generated code")


class _Locations:
    def __init__(self, path: str):
        self.path = path
        self.table: dict[int, tuple[str, str]] = {}

    def __call__(self, span, section: str) -> int:
        entry = (f"{span.path or self.path}:{span.line}", section)
        for key, value in self.table.items():
            if value == entry:
                return key
        key = len(self.table) + 1
        self.table[key] = entry
        return key


def _cond(c: ir.Condition | None):
    return None if c is None else rt.Cond(kind=c.kind, input=c.input, value=c.value)


def version_record(version: ir.Version, loc: _Locations) -> rt.Version:
    rules = version.rules
    billing = rules.billing
    rules_section = "D. Special notes"
    prorate = {what for what, _ in rules.prorate}
    return rt.Version(
        effective=version.effective, ends=version.ends,
        billing=rt.Billing(max_days=billing.max_days, monthly_charges=billing.monthly_charges,
                           divisor=billing.proration_divisor, rounding_mode=billing.rounding_mode,
                           rounding_step=_decimal(billing.rounding_step)),
        seasons=tuple(rt.Season(name=s.name, start=tuple(s.start), end=tuple(s.end)) for s in rules.seasons),
        prorate_seasons="seasons" in prorate, prorate_versions="versions" in prorate,
        demand_minutes=rules.demand_minutes,
        tiers=tuple(rt.Tiers(
            quantity=t.quantity,
            tiers=tuple(rt.Tier(name=x.name, allowances=tuple(
                rt.Allowance(amount=_decimal(a.amount), per_days=a.per_days, season=a.season)
                for a in x.allowances)) for x in t.tiers),
            round_step=None if t.round_step is None else _decimal(t.round_step), round_mode=t.round_mode,
            loc=loc(t.span, f"{rules_section} › tiers {t.quantity}")) for t in rules.tiers),
        periods=tuple(rt.PeriodSet(
            partition=p.partition, charge=p.charge, season=p.season,
            periods=tuple(rt.Period(name=x.name, clauses=tuple(
                rt.Clause(kind=c.kind, weekdays=frozenset(c.weekdays), holidays_only=c.holidays_only,
                          hours=tuple(tuple(h) for h in c.hours), except_holidays=c.except_holidays)
                for c in x.clauses)) for x in p.periods),
            when=_cond(p.condition),
            loc=loc(p.span, f"{rules_section} › {'periods' if p.partition else 'windows'} {p.charge}"))
            for p in rules.periods),
        charges=tuple(_charge(c, loc) for c in version.charges),
        passthroughs=tuple(rt.PassThrough(
            name=p.name, unit=p.unit, minimum=None if p.minimum is None else _decimal(p.minimum),
            maximum=None if p.maximum is None else _decimal(p.maximum),
            loc=loc(p.span, f"C. Unbundled rates › {p.label}")) for p in version.passthroughs),
        adjustments=tuple(rt.Adjustment(
            kind=a.kind, name=a.name, percent=_decimal(a.percent), charges=tuple(a.charges), when=_cond(a.condition),
            loc=loc(a.span, f"{rules_section} › {a.kind} {a.name}"),
            step=None if a.step is None else _decimal(a.step), step_input=a.step_input,
            threshold=None if a.threshold is None else _decimal(a.threshold)) for a in rules.adjustments),
        exemptions=tuple(rt.Exemption(charge=e.charge, when=_cond(e.condition),
                                      loc=loc(e.span, f"{rules_section} › exempt {e.charge}"))
                         for e in rules.exemptions),
        minimum=None if rules.minimum is None else rt.Minimum(
            charge=rules.minimum.charge,
            amount=None if rules.minimum.amount is None else _decimal(rules.minimum.amount),
            unit=rules.minimum.unit, when=_cond(rules.minimum.condition),
            loc=loc(rules.minimum.span, f"{rules_section} › minimum")),
    )


def _charge(c: ir.Charge, loc: _Locations) -> rt.Charge:
    charge_loc = loc(c.span, c.section)
    return rt.Charge(
        name=c.name, unit=c.unit, on=c.quantity, credit=c.credit, when=_cond(c.condition),
        rows=tuple(rt.Row(key=tuple(r.keys),
                          parts=tuple((col, None if v is None else _decimal(v)) for col, v in r.components),
                          total=None if r.total is None else _decimal(r.total), loc=loc(r.span, r.section))
                   for r in c.rows),
        loc=charge_loc, band_input=c.band_input,
        bands=tuple(rt.Band(key=b.key, low=_decimal(b.low), low_closed=b.low_closed,
                            high=None if b.high is None else _decimal(b.high), high_closed=b.high_closed,
                            value=_decimal(b.value), loc=loc(b.span, f"{c.section} › {b.key}")) for b in c.bands))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def generate(schedule: ir.Schedule, sources: dict[str, str] | None = None) -> str:
    """Python source of the bill module of `schedule` (compiled once as a self-check)."""
    sources = sources or {}
    loc = _Locations(schedule.path)
    used: set[str] = {"rt", "D", "bill", "LOC", "VERSIONS", "SCHEDULE", "CALENDAR", "INPUTS"}
    functions = []
    for version in schedule.versions:
        name = py_ident(f"version_{version.effective:%Y_%m_%d}", used)
        bill_name = py_ident(f"bill_{version.effective:%Y_%m_%d}", used)
        functions.append((name, bill_name, version_record(version, loc)))
    calendar = schedule.calendar
    cal = rt.Calendar(timezone=calendar.timezone if calendar else "America/Los_Angeles", holidays=tuple(
        rt.Holiday(month=h.month, day=h.day, ordinal=h.ordinal, weekday=h.weekday, observed=h.observed, name=h.name,
                   relative_to=h.relative_to, offset_days=h.offset_days)
        for h in (calendar.holidays if calendar else ())))
    inputs = tuple(rt.InputSpec(name=i.name, type=i.type, unit=i.unit, choices=tuple(i.choices))
                   for i in schedule.inputs)
    hashes = [(schedule.path, sha256(sources[schedule.path]) if schedule.path in sources else "unknown")]
    if calendar is not None:
        hashes.append((calendar.path, sha256(sources[calendar.path]) if calendar.path in sources else "unknown"))
    out = ['"""Bill functions generated by tariffc from a .tariff schedule; do not edit (tariffc build).',
           "",
           "SCHEDULE_ID names the schedule, SOURCES the files and their sha256, LOC the source line and sheet",
           "section of every row and rule; each version_* function returns one version's rules and rates.",
           '"""', "",
           "from tariffc.compiler import runtime as rt",
           "from tariffc.compiler.runtime import D", "",
           f"SCHEDULE_ID = {schedule.id!r}",
           "SOURCES = " + render(tuple(hashes), 0), "",
           "LOC = {"]
    out += [f"    {key}: ({where!r}, {section!r})," for key, (where, section) in sorted(loc.table.items())]
    out += ["}", "", "CALENDAR = " + render(cal, 0), "", "INPUTS = " + render(inputs, 0), ""]
    for name, _, record in functions:
        out += ["", f"def {name}():", f'    """Rules and rates of the version effective {record.effective.isoformat()}."""',
                "    return " + render(record, 4), ""]
    out += ["", "VERSIONS = (" + "".join(f"{name}(), " for name, _, _ in functions).rstrip(", ") +
            ("," if len(functions) == 1 else "") + ")",
            "SCHEDULE = rt.Schedule(id=SCHEDULE_ID, calendar=CALENDAR, inputs=INPUTS, loc=LOC)", "", "",
            "def bill(inputs):", '    """Bill `inputs` (a runtime.BillInputs) over every version in effect."""',
            "    return rt.compute_bill(SCHEDULE, VERSIONS, inputs)", ""]
    for index, (_, bill_name, record) in enumerate(functions):
        out += ["", f"def {bill_name}(inputs):",
                f'    """Bill a period that lies inside the version effective {record.effective.isoformat()}."""',
                f"    return rt.compute_bill(SCHEDULE, (VERSIONS[{index}],), inputs)", ""]
    source = "\n".join(out).rstrip("\n") + "\n"
    compile(source, f"<tariffc:{schedule.path}>", "exec")
    return source


def load_module(source: str, path: str, name: str = "tariffc_generated") -> types.ModuleType:
    """Compile and execute a generated module; its lines are registered in `linecache`."""
    filename = f"<tariffc:{path}>"
    code = compile(source, filename, "exec")
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    module = types.ModuleType(name)
    module.__file__ = filename
    exec(code, module.__dict__)  # noqa: S102 - our own generated, compile-checked source
    return module


def module_name(schedule_id: str) -> str:
    return py_ident("tariff_" + schedule_id.lower())
