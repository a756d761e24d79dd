"""Lowering: surface AST (dsl/ast.py) → IR (compiler/ir.py), one module per job.

    files.py      the parsed files of one load: calendar registry, schedules with their versions,
                  published tables, one schedule per id          → Lowered
    schedules.py  a schedule's header, limits, inputs, its rules, its versions → ir.Schedule
    versions.py   a version's dates, charges, declarations, rules; when each version ends
    rules.py      rule statements merged over inherited rules: RULES, one handler per statement kind
    charges.py    rate tables, values, bands, pass-throughs, declarations → ir.Charge, …
    history.py    limits judged over months, tier examples, the Maximum Demand credit, the
                  alternative demand interval (lang2, issue 15)
    calendars.py  holidays, time zone, billing conventions, proration → ir.Calendar, ir.Billing
    published.py  staff-report tables → ir.PublishedTable
    values.py     literals → exact values (numbers, dates, steps, zones, conditions, sources)
    context.py    Lowering: where every pass records its diagnostics (lowering never stops early)

project.load reads and parses the files, calls lower_files, then runs the checks.
"""

from tariffc.compiler.lower.context import Lowering
from tariffc.compiler.lower.files import Lowered, lower_files

__all__ = ["Lowered", "Lowering", "lower_files"]
