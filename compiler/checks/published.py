"""Staff-report tables agree with the schedules they summarise, cell by cell, and with themselves."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import attrs

from tariffc.compiler import ir
from tariffc.compiler.checks.stated import unstated
from tariffc.dsl.diagnostics import Span, error, note, warning


def schedule_value(schedule: ir.Schedule, version: ir.Version, row: ir.PublishedRow) -> tuple[Fraction, Span] | None:
    """The schedule's value for a published cell and where the schedule file states it (the printed
    number; the row, for a total the sheet does not print), or None if the cell names nothing."""
    if row.charge == "minimum":  # row key `all` or a minimum's condition (ir.Minimum.key)
        minimum = version.rules.minimum_for(row.keys[0]) if len(row.keys) == 1 else None
        return (minimum.amount.value, minimum.amount.span) if minimum and minimum.amount else None
    charge = version.charge(row.charge)
    if charge is None:
        return _fee_value(version, row)
    if charge.bands:
        band = next((b for b in charge.bands if (b.key,) == row.keys), None)
        return (band.value.value, band.value.span) if band else None
    # A one-price charge answers every row key (G-2 charged one service charge for every meter
    # size before the FY 2026 sheet split it into bands).
    single = charge.rows[0] if len(charge.rows) == 1 and charge.rows[0].keys == ("all",) else None
    target = charge.row(row.keys) or single
    if target is None:
        return None
    if row.column == "total" or (row.column == charge.name and len(charge.columns) == 1):
        printed = target.total or (target.components[0][1] if len(target.components) == 1 else None)
        return target.rate(), printed.span if printed is not None else target.span
    value = target.component(row.column)
    return None if value is None else (value.value, value.span)


def _fee_value(version: ir.Version, row: ir.PublishedRow) -> tuple[Fraction, Span] | None:
    """A fee's amount for a published cell (`E-16 pole_license ft_1 total`; a one-amount fee has no key)."""
    fee = version.fee(row.charge)
    keys = row.keys or ("all",)
    found = next((r for r in fee.rows if (r.key,) == keys), None) if fee is not None else None
    return (found.rate.value, found.rate.span) if found is not None and row.column == "total" else None


def _round_like(value: Fraction, printed: ir.Number) -> Fraction:
    """`value` rounded half away from zero to as many decimals as `printed` shows (exact at any size)."""
    scale = 10 ** len(printed.text.partition(".")[2])
    magnitude = math.floor(abs(value) * scale + Fraction(1, 2))
    return Fraction(magnitude if value >= 0 else -magnitude, scale)


@attrs.frozen
class Problem:
    """One disagreeing cell of a published row: its table column, the two values that differ
    (what the table prints and what the schedule or the arithmetic gives), and the message."""

    column: str
    values: tuple[Fraction, Fraction]
    message: str
    span: Span | None = None  # the schedule's value that disagrees; None: the table's own arithmetic


def _row_problems(project, table: ir.PublishedTable, row: ir.PublishedRow):
    """(fatal, problems) for one published row: fatal with one message, else a list of Problem."""
    try:
        schedule = project.schedule(row.schedule)
    except KeyError as exc:
        return True, [str(exc.args[0])]
    problems, by_date = [], {}
    for column, printed in row.values:
        if column in ("change", "pct_change"):
            continue
        day = dt.date.fromisoformat(column)
        version = schedule.version_on(day)
        if version is None:
            return True, [f"{schedule.id} has no version in effect on {column}"]
        found = schedule_value(schedule, version, row)
        if found is None:
            minimums = [m.key for m in version.rules.minimums] if row.charge == "minimum" else []
            return True, [f"{schedule.id} version {version.label} has no cell "
                          f"{row.charge} {' '.join(row.keys)} {row.column}".replace("  ", " ")
                          + (f" (its minimum bills: {', '.join(minimums)})" if minimums else "")]
        value, span = found
        by_date[column] = printed
        if value != printed.value:
            problems.append(Problem(column, (printed.value, value), f"{table.title} prints {printed.text} for {column}; "
                            f"the schedule ({version.label}) says {_plain(value)}", span))
    dates = sorted(by_date)
    values = dict(row.values)
    if len(dates) == 2:
        old, new = by_date[dates[0]].value, by_date[dates[1]].value
        if "change" in values and new - old != values["change"].value:
            problems.append(Problem("change", (new - old, values["change"].value),
                                    f"change: {by_date[dates[1]].text} - {by_date[dates[0]].text} = {_plain(new - old)}; "
                                    f"the table prints {values['change'].text}"))
        if "pct_change" in values and old != 0:
            pct = _round_like((new - old) / old * 100, values["pct_change"])
            if pct != values["pct_change"].value:
                problems.append(Problem("pct_change", (pct, values["pct_change"].value),
                                        f"% change: ({_plain(new)} - {_plain(old)}) / {_plain(old)} = {_shown_like(pct, values['pct_change'])}%; "
                                        f"the table prints {values['pct_change'].text}%"))
    return False, problems


