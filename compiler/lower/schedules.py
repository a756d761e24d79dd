"""A schedule (header, limits, inputs, schedule-level rules) and its versions → ir.Schedule."""

from __future__ import annotations

from collections.abc import Callable

import attrs

from tariffc.compiler import ir
from tariffc.compiler.lower import history, values
from tariffc.compiler.lower.context import Lowering
from tariffc.compiler.lower.rules import rules
from tariffc.compiler.lower.versions import version, version_order, with_end_dates
from tariffc.dsl import ast


@attrs.define
class Parts:
    """What a schedule's statements have given so far (rule statements are kept for lower.rules)."""

    calendars: dict[str, ir.Calendar]
    header: dict = attrs.Factory(dict)
    calendar: ir.Calendar | None = None
    limits: list = attrs.Factory(list)
    inputs: list = attrs.Factory(list)
    notes: list = attrs.Factory(list)
    rule_statements: list = attrs.Factory(list)


def header(lx: Lowering, stmt: ast.Header, parts: Parts) -> None:
    """`utility`, `class`, `applicability`, `territory` (the last of a kind wins); `calendar NAME`
    names a calendar of the tree (T301 if there is none of that name)."""
    kind, value = stmt.kind, stmt.value
    if kind != "calendar":
        parts.header[kind] = value.value if isinstance(value, ast.Text) else value.text
        return
    parts.calendar = parts.calendars.get(value.text)
    if parts.calendar is None:
        notes, hint = calendar_help(parts.calendars)
        lx.err("T301", f"calendar '{value.text}' is not defined", value.span, *notes, hint=hint)


def limit(lx: Lowering, stmt: ast.Limit, parts: Parts) -> None:
    """`limit QUANTITY low to high UNIT ...`: the range of a quantity a customer may have (per bill,
    or over months: lower/history.py); added in order."""
    parts.limits.append(history.limit(lx, stmt))  # with its history form (lower/history.py)


def bill_input(lx: Lowering, stmt: ast.Input, parts: Parts) -> None:
    """`input NAME TYPE`: a bill input the schedule's conditions and charges read; added in order."""
    parts.inputs.append(ir.Input(name=stmt.name.text, type=stmt.type, unit=stmt.unit,
                                 choices=tuple(c.text for c in stmt.choices),
                                 doc=values.doc(stmt.doc), span=stmt.span))


def source(lx: Lowering, stmt: ast.Source, parts: Parts) -> None:
    """A schedule-level `source`: documentation of the file only (each version names its own)."""


def note(lx: Lowering, stmt: ast.Note, parts: Parts) -> None:
    """A schedule-level `note`: a note of the schedule (ir.Schedule.notes), not of its rules."""
    parts.notes.append(stmt.text.value)


# Every other statement of a schedule is a rule every version inherits (lower/rules.py RULES).
SCHEDULE_STATEMENTS: dict[type, Callable[[Lowering, object, Parts], None]] = {
    ast.Header: header,
    ast.Limit: limit,
    ast.Input: bill_input,
    ast.Source: source,
    ast.Note: note,
}


def schedule(lx: Lowering, s: ast.Schedule, versions: list[ast.Version], calendars: dict[str, ir.Calendar],
             path: str) -> ir.Schedule:
    """One schedule and the versions written after it in its file. Its rules are merged over its
    calendar's billing and proration conventions; each version's rules over the schedule's."""
    parts = Parts(calendars=calendars)
    for stmt in s.statements:
        handler = SCHEDULE_STATEMENTS.get(type(stmt))
        if handler is None:
            parts.rule_statements.append(stmt)
        else:
            handler(lx, stmt, parts)
    calendar = parts.calendar
    inherited = ir.Rules(billing=calendar.billing if calendar else ir.Billing(),
                         prorate=calendar.prorate if calendar else (),
                         prorate_spans=calendar.prorate_spans if calendar else ())
    base = rules(lx, parts.rule_statements, inherited)
    version_order(lx, versions)
    lowered = [lv for lv in (version(lx, v, base) for v in versions) if lv is not None]
    header_ = parts.header
    return ir.Schedule(
        id=s.id.text, title=s.title.value, utility=str(header_.get("utility", "")),
        customer_class=str(header_.get("class", "")), calendar=calendar,
        applicability=str(header_.get("applicability", "")), territory=str(header_.get("territory", "")),
        limits=tuple(parts.limits), inputs=tuple(parts.inputs), versions=tuple(with_end_dates(lowered)),
        notes=tuple(parts.notes), path=path, span=s.span)


def calendar_help(calendars: dict[str, ir.Calendar]) -> tuple[tuple[str, ...], str]:
    """(notes, hint) of T301: which calendars were found, and how to name the missing one."""
    if not calendars:
        return (("no calendar was loaded: there is no calendars/ directory at or above this file",),
                "check the file inside its schedules tree (a directory holding calendars/), "
                "or name the calendar file too: `tariffc check FILE CALENDAR.tariff`")
    paths = sorted({c.path for c in calendars.values()})
    return ((f"calendars loaded: {', '.join(sorted(calendars))} (from {', '.join(paths)})",),
            "declare it with `calendar NAME` in the tree's calendars/ directory")
