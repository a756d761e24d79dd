"""Link charges that refer to another schedule (E-16 C.2 "using Electric Rate Schedule E2").

After every schedule of a project is lowered, each `charge NAME per kWh as SCHEDULE CHARGE` gets the
referenced charge's rows of every version of SCHEDULE that is in effect on some day of the referring
version (`ir.ReferenceTarget`: dates, seasons, rows), so a bill prices each day by the referenced
version in effect that day. Diagnostics:

- T243: the referenced schedule or charge does not exist (in some version overlapping the days);
- T220: a referenced charge whose rates are not yet entered (`?`, a new version being written);
- T244: days of the referring version on which the referenced schedule has no version, undeclared
  (or declared by a `gaps` reason that does not state the first and last day of each gap);
- T245: the referenced charge cannot price the reference (another unit, a credit, a condition,
  bands, or rows keyed by tier or time-of-use period: only season or `all` rows are referenced);
- T246 (note): the gaps declared with `gaps "reason"`: bills on those days are refused with it;
- T248 (warning): `gaps "reason"` declared where the referenced schedule covers every day.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re

import attrs

from tariffc.compiler import ir
from tariffc.dsl.diagnostics import Diagnostic, error, note, warning

FOREVER = dt.date.max


def link(schedules: dict[str, ir.Schedule], context: dict[str, ir.Schedule] | None = None
         ) -> tuple[dict[str, ir.Schedule], list[Diagnostic]]:
    """(`schedules` with their references linked, diagnostics); `context`: more schedules that may be
    referred to (the tree's, when one file is checked alone) but are not themselves checked."""
    known = {**(context or {}), **schedules}
    out: dict[str, ir.Schedule] = {}
    problems: list[Diagnostic] = []
    for sid, schedule in schedules.items():
        if not any(v.references for v in schedule.versions):
            out[sid] = schedule
            continue
        versions = tuple(attrs.evolve(v, references=tuple(_link(schedule, v, ref, known, problems)
                                                          for ref in v.references))
                         for v in schedule.versions)
        out[sid] = attrs.evolve(schedule, versions=versions)
    return out, problems


def referenced_ids(schedules) -> set[str]:
    return {r.schedule for s in schedules for v in s.versions for r in v.references}


def _link(schedule: ir.Schedule, version: ir.Version, ref: ir.Reference, known: dict, problems: list
          ) -> ir.Reference:
    if ref.unit != "kWh":  # T245 already (lower/references.py): nothing a kWh rate could price
        return ref
    if ref.schedule == schedule.id:
        problems.append(error("T243", f"charge '{ref.name}' refers to its own schedule {schedule.id}: a charge "
                                      "cannot be priced by a charge of the schedule it belongs to", ref.span,
                              "`as SCHEDULE CHARGE` prices each day's kWh by another schedule's charge "
                              "(E-16 C.2: `as E-2 energy`, \"using Electric Rate Schedule E2\")",
                              hint="name the other schedule whose rates the sheet says to use"))
        return ref
    target = known.get(ref.schedule)
    if target is None:
        others = sorted(k for k in known if k != schedule.id)
        close = difflib.get_close_matches(ref.schedule, others, n=1, cutoff=0.6)
        problems.append(error("T243", f"charge '{ref.name}' refers to schedule {ref.schedule}, which is not defined",
                              ref.span, f"no file defines `schedule {ref.schedule}`"
                              + (f"; the schedules defined: {', '.join(others)}" if others else ""),
                              hint=(f"did you mean {close[0]}?" if close else
                                    f"check {ref.schedule} together with this file (tariffc check on their folder)")))
        return ref
    start, end = version.effective, version.ends or FOREVER
    targets: list[ir.ReferenceTarget] = []
    present: list[tuple[dt.date, dt.date]] = []  # days some version covers (a version unusable is reported apart)
    for tv in target.versions:
        a, b = tv.effective, tv.ends or FOREVER
        if a >= end or b <= start:
            continue
        present.append((a, b))
        charge = tv.charge(ref.charge)
        if charge is None:
            names = [c.name for c in tv.charges]
            close = difflib.get_close_matches(ref.charge, names, n=1, cutoff=0.6)
            problems.append(error("T243", f"charge '{ref.name}' refers to {ref.schedule} {ref.charge}, but version "
                                          f"{tv.label} of {ref.schedule} has no charge '{ref.charge}'", ref.span,
                                  f"the charges of {ref.schedule} {tv.label} are: {', '.join(names) or 'none'}",
                                  hint=f"did you mean `as {ref.schedule} {close[0]}`?" if close else
                                  f"name one of {ref.schedule}'s charges, as its `charge` line writes it"))
            continue
        why = _unusable(ref, tv, charge)
        if why:
            problems.append(error("T245", f"charge '{ref.name}' (per {ref.unit}) cannot be priced by {ref.schedule} "
                                          f"{ref.charge} of version {tv.label}: {why}", ref.span,
                                  f"{ref.schedule} {ref.charge} is written at {charge.span.path}:{charge.span.line}",
                                  hint="refer to a charge per kWh whose rows are keyed by season or `all`"))
            continue
        blank = next((row for row in charge.rows for _, value in (*row.components, ("total", row.total))
                      if value is not None and not value.entered), None)
        if blank is not None:  # a new version's `?` cells (tariffc new-version) cannot price this schedule's days
            problems.append(error("T220", f"charge '{ref.name}' refers to {ref.schedule} {ref.charge} of version "
                                          f"{tv.label}, whose rates are not yet entered", ref.span,
                                  f"{ref.schedule} {ref.charge} row '{' '.join(blank.keys)}' is written at "
                                  f"{blank.span.path}:{blank.span.line}",
                                  hint=f"enter {ref.schedule}'s rates from the adopted sheet "
                                       f"(`tariffc check` on {ref.schedule}.tariff names each cell)"))
            continue
        targets.append(ir.ReferenceTarget(schedule=target.id, version=tv.label, effective=tv.effective,
                                          ends=tv.ends, seasons=tv.rules.seasons, rows=charge.rows,
                                          span=charge.span))
    gaps = uncovered(start, end, present)
    if gaps and ref.gaps is None:
        problems.append(error("T244", f"{ref.schedule} has no version in effect on {days_text(gaps)}, days that "
                                      f"version {version.label} of {schedule.id} covers", ref.span,
                              f"charge '{ref.name}' prices each day by the {ref.schedule} version in effect that day",
                              hint=f'add the {ref.schedule} versions, or declare the days with `gaps "reason"` '
                                   "(bills on them are refused with the reason)"))
    elif gaps and (unstated := [d for d in gap_ends(gaps) if d not in stated_days(ref.gaps)]):
        # The declaration was written for other days (a version since removed or moved): not excused.
        problems.append(error("T244", f"{ref.schedule} has no version in effect on {days_text(gaps)}, days that "
                                      f"version {version.label} of {schedule.id} covers", ref.span,
                              f"the `gaps` declaration does not state {', '.join(map(str, unstated))}",
                              hint="a `gaps` declaration excuses only the days its reason states (first and last "
                                   "day of each gap): add the versions, or restate the declaration"))
    elif gaps:
        problems.append(note("T246", f"declared gaps: {ref.schedule} has no version in effect on {days_text(gaps)}; "
                                     f"an {schedule.id} bill of kWh on those days is refused: {ref.gaps}", ref.span))
    elif ref.gaps is not None:
        problems.append(warning("T248", f"`gaps` is declared but {ref.schedule} has a version in effect on every "
                                        f"day of version {version.label}", ref.span,
                                hint="remove the `gaps` declaration"))
    return attrs.evolve(ref, targets=tuple(targets))


def _unusable(ref: ir.Reference, version: ir.Version, charge: ir.Charge) -> str | None:
    if charge.unit != ref.unit:
        return f"it is priced per {charge.unit}; a $/{charge.unit} rate never meets {ref.unit}"
    if charge.quantity != ref.quantity:
        return f"it is billed on {charge.quantity}"
    if charge.credit or charge.condition is not None or charge.bands:
        return "it is a credit, conditional or banded"
    seasons = {s.name for s in version.rules.seasons}
    for row in charge.rows:
        if row.keys != ("all",) and not (len(row.keys) == 1 and row.keys[0] in seasons):
            return f"its row '{' '.join(row.keys)}' is keyed by a tier or time-of-use period"
    return None


def uncovered(start: dt.date, end: dt.date, covered: list[tuple[dt.date, dt.date]]) -> list[tuple[dt.date, dt.date]]:
    """The [a, b) ranges of [start, end) outside every covered [a, b)."""
    out, day = [], start
    for a, b in sorted(covered):
        if a > day:
            out.append((day, min(a, end)))
        day = max(day, b)
        if day >= end:
            break
    if day < end:
        out.append((day, end))
    return [(a, b) for a, b in out if a < b]


_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_US = re.compile(r"\b(\d{1,2})[-/](\d{1,2})[-/](\d{4})\b")


def stated_days(reason: str) -> set[dt.date]:
    """The dates a `gaps` reason writes, as ISO (2016-07-01) or as the sheets do (7-1-2016, 7/1/2016)."""
    days = set()
    for y, m, d in _ISO.findall(reason):
        days.add(dt.date(int(y), int(m), int(d)))
    for m, d, y in _US.findall(reason):
        try:
            days.add(dt.date(int(y), int(m), int(d)))
        except ValueError:
            pass
    return days


def gap_ends(ranges) -> list[dt.date]:
    """The first and last day of each [a, b) gap (the first only when it runs on forever)."""
    return [day for a, b in ranges for day in ((a,) if b == FOREVER else (a, b - dt.timedelta(days=1)))]


def days_text(ranges) -> str:
    def one(a, b):
        if b == FOREVER:
            return f"{a} onward"
        last = b - dt.timedelta(days=1)
        return f"{a}" if last == a else f"{a} to {last}"
    return ", ".join(one(a, b) for a, b in ranges)