def _shown_like(value: Fraction, printed: ir.Number) -> str:
    places = len(printed.text.partition(".")[2])
    return f"{Decimal(value.numerator) / Decimal(value.denominator):.{places}f}"


def _plain(value: Fraction) -> str:
    d = Decimal(value.numerator) / Decimal(value.denominator)
    return format(d.normalize(), "f") if d == d.to_integral_value() or len(str(d)) < 20 else str(d)


def _covers(d: ir.Declared, column: str | None, problem: Problem) -> bool:
    """A declaration excuses a problem of its own table column (all columns when it names none) whose
    two values its reason states; any other cell of the row is still compared."""
    return (column is None or column == problem.column) and not unstated(d.reason, problem.values)


def _disagreements(table, row, path, open_, decls):
    """T402 for the problems no declaration covers: a cell at the schedule's value that disagrees
    (each version's value where its schedule file states it; the table's row named in a note), the
    table's own arithmetic (`change`, `pct_change`) at the table's row."""
    declared = ([f"the declaration at line {', '.join(str(d.span.line) for d, _ in decls)} does not state "
                 "these values or this column"] if decls else [])
    hint = ("a declared discrepancy excuses only the column it names and the values its reason states: fix the "
            "value as adopted, or restate the declaration" if decls else
            f"the adopted schedule is kept: declare `discrepancy {' '.join(path)} \"reason\"` in the table")
    at_row = [p for p in open_ if p.span is None]
    if at_row:
        yield error("T402", f"{table.title} disagrees with schedule {row.schedule}", row.span,
                    *(p.message for p in at_row), *declared, hint=hint)
    for p in open_:
        if p.span is not None:
            yield error("T402", f"{table.title} disagrees with this value of schedule {row.schedule}", p.span,
                        p.message, f"the table's row: {row.span.path}:{row.span.line}", *declared, hint=hint)


def published_tables_agree(project):
    for table in project.published:
        # A declaration may end with the table column it is about (`change`, `pct_change`, a date).
        declared: dict[tuple, list] = {}
        for d in table.discrepancies:
            column = d.path[-1] if d.path[-1] in table.columns else None
            declared.setdefault(d.path[:-1] if column else d.path, []).append((d, column))
        used = set()
        for row in table.rows:
            path = (row.schedule, row.charge, *row.keys, row.column)
            fatal, problems = _row_problems(project, table, row)
            if fatal:
                yield error("T401", f"{table.title}: {problems[0]}", row.span,
                            hint="name the schedule, charge, row keys and column as the schedule file has them")
                continue
            decls = declared.get(path, [])
            if decls:
                used.add(path)
            open_ = [p for p in problems if not any(_covers(d, c, p) for d, c in decls)]
            yield from _disagreements(table, row, path, open_, decls)
            for d, column in decls:
                mine = [p for p in problems if _covers(d, column, p)]
                if mine:
                    yield note("T403", f"declared discrepancy: {d.reason}", d.span, *(p.message for p in mine))
                elif not problems:
                    yield warning("T404", f"{table.title}: declared discrepancy no longer exists: the row agrees",
                                  d.span, hint="remove the declaration")
                elif not open_:  # a second declaration of the row, stale: the others excuse everything
                    others = ", ".join(str(o.span.line) for o, c in decls if any(_covers(o, c, p) for p in problems))
                    yield warning("T404", f"{table.title}: declared discrepancy states none of the row's "
                                          "disagreements (their values or column)", d.span,
                                  f"the declaration at line {others} excuses every disagreement of the row",
                                  hint="remove this declaration")
        for path, decls in declared.items():
            if path not in used:
                for d, _ in decls:
                    yield error("T401", f"{table.title}: the discrepancy names a row the table does not have",
                                d.span, f"path: {' '.join(path)}")
